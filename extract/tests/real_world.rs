//! The real-world fault kinds (`../shared/fixtures/real-world/README.md`) that
//! are about reading files: each fixture by path with its right value, and
//! more forms of the same kind built here (DOCX parts written by hand, PDFs
//! built with lopdf).

use std::{
    io::Write,
    path::{Path, PathBuf},
};

mod common;

use common::pdf;
use lopdf::{Object, content::Operation, dictionary};

/// The shared fixtures folder: `shared/` beside the checkout (or beside one
/// of its parent folders, as with a worktree).
fn real_world(name: &str) -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared/fixtures/real-world"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| panic!("shared/fixtures/real-world not found above {here:?}"))
        .join(name)
}

fn text_of_file(name: &str) -> String {
    let path = real_world(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc = extract::extract(&bytes, name).expect("extracts");
    assert!(doc.warnings.is_empty(), "{name}: {:?}", doc.warnings);
    doc.text
}

// ---------------------------------------------------------------- DOCX ---

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps wpg""#;

fn docx(body: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", opts).unwrap();
    z.write_all(
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
        .as_bytes(),
    )
    .unwrap();
    z.finish().unwrap();
    out
}

fn docx_text(body: &str) -> String {
    extract::extract(&docx(body), "cv.docx")
        .expect("extracts")
        .text
}

fn p(runs: &str) -> String {
    format!("<w:p>{runs}</w:p>")
}

fn r(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

fn textbox_choice(inner: &str) -> String {
    format!(
        "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
}

fn textbox_fallback(inner: &str) -> String {
    format!(
        "<w:pict><v:shape><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict>"
    )
}

#[test]
fn a_docx_text_box_stored_twice_by_word_is_read_once() {
    let text = text_of_file("13-docx-alternatecontent-textbox.docx");
    assert_eq!(
        text.matches("Certified Kubernetes Administrator (CKA)")
            .count(),
        1,
        "{text}"
    );
    assert!(text.contains("Platform Engineer, Triangle Cloud"), "{text}");
}

#[test]
fn alternate_content_reads_one_branch_in_every_form() {
    let inner = p(&r("AWS Certified Solutions Architect"));
    // Choice and fallback, in a run.
    let both = p(&format!(
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">{}</mc:Choice><mc:Fallback>{}</mc:Fallback></mc:AlternateContent></w:r>",
        textbox_choice(&inner),
        textbox_fallback(&inner)
    ));
    // A grouped shape holding two text boxes, with its fallback.
    let group_inner = format!("{}{}", p(&r("Spanish (fluent)")), p(&r("German (basic)")));
    let group = p(&format!(
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wpg\"><w:drawing><wpg:wgp><wps:wsp><wps:txbx><w:txbxContent>{group_inner}</w:txbxContent></wps:txbx></wps:wsp></wpg:wgp></w:drawing></mc:Choice><mc:Fallback>{}</mc:Fallback></mc:AlternateContent></w:r>",
        textbox_fallback(&group_inner)
    ));
    // Only a fallback (a reader that had no choice to make): it is read.
    let fallback_only = p(&format!(
        "<w:r><mc:AlternateContent><mc:Fallback>{}</mc:Fallback></mc:AlternateContent></w:r>",
        textbox_fallback(&p(&r("Notary Public")))
    ));
    // Two choices: the first is read.
    let two_choices = p(&format!(
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">{}</mc:Choice><mc:Choice Requires=\"v\">{}</mc:Choice></mc:AlternateContent></w:r>",
        textbox_choice(&p(&r("CDL Class A"))),
        textbox_fallback(&p(&r("CDL Class A")))
    ));
    let text = docx_text(&format!(
        "{both}{group}{fallback_only}{two_choices}{}",
        p(&r("After"))
    ));
    for once in [
        "AWS Certified Solutions Architect",
        "Spanish (fluent)",
        "German (basic)",
        "Notary Public",
        "CDL Class A",
    ] {
        assert_eq!(text.matches(once).count(), 1, "{once} in {text}");
    }
    assert!(text.ends_with("After"), "{text}");
}

#[test]
fn docx_non_breaking_hyphens_are_kept() {
    let text = text_of_file("16-docx-nobreakhyphen.docx");
    assert!(text.contains("(415) 555-0142"), "{text}");
    assert!(text.contains("full-stack e-commerce"), "{text}");
}

#[test]
fn run_level_characters_become_the_characters_they_stand_for() {
    let body = [
        // Non-breaking hyphen, also as a numeric character reference.
        p("<w:r><w:t>Follow</w:t><w:noBreakHyphen/><w:t>up calls, T</w:t><w:noBreakHyphen/><w:t>SQL, re&#8209;sequenced</w:t></w:r>"),
        // A soft hyphen is an invisible break point, not a hyphen or a space.
        p("<w:r><w:t>Kuber</w:t><w:softHyphen/><w:t>netes</w:t></w:r>"),
        // Symbol-font bullets written as w:sym (Symbol's bullet, Wingdings' arrow).
        p("<w:r><w:sym w:font=\"Symbol\" w:char=\"F0B7\"/><w:tab/><w:t>Administered IV medications</w:t></w:r>"),
        p("<w:r><w:sym w:font=\"Wingdings\" w:char=\"F0D8\"/><w:t xml:space=\"preserve\"> Reconciled 40 accounts</w:t></w:r>"),
        // A tab stop defined in the paragraph properties is not a tab.
        p("<w:pPr><w:tabs><w:tab w:val=\"right\" w:pos=\"9360\"/></w:tabs></w:pPr><w:r><w:t>Nurse</w:t><w:tab/><w:t>2019</w:t><w:br/><w:t>Line two</w:t><w:cr/><w:t>Line three</w:t></w:r>"),
    ]
    .concat();
    assert_eq!(
        docx_text(&body),
        "Follow-up calls, T-SQL, re‑sequenced\nKubernetes\n•\tAdministered IV medications\n• Reconciled 40 accounts\nNurse\t2019\nLine two\nLine three"
    );
}

#[test]
fn tracked_changes_read_as_accepted() {
    let body = [
        p(&format!(
            "{}<w:ins w:id=\"1\" w:author=\"A\">{}</w:ins><w:del w:id=\"2\" w:author=\"A\"><w:r><w:delText>Junior </w:delText></w:r></w:del>{}",
            r("Promoted to "),
            r("Senior "),
            r("Accountant")
        )),
        // A deleted run that (unusually) keeps w:t is still deleted.
        p(&format!(
            "{}<w:del w:id=\"3\" w:author=\"A\">{}</w:del>",
            r("CPA"),
            r(", CMA")
        )),
        // A moved paragraph: its old place is not read, its new one is.
        format!(
            "<w:moveFrom w:id=\"4\" w:author=\"A\">{}</w:moveFrom>",
            p(&r("QuickBooks, NetSuite"))
        ),
        p(&r("SKILLS")),
        format!(
            "<w:moveTo w:id=\"5\" w:author=\"A\">{}</w:moveTo>",
            p(&r("QuickBooks, NetSuite"))
        ),
        p(&format!(
            "{}<w:moveFrom w:id=\"6\">{}</w:moveFrom>",
            r("Excel"),
            r(" (old)")
        )),
    ]
    .concat();
    assert_eq!(
        docx_text(&body),
        "Promoted to Senior Accountant\nCPA\nSKILLS\nQuickBooks, NetSuite\nExcel"
    );
}

// ----------------------------------------------------------------- PDF ---

/// A standard font named without widths, as many generators write it.
fn standard(base: &str) -> lopdf::Dictionary {
    if matches!(base, "ZapfDingbats" | "Symbol") {
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base }
    } else {
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base, "Encoding" => "WinAnsiEncoding" }
    }
}

fn show(font: &str, size: f32, x: f32, y: f32, s: &[u8]) -> Vec<Operation> {
    vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![font.into(), size.into()]),
        Operation::new(
            "Tm",
            vec![1.into(), 0.into(), 0.into(), 1.into(), x.into(), y.into()],
        ),
        Operation::new(
            "Tj",
            vec![Object::String(s.to_vec(), lopdf::StringFormat::Literal)],
        ),
        Operation::new("ET", vec![]),
    ]
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = extract::extract(bytes, "cv.pdf").expect("extracts");
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    doc.text
}

