//! A real Prometheus (Debian's `prometheus`, on 127.0.0.1 only, with a temporary
//! storage directory) scrapes the app while requests, events and ratings come
//! in; its HTTP API must then show the expected series and values, and the
//! shipped alert rules must load and evaluate.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use crate::helpers::spawn_app;

struct Prometheus {
    child: Child,
    url: String,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_prometheus(dir: &std::path::Path, target: &str) -> Prometheus {
    let rules = format!("{}/../ops/alerts.yml", env!("CARGO_MANIFEST_DIR"));
    let config = format!(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {rules}\nscrape_configs:\n  - job_name: ats-scorer\n    static_configs:\n      - targets: [\"{target}\"]\n"
    );
    let config_path = dir.join("prometheus.yml");
    std::fs::write(&config_path, config).unwrap();
    let port = free_port();
    let child = Command::new("prometheus")
        .arg(format!("--config.file={}", config_path.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--log.level=warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the prometheus binary is installed (scripts/setup.sh)");
    let prometheus = Prometheus {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = crate::helpers::browser_client();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client
            .get(format!("{}/-/ready", prometheus.url))
            .send()
            .await
            && r.status() == 200
        {
            break;
        }
        assert!(Instant::now() < deadline, "Prometheus did not become ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    prometheus
}

/// The value of an instant query's single result, if there is one.
async fn query(prometheus: &Prometheus, promql: &str) -> Option<f64> {
    let res: Value = crate::helpers::browser_client()
        .get(format!("{}/api/v1/query", prometheus.url))
        .query(&[("query", promql)])
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    assert_eq!(res["status"], "success", "{promql}: {res}");
    let result = res["data"]["result"].as_array()?;
    result.first()?["value"][1].as_str()?.parse().ok()
}

/// Polls `promql` until it equals `want` (scrapes are every second).
async fn wait_for(prometheus: &Prometheus, promql: &str, want: f64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = query(prometheus, promql).await;
        if got == Some(want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{promql}: got {got:?}, want {want}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn a_real_prometheus_scrapes_the_app_and_sees_requests_events_and_ratings() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let target = app.address.trim_start_matches("http://").to_string();
    let prometheus = start_prometheus(dir.path(), &target).await;

    // Traffic: a page, three events, a rating.
    assert_eq!(app.get("/").await.status(), 200);
    let event = |kind: &str| {
        json!({"id": uuid::Uuid::new_v4().to_string(), "kind": kind, "ts": server::events::now_ms(),
               "session": "5e551011-0000-4000-8000-000000000001", "page": "/"})
    };
    let res = app
        .client
        .post(format!("{}/api/events", app.address))
        .json(&json!({"events": [event("page_view"), event("page_view"), event("page_view")]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let res = app
        .client
        .post(format!("{}/api/feedback", app.address))
        .json(
            &json!({"id": uuid::Uuid::new_v4().to_string(), "kind": "rating",
                      "question": "accuracy", "rating": 5,
                      "context": {"page": "/", "algorithm": "v2.0", "score": 80}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    wait_for(&prometheus, r#"up{job="ats-scorer"}"#, 1.0).await;
    wait_for(
        &prometheus,
        r#"ats_scorer_ratings_count{job="ats-scorer",question="accuracy",variant="v2"}"#,
        1.0,
    )
    .await;
    wait_for(
        &prometheus,
        r#"ats_scorer_ratings_sum{job="ats-scorer",question="accuracy",variant="v2"}"#,
        5.0,
    )
    .await;
    wait_for(
        &prometheus,
        r#"sum(ats_scorer_events_ingested_total{job="ats-scorer",kind="page_view"})"#,
        3.0,
    )
    .await;
    wait_for(
        &prometheus,
        r#"sum(http_requests_total{job="ats-scorer",route="/api/events",status="202"})"#,
        1.0,
    )
    .await;
    wait_for(
        &prometheus,
        r#"ats_scorer_feedback_submissions_total{job="ats-scorer",kind="rating",category="none"}"#,
        1.0,
    )
    .await;
    wait_for(&prometheus, r#"ats_scorer_ready{job="ats-scorer"}"#, 1.0).await;
    let rss = query(
        &prometheus,
        r#"process_resident_memory_bytes{job="ats-scorer"}"#,
    )
    .await
    .expect("process metrics are scraped");
    assert!(rss > 1_000_000.0, "{rss}");
    // The latency histogram works in PromQL: traffic on a series Prometheus
    // already scrapes, so its increase is visible.
    app.get("/health").await;
    wait_for(
        &prometheus,
        r#"http_requests_total{job="ats-scorer",route="/health",status="200"}"#,
        1.0,
    )
    .await;
    for _ in 0..5 {
        app.get("/health").await;
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let p99 = query(
            &prometheus,
            r#"histogram_quantile(0.99, sum by (le) (increase(http_request_duration_seconds_bucket{job="ats-scorer",route="/health"}[1m])))"#,
        )
        .await;
        if p99.is_some_and(|v| v > 0.0 && v < 10.0) {
            break;
        }
        assert!(Instant::now() < deadline, "p99 from the histogram: {p99:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // The shipped alert rules load and evaluate without errors; none fires.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rules: Value = crate::helpers::browser_client()
            .get(format!("{}/api/v1/rules", prometheus.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let all: Vec<&Value> = rules["data"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["rules"].as_array().unwrap())
            .collect();
        assert_eq!(all.len(), 10);
        let evaluated = all
            .iter()
            .all(|r| r["lastEvaluation"] != "0001-01-01T00:00:00Z");
        if evaluated {
            for r in &all {
                assert_eq!(r["health"], "ok", "{r}");
                if r["name"] != "AtsScorerIngestionStalled" {
                    assert_eq!(r["state"], "inactive", "{r}");
                }
            }
            break;
        }
        assert!(Instant::now() < deadline, "rules were not evaluated");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
