//! PDFs built here with lopdf for the cases the fixture corpus lacks: a page
//! with no text (a scan), a font whose codes cannot be mapped to letters, and
//! mixed readable and unreadable fonts.

mod common;

use common::pdf;
use lopdf::{Document, Object, content::Operation, dictionary};

fn helvetica() -> lopdf::Dictionary {
    dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" }
}

/// A CID font with Identity-H codes and no ToUnicode map: its glyphs cannot be
/// turned into letters.
fn opaque_cid_font() -> lopdf::Dictionary {
    dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "ABCDEF+Mystery",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+Mystery",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "DW" => 600,
        })],
    }
}

fn text_at(font: &str, x: i64, y: i64, s: Vec<u8>) -> Vec<Operation> {
    vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![font.into(), 11.into()]),
        Operation::new("Td", vec![x.into(), y.into()]),
        Operation::new("Tj", vec![Object::String(s, lopdf::StringFormat::Literal)]),
        Operation::new("ET", vec![]),
    ]
}

#[test]
fn a_page_with_no_text_is_reported_as_a_probable_scan() {
    let ops = vec![
        Operation::new("re", vec![72.into(), 72.into(), 400.into(), 600.into()]),
        Operation::new("f", vec![]),
    ];
    let err = extract::extract(&pdf(&[], ops), "scan.pdf").unwrap_err();
    assert_eq!(err, extract::ExtractError::NoText { pages: 1 });
    assert!(
        err.message().contains("probably a scan"),
        "{}",
        err.message()
    );
}

#[test]
fn text_in_a_font_without_a_unicode_map_is_reported_not_returned_as_garbage() {
    let ops = text_at(
        "F1",
        72,
        700,
        vec![0, 36, 0, 37, 0, 38, 0, 39, 0, 40, 0, 41],
    );
    let err = extract::extract(&pdf(&[("F1", opaque_cid_font())], ops), "x.pdf").unwrap_err();
    assert_eq!(err, extract::ExtractError::Undecodable);
}

#[test]
fn readable_text_is_kept_and_the_unreadable_font_is_named_in_a_warning() {
    let mut ops = text_at("F1", 72, 700, b"Jordan Lee, Backend Engineer".to_vec());
    ops.extend(text_at(
        "F2",
        72,
        680,
        vec![0, 36, 0, 37, 0, 38, 0, 39, 0, 40, 0, 41],
    ));
    let doc = extract::extract(
        &pdf(&[("F1", helvetica()), ("F2", opaque_cid_font())], ops),
        "mixed.pdf",
    )
    .unwrap();
    assert_eq!(doc.text, "Jordan Lee, Backend Engineer");
    assert_eq!(doc.warnings.len(), 1);
    assert!(
        doc.warnings[0].contains("ABCDEF+Mystery"),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn a_standard_font_page_is_read_with_words_and_lines_in_order() {
    let mut ops = text_at("F1", 72, 700, b"EXPERIENCE".to_vec());
    ops.extend(text_at("F1", 72, 686, b"Engineer at Acme".to_vec()));
    ops.extend(text_at("F1", 200, 686, b"2020 - 2023".to_vec()));
    let doc = extract::extract(&pdf(&[("F1", helvetica())], ops), "cv.pdf").unwrap();
    assert_eq!(doc.text, "EXPERIENCE\nEngineer at Acme 2020 - 2023");
    assert_eq!(doc.pages, 1);
}

#[test]
fn a_password_protected_pdf_is_reported_as_such() {
    let plain = pdf(
        &[("F1", helvetica())],
        text_at("F1", 72, 700, b"Jordan Lee".to_vec()),
    );
    let mut doc = Document::load_mem(&plain).unwrap();
    // Encryption keys derive from the file identifier.
    let id = Object::String(
        b"0123456789abcdef".to_vec(),
        lopdf::StringFormat::Hexadecimal,
    );
    doc.trailer.set("ID", vec![id.clone(), id]);
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V1 {
        document: &doc,
        owner_password: "owner-secret",
        user_password: "user-secret",
        permissions: lopdf::Permissions::all(),
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let mut locked = Vec::new();
    doc.save_to(&mut locked).unwrap();
    let err = extract::extract(&locked, "locked.pdf").unwrap_err();
    assert_eq!(err, extract::ExtractError::Encrypted, "{err:?}");
    assert!(err.message().contains("password-protected"));
}
