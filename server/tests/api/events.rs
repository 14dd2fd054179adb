//! `POST /api/events` against the real server and a fresh SQLite file.

use serde_json::{Value, json};

use crate::helpers::{TestApp, fresh_config, spawn_app, spawn_app_with};

const VISITOR: &str = "00112233445566778899aabbccddeeff";
const SESSION: &str = "5e551011-0000-4000-8000-000000000001";

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn now_ms() -> i64 {
    server::events::now_ms()
}

fn event(kind: &str, props: Value) -> Value {
    json!({"id": id(), "kind": kind, "ts": now_ms(), "session": SESSION, "page": "/", "props": props})
}

fn scored(score: i64, variant: &str) -> Value {
    let mut e = event(
        "score_computed",
        json!({"variant": variant, "algorithm": format!("{variant}.0"), "score": score,
               "duration_ms": 3, "source": "paste"}),
    );
    e["variants"] = json!({"scoring-algorithm": variant});
    e
}

impl TestApp {
    async fn post_events_as(
        &self,
        visitor: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(format!("{}/api/events", self.address))
            .header("cookie", format!("ats_vid={visitor}"))
            .json(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.expect("request sent")
    }

    async fn post_events(&self, events: Vec<Value>) -> Value {
        let res = self
            .post_events_as(VISITOR, &json!({ "events": events }), &[])
            .await;
        assert_eq!(res.status(), 202);
        res.json().await.unwrap()
    }

    /// The home page's HTML as served with one extra request header.
    async fn home_with(&self, name: &str, value: &str) -> String {
        self.client
            .get(format!("{}/", self.address))
            .header(name, value)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_batch_is_stored_with_the_visitor_and_acknowledged() {
    let app = spawn_app().await;
    let answer = app
        .post_events(vec![
            event("page_view", json!({})),
            scored(71, "v2"),
            event("page_time", json!({"visible_ms": 4_000, "total_ms": 9_000})),
        ])
        .await;
    assert_eq!(
        answer,
        json!({"accepted": 3, "duplicates": 0, "rejected": []})
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM events WHERE visitor_id = '{VISITOR}' AND session_id = '{SESSION}'")).await, 3);
    let props: String =
        sqlx::query_scalar("SELECT props FROM events WHERE kind = 'score_computed'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let props: Value = serde_json::from_str(&props).unwrap();
    assert_eq!(props["score"], 71);
}

#[tokio::test]
async fn bad_events_are_rejected_one_by_one_with_their_index_and_reason() {
    let app = spawn_app().await;
    let mut free_text = event("resume_input", json!({"source": "paste", "size": "1k-3k"}));
    free_text["props"]["text"] = json!("Jane Doe, Senior Engineer");
    let answer = app
        .post_events(vec![
            event("page_view", json!({})),
            event("mouse_moved", json!({})),
            free_text,
            json!("not an object"),
            scored(140, "v2"),
            event("keywords_copied", json!({"count": 4})),
        ])
        .await;
    assert_eq!(answer["accepted"], 2);
    let rejected = answer["rejected"].as_array().unwrap();
    let indexes: Vec<u64> = rejected
        .iter()
        .map(|r| r["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indexes, vec![1, 2, 3, 4]);
    assert_eq!(
        rejected[0]["reason"],
        "kind \"mouse_moved\" is not an event kind"
    );
    assert_eq!(
        rejected[1]["reason"],
        "props.text is not a property of resume_input"
    );
    assert!(
        rejected[2]["reason"]
            .as_str()
            .unwrap()
            .starts_with("not an event")
    );
    assert_eq!(
        rejected[3]["reason"],
        "props.score must be a whole number from 0 to 100"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM events").await, 2);
    let stored: Vec<String> = sqlx::query_scalar("SELECT props FROM events")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(stored.iter().all(|p| !p.contains("Jane Doe")));
}

#[tokio::test]
async fn duplicates_are_dropped_within_and_across_batches() {
    let app = spawn_app().await;
    let e = event("page_view", json!({}));
    let answer = app.post_events(vec![e.clone(), e.clone()]).await;
    assert_eq!(
        (answer["accepted"].as_u64(), answer["duplicates"].as_u64()),
        (Some(1), Some(1))
    );
    let again = app
        .post_events(vec![e, event("page_view", json!({}))])
        .await;
    assert_eq!(
        (again["accepted"].as_u64(), again["duplicates"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM events").await, 2);
}

#[tokio::test]
async fn do_not_track_and_global_privacy_control_are_honoured() {
    let app = spawn_app().await;
    for header in [("dnt", "1"), ("sec-gpc", "1")] {
        let res = app
            .post_events_as(
                VISITOR,
                &json!({"events": [event("page_view", json!({}))]}),
                &[header],
            )
            .await;
        assert_eq!(res.status(), 202);
        assert_eq!(res.json::<Value>().await.unwrap()["ignored"], 1);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM events").await, 0);
    // The page tells the browser not to track, and shows control variants.
    let page = app.home_with("dnt", "1").await;
    assert!(page.contains(";t=0;"), "the bootstrap says tracking is off");
}

#[tokio::test]
async fn client_timestamps_are_kept_but_clamped_to_a_day_either_side() {
    let app = spawn_app().await;
    let day = 86_400_000;
    let mut past = event("page_view", json!({}));
    past["ts"] = json!(0);
    let mut future = event("page_view", json!({}));
    future["ts"] = json!(now_ms() + 30 * day);
    let mut recent = event("page_view", json!({}));
    let recent_ts = now_ms() - 3_600_000;
    recent["ts"] = json!(recent_ts);
    let before = now_ms();
    app.post_events(vec![past.clone(), future.clone(), recent.clone()])
        .await;
    let after = now_ms();
    let ts = |e: &Value| {
        let id = e["id"].as_str().unwrap().to_string();
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT ts FROM events WHERE id = ?")
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let p = ts(&past).await;
    assert!((before - day..=after - day).contains(&p), "{p}");
    let f = ts(&future).await;
    assert!((before + day..=after + day).contains(&f), "{f}");
    assert_eq!(ts(&recent).await, recent_ts);
}

#[tokio::test]
async fn envelope_problems_refuse_the_whole_request() {
    let app = spawn_app().await;
    let raw = |ct: &'static str, body: String| {
        app.client
            .post(format!("{}/api/events", app.address))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    // The shared decoder: a field of the wrong type is a 422 naming it.
    let wrong_type = raw("application/json", "{\"events\": 5}".into())
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 422);
    let err: Value = wrong_type.json().await.unwrap();
    assert!(err["error"]["fields"].get("events").is_some(), "{err}");
    assert_eq!(
        raw("application/json", "[".into()).await.unwrap().status(),
        400
    );
    assert_eq!(
        raw("application/xml", "<events/>".into())
            .await
            .unwrap()
            .status(),
        415
    );
    // sendBeacon's text/plain carries JSON too.
    let beacon = json!({"events": [event("page_view", json!({}))]}).to_string();
    assert_eq!(
        raw("text/plain;charset=UTF-8", beacon)
            .await
            .unwrap()
            .status(),
        202
    );

    let too_many: Vec<Value> = (0..101).map(|_| event("page_view", json!({}))).collect();
    let res = raw(
        "application/json",
        json!({ "events": too_many }).to_string(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["message"],
        "a request may carry at most 100 events"
    );
    let padded = format!("{{\"events\": [], \"pad\": \"{}\"}}", "x".repeat(65 * 1024));
    let res = raw("application/json", padded).await.unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(app.get("/health").await.status(), 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM events").await, 1);
}

#[tokio::test]
async fn a_flooding_visitor_gets_429_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    config.events_rate = server::ratelimit::Rate {
        burst: 2,
        per_minute: 1,
    };
    let app = spawn_app_with(dir, config).await;
    let body = || json!({"events": [event("page_view", json!({}))]});
    assert_eq!(
        app.post_events_as(VISITOR, &body(), &[]).await.status(),
        202
    );
    assert_eq!(
        app.post_events_as(VISITOR, &body(), &[]).await.status(),
        202
    );
    let res = app.post_events_as(VISITOR, &body(), &[]).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let other = app
        .post_events_as("ffffffffffffffffffffffffffffffff", &body(), &[])
        .await;
    assert_eq!(other.status(), 202);
}

#[tokio::test]
async fn the_metrics_move_with_the_events() {
    let app = spawn_app().await;
    let dup = event("page_view", json!({}));
    let mut exposure = event(
        "exposure",
        json!({"experiment": "scoring-algorithm", "variant": "v1"}),
    );
    exposure["variants"] = json!({"scoring-algorithm": "v1"});
    let mut rating = event(
        "rating_submitted",
        json!({"question": "accuracy", "rating": 5}),
    );
    rating["variants"] = json!({"scoring-algorithm": "v1"});
    app.post_events(vec![
        dup.clone(),
        dup,
        exposure,
        rating,
        scored(64, "v1"),
        event(
            "page_time",
            json!({"visible_ms": 12_000, "total_ms": 20_000}),
        ),
        event(
            "extract_done",
            json!({"file_type": "pdf", "pages": 2, "duration_ms": 40}),
        ),
        event(
            "extract_failed",
            json!({"file_type": "pdf", "reason": "encrypted", "duration_ms": 5}),
        ),
        event("bogus", json!({})),
    ])
    .await;
    let text = app.metrics_text().await;
    for line in [
        r#"ats_scorer_events_ingested_total{kind="page_view"} 1"#,
        r#"ats_scorer_events_duplicates_total{kind="page_view"} 1"#,
        r#"ats_scorer_events_rejected_total{reason="invalid_event"} 1"#,
        r#"ats_scorer_experiment_exposures_total{experiment="scoring-algorithm",variant="v1"} 1"#,
        r#"ats_scorer_experiment_exposures_total{experiment="scoring-algorithm",variant="v2"} 0"#,
        r#"ats_scorer_experiment_conversions_total{experiment="scoring-algorithm",goal="accurate-rating",variant="v1"} 1"#,
        r#"ats_scorer_experiment_conversions_total{experiment="scoring-algorithm",goal="copied-keywords",variant="v1"} 0"#,
        r#"ats_scorer_client_scoring_duration_seconds_count{variant="v1"} 1"#,
        r#"ats_scorer_resumes_scored_total{source="paste",variant="v1"} 1"#,
        r#"ats_scorer_page_visible_seconds_sum{page="/"} 12"#,
        r#"ats_scorer_files_extracted_total{outcome="ok",type="pdf"} 1"#,
        r#"ats_scorer_files_extracted_total{outcome="encrypted",type="pdf"} 1"#,
        r#"ats_scorer_file_extraction_duration_seconds_count{type="pdf"} 2"#,
    ] {
        assert!(text.contains(line), "missing {line}");
    }
}

#[tokio::test]
async fn the_rollups_equal_the_counts_from_the_raw_table() {
    let app = spawn_app().await;
    let day = 86_400_000;
    let mut batch = Vec::new();
    for i in 0..60i64 {
        let mut e = match i % 4 {
            0 => event("page_view", json!({})),
            1 => scored(50 + i % 40, if i % 8 == 1 { "v1" } else { "v2" }),
            2 => event("keywords_copied", json!({"count": 3})),
            _ => event("page_time", json!({"visible_ms": 1000, "total_ms": 2000})),
        };
        // Spread over today and the two previous days.
        e["ts"] = json!(now_ms() - (i % 3) * day);
        if i % 5 == 0 {
            e["variants"] = json!({"result-layout": "keywords-first", "scoring-algorithm": "v2"});
        }
        batch.push(e);
    }
    app.post_events(batch).await;
    // A second visitor on the same days.
    let res = app
        .post_events_as(
            "ffffffffffffffffffffffffffffffff",
            &json!({"events": [event("page_view", json!({}))]}),
            &[],
        )
        .await;
    assert_eq!(res.status(), 202);

    let raw: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day, kind, COUNT(*)
         FROM events GROUP BY day, kind ORDER BY day, kind",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let rolled: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT day, kind, events FROM event_rollups
         WHERE experiment = '' AND kind NOT IN ('_visitors', '_funnel') ORDER BY day, kind",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(rolled, raw);

    let raw_variant: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day, kind, COUNT(*) FROM events
         WHERE json_extract(variants, '$.\"result-layout\"') = 'keywords-first'
         GROUP BY day, kind ORDER BY day, kind",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let rolled_variant: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT day, kind, events FROM event_rollups
         WHERE experiment = 'result-layout' AND variant = 'keywords-first' ORDER BY day, kind",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!rolled_variant.is_empty());
    assert_eq!(rolled_variant, raw_variant);

    let raw_visitors: Vec<(String, i64)> = sqlx::query_as(
        "SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day, COUNT(DISTINCT visitor_id)
         FROM events GROUP BY day ORDER BY day",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let rolled_visitors: Vec<(String, i64)> = sqlx::query_as(
        "SELECT day, events FROM event_rollups WHERE kind = '_visitors' ORDER BY day",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(rolled_visitors, raw_visitors);

    // The funnel: distinct visitors per day that reached each step.
    let raw_steps: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day, kind, COUNT(DISTINCT visitor_id)
         FROM events WHERE kind IN ('score_computed', 'rating_submitted', 'feedback_submitted')
         GROUP BY day, kind ORDER BY day, kind",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let rolled_steps: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT day, variant, events FROM event_rollups WHERE kind = '_funnel' ORDER BY day, variant",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!rolled_steps.is_empty());
    assert_eq!(rolled_steps, raw_steps);
}

#[tokio::test]
async fn an_exposure_is_recorded_once_per_visitor_and_experiment() {
    let app = spawn_app().await;
    let exposure = || {
        event(
            "exposure",
            json!({"experiment": "result-layout", "variant": "summary-first"}),
        )
    };
    app.post_events(vec![exposure(), exposure()]).await;
    app.post_events(vec![exposure()]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM exposures").await, 1);
    // A variant the configuration does not have is refused.
    let bad = app
        .post_events(vec![event(
            "exposure",
            json!({"experiment": "result-layout", "variant": "blue"}),
        )])
        .await;
    assert_eq!(bad["rejected"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn concurrent_batches_are_all_committed() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for n in 0..24 {
        let client = app.client.clone();
        let url = format!("{}/api/events", app.address);
        tasks.push(tokio::spawn(async move {
            let events: Vec<Value> = (0..50).map(|_| event("page_view", json!({}))).collect();
            client
                .post(url)
                .header("cookie", format!("ats_vid={:032x}", n + 1))
                .json(&json!({ "events": events }))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        accepted += t.await.unwrap()["accepted"].as_u64().unwrap();
    }
    assert_eq!(accepted, 24 * 50);
    assert_eq!(app.count("SELECT COUNT(*) FROM events").await, 24 * 50);
}

#[tokio::test]
async fn retention_deletes_old_raw_events_and_keeps_the_rollups() {
    let app = spawn_app().await;
    app.post_events((0..10).map(|_| event("page_view", json!({}))).collect())
        .await;
    sqlx::query("UPDATE events SET received_at = received_at - 200 * 86400000 WHERE rowid <= 4")
        .execute(&app.db)
        .await
        .unwrap();
    let deleted = server::events::enforce_retention(&app.db, now_ms(), 180)
        .await
        .unwrap();
    assert_eq!(deleted, 4);
    assert_eq!(app.count("SELECT COUNT(*) FROM events").await, 6);
    assert_eq!(
        app.count("SELECT SUM(events) FROM event_rollups WHERE kind = 'page_view'")
            .await,
        10
    );
}

#[tokio::test]
async fn the_page_carries_the_visitor_and_the_experiments_for_the_browser() {
    let app = spawn_app().await;
    let page = app.home_with("cookie", &format!("ats_vid={VISITOR}")).await;
    assert!(
        page.contains(&format!(
            "data-boot=\"v={VISITOR};t=1;e=scoring-algorithm,1,1000000,v2:500000|v1:500000;"
        )),
        "{page}"
    );
}

#[tokio::test]
async fn an_invalid_experiments_file_stops_the_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    let file = dir.path().join("experiments.toml");
    std::fs::write(
        &file,
        "[[experiment]]\nkey = \"x\"\nstatus = \"running\"\nstart = \"2026-11-23\"\nvariants = [{ name = \"a\", weight = 0.7 }, { name = \"b\", weight = 0.7 }]\n",
    )
    .unwrap();
    config.experiments = file;
    let err = match server::startup::Application::build(config).await {
        Ok(_) => panic!("an invalid file must stop the start"),
        Err(e) => format!("{e:#}"),
    };
    assert!(
        err.contains("experiment \"x\": the variants' weights sum to 1.4, not 1"),
        "{err}"
    );
}
