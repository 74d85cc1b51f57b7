//! A member attaches documents with the keyboard only: the file input reached and given
//! its file, the form sent with Enter, the progress said in the form's live region, a
//! refused type said next to the input, which takes the focus; axe finds nothing on the
//! documents page, in French and in English.

use super::*;
use crate::attachments::{round_with_documents, samples};
use crate::fixtures::{coordinator_2fa, west_and_east};

/// What the upload's live region says, kept across the reload that follows success.
const LISTEN: &str = "document.querySelectorAll('.upload-status').forEach(function (s) {\
    new MutationObserver(function () {\
      sessionStorage.setItem('said', (sessionStorage.getItem('said') || '') + '|' + s.textContent);\
    }).observe(s, {childList: true, characterData: true, subtree: true});\
  });";

#[tokio::test]
async fn a_member_attaches_documents_with_the_keyboard() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    round_with_documents(&app, &coord).await;
    let ((_, west_org), _) = west_and_east(&app, &coord).await;
    let files = tempfile::tempdir().unwrap();
    let manifesto = files.path().join("Manifeste.pdf");
    std::fs::write(&manifesto, samples::pdf("Manifeste")).unwrap();
    let fake = files.path().join("rapport.pdf");
    std::fs::write(
        &fake,
        b"<!DOCTYPE html><html><body>pas un PDF</body></html>",
    )
    .unwrap();

    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut m = Journey::new(browser, axe_source, &app);
    m.sign_in("ouest@exemple.fr", crate::accounts::PASSWORD)
        .await;
    let page = format!("/consultations/essai/reponse/{west_org}/documents");
    let input = "champ-file-question-E1.D1";

    for lang in ["fr", "en"] {
        m.goto(&page).await;
        if lang == "en" {
            m.click("button[name=lang][value=en]").await;
            m.goto(&page).await;
        }
        m.audit(&format!("{lang} documents")).await;

        // A refused type: said next to the input, which it describes and which has the
        // focus again.
        m.browser.execute(LISTEN, vec![]).await.unwrap();
        let field = m.browser.find(Locator::Id(input)).await.unwrap();
        field.send_keys(fake.to_str().unwrap()).await.unwrap();
        // Tab would reach the button next; Enter presses it.
        m.browser
            .execute(
                "document.querySelector('#question-E1\\\\.D1 > form.upload-form button[type=submit]').focus()",
                vec![],
            )
            .await
            .unwrap();
        m.press_keys("\u{E007}").await;
        let error_id = "erreur-file-question-E1.D1".to_owned();
        let mut said = String::new();
        for _ in 0..100 {
            said = m
                .browser
                .execute(
                    &format!("var e = document.getElementById('{error_id}'); return e.hidden ? '' : e.textContent"),
                    vec![],
                )
                .await
                .unwrap()
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if !said.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let expected = if lang == "fr" {
            "Types acceptés"
        } else {
            "Accepted types"
        };
        assert!(
            said.contains(expected),
            "{said} — {} — {}",
            m.path().await,
            m.text("main").await
        );
        let focused = m
            .browser
            .execute("return document.activeElement.id", vec![])
            .await
            .unwrap();
        assert_eq!(focused, input);
        let described = m
            .browser
            .execute(
                &format!("var i = document.getElementById('{input}'); return [i.getAttribute('aria-invalid'), i.getAttribute('aria-describedby')]"),
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(described[0], "true");
        assert!(described[1].as_str().unwrap().contains(&error_id));
        m.audit(&format!("{lang} documents with a refused file"))
            .await;

        // The manifesto: sent, its progress said, then listed.
        m.goto(&page).await;
        m.browser
            .execute("sessionStorage.removeItem('said')", vec![])
            .await
            .unwrap();
        m.browser.execute(LISTEN, vec![]).await.unwrap();
        let field = m.browser.find(Locator::Id(input)).await.unwrap();
        field.send_keys(manifesto.to_str().unwrap()).await.unwrap();
        m.fill("champ-title-question-E1.D1", &format!("Manifeste {lang}"))
            .await;
        m.press_enter("#question-E1\\.D1 > form.upload-form button[type=submit]")
            .await;
        for _ in 0..100 {
            if m.path().await.contains("fait=ajoute")
                || m.text("main").await.contains(&format!("Manifeste {lang}"))
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let said = m
            .browser
            .execute("return sessionStorage.getItem('said') || ''", vec![])
            .await
            .unwrap();
        let said = said.as_str().unwrap();
        let (sending, sent) = if lang == "fr" {
            ("Envoi en cours", "Document envoyé.")
        } else {
            ("Sending", "Document sent.")
        };
        assert!(said.contains(sending) && said.contains(sent), "{said}");
        assert!(m.text("main").await.contains(&format!("Manifeste {lang}")));
        m.audit(&format!("{lang} documents with one attached"))
            .await;
    }
    m.finish().await;
}
