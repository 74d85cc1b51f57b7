//! The `concerto` binary as operators use it.

use std::process::{Output, Stdio};
use std::time::Duration;

use diesel::prelude::*;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::{Backend, TestDb, repo_path};

fn concerto(db_url: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_concerto"));
    command
        .args(args)
        .env_clear()
        .env("CONCERTO_CONFIG_DIR", repo_path("config"))
        .env("CONCERTO_ENV", "test")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(url) = db_url {
        command.env("CONCERTO_DATABASE_URL", url);
    }
    command
}

async fn run(mut command: Command, stdin: &str) -> Output {
    let mut child = command.spawn().expect("concerto starts");
    let mut input = child.stdin.take().unwrap();
    // The command may refuse its arguments and exit before reading: a closed pipe is fine.
    let _ = input.write_all(stdin.as_bytes()).await;
    drop(input);
    tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("concerto ends")
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A start-up failure is one readable line and a non-zero exit, never a panic.
fn assert_one_line_failure(output: &Output, expected: &str) {
    let err = stderr(output);
    assert!(!output.status.success(), "should fail: {err}");
    assert_eq!(err.trim().lines().count(), 1, "one line expected: {err}");
    assert!(err.contains(expected), "expected « {expected} » in: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

fn stored_hash(url: &str, email: &str) -> Option<(String, String)> {
    use concerto::store::schema::users::dsl as u;
    let db_url = concerto::store::DatabaseUrl::parse(url).unwrap();
    let mut conn = concerto::store::establish(&db_url, Duration::from_secs(5)).unwrap();
    u::users
        .filter(u::email.eq(email))
        .select((u::password_hash, u::platform_role))
        .first(&mut conn)
        .optional()
        .unwrap()
}

/// The audit journal's events `action`: (target, details), oldest first.
fn audited(url: &str, action: &str) -> Vec<(Option<String>, String)> {
    use concerto::store::schema::audit_events::dsl as a;
    let db_url = concerto::store::DatabaseUrl::parse(url).unwrap();
    let mut conn = concerto::store::establish(&db_url, Duration::from_secs(5)).unwrap();
    a::audit_events
        .filter(a::action.eq(action))
        .order(a::id)
        .select((a::target, a::details))
        .load(&mut conn)
        .unwrap()
}

async fn users_add_and_migrate(backend: Backend) {
    let Some(db) = TestDb::fresh(backend) else {
        return;
    };

    let first = run(concerto(Some(&db.url), &["migrate"]), "").await;
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("migrations appliquées"),
        "{}",
        stdout(&first)
    );
    let second = run(concerto(Some(&db.url), &["migrate"]), "").await;
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("aucune migration en attente"),
        "{}",
        stdout(&second)
    );

    let add = |email: &str| {
        concerto(
            Some(&db.url),
            &[
                "users",
                "add",
                "--email",
                email,
                "--name",
                "Camille Martin",
                "--role",
                "coordinator",
            ],
        )
    };
    let short = run(add("camille@exemple.fr"), "trop court\n").await;
    assert_one_line_failure(&short, "au moins 12 caractères");
    assert_eq!(
        stored_hash(&db.url, "camille@exemple.fr"),
        None,
        "a refused password creates nothing"
    );

    let guessable = run(add("camille@exemple.fr"), "camillemartin1\n").await;
    assert_one_line_failure(&guessable, "trop facile à deviner");

    let ok = run(add("Camille@Exemple.FR"), "girafe violette sous la pluie\n").await;
    // Once seen failing with an empty stderr under a loaded cold CI run: show everything.
    assert!(
        ok.status.success(),
        "{:?}\nstdout: {}\nstderr: {}",
        ok.status,
        stdout(&ok),
        stderr(&ok)
    );
    let (hash, role) =
        stored_hash(&db.url, "camille@exemple.fr").expect("stored with a lower-cased email");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains("girafe"));
    assert_eq!(role, "coordinator");
    assert!(concerto::auth::passwords::verify(
        "girafe violette sous la pluie",
        &hash
    ));

    let again = run(
        add("camille@exemple.fr"),
        "une autre phrase de passe longue\n",
    )
    .await;
    assert_one_line_failure(&again, "existe déjà");
    // The one account created is in the audit journal, as made on the command line.
    let created = audited(&db.url, "account_created");
    assert_eq!(created.len(), 1, "{created:?}");
    assert!(
        created[0]
            .0
            .as_deref()
            .is_some_and(|t| t.starts_with("user:"))
    );
    assert!(created[0].1.contains("command_line") && created[0].1.contains("coordinator"));

    let bad_email = run(add("pas-une-adresse"), "girafe violette sous la pluie\n").await;
    assert_one_line_failure(&bad_email, "--email");
}

