//! `ats-scorer score`, run as the real binary on real files.

use std::process::{Command, Output};

const RESUME: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../scoring/tests/fixtures/backend-resume.txt"
);
const JOB: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/jobs/backend-eng.txt"
);

fn score(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ats-scorer"))
        .arg("score")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn prints_a_readable_report_by_v3_with_breakdown_keywords_and_recommendations() {
    let out = score(&["--resume", RESUME, "--job", JOB]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.starts_with("ATS match score: "), "{text}");
    for expected in [
        "(v3 v3.0)",
        "Hard skills",
        "Missing keywords:",
        "CircleCI",
        "Recommendations (by points gained)",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[test]
fn json_output_is_the_report_and_names_the_variant() {
    for variant in ["v1", "v2", "v3"] {
        let out = score(&[
            "--resume",
            RESUME,
            "--job",
            JOB,
            "--variant",
            variant,
            "--json",
        ]);
        assert!(out.status.success());
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        assert_eq!(report["variant"], variant);
        assert_eq!(report["algorithm"], format!("{variant}.0"));
        let score = report["score"].as_u64().expect("a number");
        assert!((1..=100).contains(&score));
        assert_eq!(report["categories"].as_array().map(Vec::len), Some(10));
    }
}

#[test]
fn an_empty_resume_exits_with_status_two_and_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    let out = score(&["--resume", empty.to_str().unwrap(), "--job", JOB]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Paste your resume"));
    let out = score(&["--resume", empty.to_str().unwrap(), "--job", JOB, "--json"]);
    let err: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["error"]["code"], "empty_resume");
}

const PDF: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/resumes-pdf/latex/multi-degree-coursework.pdf"
);

#[test]
fn extract_prints_the_text_of_a_pdf() {
    let out = Command::new(env!("CARGO_BIN_EXE_ats-scorer"))
        .args(["extract", PDF])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.starts_with("Jordan Bennett\n"), "{text}");
    assert!(text.contains("Software Engineering Intern on the Machine Learning Team"));
}

#[test]
fn score_reads_a_pdf_resume_through_the_same_extraction() {
    let out = score(&["--resume", PDF, "--job", JOB, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let matched: Vec<&str> = report["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["status"] != "missing")
        .filter_map(|k| k["name"].as_str())
        .collect();
    assert!(matched.contains(&"Kubernetes"), "{matched:?}");
}

#[test]
fn a_missing_file_or_a_damaged_pdf_is_refused_with_a_clear_error() {
    let out = score(&["--resume", "/no/such/file.txt", "--job", JOB]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot read the resume /no/such/file.txt")
    );
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("cv.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n").unwrap();
    let out = score(&["--resume", pdf.to_str().unwrap(), "--job", JOB]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("looks damaged"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
