//! Operating it: alert rules (real promtool), dashboards against the real
//! metric names, the metrics token and address, request ids in responses and
//! in log lines, the new operational metrics.

use std::{
    collections::BTreeSet,
    process::Command,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};

use crate::helpers::{Binary, fresh_config, spawn_app, spawn_app_with, start_binary_with};

fn ops(path: &str) -> String {
    format!("{}/../ops/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn promtool(args: &[&str]) -> String {
    let out = Command::new("promtool")
        .args(args)
        .output()
        .expect("promtool is installed (scripts/setup.sh)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "promtool {args:?} failed:\n{text}");
    text
}

#[test]
fn the_alert_rules_and_the_prometheus_config_pass_promtool() {
    let text = promtool(&["check", "rules", &ops("alerts.yml")]);
    assert!(text.contains("SUCCESS: 10 rules found"), "{text}");
    promtool(&["check", "config", &ops("prometheus.yml")]);
}

#[test]
fn every_alert_has_unit_tests_that_pass() {
    let text = promtool(&["test", "rules", &ops("alerts.test.yml")]);
    assert!(text.contains("SUCCESS"), "{text}");
    // Each alert appears in the tests (firing and not firing cases are in the file).
    let rules = std::fs::read_to_string(ops("alerts.yml")).unwrap();
    let tests = std::fs::read_to_string(ops("alerts.test.yml")).unwrap();
    for alert in rules
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- alert: "))
    {
        assert!(
            tests.matches(&format!("alertname: {alert}")).count() >= 2,
            "{alert} needs a firing and a not-firing case"
        );
    }
}

/// Metric names a PromQL expression uses (identifiers that are not functions,
/// keywords or label names).
fn metric_names(expr: &str) -> BTreeSet<String> {
    let mut s = expr.to_string();
    // Drop label matchers, ranges, strings and grouping label lists.
    for (open, close) in [('{', '}'), ('[', ']'), ('"', '"')] {
        while let Some(a) = s.find(open) {
            let Some(b) = s[a + 1..].find(close) else {
                break;
            };
            s.replace_range(a..a + 1 + b + 1, " ");
        }
    }
    for kw in [
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
    ] {
        let pattern = regex::Regex::new(&format!(r"\b{kw}\s*\([^)]*\)")).unwrap();
        s = pattern.replace_all(&s, " ").into_owned();
    }
    let ident = regex::Regex::new(r"[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?").unwrap();
    let keywords = [
        "and",
        "or",
        "unless",
        "bool",
        "offset",
        "inf",
        "nan",
        "group_left",
        "group_right",
    ];
    ident
        .captures_iter(&s)
        .filter(|c| c.get(1).is_none())
        .map(|c| c[0].trim().to_string())
        .filter(|n| !keywords.contains(&n.as_str()))
        .collect()
}

#[test]
fn extracts_metric_names_from_promql() {
    let names = metric_names(
        r#"sum by (route) (rate(http_requests_total{job="x",status=~"5.."}[5m])) / on (a) group_left sum(up)"#,
    );
    assert_eq!(
        names,
        ["http_requests_total", "up"].map(String::from).into()
    );
}

#[tokio::test]
async fn every_dashboard_query_names_only_metrics_the_app_exports() {
    let app = spawn_app().await;
    app.get("/").await;
    let text = app.metrics_text().await;
    let mut exported: BTreeSet<String> = BTreeSet::from(["up".to_string()]);
    for line in text.lines().filter_map(|l| l.strip_prefix("# TYPE ")) {
        let mut parts = line.split_whitespace();
        let (name, kind) = (parts.next().unwrap(), parts.next().unwrap());
        exported.insert(name.to_string());
        if kind == "histogram" {
            for suffix in ["_bucket", "_sum", "_count"] {
                exported.insert(format!("{name}{suffix}"));
            }
        }
    }
    let mut checked = 0;
    for board in ["application", "engagement", "experiments"] {
        let json: Value = serde_json::from_str(
            &std::fs::read_to_string(ops(&format!("dashboards/{board}.json"))).unwrap(),
        )
        .unwrap_or_else(|e| panic!("{board}.json is not valid JSON: {e}"));
        assert!(json["title"].as_str().is_some_and(|t| !t.is_empty()));
        let panels = json["panels"].as_array().expect("panels");
        assert!(!panels.is_empty(), "{board} has panels");
        for panel in panels {
            for target in panel["targets"].as_array().expect("targets") {
                let expr = target["expr"].as_str().expect("expr");
                for name in metric_names(expr) {
                    assert!(
                        exported.contains(&name),
                        "{board}: panel {:?} uses {name}, which the app does not export",
                        panel["title"]
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 30, "{checked} metric references checked");
}

#[tokio::test]
async fn the_request_id_is_echoed_when_sensible_and_made_otherwise() {
    let app = spawn_app().await;
    let with = |id: &'static str| {
        app.client
            .get(format!("{}/health", app.address))
            .header("x-request-id", id)
            .send()
    };
    let res = with("trace-1234.abc").await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-1234.abc");
    let res = with("<script>alert(1)</script>").await.unwrap();
    let made = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(made.len(), 32);
    assert!(made.bytes().all(|b| b.is_ascii_hexdigit()));
    let res = app.get("/api/nothing").await;
    assert_eq!(res.headers()["x-request-id"].len(), 32);
}

#[tokio::test]
async fn metrics_need_the_token_when_one_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    config.metrics_token = Some("s3cret-token".into());
    let app = spawn_app_with(dir, config).await;
    let get = |auth: Option<&'static str>| {
        let mut req = app.client.get(format!("{}/metrics", app.address));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        req.send()
    };
    assert_eq!(get(None).await.unwrap().status(), 401);
    assert_eq!(get(Some("Bearer wrong")).await.unwrap().status(), 401);
    let ok = get(Some("Bearer s3cret-token")).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("http_requests_total"));
}

#[tokio::test]
async fn metrics_can_move_to_their_own_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    config.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    let app = server::startup::Application::build(config).await.unwrap();
    let metrics_addr = app.metrics_addr().expect("a metrics address");
    let address = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = crate::helpers::browser_client();
    let on_app = client
        .get(format!("{address}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(on_app.status(), 404);
    let on_own = client
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(on_own.status(), 200);
    assert!(
        on_own
            .text()
            .await
            .unwrap()
            .contains("ats_scorer_build_info")
    );
    drop(dir);
}

#[tokio::test]
async fn the_operational_metrics_move() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/api/feedback", app.address))
        .json(&json!({"id": uuid::Uuid::new_v4().to_string(), "kind": "rating", "question": "accuracy",
                      "rating": 4, "context": {"page": "/"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    app.get("/ready").await;
    let text = app.metrics_text().await;
    for line in [
        r#"ats_scorer_db_query_duration_seconds_count{query="feedback_insert"} 1"#,
        r#"ats_scorer_db_errors_total{kind="busy"} 0"#,
        "ats_scorer_ready 1",
        r#"ats_scorer_experiment_variant_weight{experiment="scoring-algorithm",variant="v1"} 0.5"#,
        r#"ats_scorer_http_request_size_bytes_count{route="/api/feedback"} 1"#,
        r#"ats_scorer_http_response_size_bytes_count{route="/api/feedback"} 1"#,
    ] {
        assert!(text.contains(line), "missing {line}");
    }
    for name in [
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_start_time_seconds",
        r#"ats_scorer_db_connections{state="idle"}"#,
        r#"ats_scorer_db_query_duration_seconds_count{query="ready_probe"}"#,
    ] {
        assert!(text.contains(name), "missing {name}");
    }
}

#[tokio::test]
async fn every_log_line_of_a_request_carries_its_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let Binary {
        mut child,
        address,
        lines,
        ..
    } = start_binary_with(dir.path(), &[]);
    // An invalid submission logs "feedback rejected" inside the request.
    let res = crate::helpers::browser_client()
        .post(format!("http://{address}/api/feedback"))
        .header("x-request-id", "req-ops-42")
        .json(&json!({"id": "nope", "kind": "rating", "email": "ana@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().unwrap();
    child.wait().unwrap();

    let lines = lines.lock().unwrap().clone();
    let of_request: Vec<Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["span"]["request_id"] == "req-ops-42")
        .collect();
    let messages: Vec<&str> = of_request
        .iter()
        .filter_map(|v| v["message"].as_str())
        .collect();
    assert!(messages.contains(&"feedback rejected"), "{lines:#?}");
    assert!(messages.contains(&"request"), "{lines:#?}");
    for v in &of_request {
        assert!(v["timestamp"].is_string() && v["level"].is_string() && v["target"].is_string());
    }
    assert!(lines.iter().all(|l| !l.contains("ana@example.com")));
}

/// What the stub collector received: path, content type and body of each request.
type Received = Arc<Mutex<Vec<(String, String, Vec<u8>)>>>;

/// A minimal OTLP/HTTP collector: records each request's path, content type and body.
async fn fake_collector() -> (String, Received) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Received = Arc::default();
    let sink = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let sink = sink.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    // Read one request: headers, then Content-Length bytes.
                    let head_end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        let mut chunk = [0u8; 8192];
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    let header = |name: &str| {
                        head.lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
                            })
                            .unwrap_or_default()
                    };
                    let len: usize = header("content-length").parse().unwrap_or(0);
                    while buf.len() < head_end + len {
                        let mut chunk = [0u8; 8192];
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let path = head
                        .split_whitespace()
                        .nth(1)
                        .unwrap_or_default()
                        .to_string();
                    let body = buf[head_end..head_end + len].to_vec();
                    sink.lock()
                        .unwrap()
                        .push((path, header("content-type"), body));
                    buf.drain(..head_end + len);
                    let _ = stream
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                        .await;
                }
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn with_an_otlp_endpoint_the_spans_of_requests_and_queries_are_exported() {
    let (collector, seen) = fake_collector().await;
    let dir = tempfile::tempdir().unwrap();
    let Binary {
        mut child, address, ..
    } = start_binary_with(
        dir.path(),
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.as_str()),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ],
    );
    let client = crate::helpers::browser_client();
    let res = client
        .post(format!("http://{address}/api/feedback"))
        .header("x-request-id", "otel-req-7")
        .json(
            &json!({"id": uuid::Uuid::new_v4().to_string(), "kind": "rating",
                      "question": "helpfulness", "rating": 3, "context": {"page": "/"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let body = loop {
        let found = seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(path, ct, _)| path == "/v1/traces" && ct == "application/x-protobuf")
            .map(|(_, _, body)| body.clone())
            .find(|b| {
                let has = |needle: &[u8]| b.windows(needle.len()).any(|w| w == needle);
                has(b"otel-req-7") && has(b"feedback_insert")
            });
        if let Some(b) = found {
            break b;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no span export arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let has = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"ats-scorer"), "the service name is in the export");
    assert!(has(b"request") && has(b"db"), "request and database spans");
    child.kill().unwrap();
    child.wait().unwrap();
}
