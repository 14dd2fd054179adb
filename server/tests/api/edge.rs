//! The network edge as hostile and real clients meet it (issue 14, items 6–7):
//! cookie-less and cookie-rotating floods, a stranger guessing the admin's
//! password, reverse proxies trusted and not, slow and idle connections, more
//! connections than the cap.
//!
//! "Another address" is real where it can be: the loopback network is a /8, so
//! a client bound to 127.0.0.2 is a different TCP peer from one on 127.0.0.1.

use std::{net::IpAddr, time::Duration};

use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::{
    admin::{PASSWORD, create_admin},
    helpers::{TestApp, fresh_config, spawn_app_with},
};

/// A browser-like client: compressed answers, cookies kept, no redirects
/// followed; bound to `from` when given.
fn browser(from: Option<&str>) -> reqwest::Client {
    client(from, true)
}

/// The same without a cookie jar: a client that never sends the visitor
/// cookie back (a script, or a browser blocking cookies).
fn cookieless(from: Option<&str>) -> reqwest::Client {
    client(from, false)
}

fn client(from: Option<&str>, cookies: bool) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .gzip(true)
        .brotli(true)
        .cookie_store(cookies)
        .redirect(reqwest::redirect::Policy::none());
    if let Some(ip) = from {
        builder = builder.local_address(ip.parse::<IpAddr>().unwrap());
    }
    builder.build().unwrap()
}

/// An app with these visitor rates (an address gets 5× for events, 3× for
/// feedback) and trusted proxies.
async fn app_with(events: (u32, u32), feedback: (u32, u32), trusted: &str) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    config.events_rate = server::ratelimit::Rate {
        burst: events.0,
        per_minute: events.1,
    };
    config.feedback_rate = server::ratelimit::Rate {
        burst: feedback.0,
        per_minute: feedback.1,
    };
    config.net.trusted_proxies = trusted.parse().unwrap();
    // The floods here open many connections from one address at once; the
    // per-address connection share is tested on its own below.
    config.net.max_connections_per_address = config.net.max_connections;
    spawn_app_with(dir, config).await
}

fn events_body() -> Value {
    json!({"events": [{
        "id": uuid::Uuid::new_v4().to_string(), "kind": "page_view",
        "ts": server::events::now_ms(), "session": "5e551011-0000-4000-8000-000000000001",
        "page": "/", "props": {}
    }]})
}

fn feedback_body() -> Value {
    json!({
        "id": uuid::Uuid::new_v4().to_string(), "kind": "rating", "question": "accuracy",
        "rating": 4, "context": {"page": "/"}
    })
}

#[derive(Clone, Copy, Debug)]
enum Endpoint {
    Events,
    Feedback,
}

impl Endpoint {
    fn path(self) -> &'static str {
        match self {
            Endpoint::Events => "/api/events",
            Endpoint::Feedback => "/api/feedback",
        }
    }
    fn body(self) -> Value {
        match self {
            Endpoint::Events => events_body(),
            Endpoint::Feedback => feedback_body(),
        }
    }
    fn label(self) -> &'static str {
        match self {
            Endpoint::Events => "events",
            Endpoint::Feedback => "feedback",
        }
    }
    async fn stored(self, app: &TestApp) -> i64 {
        let sql = match self {
            Endpoint::Events => "SELECT COUNT(*) FROM events",
            Endpoint::Feedback => "SELECT COUNT(*) FROM feedback",
        };
        sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
    }
}

/// How a flooding client presents itself on each request.
#[derive(Clone, Copy, Debug)]
enum Disguise {
    /// No cookie at all: the server makes a new visitor every time.
    NoCookie,
    /// A new made-up visitor cookie every time.
    RotatingCookie,
}

/// Sends `n` requests; returns the statuses, checking every 429's Retry-After.
async fn flood(
    client: &reqwest::Client,
    app: &TestApp,
    endpoint: Endpoint,
    disguise: Disguise,
    headers: &[(&str, &str)],
    n: usize,
) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..n {
        let mut req = client
            .post(format!("{}{}", app.address, endpoint.path()))
            .json(&endpoint.body());
        if let Disguise::RotatingCookie = disguise {
            req = req.header(
                header::COOKIE,
                format!(
                    "ats_vid={:032x}",
                    (u128::from(rand_u64()) << 16) | i as u128
                ),
            );
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            let secs: u64 = res.headers()[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(secs >= 1, "Retry-After {secs}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "rate_limited");
        }
        statuses.push(status);
    }
    statuses
}

fn rand_u64() -> u64 {
    uuid::Uuid::new_v4().as_u64_pair().0
}

fn ok(statuses: &[u16]) -> usize {
    statuses.iter().filter(|s| **s < 300).count()
}

fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{series} missing"))
}

