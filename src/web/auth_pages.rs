//! Pages to get in: sign up, confirm the address, sign in (with the two-factor step),
//! sign out, forgotten password. Forms work without JavaScript.

use actix_web::http::StatusCode;
use actix_web::http::header::REFERRER_POLICY;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use validator::Validate;

use super::forms::FormState;
use super::pages::{Page, render_with_status, safe_local_path};
use super::redirects::{see_other, see_other_with, with_suite};
use crate::auth::devices;
use crate::auth::identity::{
    HalfSignedIn, MaybeSignedIn, SignedIn, expired_session_cookie, origin_of, session_cookie,
};
use crate::error::AppError;
use crate::services::accounts::{self, Registration, SignIn};
use crate::services::two_factor;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/message.html")]
struct MessagePage {
    page: Page,
    title: String,
    text: String,
    link: Option<(String, String)>,
}

fn message(
    mut page: Page,
    title_key: &str,
    text_key: &str,
    link: Option<(&str, &str)>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    page.has_errors = status.is_client_error();
    let title = page.t.get(title_key);
    let text = page.t.get(text_key);
    let link = link.map(|(href, label_key)| (href.to_owned(), page.t.get(label_key)));
    render_with_status(
        &MessagePage {
            page,
            title,
            text,
            link,
        },
        status,
    )
}

// ---- sign up ----

#[derive(Template)]
#[template(path = "auth/sign_up.html")]
struct SignUpPage {
    page: Page,
    form: FormState,
    /// Where to go once the address is confirmed and the person signed in.
    next: String,
}

#[derive(Deserialize, Validate)]
pub struct SignUpForm {
    #[validate(length(max = 320))]
    email: String,
    #[validate(length(max = 400))]
    display_name: String,
    #[validate(length(max = 1024))]
    password: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    suite: String,
}

#[get("/compte/inscription")]
pub async fn sign_up_page(
    req: HttpRequest,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    render_with_status(
        &SignUpPage {
            page: Page::new(&req),
            form: FormState::default(),
            next: safe_local_path(&query.suite).to_owned(),
        },
        StatusCode::OK,
    )
}

#[post("/compte/inscription")]
pub async fn sign_up(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<SignUpForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut page = Page::new(&req);
    let mut shown = FormState::with_values([
        ("email", form.email.as_str()),
        ("display_name", form.display_name.as_str()),
    ]);
    let outcome = match form.validate() {
        Err(e) => Err(AppError::from(e)),
        Ok(()) => {
            let input = Registration {
                email: form.email.clone(),
                display_name: form.display_name.clone(),
                password: form.password,
                then: Some(form.suite.clone()),
            };
            accounts::register(&state, input, origin_of(&req)).await
        }
    };
    match outcome {
        Ok(()) => message(
            page,
            "signup-done-title",
            "signup-done-text",
            None,
            StatusCode::OK,
        ),
        Err(error) => {
            let status = shown.absorb(error, &page.t)?;
            page.has_errors = true;
            let next = safe_local_path(&form.suite).to_owned();
            render_with_status(
                &SignUpPage {
                    page,
                    form: shown,
                    next,
                },
                status,
            )
        }
    }
}

// ---- address verification ----

#[derive(Template)]
#[template(path = "auth/verify.html")]
struct VerifyPage {
    page: Page,
    token: String,
    next: String,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    jeton: String,
    #[serde(default)]
    suite: String,
}

#[derive(Deserialize, Validate)]
pub struct TokenForm {
    #[validate(length(max = 200))]
    token: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    suite: String,
}

/// Shows a button rather than acting on the GET: link scanners and prefetchers follow
/// links, and a GET must not change anything.
#[get("/compte/verifier")]
pub async fn verify_page(
    req: HttpRequest,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let response = render_with_status(
        &VerifyPage {
            page: Page::new(&req),
            token: query.jeton,
            next: safe_local_path(&query.suite).to_owned(),
        },
        StatusCode::OK,
    )?;
    Ok(no_referrer(response))
}

