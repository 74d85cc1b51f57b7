//! Server-rendered pages. Every page works without JavaScript.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use validator::Validate;

use super::assets::ASSET_VERSION;
use crate::auth::identity::{Identity, MaybeSignedIn};
use crate::config::Theme;
use crate::domain::rounds::{Round, RoundStatus};
use crate::error::AppError;
use crate::i18n::{LANG_COOKIE, Lang, Tr};
use crate::services;
use crate::state::AppState;

/// Who is signed in, as the layout shows it.
pub struct Visitor {
    pub display_name: String,
    pub is_admin: bool,
    pub is_coordinator: bool,
    pub two_factor: bool,
}

/// What the base layout needs on every page.
pub struct Page {
    pub t: Tr,
    /// The current path, so the language switch comes back here.
    pub path: String,
    pub asset_version: &'static str,
    /// The session's CSRF token, put in every form while a session exists.
    pub csrf: Option<String>,
    pub visitor: Option<Visitor>,
    /// The page shows form errors: its title starts with "Erreur".
    pub has_errors: bool,
    /// The look the deployment chose (stylesheet, header and footer).
    pub theme: Theme,
    /// For coordinators: organisations awaiting their decision (the header's badge).
    pub pending_decisions: Option<i64>,
}

impl Page {
    pub fn new(req: &HttpRequest) -> Self {
        let identity = req.extensions().get::<Identity>().cloned();
        let visitor = identity
            .as_ref()
            .filter(|i| !i.mfa_pending)
            .map(|i| Visitor {
                display_name: i.account.display_name.clone(),
                is_admin: i.account.role == crate::domain::accounts::PlatformRole::Admin,
                is_coordinator: i.account.is_coordinator(),
                two_factor: i.account.two_factor,
            });
        Self {
            t: Tr::new(Lang::of_request(req)),
            path: req.path().to_owned(),
            asset_version: ASSET_VERSION,
            csrf: identity.and_then(|i| i.csrf_token),
            visitor,
            has_errors: false,
            pending_decisions: req
                .extensions()
                .get::<super::middleware::PendingDecisions>()
                .map(|p| p.0)
                .filter(|n| *n > 0),
            theme: req
                .app_data::<actix_web::web::Data<crate::state::AppState>>()
                .map(|state| state.settings.theme)
                .unwrap_or_default(),
        }
    }

    /// The State Design System's look (its header, footer, font and logo).
    pub fn dsfr(&self) -> bool {
        self.theme == Theme::Dsfr
    }

    /// Signed in with two-factor authentication on (needed to export, open, close…).
    pub fn two_factor(&self) -> bool {
        self.visitor.as_ref().is_some_and(|v| v.two_factor)
    }

    pub fn is_admin(&self) -> bool {
        self.visitor.as_ref().is_some_and(|v| v.is_admin)
    }

    /// The `<title>` text: "Erreur : …" when the page reports errors.
    pub fn title(&self, title: &str) -> String {
        if self.has_errors {
            self.t.with("page-title-error", "title", title)
        } else {
            title.to_owned()
        }
    }

    pub fn languages(&self) -> &'static [Lang] {
        &Lang::ALL
    }
}

/// Renders a page with a status (a form with errors answers 422, say).
pub fn render_with_status(
    template: &impl Template,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut response = render(template)?;
    *response.status_mut() = status;
    Ok(response)
}

pub fn render(template: &impl Template) -> Result<HttpResponse, AppError> {
    let html = template
        .render()
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "no-cache"))
        .body(html))
}

/// Dates in pages: Paris time, said so (see `Tr::datetime`).
pub fn format_datetime(t: DateTime<Utc>, lang: Lang) -> String {
    Tr::new(lang).datetime(t)
}

pub struct ChapterLine {
    pub code: String,
    pub title: String,
}

pub struct RoundCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub closes_at: String,
    /// "12 days left", "closed on…".
    pub remaining: String,
    pub chapters: Vec<ChapterLine>,
}

