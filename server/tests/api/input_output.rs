//! Issue 14, item 8: the input and output rules over HTTP, with the browser-like
//! client. Strict JSON on every JSON endpoint, the shared text rule, a body cap
//! that fits the documented limits, truncated bodies, redirect targets,
//! closed-vocabulary pages, configured variants only, escaping in every HTML
//! context, security headers on every answer, and a panicking handler.

use std::time::Duration;

use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{
    admin::{create_admin, login, session_form, session_get, submit_login},
    helpers::{TestApp, browser_client, spawn_app},
};

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn form(message: &str) -> Value {
    json!({"id": id(), "kind": "form", "category": "bug", "message": message,
           "context": {"page": "/"}})
}

async fn post(app: &TestApp, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn error_of(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    (status, res.json::<Value>().await.unwrap()["error"].clone())
}

/// A feedback row, a token for the admin API, and the row's id.
async fn stored_row(app: &TestApp) -> (String, String) {
    let token = server::admin_cmd::create_token(&app.db, "io")
        .await
        .unwrap();
    let body = form("a message to triage");
    let res = post(app, "/api/feedback", body.to_string()).await;
    assert_eq!(res.status(), 201);
    (token, body["id"].as_str().unwrap().to_string())
}

async fn patch_note(app: &TestApp, token: &str, row: &str, body: &str) -> reqwest::Response {
    app.client
        .patch(format!("{}/api/admin/feedback/{row}", app.address))
        .bearer_auth(token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn trailing_data_after_the_json_object_is_refused_by_every_json_endpoint() {
    let app = spawn_app().await;
    let (token, row) = stored_row(&app).await;
    let event = json!({"id": id(), "kind": "page_view", "ts": 1, "session": id(), "page": "/"});
    let feedback = form("hello").to_string();
    let events = json!({ "events": [event] }).to_string();
    for trailer in ["xyz", "{}", ",", " 5", "\"x\""] {
        let (status, err) =
            error_of(post(&app, "/api/feedback", format!("{feedback}{trailer}")).await).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("malformed_json")),
            "feedback + {trailer:?}"
        );
        let (status, err) =
            error_of(post(&app, "/api/events", format!("{events}{trailer}")).await).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("malformed_json")),
            "events + {trailer:?}"
        );
        let (status, err) = error_of(
            patch_note(&app, &token, &row, &format!("{{\"note\": \"x\"}}{trailer}")).await,
        )
        .await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("malformed_json")),
            "triage + {trailer:?}"
        );
    }
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "nothing but the first row was stored");
    // Whitespace after the object is fine.
    assert_eq!(
        post(&app, "/api/feedback", format!("{feedback} \n"))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn a_key_named_twice_is_refused_naming_its_path_at_any_depth() {
    let app = spawn_app().await;
    let (token, row) = stored_row(&app).await;
    let session = id();
    let cases: [(&str, String, &str); 5] = [
        (
            "/api/feedback",
            format!(
                r#"{{"id":"{}","kind":"rating","question":"accuracy","rating":1,"rating":5,"context":{{"page":"/"}}}}"#,
                id()
            ),
            "rating",
        ),
        (
            "/api/feedback",
            format!(
                r#"{{"id":"{}","kind":"rating","question":"accuracy","rating":4,"context":{{"page":"/","variants":{{"scoring-algorithm":"v1","scoring-algorithm":"v2"}}}}}}"#,
                id()
            ),
            "context.variants.scoring-algorithm",
        ),
        // The same key, once escaped.
        (
            "/api/feedback",
            format!(
                r#"{{"id":"{}","kind":"form","category":"bug","message":"a","m\u0065ssage":"b","context":{{"page":"/"}}}}"#,
                id()
            ),
            "message",
        ),
        (
            "/api/events",
            format!(
                r#"{{"events":[{{"id":"{}","kind":"page_view","kind":"page_time","ts":1,"session":"{session}","page":"/"}}]}}"#,
                id()
            ),
            "events[0].kind",
        ),
        (
            "/api/events",
            r#"{"events":[],"events":[]}"#.to_string(),
            "events",
        ),
    ];
    for (path, body, field) in cases {
        let (status, err) = error_of(post(&app, path, body.clone()).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            err["fields"].get(field).is_some(),
            "{field} named in {err} for {body}"
        );
    }
    let (status, err) = error_of(
        patch_note(
            &app,
            &token,
            &row,
            r#"{"note":"a","status":"done","note":"b"}"#,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"].get("note").is_some(), "{err}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(events, 0);
}

#[tokio::test]
async fn five_thousand_emoji_are_a_valid_message_however_the_json_writes_them() {
    let app = spawn_app().await;
    let emoji = "😀".repeat(5_000);
    let raw = form(&emoji);
    // As JSON.stringify writes it (4 bytes each) and as an ASCII-only encoder does (12 bytes each).
    let escaped = raw
        .to_string()
        .replace(&emoji, &"\\ud83d\\ude00".repeat(5_000));
    assert!(escaped.len() > 60_000);
    for body in [
        raw.to_string(),
        escaped.replace(raw["id"].as_str().unwrap(), &id()),
    ] {
        let res = post(&app, "/api/feedback", body).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }
    let lengths: Vec<i64> = sqlx::query_scalar("SELECT length(message) FROM feedback")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(lengths, [5_000, 5_000]);
    // One more character is a validation error naming the field, not "too large".
    let (status, err) =
        error_of(post(&app, "/api/feedback", form(&"😀".repeat(5_001)).to_string()).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["fields"]["message"].as_str().unwrap().contains("5,000"),
        "{err}"
    );
}

/// Sends `head` and the first `sent` bytes of `body` over a raw connection,
/// closes the sending side, and returns what the server answered.
async fn cut_short(app: &TestApp, path: &str, head: &str, body: &[u8]) -> String {
    let addr = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{head}\r\n").as_bytes())
        .await
        .unwrap();
    stream.write_all(body).await.unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers")
        .unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_body_cut_short_is_an_incomplete_body_not_too_large() {
    let app = spawn_app().await;
    let body = form("cut").to_string();
    let part = &body.as_bytes()[..body.len() / 2];
    for path in ["/api/feedback", "/api/events"] {
        // Declared longer than sent.
        let answer = cut_short(
            &app,
            path,
            &format!("Content-Length: {}\r\n", body.len()),
            part,
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
        assert!(answer.contains("\"incomplete_body\""), "{path}: {answer}");
        // Chunked, without the last chunk.
        let chunk = format!("{:x}\r\n", part.len()).into_bytes();
        let answer = cut_short(
            &app,
            path,
            "Transfer-Encoding: chunked\r\n",
            &[&chunk[..], part, b"\r\n"].concat(),
        )
        .await;
        assert!(
            answer.starts_with("HTTP/1.1 400"),
            "{path} chunked: {answer}"
        );
        assert!(
            answer.contains("\"incomplete_body\""),
            "{path} chunked: {answer}"
        );
    }
    let metrics = app.metrics_text().await;
    assert!(
        metrics.contains(r#"ats_scorer_feedback_rejected_total{reason="incomplete_body"} 2"#),
        "{metrics}"
    );
    assert!(metrics.contains(r#"ats_scorer_events_rejected_total{reason="incomplete_body"} 2"#));
    assert!(metrics.contains(r#"ats_scorer_feedback_rejected_total{reason="too_large"} 0"#));
}

#[tokio::test]
async fn control_and_invisible_characters_follow_the_shared_text_rule() {
    let app = spawn_app().await;
    for blank in [
        "\u{200B}\u{200B}\u{200B}",
        "\u{FEFF}\u{200D} \u{2060}",
        "\u{0}\u{1b}",
    ] {
        let (status, err) =
            error_of(post(&app, "/api/feedback", form(blank).to_string()).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{blank:?}");
        assert_eq!(err["fields"]["message"], "must not be empty");
    }
    for bidi in ["pay \u{202E}0001", "x \u{2067}y"] {
        let (status, err) =
            error_of(post(&app, "/api/feedback", form(bidi).to_string()).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            err["fields"]["message"]
                .as_str()
                .unwrap()
                .contains("text-direction"),
            "{err}"
        );
    }
    let res = post(
        &app,
        "/api/feedback",
        form("  line one\r\nNUL\u{0} and \u{1b}[31mred\u{1b}[0m\u{85}  ").to_string(),
    )
    .await;
    assert_eq!(res.status(), 201);
    let stored: String = sqlx::query_scalar("SELECT message FROM feedback")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, "line one\nNUL and [31mred[0m");

    // The admin's note follows the same rule.
    let (token, row) = stored_row(&app).await;
    let (status, err) = error_of(
        patch_note(
            &app,
            &token,
            &row,
            &json!({"note": "see \u{202D}x"}).to_string(),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["fields"]["note"].as_str().unwrap().contains("U+202D"));
    let res = patch_note(
        &app,
        &token,
        &row,
        &json!({"note": "\u{200B}ok\u{7}\r\nnext "}).to_string(),
    )
    .await;
    assert_eq!(res.status(), 200);
    let note: String = sqlx::query_scalar("SELECT note FROM feedback WHERE id = ?")
        .bind(&row)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(note, "ok\nnext");
}

#[tokio::test]
async fn control_characters_in_redirect_targets_fall_back_to_a_safe_page() {
    let app = spawn_app().await;
    let bad_targets = [
        "/admin\r\nSet-Cookie: evil=1",
        "/admin/feedback\n",
        "/admin\u{0}x",
        "/admin\u{85}",
        "/admin/feedback?x=1\rLocation: //evil.example",
    ];
    for (i, next) in bad_targets.iter().copied().enumerate() {
        // One account each: login attempts are limited per account.
        let email = format!("ana{i}@example.com");
        create_admin(&app, &email).await;
        // The login page shows a safe `next`.
        let res = app
            .client
            .get(format!("{}/admin/login", app.address))
            .query(&[("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{next:?}");
        let html = res.text().await.unwrap();
        assert!(html.contains(r#"name="next" value="/admin""#), "{next:?}");
        // Logging in with it lands on /admin.
        let res = submit_login(&app, &email, crate::admin::PASSWORD, next, false).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(res.headers()[header::LOCATION], "/admin", "{next:?}");
        assert!(
            res.headers()
                .get_all(header::SET_COOKIE)
                .iter()
                .all(|c| !c.to_str().unwrap().contains("evil"))
        );
    }

    // The inbox's bulk form: its return_to.
    create_admin(&app, "ana@example.com").await;
    let s = login(&app, "ana@example.com").await;
    let (_, row) = stored_row(&app).await;
    for return_to in bad_targets
        .iter()
        .map(|t| t.replace("/admin", "/admin/feedback?"))
    {
        let res = session_form(
            &app,
            &s,
            "/admin/feedback/bulk",
            &[
                ("id", row.as_str()),
                ("status", "done"),
                ("return_to", return_to.as_str()),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{return_to:?}");
        assert_eq!(
            res.headers()[header::LOCATION],
            "/admin/feedback?&updated=1",
            "{return_to:?}"
        );
    }
    // The triage form redirects to the row it saved, whatever the form carried.
    let res = session_form(
        &app,
        &s,
        &format!("/admin/feedback/{row}"),
        &[
            ("status", "new"),
            ("note", "a\r\nb"),
            ("return_to", "/admin\r\nX: y"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[header::LOCATION],
        format!("/admin/feedback/{row}?saved=1")
    );
    // Logout redirects to the login page, nowhere else.
    let res = app
        .client
        .post(format!("{}/admin/logout", app.address))
        .header(header::COOKIE, &s.cookie)
        .form(&[("csrf", s.csrf.as_str()), ("next", "/admin\r\nX: y")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/admin/login");
}

#[tokio::test]
async fn event_pages_outside_the_apps_routes_are_stored_as_other() {
    let app = spawn_app().await;
    let session = id();
    let pages = [
        "/",
        "/contact",
        "/contact?utm=x",
        "/Jane Doe",
        "/ana@example.com",
        "/?email=ana@example.com",
        "/admin",
        "nope",
    ];
    let events: Vec<Value> = pages
        .iter()
        .map(|p| json!({"id": id(), "kind": "page_view", "ts": 1, "session": session, "page": p}))
        .collect();
    let res = post(&app, "/api/events", json!({ "events": events }).to_string()).await;
    assert_eq!(res.status(), 202);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["accepted"], pages.len(), "{body}");
    let mut stored: Vec<String> = sqlx::query_scalar("SELECT page FROM events")
        .fetch_all(&app.db)
        .await
        .unwrap();
    stored.sort();
    assert_eq!(
        stored,
        [
            "/", "/", "/contact", "/contact", "other", "other", "other", "other"
        ]
    );
}

#[tokio::test]
async fn variants_of_unconfigured_experiments_are_dropped_and_the_rating_kept() {
    let app = spawn_app().await;
    let body = json!({"id": id(), "kind": "rating", "question": "accuracy", "rating": 4,
        "context": {"page": "/", "variants": {"scoring-algorithm": "v2", "made-up": "a", "result-layout": "no-such-variant"}}});
    let res = post(&app, "/api/feedback", body.to_string()).await;
    assert_eq!(res.status(), 201);
    let (rating, variants): (i64, String) = sqlx::query_as("SELECT rating, variants FROM feedback")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rating, 4);
    let variants: Value = serde_json::from_str(&variants).unwrap();
    assert_eq!(variants, json!({"scoring-algorithm": "v2"}));
}

#[tokio::test]
async fn stored_text_comes_back_as_text_in_every_html_context_of_the_admin_pages() {
    let app = spawn_app().await;
    create_admin(&app, "ana@example.com").await;
    let s = login(&app, "ana@example.com").await;
    let payloads = [
        r#"</textarea><meta http-equiv="refresh" content="0;url=https://evil.example/">"#,
        r#"<script>alert(1)</script>"#,
        r#""><img src=x onerror=alert(1)>"#,
        r#"</title><base href="https://evil.example/">"#,
    ];
    let message = payloads.join(" ");
    let res = post(&app, "/api/feedback", form(&message).to_string()).await;
    assert_eq!(res.status(), 201);
    let row: String = sqlx::query_scalar("SELECT id FROM feedback")
        .fetch_one(&app.db)
        .await
        .unwrap();
    // The note, through the detail page's own form.
    let res = session_form(
        &app,
        &s,
        &format!("/admin/feedback/{row}"),
        &[("status", "in_progress"), ("note", message.as_str())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    for path in [
        format!("/admin/feedback/{row}"),
        "/admin/feedback".to_string(),
        format!("/admin/feedback?q={}", "textarea"),
    ] {
        let html = session_get(&app, &s.cookie, &path)
            .await
            .text()
            .await
            .unwrap();
        for raw in [
            "<meta http-equiv",
            "<script>alert",
            "<img src=x",
            "<base href",
        ] {
            assert!(!html.contains(raw), "{path}: {raw} came back as markup");
        }
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: the text is shown escaped"
        );
    }
    // The textarea holds the note as text: exactly one closing tag, after the escaped note.
    let detail = session_get(&app, &s.cookie, &format!("/admin/feedback/{row}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(detail.matches("</textarea>").count(), 1);
    let start = detail.find("<textarea").unwrap();
    let inner = &detail
        [detail[start..].find('>').unwrap() + start + 1..detail.find("</textarea>").unwrap()];
    assert_eq!(html_escape::decode_html_entities(inner), message);
}

fn assert_security_headers(path: &str, res: &reqwest::Response) {
    let h = res.headers();
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{path}");
    assert!(h.contains_key(header::REFERRER_POLICY), "{path}");
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    std::fs::write(app.site_root.join("pkg/app.js"), "export {}").unwrap();
    for path in [
        "/",
        "/contact",
        "/no-such-page",
        "/health",
        "/ready",
        "/metrics",
        "/pkg/app.js",
        "/pkg/missing.js",
        "/api/nothing",
        "/admin/login",
        "/admin/feedback",
        "/api/admin/feedback",
    ] {
        let res = app.get(path).await;
        assert_security_headers(path, &res);
    }
    let res = post(&app, "/api/feedback", "{").await;
    assert_eq!(res.status(), 400);
    assert_security_headers("POST /api/feedback", &res);
}

#[tokio::test]
async fn the_pages_csp_allows_the_wasm_and_exactly_the_inline_script_it_renders() {
    let app = spawn_app().await;
    for path in ["/", "/contact", "/no-such-page"] {
        let res = app.get(path).await;
        let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        let html = res.text().await.unwrap();
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(csp.contains("connect-src 'self'"), "{path}: {csp}");
        let scripts = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("unsafe-inline"), "{path}: {scripts}");
        // Every inline script carries the nonce the policy names.
        let nonce = scripts
            .split("'nonce-")
            .nth(1)
            .map(|n| n.split('\'').next().unwrap().to_string());
        let nonce = nonce.unwrap_or_else(|| panic!("{path}: no nonce in {scripts}"));
        let inline = html.matches("<script").count();
        assert!(inline >= 1, "{path}");
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            inline,
            "{path}: {html}"
        );
    }
    // A fresh nonce per page.
    let a = app.get("/").await.headers()[header::CONTENT_SECURITY_POLICY].clone();
    let b = app.get("/").await.headers()[header::CONTENT_SECURITY_POLICY].clone();
    assert_ne!(a, b);
    // The admin area keeps its stricter policy.
    let admin = app.get("/admin/login").await;
    assert!(
        admin.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("script-src 'none'")
    );
}

#[tokio::test]
async fn a_panicking_handler_answers_a_json_500_that_is_counted() {
    use axum::routing::get;
    let metrics = server::metrics::Metrics::new();
    let router = server::startup::serve_layers(
        axum::Router::new()
            .route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("deliberate test panic")
                    }
                    ""
                }),
            )
            .route("/fine", get(|| async { "ok" }))
            .route(
                "/boom-str",
                get(|| async {
                    if true {
                        std::panic::panic_any(42_u8)
                    }
                    ""
                }),
            ),
        metrics.clone(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = browser_client();
    for path in ["/boom", "/boom-str", "/boom"] {
        let res = client
            .get(format!("http://{addr}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 500);
        assert_security_headers(path, &res);
        assert!(res.headers().contains_key("x-request-id"));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "internal");
        assert!(
            !body.to_string().contains("deliberate"),
            "the panic's message stays in the log"
        );
    }
    // The server keeps serving.
    let res = client
        .get(format!("http://{addr}/fine"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = metrics.render();
    assert!(text.contains("ats_scorer_panics_total 3"), "{text}");
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/boom",status="500"} 2"#),
        "{text}"
    );
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/boom-str",status="500"} 1"#),
        "{text}"
    );
}

#[tokio::test]
async fn the_panic_counter_exists_at_zero() {
    let app = spawn_app().await;
    assert!(
        app.metrics_text()
            .await
            .contains("\nats_scorer_panics_total 0\n")
    );
}
