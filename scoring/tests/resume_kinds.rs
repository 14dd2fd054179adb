//! Resume-side fault kinds found by the v3 tester: date ranges, degrees, short
//! or everyday skill names read without context, acronyms and their
//! expansions, verb forms of skills and action verbs. Each kind with several
//! forms written here (invented people), not only the tester's examples.

use scoring::job::DegreeLevel;
use scoring::{
    KeywordStatus, Options, Report, Variant, month_index, normalize::normalize, profile::Opening,
    profile::analyze, score_with,
};

const TODAY: (u32, u32) = (2026, 11);

fn today() -> u32 {
    month_index(TODAY.0, TODAY.1)
}

/// Months of experience and the number of unread date lines of a resume whose
/// experience section holds `lines`.
fn months(lines: &str) -> (u32, usize) {
    let text = normalize(&format!("Dana Whitfield\n\nEXPERIENCE\n{lines}\n"));
    let p = analyze(&text, Some(today()));
    (p.experience_months, p.unread_dates.len())
}

fn months_since(year: u32, month: u32) -> u32 {
    today() - month_index(year, month) + 1
}

fn report(resume: &str, job: &str) -> Report {
    score_with(
        resume,
        job,
        Options {
            variant: Variant::V3,
            today: Some(today()),
        },
    )
    .expect("scorable")
}

fn status(r: &Report, name: &str) -> Option<KeywordStatus> {
    r.keywords
        .iter()
        .find(|k| k.name.eq_ignore_ascii_case(name))
        .map(|k| k.status)
}

// ---- 1. Date ranges -------------------------------------------------------

#[test]
fn an_open_ended_range_runs_to_today() {
    for line in [
        "Shift Supervisor, Harbor Foods, 2019–",
        "Shift Supervisor, Harbor Foods, 2019 -",
        "Shift Supervisor, Harbor Foods | 2019 –",
    ] {
        assert_eq!(months(line), (months_since(2019, 1), 0), "{line}");
    }
    for line in [
        "Dental Assistant, Brightsmile, March 2021 –",
        "Dental Assistant, Brightsmile, Mar 2021 -",
        "Dental Assistant, Brightsmile (03/2021 –)",
    ] {
        assert_eq!(months(line), (months_since(2021, 3), 0), "{line}");
    }
}

#[test]
fn a_range_whose_end_wrapped_to_the_next_line_is_not_open_ended() {
    // Not counted to today; reported as unread rather than guessed.
    let (m, unread) = months("Porter, Grand Hotel, Jan 2019 –\nDec 2020");
    assert!(m < months_since(2019, 1), "{m}");
    assert_eq!(unread, 1);
}

#[test]
fn wrapped_prose_ending_in_to_is_not_an_open_range() {
    assert_eq!(
        months("Clerk, Ames County, 2016 - 2018\n• Promoted in March 2019 to\nrecords lead"),
        (36, 0)
    );
}

#[test]
fn full_iso_dates_read_as_their_months() {
    assert_eq!(
        months("Bookkeeper, Lark & Co, 2019-01-15 to 2024-06-30"),
        (66, 0)
    );
    assert_eq!(
        months("Bookkeeper, Lark & Co, 2020-03-01 – 2020-08-31"),
        (6, 0)
    );
    assert_eq!(
        months("Bookkeeper, Lark & Co, 2022-09-05 - present"),
        (months_since(2022, 9), 0)
    );
}

#[test]
fn month_names_and_present_words_of_european_languages_are_read() {
    assert_eq!(
        months("Comptable, Cabinet Roux, janvier 2019 – aujourd'hui"),
        (months_since(2019, 1), 0)
    );
    assert_eq!(
        months("Buchhalterin, Meyer GmbH, März 2018 – heute"),
        (months_since(2018, 3), 0)
    );
    assert_eq!(
        months("Contable, Grupo Sol, enero 2017 - diciembre 2018"),
        (24, 0)
    );
    assert_eq!(
        months("Contabile, Studio Rossi, settembre 2020 – oggi"),
        (months_since(2020, 9), 0)
    );
    assert_eq!(
        months("Contabilista, Lisboa Lda, junho 2015 – atual"),
        (months_since(2015, 6), 0)
    );
}

