//! The emails Concerto sends, in the recipient's language. Links are built from the
//! configured base URL, never from a request's Host header.

use askama::Template;

use super::OutgoingEmail;
use crate::domain::organisations::OrganisationStatus;
use crate::i18n::{Lang, Tr};

pub struct Action {
    pub label: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "mail/mail.txt")]
struct TextBody<'a> {
    greeting: &'a str,
    paragraphs: &'a [String],
    action: &'a Option<Action>,
    signature: &'a str,
}

#[derive(Template)]
#[template(path = "mail/mail.html")]
struct HtmlBody<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    action: &'a Option<Action>,
    signature: &'a str,
}

/// Composes emails for one recipient.
pub struct Composer<'a> {
    t: Tr,
    base_url: &'a str,
    to: &'a str,
    name: &'a str,
}

impl<'a> Composer<'a> {
    pub fn new(lang: Lang, base_url: &'a str, to: &'a str, name: &'a str) -> Self {
        Self {
            t: Tr::new(lang),
            base_url: base_url.trim_end_matches('/'),
            to,
            name,
        }
    }

    fn compose(
        &self,
        subject_key: &str,
        paragraph_keys: &[&str],
        action: Option<(&str, String)>,
    ) -> OutgoingEmail {
        let paragraphs: Vec<String> = paragraph_keys.iter().map(|k| self.t.get(k)).collect();
        self.compose_with(self.t.get(subject_key), paragraphs, action)
    }

    /// For emails whose sentences carry values (an organisation's name, a reason).
    fn compose_with(
        &self,
        subject: String,
        paragraphs: Vec<String>,
        action: Option<(&str, String)>,
    ) -> OutgoingEmail {
        // By name when it is known; plainly otherwise (never "Bonjour ,").
        let greeting = if self.name.trim().is_empty() {
            self.t.get("mail-greeting-plain")
        } else {
            self.t.with("mail-greeting", "name", self.name)
        };
        let action = action.map(|(label_key, path)| Action {
            label: self.t.get(label_key),
            url: format!("{}{path}", self.base_url),
        });
        let signature = self.t.get("mail-signature");
        let text = TextBody {
            greeting: &greeting,
            paragraphs: &paragraphs,
            action: &action,
            signature: &signature,
        }
        .render()
        .expect("text email renders");
        let html = HtmlBody {
            lang: self.t.lang.code(),
            subject: &subject,
            greeting: &greeting,
            paragraphs: &paragraphs,
            action: &action,
            signature: &signature,
        }
        .render()
        .expect("html email renders");
        OutgoingEmail {
            to: self.to.to_owned(),
            subject,
            text,
            html,
        }
    }

    /// The link to confirm an address; `then`, where to go once signed in afterwards.
    pub fn verify_email(&self, token: &str, then: Option<&str>) -> OutgoingEmail {
        let link = crate::web::redirects::with_suite(
            &format!("/compte/verifier?jeton={token}"),
            then.unwrap_or("/"),
        );
        self.compose(
            "mail-verify-subject",
            &["mail-verify-body", "mail-verify-expiry", "mail-ignore"],
            Some(("mail-verify-action", link)),
        )
    }

    /// Sent instead of a verification when someone registers an address that already
    /// has an account: the caller learns nothing, the owner learns everything.
    pub fn already_registered(&self) -> OutgoingEmail {
        self.compose(
            "mail-exists-subject",
            &["mail-exists-body", "mail-ignore"],
            Some((
                "mail-exists-action",
                "/compte/mot-de-passe-oublie".to_owned(),
            )),
        )
    }

    pub fn password_reset(&self, token: &str) -> OutgoingEmail {
        self.compose(
            "mail-reset-subject",
            &["mail-reset-body", "mail-reset-expiry", "mail-ignore"],
            Some((
                "mail-reset-action",
                format!("/compte/reinitialiser?jeton={token}"),
            )),
        )
    }

