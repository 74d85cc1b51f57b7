//! The privacy page (`/confidentialite`): who is responsible for the personal data, why
//! it is processed and on what legal basis, what is kept and how long, who receives it,
//! and how to exercise one's rights, written from the configuration (`[privacy]`,
//! `[sessions]`) so that it always says what the service does.

use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::pages::{Page, render};
use crate::config::PrivacySettings;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    page: Page,
    privacy: PrivacySettings,
    idle_minutes: i64,
    absolute_hours: i64,
}

impl PrivacyPage {
    /// A sentence of the page with the configured numbers in it.
    fn said(&self, key: &str) -> String {
        let p = &self.privacy;
        let numbers = [
            ("idle", self.idle_minutes.max(0) as usize),
            ("hours", self.absolute_hours.max(0) as usize),
            ("ip_months", p.audit_ip_months as usize),
            ("email_days", p.outbox_body_days as usize),
            ("draft_months", p.archived_drafts_months as usize),
            ("answer_months", p.archived_answers_months as usize),
        ];
        self.page.t.numbers(key, &numbers)
    }
}

#[get("/confidentialite")]
pub async fn privacy_page(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let settings = &state.settings;
    render(&PrivacyPage {
        page: Page::new(&req),
        privacy: settings.privacy.clone(),
        idle_minutes: settings.sessions.idle_minutes,
        absolute_hours: settings.sessions.absolute_hours,
    })
}
