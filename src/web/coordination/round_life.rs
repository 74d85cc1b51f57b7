//! A round's life: opening, closing and archiving with confirmation, invitations, duplication.

use super::*;

#[derive(Deserialize)]
pub struct LifecycleForm {
    action: String,
    #[serde(default)]
    confirm: String,
    /// At archiving: `keep` or `purge` the answers after the retention period.
    #[serde(default)]
    answers: String,
}

/// Opening, closing and archiving ask for an explicit confirmation (a checkbox: it
/// works without JavaScript and is announced by screen readers).
#[post("/coordination/consultations/{slug}/etat")]
pub async fn lifecycle(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<LifecycleForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let outcome = if form.confirm != "oui" {
        Err(AppError::invalid(
            "confirm",
            "not_confirmed",
            "Cochez la case de confirmation pour continuer.",
        ))
    } else {
        use crate::domain::rounds::RoundAction;
        match RoundAction::parse(&form.action) {
            Some(action) => {
                let kept = crate::api::round_admin::answers_kept(Some(&form.answers));
                match kept {
                    Ok(kept) => {
                        let origin = origin_of(&req);
                        run(&state, &coordinator, (action, kept), &slug, origin).await
                    }
                    Err(e) => Err(e),
                }
            }
            None => Err(AppError::invalid(
                "action",
                "unknown_action",
                "Action inconnue.",
            )),
        }
    };
    after(
        &req,
        &state,
        &coordinator,
        &slug,
        FormState::default(),
        outcome,
    )
    .await
}

/// Opens, closes or archives the round: powers the second factor guards.
async fn run(
    state: &AppState,
    coordinator: &Coordinator,
    (action, answers_kept): (crate::domain::rounds::RoundAction, bool),
    slug: &str,
    origin: Origin,
) -> Result<(), AppError> {
    use crate::domain::rounds::RoundAction;
    let secured = coordinator
        .clone()
        .with_second_factor(state, &origin)
        .await?;
    let slug = slug.to_owned();
    match action {
        RoundAction::Open => service::open(state, &secured, slug, origin).await,
        RoundAction::Close => service::close(state, &secured, slug, origin).await,
        RoundAction::Archive => service::archive(state, &secured, slug, origin, answers_kept).await,
    }
    .map(|_| ())
}

#[post("/coordination/consultations/{slug}/invitations")]
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let ids: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "organisation_ids")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let outcome = if ids.is_empty() {
        Err(AppError::invalid(
            "organisation_ids",
            "required",
            "Cochez au moins une organisation.",
        ))
    } else {
        service::invite(&state, &coordinator, slug.clone(), ids, origin_of(&req))
            .await
            .map(|_| ())
    };
    after(
        &req,
        &state,
        &coordinator,
        &slug,
        FormState::default(),
        outcome,
    )
    .await
}

#[derive(Deserialize)]
pub struct DuplicateForm {
    copy_slug: String,
}

#[post("/coordination/consultations/{slug}/dupliquer")]
pub async fn duplicate(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<DuplicateForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    match service::duplicate(
        &state,
        &coordinator,
        slug.clone(),
        form.copy_slug.trim().to_owned(),
        None,
        origin_of(&req),
    )
    .await
    {
        Ok(copy) => Ok(see_other(&format!(
            "/coordination/consultations/{}",
            copy.round.slug
        ))),
        Err(error) => {
            let values = FormState::with_values([("copy_slug", form.copy_slug.as_str())]);
            after(
                &req,
                &state,
                &coordinator,
                &slug,
                values,
                Err(prefixed(error, "copy_")),
            )
            .await
        }
    }
}
