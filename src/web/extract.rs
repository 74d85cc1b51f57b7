//! Who may open a page, decided before the handler runs (crates.io's `AuthCheck` idea):
//! a handler that takes `SignedInPage` or `CoordinatorPage` cannot forget to check.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::http::header::REFERER;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use futures_util::future::LocalBoxFuture;

use super::redirects::{safe_local_path, sign_in_first};
use crate::auth::identity::{Identity, fully_signed_in as signed_in, origin_of};
use crate::error::AppError;
use crate::services::authority::{Admin, Coordinator, Proof, SecuredCoordinator};
use crate::state::AppState;

/// Not signed in: to the sign-in page, which comes back to `0` afterwards.
#[derive(Debug)]
struct SignInFirst(String);

impl std::fmt::Display for SignInFirst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sign in first, then back to {}", self.0)
    }
}

impl ResponseError for SignInFirst {
    fn error_response(&self) -> HttpResponse {
        sign_in_first(&self.0)
    }
}

/// Where to come back after signing in: the page asked for; for a form, the page it was
/// sent from (its `Referer`, of which only the path is kept), else the home page.
fn back_to(req: &HttpRequest) -> String {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
    }
    let referer = req.headers().get(REFERER).and_then(|v| v.to_str().ok());
    let path = referer
        .and_then(|r| url::Url::parse(r).ok())
        .map(|u| match u.query() {
            Some(query) => format!("{}?{query}", u.path()),
            None => u.path().to_owned(),
        });
    safe_local_path(path.as_deref().unwrap_or("/")).to_owned()
}

/// A page for signed-in people: their identity, or the way to sign in first.
pub struct SignedInPage(pub Identity);

impl FromRequest for SignedInPage {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match signed_in(req) {
            Some(identity) => Ok(SignedInPage(identity)),
            None => Err(SignInFirst(back_to(req)).into()),
        })
    }
}

/// A page for coordinators (and administrators): signed in first, and anyone else
/// refused (403, the refusal audited by `services::authority`), which hands the
/// handler the proof its use cases take.
pub struct CoordinatorPage(pub Coordinator);

/// A page for administrators, the same way.
pub struct AdminPage(pub Admin);

/// The proof `P` for whoever asks for this page: signed in first (else to the sign-in
/// page), then the service's check.
async fn proven<P: Proof>(req: HttpRequest) -> Result<P, actix_web::Error> {
    let Some(identity) = signed_in(&req) else {
        return Err(SignInFirst(back_to(&req)).into());
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no application state")))?;
    Ok(P::check(state, &identity, &origin_of(&req)).await?)
}

macro_rules! page_for {
    ($($page:ident($proof:ty)),+) => {$(
        impl FromRequest for $page {
            type Error = actix_web::Error;
            type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move { proven::<$proof>(req).await.map($page) })
            }
        }
    )+};
}

/// A page for coordinators signed in with the second factor (reading answers).
pub struct SecuredCoordinatorPage(pub SecuredCoordinator);

page_for!(
    CoordinatorPage(Coordinator),
    SecuredCoordinatorPage(SecuredCoordinator),
    AdminPage(Admin)
);

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::back_to;

    #[test]
    fn a_reading_comes_back_to_itself_and_a_form_to_its_page() {
        let get = TestRequest::get()
            .uri("/consultations/ia/reponse/3?chapitre=E2")
            .to_http_request();
        assert_eq!(back_to(&get), "/consultations/ia/reponse/3?chapitre=E2");
        let form = TestRequest::post()
            .uri("/compte/profil")
            .insert_header((
                "referer",
                "https://concerto.exemple.fr/compte?onglet=profil",
            ))
            .to_http_request();
        assert_eq!(back_to(&form), "/compte?onglet=profil");
        for referer in [
            "",
            "nonsense",
            "https://evil.example",
            "https://x.fr//evil.example/",
        ] {
            let form = TestRequest::post()
                .uri("/compte/profil")
                .insert_header(("referer", referer))
                .to_http_request();
            assert_eq!(back_to(&form), "/", "{referer}");
        }
    }
}
