//! Layout findings and reading order on PDFs built here with lopdf, several
//! forms of each kind: columns of different widths, sidebars left and right,
//! a grid, running headers and footers, pages without text, symbol-font
//! bullets, split contact details, an unreadable font; and what is *not* a
//! finding: a date flush right, centred headings, a label beside its value.

mod common;

use common::{helvetica, line, line_bytes, pdf, pdf_pages};
use extract::{Contact, Edge, Extracted, FindingKind};
use lopdf::{Object, content::Operation, dictionary};

const LOREM: &[&str] = &[
    "Led the migration of billing services to Rust",
    "Cut checkout latency from 900 ms to 210 ms",
    "Mentored four engineers through promotion",
    "Built the on-call runbook used by six teams",
    "Designed the event pipeline for 12 TB a day",
    "Owned the authentication library end to end",
    "Shipped the partner API used by 40 clients",
    "Reduced cloud spend by a quarter in one year",
    "Wrote the style guide for service reviews",
    "Ran the hiring loop for the platform group",
    "Moved deploys from weekly to daily releases",
    "Introduced tracing across thirty services",
];

const SIDE: &[&str] = &[
    "SKILLS",
    "Rust, Go, Python",
    "PostgreSQL, Redis",
    "Kubernetes, Terraform",
    "AWS, GCP",
    "EDUCATION",
    "B.S. Computer Science",
    "State University, 2015",
    "LANGUAGES",
    "English, Spanish",
    "AWARDS",
    "Hackathon winner 2019",
];

fn read(bytes: &[u8]) -> Extracted {
    extract::extract(bytes, "cv.pdf").unwrap()
}

fn kinds(doc: &Extracted) -> Vec<&FindingKind> {
    doc.findings.iter().map(|f| &f.kind).collect()
}

fn columns_found(doc: &Extracted) -> Option<u32> {
    doc.findings.iter().find_map(|f| match f.kind {
        FindingKind::Columns { columns } => Some(columns),
        _ => None,
    })
}

/// A page: a centred name and a contact line across the top, then a main
/// column and a sidebar side by side. `sidebar_left` puts the sidebar at the
/// left margin; `main_width` and the leadings differ between calls.
fn two_column_page(sidebar_left: bool, main_lead: f32, side_lead: f32) -> Vec<Operation> {
    let mut ops = line("F1", 20, 240.0, 740.0, "Jane Smith");
    ops.extend(line(
        "F1",
        10,
        150.0,
        720.0,
        "jane.smith@example.com | (312) 555-0123 | Springfield, IL",
    ));
    let (main_x, side_x) = if sidebar_left {
        (220.0, 50.0)
    } else {
        (50.0, 400.0)
    };
    ops.extend(line("F1", 12, main_x, 690.0, "EXPERIENCE"));
    for (i, text) in LOREM.iter().enumerate() {
        ops.extend(line("F1", 10, main_x, 672.0 - main_lead * i as f32, text));
    }
    for (i, text) in SIDE.iter().enumerate() {
        ops.extend(line("F1", 9, side_x, 688.0 - side_lead * i as f32, text));
    }
    ops
}

fn assert_columns_read_in_order(doc: &Extracted) {
    let lines: Vec<&str> = doc.text.lines().collect();
    assert_eq!(lines[0], "Jane Smith", "{}", doc.text);
    assert!(lines[1].contains("jane.smith@example.com"), "{}", doc.text);
    let main = doc.text.find("EXPERIENCE").unwrap();
    let main_end = doc
        .text
        .find("Introduced tracing across thirty services")
        .unwrap();
    let side = doc.text.find("SKILLS").unwrap();
    let side_end = doc.text.find("Hackathon winner 2019").unwrap();
    assert!(
        main_end < side || side_end < main,
        "columns interleaved:\n{}",
        doc.text
    );
    for text in LOREM.iter().chain(SIDE) {
        assert!(
            doc.text.lines().any(|l| l == *text),
            "{text:?} not a line of its own:\n{}",
            doc.text
        );
    }
    assert_eq!(columns_found(doc), Some(2), "{:?}", doc.findings);
    assert_eq!(doc.findings[0].pages, vec![1]);
}

#[test]
fn a_sidebar_on_the_right_is_read_after_the_main_column_and_reported() {
    let doc = read(&pdf(
        &[("F1", helvetica())],
        two_column_page(false, 14.0, 13.0),
    ));
    assert_columns_read_in_order(&doc);
}

