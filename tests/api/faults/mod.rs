//! Deadline day's faults, each against real processes on loopback: an instance killed
//! (`instance_killed`), PostgreSQL restarted (`database_restarted`), the mail server
//! down (`mail_down`), an instance told to stop (`terminated`). Each drives the same
//! rush: organisations save a long answer again and again, answer the required
//! question, then submit, the way the pages do (a refused save goes on from the
//! version the refusal names, a 503 waits as `Retry-After` says). Then it checks what
//! the issue asks: every acknowledged write is in the database with its version, every
//! acknowledged submission stored, every receipt delivered exactly once, no 5xx but a
//! 503.
//!
//! Short by default (the suite); `CONCERTO_FAULTS_SCALE=full` makes each rush larger
//! and `CONCERTO_FAULTS_REPORT=FILE` appends each scenario's figures to FILE
//! (`scripts/bench-faults`).

mod database_restarted;
mod instance_killed;
mod mail_down;
mod terminated;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cluster::{cluster_with, free_ports};
use crate::fixtures::{Who, approve_new_organisation, coordinator_2fa, organisation, send};
use crate::helpers::TestApp;
use crate::load_smoke::bench;
use crate::mailbox::Mailbox;

/// The round every scenario's rush answers.
pub const SLUG: &str = "essai";

/// How large a rush is.
#[derive(Clone, Copy)]
pub struct Scale {
    pub organisations: usize,
    /// Saves of the long answer by each organisation before it submits.
    pub saves: usize,
}

impl Scale {
    /// Each client as fast as it is answered.
    pub fn flat_out(self) -> Pace {
        Pace {
            saves: self.saves,
            between: Duration::ZERO,
        }
    }
}

pub fn scale() -> Scale {
    if std::env::var("CONCERTO_FAULTS_SCALE").is_ok_and(|s| s == "full") {
        Scale {
            organisations: 40,
            saves: 60,
        }
    } else {
        Scale {
            organisations: 6,
            saves: 30,
        }
    }
}

/// One organisation of the rush: its id, and its owner (signed in) and address.
pub struct Respondent {
    pub org: i64,
    pub owner: Who,
    pub email: String,
}

/// A coordinator opens the round and `count` organisations are approved, their owners
/// signed in (through `app`, whose sessions every instance on its database knows). The
/// owners' accounts and sessions are written by the store, as the load benchmark's are:
/// forty registrations through the API would wait for the registration throttle.
pub async fn open_round_for(app: &TestApp, count: usize) -> Vec<Respondent> {
    use concerto::domain::accounts::Password;
    let coordinator = coordinator_2fa(app, "coord@exemple.fr").await;
    crate::round_admin::built_round(app, &coordinator, SLUG, chrono::Duration::days(30)).await;
    let opened = send(
        app,
        &coordinator,
        "POST",
        &format!("/api/v1/rounds/{SLUG}/open"),
        None,
    )
    .await;
    assert_eq!(opened.status(), 200);
    let password = Password::parse(bench::MEMBER_PASSWORD, &[]).unwrap();
    let hash = concerto::auth::passwords::hash(&password).unwrap();
    let emails: Vec<String> = (0..count)
        .map(|i| format!("urgence{i}@exemple.fr"))
        .collect();
    let accounts = {
        let emails = emails.clone();
        app.with_db(move |conn| {
            let now = chrono::Utc::now();
            emails
                .iter()
                .map(|email| bench::signed_in_account(conn, email, &hash, now).unwrap())
                .collect::<Vec<_>>()
        })
        .await
    };
    let mut respondents = Vec::new();
    for (i, (email, (_, key, csrf))) in emails.into_iter().zip(accounts).enumerate() {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        jar.add_cookie_str(
            &format!("concerto={key}; Path=/"),
            &app.address.parse().unwrap(),
        );
        let client = reqwest::Client::builder()
            .cookie_provider(jar)
            .build()
            .unwrap();
        let owner = (client, csrf);
        let fields = organisation(&format!("W9{i:08}"));
        let org = approve_new_organisation(app, &coordinator, &owner, fields).await;
        respondents.push(Respondent { org, owner, email });
    }
    respondents
}

