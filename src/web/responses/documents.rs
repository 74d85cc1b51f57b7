//! The response's documents page: per documents question (and the response's own area
//! when the round has one), the files attached, a form to attach one more, to replace
//! or delete one; then every version in the history. A real `<input type=file>` posted
//! as a form (no script needed); with the script, the same form goes through the API
//! with its progress announced.

use super::*;
use crate::domain::attachments::{DocumentKind, size_label_in, type_and_size};
use crate::services::accounts::Origin;
use crate::services::responses::attachments::{self as documents, AttachmentView, UploadTarget};

/// A place documents go: a documents question, or the response's area.
pub struct Place {
    /// `question-E1.Q3` or `reponse`: the ids of its form's fields end with it.
    pub key: String,
    pub heading: String,
    pub help: String,
    /// The form's query: `?question=E1.Q3`, or empty for the area.
    pub query: String,
    pub documents: Vec<DocumentLine>,
    /// "Jusqu'à 3 documents (1 joint)".
    pub capacity: String,
    pub full: bool,
}

impl DocumentLine {
    /// The key of its replacement form's fields.
    pub fn replace_key(&self) -> String {
        format!("remplacer-{}", self.id)
    }
}

pub struct DocumentLine {
    pub id: String,
    pub title: String,
    pub description: String,
    pub file_name: String,
    /// "PDF, 1,2 Mo".
    pub about: String,
    /// "Version 2, par Awa Diop le 3 décembre 2026 à 10 h 05".
    pub uploaded: String,
    pub download: String,
    pub sha256: String,
}

#[derive(Template)]
#[template(path = "responses/documents.html")]
pub(super) struct DocumentsPage {
    pub(super) page: Page,
    pub(super) back: String,
    pub(super) round_title: String,
    pub(super) slug: String,
    pub(super) org_id: i64,
    pub(super) organisation: String,
    pub(super) writable: bool,
    pub(super) read_only_reason: String,
    pub(super) accept: String,
    /// "20 Mo par fichier ; 50 Mo pour toute la réponse, dont 12 Mo déjà utilisés."
    pub(super) limits: String,
    pub(super) places: Vec<Place>,
    pub(super) history: Vec<DocumentLine>,
    pub(super) form: FormState,
    /// The place whose form was refused (its fields carry the errors).
    pub(super) error_place: String,
    pub(super) notice: Option<String>,
}

impl DocumentsPage {
    /// The id of a place's field, as the error summary links to it.
    pub fn field_id(&self, field: &str, place: &str) -> String {
        format!("champ-{field}-{place}")
    }

    pub fn error_for(&self, field: &str, place: &str) -> Option<String> {
        (place == self.error_place)
            .then(|| self.form.error(field))
            .flatten()
    }

    pub fn value_for(&self, field: &str, place: &str) -> &str {
        if place == self.error_place {
            self.form.value(field)
        } else {
            ""
        }
    }
}

#[derive(Deserialize)]
pub struct DocumentsQuery {
    #[serde(default)]
    fait: String,
}

#[get("/consultations/{slug}/reponse/{org}/documents")]
pub async fn documents_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64)>,
    query: web::Query<DocumentsQuery>,
) -> Result<HttpResponse, AppError> {
    let notice = match query.fait.as_str() {
        "ajoute" => Some("documents-added"),
        "supprime" => Some("documents-deleted"),
        _ => None,
    };
    let page = render(
        &req,
        &state,
        &identity,
        path.into_inner(),
        FormState::default(),
        String::new(),
        notice,
    )
    .await?;
    render_with_status(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    question: String,
    #[serde(default)]
    remplace: String,
}

/// Attaches a file posted by the page's form (`multipart/form-data`).
#[post("/consultations/{slug}/reponse/{org}/documents")]
pub async fn attach_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64)>,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    let query = query.into_inner();
    let target = UploadTarget {
        question: Some(query.question.clone()).filter(|q| !q.is_empty()),
        replaces: Some(query.remplace.clone()).filter(|r| !r.is_empty()),
    };
    let place = if !query.remplace.is_empty() {
        format!("remplacer-{}", query.remplace)
    } else if query.question.is_empty() {
        "reponse".to_owned()
    } else {
        format!("question-{}", query.question)
    };
    let origin = origin(&req);
    let outcome = crate::api::attachments::upload_for(
        &state,
        &req,
        payload,
        &identity,
        (slug.clone(), org),
        target,
        &origin,
    )
    .await;
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "/consultations/{slug}/reponse/{org}/documents?fait=ajoute"
        ))),
        Err(error) => {
            let t = Page::new(&req).t;
            let mut form = FormState::default();
            let status = form.absorb(error, &t)?;
            let page = render(&req, &state, &identity, (slug, org), form, place, None).await?;
            render_with_status(&page, status)
        }
    }
}

