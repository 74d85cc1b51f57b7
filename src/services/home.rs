//! A signed-in person's home: their organisations, the responses they can work on with
//! their deadlines and progress, and the one thing to do next.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::auth::identity::Identity;
use crate::domain::organisations::{MemberRole, OrganisationStatus};
use crate::domain::responses::Progress;
use crate::domain::rounds::Round;
use crate::error::AppError;
use crate::state::AppState;
use crate::store;

/// One of the person's organisations.
#[derive(Debug, Clone)]
pub struct MyOrganisation {
    pub id: i64,
    pub name: String,
    pub status: OrganisationStatus,
    pub status_reason: Option<String>,
    pub role: MemberRole,
}

/// A response the person can open: one organisation of theirs, one open round.
#[derive(Debug, Clone)]
pub struct Task {
    pub round: Round,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub role: MemberRole,
    pub state: Progress,
    pub answered: i64,
    pub questions: i64,
}

impl Task {
    /// Whether the person can still change it (not a viewer, not submitted).
    pub fn to_do(&self) -> bool {
        self.role.can_write() && self.state != Progress::Submitted
    }
}

/// What the person should do next, the first that applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// A member of no organisation: register one, or be invited by its owner.
    Register,
    /// Every organisation of theirs waits for the coordinators' decision.
    AwaitApproval,
    /// Continue (or start) this response: the earliest deadline first.
    Answer { slug: String, organisation: i64 },
    /// Approved, but no open consultation is waiting for an answer.
    NothingOpen,
    /// Every response they can write is submitted.
    AllSubmitted,
    /// Their organisations can answer nothing (rejected or suspended).
    CannotAnswer,
}

pub struct Overview {
    pub organisations: Vec<MyOrganisation>,
    /// Ordered by deadline, the earliest first.
    pub tasks: Vec<Task>,
    pub next: NextStep,
    /// For coordinators: organisations waiting for a decision.
    pub pending_decisions: Option<i64>,
}

/// The next step, from what the person has (pure, so that every case is tested).
pub fn next_step(organisations: &[MyOrganisation], tasks: &[Task]) -> NextStep {
    if organisations.is_empty() {
        return NextStep::Register;
    }
    if let Some(task) = tasks.iter().find(|t| t.to_do()) {
        return NextStep::Answer {
            slug: task.round.slug.clone(),
            organisation: task.organisation_id,
        };
    }
    let approved = organisations
        .iter()
        .any(|o| o.status == OrganisationStatus::Approved);
    if !approved {
        return if organisations
            .iter()
            .any(|o| o.status == OrganisationStatus::Pending)
        {
            NextStep::AwaitApproval
        } else {
            NextStep::CannotAnswer
        };
    }
    if tasks.iter().any(|t| t.role.can_write()) {
        NextStep::AllSubmitted
    } else {
        NextStep::NothingOpen
    }
}

pub async fn overview(state: &AppState, identity: &Identity) -> Result<Overview, AppError> {
    let user = identity.account.id;
    let coordinator = identity.account.is_coordinator();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            let organisations: Vec<MyOrganisation> =
                store::organisations::list_for_user(conn, user)?
                    .into_iter()
                    .filter_map(|(row, role)| {
                        Some(MyOrganisation {
                            status: row.status(),
                            role: MemberRole::parse(&role)?,
                            id: row.id,
                            name: row.name,
                            status_reason: row.status_reason,
                        })
                    })
                    .collect();
            let tasks = tasks(conn, &organisations, now)?;
            let pending_decisions = if coordinator {
                Some(store::organisations::count_with_status(
                    conn,
                    OrganisationStatus::Pending,
                )?)
            } else {
                None
            };
            let next = next_step(&organisations, &tasks);
            Ok(Overview {
                organisations,
                tasks,
                next,
                pending_decisions,
            })
        })
        .await
}