#[test]
fn a_sidebar_on_the_left_is_read_as_its_own_column_and_reported() {
    let doc = read(&pdf(
        &[("F1", helvetica())],
        two_column_page(true, 14.5, 12.0),
    ));
    assert_columns_read_in_order(&doc);
}

#[test]
fn two_columns_of_equal_width_with_their_own_leading_are_two_columns() {
    let mut ops = line("F1", 20, 240.0, 740.0, "Jane Smith");
    for (i, text) in LOREM.iter().enumerate() {
        ops.extend(line("F1", 10, 50.0, 700.0 - 15.0 * i as f32, text));
        ops.extend(line(
            "F1",
            10,
            320.0,
            694.0 - 13.0 * i as f32,
            &text.to_uppercase(),
        ));
    }
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert_eq!(columns_found(&doc), Some(2), "{:?}", doc.findings);
    let left_end = doc.text.find(LOREM[11]).unwrap();
    let right_start = doc.text.find(&LOREM[0].to_uppercase()).unwrap();
    assert!(left_end < right_start, "{}", doc.text);
    assert!(doc.text.starts_with("Jane Smith\n"));
}

#[test]
fn a_single_column_with_dates_flush_right_is_not_two_columns() {
    let mut ops = line("F1", 20, 50.0, 740.0, "Jane Smith");
    let mut y = 700.0;
    for (job, dates) in [
        ("Staff Engineer, Acme", "2021 - Present"),
        ("Senior Engineer, Globex", "2018 - 2021"),
        ("Engineer, Initech", "2015 - 2018"),
        ("Intern, Hooli", "2014 - 2015"),
    ] {
        ops.extend(line("F1", 11, 50.0, y, job));
        ops.extend(line("F1", 11, 480.0, y, dates));
        y -= 14.0;
        // Short bullets that never reach the dates' side.
        for text in &LOREM[..3] {
            ops.extend(line("F1", 10, 60.0, y, text));
            y -= 13.0;
        }
        y -= 6.0;
    }
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert_eq!(
        columns_found(&doc),
        None,
        "{:?}\n{}",
        doc.findings,
        doc.text
    );
    assert!(
        doc.text.contains("Staff Engineer, Acme 2021 - Present"),
        "{}",
        doc.text
    );
    assert!(
        doc.text.contains("Intern, Hooli 2014 - 2015"),
        "{}",
        doc.text
    );
}

#[test]
fn an_education_list_with_years_flush_right_is_not_two_columns_nor_a_table() {
    let mut ops = Vec::new();
    for (i, (school, years)) in [
        ("M.S. Computer Science, State University", "2016 - 2018"),
        ("B.S. Mathematics, City College", "2012 - 2016"),
        ("Certificate in Data Science, Online", "2019"),
        ("Exchange semester, Uppsala University", "2014"),
        ("Summer school in Statistics", "2013"),
        ("High school diploma", "2012"),
    ]
    .iter()
    .enumerate()
    {
        ops.extend(line("F1", 10, 50.0, 700.0 - 14.0 * i as f32, school));
        ops.extend(line("F1", 10, 500.0, 700.0 - 14.0 * i as f32, years));
    }
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert!(doc.findings.is_empty(), "{:?}", doc.findings);
    assert!(
        doc.text
            .starts_with("M.S. Computer Science, State University 2016 - 2018\n")
    );
}

#[test]
fn centred_headings_over_short_lines_are_not_a_column() {
    let mut ops = line("F1", 20, 250.0, 740.0, "Jane Smith");
    let mut y = 700.0;
    for heading in ["SUMMARY", "EXPERIENCE", "PROJECTS", "EDUCATION", "SKILLS"] {
        ops.extend(line("F1", 12, 280.0, y, heading));
        y -= 16.0;
        // Lines that end well left of the centre.
        for text in &LOREM[..4] {
            ops.extend(line("F1", 8, 50.0, y, text));
            y -= 11.0;
        }
        y -= 6.0;
    }
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert_eq!(
        columns_found(&doc),
        None,
        "{:?}\n{}",
        doc.findings,
        doc.text
    );
    assert!(
        doc.text.contains("SUMMARY\nLed the migration"),
        "{}",
        doc.text
    );
}

