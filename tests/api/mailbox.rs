//! A real SMTP listener on loopback for the tests: emails go through lettre and SMTP,
//! and arrive here decoded.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin_embedded::{Handler, Response, Server, SslConfig, response};

#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub received_at: std::time::Instant,
    pub message_id: Option<String>,
}

#[derive(Clone)]
struct Collector {
    inbox: Arc<Mutex<Vec<Received>>>,
    to: Vec<String>,
    data: Vec<u8>,
    /// How long the server takes to accept each message (a slow server).
    delay: Duration,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        std::thread::sleep(self.delay);
        let message = mail_parser::MessageParser::default()
            .parse(&self.data)
            .expect("a parsable email");
        let received = Received {
            to: self.to.clone(),
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message
                .body_text(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            html: message
                .body_html(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            received_at: std::time::Instant::now(),
            message_id: message.message_id().map(str::to_owned),
        };
        self.inbox.lock().unwrap().push(received);
        response::OK
    }
}

#[derive(Clone)]
pub struct Mailbox {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

/// A port nothing listens on, below the kernel's ephemeral range (32768 and up), so that
/// no other test's "any free port" can land on it before a late server takes it.
pub fn unused_port() -> u16 {
    (0..200)
        .map(|_| 20_000 + rand::random::<u16>() % 12_000)
        .find(|p| TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .expect("a free port below the ephemeral range")
}

impl Mailbox {
    /// Listens on a free loopback port.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        Self::serve(listener, port, Duration::ZERO)
    }

    /// Listens on `port` (for a listener that comes up late).
    pub fn start_on(port: u16) -> Self {
        Self::serve(
            TcpListener::bind(("127.0.0.1", port)).unwrap(),
            port,
            Duration::ZERO,
        )
    }

    /// A server that takes `delay` to accept each message.
    pub fn start_slow(delay: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        Self::serve(listener, port, delay)
    }

    fn serve(listener: TcpListener, port: u16, delay: Duration) -> Self {
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let handler = Collector {
            inbox: inbox.clone(),
            to: Vec::new(),
            data: Vec::new(),
            delay,
        };
        let mut server = Server::new(handler);
        server
            .with_name("mailbox.test")
            .with_ssl(SslConfig::None)
            .unwrap()
            .with_num_threads(4)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, inbox }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn all(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }

    /// Emails received for `to` so far.
    /// When the last message arrived.
    pub fn last_received(&self) -> Option<std::time::Instant> {
        self.all().iter().map(|m| m.received_at).max()
    }

    pub fn for_recipient(&self, to: &str) -> Vec<Received> {
        self.all()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to)))
            .collect()
    }

    /// Waits until `count` emails have arrived for `to`, and returns them.
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<Received> {
        for _ in 0..200 {
            let found = self.for_recipient(to);
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "expected {count} email(s) for {to}, got {:?}",
            self.for_recipient(to)
        );
    }
}

impl Mailbox {
    /// Waits for an email to `to` whose subject starts with `prefix`; the latest one.
    pub async fn wait_for_subject(&self, to: &str, prefix: &str) -> Received {
        for _ in 0..200 {
            if let Some(mail) = self
                .for_recipient(to)
                .into_iter()
                .rev()
                .find(|m| m.subject.starts_with(prefix))
            {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no email to {to} titled {prefix}…: {:?}",
            self.for_recipient(to)
        );
    }

    /// Waits for an email to `to` whose text carries a link to `path`; the latest one.
    pub async fn wait_for_link(&self, to: &str, path: &str) -> Received {
        for _ in 0..200 {
            if let Some(mail) = self
                .for_recipient(to)
                .into_iter()
                .rev()
                .find(|m| m.text.contains(path))
            {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no email to {to} with a link to {path}: {:?}",
            self.for_recipient(to)
        );
    }
}

/// The value of `param` in the first link of `text` that contains `path`.
pub fn link_param(text: &str, path: &str, param: &str) -> String {
    let url = text
        .split_whitespace()
        .find(|w| w.contains(path))
        .unwrap_or_else(|| panic!("no link to {path} in {text}"));
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{param}=")))
        .unwrap_or_else(|| panic!("no {param} in {url}"))
        .to_owned()
}
