//! `POST /api/feedback` against the real server and a fresh SQLite file.

use serde_json::{Value, json};
use sqlx::Row;

use crate::helpers::{TestApp, fresh_config, spawn_app, spawn_app_with};

const VISITOR: &str = "0123456789abcdef0123456789abcdef";

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn rating(id: &str, question: &str, stars: i64) -> Value {
    json!({
        "id": id, "kind": "rating", "question": question, "rating": stars,
        "context": {"page": "/", "algorithm": "v2.0", "score": 72,
                    "variants": {"scoring-algorithm": "v2"}}
    })
}

fn form(id: &str, kind: &str, category: &str, message: &str) -> Value {
    json!({
        "id": id, "kind": kind, "category": category, "message": message,
        "context": {"page": if kind == "contact" { "/contact" } else { "/" }}
    })
}

impl TestApp {
    async fn post_feedback(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/feedback", self.address))
            .header("cookie", format!("ats_vid={VISITOR}"))
            .header(
                "user-agent",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            )
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    async fn post_raw(
        &self,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(format!("{}/api/feedback", self.address))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    async fn feedback_rows(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM feedback")
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

/// Posts `body`, expects a 422 and returns the error for `field`.
async fn field_error(app: &TestApp, body: &Value, field: &str) -> String {
    let res = app.post_feedback(body).await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "validation");
    err["error"]["fields"][field]
        .as_str()
        .unwrap_or_else(|| panic!("no error for {field}: {err}"))
        .to_string()
}

#[tokio::test]
async fn stores_a_valid_rating_with_its_context() {
    let app = spawn_app().await;
    let id = new_id();
    let res = app.post_feedback(&rating(&id, "accuracy", 4)).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["id"], id.as_str());

    let row = sqlx::query("SELECT * FROM feedback WHERE id = ?")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("kind"), "rating");
    assert_eq!(row.get::<String, _>("question"), "accuracy");
    assert_eq!(row.get::<i64, _>("rating"), 4);
    assert_eq!(row.get::<String, _>("visitor_id"), VISITOR);
    assert_eq!(row.get::<String, _>("algorithm"), "v2.0");
    assert_eq!(row.get::<i64, _>("score"), 72);
    assert_eq!(row.get::<String, _>("page"), "/");
    assert_eq!(row.get::<String, _>("ua_class"), "desktop/chrome");
    assert_eq!(
        row.get::<String, _>("variants"),
        r#"{"scoring-algorithm":"v2"}"#
    );
    assert!(row.get::<String, _>("created_at").ends_with('Z'));
}

#[tokio::test]
async fn stores_a_valid_feedback_form_and_a_contact_message() {
    let app = spawn_app().await;
    let (a, b) = (new_id(), new_id());
    let res = app
        .post_feedback(&form(&a, "form", "feature", "Please add cover letters."))
        .await;
    assert_eq!(res.status(), 201);
    let mut contact = form(&b, "contact", "question", "  Do you keep my resume?  ");
    contact["email"] = json!("ana@example.com");
    contact["consent"] = json!(true);
    assert_eq!(app.post_feedback(&contact).await.status(), 201);

    let rows: Vec<(String, String, String, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT kind, category, message, email, consent, page FROM feedback ORDER BY kind",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "contact".into(),
                "question".into(),
                "Do you keep my resume?".into(),
                Some("ana@example.com".into()),
                1,
                "/contact".into()
            ),
            (
                "form".into(),
                "feature".into(),
                "Please add cover letters.".into(),
                None,
                0,
                "/".into()
            ),
        ]
    );
}

#[tokio::test]
async fn a_retried_submission_is_stored_once_and_answers_200() {
    let app = spawn_app().await;
    let id = new_id();
    let body = rating(&id, "helpfulness", 5);
    assert_eq!(app.post_feedback(&body).await.status(), 201);
    let again = app.post_feedback(&body).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["id"], id.as_str());
    // The same id in upper case is the same submission.
    let mut upper = body.clone();
    upper["id"] = json!(id.to_uppercase());
    assert_eq!(app.post_feedback(&upper).await.status(), 200);
    assert_eq!(app.feedback_rows().await, 1);
}