#[test]
fn a_two_digit_year_after_an_apostrophe_is_a_year() {
    assert_eq!(
        months("Line Cook, Tasca Nova, '19 – Present"),
        (months_since(2019, 1), 0)
    );
    assert_eq!(months("Line Cook, Tasca Nova, '15 – '17"), (36, 0));
    // A curly apostrophe as word processors write it.
    assert_eq!(
        months("Line Cook, Tasca Nova, \u{2019}20 \u{2014} Present"),
        (months_since(2020, 1), 0)
    );
}

#[test]
fn quarters_run_from_the_first_month_to_the_last() {
    assert_eq!(months("Analyst, Fenwick Bank, Q2 2012 – Q4 2018"), (81, 0));
    assert_eq!(months("Analyst, Fenwick Bank, Q1 2020 - Q1 2020"), (3, 0));
    assert_eq!(
        months("Analyst, Fenwick Bank, Q3 2023 – Present"),
        (months_since(2023, 7), 0)
    );
}

#[test]
fn an_unreadable_range_is_reported_not_dropped() {
    for line in [
        "Welder, Ironside Fab, 2019 - sometime",
        "Welder, Ironside Fab, Jan 2019 - ??",
        "Welder, Ironside Fab, 2015 – mid 2018",
        "Welder, Ironside Fab, Jan 2019 to TBD",
    ] {
        assert_eq!(months(line), (0, 1), "{line}");
    }
}

#[test]
fn a_future_end_is_capped_at_today() {
    assert_eq!(
        months("Site Lead, Copperline, Jan 2024 – Dec 2030"),
        (months_since(2024, 1), 0)
    );
    assert_eq!(
        months("Site Lead, Copperline, 2025 - 2029"),
        (months_since(2025, 1), 0)
    );
}

#[test]
fn a_validity_period_of_a_certificate_adds_no_experience() {
    let text = normalize(
        "Omar Reyes\n\nEXPERIENCE\nWarehouse Associate, Tidewater, 2020 - 2022\n\nCERTIFICATIONS\nForklift Operator Certification, 2012 – 2026\nOSHA 10, 2018 - 2023\n\nLICENSES\nCDL Class A, 2016 - 2028\n",
    );
    assert_eq!(analyze(&text, Some(today())).experience_months, 36);
    // Outside a certifications section, a line saying "valid"/"expires".
    assert_eq!(
        months(
            "Warehouse Associate, Tidewater, 2020 - 2022\nForklift Operator Certification, valid 2012 – 2026\nServSafe Manager, expires 2025 - 2027"
        ),
        (36, 0)
    );
}

// ---- 2. Degrees -------------------------------------------------------------

fn degree_of(line: &str) -> Option<DegreeLevel> {
    analyze(
        &normalize(&format!("Noor Haddad\n\nEDUCATION\n{line}\n")),
        Some(today()),
    )
    .degree
}

#[test]
fn degree_names_of_every_profession_and_country_are_read() {
    for (line, level) in [
        (
            "Licence en Sciences de Gestion, Université de Lyon, 2015",
            DegreeLevel::Bachelor,
        ),
        ("Licence ès Lettres, Sorbonne", DegreeLevel::Bachelor),
        ("B.Acc., University of Waterloo", DegreeLevel::Bachelor),
        ("M.Acc., University of Texas", DegreeLevel::Master),
        ("B.S.B. in Finance, Ohio State", DegreeLevel::Bachelor),
        ("BSBA, Marketing, Drake University", DegreeLevel::Bachelor),
        ("B.S.N., Emory University", DegreeLevel::Bachelor),
        ("BSN, University of Iowa", DegreeLevel::Bachelor),
        (
            "MSW, Boston College School of Social Work",
            DegreeLevel::Master,
        ),
        ("M.S.W., Smith College", DegreeLevel::Master),
        ("DPT, Northwestern University", DegreeLevel::Doctorate),
        ("PharmD, Purdue University", DegreeLevel::Doctorate),
        ("JD, Georgetown Law", DegreeLevel::Doctorate),
        ("J.D., Fordham University", DegreeLevel::Doctorate),
        ("DVM, Cornell University", DegreeLevel::Doctorate),
        (
            "Associate of Applied Science, Welding Technology",
            DegreeLevel::Associate,
        ),
        (
            "A.A.S. Culinary Arts, Sullivan University",
            DegreeLevel::Associate,
        ),
    ] {
        assert_eq!(degree_of(line), Some(level), "{line}");
    }
}

