//! The job seeker's page: resume and job description in, explained score out.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::text_input::DocumentInput;
use crate::text_stats::{MIN_JOB_WORDS, MIN_RESUME_WORDS, Readiness, TextStats, status_message};

/// A short synthetic example pair so a first-time visitor can see the product work
/// without pasting their own documents.
const EXAMPLE_RESUME: &str = "Alex Rivera\nalex.rivera@example.com · +1 555 0100 · Portland, OR · github.com/arivera\n\nSUMMARY\nBackend engineer with 6 years of experience building reliable web services in Rust and Python.\n\nEXPERIENCE\nSenior Software Engineer, Harbor Logistics — 2021–present\n• Designed a Rust and PostgreSQL order service handling 4,000 requests per second with p99 under 40 ms.\n• Cut cloud costs by 32% by moving batch jobs to Kubernetes CronJobs.\n• Mentored 4 engineers and led the migration from REST polling to event streaming with Kafka.\n\nSoftware Engineer, Lumen Health — 2018–2021\n• Built Python (Django) APIs used by 120 clinics; added CI/CD with GitHub Actions.\n• Reduced page load time by 45% by adding Redis caching.\n\nEDUCATION\nB.Sc. Computer Science, Oregon State University, 2018\n\nSKILLS\nRust, Python, PostgreSQL, Redis, Kafka, Docker, Kubernetes, AWS, CI/CD, gRPC\n";

const EXAMPLE_JOB: &str = "Senior Backend Engineer (Rust)\n\nWe are looking for a senior backend engineer to build the services behind our logistics platform.\n\nRequirements:\n- 5+ years of professional software engineering experience\n- Strong Rust or Go experience building distributed systems\n- PostgreSQL and SQL performance tuning\n- Experience with Kubernetes and Docker in production\n- Bachelor's degree in Computer Science or a related field\n\nNice to have:\n- Kafka or other event streaming platforms\n- Terraform and AWS\n- Mentoring other engineers\n";

#[component]
pub fn HomePage() -> impl IntoView {
    let resume = RwSignal::new(String::new());
    let job = RwSignal::new(String::new());

    let resume_stats = Memo::new(move |_| resume.with(|r| TextStats::of(r)));
    let job_stats = Memo::new(move |_| job.with(|j| TextStats::of(j)));
    let resume_ready = Memo::new(move |_| Readiness::assess(resume_stats.get(), MIN_RESUME_WORDS));
    let job_ready = Memo::new(move |_| Readiness::assess(job_stats.get(), MIN_JOB_WORDS));
    let both_ready = move || resume_ready.get().is_ready() && job_ready.get().is_ready();

    let load_example = move |_| {
        resume.set(EXAMPLE_RESUME.to_string());
        job.set(EXAMPLE_JOB.to_string());
    };

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
                hint="Paste the text of your resume. It stays on this device."
                placeholder="Paste your resume here…"
                value=resume
                stats=resume_stats
                readiness=resume_ready
            />
            <DocumentInput
                id="job"
                label="Job description"
                hint="Paste the full posting, including requirements."
                placeholder="Paste the job description here…"
                value=job
                stats=job_stats
                readiness=job_ready
            />
        </section>

        <section class="results" aria-labelledby="results-title">
            <h2 id="results-title">"Your match"</h2>
            <div
                class="score-area"
                class:ready=both_ready
                id="score-area"
                role="status"
                aria-live="polite"
            >
                <p class="score-status">
                    {move || status_message(&resume_ready.get(), &job_ready.get())}
                </p>
            </div>
        </section>
    }
}
