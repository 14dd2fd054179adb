//! Storing events: one writer task that groups concurrent batches into one
//! transaction, rollups kept in that same transaction, and the retention job.
//!
//! A handler hands its validated events to the writer and waits for the
//! commit: `202` means the events are on disk. Grouping is what makes that
//! fast: under load, the batches that arrive while one transaction commits
//! share the next one, so the fsync is paid once per group, not per request.

use std::{collections::HashMap, sync::Arc, time::Duration};

use contract::events::{Event, EventKind};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::metrics::Metrics;

/// Most batches grouped into one transaction.
pub const MAX_JOBS_PER_COMMIT: usize = 64;
/// Events per multi-row INSERT statement (9 parameters each).
const ROWS_PER_STATEMENT: usize = 100;

/// What the writer did with one batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Per event (same order): stored now (`true`) or already stored (`false`).
    pub inserted: Vec<bool>,
}

struct Job {
    visitor: String,
    received_ms: i64,
    events: Vec<Event>,
    reply: oneshot::Sender<Result<Written, String>>,
}

/// The handle handlers use; cheap to clone.
#[derive(Clone)]
pub struct EventWriter {
    tx: mpsc::Sender<Job>,
}

/// What the writer needs to know of the experiments: their goals.
pub type Goals = Arc<crate::experiments::Catalog>;

impl EventWriter {
    /// Starts the writer task on `pool`.
    pub fn start(pool: SqlitePool, metrics: Arc<Metrics>, goals: Goals) -> Self {
        let (tx, rx) = mpsc::channel::<Job>(1024);
        tokio::spawn(run(pool, rx, metrics, goals));
        Self { tx }
    }

    /// Stores `events` of `visitor` and returns once they are committed.
    pub async fn write(
        &self,
        visitor: &str,
        received_ms: i64,
        events: Vec<Event>,
    ) -> Result<Written, String> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Job {
                visitor: visitor.to_string(),
                received_ms,
                events,
                reply,
            })
            .await
            .map_err(|_| "the event writer has stopped".to_string())?;
        answer
            .await
            .map_err(|_| "the event writer dropped the batch".to_string())?
    }
}

async fn run(pool: SqlitePool, mut rx: mpsc::Receiver<Job>, metrics: Arc<Metrics>, goals: Goals) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_JOBS_PER_COMMIT {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let span_events: usize = jobs.iter().map(|j| j.events.len()).sum();
        match metrics
            .time_query("events_write", write_group(&pool, &jobs, &goals))
            .await
        {
            Ok(results) => {
                for (job, written) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(Ok(written));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, batches = jobs.len(), events = span_events, "event write failed");
                for job in jobs {
                    let _ = job.reply.send(Err(e.to_string()));
                }
            }
        }
    }
}

/// The steps of the engagement funnel after the visit itself (`_visitors`):
/// counted once per visitor and day in the `_funnel` rollup.
pub const FUNNEL_STEPS: [&str; 3] = ["score_computed", "rating_submitted", "feedback_submitted"];