#[test]
fn a_licence_that_is_not_a_degree_is_not_read_as_one() {
    assert_eq!(degree_of("Driving licence, category B"), None);
    assert_eq!(degree_of("Food handler licence"), None);
}

#[test]
fn advice_for_a_missing_degree_gives_a_neutral_example_in_the_jobs_field() {
    let job = "Staff Accountant\n\nRequirements:\n- Bachelor's degree in Accounting\n- Reconciliations and month-end close\n";
    let resume = "Lena Park\nlena@example.com\n\nEXPERIENCE\nStaff Accountant, Ridge LLC, 2019 - 2024\n• Reconciled 40 accounts monthly\n\nEDUCATION\nUndeclared studies, Ridge Community College\n";
    let r = report(resume, job);
    let education: Vec<&str> = r
        .categories
        .iter()
        .filter(|c| c.label == "Education")
        .flat_map(|c| c.reasons.iter().map(|x| x.text.as_str()))
        .collect();
    let text = education.join(" ");
    assert!(text.contains("no degree found"), "{text}");
    assert!(!text.contains("Computer Science"), "{text}");
    assert!(text.contains("Accounting"), "{text}");
}

// ---- 3. Short or everyday skill names need context ---------------------------

/// The status of `skill` when a resume whose experience holds `bullet` is
/// scored against `job`.
fn seen(job: &str, bullet: &str, skill: &str) -> Option<KeywordStatus> {
    let resume = format!(
        "Jordan Ames\njordan@example.com\n\nEXPERIENCE\nSpecialist, Northwind, 2019 - 2024\n• {bullet}\n"
    );
    status(&report(&resume, job), skill)
}

fn matched(job: &str, bullet: &str, skill: &str) -> bool {
    matches!(
        seen(job, bullet, skill),
        Some(KeywordStatus::Matched | KeywordStatus::Listed)
    )
}

const C_JOB: &str = "Embedded Engineer\n\nRequirements:\n- 3 years of C\n- Linux device drivers\n";
const PR_JOB: &str = "Communications Specialist\n\nRequirements:\n- PR campaigns and media relations\n- Press releases\n";
const AP_JOB: &str = "Accounts Payable Specialist\n\nRequirements:\n- 2 years of AP experience\n- Invoice processing\n";
const SPARK_JOB: &str = "Data Engineer\n\nRequirements:\n- Apache Spark\n- Python\n";
const REACT_JOB: &str = "Frontend Developer\n\nRequirements:\n- React\n- TypeScript\n";
const CNA_JOB: &str =
    "Nursing Assistant\n\nRequirements:\n- Current CNA certification\n- Vital signs\n";

#[test]
fn a_letter_inside_another_term_is_not_the_language() {
    for bullet in [
        "Presented quarterly results to the C-suite",
        "Earned a grade C in statistics and retook the course",
        "Moved stock to Building C every morning",
    ] {
        assert!(!matched(C_JOB, bullet, "C"), "{bullet}");
    }
    assert!(matched(
        C_JOB,
        "Wrote sensor firmware in C for 12 devices",
        "C"
    ));
}

#[test]
fn an_acronym_followed_by_its_other_meaning_in_parentheses_is_that_meaning() {
    for bullet in [
        "Reviewed PR (pull requests) for 4 repositories",
        "Merged 120 PRs (pull requests) a quarter",
    ] {
        assert!(!matched(PR_JOB, bullet, "Public Relations"), "{bullet}");
    }
    assert!(matched(
        PR_JOB,
        "Ran PR campaigns for 3 clients",
        "Public Relations"
    ));
    assert!(matched(
        PR_JOB,
        "Ran PR (public relations) campaigns for 3 clients",
        "Public Relations"
    ));
    assert!(matched(
        CNA_JOB,
        "Worked as a CNA (certified nursing assistant) on a 30-bed unit",
        "CNA"
    ));
}

