//! The test harness: the real application on port 0, each test with a fresh database
//! on SQLite or PostgreSQL.

use std::path::PathBuf;

use concerto::config::{Environment, Secret, Settings};
use concerto::startup::Application;
use concerto::state::AppState;
use diesel::{Connection, PgConnection, RunQueryDsl};
use rand::Rng;

use crate::mailbox::Mailbox;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A file of the checkout the tests run in, as cargo says when it runs them (checkouts
/// sharing a target directory share the test binary, built in whichever came first).
pub fn repo_path(relative: &str) -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join(relative)
}

pub fn postgres_admin_url() -> String {
    std::env::var("CONCERTO_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn postgres_required() -> bool {
    std::env::var("CONCERTO_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// A database of its own for one test, removed afterwards.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
    /// The application's data directory (attached files, uploads), one per test.
    pub data: tempfile::TempDir,
}

impl TestDb {
    /// A fresh, empty database; `None` when PostgreSQL is not reachable and not required.
    pub fn fresh(backend: Backend) -> Option<Self> {
        // Before libpq's first use, as the application does (see `store::establish`).
        openssl_sys::init();
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("concerto.db").display());
                Some(Self {
                    url,
                    _dir: Some(dir),
                    pg_name: None,
                    data: tempfile::tempdir().expect("temporary directory"),
                })
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let mut conn = match PgConnection::establish(&format!("{admin}?connect_timeout=3"))
                {
                    Ok(conn) => conn,
                    Err(e) if postgres_required() => {
                        panic!("PostgreSQL is required but unreachable: {e}")
                    }
                    Err(e) => {
                        eprintln!(
                            "skipping the PostgreSQL variant: {e} (set CONCERTO_TEST_REQUIRE_POSTGRES=1 to fail)"
                        );
                        return None;
                    }
                };
                let suffix: u64 = rand::rng().random();
                let name = format!("concerto_test_{suffix:016x}");
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut conn)
                    .expect("create database");
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                Some(Self {
                    url: format!("{base}/{name}"),
                    _dir: None,
                    pg_name: Some(name),
                    data: tempfile::tempdir().expect("temporary directory"),
                })
            }
        }
    }

    /// Drops a PostgreSQL database now, connections and all (to test outages).
    pub fn drop_now(&self) {
        if let Some(name) = &self.pg_name {
            let mut conn =
                PgConnection::establish(&postgres_admin_url()).expect("admin connection");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut conn)
                .expect("drop database");
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.pg_name.is_some() {
            self.drop_now();
        }
    }
}

/// The settings of the `test` environment, pointed at `db`, on a free port.
pub fn test_settings(db: &TestDb) -> Settings {
    let mut settings =
        Settings::load_from(Environment::Test, &repo_path("config"), false).expect("test settings");
    settings.database_url = Secret::from(db.url.clone());
    settings.data_dir = db.data.path().to_owned();
    settings.bind = "127.0.0.1:0".into();
    settings
}

pub struct TestApp {
    pub background: concerto::background::Background,
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub mailbox: Mailbox,
    pub db: TestDb,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    TestApp::builder(backend).start().await
}

/// How a test's application starts, when it needs more than `spawn_app`:
/// `TestApp::builder(backend).clock(clock).settings(|s| …).start()`.
pub struct TestAppBuilder<'a> {
    backend: Backend,
    clock: concerto::clock::Clock,
    adjust: Box<dyn FnOnce(&mut Settings) + 'a>,
}

impl TestApp {
    pub fn builder<'a>(backend: Backend) -> TestAppBuilder<'a> {
        TestAppBuilder {
            backend,
            clock: concerto::clock::Clock::system(),
            adjust: Box::new(|_| {}),
        }
    }
}

impl<'a> TestAppBuilder<'a> {
    /// A clock the test moves by hand.
    pub fn clock(mut self, clock: concerto::clock::Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Adjusted settings (after the test defaults; several adjustments apply in order).
    pub fn settings(mut self, adjust: impl FnOnce(&mut Settings) + 'a) -> Self {
        let before = self.adjust;
        self.adjust = Box::new(move |settings| {
            before(settings);
            adjust(settings);
        });
        self
    }

    /// The real application on a fresh database; `None` when the backend is not there
    /// (and not required).
    pub async fn start(self) -> Option<TestApp> {
        let db = TestDb::fresh(self.backend)?;
        Some(start_on(db, self.adjust, self.clock).await)
    }
}

/// Starts the application on a database of the test's.
async fn start_on(
    db: TestDb,
    adjust: impl FnOnce(&mut Settings),
    clock: concerto::clock::Clock,
) -> TestApp {
    let mailbox = Mailbox::start();
    let mut settings = test_settings(&db);
    settings.smtp_url = Some(Secret::from(mailbox.url()));
    // Links and the same-origin check use the base URL: make it this server's address.
    // The listener stays bound and goes to the application: a port freed here and bound
    // again later could be taken meanwhile (any outgoing connection may get it).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    settings.bind = format!("127.0.0.1:{port}");
    settings.base_url = format!("http://127.0.0.1:{port}");
    adjust(&mut settings);
    let listener = (settings.bind == format!("127.0.0.1:{port}")).then_some(listener);
    let app = Application::build_on(settings, clock, listener)
        .await
        .expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let background = app.background();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        background,
        address,
        client: client(),
        state,
        mailbox,
        db,
    }
}

