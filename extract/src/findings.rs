//! Layout findings: what the import saw in a file's layout that applicant
//! tracking systems often read wrongly, typed, with the pages where it was
//! seen and a plain-language fix ([`Finding::advice`]).
//!
//! Every finding comes from what the reader really saw — the PDF layout
//! pass's geometry (a column gutter, aligned cells, the same line at the top
//! of every page, a page without text) or the fonts (glyphs without a Unicode
//! mapping, symbol-font bullets), or DOCX structure (`w:tbl`, header parts) —
//! not from guesses on the text.
//!
//! JSON shape (one object per finding, `kind` in snake_case, the variant's
//! fields beside it):
//!
//! ```json
//! {"kind": "columns", "columns": 2, "pages": [1, 2]}
//! {"kind": "table", "rows": 4, "columns": 3, "pages": [1]}
//! {"kind": "header_footer", "position": "bottom", "text": "Jane Smith · Curriculum Vitae 1", "pages": [1, 2, 3]}
//! {"kind": "image_only_page", "pages": [2]}
//! {"kind": "blank_page", "pages": [3]}
//! {"kind": "undecodable_font", "font": "ABCDEF+Mystery", "glyphs": 120, "pages": [1]}
//! {"kind": "symbol_bullets", "font": "Wingdings-Regular", "glyphs": 9, "pages": [1]}
//! {"kind": "contact_split", "contact": "email", "text": "jane.smith@example.com", "pages": [1]}
//! ```

use serde::{Deserialize, Serialize};

/// One layout finding and the 1-based pages where it was seen (empty for
/// DOCX and TXT, which have no pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What was seen; its fields are flattened beside `pages` in JSON.
    #[serde(flatten)]
    pub kind: FindingKind,
    /// 1-based page numbers, ascending; empty when the file has no pages.
    pub pages: Vec<u32>,
}

/// What a [`Finding`] is about. Serialized with a `kind` tag in snake_case
/// (`"columns"`, `"header_footer"`, …); new kinds may be added.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingKind {
    /// Text set in `columns` (≥ 2) columns side by side: a vertical gutter
    /// that no text crosses, with lines on both sides that do not share
    /// baselines. The text was read column by column.
    Columns {
        /// Columns side by side at the widest point (2 or 3).
        columns: u32,
    },
    /// A grid in a PDF: `rows` (≥ 2) consecutive lines each split into the
    /// same `columns` (≥ 3) cells whose edges line up (the largest on the
    /// page); or a Word table (`w:tbl`, one finding per size).
    Table {
        /// Rows of the grid or table.
        rows: u32,
        /// Cells per row (a Word table: the most in one row).
        columns: u32,
    },
    /// The same line at the top or bottom of several pages (a running header
    /// or footer; page numbers ignored), or text in a Word header/footer.
    HeaderFooter {
        /// Where the line sits.
        position: Edge,
        /// The line as read (on the first page where it occurs).
        text: String,
    },
    /// A page with no text but with images: a scan or a picture of text.
    ImageOnlyPage,
    /// A page with neither text nor images.
    BlankPage,
    /// A font whose glyphs have no Unicode mapping; its text was left out.
    UndecodableFont {
        /// The font's base name as the PDF gives it.
        font: String,
        /// Glyphs that could not be read.
        glyphs: u32,
    },
    /// List bullets drawn as symbol-font glyphs (Wingdings, ZapfDingbats,
    /// Symbol) or private-use code points, read here as "•".
    SymbolBullets {
        /// The font's base name.
        font: String,
        /// Glyphs read as bullets.
        glyphs: u32,
    },
    /// A contact detail broken in two: across lines in the file, or by the
    /// layout (a line cut by the column gutter). `text` is the whole detail.
    ContactSplit {
        /// Which detail.
        contact: Contact,
        /// The detail joined again.
        text: String,
    },
}

/// Top or bottom of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edge {
    Top,
    Bottom,
}

/// A kind of contact detail.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contact {
    Email,
    Phone,
}

impl Finding {
    /// A finding seen on `pages`.
    pub fn new(kind: FindingKind, pages: Vec<u32>) -> Finding {
        Finding { kind, pages }
    }

    /// One sentence saying what was seen, e.g. "Page 1 is set in 2 columns."
    pub fn summary(&self) -> String {
        let on = pages_phrase(&self.pages);
        match &self.kind {
            FindingKind::Columns { columns } => {
                format!("{} set in {columns} columns side by side.", on.is_are())
            }
            FindingKind::Table { rows, columns } => format!(
                "{} a table or grid ({rows} row{} of {columns} cells).",
                on.has(),
                if *rows == 1 { "" } else { "s" }
            ),
            FindingKind::HeaderFooter { position, text } => {
                let edge = match position {
                    Edge::Top => "header",
                    Edge::Bottom => "footer",
                };
                if self.pages.is_empty() {
                    format!("The file has text in its {edge}: \u{201c}{text}\u{201d}.")
                } else {
                    format!(
                        "The same {edge} line is on {}: \u{201c}{text}\u{201d}.",
                        on.lower()
                    )
                }
            }
            FindingKind::ImageOnlyPage => format!("{} only images, no text.", on.has()),
            FindingKind::BlankPage => format!("{} blank.", on.is_are()),
            FindingKind::UndecodableFont { font, glyphs } => format!(
                "{glyphs} characters in the font {font} ({}) could not be read and were left out.",
                on.lower()
            ),
            FindingKind::SymbolBullets { font, glyphs } => format!(
                "{glyphs} bullets are drawn with the symbol font {font} ({}).",
                on.lower()
            ),
            FindingKind::ContactSplit { contact, text } => {
                let what = match contact {
                    Contact::Email => "email address",
                    Contact::Phone => "phone number",
                };
                format!("The {what} {text} is split across two lines.")
            }
        }
    }

