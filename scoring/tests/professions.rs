//! Job descriptions of many professions, written for these tests (invented
//! employers): the terms a recruiter in that field would search for must be
//! found as the job's keywords, and ordinary words must not turn into false
//! ones.

use std::path::Path;

use scoring::job::analyze_job;

/// The job's keywords by name.
fn keywords(job: &str) -> Vec<String> {
    analyze_job(job)
        .skills
        .into_iter()
        .map(|s| s.name)
        .collect()
}

fn check(profession: &str, job: &str, wanted: &[&str], never: &[&str]) {
    let found = keywords(job);
    let missing: Vec<&&str> = wanted
        .iter()
        .filter(|w| !found.iter().any(|f| f == *w))
        .collect();
    assert!(
        missing.is_empty(),
        "{profession}: missing {missing:?}; found {found:?}"
    );
    for n in never {
        assert!(
            !found.iter().any(|f| f == n),
            "{profession}: false keyword {n}; found {found:?}"
        );
    }
}

#[test]
fn a_registered_nurse_job_yields_the_terms_a_hospital_recruiter_searches() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = here
        .ancestors()
        .map(|a| a.join("shared/fixtures/real-world/nurse.job.txt"))
        .find(|p| p.is_file())
        .expect("shared/fixtures/real-world/nurse.job.txt");
    let job = std::fs::read_to_string(path).unwrap();
    check(
        "nurse",
        &job,
        &[
            "IV Therapy",
            "Wound Care",
            "ACLS",
            "BLS",
            "Telemetry",
            "Discharge Planning",
            "Medication Administration",
            "Patient Education",
            "CMSRN",
            "BSN",
            "Epic",
            "Vital Signs",
            "Care Planning",
            "Acute Care",
            "RN License",
        ],
        &["Observability", "Technical Writing", "Docker"],
    );
}

#[test]
fn an_accountant_job_yields_accounting_terms() {
    let job = "Senior Staff Accountant\n\nHarbor Foods is hiring a Senior Staff Accountant.\n\nResponsibilities\n- Own the month-end close: journal entries, accruals and account reconciliations\n- Maintain the general ledger and fixed assets in NetSuite\n- Prepare financial statements under US GAAP and support the annual audit\n- Build variance analysis in Excel with pivot tables and VLOOKUP\n\nRequirements\n- Bachelor's degree in Accounting; CPA or CPA candidate\n- 3+ years of public or corporate accounting\n- Revenue recognition (ASC 606) and intercompany accounting\n\nNice to have\n- BlackLine, Sage Intacct\n";
    check(
        "accountant",
        job,
        &[
            "Month-End Close",
            "Journal Entries",
            "Accruals",
            "Reconciliation",
            "General Ledger",
            "Fixed Assets",
            "NetSuite",
            "Financial Statements",
            "GAAP",
            "Auditing",
            "Variance Analysis",
            "Excel",
            "Pivot Tables",
            "VLOOKUP",
            "CPA",
            "Accounting",
            "Revenue Recognition",
            "Intercompany Accounting",
            "BlackLine",
            "Sage Intacct",
        ],
        &["Observability"],
    );
}

#[test]
fn a_teacher_job_yields_teaching_terms() {
    let job = "High School Mathematics Teacher\n\nResponsibilities\n- Plan and teach Algebra I, Geometry and AP Calculus to grades 9-12\n- Use formative assessment and differentiated instruction to reach every learner\n- Implement IEPs and 504 plans with the special education team\n- Keep a positive classroom through PBIS and restorative practices\n- Use Google Classroom, Desmos and the interactive whiteboard daily\n\nRequirements\n- State teaching license in secondary mathematics\n- Bachelor's degree in Mathematics or Education\n- Experience with Common Core standards and lesson planning\n- Classroom management\n\nPreferred\n- ESL endorsement\n";
    check(
        "teacher",
        job,
        &[
            "Algebra",
            "Geometry",
            "Calculus",
            "Formative Assessment",
            "Differentiated Instruction",
            "IEP",
            "504 Plans",
            "Special Education",
            "PBIS",
            "Restorative Practices",
            "Google Classroom",
            "Desmos",
            "Interactive Whiteboards",
            "Teaching License",
            "Common Core",
            "Lesson Planning",
            "Classroom Management",
            "ESL",
        ],
        &["Observability", "Docker"],
    );
}

#[test]
fn a_sales_job_yields_selling_terms() {
    let job = "Account Executive, Mid-Market\n\nWe sell B2B SaaS to finance teams.\n\nWhat you'll do\n- Run the full sales cycle from prospecting to close, with consultative selling\n- Own pipeline management in Salesforce and record calls in Gong\n- Build lists with ZoomInfo and LinkedIn Sales Navigator; sequence in Outreach.io\n- Upsell and cross-sell existing accounts; own territory planning\n\nRequirements\n- 3+ years of SaaS sales with consistent quota attainment\n- MEDDIC or a similar qualification method\n- Strong negotiation and presentation skills\n";
    check(
        "salesperson",
        job,
        &[
            "B2B Sales",
            "SaaS Sales",
            "Prospecting",
            "Consultative Selling",
            "Pipeline Management",
            "Salesforce",
            "Gong",
            "ZoomInfo",
            "LinkedIn Sales Navigator",
            "Outreach.io",
            "Upselling",
            "Territory Management",
            "Quota Attainment",
            "MEDDIC",
            "Negotiation",
        ],
        &["Observability", "Go", "Accounting"],
    );
}