#[post("/compte/verifier")]
pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let page = Page::new(&req);
    form.validate()?;
    let form = form.into_inner();
    let sign_in_link = with_suite("/connexion", &form.suite);
    match accounts::verify_email(&state, form.token, origin_of(&req)).await {
        Ok(()) => message(
            page,
            "verify-done-title",
            "verify-done-text",
            Some((&sign_in_link, "nav-sign-in")),
            StatusCode::OK,
        ),
        Err(AppError::LinkExpired) => message(
            page,
            "verify-failed-title",
            "verify-failed-text",
            Some(("/compte/inscription", "nav-sign-up")),
            StatusCode::CONFLICT,
        ),
        Err(other) => Err(other),
    }
}

/// Pages whose URL carries a token never leak it to another site through `Referer`.
fn no_referrer(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        REFERRER_POLICY,
        actix_web::http::header::HeaderValue::from_static("no-referrer"),
    );
    response
}

// ---- sign in ----

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
struct SignInPage {
    page: Page,
    form: FormState,
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    suite: String,
}

#[derive(Deserialize, Validate)]
pub struct SignInForm {
    #[validate(length(max = 320))]
    email: String,
    #[validate(length(max = 1024))]
    password: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    suite: String,
}

#[get("/connexion")]
pub async fn sign_in_page(
    req: HttpRequest,
    query: web::Query<NextQuery>,
    user: MaybeSignedIn,
) -> Result<HttpResponse, AppError> {
    let next = query.into_inner().suite;
    if user.0.is_some() {
        return Ok(see_other(safe_local_path(&next)));
    }
    render_with_status(
        &SignInPage {
            page: Page::new(&req),
            form: FormState::default(),
            next,
        },
        StatusCode::OK,
    )
}

#[post("/connexion")]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let outcome = match form.validate() {
        Err(e) => Err(AppError::from(e)),
        Ok(()) => {
            accounts::sign_in(&state, form.email.clone(), form.password, origin_of(&req)).await
        }
    };
    // The person's home unless they came from somewhere (an invitation, a response).
    let next = safe_local_path(&form.suite).to_owned();
    match outcome {
        Ok(SignIn::Done { keys, device, .. }) => Ok(see_other_with(&next)
            .cookie(session_cookie(&state.settings, &keys.key))
            .cookie(devices::cookie(&state.settings, device))
            .finish()),
        Ok(SignIn::TotpRequired { keys, device }) => {
            Ok(see_other_with(&with_suite("/connexion/code", &next))
                .cookie(session_cookie(&state.settings, &keys.key))
                .cookie(devices::cookie(&state.settings, device))
                .finish())
        }
        Err(error) => {
            let mut page = Page::new(&req);
            let mut shown = FormState::with_values([("email", form.email.as_str())]);
            let status = shown.absorb(error, &page.t)?;
            page.has_errors = true;
            render_with_status(
                &SignInPage {
                    page,
                    form: shown,
                    next: form.suite,
                },
                status,
            )
        }
    }
}

#[derive(Template)]
#[template(path = "auth/totp.html")]
struct TotpPage {
    page: Page,
    form: FormState,
    next: String,
}

#[derive(Deserialize, Validate)]
pub struct CodeForm {
    #[validate(length(max = 32))]
    code: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    suite: String,
}

#[get("/connexion/code")]
pub async fn totp_page(
    req: HttpRequest,
    half: Option<HalfSignedIn>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if half.is_none() {
        return Ok(see_other("/connexion"));
    }
    render_with_status(
        &TotpPage {
            page: Page::new(&req),
            form: FormState::default(),
            next: safe_local_path(&query.suite).to_owned(),
        },
        StatusCode::OK,
    )
}

