//! Two-factor sign-in over the JSON API.

use super::body::Json;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::NO_STORE;
use super::auth::{SignedInView, UserView};
use crate::auth::identity::{HalfSignedIn, SignedIn, origin_of, session_cookie};
use crate::error::{AppError, Problem};
use crate::services::two_factor;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpSetupView {
    /// Base32 secret, for typing into an authenticator app (SHA-1, 6 digits, 30 s).
    pub secret: String,
    pub otpauth_uri: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct CodeRequest {
    /// A 6-digit code, or (at sign-in) a recovery code.
    #[validate(length(min = 6, max = 32))]
    #[schema(min_length = 6, max_length = 32)]
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodesView {
    /// Each works once in place of a code. Shown only now.
    pub recovery_codes: Vec<String>,
}

#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "A new secret awaiting confirmation", body = TotpSetupView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already enabled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/totp/setup")]
pub async fn setup(state: web::Data<AppState>, user: SignedIn) -> Result<HttpResponse, AppError> {
    let setup = two_factor::begin_setup(&state, &user.0).await?;
    Ok(HttpResponse::Ok()
        .insert_header(NO_STORE)
        .json(TotpSetupView {
            secret: setup.secret,
            otpauth_uri: setup.otpauth_uri,
        }))
}

#[utoipa::path(
    tag = "auth",
    request_body = CodeRequest,
    responses(
        (status = 200, description = "Two-factor sign-in is on", body = RecoveryCodesView),
        (status = 409, description = "No pending secret, or already enabled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong code", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/totp/confirm")]
pub async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    body: Json<CodeRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let codes =
        two_factor::confirm_setup(&state, &user.0, body.into_inner().code, origin_of(&req)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(NO_STORE)
        .json(RecoveryCodesView {
            recovery_codes: codes,
        }))
}

#[utoipa::path(
    tag = "auth",
    request_body = CodeRequest,
    responses(
        (status = 200, description = "Signed in", body = SignedInView),
        (status = 401, description = "No half-signed-in session", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Throttled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/auth/login/totp")]
pub async fn login_totp(
    req: HttpRequest,
    state: web::Data<AppState>,
    half: HalfSignedIn,
    body: Json<CodeRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let (account, keys) =
        two_factor::complete_sign_in(&state, &half.0, body.into_inner().code, origin_of(&req))
            .await?;
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&state.settings, &keys.key))
        .json(SignedInView {
            user: UserView::from(&account),
            csrf_token: keys.csrf_token,
        }))
}
