//! A labelled text box for a document (resume or job description) with live counts.

use leptos::prelude::*;

use crate::import::{ImportState, on_drop, on_pick};
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
    /// When given, a file (PDF, DOCX, TXT) can be opened or dropped into the box.
    #[prop(optional)]
    import: Option<RwSignal<ImportState>>,
    /// Called when text is pasted into the box.
    #[prop(optional)]
    on_paste: Option<Callback<()>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let count_id = format!("{id}-count");
    let file_id = format!("{id}-file");
    let import_id = format!("{id}-import");
    let dragging = RwSignal::new(false);
    let file_picker = import.map(|state| {
        view! {
            <input
                type="file"
                id=file_id.clone()
                class="file-input"
                accept=".pdf,.docx,.txt,.doc,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain"
                on:change=move |ev| on_pick(ev, value, state)
            />
            <label for=file_id.clone() class="button ghost small file-label">
                "Open a file"
            </label>
        }
    });
    let import_line = import.map(|state| {
        view! {
            <p
                class="import-status"
                class:error=move || matches!(state.get(), ImportState::Failed { .. })
                id=import_id.clone()
                role="status"
                aria-live="polite"
            >
                {move || state.get().message()}
            </p>
        }
    });

    view! {
        <div
            class="doc-input"
            class:ready=move || readiness.get().is_ready()
            class:dragging=move || dragging.get()
            on:dragover=move |ev| {
                if import.is_some() {
                    ev.prevent_default();
                    dragging.set(true);
                }
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev| {
                dragging.set(false);
                if let Some(state) = import {
                    on_drop(ev, value, state);
                }
            }
        >
            <div class="doc-input-head">
                <label for=id>{label}</label>
                {file_picker}
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
                on:paste=move |_| {
                    if let Some(cb) = on_paste {
                        cb.run(());
                    }
                }
            ></textarea>
            {import_line}
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
