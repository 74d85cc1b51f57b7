//! The coordinators' dashboard: every eligible organisation's progress, and reminders.

use super::*;

pub struct ProgressRow {
    /// For sorting by activity (the shown date is text).
    pub last_raw: Option<chrono::NaiveDateTime>,
    pub id: i64,
    pub name: String,
    pub status: Progress,
    pub answered: i64,
    pub missing: i64,
    pub last: String,
}

#[derive(Template)]
#[template(path = "coordination/progress.html")]
pub(super) struct ProgressPage {
    page: Page,
    notice: Option<String>,
    slug: String,
    round_title: String,
    open: bool,
    total: usize,
    /// Organisations per status, in the statuses' order.
    counts: Vec<(&'static str, usize)>,
    statuses: &'static [Progress],
    chart_svg: String,
    chart_rows: Vec<(String, usize)>,
    filter: String,
    sort: String,
    lines: Vec<ProgressRow>,
}

#[derive(Deserialize)]
pub struct ProgressQuery {
    #[serde(default)]
    statut: String,
    #[serde(default)]
    tri: String,
    #[serde(default)]
    fait: String,
}

/// The coordinators' dashboard: every eligible organisation's progress, filterable and
/// sortable, totals and submissions over time.
#[get("/coordination/consultations/{slug}/avancement")]
pub async fn progress(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: web::Path<String>,
    query: web::Query<ProgressQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let (round, lines) =
        crate::services::responses::progress(&state, &coordinator, slug.clone()).await?;
    let page = Page::new(&req);
    let count = |status: Progress| lines.iter().filter(|l| l.status == status).count();
    let submitted_at: Vec<chrono::NaiveDateTime> =
        lines.iter().filter_map(|l| l.submitted_at).collect();
    // Counted by Paris day, in order, then written as the page's language writes a date.
    let mut per_day: std::collections::BTreeMap<chrono::NaiveDate, usize> =
        std::collections::BTreeMap::new();
    for at in submitted_at {
        let day = at
            .and_utc()
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive();
        *per_day.entry(day).or_default() += 1;
    }
    let (long, short) = match page.t.lang {
        crate::i18n::Lang::Fr => ("%d/%m/%Y", "%d/%m"),
        crate::i18n::Lang::En => ("%Y-%m-%d", "%m-%d"),
    };
    let chart_rows: Vec<(String, usize)> = per_day
        .iter()
        .map(|(day, n)| (day.format(long).to_string(), *n))
        .collect();
    let columns: Vec<(String, usize)> = per_day
        .iter()
        .map(|(day, n)| (day.format(short).to_string(), *n))
        .collect();
    let chart_svg = crate::web::charts::columns(&columns, &page.t.get("progress-chart-caption"));
    let total = lines.len();
    let counts: Vec<(&'static str, usize)> = Progress::ALL
        .iter()
        .map(|p| (p.as_str(), count(*p)))
        .collect();
    let mut rows: Vec<ProgressRow> = lines
        .into_iter()
        .filter(|l| query.statut.is_empty() || l.status.as_str() == query.statut)
        .map(|l| ProgressRow {
            last_raw: l.last_activity,
            id: l.organisation_id,
            name: l.organisation_name,
            status: l.status,
            answered: l.answered,
            missing: l.missing_required,
            last: l
                .last_activity
                .map(|t| page.t.datetime(t.and_utc()))
                .unwrap_or_else(|| "—".into()),
        })
        .collect();
    match query.tri.as_str() {
        "activite" => rows.sort_by_key(|r| std::cmp::Reverse(r.last_raw)),
        "manquantes" => rows.sort_by_key(|r| std::cmp::Reverse(r.missing)),
        _ => {}
    }
    let open = round.accepts_answers_at(state.clock.now());
    let template = ProgressPage {
        notice: (!query.fait.is_empty()).then(|| page.t.get("progress-reminded")),
        slug,
        round_title: round.title,
        open,
        total,
        counts,
        statuses: Progress::ALL,
        chart_svg,
        chart_rows,
        filter: query.statut.clone(),
        sort: if query.tri.is_empty() {
            "nom".into()
        } else {
            query.tri.clone()
        },
        lines: rows,
        page,
    };
    render_with_status(&template, StatusCode::OK)
}

#[post("/coordination/consultations/{slug}/rappel")]
pub async fn remind(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    crate::services::responses::remind_now(&state, &coordinator, slug.clone(), origin_of(&req))
        .await?;
    Ok(see_other(&format!(
        "/coordination/consultations/{slug}/avancement?fait=1"
    )))
}
