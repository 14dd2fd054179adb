//! Resume text from the files job seekers have: PDF (with a layout pass that
//! rebuilds lines and reading order from glyph positions), DOCX and plain text.
//!
//! Pure: bytes in, text out; no I/O, no clock. The same code serves the CLI
//! (`ats-scorer extract`, `ats-scorer score` on .pdf/.docx) and the browser.

pub mod docx;
pub mod findings;
pub mod fonts;
pub mod pdf;
pub mod text;

use serde::{Deserialize, Serialize};

pub use findings::{Contact, Edge, Finding, FindingKind};

/// Files over this size are refused before parsing.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Docx,
    Txt,
}

/// What came out of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extracted {
    pub kind: FileKind,
    pub text: String,
    /// Pages (PDF) — 1 for other kinds.
    pub pages: u32,
    /// Things the user should know: fonts that could not be decoded, skipped parts.
    pub warnings: Vec<String>,
    /// Layout findings: columns, tables, headers and footers, pages without
    /// text, unreadable fonts, symbol bullets, split contact details; each
    /// with [`Finding::summary`] and [`Finding::advice`]. JSON:
    /// `[{"kind": "columns", "columns": 2, "pages": [1]}, …]` (see
    /// [`findings`]); absent in JSON written before it existed.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

/// Why a file gave no text; each message tells the user what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ExtractError {
    TooLarge { bytes: usize },
    Unsupported { what: String },
    LegacyWord,
    Corrupt { detail: String },
    Encrypted,
    NoText { pages: u32 },
    Undecodable,
}

impl ExtractError {
    pub fn message(&self) -> String {
        match self {
            ExtractError::TooLarge { bytes } => format!(
                "This file is {:.1} MB; the limit is 10 MB. Export a smaller PDF or paste the text instead.",
                *bytes as f64 / 1_048_576.0
            ),
            ExtractError::Unsupported { what } => format!(
                "{what} files cannot be read. Use a PDF, a Word .docx or a .txt file, or paste the text."
            ),
            ExtractError::LegacyWord => "This is an old Word .doc file. Open it in Word or LibreOffice and save it as .docx or PDF, or paste the text.".into(),
            ExtractError::Corrupt { detail } => format!(
                "This file looks damaged and could not be read ({detail}). Export it again or paste the text."
            ),
            ExtractError::Encrypted => "This PDF is password-protected. Save a copy without a password or paste the text.".into(),
            ExtractError::NoText { .. } => "This PDF has no selectable text — it is probably a scan. Paste the text instead.".into(),
            ExtractError::Undecodable => "This PDF's fonts do not say which letters they draw, so its text cannot be read reliably. Export it again (\"Save as PDF\" from your editor) or paste the text.".into(),
        }
    }
}

/// A refusal as the worker and `ats-scorer extract --json` answer it:
/// `{"code": {"code": "corrupt", …details}, "message": "…"}`.
#[derive(Debug, Serialize)]
pub struct ErrorReport<'a> {
    pub code: &'a ExtractError,
    pub message: String,
}

impl ExtractError {
    pub fn report(&self) -> ErrorReport<'_> {
        ErrorReport {
            code: self,
            message: self.message(),
        }
    }
}

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ExtractError {}

/// The kind of a file from its first bytes, falling back to its name.
pub fn detect(bytes: &[u8], file_name: &str) -> Result<FileKind, ExtractError> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(FileKind::Pdf);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(ExtractError::LegacyWord);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match ext.as_str() {
            "docx" | "" => Ok(FileKind::Docx),
            other => Err(ExtractError::Unsupported {
                what: format!(".{other}"),
            }),
        };
    }
    match ext.as_str() {
        "pdf" => Err(ExtractError::Corrupt {
            detail: "no PDF header".into(),
        }),
        "docx" => Err(ExtractError::Corrupt {
            detail: "not a zip archive".into(),
        }),
        "doc" => Err(ExtractError::LegacyWord),
        "txt" | "text" | "md" | "" => Ok(FileKind::Txt),
        other => Err(ExtractError::Unsupported {
            what: format!(".{other}"),
        }),
    }
}

/// Extracts the text of a file. Never panics on any input (fuzzed in
/// `tests/never_panics.rs`); refuses files over [`MAX_FILE_BYTES`].
pub fn extract(bytes: &[u8], file_name: &str) -> Result<Extracted, ExtractError> {
    extract_with_progress(bytes, file_name, &mut |_, _| {})
}

/// [`extract`] that reports `(page, pages)` as PDF pages are read.
pub fn extract_with_progress(
    bytes: &[u8],
    file_name: &str,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<Extracted, ExtractError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge { bytes: bytes.len() });
    }
    match detect(bytes, file_name)? {
        FileKind::Pdf => pdf::extract(bytes, progress),
        FileKind::Docx => docx::extract(bytes),
        FileKind::Txt => {
            let text = text::decode(bytes).map_err(|detail| ExtractError::Unsupported {
                what: format!("Binary ({detail})"),
            })?;
            Ok(Extracted {
                kind: FileKind::Txt,
                text,
                pages: 1,
                warnings: Vec::new(),
                findings: Vec::new(),
            })
        }
    }
}
