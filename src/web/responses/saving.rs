//! Saving a chapter: only the answers that changed, each from the version the page
//! showed; conflicts with a colleague's newer version shown side by side.

use super::*;

/// The answer a question's inputs carry in a posted form, by shape (`None`: left
/// empty); the service checks it against its question when it is written.
pub(super) fn posted_value(q: &Question, fields: &[(String, String)]) -> Option<AnswerValue> {
    let name = format!("q.{}", q.code);
    let all = |n: &str| {
        fields
            .iter()
            .filter(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let one = |n: &str| all(n).into_iter().next().unwrap_or_default();
    match &q.spec {
        QuestionSpec::ShortText { .. } | QuestionSpec::LongText { .. } => Some(one(&name))
            .filter(|t| !t.trim().is_empty())
            .map(AnswerValue::Text),
        QuestionSpec::SingleChoice { .. } => Some(one(&name))
            .filter(|v| !v.is_empty())
            .map(AnswerValue::Text),
        QuestionSpec::MultipleChoice { .. } => Some(all(&name))
            .filter(|k| !k.is_empty())
            .map(AnswerValue::Keys),
        QuestionSpec::Scale { .. } => match one(&name).trim() {
            "" => None,
            // A number the server refuses if out of range; anything else is refused as such.
            text => Some(
                text.parse::<i64>()
                    .map_or_else(|_| AnswerValue::Text(text.to_owned()), AnswerValue::Number),
            ),
        },
        // Attached through their own form, never posted with the chapter.
        QuestionSpec::Documents { .. } => None,
        QuestionSpec::Proposals { max_items } => {
            let items: Vec<Proposal> = (0..*max_items.min(&MAX_PROPOSALS) as usize)
                .filter_map(|i| {
                    let title = one(&format!("{name}.title.{i}"));
                    let description = one(&format!("{name}.description.{i}"));
                    let given = !title.trim().is_empty() || !description.trim().is_empty();
                    given.then_some(Proposal {
                        title,
                        description: Some(description),
                    })
                })
                .collect();
            Some(items)
                .filter(|i| !i.is_empty())
                .map(AnswerValue::Proposals)
        }
    }
}

/// The conflict on one question: the typed value, the colleague's and, for a long text,
/// the words each has that the other has not.
pub(super) fn conflict_line(
    q: &Question,
    yours: Option<&AnswerValue>,
    theirs: Option<&AnswerValue>,
    author: &str,
) -> ConflictLine {
    let (yours, theirs) = (for_reading(&q.spec, yours), for_reading(&q.spec, theirs));
    let diff = match q.spec {
        QuestionSpec::LongText { .. } => crate::domain::diff::words_diff(&yours, &theirs)
            .unwrap_or_default()
            .into_iter()
            .map(|piece| {
                use crate::domain::diff::Piece;
                let (kind, text) = match piece {
                    Piece::Same(t) => ("same", t),
                    Piece::Removed(t) => ("removed", t),
                    Piece::Added(t) => ("added", t),
                };
                DiffPiece { kind, text }
            })
            .collect(),
        _ => Vec::new(),
    };
    ConflictLine {
        code: q.code.clone(),
        prompt: q.prompt.clone(),
        diff,
        yours,
        theirs,
        author: author.to_owned(),
    }
}

/// Saves the chapter: only the answers that changed are written, each from the version
/// the page showed, so a colleague's change is never overwritten silently.
#[post("/consultations/{slug}/reponse/{org}")]
pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeSignedIn,
    path: web::Path<(String, i64)>,
    query: web::Query<ChapterQuery>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    let Some(identity) = user.0 else {
        // The session ended while typing: keep every word, sign in, come back to them.
        return keep_for_later(&req, &state, &slug, org, &query.chapitre, &form).await;
    };
    let ctx = context(&req, &state, &identity, &slug, org).await?;
    let chapter = ctx
        .detail
        .chapters
        .iter()
        .find(|c| c.chapter.code == query.chapitre)
        .or(ctx.detail.chapters.first())
        .ok_or(AppError::NotFound)?;
    // On the conflict screen, one question's conflict is settled at a time: keep the
    // typed version (`garder`) or take the colleague's (`reprendre`); the others stay
    // shown, as typed, until settled.
    let posted = |name: &str| -> Vec<&str> {
        form.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (conflicted, keep, take) = (posted("conflit"), posted("garder"), posted("reprendre"));
    let settling = !keep.is_empty() || !take.is_empty();
    let mut writes = BTreeMap::new();
    let mut typed = BTreeMap::new();
    let mut unsettled = Vec::new();
    for q in chapter.questions.iter().filter(|q| !q.spec.is_documents()) {
        let value = posted_value(q, &form);
        let (stored, _, author) = stored_value(&ctx.response, &q.code);
        if value == stored || take.contains(&q.code.as_str()) {
            continue;
        }
        let version = form
            .iter()
            .find(|(k, _)| *k == format!("v.{}", q.code))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        typed.insert(q.code.clone(), (value.clone(), version));
        if settling && conflicted.contains(&q.code.as_str()) && !keep.contains(&q.code.as_str()) {
            unsettled.push(conflict_line(q, value.as_ref(), stored.as_ref(), &author));
            continue;
        }
        writes.insert(
            q.code.clone(),
            AnswerWrite {
                value: value.as_ref().map_or(Value::Null, AnswerValue::to_value),
                version: Some(version),
            },
        );
    }
    let chapter_code = chapter.chapter.code.clone();
    let outcome = if writes.is_empty() {
        Ok((BTreeMap::new(), Vec::new()))
    } else {
        service::write_valid_answers(&state, &identity, slug.clone(), org, writes.clone()).await
    };
    let mut form = FormState::default();
    let (conflicts, status) = match outcome {
        Ok((_, refused)) if refused.is_empty() && unsettled.is_empty() => {
            return Ok(see_other(&format!(
                "/consultations/{slug}/reponse/{org}?chapitre={chapter_code}&fait=1"
            )));
        }
        Ok((versions, refused)) => {
            // Saved what could be; the refused answers (with their errors) and the
            // conflicts not yet settled are shown as typed, on the versions just written.
            for (code, version) in versions {
                if let Some(entry) = typed.get_mut(&code) {
                    entry.1 = version;
                }
            }
            let status = if refused.is_empty() {
                StatusCode::OK
            } else {
                form.absorb(AppError::Validation(refused), &Page::new(&req).t)?
            };
            (unsettled, status)
        }
        Err(AppError::StaleAnswers(stale)) => {
            // The typed text stays in the form, now based on the current version: each
            // conflict is then settled by keeping it or taking the colleague's.
            for c in &stale {
                if let Some(entry) = typed.get_mut(c.question.as_str()) {
                    entry.1 = c.current_version;
                }
            }
            let former = Page::new(&req).t.get("former-member");
            let conflicts = stale
                .iter()
                .filter_map(|c| {
                    let q = chapter.questions.iter().find(|q| q.code == c.question)?;
                    Some(conflict_line(
                        q,
                        typed[c.question.as_str()].0.as_ref(),
                        c.current_value.as_ref(),
                        &c.updated_by.clone().unwrap_or_else(|| former.clone()),
                    ))
                })
                .chain(unsettled)
                .collect();
            (conflicts, StatusCode::CONFLICT)
        }
        Err(error) => (Vec::new(), form.absorb(error, &Page::new(&req).t)?),
    };
    editor(
        &req,
        &state,
        &identity,
        (slug, org),
        &chapter_code,
        Returned {
            form,
            typed,
            conflicts,
            ..Returned::default()
        },
        status,
    )
    .await
}
