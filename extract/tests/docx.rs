//! DOCX files generated here with the parts Word writes (content types,
//! relationships, document, header), covering tables, lists and text boxes.

use std::io::Write;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

fn docx(body: &str, header: Option<&str>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, xml: String| {
        z.start_file(name, opts).unwrap();
        z.write_all(xml.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.into(),
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.into(),
    );
    part(
        "word/document.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        ),
    );
    if let Some(h) = header {
        part(
            "word/header1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:hdr {W}>{h}</w:hdr>"#),
        );
    }
    z.finish().unwrap();
    out
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn bullet(text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
    )
}

fn text_of(body: &str, header: Option<&str>) -> String {
    extract::extract(&docx(body, header), "resume.docx")
        .expect("extracts")
        .text
}

#[test]
fn reads_paragraphs_and_list_items_as_bullets() {
    let body = format!(
        "{}{}{}{}",
        p("EXPERIENCE"),
        p("Engineer, Acme — 2020 – 2023"),
        bullet("Built the billing API in Rust"),
        bullet("Cut costs by 30%")
    );
    assert_eq!(
        text_of(&body, None),
        "EXPERIENCE\nEngineer, Acme — 2020 – 2023\n• Built the billing API in Rust\n• Cut costs by 30%"
    );
}

#[test]
fn reads_tables_row_by_row() {
    let cell = |t: &str| format!("<w:tc><w:tcPr/>{}</w:tc>", p(t));
    let body = format!(
        "{}<w:tbl><w:tblPr/><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        p("SKILLS"),
        cell("Languages"),
        cell("Rust, Python"),
        cell("Cloud"),
        cell("AWS, Kubernetes")
    );
    assert_eq!(
        text_of(&body, None),
        "SKILLS\nLanguages | Rust, Python\nCloud | AWS, Kubernetes"
    );
}

#[test]
fn reads_text_boxes_where_they_are_anchored() {
    let textbox = format!(
        "<w:p><w:r><w:t>Before</w:t></w:r><w:r><w:drawing><wps:wsp><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></w:r></w:p>",
        p("Side note: Kubernetes certified")
    );
    let text = text_of(&format!("{}{textbox}{}", p("Top"), p("After")), None);
    assert!(text.contains("Side note: Kubernetes certified"), "{text}");
    assert!(text.starts_with("Top\n"), "{text}");
    assert!(text.ends_with("After"), "{text}");
}

#[test]
fn puts_the_header_with_the_name_first() {
    let text = text_of(&p("SUMMARY"), Some(&p("Jordan Lee · jordan@example.com")));
    assert_eq!(text, "Jordan Lee · jordan@example.com\n\nSUMMARY");
}

#[test]
fn tabs_breaks_and_escaped_characters_survive() {
    let body = "<w:p><w:r><w:t>R&amp;D</w:t><w:tab/><w:t>2021</w:t><w:br/><w:t>&lt;ok&gt;</w:t></w:r></w:p>";
    assert_eq!(text_of(body, None), "R&D\t2021\n<ok>");
}

#[test]
fn a_legacy_doc_file_is_refused_with_a_way_forward() {
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend_from_slice(&[0; 512]);
    let err = extract::extract(&doc, "resume.doc").unwrap_err();
    assert_eq!(err, extract::ExtractError::LegacyWord);
    assert!(
        err.message().contains("save it as .docx or PDF"),
        "{}",
        err.message()
    );
}

#[test]
fn a_zip_that_is_not_a_word_file_is_reported() {
    let mut out = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        z.start_file("photo.jpg", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"jpeg").unwrap();
        z.finish().unwrap();
    }
    let err = extract::extract(&out, "resume.docx").unwrap_err();
    assert!(
        err.message().contains("word/document.xml"),
        "{}",
        err.message()
    );
}

#[test]
fn a_word_table_and_a_header_with_text_are_findings_without_pages() {
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let table = format!(
        "<w:tbl><w:tblPr/><w:tr>{}{}</w:tr></w:tbl>",
        cell("Rust"),
        cell("Go")
    );
    let doc = extract::extract(
        &docx(
            &format!("{}{table}", p("EXPERIENCE")),
            Some(&p("Jane Smith | jane@example.com")),
        ),
        "resume.docx",
    )
    .unwrap();
    assert_eq!(
        doc.findings
            .iter()
            .map(|f| (f.kind.clone(), f.pages.clone()))
            .collect::<Vec<_>>(),
        vec![
            (
                extract::FindingKind::Table {
                    rows: 1,
                    columns: 2
                },
                vec![]
            ),
            (
                extract::FindingKind::HeaderFooter {
                    position: extract::Edge::Top,
                    text: "Jane Smith | jane@example.com".into()
                },
                vec![]
            ),
        ]
    );
    assert_eq!(
        doc.findings[0].summary(),
        "The file has a table or grid (1 row of 2 cells)."
    );
}

#[test]
fn a_docx_without_tables_or_headers_has_no_findings() {
    let doc = extract::extract(&docx(&p("Jane Smith"), None), "resume.docx").unwrap();
    assert!(doc.findings.is_empty());
}