#[test]
fn a_label_column_beside_its_values_is_read_across_and_is_not_two_columns() {
    let mut ops = Vec::new();
    let mut y = 700.0;
    for (label, values) in [
        ("Experience", &LOREM[..4]),
        ("Projects", &LOREM[4..7]),
        ("Education", &LOREM[7..9]),
        ("Skills", &LOREM[9..12]),
    ] {
        ops.extend(line("F1", 11, 50.0, y, label));
        for text in values {
            ops.extend(line("F1", 10, 150.0, y, text));
            y -= 13.0;
        }
        y -= 8.0;
    }
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert_eq!(columns_found(&doc), None, "{:?}", doc.findings);
    assert!(
        doc.text.starts_with("Experience Led the migration"),
        "{}",
        doc.text
    );
}

#[test]
fn a_grid_of_aligned_cells_is_a_table_and_its_rows_are_read_across() {
    let mut ops = line("F1", 12, 50.0, 720.0, "RELEVANT COURSEWORK");
    let cells = [
        ["Algorithms", "Databases", "Compilers"],
        ["Operating Systems", "Networks", "Statistics"],
        ["Linear Algebra", "Security", "Graphics"],
        ["Machine Learning", "Ethics", "Economics"],
    ];
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ops.extend(line(
                "F1",
                10,
                50.0 + 180.0 * c as f32,
                700.0 - 14.0 * r as f32,
                cell,
            ));
        }
    }
    ops.extend(line("F1", 10, 50.0, 630.0, LOREM[0]));
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert!(
        kinds(&doc).contains(&&FindingKind::Table {
            rows: 4,
            columns: 3
        }),
        "{:?}",
        doc.findings
    );
    assert_eq!(columns_found(&doc), None);
    assert!(
        doc.text.contains("Algorithms Databases Compilers\n"),
        "{}",
        doc.text
    );
}

#[test]
fn a_right_aligned_grid_column_is_still_a_table() {
    let mut ops = Vec::new();
    for (r, (year, award, place)) in [
        ("2021", "Finalist, Systems Design Cup", "Austin, TX"),
        ("2019", "First place, City Hackathon", "Denver, CO"),
        ("2017", "Dean's list", "Boston, MA"),
    ]
    .iter()
    .enumerate()
    {
        let y = 700.0 - 13.0 * r as f32;
        ops.extend(line("F1", 10, 50.0, y, year));
        ops.extend(line("F1", 10, 110.0, y, award));
        // Flush right at x = 560: start where the text's width ends there.
        let x = 560.0 - 5.0 * place.len() as f32;
        ops.extend(line("F1", 10, x, y, place));
    }
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert!(
        kinds(&doc).iter().any(|k| matches!(
            k,
            FindingKind::Table {
                rows: 3,
                columns: 3
            }
        )),
        "{:?}",
        doc.findings
    );
}

fn page_with(header: &str, footer: &str, body: &[&str]) -> Vec<Operation> {
    let mut ops = line("F1", 9, 50.0, 760.0, header);
    for (i, text) in body.iter().enumerate() {
        ops.extend(line("F1", 10, 50.0, 720.0 - 14.0 * i as f32, text));
    }
    ops.extend(line("F1", 9, 50.0, 40.0, footer));
    ops
}

#[test]
fn the_same_header_and_footer_on_every_page_are_reported_with_their_pages() {
    let pages = (1..=3)
        .map(|p| {
            page_with(
                "Jane Smith - jane.smith@example.com",
                &format!("Jane Smith - Resume - Page {p} of 3"),
                &LOREM[(p - 1) * 4..p * 4],
            )
        })
        .collect();
    let doc = read(&pdf_pages(&[("F1", helvetica())], pages));
    let header = doc
        .findings
        .iter()
        .find(|f| {
            matches!(
                f.kind,
                FindingKind::HeaderFooter {
                    position: Edge::Top,
                    ..
                }
            )
        })
        .unwrap_or_else(|| panic!("{:?}", doc.findings));
    assert_eq!(header.pages, vec![1, 2, 3]);
    let footer = doc
        .findings
        .iter()
        .find(|f| {
            matches!(
                f.kind,
                FindingKind::HeaderFooter {
                    position: Edge::Bottom,
                    ..
                }
            )
        })
        .unwrap();
    assert_eq!(
        footer.kind,
        FindingKind::HeaderFooter {
            position: Edge::Bottom,
            text: "Jane Smith - Resume - Page 1 of 3".into()
        }
    );
    // The text itself is kept.
    assert!(doc.text.starts_with("Jane Smith - jane.smith@example.com"));
}

