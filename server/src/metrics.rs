//! The app's own Prometheus registry (not the crate's global default, so tests and
//! several app instances in one process never share counters) and the HTTP
//! middleware that feeds it.

use std::{sync::Arc, time::Instant};

use contract::{
    events::{EXTRACT_REASONS, Event, EventKind, FILE_TYPES, SCORING_VARIANTS, SOURCES},
    feedback::{Body, Category, Feedback, Kind, Question},
};

use crate::experiments::Catalog;

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};
use prometheus::{
    Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};

/// The route label for requests no route matched (static files, 404s), so
/// arbitrary paths can never create new time series.
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Latency buckets in seconds: from a cached static file (~1 ms) to a slow
/// server-rendered page or database write (seconds).
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub http_requests_total: IntCounterVec,
    pub http_request_duration_seconds: HistogramVec,
    pub http_requests_in_flight: IntGauge,
    pub feedback_submissions_total: IntCounterVec,
    pub ratings: HistogramVec,
    pub feedback_rejected_total: IntCounterVec,
    pub admin_logins_total: IntCounterVec,
    pub events_ingested_total: IntCounterVec,
    pub events_duplicates_total: IntCounterVec,
    pub events_rejected_total: IntCounterVec,
    pub experiment_exposures_total: IntCounterVec,
    pub experiment_conversions_total: IntCounterVec,
    pub client_scoring_duration_seconds: HistogramVec,
    pub page_visible_seconds: HistogramVec,
    pub resumes_scored_total: IntCounterVec,
    pub files_extracted_total: IntCounterVec,
    pub file_extraction_duration_seconds: HistogramVec,
    pub http_request_size_bytes: HistogramVec,
    pub http_response_size_bytes: HistogramVec,
    pub db_query_duration_seconds: HistogramVec,
    pub db_errors_total: IntCounterVec,
    pub db_connections: IntGaugeVec,
    pub ready: IntGauge,
    pub experiment_variant_weight: GaugeVec,
    /// `ats_scorer_panics_total`: request handlers that panicked (each answered
    /// a JSON 500 by [`crate::panics`]).
    pub panics_total: IntCounter,
    /// Rate-limit refusals and connection counts (issue 14).
    pub edge: EdgeMetrics,
    /// The storage health the errors of timed queries are reported to
    /// (`register_storage`).
    storage: std::sync::OnceLock<Arc<crate::db::Health>>,
}

/// The named database queries (`query` label of `ats_scorer_db_query_duration_seconds`).
pub const QUERIES: [&str; 4] = [
    "feedback_insert",
    "events_write",
    "ready_probe",
    "retention_delete",
];

/// `kind` values of `ats_scorer_db_errors_total`.
pub const DB_ERROR_KINDS: [&str; 6] = [
    "busy",
    "constraint",
    "io",
    "pool_timeout",
    "closed",
    "other",
];

/// The `kind` label of a database error.
pub fn db_error_kind(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::PoolTimedOut => "pool_timeout",
        sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => "closed",
        sqlx::Error::Io(_) => "io",
        sqlx::Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            // SQLite primary result codes: 5 BUSY, 6 LOCKED, 19 CONSTRAINT; storage (io):
            // 8 READONLY, 10 IOERR, 13 FULL, 14 CANTOPEN.
            match code.parse::<u32>().map(|c| c & 0xff) {
                Ok(5 | 6) => "busy",
                Ok(19) => "constraint",
                Ok(8 | 10 | 13 | 14) => "io",
                _ => "other",
            }
        }
        _ => "other",
    }
}

