//! `/admin/experiments/{key}` and `/api/admin/experiments/{key}/results`: the
//! analysis of one A/B experiment. The population is `exposures` (first
//! exposure per visitor); a visitor converts on a goal when one of their events
//! after that exposure matches it. Statistics in `stats` (as gbstats computes them).

use std::collections::BTreeMap;

use axum::{
    Extension, Json,
    extract::{Path, RawQuery, State},
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
    stats::{self, Comparison, Summary},
};
use crate::{error::ApiError, events::utc_day, experiments::Experiment, startup::AppState};

pub const ALPHA: f64 = 0.05;
pub const POWER: f64 = 0.8;
/// Below this many exposed visitors per variant, or conversions in the
/// control, the page says there is not enough data yet.
pub const MIN_UNITS: u64 = 100;
pub const MIN_CONVERSIONS: u64 = 5;
pub const SRM_THRESHOLD: f64 = 0.001;
pub const DEFAULT_MDE: f64 = 0.10;

#[derive(Debug, Serialize)]
pub struct VariantUnits {
    pub name: String,
    pub weight: f64,
    pub exposed: u64,
}

#[derive(Debug, Serialize)]
pub struct Srm {
    pub p_value: f64,
    pub mismatch: bool,
}

#[derive(Debug, Serialize)]
pub struct GoalVariant {
    pub name: String,
    pub exposed: u64,
    pub conversions: u64,
    pub rate: f64,
    pub ci: Option<(f64, f64)>,
    /// Against the control; `None` for the control itself.
    pub vs_control: Option<Comparison>,
}

#[derive(Debug, Serialize)]
pub struct Cumulative {
    pub days: Vec<String>,
    /// Variant → cumulative conversion rate per day.
    pub rates: BTreeMap<String, Vec<f64>>,
}

#[derive(Debug, Serialize)]
pub struct GoalResult {
    pub name: String,
    pub event: String,
    pub variants: Vec<GoalVariant>,
    pub cumulative: Cumulative,
}

#[derive(Debug, Serialize)]
pub struct RatingVariant {
    pub name: String,
    pub ratings: u64,
    pub mean: f64,
    pub ci: Option<(f64, f64)>,
    pub vs_control: Option<Comparison>,
}

#[derive(Debug, Serialize)]
pub struct RatingResult {
    pub question: String,
    pub variants: Vec<RatingVariant>,
}

#[derive(Debug, Serialize)]
pub struct SampleSize {
    pub mde: f64,
    pub baseline: f64,
    pub per_variant: Option<u64>,
    /// Exposed visitors of the smallest variant so far.
    pub smallest_variant: u64,
}

#[derive(Debug, Serialize)]
pub struct Results {
    pub key: String,
    pub description: String,
    pub status: &'static str,
    pub start: String,
    pub control: String,
    pub variants: Vec<VariantUnits>,
    pub srm: Srm,
    pub enough_data: bool,
    pub goals: Vec<GoalResult>,
    pub ratings: Vec<RatingResult>,
    pub sample_size: SampleSize,
    pub alpha: f64,
}

