//! Seeds a database with a million events and a hundred thousand feedback rows,
//! starts the release binary on it and times the admin pages (issue 8).
//!
//! cargo leptos build --release   # or cargo build --release -p server
//! cargo run --release -p server --example admin_bench -- [--events 1000000] [--feedback 100000] [--runs 20] [--keep DIR]
//!
//! The conversions of the experiment goals are built by the binary itself at its
//! first start (`backfill_conversions`), as on an upgraded installation.
//!
//! `--keep DIR` seeds into DIR and leaves it there (for screenshots); login
//! `bench@example.com` / `correct horse battery`.

mod common;

use std::time::Instant;

use common::{arg, start_server};
use sqlx::SqlitePool;

const EXPERIMENTS: [(&str, &str, &str); 3] = [
    ("scoring-algorithm", "v2", "v1"),
    ("recommendation-style", "ranked", "plain"),
    ("result-layout", "summary-first", "keywords-first"),
];

async fn seed_events(db: &SqlitePool, count: i64, start_ms: i64) {
    // Ten events per visitor, spread over 30 days; variants from the visitor number.
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {count}),
         e AS (SELECT i, i / 10 AS v, i % 10 AS j FROM n),
         f AS (SELECT i, v, j,
                 CASE (v * 2654435761) % 1000 < 505 WHEN 1 THEN 'v2' ELSE 'v1' END AS a,
                 CASE (v * 40503) % 100 < 50 WHEN 1 THEN 'ranked' ELSE 'plain' END AS b,
                 CASE (v * 69069) % 100 < 50 WHEN 1 THEN 'summary-first' ELSE 'keywords-first' END AS c,
                 {start_ms} + (v % 30) * 86400000 + (v * 7919) % 80000000 + j * 1000 AS ts
               FROM e)
         INSERT INTO events (id, kind, visitor_id, session_id, page, ts, received_at, variants, props)
         SELECT printf('%08x-0000-4000-8000-%012x', i / 4096, i), 
           CASE j WHEN 0 THEN 'page_view' WHEN 1 THEN 'exposure' WHEN 2 THEN 'exposure' WHEN 3 THEN 'exposure'
                  WHEN 4 THEN 'score_computed' WHEN 5 THEN 'score_computed'
                  WHEN 6 THEN CASE WHEN (v % 3 = 0 AND a = 'v2') OR (v % 4 = 0 AND a = 'v1') THEN 'keywords_copied' ELSE 'recommendation_expanded' END
                  WHEN 7 THEN CASE WHEN v % 4 = 0 THEN 'rating_submitted' ELSE 'page_view' END
                  WHEN 8 THEN CASE WHEN v % 20 = 0 THEN 'feedback_submitted' ELSE 'score_computed' END
                  ELSE 'page_time' END,
           printf('%032x', v), printf('%032x', v), CASE WHEN v % 9 = 0 THEN '/contact' ELSE '/' END, ts, ts,
           json_object('scoring-algorithm', a, 'recommendation-style', b, 'result-layout', c),
           CASE j WHEN 1 THEN json_object('experiment', 'scoring-algorithm', 'variant', a)
                  WHEN 2 THEN json_object('experiment', 'recommendation-style', 'variant', b)
                  WHEN 3 THEN json_object('experiment', 'result-layout', 'variant', c)
                  WHEN 4 THEN json_object('duration_ms', 2, 'variant', a, 'source', 'paste')
                  WHEN 5 THEN json_object('duration_ms', 2, 'variant', a, 'source', 'paste')
                  WHEN 6 THEN json_object('count', 4)
                  WHEN 7 THEN CASE WHEN v % 4 = 0 THEN json_object('question', 'accuracy', 'rating', v % 5 + 1) ELSE '{{}}' END
                  WHEN 9 THEN json_object('visible_ms', 5000 + (v * 104729) % 240000, 'total_ms', 300000)
                  ELSE '{{}}' END
         FROM f"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(db)
        .await
        .unwrap();
    let day = "strftime('%Y-%m-%d', ts / 1000, 'unixepoch')";
    let mut rollups = vec![
        "INSERT INTO exposures (experiment, visitor_id, variant, first_at)
         SELECT json_extract(props, '$.experiment'), visitor_id, json_extract(props, '$.variant'), MIN(ts)
         FROM events WHERE kind = 'exposure' GROUP BY 1, 2"
            .to_string(),
        "INSERT INTO exposure_rollups SELECT experiment, variant, strftime('%Y-%m-%d', first_at / 1000, 'unixepoch'), COUNT(*)
         FROM exposures GROUP BY 1, 2, 3"
            .to_string(),
        format!("INSERT INTO event_rollups SELECT {day}, kind, '', '', COUNT(*) FROM events GROUP BY 1, 2"),
        format!("INSERT INTO daily_visitors SELECT DISTINCT {day}, visitor_id FROM events"),
        "INSERT INTO event_rollups SELECT day, '_visitors', '', '', COUNT(*) FROM daily_visitors GROUP BY day".to_string(),
        format!("INSERT OR IGNORE INTO daily_visitor_steps SELECT {day}, kind, visitor_id FROM events
                 WHERE kind IN ('score_computed', 'rating_submitted', 'feedback_submitted')"),
        "INSERT INTO event_rollups SELECT day, '_funnel', '', step, COUNT(*) FROM daily_visitor_steps GROUP BY day, step".to_string(),
        format!("INSERT INTO daily_page_time SELECT {day}, page, visitor_id, SUM(json_extract(props, '$.visible_ms'))
                 FROM events WHERE kind = 'page_time' GROUP BY 1, 2, 3"),
    ];
    for (exp, _, _) in EXPERIMENTS {
        rollups.push(format!(
            "INSERT INTO event_rollups SELECT {day}, kind, '{exp}', json_extract(variants, '$.\"{exp}\"'), COUNT(*)
             FROM events GROUP BY 1, 2, 4"
        ));
    }
    for sql in rollups {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(db)
            .await
            .unwrap();
    }
}

const OPENINGS: [&str; 8] = [
    "The PDF import",
    "The keyword list",
    "The score",
    "Recommendations",
    "The DOCX import",
    "The dark mode",
    "Copying missing keywords",
    "The breakdown",
];
const MIDDLES: [&str; 10] = [
    "is really helpful and clear",
    "fails on my two-column resume",
    "seems too harsh for senior roles",
    "is great, thank you",
    "is confusing when skills are listed twice",
    "broke after the last update",
    "should explain the points better",
    "works well but is slow on my old laptop",
    "misses skills written as abbreviations",
    "is exactly what I needed",
];
const ENDINGS: [&str; 6] = [
    "",
    " Please fix it.",
    " Love it!",
    " Could you add LinkedIn import?",
    " Terrible experience.",
    " Thanks.",
];

async fn seed_feedback(db: &SqlitePool, count: i64, start_ms: i64) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut tx = db.begin().await.unwrap();
    for i in 0..count {
        let ts = start_ms + (rnd(30 * 86_400_000) as i64);
        let created = chrono_like(ts);
        let kind = match rnd(10) {
            0..=3 => "rating",
            4..=8 => "form",
            _ => "contact",
        };
        let message = format!(
            "{} {}.{}",
            OPENINGS[rnd(8) as usize],
            MIDDLES[rnd(10) as usize],
            ENDINGS[rnd(6) as usize]
        );
        let (question, rating, category, message) = if kind == "rating" {
            let q = if rnd(2) == 0 {
                "accuracy"
            } else {
                "helpfulness"
            };
            (
                Some(q),
                Some(rnd(5) as i64 + 1),
                None,
                (rnd(3) == 0).then_some(message),
            )
        } else {
            let c = ["bug", "feature", "question", "praise", "other"][rnd(5) as usize];
            (None, None, Some(c), Some(message))
        };
        let variant = if rnd(2) == 0 { "v2" } else { "v1" };
        let sentiment = message
            .as_deref()
            .and_then(server::admin::sentiment::compound);
        sqlx::query(
            "INSERT INTO feedback (id, kind, question, rating, category, message, visitor_id, variants, algorithm,
                                   score, page, ua_class, created_at, sentiment, status)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '/', 'chromium', ?, ?, ?)",
        )
        .bind(format!("{:08x}-0000-4000-8000-{:012x}", 0xfeed, i))
        .bind(kind)
        .bind(question)
        .bind(rating)
        .bind(category)
        .bind(message)
        .bind(format!("{:032x}", i))
        .bind(format!("{{\"scoring-algorithm\":\"{variant}\"}}"))
        .bind(if variant == "v2" { "2.1" } else { "1.0" })
        .bind(rnd(101) as i64)
        .bind(created)
        .bind(sentiment)
        .bind(["new", "new", "in_progress", "done"][rnd(4) as usize])
        .execute(&mut *tx)
        .await
        .unwrap();
        if i % 10_000 == 9_999 {
            tx.commit().await.unwrap();
            tx = db.begin().await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    // What the feedback endpoint keeps when it stores a rating.
    sqlx::query(
        "INSERT INTO rating_rollups SELECT v.key, v.value, f.question, COUNT(*), SUM(f.rating), SUM(f.rating * f.rating)
         FROM feedback f, json_each(f.variants) v WHERE f.kind = 'rating' GROUP BY 1, 2, 3",
    )
    .execute(db)
    .await
    .unwrap();
}

