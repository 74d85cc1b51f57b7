//! Proofs of authority. A use case reserved to coordinators or administrators takes one
//! of these instead of the caller's identity. Only the checks here make them (their
//! field is private), so no handler, page or command can reach such a use case without
//! the check, and every refusal is audited in this one place. The web and the API ask
//! for a proof through an extractor that only translates the answer.

use std::future::Future;
use std::ops::Deref;

use super::accounts::Origin;
use crate::auth::identity::Identity;
use crate::domain::accounts::PlatformRole;
use crate::error::AppError;
use crate::state::AppState;

/// What a proof is checked by.
pub trait Proof: Sized + Deref<Target = Identity> {
    /// The proof for `identity`, or the refusal (audited).
    fn check(
        state: &AppState,
        identity: &Identity,
        origin: &Origin,
    ) -> impl Future<Output = Result<Self, AppError>>;
}

/// A coordinator or an administrator.
#[derive(Debug, Clone)]
pub struct Coordinator(Identity);

/// A coordinator (or administrator) whose sign-in presented the second factor: what
/// opening, closing, archiving, exporting and reading organisations' answers need (not
/// merely an account that has it on).
#[derive(Debug, Clone)]
pub struct SecuredCoordinator(Identity);

/// A platform administrator.
#[derive(Debug, Clone)]
pub struct Admin(Identity);

impl Proof for Coordinator {
    async fn check(
        state: &AppState,
        identity: &Identity,
        origin: &Origin,
    ) -> Result<Self, AppError> {
        if identity.account.is_coordinator() {
            return Ok(Self(identity.clone()));
        }
        refused(state, identity, origin).await;
        Err(AppError::Forbidden("réservé à la coordination".into()))
    }
}

impl Coordinator {
    /// The same coordinator, if this sign-in presented the second factor.
    pub async fn with_second_factor(
        self,
        state: &AppState,
        origin: &Origin,
    ) -> Result<SecuredCoordinator, AppError> {
        if self.0.second_factor {
            return Ok(SecuredCoordinator(self.0));
        }
        refused(state, &self.0, origin).await;
        Err(second_factor_needed(&self.0))
    }
}

impl Proof for SecuredCoordinator {
    async fn check(
        state: &AppState,
        identity: &Identity,
        origin: &Origin,
    ) -> Result<Self, AppError> {
        Coordinator::check(state, identity, origin)
            .await?
            .with_second_factor(state, origin)
            .await
    }
}

impl Proof for Admin {
    async fn check(
        state: &AppState,
        identity: &Identity,
        origin: &Origin,
    ) -> Result<Self, AppError> {
        if identity.account.role == PlatformRole::Admin {
            return Ok(Self(identity.clone()));
        }
        refused(state, identity, origin).await;
        Err(AppError::Forbidden("réservé aux administrateurs".into()))
    }
}

macro_rules! proof_is_its_identity {
    ($($proof:ty),+) => {$(
        impl Deref for $proof {
            type Target = Identity;

            fn deref(&self) -> &Identity {
                &self.0
            }
        }
    )+};
}

proof_is_its_identity!(Coordinator, SecuredCoordinator, Admin);

/// The refusal of a power two-factor guards, saying what to do.
pub(crate) fn second_factor_needed(identity: &Identity) -> AppError {
    AppError::SecondFactorNeeded {
        enabled: identity.account.two_factor,
    }
}

/// Records a refused authorisation (never fails the request itself).
pub async fn refused(state: &AppState, identity: &Identity, origin: &Origin) {
    let (actor, origin) = (identity.account.id, origin.clone());
    let result = state
        .db
        .run(move |conn| {
            super::accounts::audit(conn, Some(actor), "authorisation_refused", &origin)
        })
        .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "audit event not recorded");
    }
}
