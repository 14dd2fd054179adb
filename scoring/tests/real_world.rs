//! The real-world fault kinds (`../shared/fixtures/real-world/README.md`) that
//! are about scoring: each fixture by path with its right value, and more
//! forms of the same kind written here.

use std::path::Path;

use scoring::{
    KeywordStatus, Options, Report, Variant,
    job::{DegreeLevel, Importance, analyze_job},
    month_index,
    normalize::normalize,
    profile::analyze,
    score_with,
};

fn fixture(name: &str) -> String {
    // `shared/` beside the checkout, or beside a parent folder (a worktree).
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = here
        .ancestors()
        .map(|a| a.join("shared/fixtures/real-world"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| panic!("shared/fixtures/real-world not found above {here:?}"))
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn report(resume: &str, job: &str) -> Report {
    score_with(
        resume,
        job,
        Options {
            variant: Variant::V2,
            today: Some(month_index(2026, 11)),
        },
    )
    .expect("scorable")
}

fn case(name: &str) -> Report {
    report(
        &fixture(&format!("{name}.resume.txt")),
        &fixture(&format!("{name}.job.txt")),
    )
}

fn status(r: &Report, name: &str) -> Option<KeywordStatus> {
    r.keywords.iter().find(|k| k.name == name).map(|k| k.status)
}

/// The skills the dictionary finds in a text, by name.
fn skills_in(text: &str) -> Vec<String> {
    let d = scoring::skills::dictionary();
    d.find_in(text)
        .iter()
        .map(|m| d.skill(m.skill).name.clone())
        .collect()
}

// ------------------------------------------- short and everyday names ---

#[test]
fn r_and_d_does_not_match_the_r_language() {
    let r = case("02-r-and-d-false-positive");
    assert_eq!(status(&r, "R"), Some(KeywordStatus::Missing));
}

#[test]
fn one_letter_languages_inside_abbreviations_labels_and_names_are_not_matched() {
    for text in [
        "Ran R&D for sensors",
        "Closed a Series C round",
        "Presented to C-level executives and the C-suite",
        "Moved the lab to Building C",
        "Managed the P&L and Q&A sessions",
        "Vitamin C and hepatitis B vaccination campaigns",
        "Reported to John R. Smith",
        "Worked the Shift C rotation on Level R",
    ] {
        let found = skills_in(text);
        assert!(
            !found.iter().any(|s| s == "R" || s == "C"),
            "{text}: {found:?}"
        );
    }
    // The languages themselves still match.
    for (text, skill) in [
        ("Modelled churn in R and Python", "R"),
        ("Wrote firmware in C.", "C"),
        ("C/C++ drivers", "C"),
        ("Statistics (R, SAS)", "R"),
    ] {
        assert!(skills_in(text).iter().any(|s| s == skill), "{text}");
    }
}

#[test]
fn everyday_words_are_not_read_as_skills() {
    for text in [
        "Led the Go-live of the new ward system",
        "A go-getter who will Go above and beyond",
        "Excel at building relationships with clients",
        "Spring 2019 intern cohort",
        "Removed rust from the hull before painting",
        "Monitor vital signs and escalate changes",
        "Replaced transformers and switchgear at two substations",
        "Shipping containers loaded onto trucks",
    ] {
        let found = skills_in(text);
        for wrong in [
            "Go",
            "Microsoft Excel",
            "Excel",
            "Spring",
            "Rust",
            "Observability",
            "Hugging Face",
            "Docker",
        ] {
            assert!(!found.iter().any(|s| s == wrong), "{text}: {found:?}");
        }
    }
    for (text, skill) in [
        ("Built services in Go and Rust", "Go"),
        ("Built services in Go and Rust", "Rust"),
        ("Built Excel models for the budget", "Excel"),
        ("Spring Boot and Spring services", "Spring"),
        ("Set up Prometheus monitoring and alerting", "Observability"),
    ] {
        let found = skills_in(text);
        assert!(found.iter().any(|s| s == skill), "{text}: {found:?}");
    }
}

// ------------------------------------------------------------- dates ---

#[test]
fn a_role_written_to_date_counts_its_years() {
    let r = case("08-to-date-end");
    let years = r.resume.experience_years;
    assert!((6.5..=7.2).contains(&years), "{years}");
}

/// Months of experience a single role line gives, in November 2026.
fn months(line: &str) -> u32 {
    let text = normalize(&format!(
        "EXPERIENCE\nAnalyst, Acme, {line}\n• Built reports\n"
    ));
    analyze(&text, Some(month_index(2026, 11))).experience_months
}

#[test]
fn the_date_range_grammar_is_read_in_all_its_common_forms() {
    // Open ranges: Nov 2023 to Nov 2026 is 37 months.
    for line in [
        "Nov 2023 to date",
        "Nov 2023 till date",
        "Nov 2023 - till date",
        "Nov 2023 till now",
        "Nov 2023 – Current",
        "Nov 2023 — Now",
        "Nov 2023 - ongoing",
        "November 2023 – Present",
        "11/2023 – present",
        "2023-11 – present",
        "Since November 2023",
    ] {
        assert_eq!(months(line), 37, "{line}");
    }
    // Closed ranges: Mar 2019 to Jun 2021 is 28 months.
    for line in [
        "Mar 2019 – Jun 2021",
        "Mar. 2019 - Jun. 2021",
        "March '19 – June '21",
        "Mar '19 - Jun '21",
        "03/2019 - 06/2021",
        "3/19 - 6/21",
        "2019-03 – 2021-06",
        "03.2019 - 06.2021",
        "Mar 2019 through Jun 2021",
        "Mar 2019 until Jun 2021",
        "Mar 2019 to Jun 2021",
        "März 2019 – Juni 2021",
        "Spring 2019 – Summer 2021",
    ] {
        assert_eq!(months(line), 28, "{line}");
    }
    assert_eq!(months("2019-21"), 36);
    assert_eq!(months("2019 — 2021"), 36);
}

#[test]
fn a_date_range_that_cannot_be_read_is_reported_not_dropped() {
    let resume = "EXPERIENCE\nNurse, St. Mary, Jan 2019 - ??\n• Cared for 6 patients\nAide, Oak Care, 2016 - 2018\n• Helped residents\n";
    let r = report(
        resume,
        "Registered Nurse\nRequirements:\n- 3+ years as a nurse",
    );
    assert_eq!(r.resume.unread_dates, 1);
    let reasons = &r.category(scoring::CategoryId::Experience).unwrap().reasons;
    assert!(
        reasons
            .iter()
            .any(|x| !x.ok && x.text.contains("could not be read") && x.text.contains("Jan 2019")),
        "{reasons:?}"
    );
    // The readable role still counts.
    assert!((2.9..=3.1).contains(&r.resume.experience_years));
}

// ----------------------------------------------------------- degrees ---

#[test]
fn a_btech_is_a_bachelors_degree_and_fills_education() {
    let r = case("11-btech-degree");
    assert_eq!(r.resume.degree, Some(DegreeLevel::Bachelor));
    let edu = r.category(scoring::CategoryId::Education).unwrap();
    assert!(
        edu.max > 0.0 && (edu.points - edu.max).abs() < 0.05,
        "{edu:?}"
    );
}

fn degree_of(line: &str) -> Option<DegreeLevel> {
    analyze(&format!("EDUCATION\n{line}\n"), None).degree
}

#[test]
fn degree_names_used_around_the_world_are_read() {
    use DegreeLevel::*;
    for (line, level) in [
        ("B.Tech, Computer Science and Engineering", Bachelor),
        ("B. Tech in Mechanical Engineering", Bachelor),
        ("B.E. Electronics, Anna University", Bachelor),
        ("BE (Civil), 2015", Bachelor),
        ("B.Sc. (Hons) Mathematics", Bachelor),
        ("BSc (Hons) Economics", Bachelor),
        ("BCA, Bangalore University", Bachelor),
        ("B.Com, University of Mumbai", Bachelor),
        ("BSN, University of Illinois", Bachelor),
        ("BS Nursing, 2019", Bachelor),
        ("Licenciatura en Administración", Bachelor),
        ("Laurea in Ingegneria", Bachelor),
        ("LLB (Hons), King's College London", Bachelor),
        ("M.Tech, IIT Delhi", Master),
        ("M.E. Structural Engineering", Master),
        ("MCA, Pune University", Master),
        ("MBA, Wharton", Master),
        ("MS Computer Science, Stanford", Master),
        ("MSN, Family Nurse Practitioner", Master),
        ("Diplom-Ingenieur, TU München", Master),
        ("Laurea Magistrale in Fisica", Master),
        ("Ph.D. Chemistry", Doctorate),
        ("Juris Doctor (J.D.), 2012", Doctorate),
        ("Doctor of Nursing Practice (DNP)", Doctorate),
        ("A.A.S. Electrical Technology", Associate),
        ("Associate of Applied Science, HVAC", Associate),
        ("HND Business, Glasgow Kelvin College", Associate),
        ("ADN, Lakeland Community College", Associate),
    ] {
        assert_eq!(degree_of(line), Some(level), "{line}");
    }
    for line in [
        "High School Diploma, Round Rock High School",
        "Harvard Extension School, Cambridge, MA",
        "Johns Hopkins University, Baltimore, MD",
        "Certified Scrum Master",
        "MS Office and Excel course",
    ] {
        assert_eq!(degree_of(line), None, "{line}");
    }
}

#[test]
fn job_descriptions_name_degrees_by_their_short_forms_only_in_a_degree_context() {
    use DegreeLevel::*;
    for (job, level) in [
        ("Requirements:\n- BS/MS in Computer Science", Bachelor),
        ("Requirements:\n- BS in Accounting; CPA preferred", Bachelor),
        ("Requirements:\n- B.Tech or M.Tech", Bachelor),
        (
            "Requirements:\n- Associate or Bachelor of Science in Nursing",
            Associate,
        ),
        ("Requirements:\n- MBA or equivalent", Master),
    ] {
        assert_eq!(analyze_job(job).degree, Some(level), "{job}");
    }
    for job in [
        "Requirements:\n- Expert in MS Office",
        "Requirements:\n- Report to the BA team lead",
        "Requirements:\n- Based in Boston, MA",
    ] {
        assert_eq!(analyze_job(job).degree, None, "{job}");
    }
}

// ---------------------------------------------------- wrapped clauses ---

#[test]
fn a_soft_ask_wrapped_onto_the_next_line_stays_preferred() {
    let r = case("24-jd-hard-wrapped-cue");
    let k = r
        .keywords
        .iter()
        .find(|k| k.name == "Amazon SageMaker")
        .unwrap();
    assert_eq!(k.importance, Importance::Preferred);
    assert_eq!(
        r.keywords
            .iter()
            .find(|k| k.name == "Python")
            .unwrap()
            .importance,
        Importance::Required
    );
}

fn importance(job: &str, skill: &str) -> Option<Importance> {
    analyze_job(job)
        .skills
        .iter()
        .find(|s| s.name == skill)
        .map(|s| s.importance)
}

#[test]
fn clauses_continue_across_hard_line_breaks_but_not_across_items() {
    for job in [
        "Requirements:\nPython and SQL. Experience with\nKubernetes is a plus.",
        "Requirements:\nPython and SQL; knowledge of\nKubernetes would be nice to have",
        "Requirements: Python and SQL; familiarity\nwith Kubernetes",
        "Requirements:\n  Python and SQL. Ideally you have run\n  production Kubernetes clusters.",
    ] {
        assert_eq!(
            importance(job, "Kubernetes"),
            Some(Importance::Preferred),
            "{job}"
        );
        assert_eq!(
            importance(job, "Python"),
            Some(Importance::Required),
            "{job}"
        );
    }
    // New items and headings still start a new clause.
    for job in [
        "Requirements:\n- Kafka is a plus\n- Kubernetes",
        "Nice to have\nKafka\nRequirements\nKubernetes",
        "Requirements:\n1. Kafka is a plus\n2. Kubernetes",
        "Requirements:\nKafka experience is a plus.\nKubernetes in production",
    ] {
        assert_eq!(
            importance(job, "Kubernetes"),
            Some(Importance::Required),
            "{job}"
        );
    }
}

// -------------------------------------------- verbs of every profession ---

#[test]
fn present_tense_verbs_of_every_profession_count_as_action_verbs() {
    let r = report(&fixture("nurse-fit.resume.txt"), &fixture("nurse.job.txt"));
    assert_eq!(r.resume.bullets_with_action_verbs, r.resume.bullets);
    let text = "EXPERIENCE\n• Provide care for 6 patients\n• Administers IV medications\n• Performed wound care\n• Reconcile 40 accounts monthly\n• Install and troubleshoot panels\n• Teach algebra to 120 students\n• Prospect 50 accounts a week\n• Responsible for filing\n";
    let p = analyze(text, None);
    let strong = p
        .bullets
        .iter()
        .filter(|b| b.opening == scoring::profile::Opening::Strong)
        .count();
    assert_eq!((strong, p.bullets.len()), (7, 8));
}

// ------------------------------------------------- "X or Y" alternatives ---

fn groups(job: &str) -> Vec<Vec<String>> {
    let a = analyze_job(job);
    let mut ids: Vec<u16> = a.skills.iter().filter_map(|s| s.group).collect();
    ids.sort();
    ids.dedup();
    ids.iter()
        .map(|g| {
            let mut names: Vec<String> = a
                .skills
                .iter()
                .filter(|s| s.group == Some(*g))
                .map(|s| s.name.clone())
                .collect();
            names.sort();
            names
        })
        .collect()
}

#[test]
fn alternatives_in_a_requirement_form_one_group() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        groups("Requirements:\n- 5+ years of Rust or Go"),
        [s(&["Go", "Rust"])]
    );
    assert_eq!(
        groups("Requirements:\n- AWS, GCP or Azure"),
        [s(&[
            "Amazon Web Services",
            "Google Cloud Platform",
            "Microsoft Azure"
        ])]
    );
    assert_eq!(
        groups("Requirements:\n- QuickBooks/Xero\n- CPA and/or CMA"),
        [s(&["QuickBooks", "Xero"]), s(&["CMA", "CPA"])]
    );
    // A list joined by "and" is several requirements.
    assert!(groups("Requirements:\n- Python, SQL and Docker").is_empty());
    // A skill also asked on its own is its own requirement.
    assert!(groups("Requirements:\n- Python\n- Python or Go").is_empty());
}

