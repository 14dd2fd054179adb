//! Job-side kinds of fault a tester found in v3, each tested with several
//! forms written for this file (invented people and employers): years read
//! only from experience requirements, credentials offered as alternatives,
//! credentials counted when listed, advice that fits the profession, and
//! conditions of employment, benefits and place names that are not skills.

use scoring::{
    KeywordStatus, Options, RecommendationKind, Report, Variant,
    job::{TermSort, analyze_job, term_sort},
    month_index, score_with,
    skills::SkillKind,
};

fn run(resume: &str, job: &str) -> Report {
    score_with(
        resume,
        job,
        Options {
            variant: Variant::V3,
            today: Some(month_index(2026, 11)),
        },
    )
    .expect("scorable")
}

fn names(job: &str) -> Vec<String> {
    analyze_job(job)
        .skills
        .into_iter()
        .map(|s| s.name.to_lowercase())
        .collect()
}

fn group_of(job: &str, name: &str) -> Option<u16> {
    analyze_job(job)
        .skills
        .into_iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("{name} not a keyword of {job:?}"))
        .group
}

// 1. Years of experience

#[test]
fn an_age_limit_is_not_a_years_of_experience_requirement() {
    for age in [
        "Must be at least 21 years of age",
        "Applicants must be 21 years or older",
        "You must be at least 18 years old",
        "Candidates 19 years of age or over",
        "Be 18 years or over at the time of hire",
    ] {
        let job = format!(
            "Night Auditor\n\nRequirements:\n- 2+ years of hotel front desk experience\n- {age}\n"
        );
        assert_eq!(analyze_job(&job).years_required, Some(2), "{age}");
        let alone = format!("Night Auditor\n\nRequirements:\n- {age}\n");
        assert_eq!(analyze_job(&alone).years_required, None, "{age}");
    }
}

#[test]
fn company_history_tenure_and_benefits_are_not_years_required() {
    for noise in [
        "Lakeshore Grain has powered western Michigan for 48 years.",
        "Founded 30 years ago, we are family owned.",
        "The average driver has been with us 9 years.",
        "After 5 years you earn 4 weeks of PTO.",
        "Our average tenure is 12 years.",
        "This is a 2-year contract with the county.",
        "Bachelor's degree or a 4-year degree in a related field.",
        "No moving violations in the past 3 years.",
        "Serving the Tri-County area for over 25 years.",
    ] {
        let job = format!(
            "Dispatcher\n\n{noise}\n\nRequirements:\n- 1+ year of dispatch experience\n- Knowledge of routing software\n"
        );
        assert_eq!(analyze_job(&job).years_required, Some(1), "{noise}");
    }
}

#[test]
fn experience_requirements_in_their_usual_forms_are_read() {
    for (ask, years) in [
        ("4+ years of experience in accounts receivable", 4),
        ("Minimum of 3 years as a line cook", 3),
        ("2-4 years in a dental office", 2),
        ("At least five years of progressive HR experience", 5),
        ("3 years' experience with commercial roofing", 3),
    ] {
        let job = format!("Role\n\nRequirements:\n- {ask}\n");
        assert_eq!(analyze_job(&job).years_required, Some(years), "{ask}");
    }
}

#[test]
fn of_several_real_requirements_the_largest_is_kept() {
    let job = "Site Supervisor\n\nRequirements:\n- 5+ years of construction experience\n- 2 years as a supervisor\n";
    assert_eq!(analyze_job(job).years_required, Some(5));
}

// 2. Alternatives for credentials

#[test]
fn credentials_offered_as_alternatives_are_one_requirement() {
    for (job, a, b) in [
        (
            "Vet Tech\n\nRequirements:\n- LVT or RVT required\n",
            "LVT",
            "RVT",
        ),
        (
            "Vet Tech\n\nRequirements:\n- Current LVT/RVT/CVT credential\n",
            "LVT",
            "CVT",
        ),
        ("Controller\n\nRequirements:\n- CPA or CMA\n", "CPA", "CMA"),
        (
            "Ward Nurse\n\nRequirements:\n- Active RN or LPN license\n",
            "Nursing",
            "LPN",
        ),
    ] {
        let ga = group_of(job, a);
        assert!(ga.is_some(), "{a} grouped in {job:?}");
        assert_eq!(ga, group_of(job, b), "{a} and {b} in {job:?}");
    }
}

