//! The synchronous cores, each on one connection: the API's use cases and the demo's
//! seeding go through exactly these rules.

use super::*;

/// Creates a draft round.
pub fn create_in(
    conn: &mut DbConnection,
    input: &RoundInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let errors: Vec<FieldError> = new_round_errors(input)
        .into_iter()
        .chain(check_dates(input.opens_at, input.closes_at))
        .collect();
    invalid(errors)?;
    let slug = Slug::parse(input.slug.trim())?;
    let audience = parse_audience(&input.audience);
    crate::store::write_transaction(conn, |conn| {
        if store::rounds::slug_taken(conn, slug.as_str())? {
            return Err(AppError::Conflict(format!(
                "une consultation utilise déjà l'identifiant « {} »",
                slug.as_str()
            )));
        }
        let round = NewRound {
            slug,
            title: input.title.trim().to_owned(),
            summary: input.summary.trim().to_owned(),
            body: input.body.clone(),
            opens_at: input.opens_at,
            closes_at: input.closes_at,
            audience: audience?,
            status: RoundStatus::Draft,
            chapters: Vec::new(),
        };
        Ok(store::rounds::insert(conn, &round, now)?)
    })
}

pub fn add_chapter_in(
    conn: &mut DbConnection,
    slug: &str,
    input: &ChapterInput,
) -> Result<(), AppError> {
    let errors: Vec<FieldError> = [
        check_chapter_code(&input.code).err(),
        texts::CHAPTER_TITLE.check("title", &input.title),
        texts::CHAPTER_DESCRIPTION.check("description", &input.description),
    ]
    .into_iter()
    .flatten()
    .collect();
    invalid(errors)?;
    crate::store::write_transaction(conn, |conn| {
        let round = load(conn, slug)?;
        if !round.round.structure_editable() {
            return Err(frozen());
        }
        if round.chapters.iter().any(|c| c.chapter.code == input.code) {
            return Err(AppError::Conflict(format!(
                "le chapitre {} existe déjà",
                input.code
            )));
        }
        let chapter = Chapter {
            code: input.code.clone(),
            position: 0,
            title: input.title.trim().to_owned(),
            description: input.description.trim().to_owned(),
        };
        store::rounds::add_chapter(conn, round.round.id, &chapter)?;
        Ok(())
    })
}

pub(super) fn question_errors(input: &QuestionInput) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = [
        check_question_code(&input.code).err(),
        texts::QUESTION_PROMPT.check("prompt", &input.prompt),
        texts::QUESTION_HELP.check("help", &input.help),
    ]
    .into_iter()
    .flatten()
    .collect();
    errors.extend(input.spec.validate());
    errors
}

pub fn add_question_in(
    conn: &mut DbConnection,
    slug: &str,
    chapter_code: &str,
    input: &QuestionInput,
) -> Result<(), AppError> {
    invalid(question_errors(input))?;
    crate::store::write_transaction(conn, |conn| {
        let round = load(conn, slug)?;
        if !round.round.structure_editable() {
            return Err(frozen());
        }
        let chapter = store::rounds::chapter_id(conn, round.round.id, chapter_code)?
            .ok_or(AppError::NotFound)?;
        if store::rounds::question_code_taken(conn, round.round.id, &input.code)? {
            return Err(AppError::Conflict(format!(
                "le code {} est déjà utilisé dans cette consultation",
                input.code
            )));
        }
        let question = Question {
            code: input.code.clone(),
            position: 0,
            prompt: input.prompt.trim().to_owned(),
            help: input.help.trim().to_owned(),
            required: input.required,
            spec: input.spec.clone(),
        };
        store::rounds::add_question(conn, round.round.id, chapter, &question)?;
        Ok(())
    })
}

/// Opens a draft: from `opens_at` if it is still to come, now otherwise. Members of
/// eligible organisations are emailed when it actually opens.
pub fn open_in(
    conn: &mut DbConnection,
    slug: &str,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<Round, AppError> {
    crate::store::write_transaction(conn, |conn| {
        let detail = load(conn, slug)?;
        let round = &detail.round;
        if round.stored_status != RoundStatus::Draft {
            return Err(AppError::Conflict(format!(
                "seule une consultation en brouillon s'ouvre (état : {})",
                round.status_at(now).as_str()
            )));
        }
        let mut errors = Vec::new();
        if detail.chapters.iter().all(|c| c.questions.is_empty()) {
            errors.push(FieldError::new(
                "chapters",
                "no_question",
                "Ajoutez au moins une question avant d'ouvrir la consultation.",
            ));
        }
        if round.closes_at <= now {
            errors.push(FieldError::new(
                "closes_at",
                "in_the_past",
                "La date de clôture doit être dans le futur pour ouvrir la consultation.",
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::NotReady(errors));
        }
        let opens_at = Some(round.opens_at.filter(|at| *at > now).unwrap_or(now));
        store::rounds::set_status(conn, round.id, RoundStatus::Open, opens_at, now)?;
        let opened = store::rounds::find_by_id(conn, round.id)?.ok_or(AppError::NotFound)?;
        if opened.status_at(now) == RoundStatus::Open {
            announce_opening(conn, &opened, now, base_url)?;
        }
        Ok(opened)
    })
}

/// Emails every member of every eligible organisation that the round is open, once.
pub fn announce_opening(
    conn: &mut DbConnection,
    round: &Round,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    if !store::rounds::claim_open_notification(conn, round.id, now)? {
        return Ok(0);
    }
    let organisations = store::rounds::eligible_organisations(conn, round)?;
    let people = store::organisations::member_contacts(
        conn,
        &organisations,
        crate::domain::organisations::MemberRole::ALL,
    )?;
    for user in &people {
        let account = Account::from(user);
        let mail = Composer::new(
            account.language,
            base_url,
            &account.email,
            &account.display_name,
        )
        .round_opened(round);
        store::outbox::enqueue(conn, &mail, now)?;
    }
    Ok(people.len())
}

/// Announces the rounds whose scheduled opening has come (run by the background worker;
/// the claim keeps several instances from announcing twice).
pub fn announce_due_openings(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    let mut sent = 0;
    for id in store::rounds::due_open_notifications(conn, now)? {
        sent += crate::store::write_transaction(conn, |conn| {
            let round = store::rounds::find_by_id(conn, id)?.ok_or(AppError::NotFound)?;
            announce_opening(conn, &round, now, base_url)
        })?;
    }
    Ok(sent)
}

// ---- authorised operations ----
