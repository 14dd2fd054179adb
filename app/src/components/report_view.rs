//! The explained result: score gauge, category breakdown, keyword chips with a
//! "copy missing keywords" action, ranked recommendations, and the resume with
//! its matched keywords highlighted.

use leptos::prelude::*;
use scoring::{Category, Keyword, KeywordStatus, Recommendation, Report, job::Importance};

use crate::scoring_run::{band, segments, verdict};

#[component]
pub fn ReportView(
    report: Report,
    resume_text: String,
    /// The recommendations are still being ranked.
    ranking: bool,
    /// Experiment `recommendation-style`: a plain list, without ranks or gains.
    #[prop(optional)]
    plain: bool,
    /// Experiment `result-layout`: `summary-first` or `keywords-first`.
    #[prop(optional, into)]
    layout: String,
) -> impl IntoView {
    let layout = if layout.is_empty() {
        "summary-first".to_string()
    } else {
        layout
    };
    let missing: Vec<String> = report.missing_keywords().map(|k| k.name.clone()).collect();
    let highlights: Vec<(usize, usize, String)> = report
        .highlights
        .iter()
        .map(|h| (h.start, h.end, h.name.clone()))
        .collect();
    view! {
        <div class=format!("report layout-{layout}") data-layout=layout.clone()>
            <div class="report-top">
                <ScoreGauge score=report.score algorithm=report.algorithm.clone() />
                <Breakdown categories=report.categories.clone() />
            </div>
            <Recommendations items=report.recommendations.clone() ranking=ranking plain=plain />
            <Keywords keywords=report.keywords.clone() missing=missing />
            <HighlightedResume text=resume_text highlights=highlights />
        </div>
    }
    .into_any()
}

#[component]
fn ScoreGauge(score: u32, algorithm: String) -> impl IntoView {
    // A ring: the stroke's dash covers `score`% of the circumference.
    let circumference = 2.0 * std::f64::consts::PI * 52.0;
    let dash = format!(
        "{} {}",
        scoring::tenths(circumference * f64::from(score) / 100.0),
        scoring::tenths(circumference)
    );
    view! {
        <figure class=format!("gauge {}", band(score)) aria-labelledby="score-caption">
            <svg viewBox="0 0 120 120" width="150" height="150" aria-hidden="true">
                <circle class="gauge-track" cx="60" cy="60" r="52" />
                <circle
                    class="gauge-value"
                    cx="60"
                    cy="60"
                    r="52"
                    stroke-dasharray=dash
                    transform="rotate(-90 60 60)"
                />
            </svg>
            <div class="gauge-number">
                <span id="score-value">{score}</span>
                <span class="gauge-of">"/100"</span>
            </div>
            <figcaption id="score-caption">
                <strong>{verdict(score)}</strong>
                <span class="sr-only">{format!(": {score} out of 100")}</span>
                <span class="algo">"Scoring " {algorithm}</span>
            </figcaption>
        </figure>
    }
    .into_any()
}

