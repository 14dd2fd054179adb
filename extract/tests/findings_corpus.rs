//! Layout findings over the whole shared corpus (61 PDFs): precision and
//! recall of each finding kind against what the pages show, decided by
//! looking at every page rendered (`pdftoppm -png -r 40`), per file.
//!
//! `cargo test -p extract --release --test findings_corpus -- --nocapture`
//! prints the table recorded in `docs/extract.md`.

use std::{collections::BTreeMap, fs, path::Path};

use extract::FindingKind;

/// Two columns side by side on at least one page.
const TWO_COLUMNS: &[&str] = &[
    "google-docs/google-docs-skia-proxy-two-column.pdf",
    "google-docs/google-docs-skia-proxy-two-column-long-role-header.pdf",
    "latex/deedy-resume-macfonts.pdf",
    "latex/deedy-resume-openfonts.pdf",
    "unknown/chromium-asymmetric-sidebar.pdf",
    "unknown/chromium-two-column-sidebar.pdf",
    "unknown/two-column-achievements-sidebar.pdf",
    "unknown/two-column-sidebar-left-anchor-company.pdf",
    "unknown/weasyprint-cairo-two-column.pdf",
];

/// A grid of at least 3 aligned columns over at least 2 rows (award lists
/// with year, name and place; coursework and skill grids). Label-and-value
/// lists (2 columns) and items spaced along a line without aligning with the
/// next line are not grids.
const TABLES: &[&str] = &[
    "google-docs/google-docs-skia-proxy-honors-subheadings.pdf",
    "google-docs/google-docs-skia-proxy-multiline-bullets-coursework.pdf",
    "latex/awesome-cv-cv.pdf",
    "latex/awesome-cv-resume.pdf",
    "latex/deedy-resume-macfonts.pdf",
    "latex/deedy-resume-openfonts.pdf",
    "unknown/label-rail-grid-fragmented.pdf",
    "unknown/letter-spaced-name-heading.pdf",
    "unknown/openresume-react-pdf.pdf",
    "unknown/student-projects-activities-singlecol.pdf",
    "word/chanchal-sharma-sample.pdf",
];

/// The same footer line on every page (the 6 multi-page files were looked at).
const HEADER_FOOTER: &[&str] = &[
    "google-docs/google-docs-skia-proxy-honors-subheadings.pdf",
    "latex/awesome-cv-cv.pdf",
    "latex/awesome-cv-resume.pdf",
];

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/fixtures/resumes-pdf"))
        .find(|p| p.is_dir())
        .expect("the shared corpus beside the checkout")
}

fn kind_name(k: &FindingKind) -> &'static str {
    match k {
        FindingKind::Columns { .. } => "columns",
        FindingKind::Table { .. } => "table",
        FindingKind::HeaderFooter { .. } => "header_footer",
        FindingKind::ImageOnlyPage => "image_only_page",
        FindingKind::BlankPage => "blank_page",
        FindingKind::UndecodableFont { .. } => "undecodable_font",
        FindingKind::SymbolBullets { .. } => "symbol_bullets",
        FindingKind::ContactSplit { .. } => "contact_split",
        _ => "other",
    }
}

#[test]
fn findings_over_the_corpus_match_what_the_pages_show() {
    let root = corpus();
    // file -> kinds reported
    let mut reported: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for folder in ["google-docs", "latex", "unknown", "word"] {
        let mut paths: Vec<_> = fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        paths.sort();
        for p in paths {
            let name = format!("{folder}/{}", p.file_name().unwrap().to_string_lossy());
            let doc = extract::extract(&fs::read(&p).unwrap(), &name).unwrap();
            let kinds = doc.findings.iter().map(|f| kind_name(&f.kind)).collect();
            reported.insert(name, kinds);
        }
    }
    assert_eq!(reported.len(), 61);
    let truth: [(&str, &[&str]); 8] = [
        ("columns", TWO_COLUMNS),
        ("table", TABLES),
        ("header_footer", HEADER_FOOTER),
        ("image_only_page", &[]),
        ("blank_page", &[]),
        ("undecodable_font", &[]),
        ("symbol_bullets", &[]),
        ("contact_split", &[]),
    ];
    println!(
        "| finding | files that have it | reported | true positives | false positives | false negatives | precision | recall |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut wrong = Vec::new();
    for (kind, files) in truth {
        let (mut tp, mut fp, mut fneg) = (0, 0, 0);
        for (file, kinds) in &reported {
            let has = files.contains(&file.as_str());
            let said = kinds.contains(&kind);
            match (has, said) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    wrong.push(format!("{kind}: false positive {file}"));
                }
                (true, false) => {
                    fneg += 1;
                    wrong.push(format!("{kind}: missed {file}"));
                }
                (false, false) => {}
            }
        }
        let ratio = |n: i32, d: i32| {
            if d == 0 {
                "—".to_string()
            } else {
                format!("{:.2}", f64::from(n) / f64::from(d))
            }
        };
        println!(
            "| `{kind}` | {} | {} | {tp} | {fp} | {fneg} | {} | {} |",
            files.len(),
            tp + fp,
            ratio(tp, tp + fp),
            ratio(tp, tp + fneg)
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn text_of(file: &str) -> String {
    let bytes = fs::read(corpus().join(file)).unwrap();
    extract::extract(&bytes, file).unwrap().text
}

#[test]
fn the_two_column_fixtures_start_with_the_name_and_keep_the_email_whole() {
    for (file, name, email) in [
        (
            "latex/deedy-resume-openfonts.pdf",
            "Jane Smith",
            "jane.smith@example.com",
        ),
        (
            "latex/deedy-resume-macfonts.pdf",
            "Jane Smith",
            "jane.smith@example.com",
        ),
        (
            "google-docs/google-docs-skia-proxy-two-column.pdf",
            "Jane Smith",
            "jane.smith@example.com",
        ),
        (
            "google-docs/google-docs-skia-proxy-two-column-long-role-header.pdf",
            "Jordan Avery",
            "jordan.avery@example.com",
        ),
        (
            "unknown/chromium-two-column-sidebar.pdf",
            "Jamie Rivera",
            "jamie.rivera@example.com",
        ),
    ] {
        let text = text_of(file);
        let first: Vec<&str> = text.lines().take(3).collect();
        assert!(first.iter().any(|l| l.contains(name)), "{file}: {first:?}");
        assert!(
            text.split_whitespace()
                .any(|w| w.trim_end_matches(',') == email),
            "{file}: no whole {email}"
        );
    }
    // The sidebar fixture's summary lines are no longer cut at the old gutter.
    let sidebar = text_of("unknown/chromium-two-column-sidebar.pdf");
    assert!(
        sidebar.contains("large cross-functional, cross-site teams to"),
        "{sidebar}"
    );
}

#[test]
fn awesome_cv_date_ranges_keep_their_dash() {
    let text = text_of("latex/awesome-cv-cv.pdf");
    for range in [
        "Mar. 2010 - Aug. 2017",
        "Feb. 2021 - Mar. 2021",
        "Jun. 2018 - Jan. 2021",
    ] {
        assert!(text.contains(range), "{range} missing:\n{text}");
    }
    assert!(text.contains("Back-end"), "{text}");
}