#[test]
fn zapfdingbats_bullets_are_bullets_with_their_action_verbs() {
    let text = text_of_file("19-pdf-zapfdingbats-bullets.pdf");
    let bullets: Vec<&str> = text.lines().filter(|l| l.starts_with("• ")).collect();
    assert_eq!(bullets.len(), 3, "{text}");
    assert!(bullets[0].starts_with("• Reduced"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("n ")), "{text}");
}

#[test]
fn symbol_font_glyphs_become_bullets_in_every_symbol_font() {
    // ZapfDingbats ■ (n), ● (l), ✔ (4), ❖ (v); Symbol's bullet (0xB7).
    let mut ops = Vec::new();
    let marks: [(&str, &[u8]); 5] = [
        ("FZ", b"n"),
        ("FZ", b"l"),
        ("FZ", b"4"),
        ("FZ", b"v"),
        ("FS", &[0xB7]),
    ];
    for (i, (font, mark)) in marks.iter().enumerate() {
        let y = 700.0 - 14.0 * i as f32;
        ops.extend(show(font, 7.0, 72.0, y + 1.0, mark));
        ops.extend(show(
            "F1",
            10.0,
            84.0,
            y,
            format!("Led project {i}").as_bytes(),
        ));
    }
    let bytes = pdf(
        &[
            ("F1", standard("Helvetica")),
            ("FZ", standard("ZapfDingbats")),
            ("FS", standard("Symbol")),
        ],
        ops,
    );
    let text = pdf_text(&bytes);
    let expected: Vec<String> = (0..5).map(|i| format!("• Led project {i}")).collect();
    assert_eq!(text.lines().collect::<Vec<_>>(), expected, "{text}");
}