/// Flood protection and connections: `ats_scorer_rate_limited_total`,
/// `ats_scorer_rate_limit_keys` and the `ats_scorer_connections_*` family.
#[derive(Clone)]
pub struct EdgeMetrics {
    /// Requests refused by a rate limiter, by `endpoint`
    /// ([`crate::ratelimit::ENDPOINTS`]) and `key` (address, visitor).
    pub rate_limited_total: IntCounterVec,
    /// Keys each limiter holds (set by the sweeper), by `limiter`.
    pub rate_limit_keys: IntGaugeVec,
    /// Open connections, by `listener` (app, metrics).
    pub connections_open: IntGaugeVec,
    /// Accepted connections, by `listener`.
    pub connections_accepted_total: IntCounterVec,
    /// Times a listener stopped accepting at `--max-connections`, by `listener`.
    pub connections_at_cap_total: IntCounterVec,
    /// Connections closed on accept because their address had
    /// `--max-connections-per-address` open, by `listener`.
    pub connections_over_address_share_total: IntCounterVec,
    /// Connections closed by a timeout, by `listener` and `timeout` (header, idle).
    pub connections_timed_out_total: IntCounterVec,
}

/// `listener` label values of the connection metrics.
pub const LISTENERS: [&str; 2] = ["app", "metrics"];

/// `limiter` label values of `ats_scorer_rate_limit_keys`.
pub const LIMITERS: [&str; 8] = [
    "events_address",
    "events_visitor",
    "feedback_address",
    "feedback_visitor",
    "login_address",
    "login_visitor",
    "admin_write_address",
    "admin_write_visitor",
];

impl EdgeMetrics {
    fn new(registry: &Registry) -> Self {
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let c = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
            registry
                .register(Box::new(c.clone()))
                .expect("metric names are unique");
            c
        };
        let gauge = |name: &str, help: &str, labels: &[&str]| {
            let g = IntGaugeVec::new(Opts::new(name, help), labels).expect("valid metric");
            registry
                .register(Box::new(g.clone()))
                .expect("metric names are unique");
            g
        };
        let m = Self {
            rate_limited_total: counter(
                "ats_scorer_rate_limited_total",
                "Requests refused by a rate limit (429), by endpoint (events, feedback, login, admin_write) and the key that refused (address; visitor: the visitor cookie, the email at this address for login, the admin or token for admin writes).",
                &["endpoint", "key"],
            ),
            rate_limit_keys: gauge(
                "ats_scorer_rate_limit_keys",
                "Keys held by each rate limiter after the last sweep (every 30 s), by limiter.",
                &["limiter"],
            ),
            connections_open: gauge(
                "ats_scorer_connections_open",
                "TCP connections open now, by listener (app, metrics).",
                &["listener"],
            ),
            connections_accepted_total: counter(
                "ats_scorer_connections_accepted_total",
                "TCP connections accepted, by listener.",
                &["listener"],
            ),
            connections_at_cap_total: counter(
                "ats_scorer_connections_at_cap_total",
                "Times a listener stopped accepting because --max-connections were open (it resumes when one closes), by listener.",
                &["listener"],
            ),
            connections_over_address_share_total: counter(
                "ats_scorer_connections_over_address_share_total",
                "Connections closed right after accept because their address (IPv4, or IPv6 /64; trusted proxies exempt) already had --max-connections-per-address open, by listener.",
                &["listener"],
            ),
            connections_timed_out_total: counter(
                "ats_scorer_connections_timed_out_total",
                "Connections closed by a timeout, by listener and timeout (header: the request head took longer than --header-timeout-secs; idle: no byte moved for --idle-timeout-secs).",
                &["listener", "timeout"],
            ),
        };
        for endpoint in crate::ratelimit::ENDPOINTS {
            for key in crate::ratelimit::KeyKind::ALL {
                m.rate_limited_total
                    .with_label_values(&[endpoint, key.as_str()]);
            }
        }
        for limiter in LIMITERS {
            m.rate_limit_keys.with_label_values(&[limiter]);
        }
        for listener in LISTENERS {
            m.connections_open.with_label_values(&[listener]);
            m.connections_accepted_total.with_label_values(&[listener]);
            m.connections_at_cap_total.with_label_values(&[listener]);
            m.connections_over_address_share_total
                .with_label_values(&[listener]);
            for timeout in ["header", "idle"] {
                m.connections_timed_out_total
                    .with_label_values(&[listener, timeout]);
            }
        }
        m
    }

    /// The connection metrics of `listener` (one of [`LISTENERS`]).
    pub fn conn(&self, listener: &str) -> crate::net::ConnMetrics {
        crate::net::ConnMetrics {
            open: self.connections_open.with_label_values(&[listener]),
            accepted: self
                .connections_accepted_total
                .with_label_values(&[listener]),
            at_cap: self.connections_at_cap_total.with_label_values(&[listener]),
            over_address_share: self
                .connections_over_address_share_total
                .with_label_values(&[listener]),
            header_timeouts: self
                .connections_timed_out_total
                .with_label_values(&[listener, "header"]),
            idle_timeouts: self
                .connections_timed_out_total
                .with_label_values(&[listener, "idle"]),
        }
    }
}

