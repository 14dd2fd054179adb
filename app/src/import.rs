//! Reading a dropped or picked file into a text box. The file's bytes go to a
//! Web Worker (`/worker/extract-worker.js`, the `extract` crate compiled to its
//! own Wasm module), never to the server. The worker is created on the first
//! file, so the parsers are not part of the first load, and created again
//! after a crash or a timeout. Each extraction is wrapped in the User Timing
//! measure `resume-extract`.

#[cfg(not(feature = "hydrate"))]
use leptos::prelude::RwSignal;

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;
/// The User Timing measure around each extraction.
pub const MEASURE: &str = "resume-extract";
/// A file is given up on after this long.
pub const TIMEOUT_MS: i32 = 30_000;

/// What the import line under a text box shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ImportState {
    #[default]
    Idle,
    Reading {
        name: String,
        page: u32,
        pages: u32,
    },
    Done {
        name: String,
        pages: u32,
        warnings: Vec<String>,
        /// How long reading took.
        ms: u32,
    },
    Failed {
        name: String,
        message: String,
        /// Why, as a word of the events vocabulary (`encrypted`, `timeout`, …).
        reason: &'static str,
        ms: u32,
    },
}

/// The events vocabulary's word for an extract error code from the worker.
pub fn reason_word(code: &str) -> &'static str {
    contract::events::EXTRACT_REASONS
        .iter()
        .copied()
        .find(|r| *r == code)
        .unwrap_or("corrupt")
}

impl ImportState {
    pub fn message(&self) -> String {
        match self {
            ImportState::Idle => String::new(),
            ImportState::Reading { name, page, pages } if *pages > 1 => {
                format!("Reading {name}: page {page} of {pages}…")
            }
            ImportState::Reading { name, .. } => format!("Reading {name}…"),
            ImportState::Done {
                name,
                pages,
                warnings,
                ..
            } => {
                let what = if *pages > 1 {
                    format!("Read {pages} pages from {name}")
                } else {
                    format!("Read {name}")
                };
                let mut s =
                    format!("{what}. Check the text below and fix anything that came out wrong.");
                for w in warnings {
                    s.push(' ');
                    s.push_str(w);
                }
                s
            }
            ImportState::Failed { name, message, .. } => format!("{name}: {message}"),
        }
    }
}

/// A refusal decided before reading the file (type or size), if any.
/// Refuses a file before reading it: `(reason, message)`.
pub fn precheck(name: &str, size: f64) -> Option<(&'static str, String)> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "pdf" | "docx" | "txt" | "doc" | "text" | "md") {
        return Some((
            "unsupported",
            "this type of file cannot be read. Use a PDF, a Word .docx or a .txt file, or paste the text."
                .into(),
        ));
    }
    if size > MAX_FILE_BYTES {
        return Some((
            "too_large",
            format!(
                "this file is {} MB; the limit is 10 MB. Export a smaller PDF or paste the text instead.",
                scoring::tenths(size / 1_048_576.0)
            ),
        ));
    }
    None
}

#[cfg(feature = "hydrate")]
pub use browser::{import_file, on_drop, on_pick};

/// Server rendering never handles events; these exist so components compile.
#[cfg(not(feature = "hydrate"))]
pub fn on_pick(_: leptos::ev::Event, _: RwSignal<String>, _: RwSignal<ImportState>) {}

#[cfg(not(feature = "hydrate"))]
pub fn on_drop(_: leptos::ev::DragEvent, _: RwSignal<String>, _: RwSignal<ImportState>) {}

