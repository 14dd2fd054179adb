//! Helpers shared by the integration tests that build PDFs with lopdf.

use lopdf::{
    Document, Object, Stream,
    content::{Content, Operation},
    dictionary,
};

/// A one-page US Letter PDF (612 × 792 pt): `fonts` are (resource name, font
/// dictionary), `ops` the page's content stream.
#[allow(dead_code)]
pub fn pdf(fonts: &[(&str, lopdf::Dictionary)], ops: Vec<Operation>) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut font_dict = lopdf::Dictionary::new();
    for (name, f) in fonts {
        let id = doc.add_object(f.clone());
        font_dict.set(*name, id);
    }
    let resources_id = doc.add_object(dictionary! { "Font" => font_dict });
    let content = Content { operations: ops };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => resources_id,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A US Letter PDF with one page per entry of `pages` (each a content
/// stream); every page's resources hold `fonts` and an image XObject `/Im1`
/// (a 1×1 grey pixel) that a page may draw with `Do`.
#[allow(dead_code)]
pub fn pdf_pages(fonts: &[(&str, lopdf::Dictionary)], pages: Vec<Vec<Operation>>) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut font_dict = lopdf::Dictionary::new();
    for (name, f) in fonts {
        let id = doc.add_object(f.clone());
        font_dict.set(*name, id);
    }
    let image = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![128],
    );
    let image_id = doc.add_object(image);
    let resources_id = doc.add_object(dictionary! {
        "Font" => font_dict,
        "XObject" => dictionary! { "Im1" => image_id },
    });
    let mut kids = Vec::new();
    for ops in pages {
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// One line of text at (`x`, `y`) in font `font` at `size` points.
#[allow(dead_code)]
pub fn line(font: &str, size: i64, x: f32, y: f32, text: &str) -> Vec<Operation> {
    line_bytes(font, size, x, y, text.as_bytes().to_vec())
}

/// [`line`] with the string's bytes given as they are.
#[allow(dead_code)]
pub fn line_bytes(font: &str, size: i64, x: f32, y: f32, bytes: Vec<u8>) -> Vec<Operation> {
    vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![font.into(), size.into()]),
        Operation::new("Td", vec![x.into(), y.into()]),
        Operation::new(
            "Tj",
            vec![Object::String(bytes, lopdf::StringFormat::Literal)],
        ),
        Operation::new("ET", vec![]),
    ]
}

/// Helvetica with WinAnsi encoding (widths from the standard metrics).
#[allow(dead_code)]
pub fn helvetica() -> lopdf::Dictionary {
    dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" }
}