#[test]
fn either_credential_of_an_alternative_meets_it() {
    let job = "Veterinary Technician\n\nRequirements:\n- LVT or RVT required\n- Dental prophylaxis and anesthesia monitoring\n";
    let with = |cred: &str| {
        let resume = format!(
            "Dana Pike, {cred}\ndana@example.com\n\nEXPERIENCE\nVeterinary Technician, Elm Street Animal Clinic, Jan 2020 - Present\n• Performed dental prophylaxis on 15 patients a week\n• Led anesthesia monitoring for 400 surgeries\n\nLICENSES\n{cred}, State Board\n"
        );
        run(&resume, job)
    };
    for cred in ["LVT", "RVT"] {
        let r = with(cred);
        let missing: Vec<&str> = r
            .keywords
            .iter()
            .filter(|k| k.status == KeywordStatus::Missing && k.group.is_none())
            .map(|k| k.name.as_str())
            .collect();
        assert!(missing.is_empty(), "{cred}: {missing:?}");
        assert!(
            !r.recommendations
                .iter()
                .any(|x| x.title.contains("LVT") || x.title.contains("RVT")),
            "{cred}: {:?}",
            r.recommendations
        );
    }
}

#[test]
fn an_acronym_and_its_spelled_out_name_are_one_credential() {
    let job = "Aircraft Mechanic\n\nRequirements:\n- A&P certificate or Airframe and Powerplant\n";
    let a = analyze_job(job);
    let creds: Vec<&str> = a
        .skills
        .iter()
        .filter(|s| term_sort(&s.name, s.kind) == TermSort::Credential)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(creds.len(), 1, "{creds:?}");
    let resume = "Sam Ortiz\nsam@example.com\n\nEXPERIENCE\nAircraft Mechanic, Redtail Air, Jan 2019 - Present\n• Inspected 30 turboprop engines a year\n\nCERTIFICATIONS\nA&P certificate, FAA\n";
    let r = run(
        resume,
        "Aircraft Mechanic\n\nRequirements:\n- Airframe and Powerplant (A&P) certificate\n",
    );
    assert!(
        r.keywords
            .iter()
            .filter(|k| term_sort(&k.name, k.kind) == TermSort::Credential)
            .all(|k| k.status != KeywordStatus::Missing),
        "{:?}",
        r.keywords
    );
}

// 3. Credentials count fully when listed

const NURSE_JOB: &str = "Registered Nurse - Med/Surg\n\nRequirements:\n- Active RN license\n- BLS and CPR certification\n- Patient assessment and medication administration\n";

fn nurse(header: &str, licences: &str) -> String {
    format!(
        "{header}\npat@example.com | (555) 010-2233 | Austin, TX\n\nEXPERIENCE\nStaff Nurse, Bluebonnet General Hospital, Jan 2019 - Present\n• Completed patient assessment for 6 patients a shift\n• Managed medication administration for a 30-bed unit\n• Cut medication administration errors by 40% with a patient assessment checklist\n\nEDUCATION\nBSN, Hill Country University, 2018\n\n{licences}\n"
    )
}

