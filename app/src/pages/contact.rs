//! `/contact`: bug reports, feature requests and questions, through the same
//! pipeline as the feedback form.

use contract::feedback::Kind;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::feedback_form::FeedbackForm;

#[component]
pub fn ContactPage() -> impl IntoView {
    view! {
        <Title text="Contact" />
        <section class="contact" aria-labelledby="contact-title">
            <h1 id="contact-title">"Contact us"</h1>
            <p class="lede">
                "Found a bug, missing a feature, or have a question? Tell us here. Leave your email if you would like an answer; we use it only to reply."
            </p>
            <FeedbackForm kind=Kind::Contact id="contact" />
            <p class="contact-note">
                "We never ask for your resume: it stays in your browser. "
                <a href="/">"Back to scoring"</a>
            </p>
        </section>
    }
}
