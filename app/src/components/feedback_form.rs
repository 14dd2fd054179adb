//! The feedback form (home page) and the contact form (`/contact`): one
//! component, one pipeline, one validation shared with the server.

use contract::{
    FieldErrors,
    feedback::{Category, FeedbackRequest, Kind, MAX_MESSAGE_CHARS},
    text::grouped,
};
use leptos::{prelude::*, task::spawn_local};

use crate::feedback::{self, Outcome, ScoreContext};

#[derive(Debug, Clone, PartialEq)]
enum State {
    Editing,
    Sending,
    Sent,
    Queued,
}

/// Field → element id, so the first invalid field gets the focus.
fn field_id(prefix: &str, field: &str) -> String {
    format!("{prefix}-{field}")
}

#[component]
pub fn FeedbackForm(
    /// `Form` on the home page, `Contact` on `/contact`.
    kind: Kind,
    /// Prefix of the element ids (`feedback`, `contact`).
    id: &'static str,
    /// The score on screen, attached as numbers.
    #[prop(into, optional)]
    score: Signal<Option<ScoreContext>>,
) -> impl IntoView {
    let category = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let errors = RwSignal::new(FieldErrors::default());
    let general = RwSignal::new(None::<String>);
    let state = RwSignal::new(State::Editing);

    let build = move || FeedbackRequest {
        id: feedback::new_id(),
        kind: kind.as_str().into(),
        category: Some(category.get_untracked()),
        message: Some(message.get_untracked()),
        email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
        consent: consent.get_untracked(),
        context: feedback::context(score.get_untracked().as_ref()),
        ..FeedbackRequest::default()
    };

    let focus_first_error = move |found: &FieldErrors| {
        for field in ["category", "message", "email", "consent"] {
            if found.get(field).is_some() {
                if let Some(el) = document().get_element_by_id(&field_id(id, field))
                    && let Ok(el) = wasm_cast(el)
                {
                    let _ = el.focus();
                }
                break;
            }
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == State::Sending {
            return;
        }
        let request = build();
        if let Err(found) = request.validate() {
            general.set(None);
            focus_first_error(&found);
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::default());
        general.set(None);
        state.set(State::Sending);
        let category = request.category.clone().unwrap_or_default();
        spawn_local(async move {
            let outcome = feedback::submit(request).await;
            if matches!(outcome, Outcome::Sent | Outcome::Queued) {
                crate::telemetry::track(
                    "feedback_submitted",
                    crate::telemetry::props([
                        ("kind", kind.as_str().into()),
                        ("category", category.as_str().into()),
                    ]),
                );
            }
            match outcome {
                Outcome::Sent => state.set(State::Sent),
                Outcome::Queued => state.set(State::Queued),
                Outcome::Refused { message, fields } => {
                    state.set(State::Editing);
                    if fields.is_empty() {
                        general.set(Some(message));
                    } else {
                        focus_first_error(&fields);
                        errors.set(fields);
                    }
                }
            }
        });
    };

    let reset = move |_| {
        category.set(String::new());
        message.set(String::new());
        email.set(String::new());
        consent.set(false);
        errors.set(FieldErrors::default());
        state.set(State::Editing);
    };

    let error_of =
        move |field: &'static str| move || errors.with(|e| e.get(field).map(str::to_string));
    let error_line = move |field: &'static str, label: &'static str| {
        let text = error_of(field);
        view! {
            <p class="field-error" id=field_id(id, &format!("{field}-error"))>
                {move || text().map(|t| format!("{label} {t}."))}
            </p>
        }
    };
    let invalid =
        move |field: &'static str| move || errors.with(|e| e.get(field).is_some()).to_string();
    let described = move |field: &'static str, hint: Option<&'static str>| {
        let mut ids = vec![field_id(id, &format!("{field}-error"))];
        if let Some(h) = hint {
            ids.push(field_id(id, h));
        }
        ids.join(" ")
    };
    let count = move || {
        let n = message.with(|m| m.chars().count());
        format!("{} / {}", grouped(n), grouped(MAX_MESSAGE_CHARS))
    };
    let over = move || message.with(|m| m.chars().count()) > MAX_MESSAGE_CHARS;

    let options = Category::ALL
        .into_iter()
        .map(|c| view! { <option value=c.as_str()>{c.label()}</option> })
        .collect_view();

    let email_hint = match kind {
        Kind::Contact => "Add it if you would like a reply.",
        _ => "Optional: only if you would like a reply.",
    };
    let submit_label = match kind {
        Kind::Contact => "Send message",
        _ => "Send feedback",
    };

    view! {
        <div class="feedback-form-wrap" id=format!("{id}-form-area")>
            <Show
                when=move || matches!(state.get(), State::Sent | State::Queued)
                fallback=move || {
                    view! {
                        <form class="feedback-form" id=format!("{id}-form") novalidate on:submit=on_submit>
                            <div class="field">
                                <label for=field_id(id, "category")>"What is it about?"</label>
                                <select
                                    id=field_id(id, "category")
                                    aria-invalid=invalid("category")
                                    aria-describedby=described("category", None)
                                    prop:value=move || category.get()
                                    on:change=move |ev| category.set(event_target_value(&ev))
                                >
                                    <option value="">"Choose…"</option>
                                    {options.clone()}
                                </select>
                                {error_line("category", "Topic")}
                            </div>
                            <div class="field">
                                <label for=field_id(id, "message")>"Your message"</label>
                                <textarea
                                    id=field_id(id, "message")
                                    rows="5"
                                    aria-invalid=invalid("message")
                                    aria-describedby=described("message", Some("message-count"))
                                    prop:value=move || message.get()
                                    on:input=move |ev| message.set(event_target_value(&ev))
                                ></textarea>
                                <p class="field-hint count" class:over=over id=field_id(id, "message-count")>
                                    {count}
                                    " characters. Please do not paste your resume: we never need it."
                                </p>
                                {error_line("message", "Message")}
                            </div>
                            <div class="field">
                                <label for=field_id(id, "email")>"Email (optional)"</label>
                                <input
                                    type="email"
                                    id=field_id(id, "email")
                                    autocomplete="email"
                                    aria-invalid=invalid("email")
                                    aria-describedby=described("email", Some("email-hint"))
                                    prop:value=move || email.get()
                                    on:input=move |ev| email.set(event_target_value(&ev))
                                />
                                <p class="field-hint" id=field_id(id, "email-hint")>{email_hint}</p>
                                {error_line("email", "Email")}
                            </div>
                            <div class="field checkbox">
                                <input
                                    type="checkbox"
                                    id=field_id(id, "consent")
                                    aria-invalid=invalid("consent")
                                    aria-describedby=described("consent", None)
                                    prop:checked=move || consent.get()
                                    on:change=move |ev| consent.set(event_target_checked(&ev))
                                />
                                <label for=field_id(id, "consent")>
                                    "Keep my email so you can reply to this message. It is used for nothing else."
                                </label>
                                {error_line("consent", "Consent")}
                            </div>
                            <p class="form-error" role="alert">{move || general.get()}</p>
                            <button
                                type="submit"
                                class="button primary"
                                disabled=move || state.get() == State::Sending
                            >
                                {move || if state.get() == State::Sending { "Sending…" } else { submit_label }}
                            </button>
                        </form>
                    }
                }
            >
                <div class="form-done" role="status" id=format!("{id}-done")>
                    {move || match state.get() {
                        State::Queued => {
                            "You seem to be offline. Your message is saved on this device and will be sent automatically when the connection is back."
                        }
                        _ => "Thank you! Your message was sent. We read every one.",
                    }}
                    " "
                    <button type="button" class="button ghost small" on:click=reset>
                        "Send another"
                    </button>
                </div>
            </Show>
        </div>
    }
    .into_any()
}

fn wasm_cast(
    el: leptos::web_sys::Element,
) -> Result<leptos::web_sys::HtmlElement, leptos::web_sys::Element> {
    use leptos::wasm_bindgen::JsCast;
    el.dyn_into::<leptos::web_sys::HtmlElement>()
}
