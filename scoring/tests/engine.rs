//! The score, category by category, with hand-written resumes and job
//! descriptions and the shared job fixtures.

use scoring::{
    CategoryId, InputProblem, KeywordStatus, MAX_CHARS, Options, RecommendationKind, Report,
    Variant, job::Importance, month_index, score, score_with,
};

const BACKEND_RESUME: &str = include_str!("fixtures/backend-resume.txt");

fn shared_job(name: &str) -> String {
    // `shared/` beside the checkout, or beside a parent folder (a worktree).
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/fixtures/jobs"))
        .find(|p| p.is_dir())
        .unwrap_or_default()
        .join(format!("{name}.txt"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixture {path:?}: {e} (shared/ sits beside the checkout)"))
}

fn v2(resume: &str, job: &str) -> Report {
    score_with(
        resume,
        job,
        Options {
            variant: Variant::V2,
            today: Some(month_index(2026, 11)),
        },
    )
    .expect("scorable input")
}

fn points(r: &Report, id: CategoryId) -> f64 {
    r.category(id).expect("category present").points
}

fn status(r: &Report, name: &str) -> Option<KeywordStatus> {
    r.keywords.iter().find(|k| k.name == name).map(|k| k.status)
}

/// A compact resume with every section, used as the base for one-change tests.
const BASE: &str = "Sam Doe\nBackend Engineer\nAmsterdam, Netherlands | sam@example.com | +31 6 1234 5678 | linkedin.com/in/samdoe\n\nSUMMARY\nBackend engineer building reliable services.\n\nEXPERIENCE\nBackend Engineer, Acme, Jan 2019 - Present\n• Built the billing API in Python serving 2M requests a day\n• Cut deploy time by 60% with Docker and GitHub Actions\n• Designed PostgreSQL schemas for 12 services\n\nSKILLS\nPython, PostgreSQL, Docker\n\nEDUCATION\nB.Sc. Computer Science, TU Delft, 2014 - 2018\n";

#[test]
fn categories_sum_to_the_score_and_maxima_to_one_hundred() {
    for variant in Variant::ALL {
        let r = score(BACKEND_RESUME, &shared_job("backend-eng"), variant).unwrap();
        let max: f64 = r.categories.iter().map(|c| c.max).sum();
        let pts: f64 = r.categories.iter().map(|c| c.points).sum();
        assert!((max - 100.0).abs() < 0.6, "{variant}: maxima sum {max}");
        assert!(
            (pts - f64::from(r.score)).abs() < 1.0,
            "{variant}: {pts} vs {}",
            r.score
        );
        assert_eq!(r.algorithm, variant.algorithm());
        assert_eq!(r.categories.len(), 10);
        for c in &r.categories {
            assert!(c.points <= c.max + 0.05, "{:?}", c);
            assert!(!c.reasons.is_empty(), "{:?} has no reason", c.id);
        }
    }
}

#[test]
fn is_deterministic() {
    let job = shared_job("backend-eng");
    assert_eq!(v2(BACKEND_RESUME, &job), v2(BACKEND_RESUME, &job));
}

#[test]
fn synonyms_match_and_say_how_they_were_written() {
    let job = "Requirements: JavaScript, Kubernetes, PostgreSQL, machine learning";
    let resume = "EXPERIENCE\n• Wrote JS for the dashboard\n• Ran k8s clusters on Postgres\n• Shipped ML models to production";
    let r = v2(resume, job);
    for (name, written) in [
        ("JavaScript", "JS"),
        ("Kubernetes", "k8s"),
        ("PostgreSQL", "Postgres"),
        ("Machine Learning", "ML"),
    ] {
        let k = r.keywords.iter().find(|k| k.name == name).expect(name);
        assert_eq!(k.status, KeywordStatus::Matched, "{name}");
        assert_eq!(k.matched_as.as_deref(), Some(written), "{name}");
    }
    assert_eq!(r.missing_keywords().count(), 0);
}

#[test]
fn multi_word_and_symbol_skills_match() {
    let job = "Requirements: C++, C#, Node.js, CI/CD, machine learning";
    let resume = "EXPERIENCE\n• Built engines in C++ and tools in C#\n• Wrote Node.js services with CI/CD and machine learning";
    let r = v2(resume, job);
    assert_eq!(r.missing_keywords().count(), 0, "{:?}", r.keywords);
}

#[test]
fn a_missing_required_skill_costs_more_than_a_missing_preferred_one() {
    let job = "Requirements:\n- Rust\n- Kafka\n\nNice to have:\n- Terraform\n- Redis\n";
    let base = "EXPERIENCE\n• Built services in Rust\n• Ran Kafka and Redis and Terraform\n";
    let without_required = "EXPERIENCE\n• Built services in Rust\n• Ran Redis and Terraform\n";
    let without_preferred = "EXPERIENCE\n• Built services in Rust\n• Ran Kafka and Terraform\n";
    let full = points(&v2(base, job), CategoryId::HardSkills);
    let lost_required = full - points(&v2(without_required, job), CategoryId::HardSkills);
    let lost_preferred = full - points(&v2(without_preferred, job), CategoryId::HardSkills);
    assert!(lost_required > 0.0 && lost_preferred > 0.0);
    assert!(
        lost_required > lost_preferred * 1.5,
        "required {lost_required} vs preferred {lost_preferred}"
    );
    let r = v2(without_required, job);
    let kafka = r
        .keywords
        .iter()
        .find(|k| k.name == "Apache Kafka")
        .unwrap();
    assert_eq!(
        (kafka.importance, kafka.status),
        (Importance::Required, KeywordStatus::Missing)
    );
}

#[test]
fn repeating_a_keyword_forty_times_does_not_beat_using_it_in_three_bullets() {
    let job = "Python Developer\nRequirements: Python";
    let stuffed = format!("Sam Doe\nSKILLS\n{}", "Python ".repeat(40));
    let real = "Sam Doe\nEXPERIENCE\n• Built a billing service in Python\n• Cut report time by 80% with Python and pandas\n• Taught Python to four new hires\n";
    let s = v2(&stuffed, job);
    let r = v2(real, job);
    assert!(
        points(&r, CategoryId::HardSkills) > points(&s, CategoryId::HardSkills),
        "real {} vs stuffed {}",
        points(&r, CategoryId::HardSkills),
        points(&s, CategoryId::HardSkills)
    );
    assert!(r.score > s.score, "real {} vs stuffed {}", r.score, s.score);
    // And repetition itself is called out.
    let reasons: Vec<&str> = s
        .category(CategoryId::HardSkills)
        .unwrap()
        .reasons
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert!(
        reasons.iter().any(|t| t.contains("40 times")),
        "{reasons:?}"
    );
}

#[test]
fn a_bare_keyword_list_earns_less_than_the_same_skills_in_bullets() {
    let job = "Requirements: Python, Docker, Kubernetes";
    let list = "EXPERIENCE\n• Built billing services\nSKILLS\nPython, Docker, Kubernetes\n";
    let used = "EXPERIENCE\n• Built billing services in Python\n• Shipped them with Docker on Kubernetes\nSKILLS\nPython, Docker, Kubernetes\n";
    let l = v2(list, job);
    let u = v2(used, job);
    assert_eq!(status(&l, "Docker"), Some(KeywordStatus::Listed));
    assert_eq!(status(&u, "Docker"), Some(KeywordStatus::Matched));
    assert!(points(&u, CategoryId::HardSkills) > points(&l, CategoryId::HardSkills));
}

#[test]
fn soft_skills_are_scored_apart_from_hard_skills() {
    let job = "Requirements: Python, strong communication and leadership";
    let with = v2(
        "EXPERIENCE\n• Built Python services, leading with clear communication and leadership",
        job,
    );
    let without = v2("EXPERIENCE\n• Built Python services", job);
    assert_eq!(
        points(&with, CategoryId::HardSkills),
        points(&without, CategoryId::HardSkills)
    );
    assert!(points(&with, CategoryId::SoftSkills) > points(&without, CategoryId::SoftSkills));
}

#[test]
fn the_job_title_counts_when_the_resume_uses_it() {
    let job = "Senior Data Engineer (Remote)\nRequirements: SQL";
    let with = v2("Ana\nData Engineer\nEXPERIENCE\n• Wrote SQL", job);
    let without = v2("Ana\nAnalyst\nEXPERIENCE\n• Wrote SQL", job);
    let c = with.category(CategoryId::JobTitle).unwrap();
    assert_eq!(c.points, c.max, "seniority and parentheses are ignored");
    assert_eq!(points(&without, CategoryId::JobTitle), 0.0);
}

#[test]
fn education_is_compared_with_the_degree_asked() {
    let job = "Requirements: Master's degree in Statistics; Python";
    let master = v2("EDUCATION\nM.Sc. Statistics, 2019", job);
    let bachelor = v2("EDUCATION\nB.Sc. Statistics, 2017", job);
    let none = v2("EXPERIENCE\n• Built Python tools", job);
    let e = |r: &Report| points(r, CategoryId::Education);
    assert!(e(&master) > e(&bachelor) && e(&bachelor) > e(&none));
    assert_eq!(e(&none), 0.0);
    // With no degree asked, the category does not apply and gives its weight away.
    let r = v2("EDUCATION\nB.Sc. Statistics", "Requirements: Python");
    let c = r.category(CategoryId::Education).unwrap();
    assert!(!c.applies && c.max == 0.0);
}

#[test]
fn years_of_experience_come_from_dated_roles() {
    let job = "Requirements: 6+ years of Python";
    let three = v2(
        "EXPERIENCE\nDev, Acme, Jan 2021 - Dec 2023\n• Built Python tools",
        job,
    );
    let six = v2(
        "EXPERIENCE\nDev, Acme, Jan 2018 - Dec 2023\n• Built Python tools",
        job,
    );
    let c3 = three.category(CategoryId::Experience).unwrap();
    let c6 = six.category(CategoryId::Experience).unwrap();
    assert!((c3.points - c3.max / 2.0).abs() < 0.1, "{c3:?}");
    assert_eq!(c6.points, c6.max);
    assert_eq!(three.resume.experience_years, 3.0);
}

#[test]
fn sections_contact_metrics_verbs_and_length_each_move_their_category() {
    let job = "Backend Engineer\nRequirements: Python, PostgreSQL, Docker";
    let base = v2(BASE, job);
    let cases: [(CategoryId, String); 4] = [
        (CategoryId::Sections, BASE.replace("SKILLS\n", "")),
        (CategoryId::Contact, BASE.replace("sam@example.com | ", "")),
        (
            CategoryId::MeasurableResults,
            BASE.replace(" serving 2M requests a day", "")
                .replace(" by 60%", "")
                .replace(" for 12 services", ""),
        ),
        (
            CategoryId::ActionVerbs,
            BASE.replace("• Built", "• Responsible for")
                .replace("• Cut", "• Worked on")
                .replace("• Designed", "• Helped with"),
        ),
    ];
    for (id, text) in cases {
        let changed = v2(&text, job);
        assert!(
            points(&changed, id) < points(&base, id),
            "{id:?}: {} !< {}",
            points(&changed, id),
            points(&base, id)
        );
    }
    // BASE is far too short (under 150 words); at 400+ words length earns full points.
    let filler = "\n• Reviewed designs with product and support colleagues weekly".repeat(45);
    let longer = v2(&format!("{BASE}{filler}"), job);
    assert_eq!(points(&base, CategoryId::Length), 0.0);
    let c = longer.category(CategoryId::Length).unwrap();
    assert!(c.points > 0.0, "{c:?}");
}

#[test]
fn recommendations_are_sorted_by_gain_and_each_gain_is_the_real_rescore_difference() {
    let job = shared_job("backend-eng");
    let resume = "Sam Doe\nEXPERIENCE\nDeveloper, Acme, 2019 - 2024\n• Responsible for the Python API\n• Worked on Docker images\n• Helped with SQL reports\n";
    let options = Options {
        variant: Variant::V2,
        today: Some(month_index(2026, 11)),
    };
    let r = score_with(resume, &job, options).unwrap();
    assert!(r.recommendations.len() >= 5, "{:#?}", r.recommendations);
    for pair in r.recommendations.windows(2) {
        assert!(pair[0].gain >= pair[1].gain);
    }
    // Re-score by hand what each kind of advice says, and compare.
    let normalized = scoring::normalize::normalize(resume);
    let mut checked = 0;
    for rec in &r.recommendations {
        let edited = match rec.kind {
            RecommendationKind::AlignTitle => {
                normalized.replacen("Sam Doe\n", "Sam Doe\nSenior Backend Engineer\n", 1)
            }
            RecommendationKind::AddSkill => format!(
                "{normalized}• Delivered work using {}\n",
                rec.title.trim_start_matches("Add ")
            ),
            _ => continue,
        };
        let after = score_with(&edited, &job, options).unwrap();
        assert_eq!(rec.gain, after.score - r.score, "{}", rec.title);
        checked += 1;
    }
    assert!(checked >= 4, "{:#?}", r.recommendations);
    let kinds: Vec<RecommendationKind> = r.recommendations.iter().map(|r| r.kind).collect();
    for kind in [
        RecommendationKind::AddSkill,
        RecommendationKind::AlignTitle,
        RecommendationKind::AddMetrics,
        RecommendationKind::UseActionVerbs,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} missing from {kinds:?}");
    }
    assert!(r.recommendations.iter().all(|r| r.gain >= 1));
}

#[test]
fn following_the_top_recommendation_raises_the_score_by_its_gain() {
    let job = "Backend Engineer\nRequirements: Python, Kubernetes, Kafka";
    let resume = "Sam\nEXPERIENCE\n• Built Python services\n";
    let r = v2(resume, job);
    let top = &r.recommendations[0];
    assert_eq!(
        top.kind,
        RecommendationKind::AddSkill,
        "{:#?}",
        r.recommendations
    );
    let skill = top.title.trim_start_matches("Add ");
    let edited = format!("{resume}• Delivered work using {skill}\n");
    assert_eq!(v2(&edited, job).score, r.score + top.gain);
}

#[test]
fn both_variants_return_the_same_shape_with_different_scores() {
    let job = shared_job("backend-eng");
    let a = score(BACKEND_RESUME, &job, Variant::V1).unwrap();
    let b = score(BACKEND_RESUME, &job, Variant::V2).unwrap();
    let ids = |r: &Report| r.categories.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(a.keywords.len(), b.keywords.len());
    assert_eq!(
        (a.algorithm.as_str(), b.algorithm.as_str()),
        ("v1.0", "v2.0")
    );
    // v1 weighs every category equally.
    let applicable: Vec<f64> = a
        .categories
        .iter()
        .filter(|c| c.applies)
        .map(|c| c.max)
        .collect();
    assert!(
        applicable.windows(2).all(|w| (w[0] - w[1]).abs() < 0.01),
        "{applicable:?}"
    );
}

#[test]
fn a_resume_for_another_job_scores_lower() {
    let backend = v2(BACKEND_RESUME, &shared_job("backend-eng"));
    for other in ["frontend-eng", "ml-eng", "product-manager"] {
        let r = v2(BACKEND_RESUME, &shared_job(other));
        assert!(
            r.score + 15 < backend.score,
            "{other}: {} vs {}",
            r.score,
            backend.score
        );
    }
}

#[test]
fn empty_and_oversized_inputs_are_refused_with_a_message() {
    assert_eq!(
        score("  \n", "job", Variant::V2),
        Err(InputProblem::EmptyResume)
    );
    assert_eq!(
        score("resume", "", Variant::V2),
        Err(InputProblem::EmptyJob)
    );
    let long = "a".repeat(MAX_CHARS + 1);
    let err = score(&long, "job", Variant::V2).unwrap_err();
    assert!(matches!(err, InputProblem::TooLong { ref field, .. } if field == "resume"));
    assert!(err.message().contains("100000"), "{}", err.message());
    // Exactly at the limit is fine, counted in characters, not bytes.
    assert!(score(&"é".repeat(MAX_CHARS), "job", Variant::V2).is_ok());
}

#[test]
fn non_english_text_and_emoji_are_scored_without_trouble() {
    let r = v2(
        "Zoë Ångström 🚀\nERFAHRUNG\n• Entwickelte Dienste in Python 🐍 für 2 Mio. Nutzer\n日本語のテキスト",
        "Python-Entwickler (m/w/d)\nAnforderungen: Python, Docker",
    );
    assert_eq!(status(&r, "Python"), Some(KeywordStatus::Matched));
    assert_eq!(status(&r, "Docker"), Some(KeywordStatus::Missing));
    assert!(r.score <= 100);
}

#[test]
fn highlights_point_at_the_matched_words_in_the_normalised_resume() {
    let resume = "EXPERIENCE\n• Ran k8s on ﬁve Postgres nodes";
    let r = v2(resume, "Requirements: Kubernetes, PostgreSQL");
    let text = scoring::normalize::normalize(resume);
    let spans: Vec<&str> = r.highlights.iter().map(|h| &text[h.start..h.end]).collect();
    assert_eq!(spans, ["k8s", "Postgres"]);
}

#[test]
fn the_report_serialises_to_json_and_back() {
    let r = v2(BACKEND_RESUME, &shared_job("backend-eng"));
    let json = serde_json_roundtrip(&r);
    assert_eq!(json, r);
}

fn serde_json_roundtrip(r: &Report) -> Report {
    // serde_json is a dev-dependency only; the engine itself depends on serde alone.
    let s = serde_json::to_string(r).unwrap();
    assert!(s.contains("\"algorithm\":\"v2.0\""));
    assert!(s.contains("\"id\":\"hard_skills\""));
    serde_json::from_str(&s).unwrap()
}

#[test]
fn score_only_and_recommendations_together_equal_the_full_report() {
    let job = shared_job("backend-eng");
    let options = Options {
        variant: Variant::V2,
        today: Some(month_index(2026, 11)),
    };
    let resume = "Sam Doe\nEXPERIENCE\n• Responsible for the Python API\n";
    let full = score_with(resume, &job, options).unwrap();
    let mut split = scoring::score_only(resume, &job, options).unwrap();
    assert!(split.recommendations.is_empty());
    split.recommendations = scoring::recommendations(resume, &job, options).unwrap();
    assert_eq!(split, full);
}

/// The report of `resume` against `job` computed on a new thread, where no
/// job analysis is kept yet.
fn fresh(resume: &str, job: &str) -> Report {
    let (resume, job) = (resume.to_string(), job.to_string());
    std::thread::spawn(move || v2(&resume, &job))
        .join()
        .unwrap()
}

#[test]
fn a_kept_job_analysis_scores_exactly_like_a_fresh_one() {
    let backend = shared_job("backend-eng");
    let frontend = shared_job("frontend-eng");
    let other = "Sam Lee\nEXPERIENCE\nBarista, Bean Co (2019 - 2024)\n• Served 300 customers a day\n• Trained 4 new staff\nSKILLS\nCustomer service, cash handling";
    // The page's sequence: edits of the resume against one job, then another job.
    let first = v2(BACKEND_RESUME, &backend);
    let edited = v2(other, &backend);
    let switched = v2(BACKEND_RESUME, &frontend);
    let back = v2(BACKEND_RESUME, &backend);
    assert_eq!(first, fresh(BACKEND_RESUME, &backend));
    assert_eq!(edited, fresh(other, &backend));
    assert_eq!(switched, fresh(BACKEND_RESUME, &frontend));
    assert_eq!(back, first);
    assert_ne!(
        first.keywords, switched.keywords,
        "another job is read anew"
    );
}
