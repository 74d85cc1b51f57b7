//! The administration pages: accounts and their platform roles, suspensions, and the
//! audit trail (coordinators read it too).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use validator::Validate;

use super::extract::{AdminPage, CoordinatorPage};
use super::pages::{Page, format_datetime, render_with_status};
use super::redirects::{self, see_other};
use crate::auth::identity::origin_of;
use crate::domain::accounts::PlatformRole;
use crate::error::AppError;
use crate::services::admin;
use crate::state::AppState;
use crate::store::audit::AuditFilter;

pub struct UserLine {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub suspended: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    users: Vec<UserLine>,
}

#[get("/admin/utilisateurs")]
pub async fn users(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminPage(administrator): AdminPage,
) -> Result<HttpResponse, AppError> {
    let users = admin::users(&state, &administrator)
        .await?
        .into_iter()
        .map(|u| UserLine {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.platform_role,
            suspended: u.suspended_at.is_some(),
        })
        .collect();
    render_with_status(
        &UsersPage {
            page: Page::new(&req),
            users,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

#[post("/admin/utilisateurs/{id}/role")]
pub async fn set_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminPage(administrator): AdminPage,
    id: web::Path<i64>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let origin = origin_of(&req);
    let role = PlatformRole::parse(&form.role)
        .ok_or_else(|| AppError::invalid("role", "unknown_role", "Rôle inconnu."))?;
    admin::set_role(&state, &administrator, id.into_inner(), role, origin).await?;
    Ok(see_other("/admin/utilisateurs"))
}

#[derive(Deserialize)]
pub struct SuspensionForm {
    suspend: bool,
}

#[post("/admin/utilisateurs/{id}/suspension")]
pub async fn set_suspension(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminPage(administrator): AdminPage,
    id: web::Path<i64>,
    form: web::Form<SuspensionForm>,
) -> Result<HttpResponse, AppError> {
    let origin = origin_of(&req);
    admin::set_suspended(
        &state,
        &administrator,
        id.into_inner(),
        form.suspend,
        origin,
    )
    .await?;
    Ok(see_other("/admin/utilisateurs"))
}

/// Erases an account on its owner's request (refused for the only owner of an
/// organisation, and for one's own account: that is the account page's).
#[post("/admin/utilisateurs/{id}/suppression")]
pub async fn erase_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminPage(administrator): AdminPage,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    if !form.iter().any(|(k, v)| k == "confirm" && v == "oui") {
        return Err(AppError::invalid(
            "confirm",
            "not_confirmed",
            "Cochez la case de confirmation pour supprimer le compte.",
        ));
    }
    let origin = origin_of(&req);
    crate::services::my_data::erase_by_admin(&state, &administrator, id.into_inner(), origin)
        .await?;
    Ok(see_other("/admin/utilisateurs"))
}

/// An audit event's kind as people read it; its code when no words are written for it
/// (the journal never hides an event).
fn action_in_words(t: &crate::i18n::Tr, code: &str) -> String {
    t.try_get(&format!("audit-action-{code}"))
        .unwrap_or_else(|| code.to_owned())
}

pub struct EventLine {
    pub when: String,
    pub who: String,
    /// The event in words ("Consultation ouverte"), its code beside it for searches.
    pub action_text: String,
    pub action: String,
    pub target: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: Page,
    events: Vec<EventLine>,
    query: AuditQuery,
    /// (code, words) of every kind of event stored.
    actions: Vec<(String, String)>,
    /// The next (older) page's address, when this one is full.
    older: Option<String>,
}

/// The journal's filters, as the form sends them (all optional).
#[derive(Debug, Clone, Default, Deserialize, Validate)]
pub struct AuditQuery {
    #[serde(default)]
    #[validate(length(max = 100))]
    action: String,
    #[serde(default)]
    #[validate(length(max = 320))]
    qui: String,
    #[serde(default)]
    #[validate(length(max = 10))]
    du: String,
    #[serde(default)]
    #[validate(length(max = 10))]
    au: String,
    #[serde(default)]
    avant: Option<i64>,
}

impl AuditQuery {
    fn filter(&self) -> Result<AuditFilter, AppError> {
        let day = |field: &str, value: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
            let value = value.trim();
            if value.is_empty() {
                return Ok(None);
            }
            chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    AppError::invalid(field, "invalid_date", "Date attendue (jj/mm/aaaa).")
                })
        };
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(AuditFilter {
            action: text(&self.action),
            actor: text(&self.qui),
            from: day("du", &self.du)?.and_then(|d| d.and_hms_opt(0, 0, 0)),
            // Up to the end of that day.
            until: day("au", &self.au)?
                .and_then(|d| d.succ_opt())
                .and_then(|d| d.and_hms_opt(0, 0, 0)),
            before: self.avant,
        })
    }

    /// This query's address for the page of events older than `before`.
    fn older_than(&self, before: i64) -> String {
        let pairs = [
            ("action", self.action.as_str()),
            ("qui", self.qui.as_str()),
            ("du", self.du.as_str()),
            ("au", self.au.as_str()),
        ];
        let mut url = format!("/admin/journal?avant={before}");
        for (name, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            url.push_str(&format!("&{name}={}", redirects::percent_encode(value)));
        }
        url
    }
}

#[get("/admin/journal")]
pub async fn audit(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    query.validate()?;
    let filter = query.filter()?;
    let page = Page::new(&req);
    let (rows, actions) = admin::audit_log(&state, &coordinator, filter).await?;
    let older = (rows.len() as i64 == admin::AUDIT_PAGE)
        .then(|| rows.last().map(|r| query.older_than(r.id)))
        .flatten();
    let events = rows
        .into_iter()
        .map(|e| EventLine {
            when: format_datetime(e.occurred_at.and_utc(), page.t.lang),
            who: match (e.actor_email, e.actor_user_id) {
                (Some(email), _) => email,
                (None, Some(id)) => format!("#{id}"),
                (None, None) => "—".into(),
            },
            action_text: action_in_words(&page.t, &e.action),
            action: e.action,
            target: e.target.unwrap_or_default(),
            ip: e.ip.unwrap_or_default(),
        })
        .collect();
    let actions = actions
        .into_iter()
        .map(|code| {
            let words = action_in_words(&page.t, &code);
            (code, words)
        })
        .collect();
    render_with_status(
        &AuditPage {
            page,
            events,
            query,
            actions,
            older,
        },
        StatusCode::OK,
    )
}
