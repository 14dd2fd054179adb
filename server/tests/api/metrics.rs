use std::{io::Write, process::Stdio};

use crate::helpers::spawn_app;

#[tokio::test]
async fn counts_requests_under_the_route_template_not_the_raw_path() {
    let app = spawn_app().await;
    app.get("/health").await;
    app.get("/health").await;
    app.get("/no/such/page/12345").await;

    let text = app.metrics_text().await;
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/health",status="200"} 2"#),
        "{text}"
    );
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="unmatched",status="404"} 1"#),
        "{text}"
    );
    assert!(
        !text.contains("12345"),
        "raw paths must never become labels"
    );
    assert!(
        text.contains(r#"http_request_duration_seconds_count{method="GET",route="/health"} 2"#)
    );
}

#[tokio::test]
async fn exposes_in_flight_requests_and_build_info() {
    let app = spawn_app().await;
    let text = app.metrics_text().await;
    // The scrape itself is in flight while the registry is rendered.
    assert!(text.contains("http_requests_in_flight 1"), "{text}");
    assert!(text.contains(&format!(
        r#"ats_scorer_build_info{{commit="{}",version="{}"}} 1"#,
        env!("ATS_BUILD_COMMIT"),
        env!("CARGO_PKG_VERSION")
    )));
}

#[tokio::test]
async fn metrics_are_served_in_the_prometheus_text_format() {
    let app = spawn_app().await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/plain; version=0.0.4",
        "the content type Prometheus negotiates for the text format"
    );
}

/// The real `promtool` (Debian package `prometheus`, installed by scripts/setup.sh)
/// must accept the exposition, lint rules included.
#[tokio::test]
async fn promtool_accepts_the_metrics_output() {
    let app = spawn_app().await;
    app.get("/").await;
    app.get("/health").await;
    app.get("/missing").await;
    let text = app.metrics_text().await;

    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool is installed (scripts/setup.sh installs Debian's prometheus)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool rejected /metrics:\n{}{}\n---\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
