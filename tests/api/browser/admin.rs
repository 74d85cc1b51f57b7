//! The administration pages in a real browser: the accounts list (roles, suspension,
//! erasure forms) and the audit trail pass axe in French and in English, and a
//! suspension made from the page is shown and journaled.

use super::*;
use crate::fixtures::{enable_two_factor, member, signed_in_operator};
use concerto::domain::accounts::PlatformRole;

#[tokio::test]
async fn administration_pages_are_accessible_in_french_and_english() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let admin = signed_in_operator(&app, "admin@exemple.fr", PlatformRole::Admin).await;
    enable_two_factor(&app, &admin, "admin@exemple.fr").await;
    member(&app, "membre@exemple.fr").await;
    let member_id = app
        .with_db(|conn| {
            use concerto::store::schema::users::dsl as u;
            use diesel::prelude::*;
            u::users
                .filter(u::email.eq("membre@exemple.fr"))
                .select(u::id)
                .first::<i64>(conn)
                .unwrap()
        })
        .await;

    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut a = Journey::new(browser, axe_source, &app);
    a.sign_in_with_code(&app, "admin@exemple.fr").await;

    a.goto("/admin/utilisateurs").await;
    assert!(a.text("main").await.contains("membre@exemple.fr"));
    a.audit("fr users").await;
    a.click(&format!(
        "form[action='/admin/utilisateurs/{member_id}/suspension'] button"
    ))
    .await;
    assert_eq!(a.path().await, "/admin/utilisateurs");
    a.audit("fr users after a suspension").await;
    let suspended = app
        .with_db(move |conn| {
            use concerto::store::schema::users::dsl as u;
            use diesel::prelude::*;
            u::users
                .find(member_id)
                .select(u::suspended_at.is_not_null())
                .first::<bool>(conn)
                .unwrap()
        })
        .await;
    assert!(suspended);

    a.goto("/admin/journal").await;
    let journal = a.text("main table").await;
    assert!(journal.contains("membre@exemple.fr"));
    // The suspension itself, aimed at the member's account.
    assert!(
        journal.contains("account_suspended") && journal.contains(&format!("user:{member_id}")),
        "{journal}"
    );
    a.audit("fr audit trail").await;

    a.click("button[name=lang][value=en]").await;
    for path in ["/admin/utilisateurs", "/admin/journal"] {
        a.goto(path).await;
        a.audit(&format!("en {path}")).await;
    }
    a.finish().await;
}
