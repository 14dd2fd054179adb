//! The job seeker's page: resume and job description in, explained score out.

use std::time::Duration;

use contract::events::size_bucket;
use leptos::prelude::*;
use leptos_meta::Title;
use scoring::{InputProblem, Report, normalize::normalize};

use contract::feedback::Kind;

use crate::components::{
    feedback_form::FeedbackForm, rating::RatingPanel, report_view::ReportView,
    text_input::DocumentInput,
};
use crate::dictionary::use_dictionary;
use crate::experiments::use_variants;
use crate::feedback::ScoreContext;
use crate::import::ImportState;
use crate::scoring_run;
use crate::telemetry::{self, file_type, props};
use crate::text_stats::{MIN_JOB_WORDS, MIN_RESUME_WORDS, Readiness, TextStats, status_message};

/// A short synthetic example pair so a first-time visitor can see the product work
/// without pasting their own documents.
const EXAMPLE_RESUME: &str = "Alex Rivera\nalex.rivera@example.com · +1 555 0100 · Portland, OR · github.com/arivera\n\nSUMMARY\nBackend engineer with 6 years of experience building reliable web services in Rust and Python.\n\nEXPERIENCE\nSenior Software Engineer, Harbor Logistics — 2021–present\n• Designed a Rust and PostgreSQL order service handling 4,000 requests per second with p99 under 40 ms.\n• Cut cloud costs by 32% by moving batch jobs to Kubernetes CronJobs.\n• Mentored 4 engineers and led the migration from REST polling to event streaming with Kafka.\n\nSoftware Engineer, Lumen Health — 2018–2021\n• Built Python (Django) APIs used by 120 clinics; added CI/CD with GitHub Actions.\n• Reduced page load time by 45% by adding Redis caching.\n\nEDUCATION\nB.Sc. Computer Science, Oregon State University, 2018\n\nSKILLS\nRust, Python, PostgreSQL, Redis, Kafka, Docker, Kubernetes, AWS, CI/CD, gRPC\n";

const EXAMPLE_JOB: &str = "Senior Backend Engineer (Rust)\n\nWe are looking for a senior backend engineer to build the services behind our logistics platform.\n\nRequirements:\n- 5+ years of professional software engineering experience\n- Strong Rust or Go experience building distributed systems\n- PostgreSQL and SQL performance tuning\n- Experience with Kubernetes and Docker in production\n- Bachelor's degree in Computer Science or a related field\n\nNice to have:\n- Kafka or other event streaming platforms\n- Terraform and AWS\n- Mentoring other engineers\n";

/// Quiet time after the last keystroke before the score is recomputed.
const DEBOUNCE: Duration = Duration::from_millis(200);