/// Deletes a document (the page's form, urlencoded with its CSRF token).
#[post("/consultations/{slug}/reponse/{org}/documents/{id}/supprimer")]
pub async fn delete_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org, token) = path.into_inner();
    match documents::delete(
        &state,
        &identity,
        slug.clone(),
        org,
        token.clone(),
        &origin(&req),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/consultations/{slug}/reponse/{org}/documents?fait=supprime"
        ))),
        Err(error) => {
            let t = Page::new(&req).t;
            let mut form = FormState::default();
            let status = form.absorb(error, &t)?;
            let place = format!("supprimer-{token}");
            let page = render(&req, &state, &identity, (slug, org), form, place, None).await?;
            render_with_status(&page, status)
        }
    }
}

fn origin(req: &HttpRequest) -> Origin {
    crate::auth::identity::origin_of(req)
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    (slug, org): (String, i64),
    form: FormState,
    error_place: String,
    notice: Option<&str>,
) -> Result<DocumentsPage, AppError> {
    let ctx = context(req, state, identity, &slug, org).await?;
    let found = documents::list(state, identity, slug.clone(), org).await?;
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let now = state.clock.now();
    let reason = read_only_reason(&ctx, now, &page);
    let english = page.t.lang == crate::i18n::Lang::En;
    let size_label = |bytes: i64| size_label_in(bytes, english);
    let line = |v: &AttachmentView| DocumentLine {
        id: v.id.clone(),
        title: v.title.clone(),
        description: v.description.clone(),
        file_name: v.file_name.clone(),
        about: type_and_size(&v.media_type, v.size, english),
        uploaded: page.t.texts(
            "documents-uploaded",
            &[
                ("version", &v.version.to_string()),
                (
                    "name",
                    &v.uploaded_by
                        .clone()
                        .unwrap_or_else(|| page.t.get("former-member")),
                ),
                ("when", &page.t.datetime(v.uploaded_at)),
            ],
        ),
        download: v.download.clone(),
        sha256: v.sha256.clone(),
    };
    let mut places = Vec::new();
    for chapter in &ctx.detail.chapters {
        for q in &chapter.questions {
            let QuestionSpec::Documents { max_files } = q.spec else {
                continue;
            };
            let here: Vec<DocumentLine> = found
                .current
                .iter()
                .filter(|v| v.question.as_deref() == Some(q.code.as_str()))
                .map(line)
                .collect();
            places.push(Place {
                key: format!("question-{}", q.code),
                heading: format!("{} {}", q.code, q.prompt),
                help: q.help.clone(),
                query: format!("?question={}", q.code),
                capacity: page.t.numbers(
                    "documents-capacity",
                    &[("max", max_files as usize), ("count", here.len())],
                ),
                full: here.len() >= max_files as usize,
                documents: here,
            });
        }
    }
    if found.policy.area {
        let here: Vec<DocumentLine> = found
            .current
            .iter()
            .filter(|v| v.question.is_none())
            .map(line)
            .collect();
        places.push(Place {
            key: "reponse".into(),
            heading: page.t.get("documents-area"),
            help: page.t.get("documents-area-help"),
            query: String::new(),
            capacity: String::new(),
            full: false,
            documents: here,
        });
    }
    let limits = page.t.texts(
        "documents-limits",
        &[
            ("file", &size_label(found.policy.file_limit)),
            ("response", &size_label(found.policy.response_limit)),
            ("used", &size_label(found.used())),
        ],
    );
    let mut past: Vec<DocumentLine> = found.history.iter().rev().map(line).collect();
    for (line, view) in past.iter_mut().zip(found.history.iter().rev()) {
        if view.deleted_at.is_some() {
            line.about = format!("{} — {}", line.about, page.t.get("documents-state-deleted"));
        } else if view.replaced_at.is_some() {
            line.about = format!(
                "{} — {}",
                line.about,
                page.t.get("documents-state-replaced")
            );
        }
    }
    Ok(DocumentsPage {
        back: format!("/consultations/{slug}/reponse/{org}"),
        round_title: ctx.detail.round.title.clone(),
        organisation: ctx.organisation.clone(),
        writable: reason.is_none(),
        read_only_reason: reason.unwrap_or_default(),
        accept: DocumentKind::accept_list(),
        limits,
        places,
        history: past,
        form,
        error_place,
        notice: notice.map(|key| page.t.get(key)),
        slug,
        org_id: org,
        page,
    })
}
