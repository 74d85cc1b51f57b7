//! Email: composed in the recipient's language, queued in the outbox with the change
//! that causes it, sent by a worker through SMTP (or written to files when no SMTP
//! server is configured).

pub mod messages;
pub mod transport;
pub mod worker;

/// A composed email, ready for the outbox.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}