/// A rating under `variant` of `scoring-algorithm`, at `revision`, with an optional comment.
fn revised(id: &str, stars: i64, revision: i64, variant: &str, comment: Option<&str>) -> Value {
    let mut body = rating(id, "accuracy", stars);
    body["revision"] = json!(revision);
    body["context"]["variants"] =
        json!({"scoring-algorithm": variant, "result-layout": "summary-first"});
    if let Some(c) = comment {
        body["comment"] = json!(c);
    }
    body
}

impl TestApp {
    async fn post_feedback_as(&self, visitor: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/feedback", self.address))
            .header("cookie", format!("ats_vid={visitor}"))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// `(experiment, variant, question, ratings, sum, sum_squares)`, sorted, zero rows left out.
    async fn rating_rollups(&self) -> Vec<(String, String, String, i64, i64, i64)> {
        sqlx::query_as(
            "SELECT experiment, variant, question, ratings, sum, sum_squares FROM rating_rollups
             WHERE ratings <> 0 OR sum <> 0 OR sum_squares <> 0 ORDER BY 1, 2, 3",
        )
        .fetch_all(&self.db)
        .await
        .unwrap()
    }

    /// The rollups recounted from the rows by their rule: each visitor's latest
    /// rating per question, under the variants that row carries.
    async fn rating_rollups_recounted(&self) -> Vec<(String, String, String, i64, i64, i64)> {
        sqlx::query_as(
            "SELECT v.key, v.value, f.question, COUNT(*), SUM(f.rating), SUM(f.rating * f.rating)
             FROM (SELECT question, rating, variants,
                          ROW_NUMBER() OVER (PARTITION BY visitor_id, question
                                             ORDER BY created_at DESC, rowid DESC) AS n
                   FROM feedback WHERE kind = 'rating') f, json_each(f.variants) v
             WHERE f.n = 1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
        .fetch_all(&self.db)
        .await
        .unwrap()
    }
}

fn rollup(
    variant: &str,
    n: i64,
    sum: i64,
    sum_squares: i64,
) -> (String, String, String, i64, i64, i64) {
    (
        "scoring-algorithm".into(),
        variant.into(),
        "accuracy".into(),
        n,
        sum,
        sum_squares,
    )
}

fn layout(n: i64, sum: i64, sum_squares: i64) -> (String, String, String, i64, i64, i64) {
    (
        "result-layout".into(),
        "summary-first".into(),
        "accuracy".into(),
        n,
        sum,
        sum_squares,
    )
}

#[tokio::test]
async fn a_comment_sent_with_the_next_revision_updates_its_rating_and_counts_once() {
    let app = spawn_app().await;
    let id = new_id();
    let first = app.post_feedback(&revised(&id, 4, 1, "v1", None)).await;
    assert_eq!(first.status(), 201);
    let commented = app
        .post_feedback(&revised(
            &id,
            4,
            2,
            "v1",
            Some("Spot on for the Rust part."),
        ))
        .await;
    assert_eq!(commented.status(), 200);
    assert_eq!(commented.json::<Value>().await.unwrap()["id"], id.as_str());

    assert_eq!(app.feedback_rows().await, 1, "one rating, not two");
    let (stars, message, revision, variants): (i64, String, i64, String) =
        sqlx::query_as("SELECT rating, message, revision, variants FROM feedback WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (stars, message.as_str(), revision),
        (4, "Spot on for the Rust part.", 2)
    );
    assert_eq!(
        variants,
        r#"{"result-layout":"summary-first","scoring-algorithm":"v1"}"#
    );
    assert_eq!(
        app.rating_rollups().await,
        [layout(1, 4, 16), rollup("v1", 1, 4, 16)]
    );
    // The comment is searchable like any message: the index follows the update.
    let found: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM feedback_fts WHERE feedback_fts MATCH 'rust'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(found, 1);
    // The metrics count the rating once too.
    let metrics = app.metrics_text().await;
    assert!(
        metrics
            .contains(r#"ats_scorer_feedback_submissions_total{category="none",kind="rating"} 1"#),
        "{metrics}"
    );
}

#[tokio::test]
async fn changing_the_stars_replaces_the_rating_and_a_late_older_revision_changes_nothing() {
    let app = spawn_app().await;
    let id = new_id();
    assert_eq!(
        app.post_feedback(&revised(&id, 2, 1, "v2", None))
            .await
            .status(),
        201
    );
    assert_eq!(
        app.post_feedback(&revised(&id, 5, 3, "v2", Some("Changed my mind")))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.rating_rollups().await,
        [layout(1, 5, 25), rollup("v2", 1, 5, 25)]
    );
    // Revision 2 was delayed in an outbox and arrives after 3, then 3 is retried.
    for late in [
        revised(&id, 3, 2, "v2", None),
        revised(&id, 5, 3, "v2", Some("Changed my mind")),
    ] {
        assert_eq!(app.post_feedback(&late).await.status(), 200);
    }
    let (stars, message): (i64, Option<String>) =
        sqlx::query_as("SELECT rating, message FROM feedback WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((stars, message.as_deref()), (5, Some("Changed my mind")));
    assert_eq!(app.feedback_rows().await, 1);
    assert_eq!(
        app.rating_rollups().await,
        [layout(1, 5, 25), rollup("v2", 1, 5, 25)]
    );
    // A revision that drops the comment drops it from the row.
    assert_eq!(
        app.post_feedback(&revised(&id, 5, 4, "v2", None))
            .await
            .status(),
        200
    );
    let message: Option<String> = sqlx::query_scalar("SELECT message FROM feedback WHERE id = ?")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(message, None);
}

#[tokio::test]
async fn a_rating_revised_under_another_variant_moves_between_variants() {
    let app = spawn_app().await;
    let id = new_id();
    assert_eq!(
        app.post_feedback(&revised(&id, 3, 1, "v2", None))
            .await
            .status(),
        201
    );
    assert_eq!(
        app.post_feedback(&revised(&id, 4, 2, "v1", None))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.rating_rollups().await,
        [layout(1, 4, 16), rollup("v1", 1, 4, 16)]
    );
    assert_eq!(
        app.rating_rollups().await,
        app.rating_rollups_recounted().await
    );
}

#[tokio::test]
async fn a_changed_rating_under_a_new_id_is_a_new_row_and_only_the_latest_counts() {
    let app = spawn_app().await;
    // Two ratings of the same question by one visitor (say, before and after a reload).
    assert_eq!(
        app.post_feedback(&revised(&new_id(), 2, 1, "v2", None))
            .await
            .status(),
        201
    );
    assert_eq!(
        app.post_feedback(&revised(&new_id(), 5, 1, "v2", None))
            .await
            .status(),
        201
    );
    let latest: i64 = sqlx::query_scalar(
        "SELECT rating FROM feedback WHERE visitor_id = ? AND question = 'accuracy'
         ORDER BY created_at DESC, rowid DESC LIMIT 1",
    )
    .bind(VISITOR)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(latest, 5);
    assert_eq!(app.feedback_rows().await, 2, "history is kept");
    assert_eq!(
        app.rating_rollups().await,
        [layout(1, 5, 25), rollup("v2", 1, 5, 25)],
        "the visitor's rating counts once"
    );
}

#[tokio::test]
async fn another_visitor_cannot_revise_a_rating() {
    let app = spawn_app().await;
    let id = new_id();
    assert_eq!(
        app.post_feedback(&revised(&id, 4, 1, "v1", None))
            .await
            .status(),
        201
    );
    let stranger = "ffffffffffffffffffffffffffffffff";
    let res = app
        .post_feedback_as(stranger, &revised(&id, 1, 9, "v2", Some("hijacked")))
        .await;
    assert_eq!(res.status(), 200);
    let (stars, message, visitor): (i64, Option<String>, String) =
        sqlx::query_as("SELECT rating, message, visitor_id FROM feedback WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((stars, message, visitor.as_str()), (4, None, VISITOR));
    assert_eq!(
        app.rating_rollups().await,
        [layout(1, 4, 16), rollup("v1", 1, 4, 16)]
    );
    // Nor can a revision turn a rating into another question or a message.
    let mut other = revised(&id, 2, 10, "v1", None);
    other["question"] = json!("helpfulness");
    assert_eq!(app.post_feedback(&other).await.status(), 200);
    let as_form = json!({"id": id, "kind": "form", "category": "bug", "message": "x",
                         "revision": 11, "context": {"page": "/"}});
    assert_eq!(app.post_feedback(&as_form).await.status(), 200);
    let row: (String, Option<String>, i64) =
        sqlx::query_as("SELECT question, category, rating FROM feedback WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(row, ("accuracy".into(), None, 4));
}

#[tokio::test]
async fn rejects_a_revision_that_is_not_a_positive_whole_number() {
    let app = spawn_app().await;
    for bad in [json!(0), json!(-1), json!(1_000_001)] {
        let mut body = revised(&new_id(), 4, 1, "v1", None);
        body["revision"] = bad;
        assert_eq!(
            field_error(&app, &body, "revision").await,
            "must be a whole number from 1 to 1,000,000"
        );
    }
    let mut body = revised(&new_id(), 4, 1, "v1", None);
    body["revision"] = json!("2");
    assert!(
        field_error(&app, &body, "revision")
            .await
            .starts_with("has the wrong type")
    );
    assert_eq!(app.feedback_rows().await, 0);
}

/// `(visitor, id, question, stars, revision, variant, comment)`, indices into the test's lists.
type Step = (
    usize,
    usize,
    &'static str,
    i64,
    i64,
    &'static str,
    Option<&'static str>,
);

#[tokio::test]
async fn the_rating_rollups_always_equal_a_recount_from_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    config.feedback_rate.burst = 1_000;
    let app = spawn_app_with(dir, config).await;
    // Three visitors, two questions, new ids, revisions in and out of order,
    // variants that change, a comment, retries, and a stranger's attempt.
    let visitors = [
        "0000000000000000000000000000000a",
        "0000000000000000000000000000000b",
        "0000000000000000000000000000000c",
    ];
    let ids: Vec<String> = (0..6).map(|_| new_id()).collect();
    let steps: &[Step] = &[
        // (visitor, id, question, stars, revision, variant, comment)
        (0, 0, "accuracy", 4, 1, "v1", None),
        (0, 0, "accuracy", 4, 2, "v1", Some("good")),
        (0, 1, "helpfulness", 2, 1, "v1", None),
        (1, 2, "accuracy", 1, 1, "v2", None),
        (1, 2, "accuracy", 3, 3, "v2", None),
        (1, 2, "accuracy", 2, 2, "v2", None),
        (0, 3, "accuracy", 5, 1, "v2", None),
        (0, 0, "accuracy", 1, 3, "v1", None),
        (2, 4, "helpfulness", 5, 1, "v2", Some("very")),
        (2, 4, "helpfulness", 5, 1, "v2", Some("very")),
        (1, 5, "helpfulness", 4, 2, "v1", None),
        (2, 5, "helpfulness", 1, 7, "v2", None),
        (1, 5, "helpfulness", 3, 4, "v1", None),
    ];
    for (i, &(v, id, question, stars, revision, variant, comment)) in steps.iter().enumerate() {
        let mut body = revised(&ids[id], stars, revision, variant, comment);
        body["question"] = json!(question);
        let res = app.post_feedback_as(visitors[v], &body).await;
        assert!(res.status().is_success(), "step {i}: {}", res.status());
        assert_eq!(
            app.rating_rollups().await,
            app.rating_rollups_recounted().await,
            "after step {i}"
        );
    }
    assert_eq!(app.feedback_rows().await, 6);
    // Visitor 0: accuracy latest is id 3 (5 stars, v2); helpfulness 2 (v1).
    // Visitor 1: accuracy 3 (v2); helpfulness 3 (v1). Visitor 2: helpfulness 5 (v2).
    let all = app.rating_rollups().await;
    assert!(all.contains(&rollup("v2", 2, 8, 34)), "{all:?}");
    assert!(
        !all.iter().any(|r| r.1 == "v1" && r.2 == "accuracy"),
        "{all:?}"
    );
}

#[tokio::test]
async fn rejects_a_rating_of_zero() {
    let app = spawn_app().await;
    let e = field_error(&app, &rating(&new_id(), "accuracy", 0), "rating").await;
    assert_eq!(e, "must be between 1 and 5");
    assert_eq!(app.feedback_rows().await, 0);
}

#[tokio::test]
async fn rejects_a_rating_above_five() {
    let app = spawn_app().await;
    let e = field_error(&app, &rating(&new_id(), "accuracy", 6), "rating").await;
    assert_eq!(e, "must be between 1 and 5");
}

#[tokio::test]
async fn rejects_a_rating_that_is_not_a_number() {
    let app = spawn_app().await;
    let mut body = rating(&new_id(), "accuracy", 3);
    body["rating"] = json!("five");
    let e = field_error(&app, &body, "rating").await;
    assert!(e.starts_with("has the wrong type"), "{e}");
}

#[tokio::test]
async fn rejects_an_empty_message() {
    let app = spawn_app().await;
    let e = field_error(&app, &form(&new_id(), "form", "bug", "   "), "message").await;
    assert_eq!(e, "must not be empty");
}

#[tokio::test]
async fn rejects_a_message_of_5001_characters_and_accepts_5000() {
    let app = spawn_app().await;
    let e = field_error(
        &app,
        &form(&new_id(), "form", "bug", &"x".repeat(5_001)),
        "message",
    )
    .await;
    assert_eq!(e, "must be at most 5,000 characters (it has 5,001)");
    let ok = app
        .post_feedback(&form(&new_id(), "form", "bug", &"x".repeat(5_000)))
        .await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn rejects_a_bad_email() {
    let app = spawn_app().await;
    let mut body = form(&new_id(), "contact", "question", "Reply please");
    body["email"] = json!("ana@@example.com");
    body["consent"] = json!(true);
    let e = field_error(&app, &body, "email").await;
    assert_eq!(e, "must be an email address such as name@example.com");
}

#[tokio::test]
async fn rejects_an_unknown_category() {
    let app = spawn_app().await;
    let e = field_error(
        &app,
        &form(&new_id(), "form", "complaint", "Hi"),
        "category",
    )
    .await;
    assert_eq!(e, "must be one of bug, feature, question, praise, other");
}

#[tokio::test]
async fn rejects_an_email_without_consent_and_stores_nothing() {
    let app = spawn_app().await;
    let mut body = form(&new_id(), "contact", "question", "Reply please");
    body["email"] = json!("ana@example.com");
    let e = field_error(&app, &body, "consent").await;
    assert!(e.starts_with("is required"), "{e}");
    assert_eq!(app.feedback_rows().await, 0);
}

#[tokio::test]
async fn rejects_an_id_that_is_not_a_uuid_and_an_unknown_kind() {
    let app = spawn_app().await;
    let e = field_error(&app, &rating("42", "accuracy", 3), "id").await;
    assert!(e.starts_with("must be a UUID"), "{e}");
    let mut body = rating(&new_id(), "accuracy", 3);
    body["kind"] = json!("survey");
    assert_eq!(
        field_error(&app, &body, "kind").await,
        "must be one of rating, form, contact"
    );
}

#[tokio::test]
async fn malformed_json_gets_400_in_the_error_shape() {
    let app = spawn_app().await;
    let res = app
        .post_raw("application/json", r#"{"id": "x", "kind": "#)
        .await;
    assert_eq!(res.status(), 400);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "malformed_json");
    assert!(err["error"]["message"].as_str().unwrap().contains("JSON"));

    let not_an_object = app.post_raw("application/json", "[1,2,3]").await;
    assert_eq!(not_an_object.status(), 400);
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_415() {
    let app = spawn_app().await;
    let res = app.post_raw("text/plain", "rating=5").await;
    assert_eq!(res.status(), 415);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "unsupported_media_type");
}

#[tokio::test]
async fn a_body_over_the_cap_gets_413_whether_declared_or_streamed() {
    let app = spawn_app().await;
    let cap = contract::feedback::MAX_BODY_BYTES;
    // Over the character limit but within the cap: a validation error naming the field.
    let long = form(&new_id(), "form", "bug", &"x".repeat(17 * 1024));
    let res = app.post_feedback(&long).await;
    assert_eq!(res.status(), 422);
    let big = form(&new_id(), "form", "bug", &"x".repeat(cap + 1));
    let res = app.post_feedback(&big).await;
    assert_eq!(res.status(), 413);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "too_large");

    // Without a Content-Length (chunked), the cap applies while reading.
    let status = post_chunked(&app, cap + 20 * 1024).await;
    assert_eq!(status, 413);
    assert_eq!(app.get("/health").await.status(), 200);
}

/// Sends `size` bytes of JSON whitespace as a chunked body over a raw
/// connection (no Content-Length) and returns the status code.
async fn post_chunked(app: &TestApp, size: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/feedback HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 1024];
    for _ in 0..size / 1024 {
        // The server may answer and close before everything is written.
        if stream.write_all(b"400\r\n").await.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response);
    text.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"))
}

#[tokio::test]
async fn too_many_submissions_from_one_visitor_get_429_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    config.feedback_rate = server::ratelimit::Rate {
        burst: 3,
        per_minute: 2,
    };
    let app = spawn_app_with(dir, config).await;
    for stars in 1..=3 {
        let res = app
            .post_feedback(&rating(&new_id(), "accuracy", stars))
            .await;
        assert_eq!(res.status(), 201);
    }
    let res = app.post_feedback(&rating(&new_id(), "accuracy", 4)).await;
    assert_eq!(res.status(), 429);
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "rate_limited");
    assert_eq!(app.feedback_rows().await, 3);
    // Another visitor behind the same address still gets through.
    let other = app
        .client
        .post(format!("{}/api/feedback", app.address))
        .header("cookie", "ats_vid=ffffffffffffffffffffffffffffffff")
        .json(&rating(&new_id(), "accuracy", 4))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 201);
}

#[tokio::test]
async fn one_address_is_limited_even_with_a_new_cookie_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = fresh_config(&dir);
    config.feedback_rate = server::ratelimit::Rate {
        burst: 1,
        per_minute: 1,
    };
    let app = spawn_app_with(dir, config).await;
    // A new browser each time (a new visitor cookie), but the address bucket holds 3.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let res = crate::helpers::browser_client()
            .post(format!("{}/api/feedback", app.address))
            .json(&rating(&new_id(), "accuracy", 4))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, vec![201, 201, 201, 429]);
}

