//! The HTML side: pages for people, with the shared layout, assets and probes.

pub mod account_pages;
pub mod admin_pages;
pub mod assets;
pub mod auth_pages;
mod charts;
pub mod coordination;
pub mod extract;
pub mod forms;
pub mod health;
pub mod middleware;
pub mod organisations;
pub mod pages;
pub mod privacy;
pub mod publication;
pub mod reading_pages;
pub mod redirects;
pub mod responses;
pub mod results_pages;
pub mod search_page;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::metrics)
        .service(health::readyz)
        .service(assets::asset)
        .service(pages::home_page)
        .service(pages::round_page)
        .service(pages::switch_language)
        .service(auth_pages::sign_up_page)
        .service(auth_pages::sign_up)
        .service(auth_pages::verify_page)
        .service(auth_pages::verify)
        .service(auth_pages::sign_in_page)
        .service(auth_pages::sign_in)
        .service(auth_pages::totp_page)
        .service(auth_pages::totp)
        .service(auth_pages::sign_out)
        .service(auth_pages::forgot_page)
        .service(auth_pages::forgot)
        .service(auth_pages::reset_page)
        .service(auth_pages::reset)
        .service(account_pages::account)
        .service(account_pages::my_data)
        .service(account_pages::erase_account)
        .service(account_pages::save_profile)
        .service(account_pages::change_password)
        .service(account_pages::start_two_factor)
        .service(account_pages::confirm_two_factor)
        .service(account_pages::close_session)
        .service(account_pages::create_token)
        .service(account_pages::revoke_token)
        .service(admin_pages::users)
        .service(admin_pages::set_role)
        .service(admin_pages::set_suspension)
        .service(admin_pages::erase_user)
        .service(admin_pages::audit)
        .service(organisations::list)
        .service(organisations::new_page)
        .service(organisations::create)
        .service(organisations::show)
        .service(organisations::decide)
        .service(organisations::change_contact)
        .service(organisations::invite)
        .service(organisations::resend_invitation)
        .service(organisations::cancel_invitation)
        .service(organisations::change_role)
        .service(organisations::remove_member)
        .service(organisations::accept_page)
        .service(organisations::accept)
        .service(coordination::list)
        .service(coordination::create)
        .service(coordination::show)
        .service(coordination::save_settings)
        .service(coordination::save_documents)
        .service(coordination::add_chapter)
        .service(coordination::add_question)
        .service(coordination::reword_question)
        .service(coordination::move_chapter)
        .service(coordination::move_question)
        .service(coordination::delete_chapter)
        .service(coordination::delete_question)
        .service(coordination::lifecycle)
        .service(coordination::invite)
        .service(coordination::duplicate)
        .service(coordination::progress)
        .service(coordination::remind)
        .service(results_pages::results_page)
        .service(search_page::search_page)
        .service(reading_pages::codebook)
        .service(reading_pages::create_theme)
        .service(reading_pages::delete_theme)
        .service(reading_pages::theme_page)
        .service(reading_pages::settle_suggestion)
        .service(reading_pages::coding_view)
        .service(reading_pages::uncode)
        .service(reading_pages::code_passage)
        .service(reading_pages::duplicates_page)
        .service(reading_pages::mark_campaign)
        .service(reading_pages::unmark_campaign)
        .service(publication::publication_page)
        .service(publication::publication_responses)
        .service(publication::open_data)
        .service(publication::publication_file)
        .service(publication::sitemap)
        .service(privacy::privacy_page)
        .service(publication::robots)
        .service(reading_pages::synthesis_view)
        .service(reading_pages::relay_view)
        .service(reading_pages::relay_synthesis)
        .service(reading_pages::edit_synthesis)
        .service(responses::choose)
        .service(responses::edit)
        .service(responses::save)
        .service(responses::review)
        .service(responses::submit)
        .service(responses::reopen)
        .service(responses::copy)
        .service(responses::history)
        .service(responses::documents_page)
        .service(responses::attach_document)
        .service(responses::delete_document);
}
