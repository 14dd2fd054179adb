//! `ats-scorer admin …`: accounts for the product team's area, managed from the
//! command line. Passwords are stored as argon2id hashes, API tokens as SHA-256
//! hashes; a token is printed once, when it is made.

use anyhow::{Context, bail};
use argon2::{Argon2, PasswordHasher, password_hash::SaltString};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Hashes `password` with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    // 16 random bytes from the OS (uuid's v4 generator reads getrandom).
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot make a salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

/// The stored form of an API token.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new API token: `ats_` and 64 hexadecimal digits (256 random bits).
pub fn new_token() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    format!("ats_{a}{b}")
}

fn check_password(password: &str) -> anyhow::Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        bail!("the password must have at least {MIN_PASSWORD_CHARS} characters");
    }
    Ok(())
}

pub async fn create_user(pool: &SqlitePool, email: &str, password: &str) -> anyhow::Result<()> {
    // The shared text rule first (bidi controls refused, invisible ends trimmed).
    let email = contract::text::clean_text(email)
        .map_err(|problem| anyhow::anyhow!("the email {problem}"))?;
    let email = email.as_str();
    if !contract::text::is_email(email) {
        bail!("{email:?} is not an email address");
    }
    check_password(password)?;
    let hash = hash_password(password)?;
    let result = sqlx::query("INSERT INTO admin_users (email, password_hash) VALUES (?, ?)")
        .bind(email)
        .bind(hash)
        .execute(pool)
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            bail!("an admin with the email {email} already exists")
        }
        Err(e) => Err(e).context("cannot store the admin"),
    }
}

/// Makes a token named `name` and returns it (the only time it is visible).
pub async fn create_token(pool: &SqlitePool, name: &str) -> anyhow::Result<String> {
    let name = name.trim();
    if !contract::text::is_slug(name) {
        bail!("a token name is 1–64 characters of a-z, 0-9, '.', '_', '-'");
    }
    let token = new_token();
    let result = sqlx::query("INSERT INTO admin_tokens (name, token_hash) VALUES (?, ?)")
        .bind(name)
        .bind(hash_token(&token))
        .execute(pool)
        .await;
    match result {
        Ok(_) => Ok(token),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            bail!("a token named {name} already exists")
        }
        Err(e) => Err(e).context("cannot store the token"),
    }
}

/// One line per account and token, without any secret.
pub async fn list(pool: &SqlitePool) -> anyhow::Result<Vec<String>> {
    let users: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT email, created_at, disabled_at FROM admin_users ORDER BY email")
            .fetch_all(pool)
            .await?;
    let tokens: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT name, created_at, last_used_at, revoked_at FROM admin_tokens ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for (email, created, disabled) in users {
        let state = disabled.map_or("active".to_string(), |d| format!("disabled {d}"));
        out.push(format!("user  {email}  created {created}  {state}"));
    }
    for (name, created, used, revoked) in tokens {
        let state = revoked.map_or("active".to_string(), |r| format!("revoked {r}"));
        let used = used.map_or("never used".to_string(), |u| format!("last used {u}"));
        out.push(format!("token {name}  created {created}  {used}  {state}"));
    }
    Ok(out)
}

/// Replaces a user's password and ends every session they have.
pub async fn set_password(pool: &SqlitePool, email: &str, password: &str) -> anyhow::Result<()> {
    check_password(password)?;
    let hash = hash_password(password)?;
    let mut tx = crate::db::begin_write(pool).await?;
    let id: Option<i64> =
        sqlx::query_scalar("UPDATE admin_users SET password_hash = ? WHERE email = ? RETURNING id")
            .bind(hash)
            .bind(email.trim())
            .fetch_optional(&mut *tx)
            .await?;
    let Some(id) = id else {
        bail!("no admin with the email {email}");
    };
    sqlx::query("DELETE FROM admin_sessions WHERE user_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Disables a user (by email) or revokes a token (by name).
pub async fn revoke(
    pool: &SqlitePool,
    email: Option<&str>,
    token: Option<&str>,
) -> anyhow::Result<()> {
    let (sql, what) = match (email, token) {
        (Some(e), None) => (
            "UPDATE admin_users SET disabled_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE email = ? AND disabled_at IS NULL",
            e,
        ),
        (None, Some(t)) => (
            "UPDATE admin_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE name = ? AND revoked_at IS NULL",
            t,
        ),
        _ => bail!("name either --email or --token"),
    };
    let n = sqlx::query(sql)
        .bind(what)
        .execute(pool)
        .await?
        .rows_affected();
    if n == 0 {
        bail!("no active account or token {what:?}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{PasswordHash, PasswordVerifier};

    #[test]
    fn passwords_are_argon2id_with_a_salt() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        let parsed = PasswordHash::new(&a).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"wrong", &parsed)
                .is_err()
        );
    }

    #[test]
    fn tokens_are_long_random_and_stored_as_sha256() {
        let t = new_token();
        assert_eq!(t.len(), 4 + 64);
        assert_ne!(t, new_token());
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
