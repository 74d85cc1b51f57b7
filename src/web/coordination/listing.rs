//! The rounds list, and a new round.

use super::*;

pub struct RoundLine {
    pub slug: String,
    pub title: String,
    pub status: &'static str,
    pub closes_at: String,
}

#[derive(Template)]
#[template(path = "coordination/rounds.html")]
pub(super) struct RoundsPage {
    page: Page,
    form: FormState,
    rounds: Vec<RoundLine>,
}

pub(super) async fn rounds_page(
    req: &HttpRequest,
    state: &AppState,
    coordinator: &Coordinator,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let now = state.clock.now();
    let lines = rounds::visible_rounds(&state.db, Some(coordinator))
        .await?
        .into_iter()
        .map(|(r, _)| RoundLine {
            status: r.status_at(now).as_str(),
            closes_at: page.t.datetime(r.closes_at),
            slug: r.slug,
            title: r.title,
        })
        .collect();
    render_with_status(
        &RoundsPage {
            page,
            form,
            rounds: lines,
        },
        status,
    )
}

#[get("/coordination/consultations")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
) -> Result<HttpResponse, AppError> {
    rounds_page(
        &req,
        &state,
        &coordinator,
        FormState::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct NewRoundForm {
    slug: String,
    title: String,
    #[serde(default)]
    summary: String,
    closes_at: String,
    audience: String,
}

#[post("/coordination/consultations")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    form: web::Form<NewRoundForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let outcome = async {
        let closes_at = paris_to_utc("closes_at", &f.closes_at).and_then(|at| {
            at.ok_or_else(|| {
                FieldError::new("closes_at", "required", "Indiquez la date de clôture.")
            })
        });
        let input = |closes_at| RoundInput {
            slug: f.slug.clone(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            body: String::new(),
            opens_at: None,
            closes_at,
            audience: f.audience.clone(),
        };
        match closes_at {
            Ok(at) => service::create(&state, &coordinator, input(at), origin_of(&req)).await,
            // The date unread: the other fields are checked all the same (with a stand-in
            // date the check does not read), so that every error shows at once.
            Err(date) => {
                let mut errors = service::new_round_errors(&input(state.clock.now()));
                errors.push(date);
                Err(AppError::Validation(errors))
            }
        }
    }
    .await;
    match outcome {
        Ok(detail) => Ok(see_other(&format!(
            "/coordination/consultations/{}",
            detail.round.slug
        ))),
        Err(error) => {
            let mut form = FormState::with_values([
                ("slug", f.slug.as_str()),
                ("title", f.title.as_str()),
                ("summary", f.summary.as_str()),
                ("closes_at", f.closes_at.as_str()),
            ]);
            let status = form.absorb(error, &Page::new(&req).t)?;
            rounds_page(&req, &state, &coordinator, form, status).await
        }
    }
}
