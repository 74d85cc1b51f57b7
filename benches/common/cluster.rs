//! Several instances of the benchmark's server behind HAProxy, started and stopped by
//! `scripts/cluster` (the operator's way) on the benchmark's database.

use std::process::Command;

use super::repo_root;

pub struct Cluster {
    pub base: String,
    port: u16,
    dir: tempfile::TempDir,
    database_url: String,
}

impl Cluster {
    /// `count` instances of this build's binary behind the proxy, their receipts sent
    /// to the benchmark's SMTP sink, their logs at `warn` as the single server's, with
    /// `env` besides.
    pub fn start(database_url: &str, count: usize, env: &[(&str, &str)]) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let port = free_ports(count);
        let cluster = Cluster {
            base: format!("http://127.0.0.1:{port}"),
            port,
            dir,
            database_url: database_url.to_owned(),
        };
        let started = cluster
            .command(&["start", &count.to_string()])
            .env("CONCERTO_SMTP_URL", super::smtp_sink())
            .env("CONCERTO_LOG_LEVEL", "warn")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(
            started.status.success(),
            "scripts/cluster start: {}{}",
            String::from_utf8_lossy(&started.stdout),
            String::from_utf8_lossy(&started.stderr)
        );
        cluster
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(repo_root().join("scripts/cluster"));
        command
            .args(args)
            .env("CONCERTO_BIN", env!("CARGO_BIN_EXE_concerto"))
            .env("CONCERTO_DATABASE_URL", &self.database_url)
            .env("CLUSTER_PORT", self.port.to_string())
            .env("CLUSTER_DIR", self.dir.path());
        command
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.command(&["stop"]).output();
    }
}

/// A port whose `count` next ones are free too (the proxy's, then the instances').
pub fn free_ports(count: usize) -> u16 {
    loop {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let next = (1..=count as u16)
            .all(|i| std::net::TcpListener::bind(("127.0.0.1", port + i)).is_ok());
        if port < 65_000 && next {
            return port;
        }
    }
}
