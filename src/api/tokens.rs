//! Personal API tokens.

use super::body::Json;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::identity::{SignedIn, origin_of};
use crate::error::{AppError, Problem};
use crate::services::my_account;
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewTokenRequest {
    /// What the token is for, e.g. "import script".
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: String,
    /// Days until the token stops working: 90 unless said, at most 365.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 365, default = 90)]
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTokenView {
    pub id: i64,
    pub name: String,
    /// Use as `Authorization: Bearer <token>`. Shown only now.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenView>,
}

#[utoipa::path(
    tag = "auth",
    request_body = NewTokenRequest,
    responses(
        (status = 201, description = "Created; the token is shown once", body = CreatedTokenView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Asked with a token: tokens are made from a signed-in session", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or lifetime", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/tokens")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    body: Json<NewTokenRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let token = my_account::create_token(
        &state,
        &user.0,
        &body.name,
        body.expires_in_days,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(super::NO_STORE)
        .json(CreatedTokenView {
            id: token.id,
            name: token.name,
            token: token.token,
            expires_at: token.expires_at,
        }))
}

#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "One's live tokens (never their value)", body = TokenList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/tokens")]
pub async fn list(state: web::Data<AppState>, user: SignedIn) -> Result<HttpResponse, AppError> {
    let tokens = my_account::tokens(&state, &user.0)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            created_at: t.created_at.and_utc(),
            last_used_at: t.last_used_at.map(|d| d.and_utc()),
            expires_at: t.expires_at.and_utc(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(TokenList { tokens }))
}

#[utoipa::path(
    tag = "auth",
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such live token of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api/v1/tokens/{id}")]
pub async fn revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    my_account::revoke_token(&state, &user.0, id.into_inner(), origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}