/// The value a response sets for the cookie `name`.
fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers().get_all("set-cookie").iter().find_map(|v| {
        v.to_str()
            .ok()?
            .strip_prefix(&format!("{name}="))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    })
}

fn chrono_like(ms: i64) -> String {
    let day = server::events::utc_day(ms);
    let s = ms.rem_euclid(86_400_000);
    format!(
        "{day}T{:02}:{:02}:{:02}.{:03}Z",
        s / 3_600_000,
        s / 60_000 % 60,
        s / 1000 % 60,
        s % 1000
    )
}

#[tokio::main]
async fn main() {
    let events: i64 = arg("--events", "1000000").parse().unwrap();
    let feedback: i64 = arg("--feedback", "100000").parse().unwrap();
    let runs: usize = arg("--runs", "20").parse().unwrap();
    let binary = arg("--binary", "target/release/ats-scorer");
    let keep = arg("--keep", "");
    let tmp = tempfile::tempdir().unwrap();
    let dir = if keep.is_empty() {
        tmp.path().to_path_buf()
    } else {
        std::path::PathBuf::from(&keep)
    };
    std::fs::create_dir_all(&dir).unwrap();

    let now = server::events::now_ms();
    let start_ms = (now / 86_400_000 - 29) * 86_400_000;
    let db_file = "bench.db";
    let fresh = !dir.join(db_file).exists();
    let db = server::db::connect(&format!("sqlite://{}", dir.join(db_file).display()))
        .await
        .unwrap();
    server::db::migrate(&db).await.unwrap();
    if fresh {
        let t = Instant::now();
        seed_events(&db, events, start_ms).await;
        println!(
            "seeded {events} events and their rollups in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let t = Instant::now();
        seed_feedback(&db, feedback, start_ms).await;
        println!(
            "seeded {feedback} feedback rows (sentiment, FTS) in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        server::admin_cmd::create_user(&db, "bench@example.com", "correct horse battery")
            .await
            .unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&db)
            .await
            .unwrap();
    }
    db.close().await;

    let (mut child, address) = start_server(&binary, &dir, db_file);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://{address}");
    let page = client
        .get(format!("{base}/admin/login"))
        .send()
        .await
        .unwrap();
    let login_cookie = set_cookie(&page, "ats_admin_login").expect("a login cookie");
    let res = client
        .post(format!("{base}/admin/login"))
        .header("cookie", format!("ats_admin_login={login_cookie}"))
        .form(&[
            ("csrf", login_cookie.as_str()),
            ("email", "bench@example.com"),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .unwrap();
    let session = set_cookie(&res, "ats_admin").expect("logged in");

    println!("\n| page | median ms | p95 ms | max ms | bytes |\n|---|---|---|---|---|");
    for path in [
        "/admin",
        "/admin/feedback",
        "/admin/feedback?category=bug&sentiment=negative",
        "/admin/feedback?q=pdf+import",
        "/admin/feedback?status=new&variant=scoring-algorithm:v1",
        "/admin/experiments/scoring-algorithm",
        "/api/admin/experiments/scoring-algorithm/results",
    ] {
        let mut times = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs + 2 {
            let t = Instant::now();
            let r = client
                .get(format!("{base}{path}"))
                .header("cookie", format!("ats_admin={session}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            bytes = r.bytes().await.unwrap().len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let mut times = times.split_off(2); // two warm-up runs
        times.sort_by(f64::total_cmp);
        let p = |q: f64| times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)];
        println!(
            "| `{path}` | {:.1} | {:.1} | {:.1} | {bytes} |",
            p(0.5),
            p(0.95),
            times[times.len() - 1]
        );
    }
    let t = Instant::now();
    let export = client
        .get(format!("{base}/api/admin/feedback/export?format=csv"))
        .header("cookie", format!("ats_admin={session}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    println!(
        "\nexport of all {feedback} rows as CSV: {:.0} ms, {:.1} MB",
        t.elapsed().as_secs_f64() * 1000.0,
        export.len() as f64 / 1e6
    );
    let _ = child.kill();
}
