//! `ats-scorer admin …`, run as the real binary on a fresh database.

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

fn admin(db: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ats-scorer"))
        .arg("admin")
        .args(args)
        .env("DATABASE_URL", db)
        .env("LOG_LEVEL", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn creates_lists_and_revokes_admins_and_tokens_storing_only_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("admin.db");
    let db = format!("sqlite://{}", path.display());

    let out = admin(
        &db,
        &["create-user", "--email", "ana@example.com"],
        "a long passphrase 42\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    let again = admin(
        &db,
        &["create-user", "--email", "ANA@example.com"],
        "another passphrase 1\n",
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));
    let short = admin(
        &db,
        &["create-user", "--email", "bo@example.com"],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(
        text(&short).contains("at least 12 characters"),
        "{}",
        text(&short)
    );

    let out = admin(&db, &["create-token", "--name", "ci-export"], "");
    assert!(out.status.success(), "{}", text(&out));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("ats_") && token.len() == 68, "{token}");

    let list = text(&admin(&db, &["list"], ""));
    assert!(list.contains("user  ana@example.com"), "{list}");
    assert!(list.contains("token ci-export"), "{list}");
    assert!(!list.contains(&token) && !list.contains("passphrase"));

    // Only hashes are stored.
    let pool = server::db::connect(&db).await.unwrap();
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM admin_users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"));
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM admin_tokens")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, server::admin_cmd::hash_token(&token));
    pool.close().await;
    let raw = std::fs::read(&path).unwrap();
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"a long passphrase 42") && !has(token.as_bytes()));

    let out = admin(&db, &["revoke", "--token", "ci-export"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&admin(&db, &["list"], "")).contains("revoked"));
    let out = admin(&db, &["revoke", "--token", "ci-export"], "");
    assert!(!out.status.success(), "revoking twice is an error");
    let out = admin(&db, &["revoke", "--email", "ana@example.com"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&admin(&db, &["list"], "")).contains("disabled"));
}