#[post("/connexion/code")]
pub async fn totp(
    req: HttpRequest,
    state: web::Data<AppState>,
    half: Option<HalfSignedIn>,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let Some(half) = half else {
        return Ok(see_other("/connexion"));
    };
    let form = form.into_inner();
    let next = safe_local_path(&form.suite).to_owned();
    let outcome = match form.validate() {
        Err(e) => Err(AppError::from(e)),
        Ok(()) => two_factor::complete_sign_in(&state, &half.0, form.code, origin_of(&req)).await,
    };
    match outcome {
        Ok((_, keys)) => Ok(see_other_with(&next)
            .cookie(session_cookie(&state.settings, &keys.key))
            .finish()),
        Err(error) => {
            let mut page = Page::new(&req);
            let mut shown = FormState::default();
            let status = shown.absorb(error, &page.t)?;
            page.has_errors = true;
            render_with_status(
                &TotpPage {
                    page,
                    form: shown,
                    next,
                },
                status,
            )
        }
    }
}

#[post("/deconnexion")]
pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<SignedIn>,
) -> Result<HttpResponse, AppError> {
    // A page's sign-out is a session's; nothing to end without one.
    if let Some(SignedIn(identity)) = user
        && identity.session_id.is_some()
    {
        accounts::sign_out(&state, &identity, origin_of(&req)).await?;
    }
    Ok(see_other_with("/")
        .cookie(expired_session_cookie(&state.settings))
        .finish())
}

// ---- forgotten password ----

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    page: Page,
    form: FormState,
}

#[derive(Deserialize, Validate)]
pub struct ForgotForm {
    #[validate(length(max = 320))]
    email: String,
}

#[get("/compte/mot-de-passe-oublie")]
pub async fn forgot_page(req: HttpRequest) -> Result<HttpResponse, AppError> {
    render_with_status(
        &ForgotPage {
            page: Page::new(&req),
            form: FormState::default(),
        },
        StatusCode::OK,
    )
}

#[post("/compte/mot-de-passe-oublie")]
pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let outcome = match form.validate() {
        Err(e) => Err(AppError::from(e)),
        Ok(()) => accounts::request_reset(&state, form.email.clone(), origin_of(&req)).await,
    };
    let mut page = Page::new(&req);
    match outcome {
        Ok(()) => message(
            page,
            "forgot-done-title",
            "forgot-done-text",
            None,
            StatusCode::OK,
        ),
        Err(error) => {
            let mut shown = FormState::with_values([("email", form.email.as_str())]);
            let status = shown.absorb(error, &page.t)?;
            page.has_errors = true;
            render_with_status(&ForgotPage { page, form: shown }, status)
        }
    }
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct ResetPage {
    page: Page,
    form: FormState,
    token: String,
}

#[derive(Deserialize, Validate)]
pub struct ResetForm {
    #[validate(length(max = 200))]
    token: String,
    #[validate(length(max = 1024))]
    password: String,
}

#[get("/compte/reinitialiser")]
pub async fn reset_page(
    req: HttpRequest,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let page = ResetPage {
        page: Page::new(&req),
        form: FormState::default(),
        token: query.into_inner().jeton,
    };
    Ok(no_referrer(render_with_status(&page, StatusCode::OK)?))
}

#[post("/compte/reinitialiser")]
pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let outcome = match form.validate() {
        Err(e) => Err(AppError::from(e)),
        Ok(()) => {
            accounts::confirm_reset(&state, form.token.clone(), form.password, origin_of(&req))
                .await
        }
    };
    let mut page = Page::new(&req);
    let response = match outcome {
        Ok(()) => message(
            page,
            "reset-done-title",
            "reset-done-text",
            Some(("/connexion", "nav-sign-in")),
            StatusCode::OK,
        )?,
        Err(error) => {
            let mut shown = FormState::default();
            let status = shown.absorb(error, &page.t)?;
            page.has_errors = true;
            render_with_status(
                &ResetPage {
                    page,
                    form: shown,
                    token: form.token,
                },
                status,
            )?
        }
    };
    Ok(no_referrer(response))
}