/// How long is left to answer, in words.
fn remaining(round: &Round, now: DateTime<Utc>, t: &Tr) -> String {
    match round.status_at(now) {
        RoundStatus::Open => t.count(
            "round-days-left",
            (round.closes_at - now).num_days().max(0) as usize,
        ),
        RoundStatus::Scheduled => t.with(
            "round-opens-on",
            "date",
            &t.datetime(round.opens_at.unwrap_or(now)),
        ),
        RoundStatus::Draft => t.get("round-status-draft"),
        RoundStatus::Closed | RoundStatus::Archived => {
            t.with("round-closed-on", "date", &t.datetime(round.closes_at))
        }
    }
}

fn card(
    round: Round,
    chapters: Vec<crate::domain::rounds::Chapter>,
    now: DateTime<Utc>,
    t: &Tr,
) -> RoundCard {
    RoundCard {
        closes_at: t.datetime(round.closes_at),
        remaining: remaining(&round, now, t),
        chapters: chapters
            .into_iter()
            .map(|c| ChapterLine {
                code: c.code,
                title: c.title,
            })
            .collect(),
        slug: round.slug,
        title: round.title,
        summary: round.summary,
    }
}

/// Closed rounds stay on the home page this long.
const RECENTLY_CLOSED_DAYS: i64 = 90;

/// A response on the person's home: where it stands, by when, and the link to it.
pub struct TaskLine {
    pub round_title: String,
    pub organisation: String,
    pub href: String,
    /// "Not started", "Draft: 3 answers of 12", "Submitted".
    pub state: String,
    pub state_class: &'static str,
    pub deadline: String,
    pub remaining: String,
    /// The link's label: start, continue, or see the copy.
    pub action: String,
}

pub struct OrganisationLine {
    pub id: i64,
    pub name: String,
    pub status_key: String,
    pub status: String,
    pub role: String,
    pub reason: Option<String>,
}

/// The signed-in person's part of the home page.
pub struct PersonalHome {
    pub organisations: Vec<OrganisationLine>,
    pub tasks: Vec<TaskLine>,
    /// The next step: its sentence and, where one leads there, a link.
    pub next_text: String,
    pub next_link: Option<(String, String)>,
    /// Coordinators: "3 organisations wait for your decision".
    pub decisions: Option<String>,
}

