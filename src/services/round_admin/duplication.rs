//! A round copied as a new draft.

use super::*;

/// Longest round a duplicate keeps the length of.
pub(super) const MAX_ROUND_DAYS: i64 = 2 * 366;

/// A new draft with the structure of an existing round.
pub async fn duplicate(
    state: &AppState,
    coordinator: &Coordinator,
    slug: String,
    new_slug: String,
    title: Option<String>,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    let (actor, now) = (coordinator.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let source = load(conn, &slug)?;
                // The source's length, within reason: its dates may predate the
                // window's check, and the sum must stay a date.
                let length = source
                    .round
                    .opens_at
                    .map(|o| source.round.closes_at.signed_duration_since(o))
                    .filter(|d| *d > Duration::zero() && *d <= Duration::days(MAX_ROUND_DAYS))
                    .unwrap_or(Duration::weeks(8));
                let input = RoundInput {
                    slug: new_slug.clone(),
                    title: title.clone().unwrap_or_else(|| source.round.title.clone()),
                    summary: source.round.summary.clone(),
                    body: source.round.body.clone(),
                    opens_at: None,
                    closes_at: now + length,
                    audience: source.round.audience.as_str().to_owned(),
                };
                let copy = create_in(conn, &input, now)?;
                for part in &source.chapters {
                    let c = &part.chapter;
                    add_chapter_in(
                        conn,
                        &new_slug,
                        &ChapterInput {
                            code: c.code.clone(),
                            title: c.title.clone(),
                            description: c.description.clone(),
                        },
                    )?;
                    for q in &part.questions {
                        let input = QuestionInput {
                            code: q.code.clone(),
                            prompt: q.prompt.clone(),
                            help: q.help.clone(),
                            required: q.required,
                            spec: q.spec.clone(),
                        };
                        add_question_in(conn, &new_slug, &c.code, &input)?;
                    }
                }
                // What it allows of documents (the area, the limits), as its questions.
                let policy = crate::store::attachments::policy(conn, source.round.id)?;
                crate::store::attachments::set_policy(conn, copy, &policy)?;
                audit_on(
                    conn,
                    Some(actor),
                    "round_duplicated",
                    round_target(&new_slug),
                    &origin,
                    serde_json::json!({ "from": slug }),
                )?;
                load(conn, &new_slug)
            })
        })
        .await
}