async fn one(
    client: &reqwest::Client,
    app: &TestApp,
    endpoint: Endpoint,
    headers: &[(&str, &str)],
) -> u16 {
    let mut req = client
        .post(format!("{}{}", app.address, endpoint.path()))
        .json(&endpoint.body());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn cookieless_and_rotating_floods_are_refused_per_address_while_other_addresses_are_served() {
    // Per visitor: 2 events batches, 1 feedback; per address 5× and 3× that.
    for endpoint in [Endpoint::Events, Endpoint::Feedback] {
        for disguise in [Disguise::NoCookie, Disguise::RotatingCookie] {
            let app = app_with((2, 1), (1, 1), "").await;
            let allowed = match endpoint {
                Endpoint::Events => 10,
                Endpoint::Feedback => 3,
            };
            let flooder = cookieless(Some("127.0.0.1"));
            let statuses = flood(&flooder, &app, endpoint, disguise, &[], 2 * allowed).await;
            assert_eq!(
                ok(&statuses),
                allowed,
                "{endpoint:?} {disguise:?}: {statuses:?}"
            );
            assert!(
                statuses[allowed..].iter().all(|s| *s == 429),
                "{statuses:?}"
            );
            assert_eq!(endpoint.stored(&app).await, allowed as i64);
            // Another address, a real other TCP peer, is still served.
            let neighbour = browser(Some("127.0.0.2"));
            assert!(
                one(&neighbour, &app, endpoint, &[]).await < 300,
                "{endpoint:?} {disguise:?}"
            );
            let text = app.metrics_text().await;
            let refused = metric(
                &text,
                &format!(
                    "ats_scorer_rate_limited_total{{endpoint=\"{}\",key=\"address\"}}",
                    endpoint.label()
                ),
            );
            assert_eq!(refused, allowed as f64);
        }
    }
}

#[tokio::test]
async fn floods_through_a_trusted_proxy_are_refused_per_client_while_other_clients_are_served() {
    for endpoint in [Endpoint::Events, Endpoint::Feedback] {
        for (flooder, other) in [
            (
                ("x-forwarded-for", "198.51.100.7"),
                ("x-forwarded-for", "198.51.100.8"),
            ),
            (
                ("forwarded", "for=198.51.100.7;proto=https"),
                ("forwarded", "for=\"[2001:db8:cafe::17]:4711\""),
            ),
            // The client wrote a left part itself; the proxy appended the truth.
            (
                ("x-forwarded-for", "10.9.9.9, 198.51.100.7"),
                ("x-forwarded-for", "10.9.9.9, 198.51.100.8"),
            ),
        ] {
            let app = app_with((2, 1), (1, 1), "127.0.0.1/32").await;
            let allowed = match endpoint {
                Endpoint::Events => 10,
                Endpoint::Feedback => 3,
            };
            let proxy = cookieless(None);
            let statuses = flood(&proxy, &app, endpoint, Disguise::NoCookie, &[flooder], 20).await;
            assert_eq!(ok(&statuses), allowed, "{flooder:?}: {statuses:?}");
            // Another visitor behind the same proxy is not punished.
            assert!(
                one(&proxy, &app, endpoint, &[other]).await < 300,
                "{endpoint:?} {other:?}"
            );
        }
    }
}

#[tokio::test]
async fn without_trusted_proxies_a_spoofed_forwarded_for_does_not_escape_the_limit() {
    // No list, and a list that does not contain the peer: both ignore the headers.
    for trusted in ["", "10.0.0.0/8, fd00::/8"] {
        let app = app_with((2, 1), (1, 1), trusted).await;
        let flooder = cookieless(None);
        let mut statuses = Vec::new();
        for i in 0..6 {
            let xff = format!("203.0.113.{i}");
            let fwd = format!("for=203.0.114.{i}");
            statuses.push(
                one(
                    &flooder,
                    &app,
                    Endpoint::Feedback,
                    &[("x-forwarded-for", &xff), ("forwarded", &fwd)],
                )
                .await,
            );
        }
        assert_eq!(
            statuses,
            [201, 201, 201, 429, 429, 429],
            "trusted {trusted:?}"
        );
    }
}

#[tokio::test]
async fn one_visitor_is_limited_by_its_own_key_and_counted_as_such() {
    let app = app_with((2, 1), (1, 1), "").await;
    let visitor = browser(None);
    let statuses = flood(&visitor, &app, Endpoint::Events, Disguise::NoCookie, &[], 4).await;
    assert_eq!(statuses, [202, 202, 429, 429]);
    let text = app.metrics_text().await;
    assert_eq!(
        metric(
            &text,
            "ats_scorer_rate_limited_total{endpoint=\"events\",key=\"visitor\"}"
        ),
        2.0
    );
    assert_eq!(
        metric(
            &text,
            "ats_scorer_rate_limited_total{endpoint=\"events\",key=\"address\"}"
        ),
        0.0
    );
}

/// `submit_login` through a client bound to `from`, with extra headers.
async fn login_from(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut page = client.get(format!("{}/admin/login", app.address));
    for (k, v) in headers {
        page = page.header(*k, *v);
    }
    let page = page.send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = html[at..at + 64].to_string();
    // The client's cookie jar carries the login cookie back.
    let mut post = client.post(format!("{}/admin/login", app.address)).form(&[
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", password),
        ("next", "/admin"),
    ]);
    for (k, v) in headers {
        post = post.header(*k, *v);
    }
    post.send().await.unwrap()
}

#[tokio::test]
async fn the_admin_logs_in_after_a_strangers_wrong_guesses_from_another_address() {
    for guesses in [5, 50] {
        let app = app_with((60, 120), (20, 6), "").await;
        create_admin(&app, "ana@example.com").await;
        let stranger = browser(Some("127.0.0.2"));
        let mut statuses = Vec::new();
        for _ in 0..guesses {
            let res = login_from(&app, &stranger, "ANA@example.com", "wrong guess 123", &[]).await;
            statuses.push(res.status().as_u16());
        }
        assert_eq!(statuses[..5], [401; 5], "{statuses:?}");
        if guesses > 5 {
            assert!(
                statuses[5..].iter().all(|s| *s == 429),
                "the stranger is limited: {statuses:?}"
            );
        }
        let admin = browser(Some("127.0.0.1"));
        let res = login_from(&app, &admin, "ana@example.com", PASSWORD, &[]).await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "after {guesses} wrong guesses"
        );
        assert_eq!(res.headers()[header::LOCATION], "/admin");
        if guesses > 5 {
            let text = app.metrics_text().await;
            assert!(
                metric(
                    &text,
                    "ats_scorer_rate_limited_total{endpoint=\"login\",key=\"visitor\"}"
                ) >= 1.0
            );
        }
    }
}