#[test]
fn an_acronym_that_starts_another_term_is_not_the_skill() {
    for bullet in [
        "Edited 30 press releases in AP style",
        "AP Scholar; passed AP Calculus and AP Biology",
        "Tutored students for AP exams",
    ] {
        assert!(!matched(AP_JOB, bullet, "Accounts Payable"), "{bullet}");
    }
    assert!(!matched(
        CNA_JOB,
        "Migrated the CNA domain to a new registrar",
        "CNA"
    ));
    assert!(matched(
        CNA_JOB,
        "CNA certified since 2019; cared for 12 residents",
        "CNA"
    ));
}

#[test]
fn a_tool_name_used_as_a_verb_is_the_verb() {
    for bullet in [
        "Ran workshops to spark interest in science among 200 pupils",
        "Used games to spark curiosity in young readers",
    ] {
        assert!(!matched(SPARK_JOB, bullet, "Apache Spark"), "{bullet}");
    }
    for bullet in [
        "Trained staff to react quickly in emergencies",
        "Learned to react calmly to 40 customer complaints a day",
        "Able to react to changing priorities",
    ] {
        assert!(!matched(REACT_JOB, bullet, "React"), "{bullet}");
    }
    assert!(matched(
        SPARK_JOB,
        "Built 20 pipelines on Apache Spark",
        "Apache Spark"
    ));
    assert!(matched(
        SPARK_JOB,
        "Tuned Spark SQL jobs, cutting runtime by 40%",
        "Apache Spark"
    ));
    assert!(matched(
        REACT_JOB,
        "Built dashboards with React, Redux and TypeScript",
        "React"
    ));
    assert!(matched(REACT_JOB, "React developer for 3 years", "React"));
}

// ---- 4. An acronym and its expansion are one requirement ---------------------

#[test]
fn an_acronym_and_its_expansion_match_each_other() {
    let full_job =
        "Accounts Payable Clerk\n\nRequirements:\n- Accounts payable and vendor reconciliations\n";
    assert!(matched(
        AP_JOB,
        "Processed accounts payable for 300 vendors",
        "Accounts Payable"
    ));
    assert!(matched(
        full_job,
        "Ran AP for 300 vendors, 1,200 invoices a month",
        "Accounts Payable"
    ));
    let ar_job = "Collections Specialist\n\nRequirements:\n- AR aging and collections\n";
    assert!(matched(
        ar_job,
        "Managed accounts receivable of $2M",
        "Accounts Receivable"
    ));
}

#[test]
fn an_acronym_the_job_spells_out_matches_its_expansion_in_the_resume() {
    let job = "Clinical Pharmacist\n\nRequirements:\n- Medication Therapy Management (MTM) for 30 patients a week\n- Experience with TPN (total parenteral nutrition)\n";
    assert!(matched(
        job,
        "Ran medication therapy management reviews for 400 patients",
        "MTM"
    ));
    assert!(matched(job, "Led 25 MTM consults a week", "MTM"));
    assert!(matched(
        job,
        "Compounded total parenteral nutrition for 12 NICU patients",
        "TPN"
    ));
    assert!(!matched(job, "Managed the team's time", "MTM"));
}

// ---- 5. Verb forms of skills and action verbs -------------------------------

#[test]
fn past_tense_and_verb_forms_match_the_skill_phrase() {
    let phleb =
        "Phlebotomist\n\nRequirements:\n- Phlebotomy and specimen labeling\n- Patient education\n";
    assert!(matched(
        phleb,
        "Drew blood from 30 patients a day",
        "Phlebotomy"
    ));
    assert!(matched(
        phleb,
        "Educated clients on fasting before 25 tests a day",
        "Patient Education"
    ));
    assert!(matched(
        phleb,
        "Educates patients on aftercare",
        "Patient Education"
    ));
    let soft = "Service Manager\n\nRequirements:\n- Negotiation\n- Problem solving\n- Leadership\n- Customer service\n";
    assert!(matched(
        soft,
        "Negotiated 14 vendor contracts, saving $80K",
        "Negotiation"
    ));
    assert!(matched(
        soft,
        "Troubleshot 25 service calls a week",
        "Problem Solving"
    ));
    assert!(matched(
        soft,
        "Supervised 6 technicians on two shifts",
        "Leadership"
    ));
}