#[component]
fn Breakdown(categories: Vec<Category>) -> impl IntoView {
    view! {
        <div class="breakdown" id="breakdown">
            <h3>"Where the points come from"</h3>
            <ul class="categories">
                {categories
                    .into_iter()
                    .map(|c| {
                        let full = c.applies && c.points + 0.05 >= c.max;
                        let pct = if c.max > 0.0 { (c.points / c.max * 100.0).round() } else { 0.0 };
                        let points = if c.applies {
                            format!("{} / {}", scoring::whole(c.points), scoring::whole(c.max))
                        } else {
                            "n/a".to_string()
                        };
                        view! {
                            <li class="category" class:full=full class:na=!c.applies>
                                <details open=!full && c.applies>
                                    <summary>
                                        <span class="cat-label">{c.label.clone()}</span>
                                        <span class="bar" aria-hidden="true">
                                            <span class="bar-fill" style=format!("width: {}%", scoring::whole(pct))></span>
                                        </span>
                                        <span class="cat-points">{points}</span>
                                    </summary>
                                    <ul class="reasons">
                                        {c
                                            .reasons
                                            .into_iter()
                                            .map(|r| {
                                                view! {
                                                    <li class=if r.ok { "reason ok" } else { "reason lost" }>
                                                        <span class="sr-only">
                                                            {if r.ok { "Earned: " } else { "Lost: " }}
                                                        </span>
                                                        {r.text}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </details>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

/// How many recommendations show before "Show all".
const FIRST_RECOMMENDATIONS: usize = 5;

#[component]
fn Recommendations(items: Vec<Recommendation>, ranking: bool, plain: bool) -> impl IntoView {
    let heading = if plain {
        "What to change"
    } else {
        "What to change, by points gained"
    };
    if ranking {
        return view! {
            <div class="recommendations" id="recommendations" aria-busy="true">
                <h3>{heading}</h3>
                <p class="empty-note">"Weighing each possible change…"</p>
            </div>
        }
        .into_any();
    }
    if items.is_empty() {
        return view! {
            <div class="recommendations" id="recommendations">
                <h3>"What to change"</h3>
                <p class="empty-note">"Nothing we can suggest would raise this score. Nice work."</p>
            </div>
        }
        .into_any();
    }
    let total = items.len();
    let expanded = RwSignal::new(total <= FIRST_RECOMMENDATIONS);
    let list = items
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let gain = (!plain).then(|| {
                view! {
                    <span class="gain" aria-label=format!("plus {} points", r.gain)>
                        {format!("+{}", r.gain)}
                    </span>
                }
            });
            let folded = move || i >= FIRST_RECOMMENDATIONS && !expanded.get();
            view! {
                <li class="recommendation" class:plain=plain hidden=folded>
                    {gain}
                    <div>
                        <p class="rec-title">{r.title}</p>
                        <p class="rec-detail">{r.detail}</p>
                    </div>
                </li>
            }
        })
        .collect_view();
    let show_all = move |_| {
        expanded.set(true);
        crate::telemetry::track(
            "recommendation_expanded",
            crate::telemetry::props([("shown", (total as i64).into())]),
        );
    };
    let more = (total > FIRST_RECOMMENDATIONS).then(|| {
        view! {
            <button
                type="button"
                class="button ghost small"
                id="show-all-recommendations"
                hidden=move || expanded.get()
                on:click=show_all
            >
                {format!("Show all {total} changes")}
            </button>
        }
    });
    let list = if plain {
        view! { <ul class="rec-list">{list}</ul> }.into_any()
    } else {
        view! { <ol class="rec-list">{list}</ol> }.into_any()
    };
    view! {
        <div class="recommendations" id="recommendations">
            <h3>{heading}</h3>
            {list}
            {more}
        </div>
    }
    .into_any()
}

fn chip(k: Keyword) -> impl IntoView {
    let class = match k.status {
        KeywordStatus::Matched => "chip matched",
        KeywordStatus::Listed => "chip listed",
        KeywordStatus::Missing => "chip missing",
    };
    let status = match k.status {
        KeywordStatus::Matched => "found",
        KeywordStatus::Listed => "only listed",
        KeywordStatus::Missing => "missing",
    };
    let preferred = k.importance == Importance::Preferred;
    let title = format!(
        "{} — {status}; {} in the job, mentioned {}×",
        k.name,
        if preferred { "preferred" } else { "required" },
        k.job_mentions
    );
    view! {
        <li class=class title=title.clone() aria-label=title>
            <span class="chip-name">{k.name}</span>
            {k.matched_as.map(|a| view! { <span class="chip-as">"matched as " {a}</span> })}
            {(k.job_mentions > 1).then(|| view! { <span class="chip-count">{format!("×{}", k.job_mentions)}</span> })}
            {preferred.then(|| view! { <span class="chip-tag">"preferred"</span> })}
        </li>
    }
    .into_any()
}

#[component]
fn Keywords(keywords: Vec<Keyword>, missing: Vec<String>) -> impl IntoView {
    let copied = RwSignal::new(None::<String>);
    let missing_text = missing.join(", ");
    let n_missing = missing.len();
    let copy = move |_| {
        let text = missing_text.clone();
        copy_to_clipboard(text, n_missing, copied);
    };
    let of = |status: KeywordStatus| -> Vec<Keyword> {
        keywords
            .iter()
            .filter(|k| k.status == status)
            .cloned()
            .collect()
    };
    let (missing_kw, listed_kw, matched_kw) = (
        of(KeywordStatus::Missing),
        of(KeywordStatus::Listed),
        of(KeywordStatus::Matched),
    );
    view! {
        <div class="keywords" id="keywords">
            <div class="keywords-head">
                <h3>"Keywords from the job"</h3>
                <button
                    type="button"
                    class="button secondary small"
                    id="copy-missing"
                    disabled=n_missing == 0
                    on:click=copy
                >
                    "Copy missing keywords"
                </button>
            </div>
            <p class="copy-status" role="status" aria-live="polite">{move || copied.get()}</p>
            {if keywords.is_empty() {
                Some(view! { <p class="empty-note">"We found no skills we recognise in this job description."</p> })
            } else {
                None
            }}
            {chip_group("Missing", "keywords-missing", "Required first; add those you really have.", missing_kw)}
            {chip_group("Only in a list", "keywords-listed", "Show these in an experience bullet to earn full credit.", listed_kw)}
            {chip_group("Found", "keywords-matched", "Used in your experience, projects or summary.", matched_kw)}
        </div>
    }
    .into_any()
}

/// One group of chips with its heading, or nothing when the group is empty.
fn chip_group(
    label: &'static str,
    id: &'static str,
    hint: &'static str,
    items: Vec<Keyword>,
) -> Option<AnyView> {
    (!items.is_empty()).then(|| {
        view! {
            <div class="chip-group" id=id>
                <h4>{label} " " <span class="count">{format!("({})", items.len())}</span></h4>
                <p class="hint">{hint}</p>
                <ul class="chips">{items.into_iter().map(chip).collect_view()}</ul>
            </div>
        }
        .into_any()
    })
}

#[component]
fn HighlightedResume(text: String, highlights: Vec<(usize, usize, String)>) -> impl IntoView {
    let ranges: Vec<(usize, usize, &str)> = highlights
        .iter()
        .map(|(s, e, n)| (*s, *e, n.as_str()))
        .collect();
    let parts: Vec<(String, Option<String>)> = segments(&text, &ranges)
        .into_iter()
        .map(|(t, n)| (t.to_string(), n.map(str::to_string)))
        .collect();
    view! {
        <details class="highlighted" id="highlighted-resume">
            <summary>"Your resume with the job's keywords highlighted"</summary>
            // Focusable so keyboard users can scroll it.
            <pre class="resume-text" tabindex="0" aria-label="Resume text with the job's keywords marked">
                {parts
                    .into_iter()
                    .map(|(t, name)| match name {
                        Some(name) => view! { <mark title=name>{t}</mark> }.into_any(),
                        None => t.into_any(),
                    })
                    .collect_view()}
            </pre>
        </details>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: String, n: usize, status: RwSignal<Option<String>>) {
    use wasm_bindgen::JsValue;
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let has_clipboard =
        web_sys::js_sys::Reflect::has(&navigator, &JsValue::from_str("clipboard")).unwrap_or(false);
    if !has_clipboard {
        status.set(Some(format!(
            "Copying is not available here. The missing keywords: {text}"
        )));
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let message = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => {
                crate::telemetry::track(
                    "keywords_copied",
                    crate::telemetry::props([("count", (n as i64).into())]),
                );
                format!(
                    "Copied {n} missing keyword{}.",
                    if n == 1 { "" } else { "s" }
                )
            }
            Err(_) => format!("Could not copy. The missing keywords: {text}"),
        };
        status.set(Some(message));
    });
}

#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(_: String, _: usize, _: RwSignal<Option<String>>) {}