#[tokio::test]
async fn through_a_trusted_proxy_the_admin_logs_in_while_a_stranger_is_locked_out() {
    let app = app_with((60, 120), (20, 6), "127.0.0.1/32").await;
    create_admin(&app, "ana@example.com").await;
    let stranger = [("x-forwarded-for", "203.0.113.66")];
    let proxy = browser(None);
    let mut statuses = Vec::new();
    for _ in 0..25 {
        statuses.push(
            login_from(
                &app,
                &proxy,
                "ana@example.com",
                "wrong guess 123",
                &stranger,
            )
            .await
            .status()
            .as_u16(),
        );
    }
    assert_eq!(statuses[..5], [401; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    // Other emails from the stranger's address: its address limit (20) is spent.
    let other = login_from(&app, &proxy, "bo@example.com", "wrong guess 123", &stranger).await;
    assert_eq!(other.status(), StatusCode::TOO_MANY_REQUESTS);
    let text = app.metrics_text().await;
    assert!(
        metric(
            &text,
            "ats_scorer_rate_limited_total{endpoint=\"login\",key=\"address\"}"
        ) >= 1.0
    );

    let admin = browser(None);
    let res = login_from(
        &app,
        &admin,
        "ana@example.com",
        PASSWORD,
        &[("forwarded", "for=198.51.100.20;proto=https")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn admin_writes_are_limited_per_admin() {
    let app = app_with((60, 120), (20, 6), "").await;
    let token = server::admin_cmd::create_token(&app.db, "robot")
        .await
        .unwrap();
    let client = browser(None);
    // 200 at once: the burst is 120, then 2 a second, so some are refused
    // however slowly this machine handles them (unless it takes 40 s).
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let (client, url, token) = (
                client.clone(),
                format!("{}/api/admin/feedback/bulk", app.address),
                token.clone(),
            );
            tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({"ids": [], "status": "done"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!((1..=80).contains(&refused), "{statuses:?}");
    assert!(
        statuses.iter().filter(|s| **s != 429).count() >= 120,
        "the burst is served: {statuses:?}"
    );
    // Reads are not limited.
    let res = client
        .get(format!("{}/api/admin/feedback", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = app.metrics_text().await;
    assert_eq!(
        metric(
            &text,
            "ats_scorer_rate_limited_total{endpoint=\"admin_write\",key=\"visitor\"}"
        ),
        refused as f64
    );
}

fn set_cookie(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

#[tokio::test]
async fn x_forwarded_proto_makes_cookies_secure_only_from_a_trusted_proxy() {
    for (trusted, headers, secure) in [
        ("", vec![("x-forwarded-proto", "https")], false),
        ("10.0.0.0/8", vec![("x-forwarded-proto", "https")], false),
        ("", vec![("forwarded", "for=1.2.3.4;proto=https")], false),
        ("127.0.0.1/32", vec![("x-forwarded-proto", "https")], true),
        (
            "127.0.0.0/8",
            vec![("forwarded", "for=198.51.100.1;proto=https")],
            true,
        ),
        ("127.0.0.1/32", vec![("x-forwarded-proto", "http")], false),
        ("127.0.0.1/32", vec![], false),
    ] {
        let app = app_with((60, 120), (20, 6), trusted).await;
        let client = cookieless(None);
        let with = |mut req: reqwest::RequestBuilder| {
            for (k, v) in &headers {
                req = req.header(*k, *v);
            }
            req
        };
        let visitor = with(client.post(format!("{}/api/events", app.address)))
            .json(&events_body())
            .send()
            .await
            .unwrap();
        assert_eq!(visitor.status(), 202);
        let login = with(client.get(format!("{}/admin/login", app.address)))
            .send()
            .await
            .unwrap();
        for (cookie, res) in [("ats_vid", &visitor), ("ats_admin_login", &login)] {
            let value = set_cookie(res, cookie);
            assert_eq!(
                value.contains("; Secure"),
                secure,
                "{cookie} with trusted {trusted:?} and {headers:?}: {value}"
            );
        }
    }
}

// ---- Timeouts and the connection cap: raw sockets, as slow clients are. ----

async fn app_with_net(f: impl FnOnce(&mut server::net::NetConfig)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    f(&mut config.net);
    spawn_app_with(dir, config).await
}

fn host_port(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_string()
}

/// Reads until the server closes the connection (a generous bound so a broken
/// server fails the test instead of hanging it). Returns what arrived.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the server never closed the connection");
    String::from_utf8_lossy(&got).to_string()
}

#[tokio::test]
async fn a_partial_header_is_closed_after_the_header_timeout() {
    let app = app_with_net(|n| {
        n.header_timeout = Duration::from_secs(1);
        n.idle_timeout = Duration::from_secs(120);
    })
    .await;
    // Form 1: a head that stops halfway.
    let mut stalled = TcpStream::connect(host_port(&app)).await.unwrap();
    stalled
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let got = read_until_closed(&mut stalled).await;
    assert!(!got.contains("200 OK"), "{got}");

    // Form 2: a head that keeps trickling, a header line every 200 ms, so the
    // connection is never idle: the header timeout still ends it.
    let mut trickle = TcpStream::connect(host_port(&app)).await.unwrap();
    trickle
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let writer = tokio::spawn(async move {
        for i in 0..200 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if trickle
                .write_all(format!("X-Slow-{i}: 1\r\n").as_bytes())
                .await
                .is_err()
            {
                return true;
            }
        }
        false
    });
    assert!(
        tokio::time::timeout(Duration::from_secs(30), writer)
            .await
            .expect("the trickling connection was closed")
            .unwrap(),
        "the server kept reading a head that never ends"
    );

    // The server still answers whole requests.
    assert_eq!(app.get("/health").await.status(), 200);
    let text = app.metrics_text().await;
    assert!(
        metric(
            &text,
            "ats_scorer_connections_timed_out_total{listener=\"app\",timeout=\"header\"}"
        ) >= 2.0,
        "{text}"
    );
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let app = app_with_net(|n| {
        n.header_timeout = Duration::from_secs(120);
        n.idle_timeout = Duration::from_secs(1);
    })
    .await;
    // Form 1: a kept-alive connection after one answered request.
    let mut kept = TcpStream::connect(host_port(&app)).await.unwrap();
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let got = read_until_closed(&mut kept).await;
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    assert!(
        !got.to_ascii_lowercase().contains("connection: close"),
        "{got}"
    );

    // Form 2: a connection that never says anything.
    let mut silent = TcpStream::connect(host_port(&app)).await.unwrap();
    assert_eq!(read_until_closed(&mut silent).await, "");

    let text = app.metrics_text().await;
    assert!(
        metric(
            &text,
            "ats_scorer_connections_timed_out_total{listener=\"app\",timeout=\"idle\"}"
        ) >= 2.0,
        "{text}"
    );
}

#[tokio::test]
async fn a_slow_body_gets_408() {
    let app = app_with_net(|n| {
        n.body_timeout = Duration::from_secs(1);
        n.idle_timeout = Duration::from_secs(120);
    })
    .await;
    let body = serde_json::to_vec(&feedback_body()).unwrap();
    let head = format!(
        "POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    // Form 1: half the body, then nothing.
    let mut stalled = TcpStream::connect(host_port(&app)).await.unwrap();
    stalled.write_all(head.as_bytes()).await.unwrap();
    stalled.write_all(&body[..body.len() / 2]).await.unwrap();
    let got = read_until_closed(&mut stalled).await;
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(got.contains("request_timeout"), "{got}");

    // Form 2: the body one byte every 150 ms: never idle, never done in time.
    let mut trickle = TcpStream::connect(host_port(&app)).await.unwrap();
    trickle.write_all(head.as_bytes()).await.unwrap();
    let (mut reader, mut writer) = trickle.into_split();
    let bytes = body.clone();
    tokio::spawn(async move {
        for b in bytes {
            tokio::time::sleep(Duration::from_millis(150)).await;
            if writer.write_all(&[b]).await.is_err() {
                break;
            }
        }
    });
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), reader.read_to_end(&mut got))
        .await
        .expect("an answer")
        .ok();
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");

    // Form 3: a chunked body that stops after its first chunk.
    let mut chunked = TcpStream::connect(host_port(&app)).await.unwrap();
    chunked
        .write_all(
            b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"eve\r\n",
        )
        .await
        .unwrap();
    let got = read_until_closed(&mut chunked).await;
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");

    assert_eq!(app.feedback_count().await, 0);
    let text = app.metrics_text().await;
    assert!(text.contains("status=\"408\""), "the 408s are counted");
}

#[tokio::test]
async fn connections_over_the_cap_wait_until_one_closes() {
    let app = app_with_net(|n| {
        n.max_connections = 2;
        n.idle_timeout = Duration::from_secs(120);
        n.header_timeout = Duration::from_secs(120);
    })
    .await;
    let first = TcpStream::connect(host_port(&app)).await.unwrap();
    let _second = TcpStream::connect(host_port(&app)).await.unwrap();
    // The kernel completes the handshake, but the server does not take it.
    let mut third = TcpStream::connect(host_port(&app)).await.unwrap();
    third
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 64];
    assert!(
        tokio::time::timeout(Duration::from_millis(500), third.read(&mut buf))
            .await
            .is_err(),
        "a connection over the cap must not be served while the cap is full"
    );
    // One closes: the waiting one is served.
    drop(first);
    let got = read_until_closed(&mut third).await;
    let got = format!(
        "{}{got}",
        String::from_utf8_lossy(&buf).trim_end_matches('\0')
    );
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    drop(_second);
    // Cap counters: reached at least once; the three were accepted.
    let text = app.metrics_text().await;
    assert!(
        metric(
            &text,
            "ats_scorer_connections_at_cap_total{listener=\"app\"}"
        ) >= 1.0
    );
    assert!(
        metric(
            &text,
            "ats_scorer_connections_accepted_total{listener=\"app\"}"
        ) >= 3.0
    );
    assert!(metric(&text, "ats_scorer_connections_open{listener=\"app\"}") >= 1.0);
}

/// A TCP connection to the app from `from` (a loopback address).
async fn connect_from(app: &TestApp, from: &str) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket
        .connect(host_port(app).parse().unwrap())
        .await
        .unwrap()
}

/// Whether the server closes `stream` within a second (EOF or reset).
async fn closed_soon(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    matches!(
        tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test]
async fn one_address_holding_idle_connections_cannot_take_the_cap_from_another() {
    let app = app_with_net(|n| {
        n.max_connections = 6;
        n.max_connections_per_address = 3;
        n.idle_timeout = Duration::from_secs(120);
        n.header_timeout = Duration::from_secs(120);
        n.trusted_proxies = "127.0.0.3/32".parse().unwrap();
    })
    .await;
    // 127.0.0.2 opens as many idle connections as the whole cap.
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect_from(&app, "127.0.0.2").await);
    }
    let mut over = Vec::new();
    for _ in 0..3 {
        over.push(connect_from(&app, "127.0.0.2").await);
    }
    for stream in &mut over {
        assert!(
            closed_soon(stream).await,
            "a connection over the address's share is closed"
        );
    }
    for stream in &mut held {
        assert!(!closed_soon(stream).await, "the address keeps its share");
    }
    // Another address is served at once.
    let res = tokio::time::timeout(
        Duration::from_secs(10),
        browser(Some("127.0.0.4"))
            .get(format!("{}/health", app.address))
            .send(),
    )
    .await
    .expect("another address is not kept waiting")
    .unwrap();
    assert_eq!(res.status(), 200);
    // A trusted proxy carries many clients: it is not held to one share.
    let mut proxy = Vec::new();
    for _ in 0..2 {
        proxy.push(connect_from(&app, "127.0.0.3").await);
    }
    for stream in &mut proxy {
        assert!(
            !closed_soon(stream).await,
            "a trusted proxy's connections stay open"
        );
    }
    // Once the held ones close, the address gets its share back.
    drop(held);
    drop(proxy);
    let mut again = None;
    for _ in 0..50 {
        let mut stream = connect_from(&app, "127.0.0.2").await;
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let got = read_until_closed(&mut stream).await;
        if got.starts_with("HTTP/1.1 200") {
            again = Some(got);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        again.is_some(),
        "the address is served again once its connections close"
    );
    let text = app.metrics_text().await;
    assert!(
        metric(
            &text,
            "ats_scorer_connections_over_address_share_total{listener=\"app\"}"
        ) >= 3.0
    );
}

impl TestApp {
    async fn feedback_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM feedback")
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn the_request_log_names_the_client_by_a_hash_never_by_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let bin = crate::helpers::start_binary_with(dir.path(), &[("TRUSTED_PROXIES", "127.0.0.1/32")]);
    let client = browser(None);
    for path in ["/api/events", "/api/feedback"] {
        let body = if path == "/api/events" {
            events_body()
        } else {
            feedback_body()
        };
        let res = client
            .post(format!("http://{}{path}", bin.address))
            .header("x-forwarded-for", "203.0.113.77")
            .header("forwarded", "for=\"[2001:db8:77::1]\"")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut child = bin.child;
    child.kill().ok();
    child.wait().ok();
    let lines = bin.lines.lock().unwrap().clone();
    let requests: Vec<Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| {
            v["message"] == "request"
                && v["span"]["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("/api/"))
        })
        .collect();
    assert_eq!(requests.len(), 2, "{lines:?}");
    let client_key = requests[0]["span"]["client"].as_str().unwrap().to_string();
    assert_eq!(client_key.len(), 16, "{client_key}");
    assert!(client_key.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        requests[1]["span"]["client"],
        client_key.as_str(),
        "one client, one key"
    );
    for line in &lines {
        for raw in ["203.0.113.77", "2001:db8:77", "127.0.0.1:"] {
            if raw == "127.0.0.1:" && line.contains("\"listening\"") {
                continue;
            }
            assert!(!line.contains(raw), "a raw address in the log: {line}");
        }
    }
}
