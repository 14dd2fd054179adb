//! Helpers shared by the integration tests that build PDFs with lopdf.

use lopdf::{
    Document, Object, Stream,
    content::{Content, Operation},
    dictionary,
};

/// A one-page US Letter PDF (612 × 792 pt): `fonts` are (resource name, font
/// dictionary), `ops` the page's content stream.
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