#[component]
pub fn HomePage() -> impl IntoView {
    let resume = RwSignal::new(String::new());
    let job = RwSignal::new(String::new());

    let resume_stats = Memo::new(move |_| resume.with(|r| TextStats::of(r)));
    let job_stats = Memo::new(move |_| job.with(|j| TextStats::of(j)));
    let resume_ready = Memo::new(move |_| Readiness::assess(resume_stats.get(), MIN_RESUME_WORDS));
    let job_ready = Memo::new(move |_| Readiness::assess(job_stats.get(), MIN_JOB_WORDS));
    let both_ready = move || resume_ready.get().is_ready() && job_ready.get().is_ready();
    // The engine's skill dictionary, fetched apart from the Wasm (crate::dictionary).
    let dictionary = use_dictionary();

    // The score is computed in the browser only, never on the server: the
    // resume and job text are never sent anywhere. Each edit restarts a short
    // timer; when typing pauses, the engine runs and the report is replaced.
    let report = RwSignal::new(None::<Result<Report, InputProblem>>);
    let scored_text = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let ranking = RwSignal::new(false);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // The visitor's experiment variants (the same on the server and here).
    let variants = use_variants();
    let variant = variants.scoring();
    let plain_recommendations = variants.plain_recommendations();
    let layout = variants.layout().to_string();
    let counted = StoredValue::new(variants.counted());
    // Where the resume text came from, for the usage events.
    let resume_source = RwSignal::new("paste");
    Effect::new(move |_| {
        let ready =
            resume_ready.get().is_ready() && job_ready.get().is_ready() && dictionary.ready.get();
        let resume_text = resume.get();
        let job_text = job.get();
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        if !ready {
            ranking.set(false);
            timer.set_value(None);
            report.set(None);
            pending.set(false);
            return;
        }
        pending.set(true);
        let handle = set_timeout_with_handle(
            move || {
                let started = crate::timing::now_ms();
                let result = scoring_run::run(&resume_text, &job_text, variant);
                let took = (crate::timing::now_ms() - started).round() as i64;
                let scored = result.is_ok();
                if let Ok(r) = &result {
                    telemetry::track(
                        "score_computed",
                        props([
                            ("variant", variant.name().into()),
                            ("algorithm", r.algorithm.as_str().into()),
                            ("score", i64::from(r.score).into()),
                            ("duration_ms", took.into()),
                            ("source", resume_source.get_untracked().into()),
                        ]),
                    );
                    // The result (and so every experiment's variant) is now on screen.
                    counted.with_value(telemetry::expose_once);
                }
                // Set before the report so its first render says "weighing…".
                ranking.set(scored);
                scored_text.set(normalize(&resume_text));
                report.set(Some(result));
                pending.set(false);
                if !scored {
                    timer.set_value(None);
                    return;
                }
                // The score is on screen; rank the what-if changes on the next
                // turn of the event loop, unless the user typed again meanwhile.
                let handle = set_timeout_with_handle(
                    move || {
                        let recs = scoring_run::recommend(&resume_text, &job_text, variant);
                        ranking.set(false);
                        report.update(|r| {
                            if let (Some(Ok(r)), Ok(recs)) = (r, recs) {
                                r.recommendations = recs;
                            }
                        });
                        timer.set_value(None);
                    },
                    Duration::ZERO,
                )
                .ok();
                if handle.is_none() {
                    ranking.set(false);
                }
                timer.set_value(handle);
            },
            DEBOUNCE,
        )
        .ok();
        timer.set_value(handle);
    });
    // What the result area says before there is a report.
    let waiting = move || {
        if both_ready() {
            if dictionary.ready.get() {
                "Scoring…".to_string()
            } else if dictionary.failing.get() {
                "The keyword list could not be loaded yet (offline?). Retrying…".to_string()
            } else {
                "Loading the keyword list…".to_string()
            }
        } else {
            status_message(&resume_ready.get(), &job_ready.get())
        }
    };
    let announcement = move || match report.get() {
        Some(Ok(r)) => format!(
            "Score {} out of 100: {}. {} missing keywords.",
            r.score,
            scoring_run::verdict(r.score),
            r.missing_keywords().count()
        ),
        Some(Err(p)) => p.message(),
        None => waiting(),
    };

    // What feedback carries about the result: the algorithm and the number, never text.
    let score_context = Signal::derive(move || {
        report.with(|r| match r {
            Some(Ok(r)) => Some(ScoreContext {
                algorithm: r.algorithm.clone(),
                score: r.score,
            }),
            _ => None,
        })
    });
    let has_score = move || score_context.with(Option::is_some);

    let resume_import = RwSignal::new(ImportState::default());
    let job_import = RwSignal::new(ImportState::default());

    let load_example = move |_| {
        resume.set(EXAMPLE_RESUME.to_string());
        job.set(EXAMPLE_JOB.to_string());
        resume_source.set("example");
        for (kind, text) in [("resume_input", EXAMPLE_RESUME), ("job_input", EXAMPLE_JOB)] {
            telemetry::track(
                kind,
                props([
                    ("source", "example".into()),
                    ("size", size_bucket(text.chars().count()).into()),
                ]),
            );
        }
    };
    // A pasted document: reported once the paste has landed in the box.
    let pasted = move |kind: &'static str, text: RwSignal<String>| {
        if kind == "resume_input" {
            resume_source.set("paste");
        }
        set_timeout(
            move || {
                telemetry::track(
                    kind,
                    props([
                        ("source", "paste".into()),
                        (
                            "size",
                            size_bucket(text.with_untracked(|t| t.chars().count())).into(),
                        ),
                    ]),
                );
            },
            Duration::ZERO,
        );
    };
    // Files read (or refused) in the import worker.
    for (kind, state, text) in [
        ("resume_input", resume_import, resume),
        ("job_input", job_import, job),
    ] {
        Effect::new(move |_| match state.get() {
            ImportState::Done {
                name, pages, ms, ..
            } => {
                let t = file_type(&name);
                telemetry::track(
                    "extract_done",
                    props([
                        ("file_type", t.into()),
                        ("pages", i64::from(pages).into()),
                        ("duration_ms", i64::from(ms).into()),
                    ]),
                );
                if kind == "resume_input" {
                    resume_source.set(t);
                }
                telemetry::track(
                    kind,
                    props([
                        ("source", t.into()),
                        (
                            "size",
                            size_bucket(text.with_untracked(|t| t.chars().count())).into(),
                        ),
                    ]),
                );
            }
            ImportState::Failed {
                name, reason, ms, ..
            } => telemetry::track(
                "extract_failed",
                props([
                    ("file_type", file_type(&name).into()),
                    ("reason", reason.into()),
                    ("duration_ms", i64::from(ms).into()),
                ]),
            ),
            _ => {}
        });
    }

    view! {
        <Title text="" />
        <section class="intro">
            <h1>"How well does your resume match the job?"</h1>
            <p class="lede">
                "Paste your resume and the job description. You get a 0–100 match score the way applicant tracking systems read it, explained point by point, with the missing keywords and the changes that gain the most."
            </p>
            <button type="button" class="button secondary" id="load-example" on:click=load_example>
                "Try it with an example"
            </button>
        </section>

        <section class="workspace" aria-label="Your documents">
            <DocumentInput
                id="resume"
                label="Your resume"
                hint="Paste your resume, or open or drop a PDF, Word (.docx) or text file. It is read on this device and never uploaded."
                placeholder="Paste your resume here…"
                value=resume
                stats=resume_stats
                readiness=resume_ready
                import=resume_import
                on_paste=Callback::new(move |_| pasted("resume_input", resume))
            />
            <DocumentInput
                id="job"
                label="Job description"
                hint="Paste the full posting, including requirements (or open a file)."
                placeholder="Paste the job description here…"
                value=job
                stats=job_stats
                readiness=job_ready
                import=job_import
                on_paste=Callback::new(move |_| pasted("job_input", job))
            />
        </section>

        <section class="results" aria-labelledby="results-title">
            <h2 id="results-title">"Your match"</h2>
            <p class="sr-only" id="score-announce" role="status" aria-live="polite">
                {announcement}
            </p>
            <div
                class="score-area"
                class:ready=both_ready
                class:updating=move || pending.get()
                id="score-area"
                aria-busy=move || pending.get().to_string()
            >
                {move || match report.get() {
                    Some(Ok(r)) => {
                        view! {
                            <ReportView
                                report=r
                                resume_text=scored_text.get_untracked()
                                ranking=ranking.get_untracked()
                                plain=plain_recommendations
                                layout=layout.clone()
                            />
                        }
                            .into_any()
                    }
                    Some(Err(problem)) => {
                        view! { <p class="score-status error">{problem.message()}</p> }.into_any()
                    }
                    None => {
                        view! {
                            <p class="score-status">{waiting}</p>
                        }
                            .into_any()
                    }
                }}
            </div>
            <Show when=has_score>
                <RatingPanel score=score_context />
            </Show>
        </section>

        <section class="feedback" aria-labelledby="feedback-title">
            <h2 id="feedback-title">"Tell us what you think"</h2>
            <p class="section-lede">
                "A bug, an idea, a keyword we missed? Your message helps us improve the scoring. It never includes your resume."
            </p>
            <FeedbackForm kind=Kind::Form id="feedback" score=score_context />
        </section>
    }
}
