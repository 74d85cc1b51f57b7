//! Sending the published synthesis to another round (`…/synthese/transmettre`): first the
//! round and the organisation whose response it prefills (a GET form, so the choice is
//! in the address), then, per chapter, the question its text goes to and the one its
//! consolidated proposals go to. Posted, the response is prefilled as a draft and the
//! coordinator lands on its review page, which says where it comes from.

use crate::domain::FieldError;
use crate::domain::synthesis::relay::{Part, Route};
use crate::services::synthesis::relay::{self as relay_service, RelayChoices, RelayRequest};

use super::*;

#[derive(Template)]
#[template(path = "coordination/relay.html")]
struct RelayPage {
    page: Page,
    form: FormState,
    slug: String,
    choices: RelayChoices,
    round: String,
    organisation: i64,
    /// Both chosen, and among the choices: the mapping form shows.
    ready: bool,
}

impl RelayPage {
    fn version_line(&self) -> String {
        self.page.t.texts(
            "relay-intro",
            &[("version", self.choices.version.to_string().as_str())],
        )
    }

    /// The select of a chapter's part: its name (also its field in errors).
    fn select_name(&self, part: &str, code: &str) -> String {
        format!("{part}-{code}")
    }

    /// The target's questions a part fills.
    fn questions_for(&self, part: &str) -> Vec<&(String, String, Part)> {
        let wanted = if part == TEXT {
            Part::Text
        } else {
            Part::Proposals
        };
        self.choices
            .questions
            .iter()
            .filter(|(_, _, p)| *p == wanted)
            .collect()
    }

    fn picked(&self, name: &str, code: &str) -> bool {
        self.form.value(name) == code
    }
}

/// The selects' prefixes, by part.
const TEXT: &str = "texte";
const PROPOSALS: &str = "propositions";

#[derive(Deserialize)]
pub struct RelayTarget {
    consultation: Option<String>,
    organisation: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
async fn relay_page(
    req: &HttpRequest,
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    (round, organisation): (String, i64),
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let target = (!round.is_empty()).then(|| round.clone());
    let choices = relay_service::choices(state, coordinator, slug.clone(), target).await?;
    let ready = choices.rounds.iter().any(|(s, _)| *s == round)
        && choices
            .organisations
            .iter()
            .any(|(id, _)| *id == organisation);
    let template = RelayPage {
        page,
        form,
        slug,
        choices,
        round,
        organisation,
        ready,
    };
    render_with_status(&template, status)
}

#[get("/coordination/consultations/{slug}/synthese/transmettre")]
pub async fn relay_view(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    target: web::Query<RelayTarget>,
) -> Result<HttpResponse, AppError> {
    let target = target.into_inner();
    let chosen = (
        target.consultation.unwrap_or_default(),
        target.organisation.unwrap_or(0),
    );
    let form = FormState::default();
    relay_page(
        &req,
        &state,
        &coordinator,
        slug.into_inner(),
        chosen,
        form,
        StatusCode::OK,
    )
    .await
}

/// The routes the selects give, in the page's order, each with its select's name.
fn routes_of(posted: &[(String, String)]) -> Vec<(Route, String)> {
    posted
        .iter()
        .filter(|(_, question)| !question.is_empty())
        .filter_map(|(name, question)| {
            let (part, chapter) = match name.split_once('-')? {
                (TEXT, chapter) => (Part::Text, chapter),
                (PROPOSALS, chapter) => (Part::Proposals, chapter),
                _ => return None,
            };
            let route = Route {
                chapter: chapter.to_owned(),
                part,
                question: question.clone(),
            };
            Some((route, name.clone()))
        })
        .collect()
}

#[post("/coordination/consultations/{slug}/synthese/transmettre")]
pub async fn relay_synthesis(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let posted = form.into_inner();
    let get = |name: &str| {
        posted
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let round = get("consultation").to_owned();
    let organisation: i64 = get("organisation").parse().unwrap_or(0);
    let version = get("version").parse().ok();
    let routes = routes_of(&posted);
    let names: Vec<String> = routes.iter().map(|(_, name)| name.clone()).collect();
    let first_select = posted
        .iter()
        .map(|(name, _)| name.as_str())
        .find(|name| name.starts_with(TEXT) || name.starts_with(PROPOSALS))
        .unwrap_or("mapping")
        .to_owned();
    let outcome = if routes.is_empty() {
        Err(AppError::invalid(
            "mapping",
            "required",
            "choisissez au moins une question où transmettre un chapitre",
        ))
    } else {
        let request = RelayRequest {
            round: round.clone(),
            organisation,
            version,
            routes: routes.into_iter().map(|(route, _)| route).collect(),
        };
        relay_service::relay(&state, &coordinator, slug.clone(), request, origin_of(&req)).await
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "/consultations/{round}/reponse/{organisation}/relecture"
        ))),
        Err(error) => {
            // A line of the mapping is named by its select; the whole mapping by the first.
            let field_of = |field: &str| -> String {
                let line = field
                    .strip_prefix("mapping[")
                    .and_then(|rest| rest.split_once(']'))
                    .and_then(|(i, _)| i.parse::<usize>().ok());
                match (field, line) {
                    (_, Some(i)) if i < names.len() => names[i].clone(),
                    ("round", _) => "consultation".to_owned(),
                    ("mapping", _) => first_select.clone(),
                    _ => field.to_owned(),
                }
            };
            let error = match error {
                AppError::Validation(errors) => AppError::Validation(
                    errors
                        .into_iter()
                        .map(|e| FieldError {
                            field: field_of(&e.field),
                            ..e
                        })
                        .collect(),
                ),
                other => other,
            };
            let values = posted.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            let mut form = FormState::with_values(values);
            let status = form.absorb(error, &Page::new(&req).t)?;
            let chosen = (round, organisation);
            relay_page(&req, &state, &coordinator, slug, chosen, form, status).await
        }
    }
}