#[test]
fn first_lines_that_differ_from_page_to_page_are_not_a_header() {
    let pages = (1..=2)
        .map(|p| page_with(LOREM[p], LOREM[p + 5], &LOREM[6..10]))
        .collect();
    let doc = read(&pdf_pages(&[("F1", helvetica())], pages));
    assert!(doc.findings.is_empty(), "{:?}", doc.findings);
}

#[test]
fn a_page_with_only_an_image_and_a_blank_page_are_reported_by_page() {
    let text_page = page_with("Jane Smith", "Resume", &LOREM[..4]);
    let image_page = vec![
        Operation::new("q", vec![]),
        Operation::new(
            "cm",
            vec![
                500.into(),
                0.into(),
                0.into(),
                700.into(),
                50.into(),
                50.into(),
            ],
        ),
        Operation::new("Do", vec![Object::Name(b"Im1".to_vec())]),
        Operation::new("Q", vec![]),
    ];
    let blank_page = vec![
        Operation::new("re", vec![72.into(), 72.into(), 400.into(), 600.into()]),
        Operation::new("S", vec![]),
    ];
    let doc = read(&pdf_pages(
        &[("F1", helvetica())],
        vec![text_page, image_page, blank_page],
    ));
    assert_eq!(doc.pages, 3);
    let find = |k: FindingKind| {
        doc.findings
            .iter()
            .find(|f| f.kind == k)
            .map(|f| f.pages.clone())
    };
    assert_eq!(
        find(FindingKind::ImageOnlyPage),
        Some(vec![2]),
        "{:?}",
        doc.findings
    );
    assert_eq!(find(FindingKind::BlankPage), Some(vec![3]));
    assert!(doc.findings[0].advice().contains("image"));
}

#[test]
fn bullets_from_symbol_fonts_are_read_as_bullets_and_reported_per_font() {
    let dingbats =
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "ZapfDingbats" };
    let symbol = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Symbol" };
    let mut ops = Vec::new();
    for (i, text) in LOREM[..3].iter().enumerate() {
        let y = 700.0 - 14.0 * i as f32;
        ops.extend(line_bytes("F2", 10, 50.0, y, b"l".to_vec()));
        ops.extend(line("F1", 10, 62.0, y, text));
    }
    for (i, text) in LOREM[3..5].iter().enumerate() {
        let y = 640.0 - 14.0 * i as f32;
        ops.extend(line_bytes("F3", 10, 50.0, y, vec![0xB7]));
        ops.extend(line("F1", 10, 62.0, y, text));
    }
    let doc = read(&pdf(
        &[("F1", helvetica()), ("F2", dingbats), ("F3", symbol)],
        ops,
    ));
    assert!(doc.text.starts_with("• Led the migration"), "{}", doc.text);
    let bullets: Vec<(&str, u32)> = doc
        .findings
        .iter()
        .filter_map(|f| match &f.kind {
            FindingKind::SymbolBullets { font, glyphs } => Some((font.as_str(), *glyphs)),
            _ => None,
        })
        .collect();
    assert_eq!(bullets, vec![("Symbol", 2), ("ZapfDingbats", 3)]);
}

#[test]
fn plain_bullets_in_an_ordinary_font_are_not_a_finding() {
    let mut ops = Vec::new();
    for (i, text) in LOREM[..3].iter().enumerate() {
        // 0x95 is "•" in WinAnsiEncoding.
        let mut bytes = vec![0x95, b' '];
        bytes.extend_from_slice(text.as_bytes());
        ops.extend(line_bytes("F1", 10, 50.0, 700.0 - 14.0 * i as f32, bytes));
    }
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert!(doc.text.starts_with("• Led"), "{}", doc.text);
    assert!(doc.findings.is_empty(), "{:?}", doc.findings);
}

fn narrow_contact(first: &str, second: &str) -> Extracted {
    let mut ops = line("F1", 16, 50.0, 740.0, "Jane Smith");
    ops.extend(line("F1", 10, 50.0, 720.0, first));
    ops.extend(line("F1", 10, 50.0, 707.0, second));
    ops.extend(line("F1", 10, 50.0, 680.0, LOREM[0]));
    read(&pdf(&[("F1", helvetica())], ops))
}

