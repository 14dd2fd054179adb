//! The product team's area over HTTP: access (the authorization walk, CSRF,
//! login limits, logout, bearer tokens), the inbox (filters, search, triage,
//! export) and the JSON of the overview and the experiment analysis.

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use server::admin::{self, stats};

use crate::helpers::{TestApp, spawn_app};

pub const PASSWORD: &str = "correct horse battery";

/// A logged-in browser session: its cookie and CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

fn set_cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            v.split(';')
                .next()
                .unwrap()
                .split_once('=')
                .unwrap()
                .1
                .to_string()
        })
}

fn hidden_csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..at + 64].to_string()
}

pub async fn create_admin(app: &TestApp, email: &str) {
    server::admin_cmd::create_user(&app.db, email, PASSWORD)
        .await
        .unwrap();
}

/// Opens the login page in a fresh browser (no session cookie yet) and submits
/// its form (with the page's CSRF token and cookie), optionally as if behind an
/// HTTPS proxy.
pub async fn submit_login(
    app: &TestApp,
    email: &str,
    password: &str,
    next: &str,
    https: bool,
) -> reqwest::Response {
    let proto = if https { "https" } else { "http" };
    let client = crate::helpers::browser_client();
    let page = client
        .get(format!("{}/admin/login", app.address))
        .header("x-forwarded-proto", proto)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let login_cookie = set_cookie_value(&page, "ats_admin_login").expect("a login cookie");
    let csrf = hidden_csrf(&page.text().await.unwrap());
    client
        .post(format!("{}/admin/login", app.address))
        .header("x-forwarded-proto", proto)
        .header(header::COOKIE, format!("ats_admin_login={login_cookie}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

/// Logs in through the real form, as a browser would.
pub async fn login(app: &TestApp, email: &str) -> Session {
    let res = submit_login(app, email, PASSWORD, "/admin", false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "login should succeed");
    let cookie = format!(
        "ats_admin={}",
        set_cookie_value(&res, "ats_admin").expect("a session cookie")
    );
    let home = session_get(app, &cookie, "/admin/feedback").await;
    assert_eq!(home.status(), 200);
    let csrf = hidden_csrf(&home.text().await.unwrap());
    Session { cookie, csrf }
}

async fn post_feedback(app: &TestApp, body: Value) {
    let res = app
        .client
        .post(format!("{}/api/feedback", app.address))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

fn message(id: &str, category: &str, text: &str) -> Value {
    json!({"id": id, "kind": "form", "category": category, "message": text,
           "context": {"page": "/", "variants": {"scoring-algorithm": "v1"}, "algorithm": "1.0", "score": 61}})
}

fn uuid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// `GET path` with a session cookie.
pub async fn session_get(app: &TestApp, cookie: &str, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

/// `POST path` as the admin's browser sends a form: the session cookie and
/// the session's CSRF token first, then `fields`.
pub async fn session_form(
    app: &TestApp,
    s: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![("csrf", s.csrf.as_str())];
    form.extend_from_slice(fields);
    app.client
        .post(format!("{}{path}", app.address))
        .header(header::COOKIE, &s.cookie)
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// The inbox's JSON list for a query string, with a session.
async fn inbox_json(app: &TestApp, cookie: &str, query: &str) -> Value {
    session_get(app, cookie, &format!("/api/admin/feedback?{query}"))
        .await
        .json()
        .await
        .unwrap()
}

/// `GET path` with the API token.
async fn bearer_get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn bearer_json(app: &TestApp, token: &str, path: &str) -> Value {
    bearer_get(app, token, path).await.json().await.unwrap()
}

/// A path of the table with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{id}", &uuid(1))
        .replace("{key}", "scoring-algorithm")
        .replace("{*rest}", "anything/else")
}

#[tokio::test]
async fn every_admin_route_refuses_a_request_without_a_session_or_token() {
    let app = spawn_app().await;
    let routes = admin::protected_routes();
    assert!(routes.len() >= 15, "the table lists the admin routes");
    for route in &routes {
        let url = format!("{}{}", app.address, concrete(route.path));
        for bearer in [None, Some("ats_not-a-real-token")] {
            let mut req = app.client.request(route.method.clone(), &url);
            if let Some(t) = bearer {
                req = req.bearer_auth(t);
            }
            let res = req.send().await.unwrap();
            let what = format!("{} {} (bearer {:?})", route.method, route.path, bearer);
            if route.path.starts_with("/api/") {
                assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{what}");
                assert!(
                    res.headers().contains_key(header::WWW_AUTHENTICATE),
                    "{what}"
                );
                let body: Value = res.json().await.unwrap();
                assert_eq!(body["error"]["code"], "unauthorized", "{what}");
            } else {
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "{what}");
                let to = res.headers()[header::LOCATION].to_str().unwrap();
                assert!(to.starts_with("/admin/login?next="), "{what} → {to}");
            }
        }
    }
    // A session cookie that is not one of ours is no session either.
    let res = session_get(&app, "ats_admin=0123456789abcdef", "/admin").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn api_tokens_open_the_api_until_revoked_but_not_the_pages() {
    let app = spawn_app().await;
    let token = server::admin_cmd::create_token(&app.db, "ci")
        .await
        .unwrap();
    let api = bearer_get(&app, &token, "/api/admin/feedback").await;
    assert_eq!(api.status(), 200);
    let page = bearer_get(&app, &token, "/admin/feedback").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "pages need a login");
    let used: Option<String> =
        sqlx::query_scalar("SELECT last_used_at FROM admin_tokens WHERE name = 'ci'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(used.is_some(), "the token's last use is recorded");

    server::admin_cmd::revoke(&app.db, None, Some("ci"))
        .await
        .unwrap();
    let after = bearer_get(&app, &token, "/api/admin/feedback").await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn state_changing_requests_need_the_sessions_csrf_token() {
    let app = spawn_app().await;
    create_admin(&app, "ana@example.com").await;
    let s = login(&app, "ana@example.com").await;
    let id = uuid(7);
    post_feedback(&app, message(&id, "bug", "The import fails")).await;
    let url = format!("{}/admin/feedback/{id}", app.address);

    // Form without the token, with a wrong one, and from another site.
    for (form, origin) in [
        (vec![("status", "done")], None),
        (
            vec![("status", "done"), ("csrf", "0".repeat(64).as_str())],
            None,
        ),
        (
            vec![("status", "done"), ("csrf", s.csrf.as_str())],
            Some("https://evil.example"),
        ),
    ] {
        let mut req = app
            .client
            .post(&url)
            .header(header::COOKIE, &s.cookie)
            .form(&form);
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let body: Value = res.json().await.unwrap();
        assert!(
            body["error"]["fields"]
                .get(if origin.is_some() { "origin" } else { "csrf" })
                .is_some(),
            "{body}"
        );
    }
    let status: String = sqlx::query_scalar("SELECT status FROM feedback WHERE id = ?")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "new", "a refused request changes nothing");

    // The JSON API with the session: header required.
    let patch = |csrf: Option<&str>| {
        let mut req = app
            .client
            .request(
                Method::PATCH,
                format!("{}/api/admin/feedback/{id}", app.address),
            )
            .header(header::COOKIE, &s.cookie)
            .json(&json!({"status": "in_progress"}));
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.send()
    };
    assert_eq!(patch(None).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(patch(Some(&s.csrf)).await.unwrap().status(), StatusCode::OK);

    // With the token the form works.
    let res = app
        .client
        .post(&url)
        .header(header::COOKIE, &s.cookie)
        .form(&[
            ("status", "done"),
            ("note", "fixed in 0.3"),
            ("csrf", s.csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, note): (String, String) =
        sqlx::query_as("SELECT status, note FROM feedback WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), note.as_str()), ("done", "fixed in 0.3"));

    // The login form itself: a token that does not match the cookie is refused.
    let res = app
        .client
        .post(format!("{}/admin/login", app.address))
        .header(header::COOKIE, "ats_admin_login=aaaa")
        .form(&[
            ("csrf", "bbbb"),
            ("email", "ana@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie_value(&res, "ats_admin").is_none());
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_secure_behind_https_and_logout_ends_it() {
    // HTTPS is known from a trusted proxy's X-Forwarded-Proto only.
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::helpers::fresh_config(&dir);
    config.net.trusted_proxies = "127.0.0.1/32".parse().unwrap();
    let app = crate::helpers::spawn_app_with(dir, config).await;
    create_admin(&app, "ana@example.com").await;
    let res = submit_login(
        &app,
        "ANA@example.com",
        PASSWORD,
        "https://evil.example/",
        true,
    )
    .await;
    assert_eq!(
        res.headers()[header::LOCATION],
        "/admin",
        "only admin paths are followed"
    );
    let set = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("ats_admin="))
        .unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(set.contains(attr), "{set} lacks {attr}");
    }

    let s = login(&app, "ana@example.com").await;
    let res = app
        .client
        .post(format!("{}/admin/logout", app.address))
        .header(header::COOKIE, &s.cookie)
        .form(&[("csrf", s.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let again = session_get(&app, &s.cookie, "/admin").await;
    assert_eq!(
        again.status(),
        StatusCode::SEE_OTHER,
        "the old cookie no longer works"
    );
}

#[tokio::test]
async fn a_new_password_ends_the_sessions_and_the_old_password_stops_working() {
    let app = spawn_app().await;
    create_admin(&app, "ana@example.com").await;
    let s = login(&app, "ana@example.com").await;
    server::admin_cmd::set_password(&app.db, "ana@example.com", "a different passphrase")
        .await
        .unwrap();
    let res = session_get(&app, &s.cookie, "/admin").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the old session ended");
    let check =
        |pw: &'static str| server::admin::auth::verify_login(&app.db, "ana@example.com", pw);
    assert_eq!(
        check(PASSWORD).await.unwrap(),
        None,
        "the old password no longer matches"
    );
    assert!(check("a different passphrase").await.unwrap().is_some());
    assert!(
        server::admin_cmd::set_password(&app.db, "ana@example.com", "short")
            .await
            .is_err()
    );
    assert!(
        server::admin_cmd::set_password(&app.db, "bo@example.com", "long enough passphrase")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn login_attempts_are_limited_per_account() {
    let app = spawn_app().await;
    create_admin(&app, "ana@example.com").await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let res = submit_login(&app, "ana@example.com", "wrong password here", "", false).await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key(header::RETRY_AFTER));
        }
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429]);
    let metrics = app.metrics_text().await;
    for line in [
        r#"ats_scorer_admin_logins_total{outcome="wrong_credentials"} 5"#,
        r#"ats_scorer_admin_logins_total{outcome="rate_limited"} 2"#,
        r#"ats_scorer_admin_logins_total{outcome="success"} 0"#,
    ] {
        assert!(metrics.contains(line), "{line} missing");
    }
}

#[tokio::test]
async fn the_inbox_filters_searches_pages_and_triages_in_bulk() {
    let app = spawn_app().await;
    create_admin(&app, "ana@example.com").await;
    let s = login(&app, "ana@example.com").await;
    post_feedback(
        &app,
        message(
            &uuid(1),
            "bug",
            "The PDF import fails on my two-column resume. Terrible.",
        ),
    )
    .await;
    post_feedback(
        &app,
        message(
            &uuid(2),
            "praise",
            "Great tool, the keyword list really helped. Thank you!",
        ),
    )
    .await;
    post_feedback(
        &app,
        message(&uuid(3), "bug", "PDF import is broken for scanned files"),
    )
    .await;
    post_feedback(
        &app,
        json!({"id": uuid(4), "kind": "rating", "question": "accuracy", "rating": 2,
        "context": {"page": "/", "variants": {"scoring-algorithm": "v2"}}}),
    )
    .await;

    let get = |q: &str| {
        app.client
            .get(format!("{}/api/admin/feedback?{q}", app.address))
            .header(header::COOKIE, &s.cookie)
            .send()
    };
    let ids = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap()[24..].to_string())
            .collect()
    };
    let all: Value = inbox_json(&app, &s.cookie, "").await;
    assert_eq!(all["total"], 4);
    let bugs: Value = inbox_json(&app, &s.cookie, "category=bug").await;
    assert_eq!(ids(&bugs), ["000000000003", "000000000001"]);
    let found: Value = inbox_json(&app, &s.cookie, "q=import+fails").await;
    assert_eq!(ids(&found), ["000000000001"], "all words must match");
    let stemmed: Value = inbox_json(&app, &s.cookie, "q=helps").await;
    assert_eq!(
        ids(&stemmed),
        ["000000000002"],
        "the porter tokenizer matches word forms"
    );
    let positive: Value = inbox_json(&app, &s.cookie, "sentiment=positive").await;
    assert_eq!(ids(&positive), ["000000000002"]);
    let negative: Value = inbox_json(&app, &s.cookie, "sentiment=negative").await;
    assert!(
        ids(&negative).contains(&"000000000001".to_string()),
        "{negative}"
    );
    let v2: Value = inbox_json(&app, &s.cookie, "variant=scoring-algorithm:v2").await;
    assert_eq!(ids(&v2), ["000000000004"]);
    let rated: Value = inbox_json(&app, &s.cookie, "kind=rating&rating=2&question=accuracy").await;
    assert_eq!(rated["total"], 1);

    // Bad filters: 422 naming each field.
    let bad = get("rating=6&kind=email&from=yesterday&to=2026-02-31&variant=nope:x")
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    for field in ["rating", "kind", "from", "to", "variant"] {
        assert!(
            body["error"]["fields"].get(field).is_some(),
            "{field}: {body}"
        );
    }

    // Bulk triage by form, then the status filter.
    let res = session_form(
        &app,
        &s,
        "/admin/feedback/bulk",
        &[
            ("id", &uuid(1)),
            ("id", &uuid(3)),
            ("status", "in_progress"),
            ("return_to", "/admin/feedback?category=bug"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[header::LOCATION],
        "/admin/feedback?category=bug&updated=2"
    );
    let progress: Value = inbox_json(&app, &s.cookie, "status=in_progress").await;
    assert_eq!(ids(&progress), ["000000000003", "000000000001"]);
    let bad_bulk = app
        .client
        .post(format!("{}/api/admin/feedback/bulk", app.address))
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .json(&json!({"ids": ["not-an-id"], "status": "archived"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_bulk.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad_bulk.json().await.unwrap();
    assert!(
        body["error"]["fields"].get("status").is_some()
            && body["error"]["fields"].get("ids[0]").is_some(),
        "{body}"
    );

    // Pages of 50, newest first, with a cursor.
    // (straight into the table: 60 posts would meet the per-address rate limit)
    for n in 10..70 {
        sqlx::query("INSERT INTO feedback (id, kind, category, message, visitor_id, page, ua_class, created_at)
                     VALUES (?, 'form', 'other', ?, 'v', '/', 'other', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?))")
            .bind(uuid(n))
            .bind(format!("message number {n}"))
            .bind(format!("-{} seconds", n % 7))
            .execute(&app.db)
            .await
            .unwrap();
    }
    let first: Value = inbox_json(&app, &s.cookie, "category=other").await;
    assert_eq!(first["total"], 60);
    assert_eq!(first["items"].as_array().unwrap().len(), 50);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = get(&format!("category=other&before={}", urlencode(cursor)))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"].as_array().unwrap().len(), 10);
    assert!(second["next_cursor"].is_null());
    let mut seen: Vec<String> = ids(&first);
    seen.extend(ids(&second));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 60, "no row twice, none missing");

    // The page renders the same selection with themes.
    let html = session_get(&app, &s.cookie, "/admin/feedback?category=bug")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("2 message(s)"), "{html}");
    assert!(html.contains("pdf import"), "the shared phrase is a theme");
}

fn urlencode(s: &str) -> String {
    server::admin::auth::encode_component(s)
}

#[tokio::test]
async fn export_streams_the_filtered_rows_as_csv_and_json() {
    let app = spawn_app().await;
    let token = server::admin_cmd::create_token(&app.db, "export")
        .await
        .unwrap();
    post_feedback(
        &app,
        message(
            &uuid(1),
            "bug",
            "=HYPERLINK(\"http://x\"), \"quoted\"\nsecond line",
        ),
    )
    .await;
    post_feedback(&app, message(&uuid(2), "praise", "Lovely")).await;
    let csv = bearer_get(
        &app,
        &token,
        "/api/admin/feedback/export?format=csv&category=bug",
    )
    .await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("feedback.csv")
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("id,created_at,kind,status"));
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\"), \"\"quoted\"\"\nsecond line\""),
        "{text}"
    );
    assert!(!text.contains("Lovely"), "only the filter's rows");

    let json: Value = bearer_json(&app, &token, "/api/admin/feedback/export?format=json").await;
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["message"], "Lovely");
    assert_eq!(rows[0]["sentiment_label"], "positive");

    let bad = bearer_get(&app, &token, "/api/admin/feedback/export?format=xlsx").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    assert!(body["error"]["fields"].get("format").is_some());
}

/// Events for a visitor, as the page sends them.
async fn send_events(app: &TestApp, visitor: &str, events: Value) {
    let res = app
        .client
        .post(format!("{}/api/events", app.address))
        .header(header::COOKIE, format!("ats_vid={visitor}"))
        .json(&json!({ "events": events }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let body: Value = res.json().await.unwrap();
    assert!(body["rejected"].as_array().unwrap().is_empty(), "{body}");
}

fn event(n: u32, kind: &str, ts: i64, variant: &str, props: Value) -> Value {
    json!({"id": format!("10000000-0000-4000-8000-{n:012}"), "kind": kind, "session": "20000000-0000-4000-8000-000000000001", "page": "/",
           "ts": ts, "variants": {"scoring-algorithm": variant}, "props": props})
}

#[tokio::test]
async fn the_experiment_results_count_exposed_visitors_conversions_and_agree_with_the_statistics() {
    let app = spawn_app().await;
    let token = server::admin_cmd::create_token(&app.db, "t").await.unwrap();
    let now = server::events::now_ms();
    // 6 visitors in v2 (control): 3 copy keywords; 4 in v1: 1 copies, 1 copies *before* exposure (not counted).
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    for (i, (variant, converts, before)) in [
        ("v2", true, false),
        ("v2", true, false),
        ("v2", true, false),
        ("v2", false, false),
        ("v2", false, false),
        ("v2", false, false),
        ("v1", true, false),
        ("v1", false, true),
        ("v1", false, false),
        ("v1", false, false),
    ]
    .into_iter()
    .enumerate()
    {
        let visitor = format!("{:032x}", 0xabc000 + i);
        let t0 = now - 60_000;
        let mut evs = vec![
            event(next(), "page_view", t0, variant, json!({})),
            event(
                next(),
                "exposure",
                t0 + 10,
                variant,
                json!({"experiment": "scoring-algorithm", "variant": variant}),
            ),
        ];
        if converts {
            evs.push(event(
                next(),
                "keywords_copied",
                t0 + 1000,
                variant,
                json!({"count": 3}),
            ));
        }
        if before {
            evs.push(event(
                next(),
                "keywords_copied",
                t0 - 1000,
                variant,
                json!({"count": 3}),
            ));
        }
        evs.push(event(
            next(),
            "page_time",
            t0 + 2000,
            variant,
            json!({"visible_ms": 30_000 + 1000 * i as i64, "total_ms": 60_000}),
        ));
        send_events(&app, &visitor, json!(evs)).await;
    }
    let r: Value = bearer_json(
        &app,
        &token,
        "/api/admin/experiments/scoring-algorithm/results?mde=20",
    )
    .await;
    assert_eq!(r["variants"][0]["exposed"], 6);
    assert_eq!(r["variants"][1]["exposed"], 4);
    let goal = r["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "copied-keywords")
        .unwrap();
    assert_eq!(goal["variants"][0]["conversions"], 3);
    assert_eq!(
        goal["variants"][1]["conversions"], 1,
        "a conversion before exposure does not count"
    );
    let expected = stats::compare(
        &stats::Summary::proportion(6, 3),
        &stats::Summary::proportion(4, 1),
        0.05,
    );
    let got = &goal["variants"][1]["vs_control"];
    assert!((got["lift"].as_f64().unwrap() - expected.lift).abs() < 1e-12);
    assert!((got["p_value"].as_f64().unwrap() - expected.p_value).abs() < 1e-12);
    assert!((got["chance_to_win"].as_f64().unwrap() - expected.chance_to_win).abs() < 1e-12);
    assert_eq!(r["enough_data"], false);
    assert!(
        (r["srm"]["p_value"].as_f64().unwrap() - stats::srm_p_value(&[6, 4], &[0.5, 0.5])).abs()
            < 1e-12
    );
    assert_eq!(r["sample_size"]["mde"], 0.2);
    let last = goal["cumulative"]["rates"]["v2"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_f64()
        .unwrap();
    assert!((last - 0.5).abs() < 1e-12);

    let unknown = bearer_get(&app, &token, "/api/admin/experiments/nope/results").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let bad_mde = bearer_get(
        &app,
        &token,
        "/api/admin/experiments/scoring-algorithm/results?mde=0",
    )
    .await;
    assert_eq!(bad_mde.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The overview: 10 visitor-days, 4 of them copied keywords (not a funnel step),
    // median visible time of the 10 visitors (30..39 s → lower middle 34 s).
    let o: Value = bearer_json(&app, &token, "/api/admin/overview").await;
    assert_eq!(o["funnel"][0]["visitor_days"], 10);
    assert_eq!(o["funnel"][1]["visitor_days"], 0);
    assert_eq!(o["page_time"][0]["page"], "/");
    assert_eq!(o["page_time"][0]["median_seconds"], 34.0);
    let today: Vec<&Value> = o["daily"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["visitors"] != 0)
        .collect();
    assert_eq!(today.len(), 1);
    assert_eq!(today[0]["visitors"], 10);
    let bad = bearer_get(
        &app,
        &token,
        "/api/admin/overview?from=2020-01-01&to=2026-01-01",
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_rating_with_a_comment_is_one_rating_under_its_variant_on_the_experiment_page_and_in_the_inbox()
 {
    let app = spawn_app().await;
    create_admin(&app, "ana@example.com").await;
    let s = login(&app, "ana@example.com").await;
    let token = server::admin_cmd::create_token(&app.db, "t").await.unwrap();
    let rate = |revision: i64, stars: i64, comment: Option<&str>| {
        let mut body = json!({"id": uuid(7), "kind": "rating", "question": "accuracy",
            "rating": stars, "revision": revision,
            "context": {"page": "/", "algorithm": "v1.0", "score": 64,
                        "variants": {"scoring-algorithm": "v1"}}});
        if let Some(c) = comment {
            body["comment"] = json!(c);
        }
        app.client
            .post(format!("{}/api/feedback", app.address))
            .header(header::COOKIE, "ats_vid=000000000000000000000000000003eb")
            .json(&body)
            .send()
    };
    assert_eq!(
        rate(1, 4, None).await.unwrap().status(),
        StatusCode::CREATED
    );
    let commented = rate(2, 4, Some("Closer than the old scorer"))
        .await
        .unwrap();
    assert_eq!(commented.status(), StatusCode::OK);

    // The analysis: one rating of 4 under v1, none under v2.
    let r: Value = bearer_json(
        &app,
        &token,
        "/api/admin/experiments/scoring-algorithm/results",
    )
    .await;
    let accuracy = r["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["question"] == "accuracy")
        .unwrap_or_else(|| panic!("no accuracy ratings: {r}"));
    let by_name = |name: &str| {
        accuracy["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("v1")["ratings"], 1);
    assert_eq!(by_name("v1")["mean"], 4.0);
    assert_eq!(by_name("v2")["ratings"], 0);
    let page = session_get(&app, &s.cookie, "/admin/experiments/scoring-algorithm")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("No ratings under this experiment yet"),
        "{page}"
    );
    let row = page
        .split("<tr>")
        .find(|row| row.contains("<th scope=\"row\">v1</th>") && row.contains("4.00"))
        .unwrap_or_else(|| panic!("no v1 row with a mean of 4.00: {page}"));
    assert!(row.contains("<td>1</td>"), "{row}");

    // The inbox's variant filter finds it, once, with its comment.
    let v1: Value = inbox_json(&app, &s.cookie, "variant=scoring-algorithm:v1&kind=rating").await;
    assert_eq!(v1["total"], 1, "{v1}");
    assert_eq!(v1["items"][0]["id"], uuid(7));
    assert_eq!(v1["items"][0]["message"], "Closer than the old scorer");
    assert_eq!(v1["items"][0]["rating"], 4);
    let v2: Value = inbox_json(&app, &s.cookie, "variant=scoring-algorithm:v2").await;
    assert_eq!(v2["total"], 0, "{v2}");
    let found: Value = inbox_json(&app, &s.cookie, "q=closer").await;
    assert_eq!(found["total"], 1, "the comment is searchable: {found}");
}
