//! The write rules the database checks where it writes are the domain's: SQLite calls the
//! Rust rule itself, PostgreSQL a copy in SQL (migration 000018). These tests hold every
//! backend to the Rust definition on every combination, so a change of one copy alone
//! fails here.

use chrono::{DateTime, Duration, TimeZone, Utc};
use concerto::domain::rounds::{RoundStatus, accepts_answers};
use concerto::store::write_rules::round_accepts_in_database;

use crate::helpers::TestApp;

/// Every stored status, opening (none, past, at the moment, to come) and deadline (past,
/// at the moment, to come, to the microsecond on either side).
/// (stored status, opening, deadline, moment)
type Case = (
    RoundStatus,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    DateTime<Utc>,
);

fn cases() -> Vec<Case> {
    let now =
        Utc.with_ymd_and_hms(2027, 3, 31, 21, 59, 59).unwrap() + Duration::microseconds(999_999);
    let tick = Duration::microseconds(1);
    let statuses = [
        RoundStatus::Draft,
        RoundStatus::Open,
        RoundStatus::Closed,
        RoundStatus::Archived,
    ];
    let openings = [
        None,
        Some(now - Duration::days(3)),
        Some(now - tick),
        Some(now),
        Some(now + tick),
        Some(now + Duration::hours(2)),
    ];
    let deadlines = [
        now - Duration::days(1),
        now - tick,
        now,
        now + tick,
        now + Duration::days(30),
    ];
    let mut all = Vec::new();
    for status in statuses {
        for opening in openings {
            for deadline in deadlines {
                all.push((status, opening, deadline, now));
            }
        }
    }
    all
}

async fn the_deadline_is_the_rust_rule_in_the_database(app: TestApp) {
    let cases = cases();
    let answers = app
        .with_db(move |conn| {
            cases
                .into_iter()
                .map(|(status, opening, deadline, now)| {
                    let database =
                        round_accepts_in_database(conn, status, opening, deadline, now).unwrap();
                    let rust = accepts_answers(status, opening, deadline, now);
                    (
                        format!("{status} opens {opening:?} closes {deadline} at {now}"),
                        database,
                        rust,
                    )
                })
                .collect::<Vec<_>>()
        })
        .await;
    assert_eq!(answers.len(), 4 * 6 * 5);
    // The cases reach both answers (a rule answering always the same would pass otherwise).
    assert!(answers.iter().any(|(_, _, rust)| *rust));
    assert!(answers.iter().any(|(_, _, rust)| !*rust));
    let diverging: Vec<&String> = answers
        .iter()
        .filter(|(_, database, rust)| database != rust)
        .map(|(case, _, _)| case)
        .collect();
    assert!(
        diverging.is_empty(),
        "the database's deadline differs from the Rust rule: {diverging:#?}"
    );
}

crate::both_backends!(the_deadline_is_the_rust_rule_in_the_database);

/// Who may write, as PostgreSQL's one-statement autosave checks it (a predicate generated
/// from `MemberRole::can_write` and `OrganisationStatus::may_answer`), agrees with the
/// Rust rule for every role and every organisation status.
#[tokio::test]
async fn the_one_statement_autosave_lets_write_whom_the_rust_rule_lets() {
    use concerto::domain::organisations::{MemberRole, OrganisationStatus};
    use concerto::store::responses::{MemberWrite, write_as_member};
    use concerto::store::schema::{organisations, questions, rounds, users};
    use diesel::prelude::*;

    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let s = crate::responses::setup(&app, Duration::days(30)).await;
    let first = crate::fixtures::send(
        &app,
        &s.editor,
        "PUT",
        &format!("/api/v1/rounds/essai/responses/{}/answers/E1.Q2", s.org),
        Some(serde_json::json!({"value": "Première", "version": 0})),
    )
    .await;
    assert_eq!(first.status(), 200);
    let org = s.org;
    let verdicts = app
        .with_db(move |conn| {
            let round_id: i64 = rounds::table
                .filter(rounds::slug.eq("essai"))
                .select(rounds::id)
                .first(conn)
                .unwrap();
            let question_id: i64 = questions::table
                .filter(questions::round_id.eq(round_id))
                .filter(questions::code.eq("E1.Q2"))
                .select(questions::id)
                .first(conn)
                .unwrap();
            let members = [
                ("owner@exemple.fr", MemberRole::Owner),
                ("editor@exemple.fr", MemberRole::Editor),
                ("viewer@exemple.fr", MemberRole::Viewer),
            ];
            let mut version = 1;
            let mut verdicts = Vec::new();
            for status in OrganisationStatus::ALL {
                diesel::update(organisations::table.find(org))
                    .set(organisations::status.eq(status.as_str()))
                    .execute(conn)
                    .unwrap();
                for (email, role) in members {
                    let user_id: i64 = users::table
                        .filter(users::email.eq(email))
                        .select(users::id)
                        .first(conn)
                        .unwrap();
                    let landed = write_as_member(
                        conn,
                        &MemberWrite {
                            round_id,
                            organisation_id: org,
                            answers: vec![(question_id, "\"Réécrite\"", version)],
                            user_id,
                            now: Utc::now().naive_utc(),
                        },
                    )
                    .unwrap();
                    if let Some(landed) = &landed {
                        version = landed.versions[0];
                    }
                    let allowed = role.can_write() && status.may_answer();
                    verdicts.push((
                        format!("{role} of a {status} organisation"),
                        landed.is_some(),
                        allowed,
                    ));
                }
            }
            verdicts
        })
        .await;
    assert_eq!(verdicts.len(), 3 * OrganisationStatus::ALL.len());
    assert!(
        verdicts.iter().any(|(_, landed, _)| *landed),
        "{verdicts:?}"
    );
    let diverging: Vec<_> = verdicts
        .iter()
        .filter(|(_, landed, allowed)| landed != allowed)
        .collect();
    assert!(
        diverging.is_empty(),
        "the statement and the Rust rule disagree: {diverging:?}"
    );
}

/// The version check, as every statement writing answers is built with it
/// (`store::write_rules::version_is_current` and its siblings), makes of each write what
/// the Rust rule `version_after` makes: the next version, or nothing when someone wrote
/// since the version seen.
async fn the_version_check_is_the_rust_rule_in_the_database(app: TestApp) {
    use concerto::domain::answers::version_after;
    use concerto::store::write_rules::version_after_in_database;

    let verdicts = app
        .with_db(|conn| {
            let mut verdicts = Vec::new();
            for current in [None, Some(1), Some(2), Some(7)] {
                for seen in [0, 1, 2, 6, 7, 8] {
                    let database = version_after_in_database(conn, current, seen).unwrap();
                    let rust = version_after(current, seen);
                    verdicts.push((format!("{current:?} seen {seen}"), database, rust));
                }
            }
            verdicts
        })
        .await;
    assert_eq!(verdicts.len(), 24);
    // Both outcomes are reached (a rule always refusing would pass otherwise).
    assert!(verdicts.iter().any(|(_, _, rust)| rust.is_some()));
    assert!(verdicts.iter().any(|(_, _, rust)| rust.is_none()));
    let diverging: Vec<_> = verdicts
        .iter()
        .filter(|(_, database, rust)| database != rust)
        .collect();
    assert!(
        diverging.is_empty(),
        "the statements' version check differs from the Rust rule: {diverging:?}"
    );
}

crate::both_backends!(the_version_check_is_the_rust_rule_in_the_database);