crate::each_backend!(users_add_and_migrate);

#[tokio::test]
async fn start_up_failures_are_one_clear_line() {
    let unsupported = run(
        concerto(Some("mysql://root@localhost/concerto"), &["migrate"]),
        "",
    )
    .await;
    assert_one_line_failure(&unsupported, "schéma « mysql » non pris en charge");
    assert!(
        stderr(&unsupported).contains("sqlite://") && stderr(&unsupported).contains("postgres://")
    );

    // Nothing listens on port 1: unreachable, said as such, quickly.
    let started = std::time::Instant::now();
    let unreachable = run(
        concerto(
            Some("postgres://postgres:hunter2hunter2@127.0.0.1:1/concerto"),
            &["serve"],
        ),
        "",
    )
    .await;
    assert_one_line_failure(&unreachable, "base de données injoignable");
    assert!(
        !stderr(&unreachable).contains("hunter2hunter2"),
        "the password is never shown"
    );
    assert!(started.elapsed() < Duration::from_secs(30));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("default.toml"), "bind = [\"oups\"\n").unwrap();
    let mut command = concerto(Some("sqlite://ignored.db"), &["migrate"]);
    command.env("CONCERTO_CONFIG_DIR", dir.path());
    let malformed = run(command, "").await;
    assert_one_line_failure(&malformed, "mal formé");
    assert!(stderr(&malformed).contains("default.toml"));

    let mut command = concerto(None, &["migrate"]);
    command.env("CONCERTO_ENV", "staging");
    assert_one_line_failure(&run(command, "").await, "CONCERTO_ENV « staging » inconnu");
}

#[tokio::test]
async fn production_refuses_unsafe_settings() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("prod.db").display());
    let production = |secret: Option<&str>, base: &str, allow_http: bool| {
        let mut command = concerto(Some(&url), &["migrate"]);
        command
            .env("CONCERTO_ENV", "production")
            .env("CONCERTO_BASE_URL", base);
        if let Some(secret) = secret {
            command.env("CONCERTO_SECRET_KEY", secret);
        }
        if allow_http {
            command.env("CONCERTO_ALLOW_HTTP_BASE_URL", "true");
        }
        command
    };
    let secret = "k7Qm2VxP9sLw4Rt8Yn3Bc6Hd1Jf5Gz0A";
    assert_one_line_failure(
        &run(production(None, "https://concerto.example", false), "").await,
        "CONCERTO_SECRET_KEY est obligatoire",
    );
    assert_one_line_failure(
        &run(
            production(Some("court"), "https://concerto.example", false),
            "",
        )
        .await,
        "trop courte",
    );
    let http = run(
        production(Some(secret), "http://concerto.example", false),
        "",
    )
    .await;
    assert_one_line_failure(&http, "https://");
    assert!(!stderr(&http).contains(secret), "the secret is never shown");
    let allowed = run(
        production(Some(secret), "http://concerto.example", true),
        "",
    )
    .await;
    assert!(allowed.status.success(), "{}", stderr(&allowed));
    let fine = run(
        production(Some(secret), "https://concerto.example", false),
        "",
    )
    .await;
    assert!(fine.status.success(), "{}", stderr(&fine));
}

/// Starts `concerto` (development, default database path) in `dir`; returns the child,
/// its address and what it printed before listening.
async fn start_in(dir: &std::path::Path, env: &str) -> (Child, String, Vec<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_concerto"));
    command
        .current_dir(dir)
        .env_clear()
        .env("CONCERTO_CONFIG_DIR", repo_path("config"))
        .env("CONCERTO_ENV", env)
        .env("CONCERTO_BIND", "127.0.0.1:0")
        .env("CONCERTO_WORKERS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(address) = line.strip_prefix("Concerto écoute sur ") {
                return address.to_owned();
            }
            printed.push(line);
        }
        panic!("concerto stopped before listening: {printed:?}");
    })
    .await
    .expect("concerto listens");
    (child, address, printed)
}

/// SIGTERM: the server stops gracefully and exits successfully.
async fn stop(mut child: Child) -> String {
    let pid = child.id().unwrap().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let output = tokio::time::timeout(Duration::from_secs(20), async {
        let mut err = String::new();
        tokio::io::AsyncReadExt::read_to_string(child.stderr.as_mut().unwrap(), &mut err)
            .await
            .unwrap();
        (child.wait().await.unwrap(), err)
    })
    .await
    .expect("concerto stops after SIGTERM");
    assert!(
        output.0.success(),
        "exit after SIGTERM: {:?}\n{}",
        output.0,
        output.1
    );
    output.1
}

