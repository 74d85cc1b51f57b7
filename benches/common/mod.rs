//! What the benchmarks share: a fresh database per run, the release server started as
//! in production, a coordinator signed in with two-factor authentication, a round of
//! 4 chapters × 10 questions built through the API, and organisations with their
//! responses seeded in bulk.
#![allow(dead_code)] // Each benchmark uses its own part.

pub mod cluster;
pub mod load;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use serde_json::{Value, json};

pub const EMAIL: &str = "bench@concerto.example";
pub const PASSWORD: &str = "Banc-d'essai des exports, 2026 !";
pub const SLUG: &str = "banc";
/// Organisations seeded per INSERT batch.
pub const SEED_BATCH: usize = 100;

#[derive(Clone, Copy, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Small deterministic generator: the same data on every run.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const WORDS: [&str; 24] = [
    "santé",
    "accès",
    "soins",
    "patients",
    "numérique",
    "données",
    "confiance",
    "hôpital",
    "médecin",
    "territoire",
    "écoute",
    "parcours",
    "aidants",
    "prévention",
    "éthique",
    "transparence",
    "associations",
    "usagers",
    "qualité",
    "délais",
    "information",
    "consentement",
    "formation",
    "équité",
];

/// The checkout the benchmark runs in, as cargo says when it runs it. Not the one written
/// in at compile time: checkouts sharing a target directory share the binary too, and a
/// report once went to the checkout that had built it (`/tmp/fresh`), not to the one run.
pub fn repo_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

pub fn sentence(rng: &mut Lcg, chars: usize) -> String {
    let mut out = String::new();
    while out.chars().count() < chars {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(WORDS[rng.next(WORDS.len())]);
    }
    out.push('.');
    out
}

/// Syllables of the prose vocabulary.
const SYLLABLES: [&str; 24] = [
    "ba", "ché", "di", "fo", "gra", "li", "mé", "nou", "pa", "ré", "si", "té", "vo", "cri", "ton",
    "lan", "mar", "pel", "sou", "tri", "ven", "ab", "ir", "ul",
];

/// Words of the prose vocabulary, ranked: the first are the most frequent.
pub const VOCABULARY: usize = 6_000;

/// The vocabulary's word of rank `rank` (from 0): the search's usual words first, then
/// made-up ones of two or three syllables.
pub fn word(rank: usize) -> String {
    if rank < WORDS.len() {
        return WORDS[rank].to_owned();
    }
    let n = rank - WORDS.len();
    let (a, b, c) = (n % 24, (n / 24) % 24, n / 576);
    let mut w = format!("{}{}", SYLLABLES[a], SYLLABLES[b]);
    if c > 0 {
        w.push_str(SYLLABLES[c % 24]);
        w.push_str(&c.to_string());
    }
    w
}

/// Prose as people write it, for searching: words of a `VOCABULARY`-word vocabulary
/// drawn with frequencies falling as their rank grows (log-uniform ranks, Zipf's law's
/// usual stand-in), so that a rare word is in a few texts and a common one in most.
pub fn prose(rng: &mut Lcg, chars: usize) -> String {
    let mut out = String::new();
    let ln = (VOCABULARY as f64).ln();
    while out.chars().count() < chars {
        if !out.is_empty() {
            out.push(' ');
        }
        let u = rng.next(1 << 20) as f64 / (1 << 20) as f64;
        let rank = ((u * ln).exp() as usize)
            .saturating_sub(1)
            .min(VOCABULARY - 1);
        out.push_str(&word(rank));
    }
    out.push('.');
    out
}

/// The 40 questions: per 8, two long texts, two short texts, one of each choice, a scale
/// and proposals.
pub fn question(i: usize) -> Value {
    let chapter = i / 10 + 1;
    let code = format!("E{chapter}.Q{}", i % 10 + 1);
    let options = json!([
        {"key": "a", "label": "Tout à fait d'accord"},
        {"key": "b", "label": "Plutôt d'accord"},
        {"key": "c", "label": "Plutôt pas d'accord"},
        {"key": "d", "label": "Pas du tout d'accord"}
    ]);
    let prompt = format!("Question {code} : que proposez-vous ?");
    match i % 8 {
        0 | 4 => {
            json!({"code": code, "prompt": prompt, "kind": "long_text", "max_length": 5000})
        }
        1 => {
            json!({"code": code, "prompt": prompt, "kind": "single_choice", "options": options, "min_choices": 1, "max_choices": 1})
        }
        2 | 6 => json!({"code": code, "prompt": prompt, "kind": "short_text", "max_length": 200}),
        3 => {
            json!({"code": code, "prompt": prompt, "kind": "scale", "scale": {"min": 1, "max": 5, "min_label": "Pas du tout", "max_label": "Tout à fait"}})
        }
        5 => {
            json!({"code": code, "prompt": prompt, "kind": "multiple_choice", "options": options, "min_choices": 1, "max_choices": 2})
        }
        _ => json!({"code": code, "prompt": prompt, "kind": "proposals", "max_items": 3}),
    }
}

