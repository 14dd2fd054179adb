//! The Wasm side of file import. The page posts a file's bytes to a Web Worker
//! (`public/extract-worker.js`), which calls [`extract_file`] here and posts the
//! JSON answer back. A panic aborts only this worker's instance; the page sees
//! the worker's `error` event, tells the user, and starts a fresh worker.

use wasm_bindgen::prelude::*;

/// Extracts `bytes` (a file named `name`), calling `progress(page, pages)` as
/// PDF pages are read. Returns JSON: `{"ok": {kind, text, pages, warnings,
/// findings}}` or `{"error": {"code": …, "message": …}}`. `findings` (a list
/// of [`extract::Finding`], e.g. `{"kind": "columns", "columns": 2, "pages":
/// [1]}`) came after the other fields; a page that does not read it is
/// unaffected.
#[wasm_bindgen]
pub fn extract_file(bytes: &[u8], name: &str, progress: &js_sys::Function) -> String {
    let mut report = |page: u32, pages: u32| {
        let _ = progress.call2(&JsValue::NULL, &page.into(), &pages.into());
    };
    answer(extract::extract_with_progress(bytes, name, &mut report))
}

/// The JSON the worker posts back.
pub fn answer(result: Result<extract::Extracted, extract::ExtractError>) -> String {
    let value = match result {
        Ok(doc) => serde_json::json!({ "ok": doc }),
        Err(e) => serde_json::json!({ "error": e.report() }),
    };
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_text_or_an_error_as_json() {
        let ok: serde_json::Value =
            serde_json::from_str(&answer(extract::extract(b"Jordan Lee\nRust", "cv.txt"))).unwrap();
        assert_eq!(ok["ok"]["text"], "Jordan Lee\nRust");
        assert_eq!(ok["ok"]["kind"], "txt");
        let err: serde_json::Value =
            serde_json::from_str(&answer(extract::extract(b"%PDF-1.4 junk", "cv.pdf"))).unwrap();
        assert_eq!(err["error"]["code"]["code"], "corrupt");
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("damaged")
        );
    }
}
