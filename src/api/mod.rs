//! The JSON API under `/api/v1`, described by the OpenAPI document it serves.

pub mod analysis;
pub mod attachments;
pub mod auth;
pub mod body;
pub mod caller;
pub mod contract;
pub mod csp;
pub mod exports;
pub mod organisations;
pub mod responses;
pub mod round_admin;
pub mod rounds;
pub mod search;
pub mod synthesis;
pub mod tokens;
pub mod two_factor;

use actix_web::http::header::{CACHE_CONTROL, LOCATION};

/// For responses that carry a secret shown once (a token, recovery codes, a two-factor
/// secret): no cache, browser's or proxy's, may keep them.
pub const NO_STORE: (actix_web::http::header::HeaderName, &str) = (CACHE_CONTROL, "no-store");
use actix_web::{HttpResponse, get, web};
use contract::{CommonProblems, TextRules};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

/// The header that makes a response a download named `name` (names are built from
/// slugs and codes: nothing to escape).
pub(crate) fn attachment(name: &str) -> (actix_web::http::header::HeaderName, String) {
    (
        actix_web::http::header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{name}\""),
    )
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Concerto API",
        version = "1",
        description = "Public consultations answered by organisations. Errors are \
            `application/problem+json` (RFC 9457) with a field-level `errors` list."
    ),
    paths(
        auth::register,
        auth::verify_email,
        auth::login,
        auth::logout,
        auth::password_reset,
        auth::password_reset_confirm,
        auth::me,
        auth::my_data,
        auth::erase_me,
        two_factor::setup,
        two_factor::confirm,
        two_factor::login_totp,
        tokens::create,
        tokens::list,
        tokens::revoke,
        organisations::register,
        organisations::list,
        organisations::show,
        organisations::change_contact,
        organisations::approve,
        organisations::reject,
        organisations::suspend,
        organisations::reinstate,
        organisations::invite,
        organisations::invitations,
        organisations::resend_invitation,
        organisations::cancel_invitation,
        organisations::accept,
        organisations::members,
        organisations::change_role,
        organisations::remove_member,
        rounds::list_rounds,
        rounds::get_round,
        responses::show,
        responses::put_answer,
        responses::patch_answers,
        responses::submit,
        responses::reopen,
        attachments::upload,
        attachments::list,
        attachments::remove,
        attachments::download,
        attachments::attachment_policy,
        attachments::set_attachment_policy,
        exports::export,
        search::search,
        analysis::list_themes,
        analysis::create_theme,
        analysis::update_theme,
        analysis::delete_theme,
        analysis::suggestions,
        analysis::dismiss,
        analysis::list_tags,
        analysis::tag,
        analysis::untag,
        analysis::list_redactions,
        analysis::candidates,
        analysis::redact,
        analysis::unredact,
        analysis::find_duplicates,
        analysis::mark_campaign,
        analysis::unmark_campaign,
        synthesis::show_synthesis,
        synthesis::write_synthesis,
        synthesis::write_synthesis_chapter,
        synthesis::synthesis_history,
        synthesis::preview_synthesis,
        synthesis::publish_synthesis,
        synthesis::published_synthesis,
        synthesis::synthesis_open_data,
        synthesis::relay_synthesis,
        responses::progress,
        responses::remind,
        responses::history,
        round_admin::create,
        round_admin::update,
        round_admin::add_chapter,
        round_admin::add_question,
        round_admin::update_question,
        round_admin::move_chapter,
        round_admin::move_question,
        round_admin::delete_chapter,
        round_admin::delete_question,
        round_admin::open,
        round_admin::close,
        round_admin::archive,
        round_admin::invite,
        round_admin::duplicate,
        csp::receive_report,
    ),
    components(schemas(crate::error::Problem, crate::domain::FieldError)),
    modifiers(&CommonProblems, &TextRules),
    tags(
        (name = "auth", description = "Accounts: registration, sign-in, password reset"),
        (name = "organisations", description = "Organisations, their members and invitations"),
        (name = "responses", description = "Organisations' responses and their answers"),
        (name = "exports", description = "What goes to the ministry"),
        (name = "analysis", description = "Reading the answers: search, themes and tags, redaction of personal data, near-identical answers and campaigns"),
        (name = "synthesis", description = "The collective contribution written from a round's answers, and its published versions"),
        (name = "rounds", description = "Consultation rounds, their chapters and questions"),
        (name = "platform", description = "Platform plumbing")
    )
)]
pub struct ApiDoc;