#[tokio::test]
async fn the_metrics_count_stored_submissions_ratings_and_rejections() {
    let app = spawn_app().await;
    let id = new_id();
    app.post_feedback(&rating(&id, "accuracy", 4)).await;
    app.post_feedback(&rating(&id, "accuracy", 4)).await; // a retry: not counted again
    app.post_feedback(&rating(&new_id(), "accuracy", 2)).await;
    app.post_feedback(&form(&new_id(), "form", "bug", "Broken upload"))
        .await;
    app.post_feedback(&rating(&new_id(), "accuracy", 9)).await;
    app.post_raw("application/json", "{").await;

    let text = app.metrics_text().await;
    for line in [
        r#"ats_scorer_feedback_submissions_total{category="none",kind="rating"} 2"#,
        r#"ats_scorer_feedback_submissions_total{category="bug",kind="form"} 1"#,
        r#"ats_scorer_feedback_submissions_total{category="bug",kind="contact"} 0"#,
        r#"ats_scorer_ratings_count{question="accuracy",variant="v2"} 2"#,
        r#"ats_scorer_ratings_sum{question="accuracy",variant="v2"} 6"#,
        r#"ats_scorer_ratings_bucket{question="accuracy",variant="v2",le="2"} 1"#,
        r#"ats_scorer_ratings_bucket{question="accuracy",variant="v2",le="4"} 2"#,
        r#"ats_scorer_ratings_count{question="helpfulness",variant="v1"} 0"#,
        r#"ats_scorer_feedback_rejected_total{reason="validation"} 1"#,
        r#"ats_scorer_feedback_rejected_total{reason="malformed_json"} 1"#,
        r#"ats_scorer_feedback_rejected_total{reason="rate_limited"} 0"#,
    ] {
        assert!(text.contains(line), "missing {line}\n{text}");
    }
}

