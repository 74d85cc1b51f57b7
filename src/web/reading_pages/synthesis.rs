//! The synthesis editor (`…/synthese`): the header, then per chapter its introduction,
//! the contributions selected (moved, retitled, removed), the proposals consolidated,
//! and what was left out, each selectable (a passage chosen with the keyboard as in the
//! coding view; proposals ticked and merged); then publication. Each action is one
//! form, posted with the version the page showed: a change someone made since is
//! refused, never overwritten. Works without script.

use crate::domain::FieldError;
use crate::domain::responses::PublicationConsent;
use crate::domain::synthesis::{
    Consolidated, Header, IntroducedBy, Licence, ProposalRef, ProposalsOrder, Section, Selection,
    Span,
};
use crate::services::synthesis::reading::Described;
use crate::services::synthesis::{self as service, Draft, DraftChapter};

use super::*;

#[derive(Template)]
#[template(path = "coordination/synthesis.html")]
struct SynthesisPage {
    page: Page,
    form: FormState,
    slug: String,
    draft: Draft,
    /// The organisations that may introduce a chapter: (id, name), those of the round.
    organisations: Vec<(i64, String)>,
    licences: Vec<(&'static str, &'static str)>,
}

impl SynthesisPage {
    fn consent(&self, consent: &PublicationConsent) -> String {
        self.page.t.label("consent", consent.as_str())
    }

    /// The header's texts: (field, label key, value, several lines).
    fn header_fields(&self) -> Vec<(&'static str, &'static str, String, bool)> {
        let h = &self.draft.header;
        vec![
            ("title", "synthesis-field-title", h.title.clone(), false),
            (
                "introduction",
                "synthesis-field-introduction",
                h.introduction.clone(),
                true,
            ),
            (
                "conclusion",
                "synthesis-field-conclusion",
                h.conclusion.clone(),
                true,
            ),
        ]
    }

    /// A selected contribution's (organisation, question, text).
    fn selected_of(&self, chapter: &DraftChapter, index: &usize) -> Described {
        chapter.selected.get(*index).cloned().unwrap_or_default()
    }

    /// A consolidated proposal's originals.
    fn originals_of(&self, chapter: &DraftChapter, index: &usize) -> Vec<String> {
        chapter.originals.get(*index).cloned().unwrap_or_default()
    }

    fn answer_label(&self, id: &i64) -> String {
        self.page.t.with("synthesis-answer", "id", &id.to_string())
    }

    fn version_label(&self, number: &i32) -> String {
        self.page
            .t
            .with("synthesis-version", "number", &number.to_string())
    }

    /// "Version 2 sent on … to the round X, for the organisation Y".
    fn relay_line(&self, sent: &crate::store::synthesis::SentRow) -> String {
        use chrono::TimeZone;
        let (version, at) = (
            sent.number.to_string(),
            self.page
                .t
                .datetime(chrono::Utc.from_utc_datetime(&sent.relayed_at)),
        );
        self.page.t.texts(
            "synthesis-relay-line",
            &[
                ("version", version.as_str()),
                ("at", at.as_str()),
                ("round", sent.round_title.as_str()),
                ("organisation", sent.organisation.as_str()),
            ],
        )
    }

    fn licence_is(&self, code: &str) -> bool {
        self.draft.header.licence.as_str() == code
    }

    fn order_is(&self, code: &str) -> bool {
        self.draft.header.proposals_order.as_str() == code
    }

    fn introduced_by_organisation(&self, section: &Section) -> i64 {
        match section.introduced_by {
            Some(IntroducedBy::Organisation(id)) => id,
            _ => 0,
        }
    }

    fn introduced_by_person(&self, section: &Section) -> String {
        match &section.introduced_by {
            Some(IntroducedBy::Person(name)) => name.clone(),
            _ => String::new(),
        }
    }

    fn selected_text(&self, selection: &Selection) -> String {
        selection
            .passage
            .as_ref()
            .map(|p| p.text.clone())
            .unwrap_or_default()
    }
}