#[cfg(feature = "hydrate")]
mod browser {
    use std::{cell::RefCell, rc::Rc};

    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};
    use web_sys::js_sys::{self, Array, Reflect};

    use super::{ImportState, MEASURE, TIMEOUT_MS, precheck};

    struct Pending {
        id: u32,
        name: String,
        target: RwSignal<String>,
        state: RwSignal<ImportState>,
        timeout: Option<i32>,
        /// `performance.now()` when reading started.
        started: f64,
    }

    /// One worker for the page, with the closures that must live as long as it.
    struct Client {
        worker: web_sys::Worker,
        _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
        _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
    }

    thread_local! {
        static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
        static PENDING: Rc<RefCell<Option<Pending>>> = Rc::new(RefCell::new(None));
        static NEXT_ID: RefCell<u32> = const { RefCell::new(1) };
    }

    fn get(obj: &JsValue, key: &str) -> JsValue {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn finish(mut state: ImportState) {
        let pending = PENDING.with(|p| p.borrow_mut().take());
        let Some(p) = pending else { return };
        if let (Some(t), Some(w)) = (p.timeout, web_sys::window()) {
            w.clear_timeout_with_handle(t);
        }
        crate::timing::end(MEASURE);
        let took = (crate::timing::now_ms() - p.started).max(0.0) as u32;
        if let ImportState::Done { ms, .. } | ImportState::Failed { ms, .. } = &mut state {
            *ms = took;
        }
        p.state.set(state);
    }

    /// Drops the worker (after a crash or timeout); the next file starts a new one.
    fn discard_worker() {
        CLIENT.with(|c| {
            if let Some(client) = c.borrow_mut().take() {
                client.worker.terminate();
            }
        });
    }

    fn fail_pending(reason: &'static str, message: &str) {
        let name = PENDING.with(|p| p.borrow().as_ref().map(|p| p.name.clone()));
        if let Some(name) = name {
            finish(ImportState::Failed {
                name,
                message: message.to_string(),
                reason,
                ms: 0,
            });
        }
    }

    fn on_message(event: web_sys::MessageEvent) {
        let data = event.data();
        let id = get(&data, "id").as_f64().unwrap_or(0.0) as u32;
        let current = PENDING.with(|p| {
            p.borrow()
                .as_ref()
                .filter(|p| p.id == id)
                .map(|p| (p.name.clone(), p.target, p.state))
        });
        let Some((name, target, state)) = current else {
            return;
        };
        let result = get(&data, "result");
        if let Some(json) = result.as_string() {
            let parsed = js_sys::JSON::parse(&json).unwrap_or(JsValue::NULL);
            let ok = get(&parsed, "ok");
            if ok.is_object() {
                let text = get(&ok, "text").as_string().unwrap_or_default();
                let pages = get(&ok, "pages").as_f64().unwrap_or(1.0) as u32;
                let warnings: Vec<String> = Array::from(&get(&ok, "warnings"))
                    .iter()
                    .filter_map(|w| w.as_string())
                    .collect();
                target.set(text);
                finish(ImportState::Done {
                    name,
                    pages,
                    warnings,
                    ms: 0,
                });
            } else {
                let error = get(&parsed, "error");
                let message = get(&error, "message").as_string().unwrap_or_else(|| {
                    "this file could not be read. Paste the text instead.".into()
                });
                let code = get(&get(&error, "code"), "code")
                    .as_string()
                    .unwrap_or_default();
                finish(ImportState::Failed {
                    name,
                    message,
                    reason: super::reason_word(&code),
                    ms: 0,
                });
            }
        } else {
            let page = get(&data, "page").as_f64().unwrap_or(0.0) as u32;
            let pages = get(&data, "pages").as_f64().unwrap_or(0.0) as u32;
            state.set(ImportState::Reading { name, page, pages });
        }
    }

    fn worker() -> Option<web_sys::Worker> {
        CLIENT.with(|c| {
            if let Some(client) = c.borrow().as_ref() {
                return Some(client.worker.clone());
            }
            let worker = web_sys::Worker::new("/worker/extract-worker.js").ok()?;
            let on_message = Closure::<dyn FnMut(_)>::new(on_message);
            let on_error = Closure::<dyn FnMut(_)>::new(|e: web_sys::ErrorEvent| {
                e.prevent_default();
                discard_worker();
                fail_pending(
                    "crashed",
                    "the file reader stopped on this file (it may be damaged). Paste the text instead.",
                );
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            *c.borrow_mut() = Some(Client {
                worker: worker.clone(),
                _on_message: on_message,
                _on_error: on_error,
            });
            Some(worker)
        })
    }

    /// The file input's `change`: import the picked file, then reset the input
    /// so picking the same file again still fires.
    pub fn on_pick(ev: web_sys::Event, target: RwSignal<String>, state: RwSignal<ImportState>) {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            import_file(file, target, state);
        }
        input.set_value("");
    }

    /// A file dropped on the text box.
    pub fn on_drop(ev: web_sys::DragEvent, target: RwSignal<String>, state: RwSignal<ImportState>) {
        ev.prevent_default();
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            import_file(file, target, state);
        }
    }

    /// Reads `file` in the worker and puts its text into `target`.
    pub fn import_file(
        file: web_sys::File,
        target: RwSignal<String>,
        state: RwSignal<ImportState>,
    ) {
        let name = file.name();
        if let Some((reason, message)) = precheck(&name, file.size()) {
            state.set(ImportState::Failed {
                name,
                message,
                reason,
                ms: 0,
            });
            return;
        }
        // A newer file replaces one still being read.
        if PENDING.with(|p| p.borrow().is_some()) {
            discard_worker();
            PENDING.with(|p| p.borrow_mut().take());
        }
        state.set(ImportState::Reading {
            name: name.clone(),
            page: 0,
            pages: 0,
        });
        leptos::task::spawn_local(async move {
            let buffer = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(b) => b,
                Err(_) => {
                    state.set(ImportState::Failed {
                        name,
                        message: "the browser could not read this file.".into(),
                        reason: "crashed",
                        ms: 0,
                    });
                    return;
                }
            };
            let Some(worker) = worker() else {
                state.set(ImportState::Failed {
                    name,
                    message:
                        "file reading is not available in this browser. Paste the text instead."
                            .into(),
                    reason: "crashed",
                    ms: 0,
                });
                return;
            };
            let id = NEXT_ID.with(|n| {
                let mut n = n.borrow_mut();
                *n += 1;
                *n
            });
            let timeout = web_sys::window().and_then(|w| {
                let cb = Closure::once_into_js(move || {
                    let still = PENDING.with(|p| p.borrow().as_ref().is_some_and(|p| p.id == id));
                    if still {
                        discard_worker();
                        fail_pending(
                            "timeout",
                            "reading this file took too long. Paste the text instead.",
                        );
                    }
                });
                w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    cb.unchecked_ref(),
                    TIMEOUT_MS,
                )
                .ok()
            });
            PENDING.with(|p| {
                *p.borrow_mut() = Some(Pending {
                    id,
                    name: name.clone(),
                    target,
                    state,
                    timeout,
                    started: crate::timing::now_ms(),
                })
            });
            crate::timing::start(MEASURE);
            let message = js_sys::Object::new();
            let _ = Reflect::set(&message, &"id".into(), &JsValue::from(id));
            let _ = Reflect::set(&message, &"name".into(), &JsValue::from_str(&name));
            let _ = Reflect::set(&message, &"bytes".into(), &buffer);
            let transfer = Array::of1(&buffer);
            if worker
                .post_message_with_transfer(&message, &transfer)
                .is_err()
            {
                fail_pending(
                    "crashed",
                    "the file could not be handed to the reader. Paste the text instead.",
                );
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unknown_types_and_big_files_before_reading() {
        let (reason, message) = precheck("photo.jpg", 1000.0).unwrap();
        assert_eq!(reason, "unsupported");
        assert!(message.contains("cannot be read"));
        let (reason, message) = precheck("cv.pdf", 50.0 * 1_048_576.0).unwrap();
        assert_eq!(reason, "too_large");
        assert!(message.contains("50.0 MB"));
        assert_eq!(precheck("cv.PDF", 200_000.0), None);
        assert_eq!(precheck("cv.docx", 200_000.0), None);
        // .doc goes to the reader, which explains how to convert it.
        assert_eq!(precheck("old.doc", 200_000.0), None);
    }

    #[test]
    fn the_status_line_says_what_happened() {
        let reading = ImportState::Reading {
            name: "cv.pdf".into(),
            page: 2,
            pages: 3,
        };
        assert_eq!(reading.message(), "Reading cv.pdf: page 2 of 3…");
        let done = ImportState::Done {
            name: "cv.pdf".into(),
            pages: 2,
            warnings: vec![],
            ms: 12,
        };
        assert!(done.message().starts_with("Read 2 pages from cv.pdf."));
        assert_eq!(ImportState::Idle.message(), "");
    }
}