fn personal_home(overview: services::home::Overview, now: DateTime<Utc>, t: &Tr) -> PersonalHome {
    use crate::domain::responses::Progress;
    use services::home::NextStep;
    let tasks = overview
        .tasks
        .iter()
        .map(|task| {
            let href = format!(
                "/consultations/{}/reponse/{}",
                task.round.slug, task.organisation_id
            );
            let (state, state_class) = match task.state {
                Progress::NotStarted => (t.get("home-task-not-started"), "tag-new"),
                Progress::Draft => (
                    t.numbers(
                        "home-task-draft",
                        &[
                            ("answered", task.answered.max(0) as usize),
                            ("questions", task.questions.max(0) as usize),
                        ],
                    ),
                    "tag-draft",
                ),
                Progress::Submitted => (t.get("home-task-submitted"), "tag-done"),
            };
            let (href, action) = match (task.state, task.role.can_write()) {
                (Progress::Submitted, _) | (_, false) => {
                    (format!("{href}/copie"), t.get("home-task-see"))
                }
                (Progress::NotStarted, true) => (href, t.get("home-task-start")),
                (Progress::Draft, true) => (href, t.get("home-task-continue")),
            };
            TaskLine {
                round_title: task.round.title.clone(),
                organisation: task.organisation_name.clone(),
                href,
                state,
                state_class,
                deadline: t.with("round-closes", "date", &t.datetime(task.round.closes_at)),
                remaining: remaining(&task.round, now, t),
                action,
            }
        })
        .collect();
    let (next_text, next_link) = match &overview.next {
        NextStep::Register => (
            t.get("home-next-register"),
            Some((
                "/organisations/nouvelle".to_owned(),
                t.get("home-next-register-link"),
            )),
        ),
        NextStep::AwaitApproval => (t.get("home-next-await"), None),
        NextStep::Answer { slug, organisation } => {
            let task = overview
                .tasks
                .iter()
                .find(|t| &t.round.slug == slug && t.organisation_id == *organisation);
            let text = match task {
                Some(task) => t.with2(
                    "home-next-answer",
                    ("round", &task.round.title),
                    ("organisation", &task.organisation_name),
                ),
                None => t.get("home-next-nothing"),
            };
            (
                text,
                Some((
                    format!("/consultations/{slug}/reponse/{organisation}"),
                    t.get("home-next-answer-link"),
                )),
            )
        }
        NextStep::NothingOpen => (t.get("home-next-nothing"), None),
        NextStep::AllSubmitted => (t.get("home-next-all-submitted"), None),
        NextStep::CannotAnswer => (t.get("home-next-cannot"), None),
    };
    PersonalHome {
        organisations: overview
            .organisations
            .into_iter()
            .map(|o| OrganisationLine {
                id: o.id,
                name: o.name,
                status_key: o.status.as_str().to_owned(),
                status: t.label("org-status", o.status.as_str()),
                role: t.label("member-role", o.role.as_str()),
                reason: o.status_reason,
            })
            .collect(),
        tasks,
        next_text,
        next_link,
        decisions: overview
            .pending_decisions
            .filter(|n| *n > 0)
            .map(|n| t.count("home-decisions", n as usize)),
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    mine: Option<PersonalHome>,
    rounds: Vec<RoundCard>,
    closed: Vec<RoundCard>,
}

/// The home page: for a signed-in person, their organisations, responses and next step
/// first; then the open consultations, for everyone.
#[get("/")]
pub async fn home_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: MaybeSignedIn,
) -> Result<HttpResponse, AppError> {
    let page = Page::new(&req);
    let now = state.clock.now();
    let mine = match &reader.0 {
        Some(identity) => Some(personal_home(
            services::home::overview(&state, identity).await?,
            now,
            &page.t,
        )),
        None => None,
    };
    let (mut rounds, mut closed) = (Vec::new(), Vec::new());
    for (round, chapters) in services::rounds::visible_rounds(&state.db, None).await? {
        match round.status_at(now) {
            RoundStatus::Open => rounds.push(card(round, chapters, now, &page.t)),
            RoundStatus::Closed
                if round.closes_at > now - chrono::Duration::days(RECENTLY_CLOSED_DAYS) =>
            {
                closed.push(card(round, chapters, now, &page.t))
            }
            _ => {}
        }
    }
    render(&HomePage {
        page,
        mine,
        rounds,
        closed,
    })
}

pub struct QuestionLine {
    pub code: String,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub kind_key: String,
}

pub struct ChapterBlock {
    pub code: String,
    pub title: String,
    pub description: String,
    pub questions: Vec<QuestionLine>,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    page: Page,
    title: String,
    summary: String,
    /// Sanitised HTML from the Markdown body.
    body_html: String,
    status_key: String,
    closes_at: String,
    remaining: String,
    /// A draft seen by a coordinator: the page is a preview.
    preview: bool,
    /// Open, and the reader is signed in: a link to answer.
    answerable: bool,
    /// Open: a visitor is told how to take part.
    open: bool,
    slug: String,
    chapters: Vec<ChapterBlock>,
}