pub fn answer_value(kind: &str, rng: &mut Lcg) -> Value {
    answer_value_with(kind, rng, sentence)
}

/// An answer of `kind`, its long texts written by `long`.
pub fn answer_value_with(kind: &str, rng: &mut Lcg, long: Writer) -> Value {
    let keys = ["a", "b", "c", "d"];
    match kind {
        "long_text" => {
            let length = 790 + rng.next(20);
            json!(long(rng, length))
        }
        "short_text" => json!(sentence(rng, 40)),
        "single_choice" => json!(keys[rng.next(4)]),
        "multiple_choice" => {
            let first = rng.next(4);
            json!([keys[first], keys[(first + 1 + rng.next(3)) % 4]])
        }
        "scale" => json!(1 + rng.next(5)),
        _ => json!([
            {"title": sentence(rng, 30), "description": sentence(rng, 150)},
            {"title": sentence(rng, 30), "description": sentence(rng, 150)}
        ]),
    }
}

pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

pub struct Server {
    child: Child,
    pub base: String,
    _dir: tempfile::TempDir,
}

/// A mail relay that accepts every message and keeps none (mailin-embedded, as the
/// tests' mailbox): the server sends its receipts over SMTP as in production, not to the
/// development fallback (one file per message in the data folder, whose creation alone
/// took a tenth of the machine during the whole-response scenario). Returns its
/// `smtp://` URL.
pub fn smtp_sink() -> String {
    /// Says yes to every command (the trait's defaults) and keeps nothing.
    #[derive(Clone)]
    struct Discard;
    impl mailin_embedded::Handler for Discard {}

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let mut server = mailin_embedded::Server::new(Discard);
    server
        .with_name("banc")
        .with_ssl(mailin_embedded::SslConfig::None)
        .unwrap()
        // One connection per instance's mail worker at a time, a few instances at most.
        .with_num_threads(16)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    url
}

impl Server {
    pub async fn start(database_url: &str) -> Server {
        Self::start_with(database_url, &[]).await
    }

