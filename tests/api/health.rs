use crate::both_backends;
use crate::helpers::{Backend, TestApp, spawn_app};

both_backends!(probes_answer);

async fn probes_answer(app: TestApp) {
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

/// With its database gone, the instance says it is not ready (and is still alive).
#[tokio::test]
async fn readyz_is_503_when_the_database_is_gone() {
    let Some(app) = spawn_app(Backend::Postgres).await else {
        return;
    };
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.background.stop();
    app.db.drop_now();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// PostgreSQL drops every connection of the instance, as a restart does: a request that
/// meets a dropped connection is answered 503 with `Retry-After` (the client may try
/// again), never 500, and the pool recovers by itself: the next requests succeed.
#[tokio::test]
async fn dropped_connections_answer_503_then_the_pool_recovers() {
    use diesel::prelude::*;
    let Some(app) = spawn_app(Backend::Postgres).await else {
        return;
    };
    // Several connections in the pool, each used.
    let reads: Vec<_> = (0..12).map(|_| app.get("/api/v1/rounds")).collect();
    for read in futures_util::future::join_all(reads).await {
        assert_eq!(read.status(), 200);
    }
    let database = app.db.url.rsplit('/').next().unwrap().to_owned();
    let mut admin = PgConnection::establish(&crate::helpers::postgres_admin_url()).unwrap();
    let dropped: Vec<bool> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'"
    )))
    .load(&mut admin)
    .unwrap();
    assert!(
        !dropped.is_empty(),
        "the instance's connections were dropped"
    );

    let mut statuses = Vec::new();
    for _ in 0..40 {
        let read = app.get("/api/v1/rounds").await;
        let status = read.status().as_u16();
        if status == 503 {
            assert!(
                read.headers().contains_key("retry-after"),
                "503 says when to retry"
            );
        }
        statuses.push(status);
    }
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "never a 500: {statuses:?}"
    );
    // Only the request that met the drop first is refused: the pool's other dropped
    // connections are then checked and replaced before use.
    assert!(
        statuses.iter().filter(|s| **s == 503).count() <= 1,
        "the pool recovered at once: {statuses:?}"
    );
}
