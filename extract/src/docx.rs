//! DOCX text with `zip` + `quick-xml`: paragraphs, line breaks, tabs, tables
//! (cells separated by " | ", rows by lines), list items (as "• "), text boxes
//! (read where they are anchored), then headers and footers.

use std::io::{Cursor, Read};

use quick_xml::{Reader, events::Event};

use crate::{Edge, ExtractError, Extracted, FileKind, FindingKind, findings::note};

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
    let mut findings = Vec::new();
    for (rows, columns) in tables(&body) {
        note(&mut findings, FindingKind::Table { rows, columns }, None);
    }
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
                if let Some(first) = t.lines().map(str::trim).find(|l| !l.is_empty()) {
                    let position = if name.starts_with("word/header") {
                        Edge::Top
                    } else {
                        Edge::Bottom
                    };
                    let text = first.chars().take(80).collect();
                    note(
                        &mut findings,
                        FindingKind::HeaderFooter { position, text },
                        None,
                    );
                }
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
        findings,
    })
}

/// Word tables in a part's XML, outermost ones: (rows, most cells in a row)
/// of each.
fn tables(xml: &[u8]) -> Vec<(u32, u32)> {
    let mut reader = Reader::from_reader(xml);
    let mut out: Vec<(u32, u32)> = Vec::new();
    let (mut depth, mut cells) = (0u32, 0u32);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.name().as_ref() {
                b"w:tbl" => {
                    depth += 1;
                    if depth == 1 {
                        out.push((0, 0));
                    }
                }
                b"w:tr" if depth == 1 => cells = 0,
                b"w:tc" if depth == 1 => cells += 1,
                _ => {}
            },
            Ok(Event::End(e)) => match e.name().as_ref() {
                b"w:tbl" => depth = depth.saturating_sub(1),
                b"w:tr" if depth == 1 => {
                    if let Some(t) = out.last_mut() {
                        t.0 += 1;
                        t.1 = t.1.max(cells);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
        buf.clear();
    }
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

/// What a `w:sym` element draws: a bullet for the symbol fonts' bullet and
/// pictograph glyphs, else the character itself. `font` is the `w:font`
/// attribute, `code` the `w:char` value (often written in the private-use
/// range, `F0B7`, for the symbol fonts' own encoding).
pub fn symbol_char(font: &str, code: u32) -> char {
    let low = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    let font = font.to_ascii_lowercase();
    if font.contains("symbol") {
        crate::fonts::symbol_font_char(low as u8)
    } else if font.contains("wingdings") || font.contains("webdings") || font.contains("dingbat") {
        if low == 0x20 { ' ' } else { '•' }
    } else {
        char::from_u32(code)
            .filter(|c| !c.is_control() && !('\u{E000}'..='\u{F8FF}').contains(c))
            .unwrap_or('•')
    }
}

/// The character a numeric reference (`#8209`, `#x2011`) stands for.
fn numeric_ref(name: &str) -> Option<char> {
    let n = name.strip_prefix('#')?;
    let code = match n.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => n.parse().ok()?,
    };
    char::from_u32(code)
}

/// Elements whose text is not live text: the source of a move, deleted
/// runs (tracked changes), and a compatibility fallback whose choice was read.
fn skips(local: &[u8], alternates: &[bool]) -> bool {
    match local {
        b"del" | b"moveFrom" => true,
        b"Fallback" => alternates.last().copied().unwrap_or(false),
        _ => false,
    }
}

/// The text of a WordprocessingML part.
///
/// Run-level characters count where Word writes them as elements inside a
/// run (`w:r`): `w:tab` (a tab stop definition in paragraph properties is
/// not a tab), `w:br`, `w:cr`, `w:noBreakHyphen` (a hyphen), `w:softHyphen`
/// (an invisible break point: nothing) and `w:sym` (a symbol-font glyph).
/// Tracked changes are read as accepted: inserted text and the destination
/// of a move are read, deleted text (`w:del`, `w:delText`) and the source of
/// a move (`w:moveFrom`) are not. Of `mc:AlternateContent`, the first
/// `mc:Choice` is read and the `mc:Fallback` (the same content for older
/// readers) skipped, so a text box is read once.
fn paragraphs(xml: &[u8]) -> String {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut in_text = false;
    let mut list_item = false;
    let mut cell_depth = 0u32;
    let mut run_depth = 0u32;
    let mut depth = 0u32;
    // Skipping everything until the element opened at this depth closes.
    let mut skip_until: Option<u32> = None;
    // For each open mc:AlternateContent: whether a choice was read.
    let mut alternates: Vec<bool> = Vec::new();
    let mut row_cells: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    // A malformed part ends the reading there; what was read so far is kept.
    while let Ok(event) = reader.read_event_into(&mut buf) {
        let skipping = skip_until.is_some();
        match event {
            Event::Start(e) => {
                depth += 1;
                let local = e.local_name();
                let local = local.as_ref();
                if skipping {
                    buf.clear();
                    continue;
                }
                if skips(local, &alternates) {
                    skip_until = Some(depth);
                    buf.clear();
                    continue;
                }
                match local {
                    b"t" => in_text = true,
                    b"r" => run_depth += 1,
                    b"numPr" => list_item = true,
                    b"tc" => cell_depth += 1,
                    b"tr" => row_cells.clear(),
                    b"AlternateContent" => alternates.push(false),
                    b"Choice" => {
                        if alternates.last().copied().unwrap_or(false) {
                            // A second choice: the first one was read.
                            skip_until = Some(depth);
                        } else if let Some(seen) = alternates.last_mut() {
                            *seen = true;
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skipping {
                    buf.clear();
                    continue;
                }
                let in_run = run_depth > 0;
                match e.local_name().as_ref() {
                    b"tab" if in_run => para.push('\t'),
                    b"br" | b"cr" if in_run => para.push('\n'),
                    b"noBreakHyphen" if in_run => para.push('-'),
                    b"sym" if in_run => {
                        let mut font = String::new();
                        let mut code = None;
                        for a in e.attributes().flatten() {
                            let value = String::from_utf8_lossy(&a.value).into_owned();
                            match a.key.local_name().as_ref() {
                                b"font" => font = value,
                                b"char" => code = u32::from_str_radix(value.trim(), 16).ok(),
                                _ => {}
                            }
                        }
                        if let Some(code) = code {
                            para.push(symbol_char(&font, code));
                        }
                    }
                    b"numPr" => list_item = true,
                    _ => {}
                }
            }
            Event::Text(t) if in_text && !skipping => {
                if let Ok(s) = t.decode() {
                    para.push_str(&s);
                }
            }
            Event::GeneralRef(r) if in_text && !skipping => {
                let name = r.decode().unwrap_or_default();
                match name.as_ref() {
                    "amp" => para.push('&'),
                    "lt" => para.push('<'),
                    "gt" => para.push('>'),
                    "quot" => para.push('"'),
                    "apos" => para.push('\''),
                    other => {
                        if let Some(c) = numeric_ref(other) {
                            para.push(c);
                        }
                    }
                }
            }
            Event::End(e) => {
                let closing = depth;
                depth = depth.saturating_sub(1);
                if let Some(d) = skip_until {
                    if d == closing {
                        skip_until = None;
                    }
                    buf.clear();
                    continue;
                }
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"r" => run_depth = run_depth.saturating_sub(1),
                    b"AlternateContent" => {
                        alternates.pop();
                    }
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
                }
            }
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