/// `YYYY-MM-DD` (UTC) of a time in milliseconds since the epoch.
pub fn utc_day(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since the epoch of `YYYY-MM-DD` (Howard Hinnant's days_from_civil).
pub fn day_number(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: i64 = s[5..7].parse().ok()?;
    let d: i64 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let n = era * 146_097 + doe - 719_468;
    // Reject dates such as 2026-02-31 by formatting back.
    (utc_day(n * 86_400_000) == s).then_some(n)
}

async fn write_group(
    pool: &SqlitePool,
    jobs: &[Job],
    goals: &crate::experiments::Catalog,
) -> Result<Vec<Written>, sqlx::Error> {
    // BEGIN IMMEDIATE: see `db::begin_write`. Any error below drops `tx`
    // (rolled back; a connection SQLite leaves inside a transaction is retired
    // by the pool), and every batch of the group is answered 500.
    let mut tx = crate::db::begin_write(pool).await?;
    let mut results = Vec::with_capacity(jobs.len());
    let mut rollups: HashMap<(String, &'static str, String, String), i64> = HashMap::new();
    let mut visitor_days: Vec<(String, &str)> = Vec::new();
    // Funnel steps reached (visitor-days) and visible time per visitor, day and page.
    let mut steps: Vec<(String, &'static str, &str)> = Vec::new();
    let mut page_time: HashMap<(String, &str, &str), i64> = HashMap::new();

    for job in jobs {
        let mut inserted = vec![false; job.events.len()];
        for (chunk_no, chunk) in job.events.chunks(ROWS_PER_STATEMENT).enumerate() {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO events (id, kind, visitor_id, session_id, page, ts, received_at, variants, props) ",
            );
            q.push_values(chunk, |mut row, e| {
                row.push_bind(&e.id)
                    .push_bind(e.kind.as_str())
                    .push_bind(&job.visitor)
                    .push_bind(&e.session)
                    .push_bind(&e.page)
                    .push_bind(e.ts)
                    .push_bind(job.received_ms)
                    .push_bind(serde_json::to_string(&e.variants).expect("strings serialise"))
                    .push_bind(serde_json::to_string(&e.props).expect("props serialise"));
            });
            q.push(" ON CONFLICT (id) DO NOTHING RETURNING id");
            let stored: Vec<String> = q.build_query_scalar().fetch_all(&mut *tx).await?;
            // The first event carrying each stored id is the one that was new.
            let mut stored: Vec<&str> = stored.iter().map(String::as_str).collect();
            for (i, e) in chunk.iter().enumerate() {
                if let Some(pos) = stored.iter().position(|s| *s == e.id) {
                    stored.swap_remove(pos);
                    inserted[chunk_no * ROWS_PER_STATEMENT + i] = true;
                }
            }
        }
        for (e, new) in job.events.iter().zip(&inserted) {
            if !new {
                continue;
            }
            let day = utc_day(e.ts);
            *rollups
                .entry((day.clone(), e.kind.as_str(), String::new(), String::new()))
                .or_default() += 1;
            for (exp, variant) in &e.variants {
                *rollups
                    .entry((day.clone(), e.kind.as_str(), exp.clone(), variant.clone()))
                    .or_default() += 1;
            }
            if !visitor_days
                .iter()
                .any(|(d, v)| *d == day && *v == job.visitor)
            {
                visitor_days.push((day.clone(), job.visitor.as_str()));
            }
            if FUNNEL_STEPS.contains(&e.kind.as_str())
                && !steps
                    .iter()
                    .any(|(d, k, v)| *d == day && *k == e.kind.as_str() && *v == job.visitor)
            {
                steps.push((day.clone(), e.kind.as_str(), job.visitor.as_str()));
            }
            if e.kind == EventKind::PageTime
                && let Some(ms) = e.int("visible_ms")
            {
                *page_time
                    .entry((day.clone(), e.page.as_str(), job.visitor.as_str()))
                    .or_default() += ms;
            }
            if e.kind == EventKind::Exposure
                && let (Some(exp), Some(variant)) = (e.word("experiment"), e.word("variant"))
            {
                let first = sqlx::query(
                    "INSERT INTO exposures (experiment, visitor_id, variant, first_at)
                     VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                )
                .bind(exp)
                .bind(&job.visitor)
                .bind(variant)
                .bind(e.ts)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if first {
                    sqlx::query(
                        "INSERT INTO exposure_rollups (experiment, variant, day, visitors) VALUES (?, ?, ?, 1)
                         ON CONFLICT (experiment, variant, day) DO UPDATE SET visitors = visitors + 1",
                    )
                    .bind(exp)
                    .bind(variant)
                    .bind(&day)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        results.push(Written { inserted });
    }

    // Conversions, after every exposure of the group is stored: a new event
    // meeting a goal of an experiment its visitor was exposed to before it.
    for (job, written) in jobs.iter().zip(&results) {
        for (e, new) in job.events.iter().zip(&written.inserted) {
            if !new {
                continue;
            }
            for (experiment, goal) in goals.goals_met(e) {
                sqlx::query(
                    "INSERT INTO conversions (experiment, goal, visitor_id, variant, first_at)
                     SELECT experiment, ?, visitor_id, variant, ? FROM exposures
                     WHERE experiment = ? AND visitor_id = ? AND first_at <= ?
                     ON CONFLICT (experiment, goal, visitor_id)
                     DO UPDATE SET first_at = min(first_at, excluded.first_at)",
                )
                .bind(goal)
                .bind(e.ts)
                .bind(experiment)
                .bind(&job.visitor)
                .bind(e.ts)
                .execute(&mut *tx)
                .await?;
            }
        }
    }

    for (day, visitor) in &visitor_days {
        let new = sqlx::query(
            "INSERT INTO daily_visitors (day, visitor_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(day)
        .bind(visitor)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if new == 1 {
            *rollups
                .entry((day.clone(), "_visitors", String::new(), String::new()))
                .or_default() += 1;
        }
    }
    for (day, step, visitor) in &steps {
        let new = sqlx::query(
            "INSERT INTO daily_visitor_steps (day, step, visitor_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(day)
        .bind(*step)
        .bind(*visitor)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if new == 1 {
            *rollups
                .entry((day.clone(), "_funnel", String::new(), step.to_string()))
                .or_default() += 1;
        }
    }
    for ((day, page, visitor), ms) in &page_time {
        sqlx::query(
            "INSERT INTO daily_page_time (day, page, visitor_id, visible_ms) VALUES (?, ?, ?, ?)
             ON CONFLICT (day, page, visitor_id) DO UPDATE SET visible_ms = visible_ms + excluded.visible_ms",
        )
        .bind(day)
        .bind(*page)
        .bind(*visitor)
        .bind(ms)
        .execute(&mut *tx)
        .await?;
    }
    for ((day, kind, exp, variant), n) in &rollups {
        sqlx::query(
            "INSERT INTO event_rollups (day, kind, experiment, variant, events) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (day, kind, experiment, variant) DO UPDATE SET events = events + excluded.events",
        )
        .bind(day)
        .bind(*kind)
        .bind(exp)
        .bind(variant)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(results)
}

/// Deletes raw events received more than `days` days before `now_ms` (and the
/// per-day visitor lists of those days), in chunks so writers are never held
/// up for long. Returns how many events were deleted. Rollups are kept.
pub async fn enforce_retention(
    pool: &SqlitePool,
    now_ms: i64,
    days: u32,
) -> Result<u64, sqlx::Error> {
    let cutoff = now_ms - i64::from(days) * 86_400_000;
    let mut deleted = 0;
    loop {
        let n = sqlx::query(
            "DELETE FROM events WHERE rowid IN
               (SELECT rowid FROM events WHERE received_at < ? LIMIT 5000)",
        )
        .bind(cutoff)
        .execute(pool)
        .await?
        .rows_affected();
        deleted += n;
        if n < 5000 {
            break;
        }
        tokio::task::yield_now().await;
    }
    for table in ["daily_visitors", "daily_visitor_steps", "daily_page_time"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE day < ?"
        )))
        .bind(utc_day(cutoff))
        .execute(pool)
        .await?;
    }
    Ok(deleted)
}

/// Runs `enforce_retention` a minute after start, then every hour.
pub fn spawn_retention(pool: SqlitePool, days: u32, metrics: Arc<Metrics>) {
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        loop {
            match metrics
                .time_query("retention_delete", enforce_retention(&pool, now_ms(), days))
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, days, "old events deleted"),
                Err(e) => tracing::warn!(error = %e, "event retention failed"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_and_reject_impossible_dates() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-11-23"), Some(20_780));
        assert_eq!(
            day_number("2024-02-29").map(|n| utc_day(n * 86_400_000)),
            Some("2024-02-29".into())
        );
        assert_eq!(day_number("2026-02-31"), None);
        assert_eq!(day_number("2026-13-01"), None);
        assert_eq!(day_number("yesterday"), None);
    }

    #[test]
    fn utc_days_are_civil_dates() {
        assert_eq!(utc_day(0), "1970-01-01");
        assert_eq!(utc_day(86_399_999), "1970-01-01");
        assert_eq!(utc_day(86_400_000), "1970-01-02");
        assert_eq!(utc_day(951_782_400_000), "2000-02-29");
        assert_eq!(utc_day(1_795_392_000_000), "2026-11-23");
        assert_eq!(utc_day(-1), "1969-12-31");
    }
}