#[test]
fn irregular_and_clinical_verbs_open_bullets_as_action_verbs() {
    let text = normalize(
        "Rosa Lind\n\nEXPERIENCE\nL&D Nurse, St. Clare, 2018 - 2024\n• Induced labor for 60 patients under protocol\n• Placed 200 IV lines\n• Took vital signs every 4 hours\n• Kept charts current in Epic\n• Drew blood for 30 lab panels a day\n• Assisted in 40 surgeries as circulating nurse\n• Assisted with 25 deliveries a month\n• Assisted the charge nurse\n• Responsible for supplies\n",
    );
    let p = analyze(&text, Some(today()));
    let openings: Vec<Opening> = p.bullets.iter().map(|b| b.opening).collect();
    assert_eq!(
        openings,
        [
            Opening::Strong,
            Opening::Strong,
            Opening::Strong,
            Opening::Strong,
            Opening::Strong,
            Opening::Strong,
            Opening::Strong,
            Opening::Weak,
            Opening::Weak,
        ]
    );
}

const THERAPY_JOB: &str = "Rehabilitation Aide\n\nRequirements:\n- Support the PT and OT staff with patient transfers\n- ER experience is a plus\n- Knowledge of ASL preferred\n- Works with children with CP\n";

#[test]
fn the_jobs_own_acronyms_need_capitals_and_context_in_the_resume() {
    let keywords: Vec<String> = report("EXPERIENCE\nAide\n", THERAPY_JOB)
        .keywords
        .iter()
        .map(|k| k.name.clone())
        .collect();
    for acronym in ["PT", "OT", "ER", "American Sign Language", "CP"] {
        assert!(
            keywords.iter().any(|k| k == acronym),
            "{acronym}: {keywords:?}"
        );
    }
    for (bullet, acronym) in [
        ("Worked PT (part-time) while studying", "PT"),
        ("Worked pt at a clinic front desk", "PT"),
        ("Logged OT (overtime) for 12 weekends", "OT"),
        ("Drew ER diagrams for 3 databases", "ER"),
        (
            "Released code under ASL (Apache Software License)",
            "American Sign Language",
        ),
        ("Ran CP (continuous profiling) on 20 services", "CP"),
    ] {
        assert!(!matched(THERAPY_JOB, bullet, acronym), "{bullet}");
    }
    for (bullet, acronym) in [
        ("Assisted the PT with 15 transfers a day", "PT"),
        ("Supported OT sessions for 8 children", "OT"),
        ("ER tech for 2 years, 30 patients a shift", "ER"),
        (
            "Fluent in ASL; interpreted for 5 families",
            "American Sign Language",
        ),
        ("Worked with 6 children with CP", "CP"),
    ] {
        assert!(matched(THERAPY_JOB, bullet, acronym), "{bullet}");
    }
}

#[test]
fn an_acronym_with_its_own_meaning_in_parentheses_still_matches() {
    let job = "Outpatient Therapist\n\nRequirements:\n- Licensed Physical Therapist (PT)\n- Medication Therapy Management (MTM) a plus\n";
    assert!(matched(
        job,
        "Worked as a PT (physical therapist) for 5 years",
        "PT"
    ));
    assert!(matched(
        job,
        "PT (physical therapy) for 40 patients a week",
        "PT"
    ));
    assert!(!matched(job, "Worked PT (part-time) at a gym", "PT"));
    assert!(!matched(
        job,
        "Ran PT (penetration testing) for 3 clients",
        "PT"
    ));
}

#[test]
fn a_letter_before_or_after_a_word_of_another_term_is_not_the_language() {
    for bullet in [
        "Briefed the C suite on 4 audits",
        "Kept a C average while working 30 hours a week",
        "Graded C and above in every course",
    ] {
        assert!(!matched(C_JOB, bullet, "C"), "{bullet}");
    }
}