#[tokio::test]
async fn the_server_stays_healthy_after_bad_input() {
    let app = spawn_app().await;
    for body in ["", "null", "{\"rating\":", "\u{0}\u{1}", "{\"context\": 5}"] {
        let res = app.post_raw("application/json", body).await;
        assert!(
            [400, 422].contains(&res.status().as_u16()),
            "{body:?}: {}",
            res.status()
        );
    }
    assert_eq!(app.get("/health").await.status(), 200);
    assert_eq!(app.get("/ready").await.status(), 200);
}

#[tokio::test]
async fn a_first_visit_gets_a_visitor_cookie_that_later_requests_keep() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("ats_vid="), "{cookie}");
    for attr in ["Path=/", "Max-Age=31536000", "SameSite=Lax", "HttpOnly"] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    let value = cookie
        .trim_start_matches("ats_vid=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(value.len(), 32);

    let again = app
        .client
        .get(format!("{}/", app.address))
        .header("cookie", format!("ats_vid={value}"))
        .send()
        .await
        .unwrap();
    assert!(again.headers().get("set-cookie").is_none());
    // Probes and metrics never hand out visitor ids.
    assert!(
        app.get("/health")
            .await
            .headers()
            .get("set-cookie")
            .is_none()
    );
    assert!(
        app.get("/metrics")
            .await
            .headers()
            .get("set-cookie")
            .is_none()
    );
}