#[test]
fn a_listed_credential_earns_full_credit_and_no_bullet_advice() {
    for (header, licences) in [
        (
            "Jane Roe, RN, BSN",
            "LICENSES & CERTIFICATIONS\nRN License, Texas\nBLS, CPR (AHA)",
        ),
        (
            "Pat Lane",
            "Licenses: RN license (Texas, compact)\nCertifications: CPR/BLS certified",
        ),
        ("Kim Ode", "CERTIFICATIONS\nBLS\nCPR\nRN License"),
    ] {
        let r = run(&nurse(header, licences), NURSE_JOB);
        // The same credentials shown twice in an experience bullet earn no more.
        let in_bullets = nurse(header, "")
            .replace("\n\nEDUCATION", "\n• Held RN License, BLS and CPR; renewed RN License, BLS and CPR on time\n\nEDUCATION");
        let b = run(&in_bullets, NURSE_JOB);
        let hard = |r: &Report| {
            r.categories
                .iter()
                .find(|c| c.id == scoring::CategoryId::HardSkills)
                .map(|c| c.points)
                .unwrap_or_default()
        };
        assert!(
            hard(&r) + 0.05 >= hard(&b),
            "{header}: listed {} < in bullets {} ({:?})",
            hard(&r),
            hard(&b),
            r.keywords
        );
        for name in ["RN License", "BLS", "CPR"] {
            assert!(
                r.keywords
                    .iter()
                    .any(|k| k.name == name && k.status != KeywordStatus::Missing),
                "{header}: {name} {:?}",
                r.keywords
            );
        }
        for rec in &r.recommendations {
            assert!(
                !(rec.kind == RecommendationKind::ShowSkillInContext
                    && ["CPR", "BLS", "RN"].iter().any(|c| rec.title.contains(c))),
                "{header}: {}",
                rec.title
            );
        }
    }
}

#[test]
fn a_licence_written_another_way_meets_the_licence_asked() {
    for written in [
        "LICENSES\nRegistered Nurse, Texas Board of Nursing",
        "LICENSES\nLicensed RN, State of Texas",
        "CREDENTIALS\nRN, Texas (compact multistate license)",
    ] {
        let r = run(&nurse("Lee Park", written), NURSE_JOB);
        let rn = r.keywords.iter().find(|k| k.name == "RN License");
        assert!(
            rn.is_some_and(|k| k.status != KeywordStatus::Missing),
            "{written}: {:?}",
            r.keywords
        );
    }
    let teacher_job =
        "Elementary Teacher\n\nRequirements:\n- State teaching license\n- Classroom management\n";
    let teacher = "Robin Hale\nrobin@example.com\n\nEXPERIENCE\nTeacher, Oak Hill Elementary, Sep 2019 - Present\n• Led classroom management for 24 students\n\nLICENSES\nMassachusetts Initial License, Elementary (1-6)\n";
    let r = run(teacher, teacher_job);
    assert!(
        r.keywords
            .iter()
            .any(|k| k.name == "Teaching License" && k.status != KeywordStatus::Missing),
        "{:?}",
        r.keywords
    );
}

// 4. Advice that fits the profession

#[test]
fn the_sort_of_a_term_decides_its_advice() {
    assert_eq!(
        term_sort("RN License", SkillKind::Hard),
        TermSort::Credential
    );
    assert_eq!(term_sort("CPR", SkillKind::Hard), TermSort::Credential);
    assert_eq!(term_sort("LVT", SkillKind::Hard), TermSort::Credential);
    assert_eq!(term_sort("Epic", SkillKind::Hard), TermSort::Tool);
    assert_eq!(term_sort("AutoCAD", SkillKind::Hard), TermSort::Tool);
    assert_eq!(term_sort("QuickBooks", SkillKind::Hard), TermSort::Tool);
    assert_eq!(term_sort("SQL", SkillKind::Hard), TermSort::Tool);
    assert_eq!(term_sort("IV Therapy", SkillKind::Hard), TermSort::Practice);
    assert_eq!(term_sort("Wound Care", SkillKind::Hard), TermSort::Practice);
    assert_eq!(term_sort("BSN", SkillKind::Hard), TermSort::Credential);
    assert_eq!(
        term_sort("ServSafe Certification", SkillKind::Hard),
        TermSort::Credential
    );
    assert_eq!(term_sort("Phlebotomy", SkillKind::Hard), TermSort::Practice);
    assert_eq!(term_sort("draw blood", SkillKind::Hard), TermSort::Practice);
    assert_eq!(
        term_sort("periodontal charting", SkillKind::Hard),
        TermSort::Practice
    );
    assert_eq!(term_sort("Teamwork", SkillKind::Soft), TermSort::Soft);
}

