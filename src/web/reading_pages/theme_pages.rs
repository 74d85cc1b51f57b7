//! The codebook page and one theme's page (its passages and suggestions).

use super::*;

/// A count shown as a bar and as a table row: (label, answers).
pub struct Counted {
    pub svg: String,
    pub rows: Vec<(String, i64)>,
}

fn counted(rows: Vec<(String, i64)>, summary: &str) -> Counted {
    let bars: Vec<Bar<'_>> = rows
        .iter()
        .map(|(label, n)| Bar {
            label,
            count: *n as usize,
            value: n.to_string(),
        })
        .collect();
    let svg = horizontal(&bars, summary);
    Counted { svg, rows }
}

/// A kappa with two decimals, as the page's language writes it.
fn decimal(t: &Tr, value: f64) -> String {
    let text = format!("{value:.2}");
    match t.lang {
        crate::i18n::Lang::Fr => text.replace('.', ","),
        crate::i18n::Lang::En => text,
    }
}

pub struct ThemeShown {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub parent: Option<String>,
    pub keywords: Vec<String>,
    pub answers: i64,
    pub by_chapter: Counted,
    pub by_kind: Counted,
    /// (first coder, second coder, answers both coded, kappa as written).
    pub agreement: Vec<(String, String, usize, String)>,
}

#[derive(Template)]
#[template(path = "coordination/themes.html")]
struct ThemesPage {
    page: Page,
    form: FormState,
    slug: String,
    themes: Vec<ThemeShown>,
    palette: &'static [&'static str],
}

async fn themes_page(
    req: &HttpRequest,
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let summaries = themes::overview(state, coordinator, slug.clone()).await?;
    let names: Vec<(i64, String)> = summaries
        .iter()
        .map(|s| (s.theme.id, s.theme.name.clone()))
        .collect();
    let t = &page.t;
    let kappa = |k: Option<f64>| match k {
        Some(k) => decimal(t, k),
        None => t.get("themes-kappa-undefined"),
    };
    let themes = summaries
        .into_iter()
        .map(|s| {
            let kinds = s
                .by_kind
                .into_iter()
                .map(|(kind, n)| (t.label("org-kind", &kind), n))
                .collect();
            ThemeShown {
                id: s.theme.id,
                parent: s
                    .theme
                    .parent_id
                    .and_then(|p| names.iter().find(|(id, _)| *id == p))
                    .map(|(_, name)| name.clone()),
                by_chapter: counted(
                    s.by_chapter,
                    &t.with("themes-chart-chapters", "theme", &s.theme.name),
                ),
                by_kind: counted(kinds, &t.with("themes-chart-kinds", "theme", &s.theme.name)),
                agreement: s
                    .agreement
                    .into_iter()
                    .map(|a| (a.first.1, a.second.1, a.answers, kappa(a.kappa)))
                    .collect(),
                keywords: s.theme.keywords.lines().map(str::to_owned).collect(),
                name: s.theme.name,
                description: s.theme.description,
                colour: s.theme.colour,
                answers: s.answers,
            }
        })
        .collect();
    let template = ThemesPage {
        page,
        form,
        slug,
        themes,
        palette: &crate::domain::themes::PALETTE,
    };
    render_with_status(&template, status)
}

#[get("/coordination/consultations/{slug}/themes")]
pub async fn codebook(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = FormState::default();
    themes_page(
        &req,
        &state,
        &coordinator,
        slug.into_inner(),
        form,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct ThemeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    colour: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    keywords: String,
}

#[post("/coordination/consultations/{slug}/themes")]
pub async fn create_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<ThemeForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, f) = (slug.into_inner(), form.into_inner());
    let input = ThemeInput {
        name: f.name.clone(),
        description: f.description.clone(),
        colour: (!f.colour.is_empty()).then(|| f.colour.clone()),
        parent: f.parent.parse().ok(),
        keywords: f.keywords.clone(),
    };
    match themes::create(&state, &coordinator, slug.clone(), input, origin_of(&req)).await {
        Ok(made) => Ok(see_other(&format!(
            "{}/themes#theme-{}",
            base(&slug),
            made.id
        ))),
        Err(error) => {
            let mut form = FormState::with_values([
                ("name", f.name.as_str()),
                ("description", f.description.as_str()),
                ("colour", f.colour.as_str()),
                ("keywords", f.keywords.as_str()),
            ]);
            let status = form.absorb(error, &Page::new(&req).t)?;
            themes_page(&req, &state, &coordinator, slug, form, status).await
        }
    }
}

#[post("/coordination/consultations/{slug}/themes/{id}/supprimer")]
pub async fn delete_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    themes::delete(&state, &coordinator, slug.clone(), id, origin_of(&req)).await?;
    Ok(see_other(&format!("{}/themes", base(&slug))))
}

/// A suggestion as listed.
pub struct SuggestionShown {
    pub answer_id: i64,
    pub organisation: String,
    pub organisation_id: i64,
    pub question: String,
    pub excerpt: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "coordination/theme.html")]
struct ThemePage {
    page: Page,
    slug: String,
    id: i64,
    name: String,
    colour: String,
    tags: Vec<TagShown>,
    suggestions: Vec<SuggestionShown>,
    has_rules: bool,
}

#[get("/coordination/consultations/{slug}/themes/{id}")]
pub async fn theme_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (row, found) = themes::suggestions(&state, &coordinator, slug.clone(), id).await?;
    let which = TagFilter {
        theme: Some(id),
        ..TagFilter::default()
    };
    let tags = themes::tags(&state, &coordinator, slug.clone(), which).await?;
    let names = [(row.id, row.name.clone(), row.colour.clone())];
    let template = ThemePage {
        page: Page::new(&req),
        id,
        has_rules: !row.keywords.is_empty(),
        tags: tags.into_iter().map(|t| tag_shown(t, &names)).collect(),
        suggestions: found
            .into_iter()
            .map(|hit| SuggestionShown {
                excerpt: hit.excerpt,
                answer_id: hit.answer_id,
                organisation: hit.organisation,
                organisation_id: hit.organisation_id,
                question: hit.question,
            })
            .collect(),
        name: row.name,
        colour: row.colour,
        slug,
    };
    render_with_status(&template, StatusCode::OK)
}

#[post("/coordination/consultations/{slug}/themes/{id}/suggestions/{answer}/{choice}")]
pub async fn settle_suggestion(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, theme, answer, choice) = path.into_inner();
    let origin = origin_of(&req);
    match choice.as_str() {
        "confirmer" => {
            let asked = NewTag {
                theme,
                answer,
                start: None,
                end: None,
            };
            themes::tag(&state, &coordinator, slug.clone(), asked, origin).await?;
        }
        "ecarter" => {
            themes::dismiss(&state, &coordinator, slug.clone(), theme, answer, origin).await?;
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(see_other(&format!(
        "{}/themes/{theme}#suggestions",
        base(&slug)
    )))
}
