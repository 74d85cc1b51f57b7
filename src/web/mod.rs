//! The HTML side: pages for people, with the shared layout, assets and probes.

pub mod account_pages;
pub mod assets;
pub mod auth_pages;
mod charts;
pub mod coordination_pages;
pub mod extract;
pub mod forms;
pub mod health;
pub mod middleware;
pub mod organisation_pages;
pub mod pages;
pub mod redirects;
pub mod response_pages;
pub mod results_pages;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
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
        .service(account_pages::save_profile)
        .service(account_pages::change_password)
        .service(account_pages::start_two_factor)
        .service(account_pages::confirm_two_factor)
        .service(account_pages::close_session)
        .service(account_pages::create_token)
        .service(account_pages::revoke_token)
        .service(account_pages::users)
        .service(account_pages::set_role)
        .service(account_pages::set_suspension)
        .service(account_pages::audit)
        .service(organisation_pages::list)
        .service(organisation_pages::new_page)
        .service(organisation_pages::create)
        .service(organisation_pages::show)
        .service(organisation_pages::decide)
        .service(organisation_pages::invite)
        .service(organisation_pages::resend_invitation)
        .service(organisation_pages::cancel_invitation)
        .service(organisation_pages::change_role)
        .service(organisation_pages::remove_member)
        .service(organisation_pages::accept_page)
        .service(organisation_pages::accept)
        .service(coordination_pages::list)
        .service(coordination_pages::create)
        .service(coordination_pages::show)
        .service(coordination_pages::save_settings)
        .service(coordination_pages::add_chapter)
        .service(coordination_pages::add_question)
        .service(coordination_pages::reword_question)
        .service(coordination_pages::move_chapter)
        .service(coordination_pages::move_question)
        .service(coordination_pages::delete_chapter)
        .service(coordination_pages::delete_question)
        .service(coordination_pages::lifecycle)
        .service(coordination_pages::invite)
        .service(coordination_pages::duplicate)
        .service(coordination_pages::progress)
        .service(coordination_pages::remind)
        .service(results_pages::results_page)
        .service(response_pages::choose)
        .service(response_pages::edit)
        .service(response_pages::save)
        .service(response_pages::review)
        .service(response_pages::submit)
        .service(response_pages::reopen)
        .service(response_pages::copy)
        .service(response_pages::history);
}