/// Size buckets in bytes: a probe answer to a large page or upload.
const SIZE_BUCKETS: &[f64] = &[
    64.0,
    256.0,
    1024.0,
    4096.0,
    16384.0,
    65536.0,
    262_144.0,
    1_048_576.0,
    4_194_304.0,
];

/// Database latency buckets in seconds.
const DB_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// `reason` values of `ats_scorer_events_rejected_total`: `invalid_event`
/// counts single events refused in an accepted batch; the others count whole
/// requests refused.
pub const EVENT_REJECTION_REASONS: [&str; 8] = [
    "invalid_event",
    "malformed_json",
    "incomplete_body",
    "too_large",
    "unsupported_media_type",
    "rate_limited",
    "internal",
    "validation",
];

/// `page` label values: the app's pages, everything else is `other`.
pub const PAGES: [&str; 3] = ["/", "/contact", "other"];

pub fn page_label(page: &str) -> &'static str {
    PAGES.into_iter().find(|p| *p == page).unwrap_or("other")
}

/// `reason` values of `ats_scorer_feedback_rejected_total` (the error `code`s).
pub const FEEDBACK_REJECTION_REASONS: [&str; 7] = [
    "validation",
    "malformed_json",
    "incomplete_body",
    "too_large",
    "unsupported_media_type",
    "rate_limited",
    "internal",
];

/// `outcome` values of `ats_scorer_admin_logins_total`.
pub const ADMIN_LOGIN_OUTCOMES: [&str; 5] = [
    "success",
    "wrong_credentials",
    "rate_limited",
    "csrf",
    "incomplete",
];

/// `variant` values of `ats_scorer_ratings`: the scoring algorithm the rated
/// score came from, or `none` when no score was on screen.
pub const RATING_VARIANTS: [&str; 4] = ["v1", "v2", "v3", "none"];

