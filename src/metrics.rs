//! What an operator watches: Prometheus metrics in the text format, at `/metrics`, for
//! whoever presents the configured token (`metrics_token`; none configured, no metrics).
//! Counters and histograms move as things happen in this instance; what is the
//! database's state (the outbox, live sessions) is read when the metrics are asked for,
//! and is the same from every instance.

use std::sync::Arc;

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec,
    Opts, Registry, TextEncoder,
};

use crate::domain::attachments::TextState;
use crate::store::PoolUse;
use crate::store::watch::Watched;

/// The metrics of one instance.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    answers_written: IntCounter,
    document_texts: IntCounterVec,
    exports_running: IntGauge,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    pool_checkouts: IntGauge,
    pool_wait: Gauge,
    emails: IntGaugeVec,
    oldest_unsent: Gauge,
    live_sessions: IntGauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

/// What reading a content's text may come to: every state but waiting.
fn text_outcomes() -> impl Iterator<Item = TextState> {
    TextState::ALL
        .iter()
        .copied()
        .filter(|s| *s != TextState::Pending)
}

/// Registers `metric` and hands it back (names are constants: a clash is a bug).
fn registered<M: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    metric: M,
) -> M {
    registry
        .register(Box::new(metric.clone()))
        .expect("each metric is registered once");
    metric
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        let registry = Registry::new();
        let r = &registry;
        let gauge = |name: &str, help: &str| registered(r, IntGauge::new(name, help).unwrap());
        let metrics = Self {
            requests: registered(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "concerto_http_requests_total",
                        "Requests answered, by route, method and status",
                    ),
                    &["route", "method", "status"],
                )
                .unwrap(),
            ),
            latency: registered(
                r,
                HistogramVec::new(
                    HistogramOpts::new(
                        "concerto_http_request_duration_seconds",
                        "Time to answer a request, by route and method",
                    )
                    .buckets(vec![
                        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                    ]),
                    &["route", "method"],
                )
                .unwrap(),
            ),
            answers_written: registered(
                r,
                IntCounter::new(
                    "concerto_answers_written_total",
                    "Answers written (each new version)",
                )
                .unwrap(),
            ),
            document_texts: registered(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "concerto_document_texts_total",
                        "Attached documents' contents whose text this instance read, by outcome",
                    ),
                    &["outcome"],
                )
                .unwrap(),
            ),
            exports_running: gauge("concerto_exports_running", "Exports being streamed now"),
            pool_connections: gauge(
                "concerto_db_pool_connections",
                "Database connections open in the pool",
            ),
            pool_idle: gauge(
                "concerto_db_pool_idle_connections",
                "Database connections idle in the pool",
            ),
            pool_checkouts: gauge(
                "concerto_db_pool_checkouts",
                "Connections taken from the pool since the instance started",
            ),
            pool_wait: registered(
                r,
                Gauge::new(
                    "concerto_db_pool_wait_seconds",
                    "Time spent waiting for a pooled connection since the instance started",
                )
                .unwrap(),
            ),
            emails: registered(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "concerto_outbox_emails",
                        "Emails in the outbox, by state (database)",
                    ),
                    &["state"],
                )
                .unwrap(),
            ),
            oldest_unsent: registered(
                r,
                Gauge::new(
                    "concerto_outbox_oldest_pending_age_seconds",
                    "Age of the oldest email still to send, 0 when none (database)",
                )
                .unwrap(),
            ),
            live_sessions: gauge(
                "concerto_sessions_live",
                "Sessions not yet expired (database)",
            ),
            registry,
        };
        // Every outcome shown from the start, at 0 (a series that appears later breaks
        // rates and alerts).
        for outcome in text_outcomes() {
            metrics
                .document_texts
                .with_label_values(&[outcome.as_str()]);
        }
        Arc::new(metrics)
    }

    /// A request answered: `route` is its pattern (`/api/v1/rounds/{slug}`), never its
    /// path, so that the series stay few.
    pub fn answered(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.latency
            .with_label_values(&[route, method])
            .observe(seconds);
    }

    pub fn answers_written(&self, count: usize) {
        self.answers_written.inc_by(count as u64);
    }

    /// A content's text read, with what came of it.
    pub fn document_text_read(&self, outcome: TextState) {
        self.document_texts
            .with_label_values(&[outcome.as_str()])
            .inc();
    }

    /// How many contents' texts this instance read, whatever came of it (tests).
    pub fn document_texts_read(&self) -> u64 {
        text_outcomes()
            .map(|s| self.document_texts.with_label_values(&[s.as_str()]).get())
            .sum()
    }

    /// An export starts; it is counted as running until the guard is dropped.
    pub fn export_started(self: &Arc<Self>) -> ExportRunning {
        self.exports_running.inc();
        ExportRunning(self.clone())
    }

    /// The metrics in Prometheus's text format, with the pool and the database's state
    /// as they are now.
    pub fn render(&self, pool: PoolUse, watched: &Watched, now: chrono::NaiveDateTime) -> String {
        self.pool_connections.set(i64::from(pool.connections));
        self.pool_idle.set(i64::from(pool.idle));
        self.pool_checkouts.set(pool.checkouts as i64);
        self.pool_wait.set(pool.waited_seconds);
        for (state, count) in &watched.emails {
            self.emails.with_label_values(&[state.as_str()]).set(*count);
        }
        let age = watched.oldest_pending.map_or(0.0, |at| {
            (now - at).num_milliseconds().max(0) as f64 / 1000.0
        });
        self.oldest_unsent.set(age);
        self.live_sessions.set(watched.live_sessions);
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .expect("the text format encodes into memory");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}

/// An export counted as running while this lives.
pub struct ExportRunning(Arc<Metrics>);

impl Drop for ExportRunning {
    fn drop(&mut self) {
        self.0.exports_running.dec();
    }
}

/// The content type of the text format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