#[test]
fn in_v3_either_alternative_meets_the_requirement() {
    let job = "Backend Engineer\nRequirements:\n- Kubernetes\n- Rust or Go\n";
    let base =
        "EXPERIENCE\nEngineer, Acme, 2019 - 2024\n• Ran Kubernetes clusters for 40 services\n";
    let v3 = |extra: &str| {
        score_with(
            &format!("{base}• Built 12 services in {extra}\n"),
            job,
            Options {
                variant: Variant::V3,
                today: None,
            },
        )
        .unwrap()
    };
    let (rust, go) = (v3("Rust"), v3("Go"));
    let hard = |r: &Report| r.category(scoring::CategoryId::HardSkills).unwrap().points;
    assert_eq!(hard(&rust), hard(&go));
    // Knowing one is worth as much as knowing both.
    assert_eq!(hard(&rust), hard(&v3("Rust and Go")));
    let reasons = &go
        .category(scoring::CategoryId::HardSkills)
        .unwrap()
        .reasons;
    assert!(
        !reasons.iter().any(|r| r.text.contains("Missing")),
        "{reasons:?}"
    );
    // v2 is unchanged: each alternative is its own requirement there.
    let v2 = report(&format!("{base}• Built 12 services in Go\n"), job);
    assert_eq!(status(&v2, "Rust"), Some(KeywordStatus::Missing));
    let v2_hard = v2.category(scoring::CategoryId::HardSkills).unwrap();
    assert!(v2_hard.points < v2_hard.max);
}