/// The documentation lives at `/api/docs/`; the bare path is what people type.
#[get("/api/docs")]
async fn docs_redirect() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((LOCATION, "/api/docs/"))
        .finish()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(auth::register)
        .service(auth::verify_email)
        .service(auth::login)
        .service(auth::logout)
        .service(auth::password_reset)
        .service(auth::password_reset_confirm)
        .service(auth::my_data)
        .service(auth::erase_me)
        .service(auth::me)
        .service(two_factor::setup)
        .service(two_factor::confirm)
        .service(two_factor::login_totp)
        .service(tokens::create)
        .service(tokens::list)
        .service(tokens::revoke)
        .service(organisations::register)
        .service(organisations::list)
        .service(organisations::show)
        .service(organisations::change_contact)
        .service(organisations::approve)
        .service(organisations::reject)
        .service(organisations::suspend)
        .service(organisations::reinstate)
        .service(organisations::invite)
        .service(organisations::invitations)
        .service(organisations::resend_invitation)
        .service(organisations::cancel_invitation)
        .service(organisations::accept)
        .service(organisations::members)
        .service(organisations::change_role)
        .service(organisations::remove_member)
        .service(rounds::list_rounds)
        .service(responses::show)
        .service(responses::put_answer)
        .service(responses::patch_answers)
        .service(responses::submit)
        .service(responses::reopen)
        .service(attachments::upload)
        .service(attachments::list)
        .service(attachments::remove)
        .service(attachments::download)
        .service(attachments::attachment_policy)
        .service(attachments::set_attachment_policy)
        .service(exports::export)
        .service(search::search)
        .service(analysis::list_themes)
        .service(analysis::create_theme)
        .service(analysis::update_theme)
        .service(analysis::delete_theme)
        .service(analysis::suggestions)
        .service(analysis::dismiss)
        .service(analysis::list_tags)
        .service(analysis::tag)
        .service(analysis::untag)
        .service(analysis::candidates)
        .service(analysis::list_redactions)
        .service(analysis::redact)
        .service(analysis::unredact)
        .service(analysis::find_duplicates)
        .service(analysis::mark_campaign)
        .service(analysis::unmark_campaign)
        .service(synthesis::show_synthesis)
        .service(synthesis::write_synthesis)
        .service(synthesis::write_synthesis_chapter)
        .service(synthesis::synthesis_history)
        .service(synthesis::preview_synthesis)
        .service(synthesis::publish_synthesis)
        .service(synthesis::published_synthesis)
        .service(synthesis::synthesis_open_data)
        .service(synthesis::relay_synthesis)
        .service(responses::progress)
        .service(responses::remind)
        .service(responses::history)
        .service(round_admin::create)
        .service(round_admin::update)
        .service(round_admin::add_chapter)
        .service(round_admin::add_question)
        .service(round_admin::update_question)
        .service(round_admin::move_chapter)
        .service(round_admin::move_question)
        .service(round_admin::delete_chapter)
        .service(round_admin::delete_question)
        .service(round_admin::open)
        .service(round_admin::close)
        .service(round_admin::archive)
        .service(round_admin::invite)
        .service(round_admin::duplicate)
        .service(docs_redirect)
        .service(rounds::get_round)
        .service(csp::receive_report)
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", ApiDoc::openapi()));
}
