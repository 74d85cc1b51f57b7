//! Demo data: the demo round and a coordinator to explore it with.

use chrono::{SubsecRound, Utc};
use rand::Rng;

use crate::auth::passwords;
use crate::config::Settings;
use crate::domain::accounts::{DisplayName, Email, Password, PlatformRole};
use crate::domain::demo::{DEMO_SLUG, demo_round};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::round_admin::{self, ChapterInput, QuestionInput, RoundInput};
use crate::store::users::NewUser;
use crate::store::{self, DbConnection};

/// Marks that the first run's seeding happened, so later starts never seed again.
const FIRST_RUN_KEY: &str = "first_run_seeded_at";

/// What seeding created. The password is shown once to the operator, never stored in clear.
#[derive(Debug, Default)]
pub struct Seeded {
    pub round_created: bool,
    pub coordinator: Option<(String, String)>,
}

/// A password people can copy: no look-alike characters; 20 of 55 symbols is ~115 bits.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Seeds the demo round and the demo coordinator, each only if absent.
pub fn seed_demo(conn: &mut DbConnection, settings: &Settings) -> anyhow::Result<Seeded> {
    let email = Email::parse(&settings.demo.coordinator_email)
        .map_err(|e| anyhow::anyhow!("demo.coordinator_email : {}", e.message))?;
    let name = DisplayName::parse(&settings.demo.coordinator_name)
        .map_err(|e| anyhow::anyhow!("demo.coordinator_name : {}", e.message))?;
    // Hash before the transaction: it takes a while and needs no lock.
    let clear = random_password();
    let password = Password::parse(&clear, &[email.as_str(), name.as_str()])
        .map_err(|e| anyhow::anyhow!("generated password refused: {}", e.message))?;
    let hash = passwords::hash(&password)?;
    // Whole seconds: the demo's dates read better without nanoseconds.
    let now = Utc::now().trunc_subsecs(0);
    crate::store::write_transaction(conn, |conn| {
        let mut seeded = Seeded::default();
        if store::rounds::find_by_slug(conn, DEMO_SLUG)?.is_none() {
            create_demo_round(conn, now, settings.base_url())?;
            seeded.round_created = true;
        }
        if store::users::find_by_email(conn, &email)?.is_none() {
            let user = NewUser {
                email: &email,
                display_name: &name,
                password_hash: &hash,
                role: PlatformRole::Coordinator,
                language: Lang::Fr,
                verified: true,
            };
            store::users::insert(conn, &user, now)?;
            seeded.coordinator = Some((email.as_str().to_owned(), clear.clone()));
        }
        Ok(seeded)
    })
    .map_err(|e: AppError| anyhow::anyhow!("seeding the demo data failed: {e}"))
}

/// Builds the demo round with the coordinators' own operations (same rules as the API),
/// then opens it.
fn create_demo_round(
    conn: &mut DbConnection,
    now: chrono::DateTime<Utc>,
    base_url: &str,
) -> Result<(), AppError> {
    let round = demo_round(now);
    let input = RoundInput {
        slug: round.slug.as_str().to_owned(),
        title: round.title,
        summary: round.summary,
        body: round.body,
        opens_at: None,
        closes_at: round.closes_at,
        audience: round.audience.as_str().to_owned(),
    };
    round_admin::create_in(conn, &input, now)?;
    for part in round.chapters {
        let c = part.chapter;
        round_admin::add_chapter_in(
            conn,
            DEMO_SLUG,
            &ChapterInput {
                code: c.code.clone(),
                title: c.title,
                description: c.description,
            },
        )?;
        for q in part.questions {
            let question = QuestionInput {
                code: q.code,
                prompt: q.prompt,
                help: q.help,
                required: q.required,
                spec: q.spec,
            };
            round_admin::add_question_in(conn, DEMO_SLUG, &c.code, &question)?;
        }
    }
    round_admin::open_in(conn, DEMO_SLUG, now, base_url)?;
    Ok(())
}

/// On the very first start in development, seeds the demo data; afterwards, nothing.
pub fn first_run(conn: &mut DbConnection, settings: &Settings) -> anyhow::Result<Option<Seeded>> {
    if store::settings::get(conn, FIRST_RUN_KEY)?.is_some() {
        return Ok(None);
    }
    let seeded = seed_demo(conn, settings)?;
    // Another instance starting at the same moment may have won: then it seeded, not us.
    store::settings::insert_if_absent(conn, FIRST_RUN_KEY, &Utc::now().to_rfc3339(), Utc::now())?;
    Ok(Some(seeded))
}

/// The lines shown to the operator after seeding.
pub fn report(seeded: &Seeded) -> Vec<String> {
    let mut lines = Vec::new();
    if seeded.round_created {
        lines.push(format!(
            "Consultation de démonstration créée : /consultations/{DEMO_SLUG}"
        ));
    }
    if let Some((email, password)) = &seeded.coordinator {
        lines.push(format!("Compte coordinateur créé : {email}"));
        lines.push(format!(
            "Mot de passe (affiché une seule fois, notez-le) : {password}"
        ));
    }
    lines
}
