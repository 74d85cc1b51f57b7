//! Several instances behind a real reverse proxy, as `scripts/cluster` runs them: HAProxy
//! (deploy/haproxy.cfg's shape) in front of two instances on one PostgreSQL. One
//! instance killed outright: the other carries on and no reading fails, because the
//! proxy sends a request again when it could not be sent at all, and a reading also
//! when it was cut. (Writes while an instance dies: `faults::instance_killed`.)

use std::process::{Command, Output};
use std::time::Duration;

use crate::helpers::{Backend, TestDb, repo_path};

/// The cluster tests run one at a time: each starts a proxy and two instances on ports
/// it found free, which two at once could both find.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub fn haproxy_present() -> bool {
    let present = Command::new("haproxy").arg("-v").output().is_ok();
    if !present && std::env::var("CONCERTO_TEST_REQUIRE_HAPROXY").is_ok_and(|v| v == "1") {
        panic!("HAProxy is required (scripts/test installs it) but missing");
    }
    present
}

fn cluster(args: &[&str], db: &str, port: u16, dir: &std::path::Path) -> Output {
    cluster_with(args, db, port, dir, &[])
}

/// `scripts/cluster` with `args`, its instances given `env` besides.
pub fn cluster_with(
    args: &[&str],
    db: &str,
    port: u16,
    dir: &std::path::Path,
    env: &[(&str, String)],
) -> Output {
    Command::new(repo_path("scripts/cluster"))
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env("CONCERTO_BIN", env!("CARGO_BIN_EXE_concerto"))
        .env("CONCERTO_DATABASE_URL", db)
        .env("CLUSTER_PORT", port.to_string())
        .env("CLUSTER_DIR", dir)
        .output()
        .expect("scripts/cluster runs")
}

/// Kills the cluster's instance `name` with SIGKILL, as a machine dies.
pub fn kill_outright(dir: &std::path::Path, name: &str) {
    let pid = std::fs::read_to_string(dir.join(format!("{name}.pid"))).unwrap();
    let killed = Command::new("kill")
        .args(["-KILL", pid.trim()])
        .status()
        .unwrap();
    assert!(killed.success());
}

/// A port whose next two are free too (the proxy's, then the instances').
pub fn free_ports() -> u16 {
    crate::load_smoke::bench::cluster::free_ports(2)
}

#[tokio::test]
async fn two_instances_behind_haproxy_survive_one_killed() {
    if !haproxy_present() {
        return;
    }
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(db) = TestDb::fresh(Backend::Postgres) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_ports();
    let started = cluster(&["start", "2"], &db.url, port, dir.path());
    let said = String::from_utf8_lossy(&started.stdout).into_owned();
    assert!(
        started.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&started.stderr)
    );
    assert!(said.contains("2 instances ready"), "{said}");
    let proxy = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let get = |path: &str| client.get(format!("{proxy}{path}")).send();

    // Through the proxy: every request answered, each with the proxy's request id (kept:
    // the proxy is trusted), never Concerto's own form (24 lower-case hex digits).
    let mut ids = Vec::new();
    for _ in 0..10 {
        let page = get("/api/v1/rounds").await.unwrap();
        assert_eq!(page.status(), 200);
        ids.push(page.headers()["x-request-id"].to_str().unwrap().to_owned());
    }
    assert!(
        ids.iter()
            .all(|id| id.chars().any(|c| c.is_ascii_uppercase()) || id.len() != 24),
        "{ids:?}"
    );

    // One instance killed outright, as a machine dies: nothing fails.
    kill_outright(dir.path(), "app1");
    for _ in 0..30 {
        let page = get("/api/v1/rounds").await.unwrap();
        assert_eq!(
            page.status(),
            200,
            "a request failed after one instance died"
        );
    }
    let status = cluster(&["status"], &db.url, port, dir.path());
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(status.contains("proxy: ready"), "{status}");
    assert!(
        status.contains(&format!("app1 (127.0.0.1:{}): down", port + 1)),
        "{status}"
    );
    assert!(
        status.contains(&format!("app2 (127.0.0.1:{}): ready", port + 2)),
        "{status}"
    );

    let stopped = cluster(&["stop"], &db.url, port, dir.path());
    assert!(stopped.status.success());
    assert!(
        get("/healthz").await.is_err(),
        "the proxy stops with the instances"
    );
    let pid2 = dir.path().join("app2.pid");
    assert!(!pid2.exists());
}

/// `docker-compose.yml` has production's shape (two instances behind the proxy, the
/// database, a mail catcher) and is valid for Compose; the proxy's configuration is
/// valid for HAProxy; the instances believe the proxy's address, and only it.
#[test]
fn the_compose_file_and_the_proxy_configuration_are_valid() {
    if !haproxy_present() {
        return;
    }
    let checked = Command::new("haproxy")
        .args(["-c", "-q", "-f"])
        .arg(repo_path("deploy/haproxy.cfg"))
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let compose = |args: &[&str]| {
        Command::new("docker-compose")
            .arg("-f")
            .arg(repo_path("docker-compose.yml"))
            .args(args)
            .env("CONCERTO_SECRET_KEY", "0123456789abcdef0123456789abcdef")
            .output()
    };
    let Ok(valid) = compose(&["config", "-q"]) else {
        assert!(
            !std::env::var("CONCERTO_TEST_REQUIRE_HAPROXY").is_ok_and(|v| v == "1"),
            "docker-compose is required (scripts/test installs it) but missing"
        );
        return;
    };
    assert!(
        valid.status.success(),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    let services = compose(&["config", "--services"]).unwrap();
    let mut services: Vec<String> = String::from_utf8_lossy(&services.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    services.sort();
    assert_eq!(services, ["app1", "app2", "db", "mail", "proxy"]);
    let text = std::fs::read_to_string(repo_path("docker-compose.yml")).unwrap();
    let trusted = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("CONCERTO_TRUSTED_PROXIES: "))
        .expect("the instances trust the proxy");
    assert!(
        text.contains(&format!("ipv4_address: {trusted}")),
        "the trusted address is the proxy's"
    );
    let proxy = std::fs::read_to_string(repo_path("deploy/haproxy.cfg")).unwrap();
    for server in ["server app1 app1:8080 check", "server app2 app2:8080 check"] {
        assert!(proxy.contains(server), "{server}");
    }
    assert!(proxy.contains("option httpchk GET /readyz"));
    assert!(proxy.contains("retry-on conn-failure"));
    assert!(proxy.contains("http-request disable-l7-retry if !METH_GET"));
}
