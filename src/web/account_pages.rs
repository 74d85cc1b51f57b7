//! The account page: profile, password, two-factor, sessions, API tokens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use validator::Validate;

use super::extract::SignedInPage;
use super::forms::FormState;
use super::pages::{Page, format_datetime, render_with_status};
use super::redirects::see_other;
use crate::auth::identity::{Identity, origin_of, session_cookie};
use crate::auth::totp;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::{my_account, two_factor};
use crate::state::AppState;

pub struct TotpSetupView {
    pub secret: String,
    pub qr_svg: String,
}

pub struct SessionLine {
    pub id: i64,
    pub created_at: String,
    pub last_seen_at: String,
    pub from: String,
    pub current: bool,
}

pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: String,
    pub expires_at: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Page,
    form: FormState,
    notice: Option<String>,
    email: String,
    language: &'static str,
    two_factor: bool,
    totp_setup: Option<TotpSetupView>,
    recovery_codes: Vec<String>,
    sessions: Vec<SessionLine>,
    tokens: Vec<TokenLine>,
    new_token: Option<String>,
}

/// What a POST wants the account page to show besides the saved state.
#[derive(Default)]
struct Extras {
    form: FormState,
    notice_key: Option<&'static str>,
    recovery_codes: Vec<String>,
    new_token: Option<String>,
    status: Option<StatusCode>,
}

async fn account_page(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    extras: Extras,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::new(req);
    page.has_errors = extras.form.has_errors();
    let lang = page.t.lang;
    let when = |t: chrono::NaiveDateTime| format_datetime(t.and_utc(), lang);
    let sessions = my_account::sessions(state, identity)
        .await?
        .into_iter()
        .map(|s| SessionLine {
            id: s.id,
            created_at: when(s.created_at),
            last_seen_at: when(s.last_seen_at),
            from: format!(
                "{} — {}",
                s.ip.unwrap_or_default(),
                s.user_agent
                    .unwrap_or_default()
                    .chars()
                    .take(80)
                    .collect::<String>()
            ),
            current: Some(s.id) == identity.session_id,
        })
        .collect();
    let tokens = my_account::tokens(state, identity)
        .await?
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            name: t.name,
            created_at: when(t.created_at),
            last_used_at: t.last_used_at.map(when).unwrap_or_else(|| "—".into()),
            expires_at: when(t.expires_at),
        })
        .collect();
    let totp_setup = if identity.account.two_factor {
        None
    } else {
        two_factor::pending_secret(state, identity)
            .await?
            .and_then(|secret| {
                let uri = totp::otpauth_uri(&secret, &identity.account.email)?;
                // The SVG goes inline in the page: drop its XML declaration.
                let svg = totp::qr_svg(&uri)?;
                let svg = svg.find("<svg").map(|i| svg[i..].to_owned())?;
                Some(TotpSetupView {
                    secret,
                    qr_svg: svg,
                })
            })
    };
    let notice = extras.notice_key.map(|k| page.t.get(k));
    let template = AccountPage {
        notice,
        email: identity.account.email.clone(),
        language: identity.account.language.code(),
        two_factor: identity.account.two_factor || !extras.recovery_codes.is_empty(),
        totp_setup: if extras.recovery_codes.is_empty() {
            totp_setup
        } else {
            None
        },
        recovery_codes: extras.recovery_codes,
        sessions,
        tokens,
        new_token: extras.new_token,
        // The profile form starts from the name as it is: saving only the language
        // must not send an empty name.
        form: extras
            .form
            .or_value("display_name", &identity.account.display_name),
        page,
    };
    // A new token, recovery codes or a two-factor secret: never kept by any cache.
    let secret = template.new_token.is_some()
        || !template.recovery_codes.is_empty()
        || template.totp_setup.is_some();
    let mut response = render_with_status(&template, extras.status.unwrap_or(StatusCode::OK))?;
    if secret {
        response.headers_mut().insert(
            actix_web::http::header::CACHE_CONTROL,
            actix_web::http::header::HeaderValue::from_static("no-store"),
        );
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: String,
}

#[get("/compte")]
pub async fn account(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let notice_key = match query.fait.as_str() {
        "profil" => Some("account-done-profile"),
        "mot-de-passe" => Some("account-done-password"),
        "session" => Some("account-done-session"),
        "jeton" => Some("account-done-token"),
        _ => None,
    };
    account_page(
        &req,
        &state,
        &identity,
        Extras {
            notice_key,
            ..Extras::default()
        },
    )
    .await
}

/// The person's data, downloaded (right of access and portability).
#[get("/compte/mes-donnees")]
pub async fn my_data(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
) -> Result<HttpResponse, AppError> {
    let origin = origin_of(&req);
    let (zip, name) = crate::services::my_data::archive(&state, &identity, origin).await?;
    Ok(crate::api::auth::personal_archive(zip, &name))
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    erase_password: String,
    #[serde(default)]
    erase_code: String,
}

/// The person deletes their account; signed out, they land on the home page.
#[post("/compte/supprimer")]
pub async fn erase_account(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    form: web::Form<EraseForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let code = (!form.erase_code.trim().is_empty()).then_some(form.erase_code);
    let (password, origin) = (form.erase_password, origin_of(&req));
    let outcome =
        crate::services::my_data::erase_own(&state, &identity, password, code, origin).await;
    match outcome {
        Ok(()) => Ok(super::redirects::see_other_with("/")
            .cookie(crate::auth::identity::expired_session_cookie(
                &state.settings,
            ))
            .finish()),
        Err(error) => {
            // This form's fields are named apart from the password change's.
            let error = match error {
                AppError::Validation(errors) => AppError::Validation(
                    errors
                        .into_iter()
                        .map(|mut e| {
                            e.field = format!("erase_{}", e.field);
                            e
                        })
                        .collect(),
                ),
                other => other,
            };
            let mut form = FormState::default();
            let status = form.absorb(error, &Page::new(&req).t)?;
            account_page(
                &req,
                &state,
                &identity,
                Extras {
                    form,
                    status: Some(status),
                    ..Extras::default()
                },
            )
            .await
        }
    }
}

