//! A caller with a power (coordinator, administrator): the extractor asks
//! `services::authority` for its proof and only translates the answer (401 when not
//! signed in; the refusal, 403, audited by the service). A handler that takes `As<P>`
//! cannot reach a use case reserved to `P` without the check, nor forget it.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::auth::identity::{fully_signed_in, origin_of};
use crate::error::AppError;
use crate::services::authority::Proof;
use crate::state::AppState;

/// The caller, proven to be a `P`.
pub struct As<P>(pub P);

impl<P: Proof + 'static> FromRequest for As<P> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let identity = fully_signed_in(&req).ok_or(AppError::Unauthorized)?;
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no application state")))?;
            P::check(state, &identity, &origin_of(&req)).await.map(As)
        })
    }
}
