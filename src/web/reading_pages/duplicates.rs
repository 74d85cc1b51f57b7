//! Near-identical answers, and campaigns.

use super::*;

pub struct GroupShown {
    pub answers: String,
    pub campaign: Option<(i64, String)>,
    /// (organisation, organisation id, question, draft, beginning).
    pub members: Vec<(String, i64, String, bool, String)>,
}

#[derive(Template)]
#[template(path = "coordination/duplicates.html")]
struct DuplicatesPage {
    page: Page,
    slug: String,
    threshold: String,
    thresholds: Vec<String>,
    drafts: bool,
    /// How many groups among how many answers compared, as said.
    found: String,
    groups: Vec<GroupShown>,
}

#[derive(Deserialize)]
pub struct DuplicatesQuery {
    #[serde(default)]
    seuil: String,
    #[serde(default)]
    brouillons: Option<String>,
}

/// The thresholds offered: from the lowest the detection serves to identical.
fn thresholds() -> Vec<String> {
    let steps = ((1.0 - LOWEST_THRESHOLD) / 0.05).round() as usize;
    (0..=steps)
        .map(|i| format!("{:.2}", LOWEST_THRESHOLD + i as f64 * 0.05))
        .collect()
}

#[get("/coordination/consultations/{slug}/doublons")]
pub async fn duplicates_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    query: web::Query<DuplicatesQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    // From a select box: a value it does not offer is the default.
    let threshold = query
        .seuil
        .parse::<f64>()
        .ok()
        .filter(|t| (LOWEST_THRESHOLD..=1.0).contains(t))
        .unwrap_or(DEFAULT_THRESHOLD);
    let drafts = query.brouillons.is_some();
    let found =
        duplicate_service::duplicates(&state, &coordinator, slug.clone(), threshold, drafts)
            .await?;
    let groups: Vec<GroupShown> = found
        .groups
        .into_iter()
        .map(|g| GroupShown {
            answers: g
                .members
                .iter()
                .map(|m| m.answer_id.to_string())
                .collect::<Vec<_>>()
                .join(","),
            campaign: g.campaign,
            members: g
                .members
                .into_iter()
                .map(|m| {
                    let beginning = duplicate_service::beginning(&m, 240);
                    let draft =
                        m.status != crate::domain::responses::ResponseStatus::Submitted.as_str();
                    (
                        m.organisation,
                        m.organisation_id,
                        m.question,
                        draft,
                        beginning,
                    )
                })
                .collect(),
        })
        .collect();
    let page = Page::new(&req);
    let found = page.t.numbers(
        "duplicates-found",
        &[("groups", groups.len()), ("compared", found.compared)],
    );
    let template = DuplicatesPage {
        page,
        slug,
        threshold: format!("{threshold:.2}"),
        thresholds: thresholds(),
        drafts,
        found,
        groups,
    };
    render_with_status(&template, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct CampaignForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    answers: String,
    #[serde(default)]
    back: String,
}

#[post("/coordination/consultations/{slug}/doublons/campagnes")]
pub async fn mark_campaign(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<CampaignForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, f) = (slug.into_inner(), form.into_inner());
    let answers: Vec<i64> = f
        .answers
        .split(',')
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    // A name left empty: the page's word for one.
    let name = match f.name.trim() {
        "" => Page::new(&req).t.get("duplicates-campaign-default"),
        given => given.to_owned(),
    };
    let origin = origin_of(&req);
    duplicate_service::mark(&state, &coordinator, slug.clone(), name, answers, origin).await?;
    Ok(see_other(&duplicates_link(&slug, &f.back)))
}

/// The duplicates page as it was (its threshold and drafts choice), from a form's field.
fn duplicates_link(slug: &str, back: &str) -> String {
    let query: String = back
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '&' | '.'))
        .collect();
    format!("{}/doublons?{query}", base(slug))
}

#[post("/coordination/consultations/{slug}/doublons/campagnes/{id}/retirer")]
pub async fn unmark_campaign(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64)>,
    form: web::Form<CampaignForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    duplicate_service::unmark(&state, &coordinator, slug.clone(), id, origin_of(&req)).await?;
    Ok(see_other(&duplicates_link(&slug, &form.back)))
}