pub async fn analyse(state: &AppState, exp: &Experiment, mde: f64) -> Result<Results, ApiError> {
    let control = exp.variants[0].0.clone();
    // Everything from rollups the writers keep (migration …06): new exposed
    // visitors per variant and day, conversions per goal, ratings per variant.
    let exposures: Vec<(String, i64, i64)> = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT variant, day, visitors FROM exposure_rollups WHERE experiment = ?",
    )
    .bind(&exp.key)
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .filter_map(|(v, day, n)| crate::events::day_number(&day).map(|d| (v, d, n)))
    .collect();
    let exposed = |v: &str| -> u64 {
        exposures
            .iter()
            .filter(|(x, ..)| x == v)
            .map(|(.., n)| *n as u64)
            .sum()
    };
    let variants: Vec<VariantUnits> = exp
        .variants
        .iter()
        .map(|(name, weight)| VariantUnits {
            name: name.clone(),
            weight: *weight,
            exposed: exposed(name),
        })
        .collect();
    let units: Vec<u64> = variants.iter().map(|v| v.exposed).collect();
    let weights: Vec<f64> = variants.iter().map(|v| v.weight).collect();
    let srm_p = stats::srm_p_value(&units, &weights);

    let first_day = exposures.iter().map(|(_, d, _)| *d).min();
    let last_day = exposures.iter().map(|(_, d, _)| *d).max();

    let goal_queries = futures_util::future::try_join_all(exp.goals.iter().map(|goal| {
        sqlx::query_as::<_, (String, i64, i64)>(
            "SELECT variant, first_at / 86400000 AS d, COUNT(*) FROM conversions
             WHERE experiment = ? AND goal = ? GROUP BY variant, d",
        )
        .bind(&exp.key)
        .bind(&goal.name)
        .fetch_all(&state.db)
    }));
    let ratings_query = sqlx::query_as::<_, (String, String, i64, f64, f64)>(
        "SELECT variant, question, ratings, CAST(sum AS REAL), CAST(sum_squares AS REAL)
         FROM rating_rollups WHERE experiment = ?",
    )
    .bind(&exp.key)
    .fetch_all(&state.db);
    let (goal_days, rating_rows) = tokio::try_join!(goal_queries, ratings_query)?;

    let mut goals = Vec::new();
    for (gi, goal) in exp.goals.iter().enumerate() {
        let days_of = &goal_days[gi];
        let conv = |v: &str| -> u64 {
            days_of
                .iter()
                .filter(|(var, ..)| var == v)
                .map(|(.., n)| *n as u64)
                .sum()
        };
        let control_summary = Summary::proportion(exposed(&control), conv(&control));
        let gv: Vec<GoalVariant> = exp
            .variants
            .iter()
            .map(|(name, _)| {
                let conversions = conv(name);
                let s = Summary::proportion(exposed(name), conversions);
                GoalVariant {
                    name: name.clone(),
                    exposed: s.n,
                    conversions,
                    rate: s.mean,
                    ci: s.interval(ALPHA, 0.0, 1.0),
                    vs_control: (*name != control)
                        .then(|| stats::compare(&control_summary, &s, ALPHA)),
                }
            })
            .collect();
        // Cumulative conversion rate per day and variant.
        let mut days = Vec::new();
        let mut rates: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        if let (Some(a), Some(b)) = (first_day, last_day) {
            let b = b.min(a + 365);
            for d in a..=b {
                days.push(utc_day(d * 86_400_000));
            }
            for (name, _) in &exp.variants {
                let mut exp_by_day = vec![0u64; days.len()];
                for (v, d, n) in &exposures {
                    if v == name && *d >= a && *d <= b {
                        exp_by_day[(*d - a) as usize] += *n as u64;
                    }
                }
                let mut conv_by_day = vec![0u64; days.len()];
                for (v, d, n) in days_of {
                    if v == name {
                        let d = (d - a).clamp(0, (days.len() - 1) as i64);
                        conv_by_day[d as usize] += *n as u64;
                    }
                }
                let (mut e, mut c) = (0u64, 0u64);
                let series = exp_by_day
                    .iter()
                    .zip(&conv_by_day)
                    .map(|(x, y)| {
                        e += x;
                        c += y;
                        if e == 0 { 0.0 } else { c as f64 / e as f64 }
                    })
                    .collect();
                rates.insert(name.clone(), series);
            }
        }
        goals.push(GoalResult {
            name: goal.name.clone(),
            event: goal.event.as_str().to_string(),
            variants: gv,
            cumulative: Cumulative { days, rates },
        });
    }

    // Mean rating per question and variant (the variant each rating was given
    // under), from `rating_rollups`.
    let mut ratings = Vec::new();
    for question in ["accuracy", "helpfulness"] {
        let summary = |v: &str| {
            rating_rows
                .iter()
                .find(|(var, q, ..)| var == v && q == question)
                .map(|(_, _, n, s, ss)| Summary::mean(*n as u64, *s, *ss))
                .unwrap_or(Summary::mean(0, 0.0, 0.0))
        };
        let c = summary(&control);
        if exp.variants.iter().all(|(v, _)| summary(v).n == 0) {
            continue;
        }
        ratings.push(RatingResult {
            question: question.to_string(),
            variants: exp
                .variants
                .iter()
                .map(|(name, _)| {
                    let s = summary(name);
                    RatingVariant {
                        name: name.clone(),
                        ratings: s.n,
                        mean: s.mean,
                        ci: s.interval(ALPHA, 1.0, 5.0),
                        vs_control: (*name != control).then(|| stats::compare(&c, &s, ALPHA)),
                    }
                })
                .collect(),
        });
    }

    let smallest = units.iter().copied().min().unwrap_or(0);
    let control_conv = goals
        .first()
        .and_then(|g| g.variants.first())
        .map(|v| v.conversions)
        .unwrap_or(0);
    let baseline = goals
        .first()
        .and_then(|g| g.variants.first())
        .map(|v| v.rate)
        .filter(|r| *r > 0.0 && *r < 1.0)
        .unwrap_or(0.10);
    Ok(Results {
        key: exp.key.clone(),
        description: exp.description.clone(),
        status: exp.status.as_str(),
        start: exp.start.clone(),
        control,
        enough_data: smallest >= MIN_UNITS && control_conv >= MIN_CONVERSIONS,
        srm: Srm {
            p_value: srm_p,
            mismatch: srm_p < SRM_THRESHOLD,
        },
        variants,
        goals,
        ratings,
        sample_size: SampleSize {
            mde,
            baseline,
            per_variant: stats::sample_size_per_variant(baseline, mde, ALPHA, POWER),
            smallest_variant: smallest,
        },
        alpha: ALPHA,
    })
}