#[test]
fn advice_never_says_built_with_a_practice_or_credential() {
    let jobs = [
        "Phlebotomist\n\nRequirements:\n- Draw blood from adult and pediatric patients\n- Venipuncture and specimen labeling\n- CPR certification\n",
        "Dental Assistant\n\nRequirements:\n- Experience with Dentrix\n- Knowledge of periodontal charting\n- Radiology certificate\n",
        "Line Cook\n\nRequirements:\n- Knife skills and food safety\n- ServSafe certification\n",
    ];
    let resume = "Alex Moe\nalex@example.com\n\nEXPERIENCE\nAssistant, Pine Clinic, Jan 2021 - Present\n• Greeted 40 visitors a day\n";
    for job in jobs {
        let r = run(resume, job);
        for rec in r
            .recommendations
            .iter()
            .filter(|x| x.kind == RecommendationKind::AddSkill)
        {
            let name = rec.title.trim_start_matches("Add ");
            let sort = term_sort(name, SkillKind::Hard);
            if sort != TermSort::Tool {
                assert!(!rec.detail.contains("Built"), "{}", rec.detail);
                assert!(!rec.detail.contains("Used "), "{}", rec.detail);
            }
            if sort == TermSort::Credential {
                assert!(rec.detail.contains("Licenses"), "{}", rec.detail);
            }
        }
    }
}

#[test]
fn engineering_outside_software_gets_no_github_advice() {
    let resume = "Morgan Tate\nmorgan@example.com | (555) 010-7788 | Denver, CO | linkedin.com/in/mtate\n\nEXPERIENCE\nProject Engineer, Front Range Design, Jan 2018 - Present\n• Designed stormwater systems for 12 subdivisions\n";
    for title in [
        "Civil Engineer",
        "Structural Engineer II",
        "Mechanical Engineer",
        "Senior Water Resources Engineer",
    ] {
        let job = format!(
            "{title}\n\nRequirements:\n- AutoCAD Civil 3D\n- Stormwater design\n- PE license\n"
        );
        assert!(!analyze_job(&job).wants_link, "{title}");
        let r = run(resume, &job);
        assert!(
            !r.recommendations.iter().any(|x| x.title.contains("GitHub")),
            "{title}"
        );
    }
    for title in ["Software Engineer", "Backend Engineer", "Data Engineer"] {
        let job = format!("{title}\n\nRequirements:\n- Python\n");
        assert!(analyze_job(&job).wants_link, "{title}");
    }
}

#[test]
fn a_heading_advice_uses_the_article_its_sound_needs() {
    assert_eq!(scoring::recommend::article("Education"), "an");
    assert_eq!(scoring::recommend::article("Experience"), "an");
    assert_eq!(scoring::recommend::article("Skills"), "a");
    assert_eq!(scoring::recommend::article("Summary"), "a");
    assert_eq!(scoring::recommend::article("RN"), "an");
    let resume = "Alex Moe\nalex@example.com\n\nEXPERIENCE\nCashier, Corner Mart, Jan 2021 - Present\n• Served 200 customers a day\n";
    let job =
        "Cashier\n\nRequirements:\n- Cash handling\n- High school diploma or associate degree\n";
    let r = run(resume, job);
    for rec in r
        .recommendations
        .iter()
        .filter(|x| x.kind == RecommendationKind::AddSection)
    {
        assert!(!rec.title.contains("a “E"), "{}", rec.title);
    }
}

// 5. Conditions of employment, benefits, places are not skills

#[test]
fn conditions_of_employment_are_not_skills() {
    for condition in [
        "Must pass a drug test and background check",
        "Offer contingent on a pre-employment drug screen",
        "Reliable transportation to and from the site",
        "Valid driver's license and clean driving record",
        "Must have own transportation",
    ] {
        let job =
            format!("Stock Associate\n\nRequirements:\n- {condition}\n- Pallet jack operation\n");
        let n = names(&job);
        for w in ["drug", "background", "transportation", "driver", "driving"] {
            assert!(!n.iter().any(|k| k.contains(w)), "{condition}: {n:?}");
        }
    }
    // Doing background checks is a skill of a recruiter.
    let hr = "HR Coordinator\n\nRequirements:\n- Conduct background checks and onboarding for new hires\n";
    assert!(names(hr).iter().any(|k| k.contains("background")));
}

