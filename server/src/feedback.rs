//! Storing ratings and messages (`POST /api/feedback`, see `routes::feedback`).

use std::sync::Arc;

use contract::feedback::{Body, Feedback};
use sqlx::SqlitePool;

use crate::{
    ratelimit::{AddressHasher, Rate, RateLimiter},
    visitor::VisitorId,
};

/// Whether a submission made a new row or repeated one already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Created,
    Duplicate,
}

/// Inserts the submission unless its id is already stored. Returns once the
/// row and its rating rollups are committed (`synchronous=FULL` puts them on
/// disk); any error returns `Err` and nothing of it is stored.
pub async fn store(
    db: &SqlitePool,
    feedback: &Feedback,
    visitor: &VisitorId,
    ua_class: &str,
) -> Result<Stored, sqlx::Error> {
    let (question, rating, category, message, email) = match &feedback.body {
        Body::Rating {
            question,
            rating,
            comment,
        } => (
            Some(question.as_str()),
            Some(i64::from(*rating)),
            None,
            comment.as_deref(),
            None,
        ),
        Body::Message {
            category,
            message,
            email,
            ..
        } => (
            None,
            None,
            Some(category.as_str()),
            Some(message.as_str()),
            email.as_deref(),
        ),
    };
    let variants =
        serde_json::to_string(&feedback.context.variants).expect("a map of strings serialises");
    // BEGIN IMMEDIATE (`db::begin_write`): waits its turn behind the events
    // writer instead of failing with "database is locked", and only a real
    // COMMIT returns Ok.
    let mut tx = crate::db::begin_write(db).await?;
    let result = sqlx::query(
        "INSERT INTO feedback (id, kind, question, rating, category, message, email, consent,
                               visitor_id, variants, algorithm, score, page, ua_class, sentiment)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&feedback.id)
    .bind(feedback.kind().as_str())
    .bind(question)
    .bind(rating)
    .bind(category)
    .bind(message)
    .bind(email)
    .bind(email.is_some())
    .bind(visitor.as_str())
    .bind(variants)
    .bind(feedback.context.algorithm.as_deref())
    .bind(feedback.context.score.map(i64::from))
    .bind(&feedback.context.page)
    .bind(ua_class)
    .bind(message.and_then(crate::admin::sentiment::compound))
    .execute(&mut *tx)
    .await?;
    // The experiment analysis reads ratings per variant from this rollup.
    if let (1, Some(q), Some(r)) = (result.rows_affected(), question, rating) {
        for (experiment, variant) in &feedback.context.variants {
            sqlx::query(
                "INSERT INTO rating_rollups (experiment, variant, question, ratings, sum, sum_squares)
                 VALUES (?, ?, ?, 1, ?, ?)
                 ON CONFLICT (experiment, variant, question) DO UPDATE SET
                   ratings = ratings + 1, sum = sum + excluded.sum, sum_squares = sum_squares + excluded.sum_squares",
            )
            .bind(experiment)
            .bind(variant)
            .bind(q)
            .bind(r)
            .bind(r * r)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(if result.rows_affected() == 1 {
        Stored::Created
    } else {
        Stored::Duplicate
    })
}

/// Scores the sentiment of messages stored before it was computed on insert
/// (rows from before the migration that added the column). Runs at start.
pub async fn backfill_sentiment(db: &SqlitePool) -> Result<u64, sqlx::Error> {
    let mut done = 0;
    loop {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, message FROM feedback
             WHERE sentiment IS NULL AND message IS NOT NULL AND trim(message) <> '' LIMIT 500",
        )
        .fetch_all(db)
        .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        let mut tx = crate::db::begin_write(db).await?;
        for (id, message) in &rows {
            // A message the scorer cannot score gets 0 (neutral) so it is not retried forever.
            let score = crate::admin::sentiment::compound(message).unwrap_or(0.0);
            sqlx::query("UPDATE feedback SET sentiment = ? WHERE id = ?")
                .bind(score)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        done += rows.len() as u64;
    }
}

/// Flood protection for the endpoint: one bucket per visitor, a roomier one per
/// (hashed) address since several people can share one.
pub struct FeedbackGuard {
    pub per_visitor: RateLimiter,
    pub per_address: RateLimiter,
    pub addresses: AddressHasher,
}

/// How many visitors' worth of submissions one address may send.
pub const ADDRESS_FACTOR: u32 = 3;

impl FeedbackGuard {
    pub fn new(rate: Rate) -> Arc<Self> {
        Arc::new(Self {
            per_visitor: RateLimiter::new(rate),
            per_address: RateLimiter::new(Rate {
                burst: rate.burst.saturating_mul(ADDRESS_FACTOR),
                per_minute: rate.per_minute.saturating_mul(ADDRESS_FACTOR),
            }),
            addresses: AddressHasher::default(),
        })
    }
}