/// Every open round × every approved organisation of the person's that may answer it.
fn tasks(
    conn: &mut store::DbConnection,
    organisations: &[MyOrganisation],
    now: DateTime<Utc>,
) -> Result<Vec<Task>, AppError> {
    let approved: Vec<&MyOrganisation> = organisations
        .iter()
        .filter(|o| o.status == OrganisationStatus::Approved)
        .collect();
    if approved.is_empty() {
        return Ok(Vec::new());
    }
    let org_ids: Vec<i64> = approved.iter().map(|o| o.id).collect();
    let open = store::rounds::open_to(conn, &org_ids, now)?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let round_ids: Vec<i64> = open.iter().map(|(r, _)| r.id).collect();
    let counts = store::rounds::question_counts(conn, &round_ids)?;
    let responses: HashMap<(i64, i64), store::responses::ResponseRow> =
        store::responses::of_organisations(conn, &org_ids, &round_ids)?
            .into_iter()
            .map(|r| ((r.round_id, r.organisation_id), r))
            .collect();
    let mut tasks = Vec::new();
    for (round, may) in open {
        let questions = counts.get(&round.id).copied().unwrap_or_default();
        for org in approved.iter().filter(|o| may.contains(&o.id)) {
            let response = responses.get(&(round.id, org.id));
            let state = Progress::of(response.map(|r| r.status));
            tasks.push(Task {
                round: round.clone(),
                organisation_id: org.id,
                organisation_name: org.name.clone(),
                role: org.role,
                state,
                answered: response.map_or(0, |r| i64::from(r.answered)),
                questions,
            });
        }
    }
    Ok(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rounds::{Audience, RoundStatus};

    fn org(status: OrganisationStatus, role: MemberRole) -> MyOrganisation {
        MyOrganisation {
            id: 7,
            name: "Association".into(),
            status,
            status_reason: None,
            role,
        }
    }

    fn task(state: Progress, role: MemberRole) -> Task {
        let now = Utc::now();
        Task {
            round: Round {
                id: 1,
                slug: "ia".into(),
                title: "IA".into(),
                summary: String::new(),
                body: String::new(),
                opens_at: None,
                closes_at: now + chrono::Duration::days(3),
                audience: Audience::AllApproved,
                stored_status: RoundStatus::Open,
                created_at: now,
                updated_at: now,
            },
            organisation_id: 7,
            organisation_name: "Association".into(),
            role,
            state,
            answered: 0,
            questions: 4,
        }
    }

    #[test]
    fn the_next_step_follows_the_path_from_sign_up_to_submission() {
        use MemberRole::*;
        use OrganisationStatus::*;
        assert_eq!(next_step(&[], &[]), NextStep::Register);
        assert_eq!(
            next_step(&[org(Pending, Owner)], &[]),
            NextStep::AwaitApproval
        );
        assert_eq!(
            next_step(&[org(Rejected, Owner)], &[]),
            NextStep::CannotAnswer
        );
        assert_eq!(
            next_step(&[org(Approved, Owner)], &[]),
            NextStep::NothingOpen
        );
        let answer = NextStep::Answer {
            slug: "ia".into(),
            organisation: 7,
        };
        for state in [Progress::NotStarted, Progress::Draft] {
            assert_eq!(
                next_step(&[org(Approved, Editor)], &[task(state, Editor)]),
                answer
            );
        }
        assert_eq!(
            next_step(&[org(Approved, Owner)], &[task(Progress::Submitted, Owner)]),
            NextStep::AllSubmitted
        );
        // A reader cannot answer: nothing waits for them.
        assert_eq!(
            next_step(&[org(Approved, Viewer)], &[task(Progress::Draft, Viewer)]),
            NextStep::NothingOpen
        );
        // One organisation pending, another with work waiting: the work comes first.
        assert_eq!(
            next_step(
                &[org(Pending, Owner), org(Approved, Owner)],
                &[task(Progress::NotStarted, Owner)]
            ),
            answer
        );
    }
}