#[tokio::test]
async fn first_run_seeds_once_and_serves_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let (child, address, printed) = start_in(dir.path(), "development").await;
    assert!(
        dir.path().join("data/concerto.db").is_file(),
        "the default SQLite database is created"
    );
    let password_line = printed
        .iter()
        .find(|l| l.starts_with("Mot de passe"))
        .expect("password printed once");
    let password = password_line.rsplit(' ').next().unwrap().to_owned();
    assert_eq!(password.len(), 20);

    let client = crate::helpers::client();
    let rounds: serde_json::Value =
        crate::helpers::json(client.get(format!("{address}/api/v1/rounds"))).await;
    assert_eq!(rounds["rounds"].as_array().unwrap().len(), 1);
    assert_eq!(rounds["rounds"][0]["chapters"].as_array().unwrap().len(), 4);
    let home = crate::helpers::text(client.get(format!("{address}/?jeton=SECRET-DANS-URL"))).await;
    assert!(home.contains("Consultations ouvertes") && home.contains("ia-en-sante"));
    let logs = stop(child).await;
    assert!(logs.contains("request done"), "requests are logged: {logs}");
    assert!(
        !logs.contains("SECRET-DANS-URL"),
        "query strings are never logged"
    );
    assert!(!logs.contains(&password), "the password is never logged");

    // Second start: same data, nothing seeded, no new password.
    let (child, address, printed) = start_in(dir.path(), "development").await;
    assert!(
        printed
            .iter()
            .all(|l| !l.contains("Mot de passe") && !l.contains("créé")),
        "{printed:?}"
    );
    let rounds: serde_json::Value =
        crate::helpers::json(client.get(format!("{address}/api/v1/rounds"))).await;
    assert_eq!(rounds["rounds"].as_array().unwrap().len(), 1);
    stop(child).await;
}

#[tokio::test]
async fn test_and_production_environments_never_seed() {
    let dir = tempfile::tempdir().unwrap();
    let (child, address, printed) = start_in(dir.path(), "test").await;
    assert!(printed.is_empty(), "{printed:?}");
    let rounds: serde_json::Value =
        crate::helpers::json(crate::helpers::client().get(format!("{address}/api/v1/rounds")))
            .await;
    assert_eq!(rounds["rounds"].as_array().unwrap().len(), 0);
    stop(child).await;

    // `concerto demo` seeds on demand, once.
    let url = format!("sqlite://{}", dir.path().join("data/concerto.db").display());
    let first = run(concerto(Some(&url), &["demo"]), "").await;
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("Consultation de démonstration créée"));
    let second = run(concerto(Some(&url), &["demo"]), "").await;
    assert!(
        stdout(&second).contains("déjà présentes"),
        "{}",
        stdout(&second)
    );
}

