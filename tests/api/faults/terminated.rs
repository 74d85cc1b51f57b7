//! Fault 4: an instance told to stop (SIGTERM, as an orchestrator or `scripts/cluster
//! stop` does) while a submission and an export are in flight. It stops taking new
//! connections at once and gives those in flight its shutdown timeout to finish: a
//! submission that began is answered and stored; an export that can end in time ends
//! whole; one that cannot is cut, and the client sees a failed download (the chunked
//! body never ends), never a shorter file that looks complete.
//!
//! The server is the release-like process of the benchmarks (`benches/common`), on a
//! benchmark-sized round.

use std::time::{Duration, Instant};

use crate::helpers::{postgres_admin_url, postgres_required};
use crate::load_smoke::bench;

/// An export of the whole round, read `pause` after each chunk: its bytes, or the
/// failure that ended it, and when the first chunk came.
async fn export(
    coordinator: &bench::Coordinator,
    pause: Duration,
    first_chunk: tokio::sync::oneshot::Sender<()>,
) -> Result<Vec<u8>, String> {
    let mut response = coordinator
        .http
        .get(format!(
            "{}/api/v1/rounds/{}/export?format=csv&include=all",
            coordinator.base,
            bench::SLUG
        ))
        .header("cookie", &coordinator.cookie)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(response.status(), 200);
    let mut body = Vec::new();
    let mut first_chunk = Some(first_chunk);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if let Some(said) = first_chunk.take() {
                    let _ = said.send(());
                }
                tokio::time::sleep(pause).await;
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(format!("{e:?}")),
        }
    }
}

/// A submission whose body arrives in two parts, `gap` apart: in flight for that long
/// (written by hand on a socket: an HTTP client sends a small body at once). Its
/// status, or why none came.
async fn slow_submission(base: &str, member: &bench::Member, gap: Duration) -> Result<u16, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    let (head, tail) = (r#"{"publication_consent":"#, r#""attributed"}"#);
    let request = format!(
        "POST /api/v1/rounds/{}/responses/{}/submit HTTP/1.1\r\nHost: {address}\r\n\
         Cookie: concerto={}\r\nX-CSRF-Token: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{head}",
        bench::SLUG,
        member.organisation,
        member.cookie,
        member.csrf,
        head.len() + tail.len(),
    );
    let sent = async {
        socket.write_all(request.as_bytes()).await?;
        tokio::time::sleep(gap).await;
        socket.write_all(tail.as_bytes()).await?;
        let mut answer = Vec::new();
        socket.read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = sent.await.map_err(|e| e.to_string())?;
    let answer = String::from_utf8_lossy(&answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no status in {answer:?}"))
}

#[tokio::test]
async fn a_stopping_instance_finishes_or_fails_visibly() {
    let reachable = std::net::TcpStream::connect("127.0.0.1:5432").is_ok();
    if !reachable && !postgres_required() {
        return;
    }
    let full = super::scale().organisations > 10;
    let organisations = if full { 2000 } else { 600 };
    let (target, mut server, mut coordinator, _) = bench::prepare(
        bench::Backend::Postgres,
        organisations,
        bench::Status::Draft,
        &postgres_admin_url(),
    )
    .await;
    let open = format!("/api/v1/rounds/{}/open", bench::SLUG);
    coordinator.post(&open, serde_json::json!({})).await;
    let members = bench::seed_members(&target.url, 4);

    // Submissions in flight when SIGTERM comes: answered, and stored.
    let sending: Vec<_> = members
        .iter()
        .map(|m| slow_submission(&server.base, m, Duration::from_millis(800)))
        .collect();
    let terminate = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        server.terminate();
        let stopped_at = Instant::now();
        // New connections are refused at once.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let late = reqwest::get(format!("{}/healthz", server.base)).await;
        (stopped_at, late.is_err())
    };
    let (answers, (stopped_at, refused)) =
        tokio::join!(futures_util::future::join_all(sending), terminate);
    assert_eq!(
        answers,
        vec![Ok(200); members.len()],
        "submissions in flight are answered"
    );
    assert!(refused, "a stopping instance takes no new connection");
    let exit = server.exited_within(Duration::from_secs(10));
    let exited_after = stopped_at.elapsed();
    assert!(exit.is_some_and(|s| s.success()), "{exit:?}");
    let submitted = {
        let mut conn = bench::connect(&target.url);
        use diesel::prelude::*;
        concerto::store::schema::responses::table
            .filter(concerto::store::schema::responses::status.eq("submitted"))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
    };
    assert_eq!(submitted, members.len() as i64, "each one stored");

    // An export that can end within the shutdown timeout (30 s) ends whole.
    let server = bench::Server::start(&target.url).await;
    let (said, _) = tokio::sync::oneshot::channel();
    let reader = coordinator_on(&coordinator, &server);
    let whole = export(&reader, Duration::ZERO, said)
        .await
        .expect("an export without a stop");
    let (said, heard) = tokio::sync::oneshot::channel();
    let reading = export(&reader, Duration::ZERO, said);
    let stop = async {
        heard.await.unwrap();
        server.terminate();
    };
    let (during, ()) = tokio::join!(reading, stop);
    assert_eq!(
        during.as_ref().map(Vec::len),
        Ok(whole.len()),
        "the export in flight ended whole"
    );
    assert!(during.unwrap() == whole);
    drop(server);

    // One that cannot (a reader slower than the one-second timeout allows) fails visibly.
    let server =
        bench::Server::start_with(&target.url, &[("CONCERTO_SHUTDOWN_TIMEOUT_SECS", "1")]).await;
    let (said, heard) = tokio::sync::oneshot::channel();
    let reader = coordinator_on(&coordinator, &server);
    let reading = export(&reader, Duration::from_millis(100), said);
    let stop = async {
        heard.await.unwrap();
        server.terminate();
    };
    let (cut, ()) = tokio::join!(reading, stop);
    if let Ok(body) = cut {
        panic!(
            "a cut export must fail, not end: {} of {} bytes",
            body.len(),
            whole.len()
        );
    }
    super::Figures {
        scenario: "Arrêt demandé (SIGTERM)",
        requests: members.len() + 3,
        acknowledged: members.len(),
        submissions: submitted as usize,
        // The two stopped exports: one whole, one failed visibly.
        recovery: Some(exited_after),
        ..super::Figures::default()
    }
    .report();
    eprintln!("export of {} bytes", whole.len());
}

/// The same coordinator's session, on another server of the same database.
fn coordinator_on(coordinator: &bench::Coordinator, server: &bench::Server) -> bench::Coordinator {
    bench::Coordinator {
        http: coordinator.http.clone(),
        base: server.base.clone(),
        cookie: coordinator.cookie.clone(),
        csrf: coordinator.csrf.clone(),
    }
}