#[test]
fn standard_font_words_placed_one_by_one_keep_their_spaces() {
    let text = text_of_file("21-pdf-no-space-glyphs.pdf");
    assert!(
        text.contains("Master of Science in Computer Science"),
        "{text}"
    );
    assert!(
        text.contains("Automated vulnerability scanning with Python"),
        "{text}"
    );
}

/// Widths (1/1000 em) of the letters used below, from the fonts' AFM files.
fn afm_width(font: &str, c: char) -> f32 {
    let (chars, widths): (&str, &[u16]) = match font {
        "Times-Roman" => (
            "MSCailmnocefiprstuvy ,",
            &[
                889, 556, 667, 444, 278, 278, 778, 500, 500, 444, 444, 333, 278, 500, 333, 389,
                278, 500, 500, 500, 250, 250,
            ],
        ),
        "Helvetica-Bold" => (
            "MSCailmnocefiprstuvy ,",
            &[
                833, 667, 722, 556, 278, 278, 889, 611, 611, 556, 556, 333, 278, 611, 389, 556,
                333, 611, 556, 556, 278, 278,
            ],
        ),
        _ => return 600.0,
    };
    let i = chars.find(c).expect("letter in the table");
    f32::from(widths[chars[..i].chars().count()])
}

#[test]
fn words_placed_one_by_one_in_any_standard_font_are_spaced_and_split_words_are_not() {
    for font in ["Times-Roman", "Helvetica-Bold", "Courier"] {
        let size = 10.0;
        let mut ops = Vec::new();
        // Words placed one at a time, a space's width apart.
        let mut x = 72.0;
        for word in ["Master", "of", "Science", "in", "Civil", "Music"] {
            ops.extend(show("F1", size, x, 700.0, word.as_bytes()));
            let w: f32 = word.chars().map(|c| afm_width(font, c)).sum();
            x += (w + afm_width(font, ' ')) / 1000.0 * size;
        }
        // One word drawn in two pieces with no gap: no space inside it.
        let mut x = 72.0;
        for piece in ["Comm", "unity", " ", "clinic"] {
            ops.extend(show("F1", size, x, 688.0, piece.as_bytes()));
            x += piece.chars().map(|c| afm_width(font, c)).sum::<f32>() / 1000.0 * size;
        }
        let text = pdf_text(&pdf(&[("F1", standard(font))], ops));
        assert_eq!(
            text, "Master of Science in Civil Music\nCommunity clinic",
            "{font}"
        );
    }
}

#[test]
fn a_hyphen_that_belongs_to_the_word_stays_at_a_line_end() {
    let text = text_of_file("18-pdf-hyphen-wrapped-skill.pdf");
    assert!(text.contains("scikit-learn"), "{text}");
    assert!(text.contains("cross-functional"), "{text}");
    assert!(!text.contains("scikitlearn"), "{text}");
}

#[test]
fn line_end_hyphens_are_kept_in_compounds_and_removed_in_word_breaks() {
    let lines: [&[u8]; 12] = [
        b"Built an e-",
        b"commerce site; self-",
        b"motivated and detail-",
        b"oriented. Managed a data-",
        b"driven rollout with experi-",
        b"enced staff and COVID-",
        b"19 protocols for 3 depart-",
        b"ments. Cut follow-",
        b"up time by 40%. Wrote T-",
        b"SQL. Designed the warehouse man-",
        b"agement flow. Re-",
        b"sequenced routes; re-sequenced again.",
    ];
    let mut ops = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        ops.extend(show("F1", 10.0, 72.0, 700.0 - 12.0 * i as f32, l));
    }
    let text = pdf_text(&pdf(&[("F1", standard("Helvetica"))], ops)).replace('\n', " ");
    for kept in [
        "e-commerce",
        "self-motivated",
        "detail-oriented",
        "data-driven",
        "COVID-19",
        "follow-up",
        "T-SQL",
        "Re-sequenced",
    ] {
        assert!(text.contains(kept), "{kept} in {text}");
    }
    for joined in ["experienced", "departments", "management"] {
        assert!(text.contains(joined), "{joined} in {text}");
    }
}
