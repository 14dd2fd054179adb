//! Storing ratings and messages (`POST /api/feedback`, see `routes::feedback`).

use contract::feedback::{Body, Feedback};
use sqlx::SqlitePool;

use crate::visitor::VisitorId;

/// What storing a submission did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A new row.
    Created,
    /// A rating already stored under this id was replaced by a higher revision.
    Updated,
    /// Nothing: this id is stored with the same or a higher revision (a retry,
    /// or an older change arriving late), or it names another visitor's row.
    Duplicate,
}

/// The rating that counts in the experiment analysis for one visitor and
/// question: their latest rating row (by `created_at`, then `rowid`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Counted {
    id: String,
    rating: i64,
    variants: String,
}

/// Stores the submission and returns once it is committed (`synchronous=FULL`
/// puts the commit on disk).
///
/// - A new `id` inserts a row.
/// - A rating's `id` that is stored, from the same visitor and for the same
///   question, with a higher `revision`: the row's stars, comment and context
///   are replaced (one rating, however often it is changed or commented).
/// - Anything else with a stored `id` changes nothing (`Duplicate`).
///
/// `rating_rollups` counts each visitor's rating once per question: the latest
/// rating row of the (visitor, question), under the variants it carries. The
/// rollup is moved from the rating that counted before to the one that counts
/// after, in the same transaction as the row. Any error returns `Err` and
/// nothing of the submission is stored.
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
    let sentiment = message.and_then(crate::admin::sentiment::compound);
    // BEGIN IMMEDIATE (`db::begin_write`): waits its turn behind the events
    // writer instead of failing with "database is locked", and only a real
    // COMMIT returns Ok. The write comes first, so the transaction holds the
    // write lock before it reads.
    let mut tx = crate::db::begin_write(db).await?;
    let inserted = sqlx::query(
        "INSERT INTO feedback (id, kind, question, rating, category, message, email, consent,
                               visitor_id, variants, algorithm, score, page, ua_class, sentiment,
                               revision)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    .bind(&variants)
    .bind(feedback.context.algorithm.as_deref())
    .bind(feedback.context.score.map(i64::from))
    .bind(&feedback.context.page)
    .bind(ua_class)
    .bind(sentiment)
    .bind(i64::from(feedback.revision))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let Some(question) = question else {
        tx.commit().await?;
        return Ok(if inserted {
            Stored::Created
        } else {
            Stored::Duplicate
        });
    };

    let (stored, before) = if inserted {
        let before = counted(&mut tx, visitor, question, Some(&feedback.id)).await?;
        (Stored::Created, before)
    } else {
        let before = counted(&mut tx, visitor, question, None).await?;
        // A newer revision of this visitor's rating replaces it; nothing else does.
        let updated = sqlx::query(
            "UPDATE feedback SET rating = ?, message = ?, sentiment = ?, variants = ?,
                    algorithm = ?, score = ?, page = ?, ua_class = ?, revision = ?
             WHERE id = ? AND kind = 'rating' AND visitor_id = ? AND question = ?
               AND revision < ?",
        )
        .bind(rating)
        .bind(message)
        .bind(sentiment)
        .bind(&variants)
        .bind(feedback.context.algorithm.as_deref())
        .bind(feedback.context.score.map(i64::from))
        .bind(&feedback.context.page)
        .bind(ua_class)
        .bind(i64::from(feedback.revision))
        .bind(&feedback.id)
        .bind(visitor.as_str())
        .bind(question)
        .bind(i64::from(feedback.revision))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            tx.commit().await?;
            return Ok(Stored::Duplicate);
        }
        (Stored::Updated, before)
    };
    let after = counted(&mut tx, visitor, question, None).await?;
    if before != after {
        if let Some(b) = &before {
            add_to_rollup(&mut tx, question, b, -1).await?;
        }
        if let Some(a) = &after {
            add_to_rollup(&mut tx, question, a, 1).await?;
        }
    }
    tx.commit().await?;
    Ok(stored)
}

/// The visitor's latest rating row for `question` (leaving out `except`).
async fn counted(
    tx: &mut sqlx::SqliteConnection,
    visitor: &VisitorId,
    question: &str,
    except: Option<&str>,
) -> Result<Option<Counted>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, rating, variants FROM feedback
         WHERE visitor_id = ? AND question = ? AND kind = 'rating' AND id IS NOT ?
         ORDER BY created_at DESC, rowid DESC LIMIT 1",
    )
    .bind(visitor.as_str())
    .bind(question)
    .bind(except)
    .fetch_optional(&mut *tx)
    .await
}

/// Adds (`sign` 1) or removes (`sign` -1) one rating under each variant it
/// carries. The same `json_each` as the migration that built the rollup.
async fn add_to_rollup(
    tx: &mut sqlx::SqliteConnection,
    question: &str,
    r: &Counted,
    sign: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rating_rollups (experiment, variant, question, ratings, sum, sum_squares)
         SELECT key, value, ?, ?, ?, ? FROM json_each(?) WHERE true
         ON CONFLICT (experiment, variant, question) DO UPDATE SET
           ratings = ratings + excluded.ratings, sum = sum + excluded.sum,
           sum_squares = sum_squares + excluded.sum_squares",
    )
    .bind(question)
    .bind(sign)
    .bind(sign * r.rating)
    .bind(sign * r.rating * r.rating)
    .bind(&r.variants)
    .execute(&mut *tx)
    .await?;
    Ok(())
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
