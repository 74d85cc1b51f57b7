//! Signing up, in and out over the JSON API.

use super::body::Json;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::devices;
use crate::auth::identity::{SignedIn, expired_session_cookie, origin_of, session_cookie};
use crate::domain::accounts::Account;
use crate::error::{AppError, Problem};
use crate::services::accounts::{self, Registration, SignIn};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// `none`, `coordinator` or `admin`.
    pub platform_role: String,
    /// `fr` or `en`: the language of emails and pages.
    pub language: String,
    pub two_factor_enabled: bool,
}

impl From<&Account> for UserView {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id,
            email: a.email.clone(),
            display_name: a.display_name.clone(),
            platform_role: a.role.as_str().to_owned(),
            language: a.language.code().to_owned(),
            two_factor_enabled: a.two_factor,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedInView {
    pub user: UserView,
    /// Send it back as `X-CSRF-Token` on every unsafe request made with the session cookie.
    pub csrf_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpRequiredView {
    /// Always true: post the code to `/api/v1/auth/login/totp`.
    pub totp_required: bool,
    /// For that one request (`X-CSRF-Token`): the half session uses a cookie too.
    pub csrf_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusView {
    pub status: &'static str,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RegisterRequest {
    #[validate(length(max = 320))]
    pub email: String,
    #[validate(length(max = 1024))]
    pub password: String,
    #[validate(length(max = 400))]
    pub display_name: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct TokenRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct LoginRequest {
    #[validate(length(max = 320))]
    pub email: String,
    #[validate(length(max = 1024))]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ResetRequest {
    #[validate(length(max = 320))]
    pub email: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ResetConfirmRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    #[validate(length(max = 1024))]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    pub organisation_id: i64,
    pub name: String,
    /// `pending`, `approved`, `rejected` or `suspended`.
    pub status: String,
    /// `owner`, `editor` or `viewer`.
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub user: UserView,
    /// The organisations one belongs to, with one's role in each.
    pub memberships: Vec<MembershipView>,
    pub csrf_token: Option<String>,
}

/// Creates an account and emails a verification link. The answer is the same whether
/// or not the address already has an account.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Verification email sent", body = StatusView),
        (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Throttled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/register")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<RegisterRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let body = body.into_inner();
    let input = Registration {
        email: body.email,
        display_name: body.display_name,
        password: body.password,
        then: None,
    };
    accounts::register(&state, input, origin_of(&req)).await?;
    Ok(HttpResponse::Created().json(StatusView {
        status: "verification_sent",
    }))
}

#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Address verified", body = StatusView),
        (status = 409, description = "Unknown, used or expired link (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/verify-email")]
pub async fn verify_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    accounts::verify_email(&state, body.into_inner().token, origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(StatusView { status: "verified" }))
}

#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in (or `{totp_required: true}` with a half session)", body = SignedInView),
        (status = 401, description = "Unknown email or wrong password (same answer)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Address not verified, or account suspended", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Throttled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let body = body.into_inner();
    Ok(
        match accounts::sign_in(&state, body.email, body.password, origin_of(&req)).await? {
            SignIn::Done {
                account,
                keys,
                device,
            } => HttpResponse::Ok()
                .cookie(session_cookie(&state.settings, &keys.key))
                .cookie(devices::cookie(&state.settings, device))
                .json(SignedInView {
                    user: UserView::from(&account),
                    csrf_token: keys.csrf_token,
                }),
            SignIn::TotpRequired { keys, device } => HttpResponse::Ok()
                .cookie(session_cookie(&state.settings, &keys.key))
                .cookie(devices::cookie(&state.settings, device))
                .json(TotpRequiredView {
                    totp_required: true,
                    csrf_token: keys.csrf_token,
                }),
        },
    )
}

#[utoipa::path(
    tag = "auth",
    responses(
        (status = 204, description = "Signed out; the session is dead server-side"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
) -> Result<HttpResponse, AppError> {
    accounts::sign_out(&state, &user.0, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent()
        .cookie(expired_session_cookie(&state.settings))
        .finish())
}

#[utoipa::path(
    tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "Accepted, whatever the address", body = StatusView),
        (status = 429, description = "Throttled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/password-reset")]
pub async fn password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<ResetRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    accounts::request_reset(&state, body.into_inner().email, origin_of(&req)).await?;
    Ok(HttpResponse::Accepted().json(StatusView { status: "accepted" }))
}

#[utoipa::path(
    tag = "auth",
    request_body = ResetConfirmRequest,
    responses(
        (status = 200, description = "Password changed; every session closed; not signed in", body = StatusView),
        (status = 409, description = "Unknown, used or expired link (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Password refused, with the reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/password-reset/confirm")]
pub async fn password_reset_confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<ResetConfirmRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let body = body.into_inner();
    accounts::confirm_reset(&state, body.token, body.password, origin_of(&req)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Referrer-Policy", "no-referrer"))
        .json(StatusView {
            status: "password_changed",
        }))
}

#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "Everything Concerto holds about the signed-in person (right of access and portability): a ZIP with `mes-donnees/donnees.json` (account, memberships, sessions, tokens' names, audit events, answer versions written) and `mes-donnees/LISEZMOI.txt`. Audited.", content_type = "application/zip", body = Vec<u8>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/me/data")]
pub async fn my_data(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
) -> Result<HttpResponse, AppError> {
    let origin = crate::auth::identity::origin_of(&req);
    let (zip, name) = crate::services::my_data::archive(&state, &user.0, origin).await?;
    Ok(personal_archive(zip, &name))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    /// The account's password.
    pub password: String,
    /// With two-factor sign-in on: the current code, or a recovery code.
    #[serde(default)]
    pub code: Option<String>,
}

#[utoipa::path(
    tag = "auth",
    request_body = EraseRequest,
    responses(
        (status = 204, description = "The account and its personal data deleted; what the person wrote for organisations stays theirs, by a former member"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The only owner of an organisation (named): someone must take over first", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password or code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/me/erasure")]
pub async fn erase_me(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    body: Json<EraseRequest>,
) -> Result<HttpResponse, AppError> {
    let origin = crate::auth::identity::origin_of(&req);
    let body = body.into_inner();
    crate::services::my_data::erase_own(&state, &user.0, body.password, body.code, origin).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The archive as a download nobody caches.
pub(crate) fn personal_archive(zip: Vec<u8>, name: &str) -> HttpResponse {
    use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/zip"))
        .insert_header(super::attachment(name))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(zip)
}

#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The signed-in user", body = MeView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/me")]
pub async fn me(state: web::Data<AppState>, user: SignedIn) -> Result<HttpResponse, AppError> {
    let identity = user.0;
    let id = identity.account.id;
    let memberships = state
        .db
        .run(move |conn| {
            crate::store::organisations::list_for_user(conn, id).map_err(AppError::from)
        })
        .await?
        .into_iter()
        .map(|(org, role)| MembershipView {
            organisation_id: org.id,
            name: org.name,
            status: org.status,
            role,
        })
        .collect();
    Ok(HttpResponse::Ok().json(MeView {
        user: UserView::from(&identity.account),
        memberships,
        csrf_token: identity.csrf_token,
    }))
}