async fn synthesis_page(
    req: &HttpRequest,
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let draft = service::draft(state, coordinator, slug.clone()).await?;
    let organisations = service::organisations(state, coordinator, slug.clone()).await?;
    let template = SynthesisPage {
        page,
        form,
        slug,
        draft,
        organisations,
        licences: Licence::ALL
            .iter()
            .map(|l| (l.as_str(), l.name()))
            .collect(),
    };
    render_with_status(&template, status)
}

#[get("/coordination/consultations/{slug}/synthese")]
pub async fn synthesis_view(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = FormState::default();
    synthesis_page(
        &req,
        &state,
        &coordinator,
        slug.into_inner(),
        form,
        StatusCode::OK,
    )
    .await
}

/// A posted form's fields, several of a name kept (ticked proposals).
struct Posted(Vec<(String, String)>);

impl Posted {
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn version(&self) -> Result<i32, AppError> {
        self.get("version")
            .parse()
            .map_err(|_| AppError::BadRequest("version attendue".into()))
    }
}

/// One item of a list moved up or down, or removed.
fn rearranged<T>(list: &mut Vec<T>, index: usize, action: &str) -> Result<(), AppError> {
    if index >= list.len() {
        return Err(AppError::NotFound);
    }
    match action {
        "monter" if index > 0 => list.swap(index, index - 1),
        "descendre" if index + 1 < list.len() => list.swap(index, index + 1),
        "monter" | "descendre" => {}
        "retirer" => {
            list.remove(index);
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(())
}

/// A ticked proposal: `answer:item`.
fn proposal_ref(value: &str) -> Option<ProposalRef> {
    let (answer, item) = value.split_once(':')?;
    Some(ProposalRef {
        answer: answer.parse().ok()?,
        item: item.parse().ok()?,
    })
}

/// A change of a chapter's section, made in the service's transaction.
type Change = Box<dyn FnOnce(Section) -> Result<Section, AppError> + Send>;

/// What a chapter's action does to its section.
fn chapter_change(action: &[&str], posted: &Posted) -> Result<Change, AppError> {
    let text = |name: &str| posted.get(name).to_owned();
    Ok(match action {
        ["introduction"] => {
            let by = match (posted.get("organisation").parse::<i64>(), text("person")) {
                (Ok(id), _) if id > 0 => Some(IntroducedBy::Organisation(id)),
                (_, person) if !person.trim().is_empty() => Some(IntroducedBy::Person(person)),
                _ => None,
            };
            let introduction = text("introduction");
            Box::new(move |mut s| {
                s.introduction = introduction;
                s.introduced_by = by;
                Ok(s)
            })
        }
        ["retenir"] => {
            let answer = posted
                .get("answer")
                .parse()
                .map_err(|_| AppError::BadRequest("réponse attendue".into()))?;
            let start = position("start", posted.get("start"))?;
            let end = position("end", posted.get("end"))?;
            let passage = match (start, end) {
                (None, None) => None,
                (start, end) => Some(Span {
                    start: start.unwrap_or(0).max(0) as usize,
                    end: end.unwrap_or(0).max(0) as usize,
                    text: String::new(),
                }),
            };
            let heading = text("heading");
            Box::new(move |mut s| {
                s.contributions.push(Selection {
                    answer,
                    passage,
                    heading,
                });
                Ok(s)
            })
        }
        ["fusionner"] => {
            let sources: Vec<ProposalRef> = posted.all("source").filter_map(proposal_ref).collect();
            if sources.is_empty() {
                return Err(AppError::invalid(
                    "sources",
                    "required",
                    "cochez au moins une proposition à reprendre",
                ));
            }
            let (title, description) = (text("title"), text("description"));
            Box::new(move |mut s| {
                s.proposals.push(Consolidated {
                    title,
                    description,
                    sources,
                });
                Ok(s)
            })
        }
        ["contribution", index, "intertitre"] => {
            let (index, heading): (usize, String) = (
                index.parse().map_err(|_| AppError::NotFound)?,
                text("heading"),
            );
            Box::new(move |mut s| {
                s.contributions
                    .get_mut(index)
                    .ok_or(AppError::NotFound)?
                    .heading = heading;
                Ok(s)
            })
        }
        ["proposition", index, "modifier"] => {
            let index: usize = index.parse().map_err(|_| AppError::NotFound)?;
            let (title, description) = (text("title"), text("description"));
            Box::new(move |mut s| {
                let p = s.proposals.get_mut(index).ok_or(AppError::NotFound)?;
                p.title = title;
                p.description = description;
                Ok(s)
            })
        }
        [list @ ("contribution" | "proposition"), index, action] => {
            let index: usize = index.parse().map_err(|_| AppError::NotFound)?;
            let (contributions, action) = (*list == "contribution", action.to_string());
            Box::new(move |mut s| {
                if contributions {
                    rearranged(&mut s.contributions, index, &action)?;
                } else {
                    rearranged(&mut s.proposals, index, &action)?;
                }
                Ok(s)
            })
        }
        _ => return Err(AppError::NotFound),
    })
}

#[post("/coordination/consultations/{slug}/synthese/{action:.*}")]
pub async fn edit_synthesis(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, action) = path.into_inner();
    let posted = Posted(form.into_inner());
    let origin = origin_of(&req);
    let parts: Vec<&str> = action.split('/').collect();
    let outcome: Result<String, AppError> = async {
        match parts.as_slice() {
            ["en-tete"] => {
                let order = ProposalsOrder::parse(posted.get("proposals_order"))
                    .unwrap_or(ProposalsOrder::Chosen);
                let licence = Licence::parse(posted.get("licence")).unwrap_or(Licence::Etalab);
                let header = Header::parse(
                    posted.get("title"),
                    posted.get("introduction"),
                    posted.get("conclusion"),
                    order,
                    licence,
                )
                .map_err(AppError::Validation)?;
                let version = posted.version()?;
                service::write_header(
                    &state,
                    &coordinator,
                    slug.clone(),
                    header,
                    Some(version),
                    origin,
                )
                .await?;
                Ok("en-tete".to_owned())
            }
            ["publier"] => {
                let number = service::publish(
                    &state,
                    &coordinator,
                    slug.clone(),
                    posted.get("changes").to_owned(),
                    origin,
                )
                .await?;
                Ok(format!("version-{number}"))
            }
            [code, rest @ ..] => {
                let change = chapter_change(rest, &posted)?;
                let version = posted.version()?;
                service::change_chapter(
                    &state,
                    &coordinator,
                    slug.clone(),
                    code.to_string(),
                    Some(version),
                    origin,
                    change,
                )
                .await?;
                Ok(format!("chapitre-{code}"))
            }
            [] => Err(AppError::NotFound),
        }
    }
    .await;
    match outcome {
        Ok(anchor) => Ok(see_other(&format!("{}/synthese#{anchor}", base(&slug)))),
        Err(AppError::NotFound) => Err(AppError::NotFound),
        Err(error) => {
            // The field names of the chapter's lists become this form's own.
            let error = match error {
                AppError::Clash(errors) | AppError::Validation(errors)
                    if errors.iter().all(|e| e.field.contains('.')) =>
                {
                    AppError::Clash(
                        errors
                            .into_iter()
                            .map(|e| FieldError::new("selection", &e.code, e.message))
                            .collect(),
                    )
                }
                other => other,
            };
            let values: Vec<(&str, &str)> = posted
                .0
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .chain([("action", action.as_str())])
                .collect();
            let mut form = FormState::with_values(values);
            let status = form.absorb(error, &Page::new(&req).t)?;
            synthesis_page(&req, &state, &coordinator, slug, form, status).await
        }
    }
}