/// A round as respondents read it: summary, body, chapters and questions. Coordinators
/// also see drafts here, as a preview.
#[get("/consultations/{slug}")]
pub async fn round_page(
    req: HttpRequest,
    slug: web::Path<String>,
    state: web::Data<AppState>,
    reader: MaybeSignedIn,
) -> Result<HttpResponse, AppError> {
    let page = Page::new(&req);
    let now = state.clock.now();
    let detail =
        services::rounds::visible_round(&state.db, reader.0.as_ref(), slug.into_inner()).await?;
    let chapters = detail
        .chapters
        .into_iter()
        .map(|part| ChapterBlock {
            code: part.chapter.code,
            title: part.chapter.title,
            description: part.chapter.description,
            questions: part
                .questions
                .into_iter()
                .map(|q| QuestionLine {
                    kind_key: format!("question-kind-{}", q.spec.kind()),
                    code: q.code,
                    prompt: q.prompt,
                    help: q.help,
                    required: q.required,
                })
                .collect(),
        })
        .collect();
    let round = detail.round;
    let open = round.status_at(now) == RoundStatus::Open;
    render(&RoundPage {
        status_key: format!("round-status-{}", round.status_at(now).as_str()),
        closes_at: page.t.datetime(round.closes_at),
        remaining: remaining(&round, now, &page.t),
        preview: round.stored_status == RoundStatus::Draft,
        answerable: open && reader.0.is_some(),
        open,
        slug: round.slug.clone(),
        body_html: crate::domain::markdown::to_safe_html(&round.body),
        title: round.title,
        summary: round.summary,
        page,
        chapters,
    })
}

#[derive(Deserialize, Validate)]
pub struct LanguageChoice {
    #[validate(length(min = 2, max = 5, message = "Langue inconnue : fr ou en."))]
    lang: String,
    /// Where to go back to; anything but a path of this site falls back to the home page.
    #[serde(default)]
    #[validate(length(max = 2000, message = "Adresse de retour trop longue."))]
    next: String,
}

pub use super::redirects::safe_local_path;

/// The language switch: a form, so it works without JavaScript.
#[post("/langue")]
pub async fn switch_language(
    state: web::Data<AppState>,
    form: web::Form<LanguageChoice>,
) -> Result<HttpResponse, AppError> {
    form.validate()?;
    let lang = Lang::parse(&form.lang).ok_or_else(|| {
        AppError::invalid("lang", "unknown_language", "Langue inconnue : fr ou en.")
    })?;
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.is_https())
        .max_age(CookieDuration::days(365))
        .finish();
    Ok(
        super::redirects::see_other_with(safe_local_path(&form.next))
            .cookie(cookie)
            .finish(),
    )
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub page: Page,
    pub title: String,
    pub text: String,
    /// What to do about it, when the refusal says: (address, label).
    pub action: Option<(String, String)>,
    pub request_id: Option<String>,
}

/// The HTML page for an error status, in the visitor's language; `code`, the problem's
/// own, says more where it can (the second factor to turn on, or to sign in with).
pub fn error_page(
    req: &HttpRequest,
    status: u16,
    code: Option<&str>,
    request_id: Option<String>,
) -> Option<String> {
    let page = Page::new(req);
    let known = [400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503];
    let shown = if known.contains(&status) {
        status
    } else if status >= 500 {
        500
    } else {
        400
    };
    let mut title = page.t.get(&format!("error-title-{shown}"));
    let mut text = page.t.get(if status >= 500 {
        "error-text-server"
    } else {
        "error-text-client"
    });
    let mut action = None;
    match code {
        Some("second_factor_off") => {
            title = page.t.get("error-second-factor-title");
            text = page.t.get("error-second-factor-off");
            action = Some((
                "/compte".to_owned(),
                page.t.get("error-second-factor-turn-on"),
            ));
        }
        Some("second_factor_not_presented") => {
            title = page.t.get("error-second-factor-title");
            text = page.t.get("error-second-factor-sign-in");
            action = Some((
                crate::web::redirects::sign_in_then(req.path()),
                page.t.get("error-second-factor-sign-in-again"),
            ));
        }
        _ => {}
    }
    ErrorPage {
        page,
        title,
        text,
        action,
        request_id,
    }
    .render()
    .ok()
}
