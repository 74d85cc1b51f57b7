//! Where emails go: an SMTP server through lettre, or `.eml` files for local runs.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, SmtpTransport, Transport as _};

use crate::config::{ExposeSecret, Settings};
use crate::store::outbox::ClaimedEmail;

pub enum Transport {
    Smtp {
        mailer: SmtpTransport,
        from: Mailbox,
    },
    Files {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let from: Mailbox = settings.mail.from.parse().map_err(|e| {
            anyhow::anyhow!(
                "mail.from « {} » : adresse invalide ({e})",
                settings.mail.from
            )
        })?;
        Ok(match &settings.smtp_url {
            Some(url) if !url.expose_secret().is_empty() => {
                // The URL may hold credentials: never echo it back. One connection per
                // email: lettre's pool (its `pool` feature) kept them, but on a connection
                // past its first exchanges each email then waited ~40 ms (lettre writes the
                // end of the data apart from the body, which Nagle's algorithm holds back
                // until the server's delayed acknowledgement): 22 emails/s, against 130.
                let mailer = SmtpTransport::from_url(url.expose_secret())
                    .map_err(|e| anyhow::anyhow!("CONCERTO_SMTP_URL invalide : {e}"))?
                    .timeout(Some(Duration::from_millis(
                        settings.mail.smtp_timeout_ms.max(1),
                    )))
                    .build();
                Self::Smtp { mailer, from }
            }
            _ => Self::Files {
                dir: settings.data_dir.join("mail"),
                from,
            },
        })
    }

    fn message(&self, email: &ClaimedEmail) -> Result<Message, String> {
        let from = match self {
            Self::Smtp { from, .. } | Self::Files { from, .. } => from.clone(),
        };
        let to: Mailbox = email
            .recipient
            .parse()
            .map_err(|e| format!("recipient: {e}"))?;
        // The same identifier at every attempt: should an email go twice (an instance
        // dead between the server's acceptance and the outbox's record), mail programs
        // show it once.
        let message_id = format!("<concerto.outbox.{}@{}>", email.id, from.email.domain());
        Message::builder()
            .message_id(Some(message_id))
            .from(from)
            .to(to)
            .subject(&email.subject)
            .multipart(MultiPart::alternative_plain_html(
                email.body_text.clone(),
                email.body_html.clone(),
            ))
            .map_err(|e| format!("building the message: {e}"))
    }

    /// Sends one email; the error is kept in the outbox row for the next attempt.
    pub fn deliver(&self, email: &ClaimedEmail) -> Result<(), String> {
        let message = self.message(email)?;
        match self {
            Self::Smtp { mailer, .. } => {
                mailer.send(&message).map(|_| ()).map_err(|e| e.to_string())
            }
            Self::Files { dir, .. } => {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                let path = dir.join(format!("{:06}.eml", email.id));
                std::fs::write(&path, message.formatted())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                tracing::info!(file = %path.display(), subject = %email.subject, "email written (no SMTP configured)");
                Ok(())
            }
        }
    }
}