/// What one organisation's client saw.
#[derive(Default)]
pub struct Seen {
    /// Acknowledged saves: (question, version, value).
    pub acknowledged: Vec<(&'static str, i64, String)>,
    /// The submission was acknowledged (or found done when sent again).
    pub submitted: bool,
    /// Every request: when it was answered, its status (0: no answer at all), and how
    /// long it took.
    pub log: Vec<(Instant, u16, Duration)>,
    /// 503s without a `Retry-After`.
    pub unavailable_without_retry_after: usize,
    /// The longest wait for an answer.
    pub slowest: Duration,
}

impl Seen {
    fn note(&mut self, sent: Instant, status: u16) {
        self.log.push((Instant::now(), status, sent.elapsed()));
        self.slowest = self.slowest.max(sent.elapsed());
    }
}

/// How one request ended, for the rush's next step.
enum Outcome {
    Done(Value),
    Conflict(Value),
    /// Not done: wait this long and send it again.
    Again(Duration),
}

async fn attempt(seen: &mut Seen, request: reqwest::RequestBuilder) -> Outcome {
    let sent = Instant::now();
    let Ok(response) = request.send().await else {
        seen.note(sent, 0);
        return Outcome::Again(Duration::from_millis(50));
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let body: Value = response.json().await.unwrap_or(Value::Null);
    seen.note(sent, status);
    match status {
        200 => Outcome::Done(body),
        409 => Outcome::Conflict(body),
        503 => {
            if retry_after.is_none() {
                seen.unavailable_without_retry_after += 1;
            }
            // The pages retry sooner than the header says: the test has no time to lose,
            // and the header's presence is what is checked.
            Outcome::Again(Duration::from_millis(100))
        }
        _ => Outcome::Again(Duration::from_millis(50)),
    }
}

/// How one organisation's client goes.
#[derive(Clone, Copy)]
pub struct Pace {
    /// Saves of its long answer before it submits.
    pub saves: usize,
    /// Between two saves (an autosave's cadence; none: as fast as answered).
    pub between: Duration,
}

/// The rush of one organisation through `base`: `pace.saves` saves of its long answer,
/// the required answer, then the submission. `progress` counts requests, answered or
/// not.
pub async fn rush_one(
    base: &str,
    respondent: &Respondent,
    pace: Pace,
    progress: &std::sync::atomic::AtomicUsize,
) -> Seen {
    use std::sync::atomic::Ordering::SeqCst;
    let (client, csrf) = &respondent.owner;
    let response = format!("{base}/api/v1/rounds/{SLUG}/responses/{}", respondent.org);
    let mut seen = Seen::default();
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut plan: Vec<(&'static str, String)> = (0..pace.saves)
        .map(|i| ("E1.Q2", format!("Témoignage {} n° {i}", respondent.org)))
        .collect();
    plan.push(("E1.Q1", "Oui, clairement.".to_owned()));
    let mut versions: BTreeMap<&str, i64> = BTreeMap::new();
    for (code, value) in plan {
        while Instant::now() < deadline {
            let version = versions.get(code).copied().unwrap_or(0);
            let put = client
                .put(format!("{response}/answers/{code}"))
                .header("x-csrf-token", csrf)
                .json(&json!({"value": value, "version": version}));
            let outcome = attempt(&mut seen, put).await;
            progress.fetch_add(1, SeqCst);
            match outcome {
                Outcome::Done(body) => {
                    let version = body["version"].as_i64().unwrap();
                    versions.insert(code, version);
                    seen.acknowledged.push((code, version, value));
                    tokio::time::sleep(pace.between).await;
                    break;
                }
                // A save cut after it landed: go on from the version it made.
                Outcome::Conflict(problem) => {
                    let current = problem["conflicts"][0]["current_version"].as_i64();
                    versions.insert(code, current.expect("a version conflict"));
                }
                Outcome::Again(wait) => tokio::time::sleep(wait).await,
            }
        }
    }
    while Instant::now() < deadline && !seen.submitted {
        let submit = client
            .post(format!("{response}/submit"))
            .header("x-csrf-token", csrf)
            .json(&json!({"publication_consent": "attributed"}));
        let outcome = attempt(&mut seen, submit).await;
        progress.fetch_add(1, SeqCst);
        match outcome {
            Outcome::Done(body) => {
                assert_eq!(body["status"], "submitted");
                seen.submitted = true;
            }
            // Sent again after a cut: the first one landed; it is not done twice.
            Outcome::Conflict(problem) => {
                assert_eq!(problem["code"], "conflict", "{problem}");
                seen.submitted = true;
            }
            Outcome::Again(wait) => tokio::time::sleep(wait).await,
        }
    }
    seen
}

/// Every organisation's rush through `base` at once.
pub async fn rush(
    base: &str,
    respondents: &[Respondent],
    pace: Pace,
    progress: &std::sync::atomic::AtomicUsize,
) -> Vec<Seen> {
    futures_util::future::join_all(
        respondents
            .iter()
            .map(|r| rush_one(base, r, pace, progress)),
    )
    .await
}

/// The acknowledged saves missing from the database (question, version and value).
pub async fn lost_writes(app: &TestApp, respondents: &[Respondent], seen: &[Seen]) -> Vec<String> {
    use concerto::store::schema::{answer_history, answers, questions, responses};
    use diesel::prelude::*;
    let expected: Vec<(i64, &'static str, i64, String)> = respondents
        .iter()
        .zip(seen)
        .flat_map(|(r, s)| {
            s.acknowledged
                .iter()
                .map(|(code, version, value)| (r.org, *code, *version, value.clone()))
        })
        .collect();
    app.with_db(move |conn| {
        let stored: std::collections::HashSet<(i64, String, i64, String)> = answer_history::table
            .inner_join(
                answers::table
                    .inner_join(questions::table)
                    .inner_join(responses::table),
            )
            .select((
                responses::organisation_id,
                questions::code,
                answer_history::version,
                answer_history::value,
            ))
            .load::<(i64, String, i32, Option<String>)>(conn)
            .unwrap()
            .into_iter()
            .map(|(org, code, version, value)| {
                (org, code, i64::from(version), value.unwrap_or_default())
            })
            .collect();
        expected
            .into_iter()
            .filter(|(org, code, version, value)| {
                !stored.contains(&(*org, (*code).to_owned(), *version, json!(value).to_string()))
            })
            .map(|(org, code, version, value)| format!("{org} {code} v{version} {value}"))
            .collect()
    })
    .await
}

/// The organisations whose submission was acknowledged but which are not submitted,
/// and those submitted though no client heard it.
pub async fn submissions_astray(
    app: &TestApp,
    respondents: &[Respondent],
    seen: &[Seen],
) -> Vec<String> {
    use concerto::store::schema::responses;
    use diesel::prelude::*;
    let submitted: std::collections::HashSet<i64> = app
        .with_db(|conn| {
            responses::table
                .filter(responses::status.eq("submitted"))
                .select(responses::organisation_id)
                .load::<i64>(conn)
                .unwrap()
                .into_iter()
                .collect()
        })
        .await;
    respondents
        .iter()
        .zip(seen)
        .filter(|(r, s)| s.submitted != submitted.contains(&r.org))
        .map(|(r, s)| format!("{}: acknowledged {}", r.org, s.submitted))
        .collect()
}

/// Waits (up to `patience`) for one receipt per submitted organisation, then a little
/// longer for any second one: (organisations without a receipt, receipts too many).
pub async fn receipts(
    mailbox: &Mailbox,
    respondents: &[Respondent],
    seen: &[Seen],
    patience: Duration,
) -> (usize, usize) {
    let count = |email: &str| {
        mailbox
            .for_recipient(email)
            .into_iter()
            .filter(|m| m.subject.starts_with("Accusé de réception"))
            .count()
    };
    let expected: Vec<&str> = respondents
        .iter()
        .zip(seen)
        .filter(|(_, s)| s.submitted)
        .map(|(r, _)| r.email.as_str())
        .collect();
    let until = Instant::now() + patience;
    while Instant::now() < until && expected.iter().any(|e| count(e) == 0) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let missing = expected.iter().filter(|e| count(e) == 0).count();
    let extra = respondents
        .iter()
        .map(|r| count(&r.email).saturating_sub(1))
        .sum();
    (missing, extra)
}

/// A scenario's figures, as `docs/benchmarks.md` gives them.
#[derive(Default)]
pub struct Figures {
    pub scenario: &'static str,
    pub requests: usize,
    pub acknowledged: usize,
    pub lost: usize,
    pub submissions: usize,
    pub duplicate_emails: usize,
    pub unavailable: usize,
    /// Requests cut by a death: no answer at all, or the proxy's 502 (the service
    /// itself never answers 502).
    pub cut: usize,
    /// 5xx other than 503 and the proxy's 502: must stay 0.
    pub other_5xx: usize,
    pub slowest: Duration,
    /// From the fault's end to the first acknowledged write after it.
    pub recovery: Option<Duration>,
}

impl Figures {
    pub fn of(scenario: &'static str, seen: &[Seen]) -> Self {
        let statuses = || {
            seen.iter()
                .flat_map(|s| s.log.iter().map(|(_, status, _)| *status))
        };
        Self {
            scenario,
            requests: seen.iter().map(|s| s.log.len()).sum(),
            acknowledged: seen.iter().map(|s| s.acknowledged.len()).sum(),
            submissions: seen.iter().filter(|s| s.submitted).count(),
            unavailable: statuses().filter(|s| *s == 503).count(),
            cut: statuses().filter(|s| matches!(s, 0 | 502)).count(),
            other_5xx: statuses()
                .filter(|s| *s >= 500 && !matches!(s, 502 | 503))
                .count(),
            slowest: seen.iter().map(|s| s.slowest).max().unwrap_or_default(),
            ..Self::default()
        }
    }

    /// The first acknowledged request at or after `at`, measured from `at`.
    pub fn recovered_after(seen: &[Seen], at: Instant) -> Option<Duration> {
        seen.iter()
            .flat_map(|s| s.log.iter())
            .filter(|(when, status, _)| *status == 200 && *when >= at)
            .map(|(when, _, _)| *when - at)
            .min()
    }

    /// Printed, and appended to `CONCERTO_FAULTS_REPORT` when set (one JSON line).
    pub fn report(&self) {
        let line = json!({
            "scenario": self.scenario,
            "requests": self.requests,
            "acknowledged": self.acknowledged,
            "lost": self.lost,
            "submissions": self.submissions,
            "duplicate_emails": self.duplicate_emails,
            "unavailable": self.unavailable,
            "other_5xx": self.other_5xx,
            "cut": self.cut,
            // (Not measured where no client timed its requests.)
            "slowest_ms": (!self.slowest.is_zero()).then_some(self.slowest.as_millis() as u64),
            "recovery_ms": self.recovery.map(|d| d.as_millis() as u64),
        })
        .to_string();
        eprintln!("{line}");
        if let Ok(path) = std::env::var("CONCERTO_FAULTS_REPORT") {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .unwrap();
            writeln!(file, "{line}").unwrap();
        }
    }
}

/// The instances' mail settings for the scenarios: sent within a tenth of a second,
/// retried soon, and a dead instance's claims on emails lapse within seconds.
pub fn quick_mail(smtp_url: String) -> Vec<(&'static str, String)> {
    vec![
        ("CONCERTO_SMTP_URL", smtp_url),
        ("CONCERTO_MAIL__POLL_INTERVAL_MS", "100".into()),
        ("CONCERTO_MAIL__RETRY_BASE_MS", "200".into()),
        ("CONCERTO_MAIL__MAX_ATTEMPTS", "30".into()),
        ("CONCERTO_MAIL__SMTP_TIMEOUT_MS", "200".into()),
        ("CONCERTO_MAIL__LEASE_SECS", "1".into()),
    ]
}

/// Two instances behind HAProxy on `app`'s database, sending mail to `smtp_url`, and
/// the round open for `scale.organisations` organisations; `app`'s own workers are
/// stopped, so that the receipts go through the instances only. The organisations, the
/// cluster's folder and the proxy's port.
pub async fn rush_behind_the_proxy(
    app: &TestApp,
    scale: Scale,
    smtp_url: String,
) -> (Vec<Respondent>, tempfile::TempDir, u16) {
    let respondents = open_round_for(app, scale.organisations).await;
    app.background.stop();
    let dir = tempfile::tempdir().unwrap();
    let port = free_ports();
    let env = quick_mail(smtp_url);
    let started = cluster_with(&["start", "2"], &app.db.url, port, dir.path(), &env);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    (respondents, dir, port)
}