    /// A coordinator's decision about an organisation (`approved`, `rejected`,
    /// `suspended`, `reinstated`), with its reason when one was given.
    /// `open`: the consultations the organisation may now answer (for an approval or a
    /// reinstatement), each named with its deadline; the link leads to the response when
    /// there is one, to the person's home otherwise.
    pub fn organisation_decision(
        &self,
        decision: &str,
        organisation: (i64, &str),
        reason: Option<&str>,
        open: &[crate::domain::rounds::Round],
    ) -> OutgoingEmail {
        let (organisation_id, organisation) = organisation;
        let subject = self.t.with(
            &format!("mail-org-{decision}-subject"),
            "organisation",
            organisation,
        );
        let mut paragraphs = vec![self.t.with(
            &format!("mail-org-{decision}-body"),
            "organisation",
            organisation,
        )];
        if let Some(reason) = reason {
            paragraphs.push(self.t.with("mail-org-reason", "reason", reason));
        }
        // Approved, or reinstated (back to approved): the organisation may answer again.
        let welcome = decision == OrganisationStatus::Approved.as_str() || decision == "reinstated";
        for round in open.iter().filter(|_| welcome) {
            paragraphs.push(self.t.with2(
                "mail-org-open-round",
                ("title", &round.title),
                ("date", &self.t.datetime(round.closes_at)),
            ));
        }
        let action = match open {
            [round] if welcome => (
                "mail-org-answer-action",
                format!("/consultations/{}/reponse/{organisation_id}", round.slug),
            ),
            _ if welcome => ("mail-org-home-action", "/".to_owned()),
            _ => ("mail-org-action", "/organisations".to_owned()),
        };
        self.compose_with(subject, paragraphs, Some(action))
    }

    /// To the coordination team: organisations registered since the last digest, waiting
    /// for a decision (names in the body only, never in the subject: they are free text).
    pub fn registrations_digest(&self, names: &[&str]) -> OutgoingEmail {
        let subject = self.t.count("mail-digest-subject", names.len());
        let mut paragraphs = vec![self.t.count("mail-digest-body", names.len())];
        paragraphs.extend(names.iter().map(|name| format!("– {name}")));
        self.compose_with(
            subject,
            paragraphs,
            Some((
                "mail-digest-action",
                "/organisations?statut=pending".to_owned(),
            )),
        )
    }

    /// An invitation to join an organisation (the link works once, for 7 days).
    pub fn invitation(&self, inviter: &str, organisation: &str, token: &str) -> OutgoingEmail {
        // No free text in the subject: an organisation's name is chosen by whoever
        // registered it, and a subject is what a phishing message dresses up.
        let subject = self.t.get("mail-invite-subject");
        let body = self.t.with2(
            "mail-invite-body",
            ("inviter", inviter),
            ("organisation", organisation),
        );
        let paragraphs = vec![
            body,
            self.t.get("mail-invite-expiry"),
            self.t.get("mail-ignore"),
        ];
        self.compose_with(
            subject,
            paragraphs,
            Some((
                "mail-invite-action",
                format!("/invitations/accepter?jeton={token}"),
            )),
        )
    }

    pub fn round_opened(&self, round: &crate::domain::rounds::Round) -> OutgoingEmail {
        let subject = self
            .t
            .with("mail-round-opened-subject", "title", &round.title);
        let paragraphs = vec![
            self.t.with("mail-round-opened-body", "title", &round.title),
            self.t.with(
                "mail-round-deadline",
                "date",
                &self.t.datetime(round.closes_at),
            ),
        ];
        self.compose_with(
            subject,
            paragraphs,
            Some((
                "mail-round-action",
                format!("/consultations/{}", round.slug),
            )),
        )
    }