/// Builds the `conversions` of each configured goal not built before, from the
/// raw events (goals live in experiments.toml, so a goal added later is filled
/// in at the next start). The event writer keeps them from then on.
pub async fn backfill_conversions(
    db: &sqlx::SqlitePool,
    catalog: &crate::experiments::Catalog,
) -> Result<(), sqlx::Error> {
    for exp in &catalog.experiments {
        for goal in &exp.goals {
            let done: Option<i64> = sqlx::query_scalar(
                "SELECT rows FROM conversion_backfills WHERE experiment = ? AND goal = ?",
            )
            .bind(&exp.key)
            .bind(&goal.name)
            .fetch_optional(db)
            .await?;
            if done.is_some() {
                continue;
            }
            // CROSS JOIN keeps SQLite's loop order: the goal's events by kind,
            // then the exposure by primary key.
            let mut q: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(
                "INSERT OR IGNORE INTO conversions (experiment, goal, visitor_id, variant, first_at)
                 SELECT x.experiment, ",
            );
            q.push_bind(goal.name.clone())
                .push(", x.visitor_id, x.variant, MIN(e.ts) FROM events e CROSS JOIN exposures x ON x.experiment = ")
                .push_bind(exp.key.clone())
                .push(" AND x.visitor_id = e.visitor_id WHERE e.kind = ")
                .push_bind(goal.event.as_str())
                .push(" AND e.ts >= x.first_at");
            for (k, v) in &goal.equals {
                q.push(" AND json_extract(e.props, ")
                    .push_bind(format!("$.\"{k}\""))
                    .push(") = ")
                    .push_bind(v.clone());
            }
            for (k, min) in &goal.at_least {
                q.push(" AND json_extract(e.props, ")
                    .push_bind(format!("$.\"{k}\""))
                    .push(") >= ")
                    .push_bind(*min);
            }
            q.push(" GROUP BY x.visitor_id");
            let mut tx = crate::db::begin_write(db).await?;
            let rows = q.build().execute(&mut *tx).await?.rows_affected();
            sqlx::query(
                "INSERT INTO conversion_backfills (experiment, goal, rows) VALUES (?, ?, ?)",
            )
            .bind(&exp.key)
            .bind(&goal.name)
            .bind(rows as i64)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            if rows > 0 {
                tracing::info!(experiment = %exp.key, goal = %goal.name, rows, "conversions built from stored events");
            }
        }
    }
    Ok(())
}