#[test]
fn an_email_broken_across_lines_is_joined_and_reported_in_every_form() {
    for (first, second) in [
        ("Email: jane.smith@exam", "ple.com"),
        ("jane.smith@example.", "com Springfield"),
        ("jane.smith", "@example.com"),
        ("Contact jane.smith@", "example.com"),
    ] {
        let doc = narrow_contact(first, second);
        assert!(
            doc.text.contains("jane.smith@example.com"),
            "{first:?} + {second:?}:\n{}",
            doc.text
        );
        assert_eq!(
            kinds(&doc),
            vec![&FindingKind::ContactSplit {
                contact: Contact::Email,
                text: "jane.smith@example.com".into()
            }],
            "{first:?} + {second:?}"
        );
    }
}

#[test]
fn a_phone_number_broken_across_lines_is_joined_and_reported() {
    let doc = narrow_contact("Phone (312)", "555-0123");
    assert!(doc.text.contains("Phone (312) 555-0123"), "{}", doc.text);
    assert_eq!(
        kinds(&doc),
        vec![&FindingKind::ContactSplit {
            contact: Contact::Phone,
            text: "(312) 555-0123".into()
        }]
    );
}

#[test]
fn whole_contact_details_and_years_on_two_lines_are_not_split_contacts() {
    for (first, second) in [
        ("jane.smith@example.com", "(312) 555-0123"),
        ("Engineer, Acme 2019", "2020 - 2021 Globex"),
        ("Follow me on", "@janesmith"),
    ] {
        let doc = narrow_contact(first, second);
        assert!(
            doc.findings.is_empty(),
            "{first:?} + {second:?}: {:?}",
            doc.findings
        );
    }
}

#[test]
fn an_unreadable_font_is_a_finding_with_its_name_and_glyph_count() {
    let opaque = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Mystery", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+Mystery", "DW" => 600,
        })],
    };
    let mut ops = line("F1", 10, 50.0, 700.0, "Jane Smith, Backend Engineer");
    ops.extend(line_bytes(
        "F2",
        10,
        50.0,
        680.0,
        vec![0, 36, 0, 37, 0, 38, 0, 39, 0, 40, 0, 41],
    ));
    let doc = read(&pdf(&[("F1", helvetica()), ("F2", opaque)], ops));
    assert_eq!(
        kinds(&doc),
        vec![&FindingKind::UndecodableFont {
            font: "ABCDEF+Mystery".into(),
            glyphs: 6
        }]
    );
    assert_eq!(doc.findings[0].pages, vec![1]);
}

#[test]
fn findings_travel_in_the_json_beside_the_text() {
    let doc = read(&pdf(
        &[("F1", helvetica())],
        two_column_page(false, 14.0, 13.0),
    ));
    let json: serde_json::Value = serde_json::to_value(&doc).unwrap();
    assert_eq!(
        json["findings"][0],
        serde_json::json!({"kind": "columns", "columns": 2, "pages": [1]})
    );
    // JSON from before findings existed still reads.
    let old = r#"{"kind":"txt","text":"x","pages":1,"warnings":[]}"#;
    assert!(
        serde_json::from_str::<Extracted>(old)
            .unwrap()
            .findings
            .is_empty()
    );
}

#[test]
fn a_bulleted_grid_whose_items_wrap_is_a_table() {
    // "• Global Dimensions of" / "Business": the wrapped line starts where
    // the item's text does, not at its bullet.
    let rows: [[&str; 3]; 3] = [
        [
            "\u{95} Global Dimensions of",
            "\u{95} Financial Accounting",
            "\u{95} Microeconomics",
        ],
        [
            "Business",
            "\u{95} Fundamentals of",
            "\u{95} Macroeconomics",
        ],
        [
            "\u{95} Fundamentals of HR",
            "Operational Management",
            "\u{95} Legal Environment of",
        ],
    ];
    let mut ops = line("F1", 12, 50.0, 720.0, "RELEVANT COURSEWORK");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let y = 700.0 - 13.0 * r as f32;
            let x = 60.0 + 180.0 * c as f32;
            // Windows-1252 bytes: 0x95 is the bullet.
            let bytes: Vec<u8> = cell.chars().map(|ch| ch as u32 as u8).collect();
            match bytes.strip_prefix(&[0x95, b' ']) {
                Some(rest) => {
                    ops.extend(line_bytes("F1", 10, x - 10.0, y, vec![0x95]));
                    ops.extend(line_bytes("F1", 10, x, y, rest.to_vec()));
                }
                None => ops.extend(line_bytes("F1", 10, x, y, bytes)),
            }
        }
    }
    let doc = read(&pdf(&[("F1", helvetica())], ops));
    assert_eq!(
        kinds(&doc),
        vec![&FindingKind::Table {
            rows: 3,
            columns: 3
        }]
    );
}
