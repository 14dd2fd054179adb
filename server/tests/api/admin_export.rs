//! Exporting 100,000 feedback rows streams them: the real binary's peak memory
//! grows by far less than the size of the download. Downloads as browsers make
//! them (compressed) are byte for byte the identity ones, and a stalled
//! download holds no database transaction.

use reqwest::header;
use sha2::{Digest, Sha256};

use crate::helpers::{browser_client, browser_client_builder, spawn_app, start_binary_with};

const ROWS: i64 = 100_000;
/// Peak resident memory the export may add. The download is about 70 MB, so a
/// server that gathered it (or its rows) in memory first would exceed this.
const MAX_GROWTH_KB: u64 = 24 * 1024;
/// What the brotli compressor (quality 4, a 4 MiB window) may add on top: a
/// fixed cost, far below the download's size.
const MAX_COMPRESSOR_KB: u64 = 16 * 1024;

fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/<pid>/status")
}

#[tokio::test]
async fn exporting_a_hundred_thousand_rows_keeps_the_servers_memory_flat() {
    let dir = tempfile::tempdir().unwrap();
    let mut bin = start_binary_with(dir.path(), &[]);
    let db = server::db::connect(&format!(
        "sqlite://{}",
        dir.path().join("db/app.db").display()
    ))
    .await
    .unwrap();
    // 100,000 messages of about 600 characters (one long word each, so the
    // full-text index stays quick to build), in one statement.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {ROWS})
         INSERT INTO feedback (id, kind, category, message, visitor_id, page, ua_class, created_at)
         SELECT printf('00000000-0000-4000-8000-%012d', i), 'form', 'other',
                printf('%s%d, \"quoted\"', hex(zeroblob(300)), i), 'v', '/', 'chromium',
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', i))
         FROM n"
    )))
    .execute(&db)
    .await
    .unwrap();
    db.close().await;

    let token = server::admin_cmd::new_token();
    let db = server::db::connect(&format!(
        "sqlite://{}",
        dir.path().join("db/app.db").display()
    ))
    .await
    .unwrap();
    sqlx::query("INSERT INTO admin_tokens (name, token_hash) VALUES ('export', ?)")
        .bind(server::admin_cmd::hash_token(&token))
        .execute(&db)
        .await
        .unwrap();
    db.close().await;

    let client = browser_client();
    let url = |q: &str| format!("http://{}/api/admin/feedback/export?{q}", bin.address);
    // Warm up: the first export of a few rows (page cache, allocator arenas).
    let small = client
        .get(url("format=csv&q=nothingmatches"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(small.status(), 200);
    small.bytes().await.unwrap();
    let before = peak_rss_kb(bin.child.id());

    // The identity download: what memory the export itself takes.
    let mut res = client
        .get(url("format=csv"))
        .bearer_auth(&token)
        .header(header::ACCEPT_ENCODING, "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
    let (mut bytes, mut lines, mut last) = (0usize, 0usize, Vec::new());
    let mut identity = Sha256::new();
    while let Some(chunk) = res.chunk().await.unwrap() {
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        identity.update(&chunk);
        last = chunk.to_vec();
    }
    let after = peak_rss_kb(bin.child.id());

    // As a browser downloads it: compressed on the wire (brotli), decoded by
    // the client, the same bytes. The compressor adds a fixed amount (its
    // window and tables), not an amount per row.
    let mut res = client
        .get(url("format=csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut compressed = Sha256::new();
    while let Some(chunk) = res.chunk().await.unwrap() {
        compressed.update(&chunk);
    }
    let after_compressed = peak_rss_kb(bin.child.id());
    assert_eq!(
        compressed.finalize(),
        identity.finalize(),
        "compressed and identity downloads differ"
    );
    bin.assert_no_panics();
    let _ = bin.child.kill();

    assert_eq!(lines, ROWS as usize + 1, "a header and every row");
    assert!(bytes > 60_000_000, "the download is {bytes} bytes");
    let tail = String::from_utf8_lossy(&last);
    assert!(
        tail.contains("00000000-0000-4000-8000-000000099999"),
        "the oldest row comes last"
    );
    let growth = after.saturating_sub(before);
    let compressed_growth = after_compressed.saturating_sub(before);
    eprintln!(
        "export of {bytes} bytes: peak RSS {before} → {after} kB (+{growth} kB); compressed: → {after_compressed} kB (+{compressed_growth} kB)"
    );
    assert!(
        growth < MAX_GROWTH_KB,
        "peak memory grew by {growth} kB ({before} → {after} kB) for a {bytes}-byte export"
    );
    assert!(
        compressed_growth < MAX_GROWTH_KB + MAX_COMPRESSOR_KB,
        "peak memory grew by {compressed_growth} kB for the compressed export"
    );
}

/// `rows` feedback rows in one statement, each message with 600 hexadecimal
/// digits (of zeros, or random when `random`: hard to compress), formula-like
/// messages and negative sentiments among them.
async fn insert_rows(db: &sqlx::SqlitePool, rows: i64, random: bool) {
    let blob = if random {
        "randomblob(300)"
    } else {
        "zeroblob(300)"
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {rows})
         INSERT INTO feedback (id, kind, category, message, visitor_id, page, ua_class, created_at, sentiment)
         SELECT printf('00000000-0000-4000-8000-%012d', i), 'form', 'other',
                CASE i % 3 WHEN 0 THEN printf('=SUM(A%d), \"quoted\" %s', i, hex({blob}))
                           WHEN 1 THEN printf('-%d %s', i, hex({blob}))
                           ELSE printf('%s%d', hex({blob}), i) END,
                'v', '/', 'chromium',
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', i / 7)),
                CASE WHEN i % 2 = 0 THEN -0.84 ELSE 0.5 END
         FROM n"
    )))
    .execute(db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_compressed_export_is_byte_for_byte_the_identity_one() {
    let app = spawn_app().await;
    // More rows than one page of the export, several sharing a creation time.
    insert_rows(&app.db, 2_345, false).await;
    let token = server::admin_cmd::create_token(&app.db, "export")
        .await
        .unwrap();
    // Sees the bytes on the wire (no decoding).
    let raw = browser_client_builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap();
    for format in ["csv", "json"] {
        let url = format!("{}/api/admin/feedback/export?format={format}", app.address);
        let get = |client: &reqwest::Client, encoding: Option<&'static str>| {
            let mut req = client.get(&url).bearer_auth(&token);
            if let Some(e) = encoding {
                req = req.header(header::ACCEPT_ENCODING, e);
            }
            req.send()
        };
        let identity = get(&app.client, Some("identity")).await.unwrap();
        assert!(identity.headers().get(header::CONTENT_ENCODING).is_none());
        let identity = identity.bytes().await.unwrap();
        // The browser client asks for gzip and br; each encoding on its own too.
        for encoding in [None, Some("gzip"), Some("br")] {
            let res = get(&app.client, encoding).await.unwrap();
            assert_eq!(res.status(), 200);
            let body = res
                .bytes()
                .await
                .expect("the whole compressed download arrives");
            assert!(
                body == identity,
                "{format} {encoding:?}: {} vs {} bytes",
                body.len(),
                identity.len()
            );
        }
        for encoding in ["gzip", "br"] {
            let res = get(&raw, Some(encoding)).await.unwrap();
            assert_eq!(
                res.headers()[header::CONTENT_ENCODING],
                encoding,
                "{format}"
            );
            let wire = res.bytes().await.unwrap();
            assert!(
                wire.len() < identity.len() / 2,
                "{format} {encoding}: compressed on the wire"
            );
        }
        if format == "csv" {
            let mut reader = csv::Reader::from_reader(&identity[..]);
            let headers = reader.headers().unwrap().clone();
            let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
            let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(records.len(), 2_345, "every row once");
            let ids: std::collections::BTreeSet<&str> =
                records.iter().map(|r| &r[col("id")]).collect();
            assert_eq!(ids.len(), 2_345, "no row twice across pages");
            for r in &records {
                let sentiment = &r[col("sentiment")];
                assert!(
                    sentiment == "-0.8400" || sentiment == "0.5000",
                    "a number: {sentiment}"
                );
                let message = &r[col("message")];
                assert!(
                    !message.starts_with(['=', '-', '+', '@']),
                    "defused: {message}"
                );
            }
        } else {
            let rows: serde_json::Value = serde_json::from_slice(&identity).unwrap();
            assert_eq!(rows.as_array().unwrap().len(), 2_345);
            assert!(
                rows.as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["sentiment"] == -0.84)
            );
        }
    }
}

#[tokio::test]
async fn a_stalled_export_download_holds_no_database_transaction() {
    let app = spawn_app().await;
    // About 19 MB of CSV that does not compress much: far more than the
    // channel and the socket buffers hold.
    insert_rows(&app.db, 25_000, true).await;
    let token = server::admin_cmd::create_token(&app.db, "export")
        .await
        .unwrap();
    let mut res = browser_client()
        .get(format!(
            "{}/api/admin/feedback/export?format=csv",
            app.address
        ))
        .bearer_auth(&token)
        .header(header::ACCEPT_ENCODING, "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let first = res.chunk().await.unwrap().expect("the download starts");
    let mut lines = first.iter().filter(|b| **b == b'\n').count();
    // The client stops reading; the export fills its buffers and waits.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // Writes go on, and a checkpoint can move the whole WAL back into the
    // database: no reader holds an old snapshot.
    sqlx::query("UPDATE feedback SET status = 'done' WHERE rowid % 10 = 0")
        .execute(&app.db)
        .await
        .unwrap();
    let (busy, _log, _moved): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(busy, 0, "a stalled export keeps a read transaction open");
    let wal = std::fs::metadata(app.db_path.with_extension("db-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert_eq!(wal, 0, "the WAL was truncated");

    // The download, resumed, is complete.
    while let Some(chunk) = res.chunk().await.unwrap() {
        lines += chunk.iter().filter(|b| **b == b'\n').count();
    }
    assert_eq!(lines, 25_001, "a header and every row");
}