/// Runs a form's action; on a refusal the account page comes back with the errors.
async fn or_show_errors(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    values: FormState,
    outcome: Result<HttpResponse, AppError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(response) => Ok(response),
        Err(error) => {
            let mut form = values;
            let status = form.absorb(error, &crate::i18n::Tr::new(Lang::of_request(req)))?;
            account_page(
                req,
                state,
                identity,
                Extras {
                    form,
                    status: Some(status),
                    ..Extras::default()
                },
            )
            .await
        }
    }
}

#[derive(Deserialize, Validate)]
pub struct ProfileForm {
    #[validate(length(max = 400))]
    display_name: String,
    #[validate(length(max = 5))]
    language: String,
}

#[post("/compte/profil")]
pub async fn save_profile(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let outcome = async {
        form.validate()?;
        let language = Lang::parse(&form.language).ok_or_else(|| {
            AppError::invalid(
                "language",
                "unknown_language",
                "Langue inconnue : fr ou en.",
            )
        })?;
        my_account::update_profile(
            &state,
            &identity,
            &form.display_name,
            language,
            origin_of(&req),
        )
        .await?;
        Ok(see_other("/compte?fait=profil"))
    }
    .await;
    let values = FormState::with_values([("display_name", form.display_name.as_str())]);
    or_show_errors(&req, &state, &identity, values, outcome).await
}

#[derive(Deserialize, Validate)]
pub struct PasswordForm {
    #[validate(length(max = 1024))]
    current_password: String,
    #[validate(length(max = 1024))]
    password: String,
}

#[post("/compte/mot-de-passe")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let outcome = async {
        form.validate()?;
        let keys = my_account::change_password(
            &state,
            &identity,
            form.current_password,
            form.password,
            origin_of(&req),
        )
        .await?;
        // Every other session is closed; this browser continues with a brand-new one.
        Ok(
            super::redirects::see_other_with("/compte?fait=mot-de-passe")
                .cookie(session_cookie(&state.settings, &keys.key))
                .finish(),
        )
    }
    .await;
    or_show_errors(&req, &state, &identity, FormState::default(), outcome).await
}

#[post("/compte/2fa/activer")]
pub async fn start_two_factor(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
) -> Result<HttpResponse, AppError> {
    let outcome = two_factor::begin_setup(&state, &identity)
        .await
        .map(|_| see_other("/compte#deux-facteurs"));
    or_show_errors(&req, &state, &identity, FormState::default(), outcome).await
}

#[derive(Deserialize, Validate)]
pub struct CodeForm {
    #[validate(length(max = 32))]
    code: String,
}

#[post("/compte/2fa/confirmer")]
pub async fn confirm_two_factor(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let outcome = async {
        form.validate()?;
        two_factor::confirm_setup(&state, &identity, form.into_inner().code, origin_of(&req)).await
    }
    .await;
    match outcome {
        // The recovery codes are shown in this very response, never again.
        Ok(codes) => {
            account_page(
                &req,
                &state,
                &identity,
                Extras {
                    recovery_codes: codes,
                    notice_key: Some("account-done-2fa"),
                    ..Extras::default()
                },
            )
            .await
        }
        Err(error) => {
            or_show_errors(&req, &state, &identity, FormState::default(), Err(error)).await
        }
    }
}

#[post("/compte/sessions/{id}/fermer")]
pub async fn close_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    my_account::revoke_session(&state, &identity, id.into_inner(), origin_of(&req)).await?;
    Ok(see_other("/compte?fait=session"))
}

#[derive(Deserialize, Validate)]
pub struct TokenForm {
    #[validate(length(max = 200))]
    name: String,
    /// Empty: the default lifetime.
    #[serde(default)]
    #[validate(length(max = 10))]
    expires_in_days: String,
}

impl TokenForm {
    fn days(&self) -> Result<Option<u32>, AppError> {
        let days = self.expires_in_days.trim();
        if days.is_empty() {
            return Ok(None);
        }
        days.parse().map(Some).map_err(|_| {
            AppError::invalid(
                "expires_in_days",
                "not_a_number",
                "Un nombre de jours est attendu.",
            )
        })
    }
}

#[post("/compte/jetons")]
pub async fn create_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let outcome = async {
        form.validate()?;
        let days = form.days()?;
        my_account::create_token(&state, &identity, &form.name, days, origin_of(&req)).await
    }
    .await;
    match outcome {
        Ok(token) => {
            account_page(
                &req,
                &state,
                &identity,
                Extras {
                    new_token: Some(token.token),
                    ..Extras::default()
                },
            )
            .await
        }
        Err(error) => {
            let values = FormState::with_values([
                ("name", form.name.as_str()),
                ("expires_in_days", form.expires_in_days.as_str()),
            ]);
            or_show_errors(&req, &state, &identity, values, Err(error)).await
        }
    }
}

#[post("/compte/jetons/{id}/revoquer")]
pub async fn revoke_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    my_account::revoke_token(&state, &identity, id.into_inner(), origin_of(&req)).await?;
    Ok(see_other("/compte?fait=jeton"))
}

// ---- administration ----
