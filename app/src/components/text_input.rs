//! A labelled text box for a document (resume or job description) with live counts.

use leptos::prelude::*;

use crate::text_stats::{MAX_CHARS, Readiness, TextStats, plural};

/// A document text box. The page owns `value` and derives `stats` and `readiness`
/// from it once, so it can score both boxes; this component only shows them.
#[component]
pub fn DocumentInput(
    /// The element id, also used to name the test hooks (`{id}-count`).
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// A short explanation under the label.
    hint: &'static str,
    placeholder: &'static str,
    value: RwSignal<String>,
    stats: Memo<TextStats>,
    readiness: Memo<Readiness>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let count_id = format!("{id}-count");

    view! {
        <div class="doc-input" class:ready=move || readiness.get().is_ready()>
            <div class="doc-input-head">
                <label for=id>{label}</label>
                <button
                    type="button"
                    class="button ghost small"
                    aria-controls=id
                    disabled=move || value.with(|v| v.is_empty())
                    on:click=move |_| value.set(String::new())
                >
                    "Clear"
                </button>
            </div>
            <p class="hint" id=hint_id.clone()>
                {hint}
            </p>
            <textarea
                id=id
                name=id
                rows="16"
                spellcheck="false"
                placeholder=placeholder
                aria-describedby=format!("{hint_id} {count_id}")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <p class="counts" id=count_id aria-live="polite">
                {move || {
                    let s = stats.get();
                    let over = s.chars > MAX_CHARS;
                    format!(
                        "{} · {}{}",
                        plural(s.words, "word", "words"),
                        plural(s.chars, "character", "characters"),
                        if over { " (too long)" } else { "" },
                    )
                }}
            </p>
        </div>
    }
}