fn mde_from(query: Option<&str>) -> Result<f64, ApiError> {
    let Some(v) = query
        .and_then(|q| {
            form_urlencoded_pairs(q.as_bytes())
                .find(|(k, _)| k == "mde")
                .map(|(_, v)| v)
        })
        .filter(|v| !v.is_empty())
    else {
        return Ok(DEFAULT_MDE);
    };
    match v.parse::<f64>() {
        // Given in percent (5 = 5%).
        Ok(p) if (0.5..=100.0).contains(&p) => Ok(p / 100.0),
        _ => {
            let mut errors = FieldErrors::new();
            errors.add("mde", "must be a percentage from 0.5 to 100");
            Err(errors.into())
        }
    }
}

/// `GET /api/admin/experiments/{key}/results?mde=10`
pub async fn api(
    State(state): State<AppState>,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Results>, ApiError> {
    let exp = state.catalog.get(&key).ok_or(ApiError::NotFound)?.clone();
    let mde = mde_from(query.as_deref())?;
    Ok(Json(analyse(&state, &exp, mde).await?))
}

pub async fn index(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
) -> Result<Response, ApiError> {
    let counts: Vec<(String, i64)> =
        sqlx::query_as("SELECT experiment, COUNT(*) FROM exposures GROUP BY experiment")
            .fetch_all(&state.db)
            .await?;
    let rows = state
        .catalog
        .experiments
        .iter()
        .map(|e| {
            let n = counts
                .iter()
                .find(|(k, _)| *k == e.key)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            let href = format!("/admin/experiments/{}", e.key);
            let variants = e
                .variants
                .iter()
                .map(|(v, w)| format!("{v} {:.0}%", w * 100.0))
                .collect::<Vec<_>>()
                .join(" / ");
            view! {
                <tr>
                    <th scope="row"><a href=href>{e.key.clone()}</a></th>
                    <td>{e.description.clone()}</td>
                    <td>{e.status.as_str()}</td>
                    <td>{variants}</td>
                    <td>{html::count(n)}</td>
                </tr>
            }
        })
        .collect_view();
    let body = view! {
        <h1>"Experiments"</h1>
        <p class="muted">"Configured in "<code>"experiments.toml"</code>"; statistics as GrowthBook's engine computes them."</p>
        <div class="table-wrap"><table>
            <thead><tr><th scope="col">"Key"</th><th scope="col">"Question"</th><th scope="col">"Status"</th><th scope="col">"Split"</th><th scope="col">"Exposed visitors"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any();
    Ok(html::page("Experiments", Section::Experiments, Some(&who), body).into_response())
}

fn fmt_p(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".into()
    } else {
        format!("{p:.4}")
    }
}

fn comparison_cells(c: &Option<Comparison>) -> AnyView {
    match c {
        None => view! { <td class="muted">"control"</td><td></td><td></td><td></td><td></td> }
            .into_any(),
        Some(c) if c.no_result.is_some() => {
            let why = match c.no_result {
                Some(stats::NoResult::BaselineZero) => "control has no conversions yet",
                Some(stats::NoResult::NoUnits) => "no visitors yet",
                _ => "no variation yet",
            };
            view! { <td colspan="5" class="muted">{why}</td> }.into_any()
        }
        Some(c) => {
            let class = if c.ci.0 > 0.0 {
                "good"
            } else if c.ci.1 < 0.0 {
                "bad"
            } else {
                ""
            };
            view! {
                <td class=class>{html::signed_pct(c.lift)}</td>
                <td class="nowrap">{format!("{} to {}", html::signed_pct(c.ci.0), html::signed_pct(c.ci.1))}</td>
                <td>{fmt_p(c.p_value)}</td>
                <td>{html::pct(c.chance_to_win)}</td>
                <td class="nowrap">{format!("{} / {}", html::pct(c.risk.0), html::pct(c.risk.1))}</td>
            }
            .into_any()
        }
    }
}

const SERIES_CLASSES: [&str; 6] = ["s0", "s1", "s2", "s3", "s4", "s5"];

pub async fn page(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let Some(exp) = state.catalog.get(&key).cloned() else {
        let body = view! { <h1>"Not found"</h1><p>"No experiment has this key. "<a href="/admin/experiments">"All experiments"</a></p> }.into_any();
        return Ok((
            StatusCode::NOT_FOUND,
            html::page("Not found", Section::Experiments, Some(&who), body),
        )
            .into_response());
    };
    let (mde, mde_error) = match mde_from(query.as_deref()) {
        Ok(m) => (m, None),
        Err(_) => (
            DEFAULT_MDE,
            Some("mde must be a percentage from 0.5 to 100"),
        ),
    };
    let r = analyse(&state, &exp, mde).await?;
    let unit_rows = r
        .variants
        .iter()
        .map(|v| view! { <tr><th scope="row">{v.name.clone()}</th><td>{format!("{:.0}%", v.weight * 100.0)}</td><td>{html::count(v.exposed as i64)}</td></tr> })
        .collect_view();
    let goal_sections = r
        .goals
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let rows = g
                .variants
                .iter()
                .map(|v| {
                    let ci = v.ci.map(|(a, b)| format!("{} – {}", html::pct(a), html::pct(b))).unwrap_or_default();
                    view! {
                        <tr>
                            <th scope="row">{v.name.clone()}</th>
                            <td>{html::count(v.exposed as i64)}</td>
                            <td>{html::count(v.conversions as i64)}</td>
                            <td>{html::pct(v.rate)}</td>
                            <td class="nowrap">{ci}</td>
                            {comparison_cells(&v.vs_control)}
                        </tr>
                    }
                })
                .collect_view();
            let labels: Vec<String> = g.cumulative.days.iter().map(|d| d[5..].to_string()).collect();
            let series = r
                .variants
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    g.cumulative.rates.get(&v.name).map(|values| Series {
                        name: v.name.clone(),
                        class: SERIES_CLASSES[i % 6],
                        values: values.clone(),
                    })
                })
                .collect();
            let chart_id = format!("cum-{gi}");
            let heading_id = format!("goal-{gi}");
            let labelled_by = heading_id.clone();
            let title = format!("Cumulative conversion to {} per variant", g.name);
            view! {
                <section class="panel" aria-labelledby=labelled_by>
                    <h2 id=heading_id>"Goal: "{g.name.clone()}<span class="muted small">{format!(" (a {} event after exposure)", g.event)}</span></h2>
                    <div class="table-wrap"><table class="results">
                        <thead><tr>
                            <th scope="col">"Variant"</th><th scope="col">"Visitors"</th><th scope="col">"Converted"</th><th scope="col">"Rate"</th><th scope="col">"95% interval"</th>
                            <th scope="col">"Lift"</th><th scope="col">"Lift 95% CI"</th><th scope="col">"p-value"</th><th scope="col">"Chance to win"</th><th scope="col">"Risk (keep / switch)"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                    {(!labels.is_empty()).then(|| charts::line(&chart_id, &title, &labels, series, true))}
                </section>
            }
        })
        .collect_view();
    let rating_sections = r
        .ratings
        .iter()
        .map(|q| {
            let rows = q
                .variants
                .iter()
                .map(|v| {
                    let ci = v.ci.map(|(a, b)| format!("{a:.2} – {b:.2}")).unwrap_or_default();
                    view! {
                        <tr>
                            <th scope="row">{v.name.clone()}</th>
                            <td>{html::count(v.ratings as i64)}</td>
                            <td>{if v.ratings > 0 { format!("{:.2}", v.mean) } else { "–".into() }}</td>
                            <td class="nowrap">{ci}</td>
                            {comparison_cells(&v.vs_control)}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <h3>{format!("Rating: {}", q.question)}</h3>
                <div class="table-wrap"><table class="results">
                    <thead><tr>
                        <th scope="col">"Variant"</th><th scope="col">"Ratings"</th><th scope="col">"Mean"</th><th scope="col">"95% interval"</th>
                        <th scope="col">"Lift"</th><th scope="col">"Lift 95% CI"</th><th scope="col">"p-value"</th><th scope="col">"Chance to win"</th><th scope="col">"Risk (keep / switch)"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            }
        })
        .collect_view();
    let ss = &r.sample_size;
    let ss_text = match ss.per_variant {
        Some(n) => format!(
            "To detect a {:.1}% relative change from a {} baseline (α = 0.05, power 80%), each variant needs about {} visitors; the smallest has {}.",
            ss.mde * 100.0,
            html::pct(ss.baseline),
            html::count(n as i64),
            html::count(ss.smallest_variant as i64)
        ),
        None => "This change cannot be reached from the current baseline.".into(),
    };
    let mde_value = format!("{}", ss.mde * 100.0);
    let action = format!("/admin/experiments/{}", r.key);
    let srm_text = format!(
        "Sample ratio check: p = {} (chi-square against the configured weights).",
        fmt_p(r.srm.p_value)
    );
    let body = view! {
        <p><a href="/admin/experiments">"← Experiments"</a></p>
        <h1>{r.key.clone()}</h1>
        <p class="lead">{r.description.clone()}</p>
        <p class="muted">{format!("Status {} · started {} · control {}", r.status, r.start, r.control)}</p>
        {r.srm.mismatch.then(|| view! {
            <div class="error" role="alert">
                <strong>"Sample ratio mismatch. "</strong>
                "The visitors are not split as configured (p < 0.001): assignment or exposure logging is broken, so these results cannot be trusted."
            </div>
        })}
        {(!r.enough_data).then(|| view! {
            <div class="notice" role="status">
                <strong>"Not enough data yet. "</strong>
                {format!("Wait for at least {MIN_UNITS} visitors per variant and {MIN_CONVERSIONS} conversions in the control before reading the results.")}
            </div>
        })}
        <div class="grid-2">
            <section class="panel" aria-labelledby="units-h">
                <h2 id="units-h">"Visitors"</h2>
                <table>
                    <thead><tr><th scope="col">"Variant"</th><th scope="col">"Weight"</th><th scope="col">"Exposed"</th></tr></thead>
                    <tbody>{unit_rows}</tbody>
                </table>
                <p class=if r.srm.mismatch { "bad" } else { "muted small" }>{srm_text}</p>
            </section>
            <section class="panel" aria-labelledby="size-h">
                <h2 id="size-h">"Sample size"</h2>
                <p>{ss_text}</p>
                {mde_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <form method="get" action=action class="inline">
                    <label for="mde">"Minimum detectable effect (%)"</label>
                    <input id="mde" name="mde" type="number" min="0.5" max="100" step="0.5" value=mde_value />
                    <button type="submit">"Recalculate"</button>
                </form>
            </section>
        </div>
        {goal_sections}
        <section class="panel" aria-labelledby="ratings-h">
            <h2 id="ratings-h">"Ratings"</h2>
            {if r.ratings.is_empty() { view! { <p class="muted">"No ratings under this experiment yet."</p> }.into_any() } else { rating_sections.into_any() }}
        </section>
        <p class="muted small">"Lift is relative to the control, with a delta-method 95% interval; p-value from Welch's t-test; chance to win and risk (expected relative loss of keeping the control / switching) from a flat prior — the same as GrowthBook's default engine."</p>
    }
    .into_any();
    Ok(html::page(
        &format!("Experiment {}", r.key),
        Section::Experiments,
        Some(&who),
        body,
    )
    .into_response())
}