#[test]
fn an_electrician_job_yields_trade_terms() {
    let job = "Journeyman Electrician - Commercial\n\nResponsibilities\n- Install conduit, wiring and panels to the National Electrical Code (NEC)\n- Read blueprints and electrical schematics; troubleshoot with a multimeter\n- Wire motor controls, three-phase power and fire alarm systems\n- Follow OSHA rules and lockout/tagout on every job\n\nRequirements\n- Journeyman electrician license\n- 4+ years of commercial electrical work\n- Conduit bending (EMT conduit up to 4 inches)\n\nPreferred\n- PLC troubleshooting\n- OSHA 30\n";
    check(
        "electrician",
        job,
        &[
            "NEC",
            "Blueprint Reading",
            "Electrical Schematics",
            "Multimeter",
            "Motor Controls",
            "Three-Phase Power",
            "Fire Alarm Systems",
            "OSHA",
            "Lockout/Tagout",
            "Journeyman Electrician",
            "Conduit Bending",
            "PLC",
        ],
        &["Observability", "Docker"],
    );
}

#[test]
fn a_truck_driver_and_warehouse_job_yields_logistics_terms() {
    let job = "CDL-A Truck Driver / Warehouse Lead\n\nRequirements\n- Class A CDL with a clean record and hazmat endorsement\n- Knowledge of DOT regulations and electronic logging devices (ELD)\n- Forklift and pallet jack certification\n- Route planning for 12 daily stops\n\nIn the warehouse\n- Pick and pack orders with RF scanners and keep cycle counts in the WMS\n- Shipping and receiving, inventory control\n";
    check(
        "truck driver",
        job,
        &[
            "Commercial Driver's License",
            "Hazmat",
            "DOT Regulations",
            "Electronic Logging Devices",
            "Forklift Operation",
            "Pallet Jack",
            "Route Planning",
            "Order Picking",
            "RF Scanner",
            "Cycle Counting",
            "Warehouse Management",
            "Shipping and Receiving",
            "Inventory Management",
        ],
        &["Docker", "Observability"],
    );
}

#[test]
fn a_cook_job_yields_kitchen_terms() {
    let job = "Sous Chef\n\nRequirements\n- ServSafe certification and strict food safety (HACCP)\n- Food preparation for 300 covers a night; menu development with the executive chef\n- Culinary arts degree or equivalent; pastry a plus\n- Inventory management and vendor management\n- Catering and banquets\n";
    check(
        "cook",
        job,
        &[
            "ServSafe",
            "Food Safety",
            "HACCP",
            "Food Preparation",
            "Menu Development",
            "Culinary Arts",
            "Pastry",
            "Inventory Management",
            "Vendor Management",
            "Catering",
        ],
        &["Docker"],
    );
}

#[test]
fn a_paralegal_job_yields_legal_terms() {
    let job = "Litigation Paralegal\n\nRequirements\n- 3+ years supporting litigation: document review, deposition preparation, trial preparation\n- Legal research in Westlaw and LexisNexis; Bluebook citation\n- eDiscovery in Relativity; court filings (e-filing)\n- Notary public preferred\n";
    check(
        "paralegal",
        job,
        &[
            "Paralegal",
            "Litigation",
            "Document Review",
            "Depositions",
            "Trial Preparation",
            "Legal Research",
            "Westlaw",
            "LexisNexis",
            "Legal Citation",
            "eDiscovery",
            "Relativity",
            "Court Filings",
            "Notary Public",
        ],
        &["Docker"],
    );
}

#[test]
fn an_hr_job_yields_people_terms() {
    let job = "HR Generalist\n\nRequirements\n- Full-cycle recruiting with behavioral interviewing\n- Employee relations, performance management and employee engagement programs\n- Benefits administration and payroll in ADP; HRIS data in BambooHR\n- Employment law: FMLA, FLSA and EEO\n- SHRM-CP or PHR preferred\n- Succession planning and workforce planning\n";
    check(
        "hr",
        job,
        &[
            "Full-Cycle Recruiting",
            "Behavioral Interviewing",
            "Employee Relations",
            "Performance Management",
            "Employee Engagement",
            "Compensation and Benefits",
            "Payroll",
            "ADP",
            "HRIS",
            "BambooHR",
            "Employment Law",
            "FMLA",
            "FLSA",
            "EEO",
            "SHRM-CP",
            "PHR",
            "Succession Planning",
            "Workforce Planning",
        ],
        &["Docker"],
    );
}

#[test]
fn a_designer_and_a_public_sector_job_yield_their_terms() {
    let design = "Graphic Designer\n\nRequirements\n- Adobe Creative Suite: Photoshop, Illustrator, InDesign\n- Typography, color theory and layout for print design and packaging design\n- Logo design and illustration; Figma for visual design\n";
    check(
        "designer",
        design,
        &[
            "Adobe Creative Suite",
            "Adobe Photoshop",
            "Adobe Illustrator",
            "Adobe InDesign",
            "Typography",
            "Color Theory",
            "Print Design",
            "Packaging Design",
            "Logo Design",
            "Illustration",
            "Figma",
            "Visual Design",
        ],
        &["Docker"],
    );
    let public = "Program Analyst (Grants)\n\nRequirements\n- Grant writing and grants management for federal programs\n- Policy analysis and program evaluation\n- Community outreach with local partners\n- Secret clearance; knowledge of the Federal Acquisition Regulation (FAR)\n- Records management\n";
    check(
        "public sector",
        public,
        &[
            "Grant Writing",
            "Grants Management",
            "Policy Analysis",
            "Program Evaluation",
            "Community Outreach",
            "Security Clearance",
            "FAR",
            "Records Management",
        ],
        &["Docker"],
    );
}
