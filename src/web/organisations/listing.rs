//! The organisations list (a person's own, or all of them for coordinators), and a new
//! organisation's registration.

use super::*;

pub struct OrgLine {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub legal_id: String,
    pub status: String,
    pub role: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
pub(super) struct ListPage {
    pub(super) page: Page,
    pub(super) coordinator: bool,
    pub(super) organisations: Vec<OrgLine>,
    pub(super) statuses: Vec<&'static str>,
    pub(super) kinds: Vec<&'static str>,
    pub(super) filter_status: String,
    pub(super) filter_kind: String,
    pub(super) filter_q: String,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub(super) statut: String,
    #[serde(default, rename = "type")]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) q: String,
}

#[get("/organisations")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = Filter {
        status: OrganisationStatus::parse(&query.statut),
        kind: OrganisationKind::parse(&query.kind),
        search: Some(query.q.clone()).filter(|q| !q.trim().is_empty()),
    };
    let organisations = service::list(&state, &identity, filter)
        .await?
        .into_iter()
        .map(|(o, role)| OrgLine {
            id: o.id,
            name: o.name,
            kind: o.kind,
            legal_id: o.legal_id,
            status: o.status,
            role: role.map(MemberRole::as_str),
        })
        .collect();
    render_with_status(
        &ListPage {
            page: Page::new(&req),
            coordinator: identity.account.is_coordinator(),
            organisations,
            statuses: OrganisationStatus::ALL.iter().map(|s| s.as_str()).collect(),
            kinds: kinds(),
            filter_status: query.statut,
            filter_kind: query.kind,
            filter_q: query.q,
        },
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "organisations/new.html")]
pub(super) struct NewPage {
    pub(super) page: Page,
    pub(super) form: FormState,
    pub(super) kinds: Vec<&'static str>,
}

#[derive(Deserialize, Validate)]
pub struct NewForm {
    #[validate(length(max = 400))]
    pub(super) name: String,
    #[validate(length(max = 60))]
    pub(super) acronym: String,
    #[validate(length(max = 40))]
    pub(super) kind: String,
    #[validate(length(max = 40))]
    pub(super) legal_id: String,
    #[validate(length(max = 600))]
    pub(super) website: String,
    #[validate(length(max = 320))]
    pub(super) contact_email: String,
    #[validate(length(max = 4000))]
    pub(super) description: String,
}

#[get("/organisations/nouvelle")]
pub async fn new_page(req: HttpRequest, _: SignedInPage) -> Result<HttpResponse, AppError> {
    render_with_status(
        &NewPage {
            page: Page::new(&req),
            form: FormState::default(),
            kinds: kinds(),
        },
        StatusCode::OK,
    )
}

#[post("/organisations/nouvelle")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    form: web::Form<NewForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let outcome = match f.validate() {
        Err(e) => Err(AppError::from(e)),
        Ok(()) => {
            let input = Registration {
                name: f.name.clone(),
                acronym: Some(f.acronym.clone()),
                kind: f.kind.clone(),
                legal_id: f.legal_id.clone(),
                website: Some(f.website.clone()),
                contact_email: f.contact_email.clone(),
                description: Some(f.description.clone()),
            };
            service::register(&state, &identity, input, origin_of(&req)).await
        }
    };
    match outcome {
        Ok(org) => Ok(see_other(&format!(
            "/organisations/{}?fait=inscrite",
            org.id
        ))),
        Err(error) => {
            let mut page = Page::new(&req);
            let mut shown = FormState::with_values([
                ("name", f.name.as_str()),
                ("acronym", f.acronym.as_str()),
                ("kind", f.kind.as_str()),
                ("legal_id", f.legal_id.as_str()),
                ("website", f.website.as_str()),
                ("contact_email", f.contact_email.as_str()),
                ("description", f.description.as_str()),
            ]);
            let status = shown.absorb(error, &page.t)?;
            page.has_errors = true;
            render_with_status(
                &NewPage {
                    page,
                    form: shown,
                    kinds: kinds(),
                },
                status,
            )
        }
    }
}