#[tokio::test]
async fn export_writes_a_complete_file_or_fails_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("concerto.db").display());
    assert!(
        run(concerto(Some(&url), &["demo"]), "")
            .await
            .status
            .success()
    );
    let to_stdout = run(
        concerto(
            Some(&url),
            &["export", "--round", "ia-en-sante", "--dialect", "excel-fr"],
        ),
        "",
    )
    .await;
    assert!(to_stdout.status.success(), "{}", stderr(&to_stdout));
    // No response submitted yet: the header alone, in the French Excel dialect.
    assert!(stdout(&to_stdout).starts_with("\u{feff}\"Consultation\";\"Chapitre\";"));
    assert_eq!(stdout(&to_stdout).lines().count(), 1);

    let file = dir.path().join("export.csv");
    let to_file = run(
        concerto(
            Some(&url),
            &[
                "export",
                "--round",
                "ia-en-sante",
                "--include",
                "all",
                "--output",
                file.to_str().unwrap(),
            ],
        ),
        "",
    )
    .await;
    assert!(to_file.status.success(), "{}", stderr(&to_file));
    assert!(stderr(&to_file).contains("0 ligne exportée"));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("\"round\",\"chapter_code\",")
    );

    // The workbook is a real XLSX file (a zip), the document Markdown with its chapters.
    let workbook = dir.path().join("export.xlsx");
    let xlsx = run(
        concerto(
            Some(&url),
            &[
                "export",
                "--round",
                "ia-en-sante",
                "--format",
                "xlsx",
                "--output",
                workbook.to_str().unwrap(),
            ],
        ),
        "",
    )
    .await;
    assert!(xlsx.status.success(), "{}", stderr(&xlsx));
    assert!(std::fs::read(&workbook).unwrap().starts_with(b"PK"));
    let markdown = run(
        concerto(
            Some(&url),
            &[
                "export",
                "--round",
                "ia-en-sante",
                "--format",
                "document",
                "--as",
                "markdown",
            ],
        ),
        "",
    )
    .await;
    assert!(markdown.status.success(), "{}", stderr(&markdown));
    assert!(stdout(&markdown).starts_with("# Contribution consolidée : "));
    assert_eq!(stdout(&markdown).matches("\n## ").count(), 4);
    let misplaced = run(
        concerto(
            Some(&url),
            &["export", "--round", "ia-en-sante", "--as", "markdown"],
        ),
        "",
    )
    .await;
    assert_one_line_failure(&misplaced, "--as ne s'applique qu'au format document");

    let unknown = run(concerto(Some(&url), &["export", "--round", "inconnue"]), "").await;
    assert_one_line_failure(&unknown, "aucune consultation « inconnue »");
    // Each export of the demo round is in the audit journal, as the API's are.
    let exported = audited(&url, "export");
    assert_eq!(exported.len(), 4, "{exported:?}");
    assert!(exported.iter().all(|(target, details)| {
        target.as_deref() == Some("round:ia-en-sante") && details.contains("command_line")
    }));
    assert!(exported[1].1.contains("\"all\""), "{exported:?}");
    let nowhere = dir.path().join("absent/export.csv");
    let unwritable = run(
        concerto(
            Some(&url),
            &[
                "export",
                "--round",
                "ia-en-sante",
                "--output",
                nowhere.to_str().unwrap(),
            ],
        ),
        "",
    )
    .await;
    assert_one_line_failure(&unwritable, "écriture impossible");
    assert!(!nowhere.exists());
    let format = run(
        concerto(
            Some(&url),
            &["export", "--round", "ia-en-sante", "--format", "pdf"],
        ),
        "",
    )
    .await;
    assert!(!format.status.success());
    assert!(stderr(&format).contains("pdf"), "{}", stderr(&format));
}

/// `concerto backup` and `concerto restore` as an operator runs them: one line saying what
/// was copied, or one line saying why not.
#[tokio::test]
async fn backup_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("concerto.db").display());
    assert!(
        run(concerto(Some(&url), &["demo"]), "")
            .await
            .status
            .success()
    );
    let copy = dir.path().join("sauvegarde.db");
    let copy_arg = copy.to_str().unwrap();
    let saved = run(concerto(Some(&url), &["backup", "--output", copy_arg]), "").await;
    assert!(saved.status.success(), "{}", stderr(&saved));
    assert!(
        stdout(&saved).contains("Sauvegarde écrite dans"),
        "{}",
        stdout(&saved)
    );
    assert!(
        stdout(&saved)
            .contains(" : 1 compte, 0 réponse d'organisation, 0 réponse aux questions ; "),
        "{}",
        stdout(&saved)
    );
    let twice = run(concerto(Some(&url), &["backup", "--output", copy_arg]), "").await;
    assert_one_line_failure(&twice, "existe déjà");

    let elsewhere = format!(
        "sqlite://{}",
        dir.path().join("ailleurs/concerto.db").display()
    );
    let restored = run(
        concerto(Some(&elsewhere), &["restore", "--input", copy_arg]),
        "",
    )
    .await;
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(stdout(&restored).contains("Sauvegarde restaurée"));
    let over = run(
        concerto(Some(&elsewhere), &["restore", "--input", copy_arg]),
        "",
    )
    .await;
    assert_one_line_failure(&over, "--replace");
    let replaced = run(
        concerto(
            Some(&elsewhere),
            &["restore", "--input", copy_arg, "--replace"],
        ),
        "",
    )
    .await;
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    // The restored installation serves the demo round's exports.
    let exported = run(
        concerto(Some(&elsewhere), &["export", "--round", "ia-en-sante"]),
        "",
    )
    .await;
    assert!(exported.status.success(), "{}", stderr(&exported));

    let postgres = "postgres://concerto@127.0.0.1:1/concerto";
    let refused = run(
        concerto(
            Some(postgres),
            &[
                "backup",
                "--output",
                dir.path().join("pg.db").to_str().unwrap(),
            ],
        ),
        "",
    )
    .await;
    assert_one_line_failure(&refused, "pg_dump");
    let missing = run(
        concerto(
            Some(&elsewhere),
            &["restore", "--input", "/nulle/part.db", "--replace"],
        ),
        "",
    )
    .await;
    assert_one_line_failure(&missing, "introuvable");
}
