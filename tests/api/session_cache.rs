//! Signed-in sessions served from memory: every change that ends a session or alters an
//! account is seen by the very next request, on this instance and (PostgreSQL) on the
//! others; without its listener an instance reads sessions from the database.

use std::time::{Duration, Instant};

use concerto::domain::accounts::{DisplayName, PlatformRole};
use concerto::i18n::Lang;
use concerto::store;
use serde_json::Value;

use crate::accounts::PASSWORD;
use crate::both_backends;
use crate::helpers::{Backend, TestApp, client, spawn_app};

both_backends!(a_cached_session_follows_each_change_at_once);

const EMAIL: &str = "memoire@exemple.fr";

async fn me(app: &TestApp, client: &reqwest::Client) -> Option<Value> {
    let response = client.get(app.url("/api/v1/me")).send().await.unwrap();
    match response.status().as_u16() {
        200 => Some(response.json().await.unwrap()),
        401 => None,
        other => panic!("GET /api/v1/me: {other}"),
    }
}

async fn user_id(app: &TestApp) -> i64 {
    app.state
        .db
        .run(|conn| {
            let email = concerto::domain::accounts::Email::parse(EMAIL).unwrap();
            store::users::find_by_email(conn, &email).map_err(store::DbError::from)
        })
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Makes a change through the store, as the service's own routes do (not `with_db`,
/// which empties the cache).
async fn through_store(
    app: &TestApp,
    change: impl FnOnce(&mut store::DbConnection) -> diesel::QueryResult<()> + Send + 'static,
) {
    app.state
        .db
        .run(move |conn| change(conn).map_err(store::DbError::from))
        .await
        .unwrap();
}

/// The session is served from the cache: it is there, and it answers. (A lookup that
/// meets a change made meanwhile, such as the account's verification still being
/// announced, is rightly not kept: the next one is.)
async fn cached(app: &TestApp, client: &reqwest::Client) -> Value {
    let mut first = me(app, client).await.expect("signed in");
    for _ in 0..20 {
        if !app.state.db.sessions.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        first = me(app, client).await.expect("signed in");
    }
    assert!(!app.state.db.sessions.is_empty(), "the session is cached");
    me(app, client)
        .await
        .expect("still signed in, from the cache");
    first
}

async fn a_cached_session_follows_each_change_at_once(app: TestApp) {
    app.verified_account(EMAIL, "Mémoire").await;
    app.wait_for_session_cache().await;
    let browser = client();
    app.sign_in(&browser, EMAIL, PASSWORD).await;
    let id = user_id(&app).await;
    cached(&app, &browser).await;

    through_store(&app, move |conn| {
        let name = DisplayName::parse("Mémoire vive").unwrap();
        store::users::set_display_name_and_language(conn, id, &name, Lang::En, chrono::Utc::now())
    })
    .await;
    let now = me(&app, &browser).await.unwrap();
    assert_eq!(now["user"]["display_name"], "Mémoire vive");

    cached(&app, &browser).await;
    through_store(&app, move |conn| {
        store::users::set_role(conn, id, PlatformRole::Coordinator, chrono::Utc::now()).map(|_| ())
    })
    .await;
    assert_eq!(
        me(&app, &browser).await.unwrap()["user"]["platform_role"],
        "coordinator"
    );

    cached(&app, &browser).await;
    through_store(&app, move |conn| {
        store::users::set_suspended(conn, id, true, chrono::Utc::now()).map(|_| ())
    })
    .await;
    assert!(
        me(&app, &browser).await.is_none(),
        "a suspended account is out at once"
    );

    through_store(&app, move |conn| {
        store::users::set_suspended(conn, id, false, chrono::Utc::now()).map(|_| ())
    })
    .await;
    app.sign_in(&browser, EMAIL, PASSWORD).await;
    cached(&app, &browser).await;
    through_store(&app, move |conn| {
        store::sessions::delete_all_for_user(conn, id).map(|_| ())
    })
    .await;
    assert!(me(&app, &browser).await.is_none(), "every session ended");

    app.sign_in(&browser, EMAIL, PASSWORD).await;
    cached(&app, &browser).await;
    let session_id: i64 = app
        .state
        .db
        .run(move |conn| store::sessions::list_for_user(conn, id).map_err(store::DbError::from))
        .await
        .unwrap()[0]
        .id;
    through_store(&app, move |conn| store::sessions::delete(conn, session_id)).await;
    assert!(me(&app, &browser).await.is_none(), "this session ended");
}

/// Polls until `check` holds, for at most `limit`; returns how long it took.
async fn within(limit: Duration, mut check: impl AsyncFnMut() -> bool) -> Duration {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return start.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("not within {limit:?}");
}

async fn admin_sql(app: &TestApp, sql: String) {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let url = app.db.url.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        diesel::sql_query(sql).execute(&mut conn).unwrap();
    })
    .await
    .unwrap();
}

