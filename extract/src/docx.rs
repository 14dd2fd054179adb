//! DOCX text with `zip` + `quick-xml`: paragraphs, line breaks, tabs, tables
//! (cells separated by " | ", rows by lines), list items (as "• "), text boxes
//! (read where they are anchored), then headers and footers.

use std::io::{Cursor, Read};

use quick_xml::{Reader, events::Event};

use crate::{ExtractError, Extracted, FileKind};

/// Decompressed size allowed for one XML part (zip-bomb guard).
const MAX_PART_BYTES: u64 = 32 * 1024 * 1024;
/// Decompressed size allowed for all parts together.
const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::Corrupt {
            detail: format!("not a valid .docx ({e})"),
        })?;
    let mut budget = MAX_TOTAL_BYTES;
    let body = read_part(&mut archive, "word/document.xml", &mut budget)?.ok_or_else(|| {
        ExtractError::Corrupt {
            detail: "no word/document.xml inside; is this a Word file?".into(),
        }
    })?;
    let mut text = paragraphs(&body);
    let mut warnings = Vec::new();
    // Headers and footers often hold the name and contact line.
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| {
            (n.starts_with("word/header") || n.starts_with("word/footer")) && n.ends_with(".xml")
        })
        .collect();
    let mut extra = String::new();
    for name in names {
        match read_part(&mut archive, &name, &mut budget) {
            Ok(Some(xml)) => {
                let t = paragraphs(&xml);
                if !t.trim().is_empty() && !text.contains(t.trim()) && !extra.contains(t.trim()) {
                    extra.push_str(t.trim());
                    extra.push('\n');
                }
            }
            Ok(None) => {}
            Err(_) => warnings.push(format!("{name} could not be read and was skipped.")),
        }
    }
    if !extra.is_empty() {
        text = format!("{}\n\n{}", extra.trim_end(), text);
    }
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(ExtractError::NoText { pages: 1 });
    }
    Ok(Extracted {
        kind: FileKind::Docx,
        text,
        pages: 1,
        warnings,
    })
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
) -> Result<Option<Vec<u8>>, ExtractError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(ExtractError::Corrupt {
                detail: format!("{name}: {e}"),
            });
        }
    };
    // Never trust the declared size: read at most the limit + 1 byte.
    let limit = MAX_PART_BYTES.min(*budget);
    let mut out = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| ExtractError::Corrupt {
            detail: format!("{name}: {e}"),
        })?;
    if out.len() as u64 > limit {
        return Err(ExtractError::Corrupt {
            detail: "it expands to far more data than a resume (a zip bomb?)".into(),
        });
    }
    *budget -= out.len() as u64;
    Ok(Some(out))
}

/// The text of a WordprocessingML part.
fn paragraphs(xml: &[u8]) -> String {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut in_text = false;
    let mut list_item = false;
    let mut cell_depth = 0u32;
    let mut row_cells: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    // A malformed part ends the reading there; what was read so far is kept.
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"numPr" => list_item = true,
                b"tc" => cell_depth += 1,
                b"tr" => row_cells.clear(),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => para.push('\t'),
                b"br" | b"cr" => para.push('\n'),
                b"numPr" => list_item = true,
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let Ok(s) = t.decode() {
                    para.push_str(&s);
                }
            }
            Event::GeneralRef(r) if in_text => {
                let name = r.decode().unwrap_or_default();
                para.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let line = para.trim_end().to_string();
                    let line = if list_item && !line.is_empty() {
                        format!("• {}", line.trim_start())
                    } else {
                        line
                    };
                    if cell_depth > 0 {
                        // Inside a table cell: paragraphs join the cell's text.
                        match row_cells.last_mut() {
                            Some(cell) if !cell.is_empty() => {
                                cell.push('\n');
                                cell.push_str(&line);
                            }
                            Some(cell) => cell.push_str(&line),
                            None => row_cells.push(line),
                        }
                    } else {
                        out.push_str(&line);
                        out.push('\n');
                    }
                    para.clear();
                    list_item = false;
                }
                b"tc" => {
                    cell_depth = cell_depth.saturating_sub(1);
                    row_cells.push(String::new());
                }
                b"tr" => {
                    let cells: Vec<String> = row_cells
                        .drain(..)
                        .map(|c| c.trim().to_string())
                        .filter(|c| !c.is_empty())
                        .collect();
                    if !cells.is_empty() {
                        // Cells with several lines are written one after another.
                        if cells.iter().any(|c| c.contains('\n')) {
                            for c in cells {
                                out.push_str(&c);
                                out.push('\n');
                            }
                        } else {
                            out.push_str(&cells.join(" | "));
                            out.push('\n');
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paragraphs_tabs_breaks_lists_and_table_rows() {
        let xml = br#"<w:document xmlns:w="w"><w:body>
            <w:p><w:r><w:t>Jordan Lee</w:t></w:r></w:p>
            <w:p><w:r><w:t>Berlin</w:t><w:tab/><w:t>a@b.co</w:t><w:br/><w:t>second &amp; line</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr><w:r><w:t>Built things</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Rust</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Go</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
        </w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml),
            "Jordan Lee\nBerlin\ta@b.co\nsecond & line\n• Built things\nRust | Go\n"
        );
    }
}
