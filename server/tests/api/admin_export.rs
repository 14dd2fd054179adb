//! Exporting 100,000 feedback rows streams them: the real binary's peak memory
//! grows by far less than the size of the download.

use crate::helpers::start_binary_with;

const ROWS: i64 = 100_000;
/// Peak resident memory the export may add. The download is about 70 MB, so a
/// server that gathered it (or its rows) in memory first would exceed this.
const MAX_GROWTH_KB: u64 = 24 * 1024;

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

    let client = reqwest::Client::new();
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

    let mut res = client
        .get(url("format=csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (mut bytes, mut lines, mut last) = (0usize, 0usize, Vec::new());
    while let Some(chunk) = res.chunk().await.unwrap() {
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        last = chunk.to_vec();
    }
    let after = peak_rss_kb(bin.child.id());
    let _ = bin.child.kill();

    assert_eq!(lines, ROWS as usize + 1, "a header and every row");
    assert!(bytes > 60_000_000, "the download is {bytes} bytes");
    let tail = String::from_utf8_lossy(&last);
    assert!(
        tail.contains("00000000-0000-4000-8000-000000099999"),
        "the oldest row comes last"
    );
    let growth = after.saturating_sub(before);
    eprintln!("export of {bytes} bytes: peak RSS {before} → {after} kB (+{growth} kB)");
    assert!(
        growth < MAX_GROWTH_KB,
        "peak memory grew by {growth} kB ({before} → {after} kB) for a {bytes}-byte export"
    );
}
