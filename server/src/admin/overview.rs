//! `/admin`: the engagement overview for a date range, from the rollups
//! (`event_rollups`, `daily_page_time`) and the feedback table — never the raw
//! events, so it stays fast with millions of them.

use std::collections::{BTreeMap, HashMap};

use axum::{
    Extension, Json,
    extract::{RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use contract::FieldErrors;
use leptos::prelude::*;
use serde::Serialize;

use super::{
    auth::{Principal, form_urlencoded_pairs},
    charts::{self, Series},
    html::{self, Section},
    stats::Summary,
};
use crate::{
    error::ApiError,
    events::{day_number, now_ms, utc_day},
    startup::AppState,
};

pub const DEFAULT_DAYS: i64 = 30;
pub const MAX_DAYS: i64 = 366;

/// A validated date range (inclusive), at most a year.
#[derive(Debug, Clone, Serialize)]
pub struct Range {
    pub from: String,
    pub to: String,
    #[serde(skip)]
    pub days: Vec<String>,
}

impl Range {
    pub fn parse(query: &str) -> Result<Self, BTreeMap<String, String>> {
        let today = now_ms().div_euclid(86_400_000);
        let mut from = None;
        let mut to = None;
        let mut errors = BTreeMap::new();
        for (k, v) in form_urlencoded_pairs(query.as_bytes()) {
            if v.is_empty() || (k != "from" && k != "to") {
                continue;
            }
            match day_number(&v) {
                Some(n) if k == "from" => from = Some(n),
                Some(n) => to = Some(n),
                None => {
                    errors.insert(k, "must be a date as YYYY-MM-DD".to_string());
                }
            }
        }
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - (DEFAULT_DAYS - 1));
        if from > to {
            errors.insert("from".into(), "must not be after to".into());
        } else if to - from >= MAX_DAYS {
            errors.insert(
                "from".into(),
                format!("the range may span at most {MAX_DAYS} days"),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let days = (from..=to).map(|d| utc_day(d * 86_400_000)).collect();
        Ok(Range {
            from: utc_day(from * 86_400_000),
            to: utc_day(to * 86_400_000),
            days,
        })
    }
}

#[derive(Debug, Serialize)]
pub struct Daily {
    pub day: String,
    pub visitors: i64,
    pub scores: i64,
    pub ratings: i64,
    pub feedback: i64,
}

#[derive(Debug, Serialize)]
pub struct FunnelStep {
    pub step: &'static str,
    pub visitor_days: i64,
    /// Share of the first step.
    pub of_visits: f64,
}

#[derive(Debug, Serialize)]
pub struct PageTime {
    pub page: String,
    pub visitor_days: i64,
    pub median_seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct RatingMean {
    pub question: String,
    pub ratings: i64,
    pub mean: f64,
    pub ci: Option<(f64, f64)>,
}

#[derive(Debug, Serialize)]
pub struct Overview {
    pub range: Range,
    pub daily: Vec<Daily>,
    pub funnel: Vec<FunnelStep>,
    pub page_time: Vec<PageTime>,
    pub ratings: Vec<RatingMean>,
}

pub async fn load(state: &AppState, range: Range) -> Result<Overview, ApiError> {
    let rollups: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT day, kind, variant, events FROM event_rollups
         WHERE experiment = '' AND day BETWEEN ? AND ?
           AND kind IN ('_visitors', 'score_computed', '_funnel')",
    )
    .bind(&range.from)
    .bind(&range.to)
    .fetch_all(&state.db)
    .await?;
    let fb: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT substr(created_at, 1, 10) AS day, kind, COUNT(*) FROM feedback
         WHERE created_at >= ? AND created_at < date(?, '+1 day')
         GROUP BY day, kind",
    )
    .bind(&range.from)
    .bind(&range.to)
    .fetch_all(&state.db)
    .await?;

    let index: HashMap<&str, usize> = range
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect();
    let mut daily: Vec<Daily> = range
        .days
        .iter()
        .map(|d| Daily {
            day: d.clone(),
            visitors: 0,
            scores: 0,
            ratings: 0,
            feedback: 0,
        })
        .collect();
    let mut funnel: HashMap<String, i64> = HashMap::new();
    for (day, kind, variant, n) in &rollups {
        let Some(&i) = index.get(day.as_str()) else {
            continue;
        };
        match kind.as_str() {
            "_visitors" => {
                daily[i].visitors += n;
                *funnel.entry("visit".into()).or_default() += n;
            }
            "score_computed" if variant.is_empty() => daily[i].scores += n,
            "_funnel" => *funnel.entry(variant.clone()).or_default() += n,
            _ => {}
        }
    }
    for (day, kind, n) in &fb {
        let Some(&i) = index.get(day.as_str()) else {
            continue;
        };
        if kind == "rating" {
            daily[i].ratings += n;
        } else {
            daily[i].feedback += n;
        }
    }
    let visits = funnel.get("visit").copied().unwrap_or(0);
    let funnel = [
        ("visit", "visit"),
        ("score", "score_computed"),
        ("rating", "rating_submitted"),
        ("feedback", "feedback_submitted"),
    ]
    .into_iter()
    .map(|(step, key)| {
        let n = funnel.get(key).copied().unwrap_or(0);
        FunnelStep {
            step,
            visitor_days: n,
            of_visits: if visits > 0 {
                n as f64 / visits as f64
            } else {
                0.0
            },
        }
    })
    .collect();

    let pages: Vec<(String, i64)> = sqlx::query_as(
        "SELECT page, COUNT(*) FROM daily_page_time WHERE day BETWEEN ? AND ?
         GROUP BY page ORDER BY COUNT(*) DESC LIMIT 20",
    )
    .bind(&range.from)
    .bind(&range.to)
    .fetch_all(&state.db)
    .await?;
    let mut page_time = Vec::new();
    for (page, n) in pages {
        // Median: the middle value (the lower middle for an even count).
        let median: i64 = sqlx::query_scalar(
            "SELECT visible_ms FROM daily_page_time WHERE page = ? AND day BETWEEN ? AND ?
             ORDER BY visible_ms LIMIT 1 OFFSET ?",
        )
        .bind(&page)
        .bind(&range.from)
        .bind(&range.to)
        .bind((n - 1) / 2)
        .fetch_one(&state.db)
        .await?;
        page_time.push(PageTime {
            page,
            visitor_days: n,
            median_seconds: median as f64 / 1000.0,
        });
    }

    let ratings: Vec<(String, i64, f64, f64)> = sqlx::query_as(
        "SELECT question, COUNT(*), CAST(SUM(rating) AS REAL), CAST(SUM(rating * rating) AS REAL) FROM feedback
         WHERE kind = 'rating' AND created_at >= ? AND created_at < date(?, '+1 day')
         GROUP BY question ORDER BY question",
    )
    .bind(&range.from)
    .bind(&range.to)
    .fetch_all(&state.db)
    .await?;
    let ratings = ratings
        .into_iter()
        .map(|(question, n, sum, ss)| {
            let s = Summary::mean(n as u64, sum, ss);
            RatingMean {
                question,
                ratings: n,
                mean: s.mean,
                ci: s.interval(0.05, 1.0, 5.0),
            }
        })
        .collect();
    Ok(Overview {
        range,
        daily,
        funnel,
        page_time,
        ratings,
    })
}

fn range_or_422(query: Option<String>) -> Result<Range, ApiError> {
    Range::parse(query.as_deref().unwrap_or("")).map_err(|fields| FieldErrors(fields).into())
}

/// `GET /api/admin/overview?from=&to=`
pub async fn api(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Overview>, ApiError> {
    Ok(Json(load(&state, range_or_422(query)?).await?))
}

pub async fn page(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (range, errors, status) = match Range::parse(query.as_deref().unwrap_or("")) {
        Ok(r) => (r, None, StatusCode::OK),
        Err(e) => (
            Range::parse("").expect("the default range"),
            Some(e),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let o = load(&state, range).await?;
    let labels: Vec<String> = o.daily.iter().map(|d| d.day[5..].to_string()).collect();
    let col = |f: fn(&Daily) -> i64| o.daily.iter().map(|d| f(d) as f64).collect::<Vec<_>>();
    let total = |f: fn(&Daily) -> i64| o.daily.iter().map(f).sum::<i64>();
    let visits_chart = charts::line(
        "visits",
        "Daily visitors and resumes scored",
        &labels,
        vec![
            Series {
                name: "Visitors".into(),
                class: "s0",
                values: col(|d| d.visitors),
            },
            Series {
                name: "Resumes scored".into(),
                class: "s1",
                values: col(|d| d.scores),
            },
        ],
        false,
    );
    let feedback_chart = charts::bars(
        "feedback",
        "Ratings and feedback messages per day",
        &labels,
        vec![
            Series {
                name: "Ratings".into(),
                class: "s2",
                values: col(|d| d.ratings),
            },
            Series {
                name: "Feedback and contact".into(),
                class: "s3",
                values: col(|d| d.feedback),
            },
        ],
    );
    let kpi = |label: &'static str, v: i64| view! { <div class="kpi"><span class="kpi-value">{html::count(v)}</span><span class="kpi-label">{label}</span></div> };
    let daily_rows = o
        .daily
        .iter()
        .rev()
        .map(|d| {
            view! { <tr><th scope="row">{d.day.clone()}</th><td>{html::count(d.visitors)}</td><td>{html::count(d.scores)}</td><td>{html::count(d.ratings)}</td><td>{html::count(d.feedback)}</td></tr> }
        })
        .collect_view();
    let funnel_max = o.funnel.first().map(|f| f.visitor_days).unwrap_or(0).max(1);
    let funnel_rows = o
        .funnel
        .iter()
        .map(|f| {
            let width = format!("{:.1}", 100.0 * f.visitor_days as f64 / funnel_max as f64);
            view! {
                <tr>
                    <th scope="row">{f.step}</th>
                    <td>{html::count(f.visitor_days)}</td>
                    <td>{html::pct(f.of_visits)}</td>
                    <td class="meter-cell"><svg class="meter" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect width=width height="10" /></svg></td>
                </tr>
            }
        })
        .collect_view();
    let time_rows = o
        .page_time
        .iter()
        .map(|p| view! { <tr><th scope="row"><code>{p.page.clone()}</code></th><td>{format!("{:.0} s", p.median_seconds)}</td><td>{html::count(p.visitor_days)}</td></tr> })
        .collect_view();
    let rating_rows = o
        .ratings
        .iter()
        .map(|r| {
            let ci = r.ci.map(|(a, b)| format!("{a:.2} – {b:.2}")).unwrap_or_default();
            view! { <tr><th scope="row">{r.question.clone()}</th><td>{format!("{:.2} / 5", r.mean)}</td><td>{ci}</td><td>{html::count(r.ratings)}</td></tr> }
        })
        .collect_view();
    let body = view! {
        <h1>"Engagement"</h1>
        {errors.map(|e| view! { <p class="error" role="alert">{e.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join("; ")}</p> })}
        <form class="filters range" method="get" action="/admin">
            <div class="field"><label for="from">"From"</label><input id="from" type="date" name="from" value=o.range.from.clone() /></div>
            <div class="field"><label for="to">"To"</label><input id="to" type="date" name="to" value=o.range.to.clone() /></div>
            <div class="actions"><button type="submit" class="primary">"Show"</button></div>
        </form>
        <div class="kpis">
            {kpi("visitor-days", total(|d| d.visitors))}
            {kpi("resumes scored", total(|d| d.scores))}
            {kpi("ratings", total(|d| d.ratings))}
            {kpi("feedback messages", total(|d| d.feedback))}
        </div>
        <section class="panel" aria-labelledby="daily-h">
            <h2 id="daily-h">"Day by day"</h2>
            <div class="chart-pair">
                {visits_chart}
                {feedback_chart}
            </div>
            <details>
                <summary>"The numbers"</summary>
                <div class="table-wrap"><table>
                    <thead><tr><th scope="col">"Day (UTC)"</th><th scope="col">"Visitors"</th><th scope="col">"Scored"</th><th scope="col">"Ratings"</th><th scope="col">"Feedback"</th></tr></thead>
                    <tbody>{daily_rows}</tbody>
                </table></div>
            </details>
        </section>
        <div class="grid-2">
            <section class="panel" aria-labelledby="funnel-h">
                <h2 id="funnel-h">"Funnel"</h2>
                <p class="muted small">"Visitor-days that reached each step (a visitor counts once per day)."</p>
                <table class="funnel">
                    <thead><tr><th scope="col">"Step"</th><th scope="col">"Visitor-days"</th><th scope="col">"Of visits"</th><th scope="col"><span class="visually-hidden">"Bar"</span></th></tr></thead>
                    <tbody>{funnel_rows}</tbody>
                </table>
            </section>
            <section class="panel" aria-labelledby="ratings-h">
                <h2 id="ratings-h">"Average ratings"</h2>
                <table>
                    <thead><tr><th scope="col">"Question"</th><th scope="col">"Mean"</th><th scope="col">"95% interval"</th><th scope="col">"Ratings"</th></tr></thead>
                    <tbody>{rating_rows}</tbody>
                </table>
                <h2 id="time-h">"Median visible time per page"</h2>
                <table aria-labelledby="time-h">
                    <thead><tr><th scope="col">"Page"</th><th scope="col">"Median per visitor-day"</th><th scope="col">"Visitor-days"</th></tr></thead>
                    <tbody>{time_rows}</tbody>
                </table>
            </section>
        </div>
    }
    .into_any();
    Ok((
        status,
        html::page("Engagement", Section::Overview, Some(&who), body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_defaults_to_thirty_days_and_refuses_more_than_a_year() {
        let r = Range::parse("to=2026-11-23").unwrap();
        assert_eq!(r.from, "2026-10-25");
        assert_eq!(r.days.len(), 30);
        assert!(
            Range::parse("from=2024-01-01&to=2026-01-01")
                .unwrap_err()
                .contains_key("from")
        );
        assert!(Range::parse("from=2026-11-24&to=2026-11-23").is_err());
        assert!(Range::parse("from=nope").unwrap_err().contains_key("from"));
    }
}