    /// What to do about it, in plain language.
    pub fn advice(&self) -> &'static str {
        match &self.kind {
            FindingKind::Columns { .. } => {
                "Many applicant tracking systems read straight across the page and mix side-by-side columns. Use a single column, or check that the text below reads in the right order."
            }
            FindingKind::Table { .. } => {
                "Some applicant tracking systems read tables cell by cell or skip them. Write the same items as a plain list or lines of text."
            }
            FindingKind::HeaderFooter { .. } => {
                "Many applicant tracking systems ignore headers and footers. Keep your name and contact details in the body of the page."
            }
            FindingKind::ImageOnlyPage => {
                "Text in an image cannot be read by an applicant tracking system. Export the page from your editor as text (\"Save as PDF\"), not as a scan or picture."
            }
            FindingKind::BlankPage => "Remove the empty page.",
            FindingKind::UndecodableFont { .. } => {
                "Part of the text uses a font that does not say which letters it draws, so it was left out. Export the file again with \"Save as PDF\" or use a standard font."
            }
            FindingKind::SymbolBullets { .. } => {
                "Bullets from symbol fonts (Wingdings, Symbol) are read by some systems as letters such as \"l\" or \"§\". Use plain round bullets (•) or hyphens."
            }
            FindingKind::ContactSplit { .. } => {
                "A contact detail broken across lines may not be recognised. Put it on one line, out of narrow columns."
            }
        }
    }
}

/// "Page 1", "Pages 1 and 2", "Pages 1–3", or "The file" without pages.
struct Pages(String, bool);

impl Pages {
    fn is_are(&self) -> String {
        format!("{} {}", self.0, if self.1 { "are" } else { "is" })
    }
    fn has(&self) -> String {
        format!("{} {}", self.0, if self.1 { "have" } else { "has" })
    }
    fn lower(&self) -> String {
        let mut c = self.0.chars();
        c.next()
            .map(|f| f.to_lowercase().chain(c).collect())
            .unwrap_or_default()
    }
}

fn pages_phrase(pages: &[u32]) -> Pages {
    match pages {
        [] => Pages("The file".into(), false),
        [p] => Pages(format!("Page {p}"), false),
        [a, b] => Pages(format!("Pages {a} and {b}"), true),
        [first, .., last] if pages.windows(2).all(|w| w[1] == w[0] + 1) => {
            Pages(format!("Pages {first}\u{2013}{last}"), true)
        }
        _ => {
            let (last, rest) = pages.split_last().expect("three or more");
            let rest: Vec<String> = rest.iter().map(u32::to_string).collect();
            Pages(format!("Pages {} and {last}", rest.join(", ")), true)
        }
    }
}

/// Adds `kind` seen on `page` to `findings`: the same kind (same fields) seen
/// on another page gets the page added instead of a second finding.
pub(crate) fn note(findings: &mut Vec<Finding>, kind: FindingKind, page: Option<u32>) {
    if let Some(f) = findings.iter_mut().find(|f| f.kind == kind) {
        if let Some(p) = page
            && !f.pages.contains(&p)
        {
            f.pages.push(p);
            f.pages.sort_unstable();
        }
    } else {
        findings.push(Finding::new(kind, page.into_iter().collect()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_serializes_with_its_kind_beside_its_fields_and_reads_back() {
        let f = Finding::new(
            FindingKind::HeaderFooter {
                position: Edge::Bottom,
                text: "Jane Smith · CV".into(),
            },
            vec![1, 2],
        );
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"header_footer","position":"bottom","text":"Jane Smith · CV","pages":[1,2]}"#
        );
        assert_eq!(serde_json::from_str::<Finding>(&json).unwrap(), f);
        let c = Finding::new(FindingKind::Columns { columns: 2 }, vec![1]);
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"kind":"columns","columns":2,"pages":[1]}"#
        );
    }

    #[test]
    fn summaries_name_the_pages_in_plain_words() {
        let f =
            |pages: Vec<u32>| Finding::new(FindingKind::Columns { columns: 2 }, pages).summary();
        assert_eq!(f(vec![1]), "Page 1 is set in 2 columns side by side.");
        assert_eq!(
            f(vec![1, 2]),
            "Pages 1 and 2 are set in 2 columns side by side."
        );
        assert_eq!(
            f(vec![1, 2, 3]),
            "Pages 1–3 are set in 2 columns side by side."
        );
        assert_eq!(
            f(vec![1, 3, 5]),
            "Pages 1, 3 and 5 are set in 2 columns side by side."
        );
        let blank = Finding::new(FindingKind::BlankPage, vec![2]);
        assert_eq!(blank.summary(), "Page 2 is blank.");
        assert_eq!(blank.advice(), "Remove the empty page.");
    }

    #[test]
    fn the_same_kind_on_another_page_adds_the_page() {
        let mut v = Vec::new();
        note(&mut v, FindingKind::Columns { columns: 2 }, Some(2));
        note(&mut v, FindingKind::Columns { columns: 2 }, Some(1));
        note(&mut v, FindingKind::Columns { columns: 3 }, Some(3));
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].pages, vec![1, 2]);
    }
}
