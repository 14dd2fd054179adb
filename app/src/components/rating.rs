//! "Rate this result": two 1–5 star ratings, each sent on its own.
//!
//! Each rating is a native radio group, so arrow keys, labels and focus behave
//! as every assistive technology expects; the stars are the radios' labels.
//! A choice is sent after a short pause (so arrowing from 1 to 5 is one
//! submission, not four) and can be changed. Each question is one rating with
//! one id: a change of stars or a comment sends the whole rating again (stars
//! and the comment sent so far) with the next revision, and the server replaces
//! the stored one, so a rating with a comment is still one rating.

use std::time::Duration;

use contract::feedback::{FeedbackRequest, Question};
use leptos::{prelude::*, task::spawn_local};

use crate::feedback::{self, Outcome, ScoreContext};

/// Quiet time after the last change before a rating is sent.
const SETTLE: Duration = Duration::from_millis(600);

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    Sending,
    Saved { stars: u8, comment: bool },
    Queued,
    Failed(String),
}

fn star_words(n: u8) -> &'static str {
    match n {
        1 => "1 star",
        2 => "2 stars",
        3 => "3 stars",
        4 => "4 stars",
        _ => "5 stars",
    }
}

/// The meaning of each star for a question, shown on hover and read with the label.
fn star_meaning(question: Question, n: u8) -> &'static str {
    match (question, n) {
        (Question::Accuracy, 1) => "way off",
        (Question::Accuracy, 2) => "mostly off",
        (Question::Accuracy, 3) => "partly right",
        (Question::Accuracy, 4) => "mostly right",
        (Question::Accuracy, _) => "spot on",
        (Question::Helpfulness, 1) => "not helpful",
        (Question::Helpfulness, 2) => "a little helpful",
        (Question::Helpfulness, 3) => "somewhat helpful",
        (Question::Helpfulness, 4) => "helpful",
        (Question::Helpfulness, _) => "very helpful",
    }
}

/// Both ratings, under the score.
#[component]
pub fn RatingPanel(#[prop(into)] score: Signal<Option<ScoreContext>>) -> impl IntoView {
    view! {
        <section class="rate" aria-labelledby="rate-title">
            <h3 id="rate-title">"Rate this result"</h3>
            <div class="rate-grid">
                <StarRating question=Question::Accuracy score />
                <StarRating question=Question::Helpfulness score />
            </div>
        </section>
    }
}

#[component]
fn StarRating(question: Question, score: Signal<Option<ScoreContext>>) -> impl IntoView {
    let key = question.as_str();
    let name = format!("rating-{key}");
    let selected = RwSignal::new(None::<u8>);
    let status = RwSignal::new(Status::Idle);
    let comment = RwSignal::new(String::new());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // This rating's id (made on the first send, in the browser), the revision
    // last sent and the comment last sent (kept when only the stars change).
    let rating_id = StoredValue::new(String::new());
    let revision = StoredValue::new(0i64);
    let sent_comment = StoredValue::new(None::<String>);

    let send = move |with_comment: bool| {
        let Some(stars) = selected.get_untracked() else {
            return;
        };
        let text = if with_comment {
            Some(comment.get_untracked()).filter(|t| !t.trim().is_empty())
        } else {
            sent_comment.get_value()
        };
        if rating_id.with_value(String::is_empty) {
            rating_id.set_value(feedback::new_id());
        }
        let request = FeedbackRequest {
            id: rating_id.get_value(),
            kind: "rating".into(),
            question: Some(key.into()),
            rating: Some(i64::from(stars)),
            comment: text.clone(),
            revision: Some(revision.get_value() + 1),
            context: feedback::context(score.get_untracked().as_ref()),
            ..FeedbackRequest::default()
        };
        if let Err(errors) = request.validate() {
            let problem = errors
                .get("comment")
                .map(|p| format!("The comment {p}."))
                .unwrap_or_else(|| errors.summary());
            status.set(Status::Failed(problem));
            return;
        }
        revision.update_value(|r| *r += 1);
        let this_revision = revision.get_value();
        sent_comment.set_value(text.clone());
        status.set(Status::Sending);
        spawn_local(async move {
            let outcome = feedback::submit(request).await;
            // A later change answered first: its status stays.
            if revision.try_get_value() != Some(this_revision) {
                return;
            }
            if matches!(outcome, Outcome::Sent | Outcome::Queued) {
                crate::telemetry::track(
                    "rating_submitted",
                    crate::telemetry::props([
                        ("question", key.into()),
                        ("rating", i64::from(stars).into()),
                    ]),
                );
            }
            status.set(match outcome {
                Outcome::Sent => Status::Saved {
                    stars,
                    comment: text.is_some_and(|t| !t.trim().is_empty()),
                },
                Outcome::Queued => Status::Queued,
                Outcome::Refused { message, .. } => Status::Failed(message),
            });
        });
    };

    let choose = move |n: u8| {
        selected.set(Some(n));
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        timer.set_value(set_timeout_with_handle(move || send(false), SETTLE).ok());
    };

    let stars = (1..=5u8)
        .map(|n| {
            let id = format!("{name}-{n}");
            let label = format!("{} ({})", star_words(n), star_meaning(question, n));
            view! {
                <input
                    type="radio"
                    class="star-input"
                    name=name.clone()
                    id=id.clone()
                    value=n.to_string()
                    prop:checked=move || selected.get() == Some(n)
                    on:change=move |_| choose(n)
                />
                <label
                    for=id
                    class="star"
                    class:filled=move || selected.get().is_some_and(|s| n <= s)
                    title=label.clone()
                >
                    <span aria-hidden="true">"★"</span>
                    <span class="sr-only">{label.clone()}</span>
                </label>
            }
        })
        .collect_view();

    let status_text = move || match status.get() {
        Status::Idle => String::new(),
        Status::Sending => "Saving…".to_string(),
        Status::Saved { stars, comment } => format!(
            "Thanks! Saved {}{}. You can change it any time.",
            star_words(stars),
            if comment { " with your comment" } else { "" }
        ),
        Status::Queued => {
            "Saved on this device; it will be sent when the connection is back.".to_string()
        }
        Status::Failed(msg) => format!("Not saved: {msg}"),
    };
    let comment_id = format!("{name}-comment");

    view! {
        <fieldset class="stars" id=format!("{name}-group")>
            <legend>{question.prompt()}</legend>
            <div class="star-row">{stars}</div>
            <p
                class="rating-status"
                class:error=move || matches!(status.get(), Status::Failed(_))
                id=format!("{name}-status")
                role="status"
                aria-live="polite"
            >
                {status_text}
            </p>
            <details class="rating-comment">
                <summary>"Add a comment"</summary>
                <label for=comment_id.clone()>"Comment (optional)"</label>
                <textarea
                    id=comment_id
                    rows="2"
                    maxlength="1000"
                    prop:value=move || comment.get()
                    on:input=move |ev| comment.set(event_target_value(&ev))
                ></textarea>
                <button
                    type="button"
                    class="button secondary small"
                    disabled=move || selected.get().is_none()
                    on:click=move |_| send(true)
                >
                    {move || {
                        if selected.get().is_none() { "Choose stars first" } else { "Send comment" }
                    }}
                </button>
            </details>
        </fieldset>
    }
    .into_any()
}
