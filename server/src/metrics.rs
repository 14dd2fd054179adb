//! The app's own Prometheus registry (not the crate's global default, so tests and
//! several app instances in one process never share counters) and the HTTP
//! middleware that feeds it.

use std::{sync::Arc, time::Instant};

use contract::feedback::{Body, Category, Feedback, Kind, Question};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
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
}

/// `reason` values of `ats_scorer_feedback_rejected_total` (the error `code`s).
pub const FEEDBACK_REJECTION_REASONS: [&str; 6] = [
    "validation",
    "malformed_json",
    "too_large",
    "unsupported_media_type",
    "rate_limited",
    "internal",
];

/// `variant` values of `ats_scorer_ratings`: the scoring algorithm the rated
/// score came from, or `none` when no score was on screen.
pub const RATING_VARIANTS: [&str; 3] = ["v1", "v2", "none"];

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
                "Always 1; labels name the running build.",
            ),
            &["version"],
        )
        .expect("valid metric");
        build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION")])
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

        for collector in [
            Box::new(http_requests_total.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(http_request_duration_seconds.clone()),
            Box::new(http_requests_in_flight.clone()),
            Box::new(build_info),
            Box::new(feedback_submissions_total.clone()),
            Box::new(ratings.clone()),
            Box::new(feedback_rejected_total.clone()),
        ] {
            registry
                .register(collector)
                .expect("metric names are unique");
        }

        Arc::new(Self {
            registry,
            http_requests_total,
            http_request_duration_seconds,
            http_requests_in_flight,
            feedback_submissions_total,
            ratings,
            feedback_rejected_total,
        })
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
    let _in_flight = InFlight::start(&metrics.http_requests_in_flight);
    let started = Instant::now();

    let response = next.run(req).await;

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
    fn renders_build_info_with_the_crate_version() {
        let text = Metrics::new().render();
        assert!(text.contains(&format!(
            "ats_scorer_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        )));
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