    pub fn round_extended(&self, round: &crate::domain::rounds::Round) -> OutgoingEmail {
        let subject = self
            .t
            .with("mail-round-extended-subject", "title", &round.title);
        let paragraphs = vec![self.t.with2(
            "mail-round-extended-body",
            ("title", &round.title),
            ("date", &self.t.datetime(round.closes_at)),
        )];
        self.compose_with(
            subject,
            paragraphs,
            Some((
                "mail-round-action",
                format!("/consultations/{}", round.slug),
            )),
        )
    }

    pub fn reminder(&self, round: &crate::domain::rounds::Round, days_left: i64) -> OutgoingEmail {
        let subject = self.t.with("mail-reminder-subject", "title", &round.title);
        let paragraphs = vec![
            self.t.text_and_number(
                "mail-reminder-body",
                ("title", &round.title),
                ("days", days_left),
            ),
            self.t.with(
                "mail-round-deadline",
                "date",
                &self.t.datetime(round.closes_at),
            ),
        ];
        self.compose_with(
            subject,
            paragraphs,
            Some((
                "mail-round-action",
                format!("/consultations/{}", round.slug),
            )),
        )
    }

    /// The submission receipt: the publication chosen, then the full copy of the answers,
    /// then the documents attached with their SHA-256.
    pub fn receipt(
        &self,
        round: &crate::domain::rounds::Round,
        organisation: &str,
        consent: crate::domain::responses::PublicationConsent,
        lines: &[String],
        documents: &[ReceiptDocument],
    ) -> OutgoingEmail {
        let subject = self.t.with("mail-receipt-subject", "title", &round.title);
        let mut paragraphs = vec![
            self.t.with2(
                "mail-receipt-body",
                ("organisation", organisation),
                ("title", &round.title),
            ),
            self.t.with(
                "copy-consent",
                "choice",
                &self.t.label("consent", consent.as_str()),
            ),
        ];
        paragraphs.extend(lines.iter().cloned());
        if !documents.is_empty() {
            // Each file with its fingerprint: what was received can be proven later.
            paragraphs.push(self.t.count("mail-receipt-documents", documents.len()));
            paragraphs.extend(documents.iter().map(|d| {
                self.t.texts(
                    "mail-receipt-document",
                    &[
                        ("title", &d.title),
                        ("file", &d.file_name),
                        (
                            "size",
                            &crate::domain::attachments::size_label_in(
                                d.size,
                                self.t.lang == crate::i18n::Lang::En,
                            ),
                        ),
                        ("sha256", &d.sha256),
                    ],
                )
            }));
        }
        self.compose_with(
            subject,
            paragraphs,
            Some((
                "mail-round-action",
                format!("/consultations/{}", round.slug),
            )),
        )
    }

    pub fn password_changed(&self) -> OutgoingEmail {
        self.compose(
            "mail-changed-subject",
            &["mail-changed-body", "mail-changed-warning"],
            Some((
                "mail-changed-action",
                "/compte/mot-de-passe-oublie".to_owned(),
            )),
        )
    }
}

/// A document as a receipt lists it.
pub struct ReceiptDocument {
    pub title: String,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_use_the_base_url_and_both_alternatives_carry_them() {
        let email = Composer::new(Lang::En, "https://concerto.example/", "a@b.fr", "Ana")
            .verify_email("TOKEN", None);
        assert_eq!(email.to, "a@b.fr");
        assert!(
            email
                .text
                .contains("https://concerto.example/compte/verifier?jeton=TOKEN"),
            "{}",
            email.text
        );
        assert!(
            email
                .html
                .contains("https://concerto.example/compte/verifier?jeton=TOKEN")
        );
        assert!(email.html.contains("lang=\"en\"") && email.text.contains("Ana"));
        let french = Composer::new(Lang::Fr, "https://concerto.example", "a@b.fr", "<Ana>")
            .verify_email("T", None);
        assert_ne!(french.subject, email.subject);
        assert!(
            !french.html.contains("<Ana>") && french.html.contains("Ana"),
            "names are escaped in HTML: {}",
            french.html
        );
    }
}
