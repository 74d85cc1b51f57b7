//! Building and running the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;

use crate::background::Background;
use crate::clock::Clock;
use crate::config::{ExposeSecret, Settings};
use crate::error::{self, AppError};
use crate::mail::transport::Transport;
use crate::state::AppState;
use crate::store::{DatabaseUrl, Db};
use crate::{api, web as pages};

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    background: Background,
}

/// Opens the database (clear error if unreachable) and applies pending migrations.
pub fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let url = DatabaseUrl::parse(settings.database_url.expose_secret())?;
    let db = Db::open(
        &url,
        settings.database.max_connections,
        Duration::from_secs(settings.database.connect_timeout_secs),
    )?;
    tracing::info!(database = %url.redacted(), "database ready");
    Ok(db)
}

impl Application {
    /// Opens the database and binds the address (port 0 picks a free one, for tests).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    /// The same, with a given clock (tests move time by hand).
    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        Self::build_on(settings, clock, None).await
    }

    /// The same, serving on a listener already bound (tests: the base URL must name the
    /// port before start-up, and a port freed to be bound again later can be taken by any
    /// connection meanwhile).
    pub async fn build_on(
        settings: Settings,
        clock: Clock,
        listener: Option<TcpListener>,
    ) -> anyhow::Result<Self> {
        let settings = Arc::new(settings);
        let for_open = settings.clone();
        let db = actix_web::rt::task::spawn_blocking(move || open_database(&for_open))
            .await
            .context("database start-up task failed")??;
        db.listen_for_session_changes();
        let transport = Transport::from_settings(&settings)?;
        let files = Arc::new(crate::files::FileStore::from_settings(&settings)?);
        let listener = match listener {
            Some(listener) => listener,
            None => TcpListener::bind(&settings.bind)
                .with_context(|| format!("impossible d'écouter sur {}", settings.bind))?,
        };
        let port = listener.local_addr()?.port();
        let background = Background::default();
        // The scheduled jobs' emails go out at the outbox's next pass: the same interval.
        let interval = std::time::Duration::from_millis(settings.mail.poll_interval_ms.max(10));
        crate::services::schedule::spawn(
            &background,
            db.clone(),
            clock.clone(),
            (settings.base_url().to_owned(), settings.privacy.clone()),
            interval,
        );
        crate::mail::worker::spawn(
            &background,
            db.clone(),
            transport,
            settings.mail.clone(),
            clock.clone(),
        );
        let state = AppState::new(db, settings, clock, files);
        crate::services::responses::attachments::spawn_cleaning(state.clone());
        crate::services::responses::document_text::spawn_reading(state.clone());
        let server = run(listener, state.clone())?;
        Ok(Self {
            port,
            server,
            state,
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The background loops (outbox, scheduled jobs), to stop them before their
    /// database goes away (tests).
    pub fn background(&self) -> Background {
        self.background.clone()
    }

    /// Serves until SIGTERM or SIGINT; in-flight requests are given time to finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        // Emails being sent finish; the rest wait in the outbox for the next start.
        self.background.stop();
        result
    }
}

fn run(listener: TcpListener, state: AppState) -> anyhow::Result<Server> {
    let settings = state.settings.clone();
    let json_limit = settings.limits.json_bytes;
    let form_limit = settings.limits.form_bytes;
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        App::new()
            // Innermost first: errors are shaped, then headers added, then the request logged.
            .wrap(from_fn(pages::middleware::pending_decisions))
            .wrap(from_fn(crate::auth::identity::resolve))
            .wrap(from_fn(pages::middleware::error_bodies))
            .wrap(from_fn(pages::middleware::security_headers))
            .wrap(from_fn(pages::middleware::request_context))
            .app_data(data.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(json_limit)
                    .content_type(|mime| {
                        mime.subtype() == "json"
                            || mime.suffix().is_some_and(|s| s == "json")
                            || mime.subtype() == "csp-report"
                    })
                    .error_handler(move |err, _| error::json_error(err, json_limit).into()),
            )
            .app_data(
                web::FormConfig::default()
                    .limit(form_limit)
                    .error_handler(move |err, _| error::form_error(err, form_limit).into()),
            )
            .app_data(web::PayloadConfig::default().limit(json_limit.max(form_limit)))
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|err, _| AppError::BadRequest(err.to_string()).into()),
            )
            .configure(api::configure)
            .configure(pages::configure)
            // A documented path asked with a method it does not have: 405 with the
            // methods it has; anything else: 404.
            .default_service(web::to(|req: actix_web::HttpRequest| async move {
                match api::contract::allowed_methods(req.path()) {
                    Some(allow) => {
                        let mut refused =
                            actix_web::ResponseError::error_response(&AppError::MethodNotAllowed);
                        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allow) {
                            refused
                                .headers_mut()
                                .insert(actix_web::http::header::ALLOW, value);
                        }
                        Ok(refused)
                    }
                    None => Err::<actix_web::HttpResponse, _>(AppError::NotFound),
                }
            }))
    })
    .shutdown_timeout(settings.shutdown_timeout_secs);
    if settings.workers > 0 {
        server = server.workers(settings.workers);
    }
    Ok(server.listen(listener)?.run())
}