#[test]
fn benefits_are_not_skills() {
    for benefits in [
        "Benefits:\n- Mentorship program\n- Generous PTO\n",
        "What we offer\n- Mentorship from senior staff\n- 401(k) match\n",
        "Perks & Benefits:\n- Coaching and mentorship\n- Tuition reimbursement\n",
        "We offer mentorship, generous PTO and a 401(k) match.\n",
        "You'll enjoy paid coaching and mentorship from day one.\n",
    ] {
        let job = format!(
            "Junior Bookkeeper\n\nRequirements:\n- QuickBooks\n- Bank reconciliation\n\n{benefits}"
        );
        let n = names(&job);
        assert!(n.iter().any(|k| k.contains("quickbooks")), "{n:?}");
        assert!(
            !n.iter()
                .any(|k| k.contains("mentor") || k.contains("pto") || k.contains("coaching")),
            "{benefits}: {n:?}"
        );
    }
}

#[test]
fn place_names_and_generic_phrases_are_not_hard_skills() {
    for item in [
        "Licensed to work in Illinois or Indiana",
        "Handle confidential information with discretion",
        "Maintain light industrial buildings and grounds",
        "Travel across Ohio, Kentucky and Tennessee",
    ] {
        let job = format!("Office Clerk\n\nRequirements:\n- {item}\n- Data entry\n");
        let n = names(&job);
        for bad in [
            "illinois",
            "indiana",
            "ohio",
            "kentucky",
            "tennessee",
            "confidential information",
            "industrial buildings",
        ] {
            assert!(!n.iter().any(|k| k.contains(bad)), "{item}: {n:?}");
        }
    }
}

#[test]
fn compound_terms_stay_whole() {
    let n = names(
        "Driver\n\nRequirements:\n- Experience with drop-and-hook deliveries\n- Live unload and drop-and-hook loads\n",
    );
    assert!(!n.iter().any(|k| k.starts_with("hook")), "{n:?}");
    let n = names(
        "Engineer\n\nRequirements:\n- Prepare PS&E packages\n- File motions in CM/ECF\n- Review R&R reports\n",
    );
    assert!(n.iter().any(|k| k == "ps&e"), "{n:?}");
    assert!(!n.iter().any(|k| k == "ps"), "{n:?}");
    assert!(n.iter().any(|k| k == "cm/ecf"), "{n:?}");
    assert!(!n.iter().any(|k| k == "cm" || k == "ecf"), "{n:?}");
}

#[test]
fn the_fields_of_a_degree_requirement_are_education_not_hard_skills() {
    for ask in [
        "Bachelor's degree in Business or Engineering",
        "Bachelor's degree in Accounting, Finance or Economics",
        "Associate degree in Business Analysis or a related field",
        "BS in Nursing and 2 years of Epic experience",
    ] {
        let job = format!("Coordinator\n\nRequirements:\n- {ask}\n- Scheduling\n");
        let a = analyze_job(&job);
        assert!(a.degree.is_some(), "{ask}");
        let n = names(&job);
        for field in [
            "business",
            "engineering",
            "accounting",
            "finance",
            "economics",
            "nursing",
        ] {
            assert!(
                !n.iter().any(|k| k == field || k == "business analysis"),
                "{ask}: {n:?}"
            );
        }
        if ask.contains("Epic") {
            assert!(n.iter().any(|k| k == "epic"), "{ask}: {n:?}");
        }
    }
}

#[test]
fn a_benefits_title_is_not_a_benefits_section() {
    let job =
        "Employee Benefits\nWe need someone who knows Workday and HRIS administration well.\n";
    let n = names(job);
    assert!(n.iter().any(|k| k.contains("workday")), "{n:?}");
}