/// The `variant` label of a rating: the `scoring-algorithm` experiment's
/// variant when the page sent one, else the algorithm version's major part
/// (`v2.0` → `v2`); anything unknown is `none`, so labels stay a fixed set.
pub fn rating_variant(feedback: &Feedback) -> &'static str {
    let ctx = &feedback.context;
    let named = ctx
        .variants
        .get("scoring-algorithm")
        .map(String::as_str)
        .or_else(|| ctx.algorithm.as_deref().and_then(|a| a.split('.').next()));
    RATING_VARIANTS
        .into_iter()
        .find(|v| Some(*v) == named)
        .unwrap_or("none")
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        let registry = Registry::new();

        let http_requests_total = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by method, matched route template and status code.",
            ),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let http_request_duration_seconds = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from receiving a request to producing its response headers, by method and matched route template.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["method", "route"],
        )
        .expect("valid metric");
        let http_requests_in_flight = IntGauge::new(
            "http_requests_in_flight",
            "HTTP requests being handled right now.",
        )
        .expect("valid metric");
        let build_info = IntGaugeVec::new(
            Opts::new(
                "ats_scorer_build_info",
                "Always 1; labels name the running build (crate version, git commit).",
            ),
            &["version", "commit"],
        )
        .expect("valid metric");
        build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION"), env!("ATS_BUILD_COMMIT")])
            .set(1);

        let feedback_submissions_total = IntCounterVec::new(
            Opts::new(
                "ats_scorer_feedback_submissions_total",
                "Feedback submissions stored (retries of a stored submission not counted), by kind (rating, form, contact) and category (the form's category; none for ratings).",
            ),
            &["kind", "category"],
        )
        .expect("valid metric");
        let ratings = HistogramVec::new(
            HistogramOpts::new(
                "ats_scorer_ratings",
                "Star ratings stored (1-5), by question (accuracy, helpfulness) and scoring variant (v1, v2, none); sum/count is the mean rating.",
            )
            .buckets(vec![1.0, 2.0, 3.0, 4.0, 5.0]),
            &["question", "variant"],
        )
        .expect("valid metric");
        let feedback_rejected_total = IntCounterVec::new(
            Opts::new(
                "ats_scorer_feedback_rejected_total",
                "Feedback submissions refused, by reason (the error code: validation, malformed_json, too_large, unsupported_media_type, rate_limited, internal).",
            ),
            &["reason"],
        )
        .expect("valid metric");
        // Every label combination exists from the start, at zero, so rates and
        // alerts work before the first submission.
        for kind in Kind::ALL {
            if kind == Kind::Rating {
                feedback_submissions_total.with_label_values(&["rating", "none"]);
            } else {
                for category in Category::ALL {
                    feedback_submissions_total
                        .with_label_values(&[kind.as_str(), category.as_str()]);
                }
            }
        }
        for question in Question::ALL {
            for variant in RATING_VARIANTS {
                ratings.with_label_values(&[question.as_str(), variant]);
            }
        }
        for reason in FEEDBACK_REJECTION_REASONS {
            feedback_rejected_total.with_label_values(&[reason]);
        }
        let admin_logins_total = IntCounterVec::new(
            Opts::new(
                "ats_scorer_admin_logins_total",
                "Login attempts at /admin/login, by outcome (success, wrong_credentials, rate_limited, csrf, incomplete).",
            ),
            &["outcome"],
        )
        .expect("valid metric");
        for outcome in ADMIN_LOGIN_OUTCOMES {
            admin_logins_total.with_label_values(&[outcome]);
        }

        let counter = |name: &str, help: &str, labels: &[&str]| {
            IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric")
        };
        let histogram = |name: &str, help: &str, labels: &[&str], buckets: &[f64]| {
            HistogramVec::new(
                HistogramOpts::new(name, help).buckets(buckets.to_vec()),
                labels,
            )
            .expect("valid metric")
        };
        let events_ingested_total = counter(
            "ats_scorer_events_ingested_total",
            "Usage events stored, by kind (the closed event vocabulary).",
            &["kind"],
        );
        let events_duplicates_total = counter(
            "ats_scorer_events_duplicates_total",
            "Usage events received again (same id) and dropped, by kind.",
            &["kind"],
        );
        let events_rejected_total = counter(
            "ats_scorer_events_rejected_total",
            "Usage events refused one by one (reason invalid_event) and event requests refused whole (other reasons: the error code).",
            &["reason"],
        );
        let experiment_exposures_total = counter(
            "ats_scorer_experiment_exposures_total",
            "Exposure events stored: a visitor was shown a variant (once per visitor and experiment from the page).",
            &["experiment", "variant"],
        );
        let experiment_conversions_total = counter(
            "ats_scorer_experiment_conversions_total",
            "Stored events that meet an experiment goal, by the visitor's variant.",
            &["experiment", "variant", "goal"],
        );
        let client_scoring_duration_seconds = histogram(
            "ats_scorer_client_scoring_duration_seconds",
            "Time the browser took to score a resume (from score_computed events), by scoring variant.",
            &["variant"],
            &[
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
            ],
        );
        let page_visible_seconds = histogram(
            "ats_scorer_page_visible_seconds",
            "Visible time on a page between two moments it was hidden (from page_time events), by page.",
            &["page"],
            &[
                1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
            ],
        );
        let resumes_scored_total = counter(
            "ats_scorer_resumes_scored_total",
            "Scores computed in browsers (score_computed events), by scoring variant and where the resume came from.",
            &["variant", "source"],
        );
        let files_extracted_total = counter(
            "ats_scorer_files_extracted_total",
            "Files read in browsers, by type and outcome (ok, or why it failed).",
            &["type", "outcome"],
        );
        let file_extraction_duration_seconds = histogram(
            "ats_scorer_file_extraction_duration_seconds",
            "Time the browser took to read a file (extract_done and extract_failed events), by type.",
            &["type"],
            &[0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0],
        );
        let http_request_size_bytes = histogram(
            "ats_scorer_http_request_size_bytes",
            "Request body sizes (Content-Length; 0 without a body), by matched route template.",
            &["route"],
            SIZE_BUCKETS,
        );
        let http_response_size_bytes = histogram(
            "ats_scorer_http_response_size_bytes",
            "Response body sizes as sent (after compression), by matched route template.",
            &["route"],
            SIZE_BUCKETS,
        );
        let db_query_duration_seconds = histogram(
            "ats_scorer_db_query_duration_seconds",
            "Time of each named database operation (feedback_insert, events_write: one grouped transaction, ready_probe: the readiness write probe, retention_delete).",
            &["query"],
            DB_BUCKETS,
        );
        let db_errors_total = counter(
            "ats_scorer_db_errors_total",
            "Database operations that failed, by kind (busy, constraint, io, pool_timeout, closed, other).",
            &["kind"],
        );
        let db_connections = IntGaugeVec::new(
            Opts::new(
                "ats_scorer_db_connections",
                "Connections in the SQLite pool, by state (in_use, idle); read from the pool at scrape time.",
            ),
            &["state"],
        )
        .expect("valid metric");
        let ready = IntGauge::new(
            "ats_scorer_ready",
            "1 when the database answered the last readiness check (every 10 s and on /ready), else 0.",
        )
        .expect("valid metric");
        let experiment_variant_weight = GaugeVec::new(
            Opts::new(
                "ats_scorer_experiment_variant_weight",
                "Configured share of each experiment variant (experiments.toml), for sample-ratio checks.",
            ),
            &["experiment", "variant"],
        )
        .expect("valid metric");
        for q in QUERIES {
            db_query_duration_seconds.with_label_values(&[q]);
        }
        for k in DB_ERROR_KINDS {
            db_errors_total.with_label_values(&[k]);
        }
        for state in ["in_use", "idle"] {
            db_connections.with_label_values(&[state]);
        }
        for kind in EventKind::ALL {
            events_ingested_total.with_label_values(&[kind.as_str()]);
            events_duplicates_total.with_label_values(&[kind.as_str()]);
        }
        for reason in EVENT_REJECTION_REASONS {
            events_rejected_total.with_label_values(&[reason]);
        }
        for v in SCORING_VARIANTS {
            client_scoring_duration_seconds.with_label_values(&[v]);
            for s in SOURCES {
                resumes_scored_total.with_label_values(&[v, s]);
            }
        }
        for p in PAGES {
            page_visible_seconds.with_label_values(&[p]);
        }
        for t in FILE_TYPES {
            file_extraction_duration_seconds.with_label_values(&[t]);
            files_extracted_total.with_label_values(&[t, "ok"]);
            for r in EXTRACT_REASONS {
                files_extracted_total.with_label_values(&[t, r]);
            }
        }

        for collector in [
            Box::new(http_requests_total.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(http_request_duration_seconds.clone()),
            Box::new(http_requests_in_flight.clone()),
            Box::new(build_info),
            Box::new(feedback_submissions_total.clone()),
            Box::new(ratings.clone()),
            Box::new(feedback_rejected_total.clone()),
            Box::new(admin_logins_total.clone()),
            Box::new(events_ingested_total.clone()),
            Box::new(events_duplicates_total.clone()),
            Box::new(events_rejected_total.clone()),
            Box::new(experiment_exposures_total.clone()),
            Box::new(experiment_conversions_total.clone()),
            Box::new(client_scoring_duration_seconds.clone()),
            Box::new(page_visible_seconds.clone()),
            Box::new(resumes_scored_total.clone()),
            Box::new(files_extracted_total.clone()),
            Box::new(file_extraction_duration_seconds.clone()),
            Box::new(http_request_size_bytes.clone()),
            Box::new(http_response_size_bytes.clone()),
            Box::new(db_query_duration_seconds.clone()),
            Box::new(db_errors_total.clone()),
            Box::new(db_connections.clone()),
            Box::new(ready.clone()),
            Box::new(experiment_variant_weight.clone()),
        ] {
            registry
                .register(collector)
                .expect("metric names are unique");
        }
        let panics_total = IntCounter::new(
            "ats_scorer_panics_total",
            "Request handlers that panicked; each was answered with a JSON 500 and logged (\"handler panicked\"). Any increase is a bug.",
        )
        .expect("valid metric");
        registry
            .register(Box::new(panics_total.clone()))
            .expect("metric names are unique");

        let edge = EdgeMetrics::new(&registry);
        Arc::new(Self {
            edge,
            registry,
            http_requests_total,
            http_request_duration_seconds,
            http_requests_in_flight,
            feedback_submissions_total,
            ratings,
            feedback_rejected_total,
            admin_logins_total,
            events_ingested_total,
            events_duplicates_total,
            events_rejected_total,
            experiment_exposures_total,
            experiment_conversions_total,
            client_scoring_duration_seconds,
            page_visible_seconds,
            resumes_scored_total,
            files_extracted_total,
            file_extraction_duration_seconds,
            http_request_size_bytes,
            http_response_size_bytes,
            db_query_duration_seconds,
            db_errors_total,
            db_connections,
            ready,
            experiment_variant_weight,
            panics_total,
            storage: std::sync::OnceLock::new(),
        })
    }

    /// Adds `ats_scorer_db_connections_retired_total`, lets the storage health
    /// set `ats_scorer_ready`, and reports the storage errors of timed queries
    /// to it (a full disk fails readiness at the first failed write).
    pub fn register_storage(&self, health: &Arc<crate::db::Health>) {
        if let Err(e) = self.registry.register(Box::new(health.retired.clone())) {
            tracing::warn!(error = %e, "the retired-connections metric is not registered");
        }
        health.set_metrics(
            self.ready.clone(),
            self.db_query_duration_seconds
                .with_label_values(&["ready_probe"]),
        );
        let _ = self.storage.set(health.clone());
    }

    /// Adds the `process_*` metrics (CPU seconds, resident memory, open and max
    /// file descriptors, start time) of this process.
    pub fn register_process(&self) {
        #[cfg(target_os = "linux")]
        {
            let collector = prometheus::process_collector::ProcessCollector::for_self();
            if let Err(e) = self.registry.register(Box::new(collector)) {
                tracing::warn!(error = %e, "process metrics unavailable");
            }
        }
    }

    /// Times a named database operation and counts its failure.
    pub async fn time_query<T>(
        &self,
        query: &'static str,
        op: impl std::future::Future<Output = Result<T, sqlx::Error>>,
    ) -> Result<T, sqlx::Error> {
        let started = Instant::now();
        let result = tracing::Instrument::instrument(op, tracing::info_span!("db", query)).await;
        self.db_query_duration_seconds
            .with_label_values(&[query])
            .observe(started.elapsed().as_secs_f64());
        if let Err(e) = &result {
            self.db_errors_total
                .with_label_values(&[db_error_kind(e)])
                .inc();
            if let Some(storage) = self.storage.get() {
                storage.note_error(e);
            }
        }
        result
    }

    /// Reads the pool's connection counts into `ats_scorer_db_connections`
    /// (no query: the pool knows).
    pub fn refresh_pool(&self, pool: &sqlx::SqlitePool) {
        let size = i64::from(pool.size());
        let idle = pool.num_idle() as i64;
        self.db_connections
            .with_label_values(&["in_use"])
            .set((size - idle).max(0));
        self.db_connections.with_label_values(&["idle"]).set(idle);
    }

    /// Creates the experiment series at zero for every configured variant and
    /// goal, and publishes the configured weights.
    pub fn register_experiments(&self, catalog: &Catalog) {
        for e in &catalog.experiments {
            for (variant, weight) in &e.variants {
                self.experiment_variant_weight
                    .with_label_values(&[e.key.as_str(), variant.as_str()])
                    .set(*weight);
                self.experiment_exposures_total
                    .with_label_values(&[e.key.as_str(), variant.as_str()]);
                for g in &e.goals {
                    self.experiment_conversions_total.with_label_values(&[
                        e.key.as_str(),
                        variant.as_str(),
                        g.name.as_str(),
                    ]);
                }
            }
        }
    }

    /// Counts stored events (`inserted[i]` false: a duplicate). Label values
    /// come from the validated vocabulary and the configuration only.
    pub fn record_events(&self, catalog: &Catalog, events: &[Event], inserted: &[bool]) {
        for (e, new) in events.iter().zip(inserted) {
            let kind = e.kind.as_str();
            if !new {
                self.events_duplicates_total
                    .with_label_values(&[kind])
                    .inc();
                continue;
            }
            self.events_ingested_total.with_label_values(&[kind]).inc();
            let ms = |name: &str| e.int(name).unwrap_or(0) as f64 / 1000.0;
            match e.kind {
                EventKind::Exposure => {
                    if let (Some(x), Some(v)) = (e.word("experiment"), e.word("variant")) {
                        self.experiment_exposures_total
                            .with_label_values(&[x, v])
                            .inc();
                    }
                }
                EventKind::ScoreComputed => {
                    let variant = e.word("variant").unwrap_or("v2");
                    self.client_scoring_duration_seconds
                        .with_label_values(&[variant])
                        .observe(ms("duration_ms"));
                    self.resumes_scored_total
                        .with_label_values(&[variant, e.word("source").unwrap_or("paste")])
                        .inc();
                }
                EventKind::PageTime => {
                    self.page_visible_seconds
                        .with_label_values(&[page_label(&e.page)])
                        .observe(ms("visible_ms"));
                }
                EventKind::ExtractDone | EventKind::ExtractFailed => {
                    let t = e.word("file_type").unwrap_or("other");
                    let outcome = e.word("reason").unwrap_or("ok");
                    self.files_extracted_total
                        .with_label_values(&[t, outcome])
                        .inc();
                    self.file_extraction_duration_seconds
                        .with_label_values(&[t])
                        .observe(ms("duration_ms"));
                }
                _ => {}
            }
            for (experiment, variant, goal) in catalog.conversions(e) {
                self.experiment_conversions_total
                    .with_label_values(&[experiment, variant, goal])
                    .inc();
            }
        }
    }

    /// Counts a newly stored submission (not a retry of a stored one).
    pub fn record_feedback(&self, feedback: &Feedback) {
        match &feedback.body {
            Body::Rating {
                question, rating, ..
            } => {
                self.feedback_submissions_total
                    .with_label_values(&["rating", "none"])
                    .inc();
                self.ratings
                    .with_label_values(&[question.as_str(), rating_variant(feedback)])
                    .observe(f64::from(*rating));
            }
            Body::Message { kind, category, .. } => {
                self.feedback_submissions_total
                    .with_label_values(&[kind.as_str(), category.as_str()])
                    .inc();
            }
        }
    }

    /// The registry in the Prometheus text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut buf = Vec::with_capacity(8 * 1024);
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("encoding to a Vec cannot fail");
        String::from_utf8(buf).expect("the text encoder writes UTF-8")
    }
}

