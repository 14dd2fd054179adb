//! The HTML document and the router.

use leptos::prelude::*;
use leptos_meta::{Meta, MetaTags, Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::pages::{contact::ContactPage, home::HomePage, not_found::NotFound};

/// The whole HTML document, rendered on the server only (it needs `LeptosOptions`,
/// which the browser never sees).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // The engine's skill dictionary, installed before the first
                // score (crate::dictionary): fetched alongside the Wasm.
                <link
                    rel="preload"
                    href=crate::dictionary::url()
                    r#as="fetch"
                    crossorigin="anonymous"
                />
                <leptos_meta::HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            // The inputs of the experiment assignment, for the browser to run the
            // same assignment (crate::experiments).
            <body data-boot=crate::experiments::bootstrap().encode()>
                <App />
            </body>
        </html>
    }
}

/// Starts the usage events once the page is live in the browser, and reports
/// each page (first load and client-side navigation).
#[component]
fn Telemetry() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let variants = crate::experiments::use_variants();
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        let path = location.pathname.get();
        if !started.get_value() {
            started.set_value(true);
            crate::telemetry::set_variants(variants.counted(), variants.tracking);
            crate::telemetry::start();
        }
        crate::telemetry::page_changed(&path);
    });
}

/// The application: header, routed pages, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // Set once the Wasm bundle has taken over the server-rendered page; end-to-end
    // tests and the stylesheet use it, people never see it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        hydrated.set(true);
        // Send feedback an earlier visit could not deliver.
        crate::feedback::start();
    });

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() {
                "Resume ATS Scorer".to_string()
            } else {
                format!("{page} · Resume ATS Scorer")
            }
        } />
        <Meta
            name="description"
            content="Score your resume against a job description the way applicant tracking systems do. Private: your resume never leaves your browser."
        />
        <Router>
            <Telemetry />
            <div class="app" data-hydrated=move || hydrated.get().to_string()>
                <header class="site-header">
                    <a class="brand" href="/">
                        <span class="brand-mark" aria-hidden="true">"ATS"</span>
                        <span class="brand-name">"Resume ATS Scorer"</span>
                    </a>
                    <p class="privacy-line">
                        <svg class="lock" aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
                            <path
                                fill="currentColor"
                                d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z"
                            />
                        </svg>
                        "Your resume never leaves your browser: scoring runs on your device."
                    </p>
                </header>
                <main id="main">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage />
                        <Route path=path!("/contact") view=ContactPage />
                    </Routes>
                </main>
                <footer class="site-footer">
                    <p>
                        "Resume ATS Scorer · scoring runs locally in WebAssembly; no resume text is sent or stored."
                    </p>
                    <nav aria-label="Site">
                        <a href="/">"Score a resume"</a>
                        " · "
                        <a href="/contact">"Contact us"</a>
                    </nav>
                </footer>
            </div>
        </Router>
    }
}