/// The worker stops before the test database is dropped, so it never waits on a
/// database that is gone.
impl Drop for TestApp {
    fn drop(&mut self) {
        self.background.stop();
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Ends every session of an account server-side, as an expiry would.
    pub async fn end_sessions(&self, email: &'static str) {
        self.with_db(move |conn| {
            use concerto::store::schema::{sessions::dsl as s, users::dsl as u};
            use diesel::prelude::*;
            let id: i64 = u::users
                .filter(u::email.eq(email))
                .select(u::id)
                .first(conn)
                .unwrap();
            diesel::delete(s::sessions.filter(s::user_id.eq(id)))
                .execute(conn)
                .unwrap();
        })
        .await;
    }

    /// The status of `GET /api/v1/me` for this client: 200 signed in, 401 not.
    pub async fn me_status(&self, client: &reqwest::Client) -> u16 {
        client
            .get(self.url("/api/v1/me"))
            .send()
            .await
            .expect("request sent")
            .status()
            .as_u16()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// Seeds the demo round (and its coordinator) as `concerto demo` does.
    pub async fn seed_demo(&self) {
        let settings = self.state.settings.clone();
        self.state
            .db
            .run(move |conn| concerto::seed::seed_demo(conn, &settings))
            .await
            .expect("demo seeded");
    }

    /// Runs database work directly, to arrange a test or inspect what was stored.
    /// Its writes bypass the store, which tells the session cache what changed: the cache
    /// is emptied afterwards, as an operator editing the database would restart the
    /// service (on PostgreSQL the triggers would tell it, within a few milliseconds).
    pub async fn with_db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut concerto::store::DbConnection) -> T + Send + 'static,
    ) -> T {
        let outcome = self
            .state
            .db
            .run(move |conn| Ok::<_, concerto::store::DbError>(work(conn)))
            .await
            .expect("database work");
        self.state.db.sessions.clear();
        outcome
    }

    /// A second instance of the service on this test's database (the database stays
    /// this app's to remove). Its background loops are stopped: the emails all go through
    /// the first instance's, to the first instance's mailbox.
    pub async fn twin(&self) -> TestApp {
        let db = TestDb {
            url: self.db.url.clone(),
            _dir: None,
            pg_name: None,
            data: tempfile::tempdir().expect("temporary directory"),
        };
        // The files too are shared, as several instances share their store.
        let data = self.db.data.path().to_owned();
        let twin = start_on(
            db,
            move |s| s.data_dir = data,
            concerto::clock::Clock::system(),
        )
        .await;
        twin.background.stop();
        twin
    }

    /// Every kind of event in this test's journal reads in words, in French and in
    /// English (the journal page shows a code for an action without them). Returns how
    /// many kinds there were.
    pub async fn journal_reads_in_words(&self) -> usize {
        let actions = self
            .with_db(|conn| {
                use concerto::store::schema::audit_events::dsl as e;
                use diesel::prelude::*;
                e::audit_events
                    .select(e::action)
                    .distinct()
                    .load::<String>(conn)
            })
            .await
            .unwrap();
        for lang in [concerto::i18n::Lang::Fr, concerto::i18n::Lang::En] {
            let t = concerto::i18n::Tr::new(lang);
            let unnamed: Vec<_> = actions
                .iter()
                .filter(|a| t.try_get(&format!("audit-action-{a}")).is_none())
                .collect();
            assert!(unnamed.is_empty(), "{lang:?}: no words for {unnamed:?}");
        }
        actions.len()
    }

    /// Waits until the session cache is in use (on PostgreSQL, once its listener is up).
    pub async fn wait_for_session_cache(&self) {
        for _ in 0..100 {
            if self.state.db.sessions.in_use() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the session cache is not in use after 5 s");
    }
}

/// Declares each listed `async fn name(app: TestApp)` as two tests, `name::sqlite` and
/// `name::postgres`, each on a fresh database.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::helpers::{Backend, spawn_app};

            #[tokio::test]
            async fn sqlite() {
                if let Some(app) = spawn_app(Backend::Sqlite).await {
                    super::$name(app).await;
                }
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(app) = spawn_app(Backend::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

/// Declares each listed `async fn name(backend: Backend)` (a test that starts its own
/// application: on a clock it moves, with settings of its own, or none at all) as two
/// tests, `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! each_backend {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::helpers::Backend;

            #[tokio::test]
            async fn sqlite() {
                super::$name(Backend::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$name(Backend::Postgres).await;
            }
        }
    )*};
}

/// Sends a request and reads its body as JSON.
pub async fn json(request: reqwest::RequestBuilder) -> serde_json::Value {
    request
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("JSON body")
}

/// Sends a request and reads its body as text.
pub async fn text(request: reqwest::RequestBuilder) -> String {
    request
        .send()
        .await
        .expect("request sent")
        .text()
        .await
        .expect("text body")
}

/// Asserts an `application/problem+json` response and returns its body.
/// The fields a problem's `errors` name, in its order.
pub fn problem_fields(problem: &serde_json::Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .expect("a problem with errors")
        .iter()
        .map(|e| {
            e["field"]
                .as_str()
                .expect("each error names its field")
                .to_owned()
        })
        .collect()
}

pub async fn problem(response: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(
        response.status().as_u16(),
        status,
        "unexpected status for {}",
        response.url()
    );
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content type {content_type}"
    );
    let body: serde_json::Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status);
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["errors"].is_array());
    body
}