/// Decrements the in-flight gauge even when the handler future is dropped
/// (client gone, shutdown), so the gauge never drifts upwards.
struct InFlight(IntGauge);

impl InFlight {
    fn start(gauge: &IntGauge) -> Self {
        gauge.inc();
        Self(gauge.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Axum middleware: counts and times every request under its route *template*
/// (`/api/feedback/{id}`), never the raw path.
pub async fn track_http(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| UNMATCHED_ROUTE.to_owned());
    let method = normalise_method(req.method().as_str());
    let request_size = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    let _in_flight = InFlight::start(&metrics.http_requests_in_flight);
    let started = Instant::now();

    let response = next.run(req).await;
    metrics
        .http_request_size_bytes
        .with_label_values(&[&route])
        .observe(request_size);
    let response = count_response_bytes(
        response,
        metrics
            .http_response_size_bytes
            .with_label_values(&[&route]),
    );

    metrics
        .http_request_duration_seconds
        .with_label_values(&[method, &route])
        .observe(started.elapsed().as_secs_f64());
    metrics
        .http_requests_total
        .with_label_values(&[method, &route, response.status().as_str()])
        .inc();
    response
}

/// Observes the response body's size once it has been sent (or dropped):
/// compressed and streamed bodies have no length up front.
fn count_response_bytes(response: Response, histogram: prometheus::Histogram) -> Response {
    if let Some(n) = http_body::Body::size_hint(response.body()).exact() {
        histogram.observe(n as f64);
        return response;
    }
    response.map(|body| {
        axum::body::Body::new(CountingBody {
            inner: body,
            bytes: 0,
            histogram: Some(histogram),
        })
    })
}

struct CountingBody {
    inner: axum::body::Body,
    bytes: u64,
    histogram: Option<prometheus::Histogram>,
}

impl CountingBody {
    fn finish(&mut self) {
        if let Some(h) = self.histogram.take() {
            h.observe(self.bytes as f64);
        }
    }
}

impl Drop for CountingBody {
    fn drop(&mut self) {
        self.finish();
    }
}

impl http_body::Body for CountingBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let poll = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        match &poll {
            std::task::Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.bytes += data.len() as u64;
                }
            }
            std::task::Poll::Ready(None) => self.finish(),
            _ => {}
        }
        poll
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Known methods keep their name; anything else is `other`, so a client cannot
/// create unbounded label values with made-up methods.
fn normalise_method(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scoring_algorithm_is_an_event_word_and_a_rating_label() {
        let names: Vec<&str> = scoring::Variant::ALL.iter().map(|v| v.name()).collect();
        assert_eq!(contract::events::SCORING_VARIANTS, names.as_slice());
        assert_eq!(&RATING_VARIANTS[..names.len()], names.as_slice());
        assert_eq!(RATING_VARIANTS[names.len()..], ["none"]);
    }

    #[test]
    fn renders_build_info_with_the_crate_version_and_commit() {
        let text = Metrics::new().render();
        assert!(text.contains(&format!(
            "ats_scorer_build_info{{commit=\"{}\",version=\"{}\"}} 1",
            env!("ATS_BUILD_COMMIT"),
            env!("CARGO_PKG_VERSION")
        )));
    }

    #[test]
    fn classifies_database_errors() {
        assert_eq!(db_error_kind(&sqlx::Error::PoolTimedOut), "pool_timeout");
        assert_eq!(db_error_kind(&sqlx::Error::RowNotFound), "other");
    }

    #[test]
    fn two_instances_do_not_share_counters() {
        let a = Metrics::new();
        let b = Metrics::new();
        a.http_requests_total
            .with_label_values(&["GET", "/", "200"])
            .inc();
        assert_eq!(
            a.http_requests_total
                .with_label_values(&["GET", "/", "200"])
                .get(),
            1
        );
        assert_eq!(
            b.http_requests_total
                .with_label_values(&["GET", "/", "200"])
                .get(),
            0
        );
    }

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(normalise_method("BREW"), "other");
        assert_eq!(normalise_method("PROPFIND"), "other");
        assert_eq!(normalise_method("GET"), "GET");
    }
}