/// Two instances on one PostgreSQL database, an account, and the second one's cache up.
async fn two_instances() -> Option<(TestApp, TestApp)> {
    let a = spawn_app(Backend::Postgres).await?;
    let b = a.twin().await;
    a.verified_account(EMAIL, "Mémoire").await;
    b.wait_for_session_cache().await;
    Some((a, b))
}

#[tokio::test]
async fn instances_see_each_others_changes() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    // Cookies do not depend on the port: one browser reaches both instances.
    let browser = client();
    let signed_in = a
        .post_json(
            &browser,
            "/api/v1/auth/login",
            serde_json::json!({"email": EMAIL, "password": PASSWORD}),
        )
        .await;
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = signed_in.json::<Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    cached(&b, &browser).await;

    // Signed out on one instance: the stolen cookie is refused by the other at once.
    let out = browser
        .post(a.url("/api/v1/auth/logout"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let thief = client();
    let took = within(Duration::from_secs(1), async || {
        let replay = thief
            .get(b.url("/api/v1/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        replay.status() == 401
    })
    .await;
    eprintln!("sign-out seen by the other instance after {took:?}");

    // An operator's SQL reaches every instance too.
    a.sign_in(&browser, EMAIL, PASSWORD).await;
    assert_eq!(cached(&b, &browser).await["user"]["platform_role"], "none");
    admin_sql(&a, "UPDATE users SET platform_role = 'admin'".into()).await;
    within(Duration::from_secs(1), async || {
        me(&b, &browser).await.unwrap()["user"]["platform_role"] == "admin"
    })
    .await;
    cached(&b, &browser).await;
    admin_sql(&a, "UPDATE users SET suspended_at = now()".into()).await;
    within(Duration::from_secs(1), async || {
        me(&b, &browser).await.is_none()
    })
    .await;
}

#[tokio::test]
async fn without_its_listener_an_instance_reads_sessions_from_the_database() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let browser = client();
    a.sign_in(&browser, EMAIL, PASSWORD).await;
    cached(&b, &browser).await;

    let database = a.db.url.rsplit('/').next().unwrap().to_owned();
    let listener_pid = format!(
        "SELECT pid FROM pg_stat_activity WHERE datname = '{database}' \
         AND application_name = 'concerto-session-listener'"
    );
    // Both instances' listeners go; b's cache is emptied (and unused until it listens
    // again: `store::session_cache`'s unit tests).
    let losses = b.state.db.sessions.losses();
    admin_sql(
        &a,
        format!("SELECT pg_terminate_backend(pid) FROM ({listener_pid}) l"),
    )
    .await;
    let took = within(Duration::from_secs(5), async || {
        b.state.db.sessions.losses() > losses
    })
    .await;
    eprintln!("lost listener noticed after {took:?}");
    assert!(
        b.state.db.sessions.is_empty(),
        "emptied when the listener was lost"
    );
    // While b is deaf, the session ends by SQL: nothing announces it to b.
    admin_sql(&a, "DELETE FROM sessions".into()).await;
    assert!(
        me(&b, &browser).await.is_none(),
        "read from the database meanwhile"
    );
    // b listens again and uses its cache again, without the ended session.
    b.wait_for_session_cache().await;
    assert!(me(&b, &browser).await.is_none());
    a.sign_in(&browser, EMAIL, PASSWORD).await;
    cached(&b, &browser).await;
}