    /// The server with `env` besides the benchmark's settings.
    pub async fn start_with(database_url: &str, env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_concerto"))
            .arg("serve")
            .envs(server_env(database_url, dir.path()))
            .env("CONCERTO_SMTP_URL", smtp_sink())
            .env("CONCERTO_BIND", format!("127.0.0.1:{port}"))
            .env("CONCERTO_BASE_URL", &base)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("server starts");
        let server = Server {
            child,
            base,
            _dir: dir,
        };
        for _ in 0..200 {
            let health = reqwest::get(format!("{}/healthz", server.base)).await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not answer /healthz");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM (the service's graceful stop) without waiting.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Waits up to `patience` for the process to end: its exit status, if it did.
    pub fn exited_within(&mut self, patience: Duration) -> Option<std::process::ExitStatus> {
        let until = Instant::now() + patience;
        while Instant::now() < until {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The release server as in production (JSON logs, no demo data), over plain HTTP on
/// loopback.
pub fn server_env(database_url: &str, data_dir: &Path) -> Vec<(String, String)> {
    let config = repo_root().join("config");
    vec![
        ("CONCERTO_ENV".into(), "production".into()),
        ("CONCERTO_CONFIG_DIR".into(), config.display().to_string()),
        ("CONCERTO_DATABASE_URL".into(), database_url.into()),
        ("CONCERTO_SECRET_KEY".into(), "banc-d-essai-".repeat(4)),
        ("CONCERTO_ALLOW_HTTP_BASE_URL".into(), "true".into()),
        ("CONCERTO_DATA_DIR".into(), data_dir.display().to_string()),
        ("CONCERTO_LOG_LEVEL".into(), "warn".into()),
        // The load benchmark's sign-ins come from many addresses, as behind the
        // production reverse proxy: loopback plays that proxy (X-Forwarded-For).
        ("CONCERTO_TRUSTED_PROXIES".into(), "127.0.0.1".into()),
    ]
}

/// A signed-in coordinator with two-factor sign-in on: cookie and CSRF token. (The
/// production session cookie is `Secure`, so it is carried by hand over loopback HTTP.)
pub struct Coordinator {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

impl Coordinator {
    pub async fn sign_in(base: &str) -> Coordinator {
        let http = reqwest::Client::new();
        let login = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": EMAIL, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200, "sign-in");
        let cookie = login
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("concerto="))
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_owned();
        let body: Value = login.json().await.unwrap();
        let mut me = Coordinator {
            http,
            base: base.to_owned(),
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        };
        let setup = me.post("/api/v1/auth/totp/setup", json!({})).await;
        let code =
            concerto::auth::totp::current_code(setup["secret"].as_str().unwrap(), EMAIL).unwrap();
        me.post("/api/v1/auth/totp/confirm", json!({ "code": code }))
            .await;
        me
    }

    pub async fn post(&mut self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::POST, path, body).await
    }

    pub async fn put(&mut self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::PUT, path, body).await
    }

    /// A JSON request with the coordinator's session and CSRF token: the 2xx body.
    async fn send(&mut self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let response = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{method} {path}: {status} {body}");
        body
    }

    /// A GET with the coordinator's session: (status, body's bytes, seconds).
    pub async fn get_bytes(&self, path: &str) -> (u16, Vec<u8>, f64) {
        let started = Instant::now();
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap().to_vec();
        (status, body, started.elapsed().as_secs_f64())
    }

    /// A GET with the coordinator's session: (status, body, seconds).
    pub async fn get(&self, path: &str) -> (u16, String, f64) {
        let (status, body, seconds) = self.get_bytes(path).await;
        (status, String::from_utf8_lossy(&body).into_owned(), seconds)
    }

    /// Downloads one export; returns (seconds, bytes).
    pub async fn export(&self, format: &str) -> (f64, u64) {
        let started = Instant::now();
        let mut response = self
            .http
            .get(format!(
                "{}/api/v1/rounds/{SLUG}/export?format={format}",
                self.base
            ))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "export {format}");
        let mut bytes = 0;
        while let Some(chunk) = response.chunk().await.expect("the export completes") {
            bytes += chunk.len() as u64;
        }
        (started.elapsed().as_secs_f64(), bytes)
    }
}

pub fn run(command: &mut Command) -> String {
    let output = command.output().expect("command runs");
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The server's peak private memory (anonymous and shared-anonymous pages) while it is
/// watched, sampled every 2 ms. Not the kernel's peak RSS (`VmHWM`): since SQLite reads
/// its file through a memory map, RSS also counts the database's pages in the system's
/// page cache, once per connection that mapped them (2.7 GB for a 330 MB database), which
/// says nothing of what the server itself holds.
pub struct MemoryPeak {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    sampler: std::thread::JoinHandle<Option<f64>>,
}

fn private_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |key: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((kb("RssAnon:")? + kb("RssShmem:").unwrap_or(0.0)) / 1024.0)
}

impl MemoryPeak {
    pub fn watch(pid: u32) -> Self {
        use std::sync::atomic::Ordering;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let sampler = std::thread::spawn(move || {
            let mut peak: Option<f64> = None;
            loop {
                if let Some(now) = private_mb(pid) {
                    peak = Some(peak.map_or(now, |p| p.max(now)));
                }
                if stopped.load(Ordering::Relaxed) {
                    return peak;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        Self { stop, sampler }
    }

    /// The peak in MB (`None` where /proc cannot be read).
    pub fn mb(self) -> Option<f64> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.sampler.join().ok().flatten()
    }
}

/// A connection of the benchmark's own to a database, made by the application's own
/// `establish` (same settings).
pub fn connect(url: &str) -> concerto::store::DbConnection {
    let url = concerto::store::DatabaseUrl::parse(url).unwrap();
    concerto::store::establish(&url, Duration::from_secs(5)).unwrap()
}

/// A fresh database, removed when dropped.
pub struct Target {
    pub url: String,
    pub sqlite_file: Option<PathBuf>,
    _dir: Option<tempfile::TempDir>,
    /// (admin URL, name) of a PostgreSQL database to drop at the end.
    postgres: Option<(String, String)>,
}

impl Drop for Target {
    /// `CONCERTO_BENCH_KEEP=1` keeps the databases (named on the error output), to look
    /// at a query's plan on the benchmark's data by hand.
    fn drop(&mut self) {
        if std::env::var_os("CONCERTO_BENCH_KEEP").is_some() {
            eprintln!("  base gardée : {}", self.url);
            if let Some(dir) = self._dir.take() {
                let _ = dir.keep();
            }
            return;
        }
        if let Some((admin, name)) = &self.postgres {
            let url = concerto::store::DatabaseUrl::parse(admin).unwrap();
            if let Ok(mut conn) = concerto::store::establish(&url, Duration::from_secs(5)) {
                let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

pub fn fresh_database(backend: Backend, pg_admin: &str) -> Target {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("banc.db");
            Target {
                url: format!("sqlite://{}", file.display()),
                sqlite_file: Some(file),
                _dir: Some(dir),
                postgres: None,
            }
        }
        Backend::Postgres => {
            // A name of its own, so that the benchmarks and the smoke run in the tests
            // never share one.
            let name = format!(
                "concerto_banc_{}_{}",
                std::process::id(),
                rand::random::<u32>()
            );
            let mut admin = connect(pg_admin);
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
            // The same server and parameters (`?sslmode=…`), another database.
            let (address, parameters) = match pg_admin.split_once('?') {
                Some((address, parameters)) => (address, format!("?{parameters}")),
                None => (pg_admin, String::new()),
            };
            let base = address.rsplit_once('/').unwrap().0;
            Target {
                url: format!("{base}/{name}{parameters}"),
                sqlite_file: None,
                _dir: None,
                postgres: Some((pg_admin.to_owned(), name)),
            }
        }
    }
}

/// What writes a long text: `sentence` (the exports' and load's, a few words repeated)
/// or `prose` (the analysis', a vocabulary searched as people search).
pub type Writer = fn(&mut Lcg, usize) -> String;

/// Inserts `organisations` approved organisations (ids from 1,000,000), each with a
/// response in `status` answering every question (version 1).
pub fn seed(url: &str, organisations: usize, status: Status) -> usize {
    seed_with(url, organisations, status, sentence)
}

/// `seed`, the long texts written by `long`.
pub fn seed_with(url: &str, organisations: usize, status: Status, long: Writer) -> usize {
    let mut conn = connect(url);
    let detail = concerto::store::rounds::find_by_slug(&mut conn, SLUG)
        .unwrap()
        .unwrap();
    let ids = concerto::store::exports::question_ids(&mut conn, detail.round.id).unwrap();
    let questions: Vec<(i64, &'static str)> = detail
        .chapters
        .iter()
        .flat_map(|c| &c.questions)
        .map(|q| (ids[&q.code], q.spec.kind()))
        .collect();
    let kinds = concerto::domain::organisations::OrganisationKind::ALL;
    let consents = ["attributed", "anonymous", "none"];
    let now = "'2026-11-20 10:00:00'";
    let mut rng = Lcg(42);
    let mut answers = 0;
    for start in (0..organisations).step_by(SEED_BATCH) {
        let end = (start + SEED_BATCH).min(organisations);
        let (mut orgs, mut responses, mut values) = (String::new(), String::new(), String::new());
        for i in start..end {
            let id = 1_000_000 + i as i64;
            let sep = if i == start { "" } else { "," };
            write!(
                orgs,
                "{sep}({id}, {}, {}, {}, {}, 'approved', {now}, {now})",
                quote(&format!("Association d'étude n° {i}")),
                quote(kinds[i % kinds.len()].as_str()),
                quote(&format!("W{:09}", 100_000_000 + i)),
                quote(&format!("contact{i}@asso.example")),
            )
            .unwrap();
            write!(
                responses,
                "{sep}({id}, {}, {id}, {}, {}, {}, {now}, {now})",
                detail.round.id,
                match status {
                    Status::Submitted => "'submitted'",
                    Status::Draft => "'draft'",
                },
                match status {
                    Status::Submitted => now,
                    Status::Draft => "NULL",
                },
                quote(consents[i % 3]),
            )
            .unwrap();
            for (q, (question_id, kind)) in questions.iter().enumerate() {
                let sep = if i == start && q == 0 { "" } else { "," };
                let value = answer_value_with(kind, &mut rng, long).to_string();
                write!(
                    values,
                    "{sep}({id}, {question_id}, {}, 1, {now})",
                    quote(&value)
                )
                .unwrap();
                answers += 1;
            }
        }
        conn.batch_execute(&format!(
            "BEGIN; \
             INSERT INTO organisations (id, name, kind, legal_id, contact_email, status, created_at, updated_at) VALUES {orgs}; \
             INSERT INTO responses (id, round_id, organisation_id, status, submitted_at, publication_consent, created_at, updated_at) VALUES {responses}; \
             INSERT INTO answers (response_id, question_id, value, version, updated_at) VALUES {values}; \
             COMMIT;"
        ))
        .unwrap();
    }
    // Each response's tallies of given answers, as the service keeps them.
    conn.batch_execute(
        "UPDATE responses SET \
         answered = (SELECT COUNT(*) FROM answers a \
             WHERE a.response_id = responses.id AND a.value IS NOT NULL), \
         required_answered = (SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id \
             WHERE a.response_id = responses.id AND a.value IS NOT NULL AND q.required)",
    )
    .unwrap();
    if matches!(conn, concerto::store::DbConnection::Postgres(_)) {
        conn.batch_execute("ANALYZE").unwrap();
    }
    answers
}

pub async fn build_round(coordinator: &mut Coordinator) {
    coordinator
        .post(
            "/api/v1/rounds",
            json!({"slug": SLUG, "title": "Banc d'essai des exports", "summary": "Quatre chapitres, dix questions chacun.", "closes_at": "2099-01-01T00:00:00Z", "audience": "all_approved"}),
        )
        .await;
    for chapter in 1..=4 {
        coordinator
            .post(
                &format!("/api/v1/rounds/{SLUG}/chapters"),
                json!({"code": format!("E{chapter}"), "title": format!("Enjeu n° {chapter}")}),
            )
            .await;
        for i in (chapter - 1) * 10..chapter * 10 {
            coordinator
                .post(
                    &format!("/api/v1/rounds/{SLUG}/chapters/E{chapter}/questions"),
                    question(i),
                )
                .await;
        }
    }
}

/// How the seeded responses stand.
#[derive(Clone, Copy, PartialEq)]
pub enum Status {
    Submitted,
    Draft,
}

/// A fresh database with the round built through the API and `organisations` seeded;
/// returns the database, the running server, the signed-in coordinator and the number
/// of answers seeded.
pub async fn prepare(
    backend: Backend,
    organisations: usize,
    status: Status,
    pg_admin: &str,
) -> (Target, Server, Coordinator, usize) {
    prepare_with(backend, organisations, status, pg_admin, sentence).await
}

/// `prepare`, the long texts written by `long`.
pub async fn prepare_with(
    backend: Backend,
    organisations: usize,
    status: Status,
    pg_admin: &str,
    long: Writer,
) -> (Target, Server, Coordinator, usize) {
    prepare_in(backend, (organisations, status), pg_admin, long, &[]).await
}

/// `prepare_with`, the server started with `env` besides the benchmark's settings.
pub async fn prepare_in(
    backend: Backend,
    (organisations, status): (usize, Status),
    pg_admin: &str,
    long: Writer,
    env: &[(&str, &str)],
) -> (Target, Server, Coordinator, usize) {
    let target = fresh_database(backend, pg_admin);
    let bin = env!("CARGO_BIN_EXE_concerto");
    let scratch = tempfile::tempdir().unwrap();
    let setup = server_env(&target.url, scratch.path());
    run(Command::new(bin).arg("migrate").envs(setup.clone()));
    let mut add = Command::new(bin)
        .args([
            "users",
            "add",
            "--email",
            EMAIL,
            "--name",
            "Banc d'essai",
            "--role",
            "coordinator",
        ])
        .envs(setup)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(add.wait().unwrap().success(), "users add");
    let server = Server::start_with(&target.url, env).await;
    let mut coordinator = Coordinator::sign_in(&server.base).await;
    build_round(&mut coordinator).await;
    let seeding = Instant::now();
    let answers = seed_with(&target.url, organisations, status, long);
    eprintln!(
        "  seeded {answers} answers in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    (target, server, coordinator, answers)
}

/// Replaces the section `## {title}` of `docs/benchmarks.md` (up to the next `## `),
/// keeping the rest; `section` starts with that heading.
pub fn write_section(title: &str, section: &str) {
    let path = repo_root().join("docs/benchmarks.md");
    let old = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        "# Mesures de performance\n\nChaque section est réécrite par la commande qu'elle cite.\n\n"
            .to_owned()
    });
    let new = match old.find(&format!("## {title}\n")) {
        Some(start) => {
            let rest = &old[start + 3..];
            let end = rest.find("\n## ").map(|e| start + 3 + e + 1);
            let tail = end.map(|e| &old[e..]).unwrap_or("");
            format!("{}{section}\n{tail}", &old[..start])
        }
        None => format!("{old}{section}"),
    };
    std::fs::write(&path, new).unwrap();
    eprintln!("written to {}", path.display());
}

/// A seeded member, signed in: what a browser would hold.
#[derive(Clone)]
pub struct Member {
    pub email: String,
    pub cookie: String,
    pub csrf: String,
    pub organisation: i64,
}

pub const MEMBER_PASSWORD: &str = "Mot de passe du banc de charge, 2026 !";

/// A verified account for `email` with an open session, as a sign-in leaves it, made by
/// the application's own store functions (`hash`: its password's, computed once by the
/// caller, since hashing is what the sign-in scenario measures, not this): its id, the
/// session's cookie value and its CSRF token.
pub fn signed_in_account(
    conn: &mut concerto::store::DbConnection,
    email: &str,
    hash: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> diesel::QueryResult<(i64, String, String)> {
    use concerto::auth::tokens;
    use concerto::domain::accounts::{DisplayName, Email, PlatformRole};
    use concerto::i18n::Lang;
    use concerto::store::{sessions, users};
    let email = Email::parse(email).unwrap();
    let local = email.as_str().split('@').next().unwrap_or("membre");
    let name = DisplayName::parse(&format!("Membre {local}")).unwrap();
    let user = users::insert(
        conn,
        &users::NewUser {
            email: &email,
            display_name: &name,
            password_hash: hash,
            role: PlatformRole::None,
            language: Lang::Fr,
            verified: true,
        },
        now,
    )?;
    let (key, csrf) = (tokens::new_secret(), tokens::new_secret());
    sessions::insert(
        conn,
        &sessions::NewSession {
            key_hash: &tokens::hash(&key),
            user_id: user,
            csrf_token: &csrf,
            mfa_pending: false,
            ip: Some("127.0.0.1"),
            user_agent: Some("banc de charge"),
            created_at: now.naive_utc(),
            last_seen_at: now.naive_utc(),
            expires_at: (now + chrono::Duration::hours(12)).naive_utc(),
            second_factor: false,
        },
    )?;
    Ok((user, key, csrf))
}

/// One owner per seeded organisation, each with an open session.
pub fn seed_members(url: &str, organisations: usize) -> Vec<Member> {
    use chrono::Utc;
    use concerto::auth::passwords;
    use concerto::domain::accounts::Password;
    use concerto::domain::organisations::MemberRole;
    use concerto::store::organisations as orgs;

    let mut conn = connect(url);
    let hash = passwords::hash(&Password::parse(MEMBER_PASSWORD, &[]).unwrap()).unwrap();
    let now = Utc::now();
    let mut members = Vec::with_capacity(organisations);
    concerto::store::write_transaction(&mut conn, |conn| {
        for i in 0..organisations {
            let organisation = 1_000_000 + i as i64;
            let email = format!("membre{i}@asso.example");
            let (user, cookie, csrf) = signed_in_account(conn, &email, &hash, now)?;
            orgs::add_member(conn, organisation, user, MemberRole::Owner, now)?;
            members.push(Member {
                email,
                cookie,
                csrf,
                organisation,
            });
        }
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    // Those tables just grew from a few rows to thousands: their statistics are brought
    // up to date, as autovacuum would within a minute in service (with the seed's, a
    // response's answers were joined to every account by a hash join).
    if matches!(conn, concerto::store::DbConnection::Postgres(_)) {
        conn.batch_execute("ANALYZE users, memberships, sessions")
            .unwrap();
    }
    members
}