#[tokio::test]
async fn no_raw_address_is_stored_with_feedback() {
    let app = spawn_app().await;
    app.post_feedback(&form(&new_id(), "form", "praise", "Nice tool"))
        .await;
    let dump: Vec<String> = sqlx::query_scalar(
        "SELECT id || kind || coalesce(message,'') || visitor_id || variants || page || ua_class FROM feedback",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!dump.is_empty());
    assert!(
        dump.iter().all(|row| !row.contains("127.0.0.1")),
        "{dump:?}"
    );
}

#[tokio::test]
async fn the_migration_recounts_the_rating_rollups_of_an_existing_database_by_the_new_rule() {
    // A database as the previous release left it: every migration but the
    // revisions one, a visitor who changed their rating (two rows, both counted).
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old-migrations");
    std::fs::create_dir_all(&old).unwrap();
    let all = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
    for entry in std::fs::read_dir(all).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.contains("rating_revisions") {
            std::fs::copy(&path, old.join(name)).unwrap();
        }
    }
    let config = fresh_config(&dir);
    {
        let pool = server::db::connect(&config.database_url).await.unwrap();
        sqlx::migrate::Migrator::new(old.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        let rows = [
            (
                "a",
                "0000000000000000000000000000000a",
                2,
                "v1",
                "2026-11-29T10:00:00.000Z",
            ),
            (
                "b",
                "0000000000000000000000000000000a",
                5,
                "v1",
                "2026-11-29T10:05:00.000Z",
            ),
            (
                "c",
                "0000000000000000000000000000000b",
                3,
                "v2",
                "2026-11-29T11:00:00.000Z",
            ),
        ];
        for (id, visitor, stars, variant, at) in rows {
            sqlx::query(
                "INSERT INTO feedback (id, kind, question, rating, visitor_id, variants, page,
                                       ua_class, created_at)
                 VALUES (?, 'rating', 'accuracy', ?, ?, json_object('scoring-algorithm', ?), '/',
                         'desktop/chrome', ?)",
            )
            .bind(id)
            .bind(stars)
            .bind(visitor)
            .bind(variant)
            .bind(at)
            .execute(&pool)
            .await
            .unwrap();
            // What the previous release's store did: every row counted.
            sqlx::query(
                "INSERT INTO rating_rollups VALUES ('scoring-algorithm', ?, 'accuracy', 1, ?, ?)
                 ON CONFLICT DO UPDATE SET ratings = ratings + 1, sum = sum + excluded.sum,
                   sum_squares = sum_squares + excluded.sum_squares",
            )
            .bind(variant)
            .bind(stars)
            .bind(stars * stars)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
    }
    // The new release starts on it and applies the migration.
    let app = spawn_app_with(dir, config).await;
    assert_eq!(
        app.rating_rollups().await,
        [rollup("v1", 1, 5, 25), rollup("v2", 1, 3, 9)]
    );
    assert_eq!(
        app.rating_rollups().await,
        app.rating_rollups_recounted().await
    );
    let revisions: Vec<i64> = sqlx::query_scalar("SELECT revision FROM feedback ORDER BY id")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(revisions, [1, 1, 1]);
}
