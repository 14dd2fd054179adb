//! PDF text with a layout pass. lopdf parses the file, decodes content streams
//! and maps character codes to Unicode (ToUnicode CMaps, standard encodings,
//! /Differences); this module runs the text operators itself to know where
//! each run of glyphs lands, then rebuilds lines, splits two-column pages into
//! their columns, and repairs what PDF generators do to words (hyphenation,
//! soft hyphens, ligatures, letter-spaced headings).

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Encoding, Object, ObjectId, content::Content};

use crate::{
    Contact, Edge, ExtractError, Extracted, FileKind, Finding, FindingKind,
    findings::note,
    fonts::{Standard, private_use_symbol, symbolic_char},
};

/// Decompressed content allowed per page and per stream (zip-bomb guard).
const MAX_DECOMPRESSED: usize = 32 * 1024 * 1024;
/// Form XObjects nested deeper than this are not followed.
const MAX_FORM_DEPTH: u8 = 4;

/// A 2-D affine matrix `[a b c d e f]` as in the PDF spec.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a1, b1, c1, d1, e1, f1] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a1 * a2 + b1 * c2,
            a1 * b2 + b1 * d2,
            c1 * a2 + d1 * c2,
            c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2,
            e1 * b2 + f1 * d2 + f2,
        ])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        if ops.len() < 6 {
            return None;
        }
        let mut m = [0.0; 6];
        for (slot, o) in m.iter_mut().zip(ops) {
            *slot = o.as_float().ok()?;
        }
        m.iter().all(|v| v.is_finite()).then_some(Matrix(m))
    }
}

/// A run of text as placed on the page (user space, y up).
#[derive(Debug, Clone)]
struct Fragment {
    x: f32,
    x_end: f32,
    y: f32,
    size: f32,
    text: String,
}

/// What the text operators need to know about a font.
struct FontInfo<'a> {
    encoding: Option<Encoding<'a>>,
    /// Glyph widths in 1/1000 text space units, by character code.
    widths: BTreeMap<u32, f32>,
    default_width: f32,
    /// Type0 (CID) fonts use two-byte codes.
    two_byte: bool,
    /// Identity-encoded CID font without a ToUnicode map: its codes are glyph
    /// numbers, which say nothing about letters.
    opaque: bool,
    /// The standard font the base name stands for, if any: its real widths
    /// when the PDF gives none, its own encoding when it is a symbol font.
    standard: Option<Standard>,
    /// The font maps its codes to Unicode itself (a ToUnicode CMap).
    to_unicode: bool,
    name: String,
}

impl FontInfo<'_> {
    fn width(&self, code: u32) -> f32 {
        match self.widths.get(&code) {
            Some(w) => *w,
            None => match self.standard {
                Some(std) if self.widths.is_empty() && !self.two_byte => std.width(code),
                _ => self.default_width,
            },
        }
    }

    fn codes<'b>(&self, bytes: &'b [u8]) -> impl Iterator<Item = u32> + 'b {
        let two = self.two_byte;
        let step = if two { 2 } else { 1 };
        bytes.chunks(step).map(move |c| {
            if two && c.len() == 2 {
                u32::from(c[0]) << 8 | u32::from(c[1])
            } else {
                u32::from(c[0])
            }
        })
    }

    /// The text for `bytes`, or `None` when the font's encoding cannot map them
    /// (a CID font without a ToUnicode map, say).
    fn decode(&self, bytes: &[u8]) -> Option<String> {
        if self.opaque {
            return None;
        }
        // Symbol, ZapfDingbats and Wingdings draw symbols for their codes,
        // not the Latin letters a standard encoding would read them as.
        if let Some(std) = self
            .standard
            .filter(|s| s.is_symbolic() && !self.to_unicode)
        {
            return Some(bytes.iter().map(|&b| symbolic_char(std, b)).collect());
        }
        match &self.encoding {
            Some(enc) => enc.bytes_to_string(bytes).ok(),
            None => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        }
    }
}

fn font_info<'a>(doc: &'a Document, name: &[u8], font: &'a Dictionary) -> FontInfo<'a> {
    let subtype = font
        .get(b"Subtype")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let two_byte = subtype == b"Type0";
    let encoding = font
        .get_font_encoding_with_limit(doc, MAX_DECOMPRESSED)
        .ok();
    let identity = matches!(
        font.get(b"Encoding").and_then(Object::as_name),
        Ok(b"Identity-H" | b"Identity-V")
    );
    let to_unicode = font.get(b"ToUnicode").is_ok();
    let opaque = two_byte && identity && !to_unicode;
    let base_font = font
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let standard = Standard::from_base_font(&base_font);
    let mut widths = BTreeMap::new();
    let mut default_width = 500.0;
    if two_byte {
        // Widths live in the descendant CIDFont: /W [c [w …] c_first c_last w …], /DW.
        let descendant = font
            .get_deref(b"DescendantFonts", doc)
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        if let Some(cid) = descendant {
            default_width = cid.get(b"DW").and_then(Object::as_float).unwrap_or(1000.0);
            if let Ok(w) = cid.get_deref(b"W", doc).and_then(Object::as_array) {
                read_cid_widths(doc, w, &mut widths);
            }
        } else {
            default_width = 1000.0;
        }
    } else {
        let first = font
            .get(b"FirstChar")
            .and_then(Object::as_i64)
            .unwrap_or(0)
            .clamp(0, 65_535) as u32;
        if let Ok(ws) = font.get_deref(b"Widths", doc).and_then(Object::as_array) {
            for (i, w) in ws.iter().take(65_536).enumerate() {
                if let Ok(w) = doc.dereference(w).and_then(|(_, o)| o.as_float()) {
                    widths.insert(first + i as u32, w);
                }
            }
            if let Some(avg) = average(widths.values().copied().filter(|w| *w > 0.0)) {
                default_width = avg;
            }
        }
        if widths.is_empty()
            && let Some(std) = standard
        {
            default_width = std.average();
        }
    }
    FontInfo {
        encoding,
        widths,
        default_width,
        two_byte,
        opaque,
        standard,
        to_unicode,
        name: String::from_utf8_lossy(
            font.get(b"BaseFont")
                .and_then(Object::as_name)
                .unwrap_or(name),
        )
        .into_owned(),
    }
}

fn average(it: impl Iterator<Item = f32>) -> Option<f32> {
    let (sum, n) = it.fold((0.0, 0u32), |(s, n), w| (s + w, n + 1));
    (n > 0).then(|| sum / n as f32)
}

fn read_cid_widths(doc: &Document, w: &[Object], out: &mut BTreeMap<u32, f32>) {
    let num = |o: &Object| doc.dereference(o).ok().and_then(|(_, o)| o.as_float().ok());
    let mut i = 0;
    while i < w.len() && out.len() < 65_536 {
        let Some(first) = num(&w[i]) else { break };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| doc.dereference(o).map(|(_, o)| o)) {
            Some(Ok(Object::Array(list))) => {
                for (k, wv) in list.iter().take(65_536).enumerate() {
                    if let Some(v) = num(wv) {
                        out.insert(first + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(Ok(_)) => {
                let (Some(last), Some(v)) = (num(&w[i + 1]), w.get(i + 2).and_then(num)) else {
                    break;
                };
                let last = (last.max(0.0) as u32).min(first.saturating_add(65_535));
                for c in first..=last {
                    out.insert(c, v);
                }
                i += 3;
            }
            _ => break,
        }
    }
}

/// The text state the operators change (PDF 32000-1 §9.3).
#[derive(Clone)]
struct TextState {
    font: Option<Vec<u8>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

struct PageReader<'a> {
    doc: &'a Document,
    fonts: BTreeMap<Vec<u8>, FontInfo<'a>>,
    fragments: Vec<Fragment>,
    /// Characters decoded per font, and how many were unreadable.
    font_quality: BTreeMap<String, (u32, u32)>,
    /// Glyphs per font read as bullets through a symbol font's own encoding
    /// or a private-use code point.
    symbol_bullets: BTreeMap<String, u32>,
    /// Images drawn (image XObjects and inline images).
    images: u32,
}

impl<'a> PageReader<'a> {
    fn run(&mut self, content: &[u8], resources: Option<&'a Dictionary>, base: Matrix, depth: u8) {
        let Ok(content) = Content::decode(content) else {
            return;
        };
        if let Some(res) = resources {
            self.load_fonts(res);
        }
        let mut ctm = base;
        let mut stack: Vec<(Matrix, TextState)> = Vec::new();
        let mut ts = TextState::default();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        for op in &content.operations {
            let o = &op.operands;
            let f = |i: usize| o.get(i).and_then(|v| v.as_float().ok()).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" if stack.len() < 64 => stack.push((ctm, ts.clone())),
                "Q" => {
                    if let Some((m, s)) = stack.pop() {
                        ctm = m;
                        ts = s;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(o) {
                        ctm = m.then(ctm);
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    ts.font = o.first().and_then(|n| n.as_name().ok()).map(<[u8]>::to_vec);
                    ts.size = f(1);
                }
                "Tc" => ts.char_spacing = f(0),
                "Tw" => ts.word_spacing = f(0),
                "Tz" => ts.scale = f(0) / 100.0,
                "TL" => ts.leading = f(0),
                "Ts" => ts.rise = f(0),
                "Td" => {
                    tlm = Matrix::translate(f(0), f(1)).then(tlm);
                    tm = tlm;
                }
                "TD" => {
                    ts.leading = -f(1);
                    tlm = Matrix::translate(f(0), f(1)).then(tlm);
                    tm = tlm;
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_operands(o) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -ts.leading).then(tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(s) = o.first().and_then(|v| v.as_str().ok()) {
                        self.show(s, &ts, &mut tm, ctm);
                    }
                }
                "'" | "\"" => {
                    if op.operator == "\"" {
                        ts.word_spacing = f(0);
                        ts.char_spacing = f(1);
                    }
                    tlm = Matrix::translate(0.0, -ts.leading).then(tlm);
                    tm = tlm;
                    if let Some(s) = o.last().and_then(|v| v.as_str().ok()) {
                        self.show(s, &ts, &mut tm, ctm);
                    }
                }
                "TJ" => {
                    let Some(items) = o.first().and_then(|v| v.as_array().ok()) else {
                        continue;
                    };
                    for item in items {
                        match item {
                            Object::String(s, _) => self.show(s, &ts, &mut tm, ctm),
                            other => {
                                if let Ok(n) = other.as_float() {
                                    let tx = -n / 1000.0 * ts.size * ts.scale;
                                    tm = Matrix::translate(tx, 0.0).then(tm);
                                }
                            }
                        }
                    }
                }
                "BI" => self.images += 1,
                "Do" if depth < MAX_FORM_DEPTH => {
                    if let Some(name) = o.first().and_then(|v| v.as_name().ok()) {
                        self.form(name, resources, ctm, depth);
                    }
                }
                _ => {}
            }
        }
    }

    fn load_fonts(&mut self, resources: &'a Dictionary) {
        let Ok(fonts) = resources
            .get_deref(b"Font", self.doc)
            .and_then(Object::as_dict)
        else {
            return;
        };
        for (name, font) in fonts.iter() {
            if self.fonts.contains_key(name) {
                continue;
            }
            if let Ok((_, Object::Dictionary(d))) = self.doc.dereference(font) {
                let info = font_info(self.doc, name, d);
                self.fonts.insert(name.clone(), info);
            }
        }
    }

    fn form(&mut self, name: &[u8], resources: Option<&'a Dictionary>, ctm: Matrix, depth: u8) {
        let Some(res) = resources else { return };
        let Ok(xobjects) = res
            .get_deref(b"XObject", self.doc)
            .and_then(Object::as_dict)
        else {
            return;
        };
        let Ok((_, Object::Stream(stream))) =
            xobjects.get(name).and_then(|o| self.doc.dereference(o))
        else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Form") => {}
            Ok(b"Image") => {
                self.images += 1;
                return;
            }
            _ => return,
        }
        let matrix = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| Matrix::from_operands(a))
            .unwrap_or(Matrix::IDENTITY);
        let form_res = stream
            .dict
            .get_deref(b"Resources", self.doc)
            .and_then(Object::as_dict)
            .ok()
            .or(Some(res));
        let Ok(content) = stream.decompressed_content() else {
            return;
        };
        if content.len() > MAX_DECOMPRESSED {
            return;
        }
        self.run(&content, form_res, matrix.then(ctm), depth + 1);
    }

    fn show(&mut self, bytes: &[u8], ts: &TextState, tm: &mut Matrix, ctm: Matrix) {
        let Some(font) = ts.font.as_ref().and_then(|n| self.fonts.get(n)) else {
            return;
        };
        let decoded = font.decode(bytes);
        let mut advance = 0.0;
        for code in font.codes(bytes) {
            let w = font.width(code) / 1000.0 * ts.size;
            let space = if !font.two_byte && code == 32 {
                ts.word_spacing
            } else {
                0.0
            };
            advance += (w + ts.char_spacing + space) * ts.scale;
        }
        let m = tm.then(ctm);
        let (x, y) = m.apply(0.0, ts.rise);
        let (x_end, _) = m.apply(advance, ts.rise);
        // The font size as drawn: the text matrix and CTM may scale it.
        let [_, _, c, d, _, _] = m.0;
        let size = (ts.size * (c * c + d * d).sqrt()).abs();
        *tm = Matrix::translate(advance, 0.0).then(*tm);

        let quality = self.font_quality.entry(font.name.clone()).or_default();
        let mut bullets = 0u32;
        let own_encoding = font
            .standard
            .is_some_and(|s| s.is_symbolic() && !font.to_unicode);
        let decoded = decoded.map(|t| {
            if own_encoding {
                bullets += t.chars().filter(|c| *c == '•').count() as u32;
            }
            if t.contains(|c: char| private_use_symbol(c).is_some()) {
                t.chars()
                    .map(|c| match private_use_symbol(c) {
                        Some(b) => {
                            bullets += u32::from(b == '•');
                            b
                        }
                        None => c,
                    })
                    .collect()
            } else {
                t
            }
        });
        if bullets > 0 {
            *self.symbol_bullets.entry(font.name.clone()).or_default() += bullets;
        }
        let Some(text) = decoded else {
            // Nothing to show for these codes: count them all as unreadable.
            let n = font.codes(bytes).count() as u32;
            quality.0 += n;
            quality.1 += n;
            return;
        };
        for ch in text.chars().filter(|c| !c.is_whitespace()) {
            quality.0 += 1;
            if ch == '\u{FFFD}' || ch.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&ch) {
                quality.1 += 1;
            }
        }
        if text.is_empty() || !x.is_finite() || !y.is_finite() || !size.is_finite() {
            return;
        }
        self.fragments.push(Fragment {
            x: x.min(x_end),
            x_end: x.max(x_end),
            y,
            size: if size > 0.1 { size } else { 10.0 },
            text,
        });
    }
}

/// Extracts a PDF's text, page by page, reporting progress.
pub fn extract(
    bytes: &[u8],
    progress: &mut dyn FnMut(u32, u32),
) -> Result<Extracted, ExtractError> {
    let options = lopdf::LoadOptions::with_max_decompressed_size(MAX_DECOMPRESSED);
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| {
        let detail = e.to_string();
        if detail.to_lowercase().contains("decrypt") || detail.to_lowercase().contains("password") {
            ExtractError::Encrypted
        } else {
            ExtractError::Corrupt {
                detail: short(&detail),
            }
        }
    })?;
    if doc.is_encrypted() && doc.get_pages().is_empty() {
        return Err(ExtractError::Encrypted);
    }
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    let total = pages.len() as u32;
    if total == 0 {
        return Err(ExtractError::Corrupt {
            detail: "no pages".into(),
        });
    }
    let mut out = String::new();
    let mut warnings = Vec::new();
    let mut unreadable_fonts: Vec<String> = Vec::new();
    let mut readable_chars = 0u32;
    let mut seen = Seen::default();
    for (i, &(_, page_id)) in pages.iter().enumerate() {
        progress(i as u32 + 1, total);
        let Ok(content) = doc.get_page_content_with_limit(page_id, MAX_DECOMPRESSED) else {
            warnings.push(format!("Page {} could not be read and was skipped.", i + 1));
            continue;
        };
        // The page's resources: its own dictionary, or the nearest one it
        // refers to (a `/Resources 12 0 R` page has no dictionary of its
        // own, and its image and form XObjects were not found).
        let resources = doc.get_page_resources(page_id).ok().and_then(|(own, ids)| {
            own.or_else(|| ids.first().and_then(|id| doc.get_dictionary(*id).ok()))
        });
        let mut reader = PageReader {
            doc: &doc,
            fonts: BTreeMap::new(),
            fragments: Vec::new(),
            font_quality: BTreeMap::new(),
            symbol_bullets: BTreeMap::new(),
            images: 0,
        };
        // Fonts may also be inherited from the page tree.
        if let Ok((_, inherited)) = doc.get_page_resources(page_id) {
            for id in inherited {
                if let Ok(d) = doc.get_dictionary(id) {
                    reader.load_fonts(d);
                }
            }
        }
        reader.run(&content, resources, Matrix::IDENTITY, 0);
        let page = i as u32 + 1;
        let mut bad_fonts = Vec::new();
        for (name, (n, bad)) in &reader.font_quality {
            if *n >= 5 && *bad * 5 > *n {
                bad_fonts.push(name.clone());
                add_font(&mut seen.undecodable, name, *bad, page);
            } else {
                readable_chars += n - bad;
            }
        }
        for (name, n) in &reader.symbol_bullets {
            add_font(&mut seen.symbols, name, *n, page);
        }
        let images = reader.images;
        let fragments: Vec<Fragment> = reader
            .fragments
            .into_iter()
            .map(|mut f| {
                f.text = f
                    .text
                    .chars()
                    .filter(|c| {
                        !(*c == '\u{FFFD}'
                            || (c.is_control() && *c != '\t')
                            || ('\u{E000}'..='\u{F8FF}').contains(c))
                    })
                    .collect();
                f
            })
            .filter(|f| !f.text.trim().is_empty())
            .collect();
        for name in bad_fonts {
            if !unreadable_fonts.contains(&name) {
                unreadable_fonts.push(name);
            }
        }
        let edges = edge_lines(&fragments);
        let laid = layout(fragments);
        let mut page_text = laid.text;
        if page_text.trim().is_empty() {
            let kind = if images > 0 {
                FindingKind::ImageOnlyPage
            } else {
                FindingKind::BlankPage
            };
            note(&mut seen.findings, kind, Some(page));
            continue;
        }
        if laid.columns >= 2 {
            note(
                &mut seen.findings,
                FindingKind::Columns {
                    columns: laid.columns,
                },
                Some(page),
            );
        }
        if let Some(&(rows, columns)) = laid.tables.iter().max() {
            note(
                &mut seen.findings,
                FindingKind::Table { rows, columns },
                Some(page),
            );
        }
        for (contact, text) in join_split_contacts(&mut page_text) {
            note(
                &mut seen.findings,
                FindingKind::ContactSplit { contact, text },
                Some(page),
            );
        }
        if let Some(e) = edges {
            seen.edges.push((page, e));
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&page_text);
    }
    if !unreadable_fonts.is_empty() {
        warnings.push(format!(
            "Some text could not be decoded (fonts: {}); it was left out. Check the text for gaps.",
            unreadable_fonts.join(", ")
        ));
    }
    let text = repair(&out);
    let findings = seen.finish();
    if text.trim().is_empty() {
        return Err(if unreadable_fonts.is_empty() || readable_chars > 0 {
            ExtractError::NoText { pages: total }
        } else {
            ExtractError::Undecodable
        });
    }
    Ok(Extracted {
        kind: FileKind::Pdf,
        text,
        pages: total,
        warnings,
        findings,
    })
}

/// What the pages showed, gathered into findings at the end.
#[derive(Default)]
struct Seen {
    findings: Vec<Finding>,
    /// Per font: unreadable glyphs and the pages they were on.
    undecodable: BTreeMap<String, (u32, Vec<u32>)>,
    /// Per font: glyphs read as bullets and their pages.
    symbols: BTreeMap<String, (u32, Vec<u32>)>,
    /// Per page with text: its first and last line.
    edges: Vec<(u32, [String; 2])>,
}

fn add_font(map: &mut BTreeMap<String, (u32, Vec<u32>)>, font: &str, glyphs: u32, page: u32) {
    let e = map.entry(font.to_string()).or_default();
    e.0 += glyphs;
    if !e.1.contains(&page) {
        e.1.push(page);
    }
}

impl Seen {
    fn finish(mut self) -> Vec<Finding> {
        for (font, (glyphs, pages)) in std::mem::take(&mut self.undecodable) {
            self.findings.push(Finding::new(
                FindingKind::UndecodableFont { font, glyphs },
                pages,
            ));
        }
        for (font, (glyphs, pages)) in std::mem::take(&mut self.symbols) {
            self.findings.push(Finding::new(
                FindingKind::SymbolBullets { font, glyphs },
                pages,
            ));
        }
        self.findings.extend(running_lines(&self.edges));
        self.findings
    }
}

/// A page's first and last line as they sit on the page (across the whole
/// width), or `None` when it has fewer than 3 lines.
fn edge_lines(frags: &[Fragment]) -> Option<[String; 2]> {
    let lines = lines_of(frags.to_vec());
    if lines.len() < 3 {
        return None;
    }
    Some([line_text(&lines[0]), line_text(&lines[lines.len() - 1])])
}

/// Running headers and footers: a first (or last) line that is the same on
/// at least two pages and on at least half the pages with text, page
/// numbers and other digits aside.
fn running_lines(edges: &[(u32, [String; 2])]) -> Vec<Finding> {
    let mut out = Vec::new();
    if edges.len() < 2 {
        return out;
    }
    let key = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    for (slot, position) in [(0, Edge::Top), (1, Edge::Bottom)] {
        let mut groups: Vec<(String, String, Vec<u32>)> = Vec::new();
        for (page, lines) in edges {
            let k = key(&lines[slot]);
            if k.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                continue;
            }
            match groups.iter_mut().find(|g| g.0 == k) {
                Some(g) => g.2.push(*page),
                None => groups.push((k, lines[slot].clone(), vec![*page])),
            }
        }
        for (_, text, pages) in groups {
            if pages.len() >= 2 && pages.len() * 2 >= edges.len() {
                out.push(Finding::new(
                    FindingKind::HeaderFooter { position, text },
                    pages,
                ));
            }
        }
    }
    out
}

/// Joins an email or phone number that the file breaks across two lines
/// ("jane.smith@exam" / "ple.com", "(312)" / "555-0123") and returns each
/// one joined.
fn join_split_contacts(text: &mut String) -> Vec<(Contact, String)> {
    let mut found = Vec::new();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    for i in 0..lines.len().saturating_sub(1) {
        let Some(tail) = lines[i].split_whitespace().last().map(str::to_string) else {
            continue;
        };
        let next = lines[i + 1].trim_start().to_string();
        let Some(head) = next.split_whitespace().next().map(str::to_string) else {
            continue;
        };
        let glued = format!("{tail}{head}");
        let spaced = format!("{tail} {head}");
        let (contact, joined, sep) = if !is_email(&tail)
            && (tail.contains('@') || head.starts_with('@'))
            && is_email(&glued)
        {
            (Contact::Email, glued, "")
        } else if tail.chars().any(|c| c.is_ascii_digit()) && !is_phone(&tail) && is_phone(&spaced)
        {
            (Contact::Phone, spaced, " ")
        } else {
            continue;
        };
        lines[i].push_str(sep);
        lines[i].push_str(&head);
        lines[i + 1] = next[head.len()..].trim_start().to_string();
        found.push((contact, joined));
    }
    if !found.is_empty() {
        *text = lines
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
    }
    found
}

/// `local@domain.tld`, trailing punctuation aside.
fn is_email(s: &str) -> bool {
    let s = s.trim_end_matches([',', ';', '.', ')']);
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let ok = |c: char| c.is_alphanumeric() || "._%+-".contains(c);
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    !local.is_empty()
        && local.chars().all(ok)
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

/// A North American or international phone number: its shape, digits as
/// `d`, after an optional `+country` prefix, is one of the usual ones.
fn is_phone(s: &str) -> bool {
    let s = s.trim_end_matches([',', ';', '.']);
    let shape: String = s
        .chars()
        .map(|c| if c.is_ascii_digit() { 'd' } else { c })
        .collect();
    let shape = match shape.strip_prefix('+') {
        Some(rest) => {
            let rest = rest.trim_start_matches('d');
            rest.trim_start_matches([' ', '-', '.'])
        }
        None => shape.as_str(),
    };
    let shape = shape
        .strip_prefix("(d) ")
        .or_else(|| shape.strip_prefix("(+d) "))
        .unwrap_or(shape);
    matches!(
        shape,
        "(ddd) ddd-dddd"
            | "(ddd)ddd-dddd"
            | "(ddd) ddd dddd"
            | "ddd-ddd-dddd"
            | "ddd.ddd.dddd"
            | "ddd ddd dddd"
            | "(ddd) ddd.dddd"
    )
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(80).collect();
    s.trim().to_string()
}

/// A line: fragments sharing a baseline, left to right.
struct Line {
    y: f32,
    size: f32,
    x: f32,
    x_end: f32,
    frags: Vec<Fragment>,
}

fn lines_of(mut frags: Vec<Fragment>) -> Vec<Line> {
    frags.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Line> = Vec::new();
    for f in frags {
        // Same line if the baselines are within 40% of the smaller size.
        let fits = lines
            .last()
            .is_some_and(|l| (l.y - f.y).abs() <= 0.4 * l.size.min(f.size));
        if fits {
            let l = lines.last_mut().expect("checked above");
            l.x = l.x.min(f.x);
            l.x_end = l.x_end.max(f.x_end);
            l.size = l.size.max(f.size);
            l.frags.push(f);
        } else {
            lines.push(Line {
                y: f.y,
                size: f.size,
                x: f.x,
                x_end: f.x_end,
                frags: vec![f],
            });
        }
    }
    for l in &mut lines {
        l.frags.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

fn line_text(l: &Line) -> String {
    let mut s = String::new();
    let mut prev_end: Option<f32> = None;
    for f in &l.frags {
        if let Some(end) = prev_end {
            let gap = f.x - end;
            let needs_space =
                gap > 0.15 * f.size.min(l.size) && !s.ends_with(' ') && !f.text.starts_with(' ');
            if needs_space {
                s.push(' ');
            }
        }
        s.push_str(&f.text);
        prev_end = Some(prev_end.map_or(f.x_end, |e: f32| e.max(f.x_end)));
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A page (or part of one) in reading order, and what the layout pass saw.
#[derive(Debug, Default)]
struct Laid {
    text: String,
    /// Columns side by side at the widest point (1: a single column).
    columns: u32,
    /// Grids of aligned cells: (rows, cells per row).
    tables: Vec<(u32, u32)>,
}

/// Lays a page out: finds the regions set in columns (a gutter that no line
/// crosses), reads what is above a region, then its left column top to
/// bottom, then its right column, then what is below.
fn layout(frags: Vec<Fragment>) -> Laid {
    if frags.is_empty() {
        return Laid::default();
    }
    layout_rows(lines_of(frags), 0)
}

/// Column splits nested deeper than this are not looked for.
const MAX_COLUMN_DEPTH: u8 = 3;

fn layout_rows(mut rows: Vec<Line>, depth: u8) -> Laid {
    let cut = if depth < MAX_COLUMN_DEPTH {
        find_columns(&rows)
    } else {
        None
    };
    let Some(cut) = cut else {
        let tables = grids(&rows);
        return Laid {
            text: join_lines(&rows),
            columns: u32::from(!rows.is_empty()),
            tables,
        };
    };
    let below = rows.split_off(cut.end);
    let region = rows.split_off(cut.start);
    let above = rows;
    let (left, right): (Vec<Fragment>, Vec<Fragment>) = region
        .into_iter()
        .flat_map(|l| l.frags)
        .partition(|f| f.x < cut.x);
    let parts = [
        layout_rows(above, depth + 1),
        layout_rows(lines_of(left), depth + 1),
        layout_rows(lines_of(right), depth + 1),
        layout_rows(below, depth + 1),
    ];
    let columns = parts[0]
        .columns
        .max(parts[3].columns)
        .max(parts[1].columns + parts[2].columns);
    let mut text = String::new();
    let mut tables = Vec::new();
    for p in parts {
        if !p.text.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&p.text);
        }
        tables.extend(p.tables);
    }
    Laid {
        text,
        columns,
        tables,
    }
}

/// Rows `start..end` of a page set in two columns split at `x`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cut {
    start: usize,
    end: usize,
    x: f32,
}

/// The fewest consecutive rows a column region spans.
const MIN_REGION_ROWS: usize = 6;

/// The largest region of consecutive rows that a vertical gutter divides
/// into two columns: no fragment of those rows touches the gutter (at least
/// 0.6 em wide, in the middle 80% of the text's width), each side has text on
/// at least 3 rows, the sides run side by side, and most rows of the sparser
/// side do *not* share a baseline with the other side (a label beside its
/// value, a date flush right of its title, a grid of cells are read across).
/// A line that crosses the gutter (a centred name, a contact line) ends the
/// region, so what is above it is read first.
fn find_columns(rows: &[Line]) -> Option<Cut> {
    if rows.len() < MIN_REGION_ROWS {
        return None;
    }
    let all = || rows.iter().flat_map(|r| &r.frags);
    let min_x = all().map(|f| f.x).fold(f32::MAX, f32::min);
    let max_x = all().map(|f| f.x_end).fold(f32::MIN, f32::max);
    let width = max_x - min_x;
    if !(width >= 100.0 && width.is_finite()) {
        return None;
    }
    let mut sizes: Vec<f32> = all().map(|f| f.size).collect();
    sizes.sort_by(f32::total_cmp);
    let body = sizes[sizes.len() / 2];
    let half_gap = (0.3 * body).max(2.0);
    const STEP: f32 = 1.0;
    // (score, cut, x of the gutter's right end)
    let mut best: Option<(usize, Cut, f32)> = None;
    let mut x = min_x + 0.1 * width;
    while x <= max_x - 0.1 * width {
        let open: Vec<bool> = rows
            .iter()
            .map(|r| {
                !r.frags
                    .iter()
                    .any(|f| f.x < x + half_gap && f.x_end > x - half_gap)
            })
            .collect();
        let mut i = 0;
        while i < rows.len() {
            if !open[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < rows.len() && open[i] {
                i += 1;
            }
            if i - start < MIN_REGION_ROWS {
                continue;
            }
            let Some(score) = two_sides(&rows[start..i], x) else {
                continue;
            };
            let cut = Cut { start, end: i, x };
            match &mut best {
                // The same region a step further right: the gutter is wider.
                Some((_, b, right))
                    if (b.start, b.end) == (start, i) && x - *right <= STEP * 1.5 =>
                {
                    *right = x;
                }
                Some((s, ..)) if *s >= score => {}
                _ => best = Some((score, cut, x)),
            }
        }
        x += STEP;
    }
    best.map(|(_, cut, right)| Cut {
        x: (cut.x + right) / 2.0,
        ..cut
    })
}

/// Whether the rows (none touching `x`) hold two columns side by side; the
/// score is the rows with text on either side.
///
/// Each side needs text on at least 3 rows; the sides must run side by side
/// (their spans overlap by more than half the shorter), and the sparser side
/// must be a flow of its own: fewer than 85% of its rows share a baseline
/// with the other side (a label beside its value, a date flush right of its
/// title, the cells of a grid share them all) and at least 4 do not, and it
/// has text on at least 40% of the rows within its own span (labels and
/// dates are sparse).
fn two_sides(rows: &[Line], x: f32) -> Option<usize> {
    let sides: Vec<(bool, bool)> = rows
        .iter()
        .map(|r| {
            (
                r.frags.iter().any(|f| f.x_end <= x),
                r.frags.iter().any(|f| f.x >= x),
            )
        })
        .collect();
    let left = sides.iter().filter(|s| s.0).count();
    let right = sides.iter().filter(|s| s.1).count();
    if left < 3 || right < 3 {
        return None;
    }
    let both = sides.iter().filter(|s| s.0 && s.1).count();
    // The first and last row with text on a side.
    let span = |pick: fn(&(bool, bool)) -> bool| {
        let first = sides.iter().position(pick).unwrap_or(0);
        let last = sides.iter().rposition(pick).unwrap_or(0);
        (first, last)
    };
    let (lf, ll) = span(|s| s.0);
    let (rf, rl) = span(|s| s.1);
    let sparse = left.min(right);
    let sparse_span = if left <= right {
        ll - lf + 1
    } else {
        rl - rf + 1
    };
    if both * 100 >= sparse * 85 || sparse * 100 < sparse_span * 40 || sparse - both < 4 {
        return None;
    }
    // Side by side, not one above the other (rows run top to bottom).
    let overlap = ll.min(rl) as f32 - lf.max(rf) as f32;
    let shorter = (ll - lf).min(rl - rf) as f32;
    (overlap > 0.5 * shorter).then_some(left + right)
}

/// Grids in a single-column stretch of rows: at least 2 rows split into the
/// same number (≥ 3) of cells — runs of text more than 1.2 em apart — whose
/// left or right edges line up (within 4 pt; a cell's left edge is where
/// its text starts, after a bullet). A row that starts inside the grid (a
/// cell set half a line off) does not end it. Returns (rows, cells) of each.
fn grids(rows: &[Line]) -> Vec<(u32, u32)> {
    let cells: Vec<Vec<(f32, f32)>> = rows.iter().map(cells_of).collect();
    let aligned = |a: &[(f32, f32)], b: &[(f32, f32)]| {
        a.len() >= 3
            && a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(p, q)| (p.0 - q.0).abs() <= 4.0 || (p.1 - q.1).abs() <= 4.0)
    };
    // A row whose every cell starts right of the grid's first cell.
    let inside = |row: &[(f32, f32)], grid: &[(f32, f32)]| {
        row.len() < grid.len() && row.iter().all(|c| c.0 > grid[0].1)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < cells.len() {
        let (mut last, mut n, mut k) = (i, 1u32, i + 1);
        while k < cells.len() {
            if aligned(&cells[last], &cells[k]) {
                last = k;
                n += 1;
            } else if !(n > 0 && inside(&cells[k], &cells[last]) && cells[last].len() >= 3) {
                break;
            }
            k += 1;
        }
        if n >= 2 {
            out.push((n, cells[i].len() as u32));
            i = last + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// A line's cells: its fragments grouped where the gap exceeds 1.2 em; a
/// cell starts where its text does (a leading bullet is not its edge).
fn cells_of(l: &Line) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = Vec::new();
    let mut bullet_only = false;
    for f in &l.frags {
        let t = f.text.trim();
        if t.is_empty() {
            continue;
        }
        let is_bullet = t.chars().all(|c| "•●▪◦‣∙·-–*".contains(c));
        match out.last_mut() {
            Some(c) if f.x - c.1 <= 1.2 * f.size.min(l.size) => {
                if bullet_only {
                    c.0 = f.x;
                }
                c.1 = c.1.max(f.x_end);
                bullet_only &= is_bullet;
            }
            _ => {
                out.push((f.x, f.x_end));
                bullet_only = is_bullet;
            }
        }
    }
    out
}

fn join_lines(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Line> = None;
    for l in lines {
        let text = line_text(l);
        if text.is_empty() {
            continue;
        }
        if let Some(p) = prev {
            // A gap of more than ~1.6 lines is a paragraph break.
            let gap = p.y - l.y;
            out.push('\n');
            if gap > 1.6 * p.size.max(l.size) * 1.2 {
                out.push('\n');
            }
        }
        out.push_str(&text);
        prev = Some(l);
    }
    out
}

/// Word repairs on the assembled text: ligatures, soft hyphens and
/// end-of-line hyphenation, and letter-spaced words (`S K I L L S`).
///
/// A hyphen at a line end is removed only when it is a word break
/// ("experi-" + "ence"); one that belongs to the word stays ("scikit-" +
/// "learn", "cross-" + "functional", "e-" + "commerce"): see [`keeps_hyphen`].
pub fn repair(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => s.push_str("ff"),
            '\u{FB01}' => s.push_str("fi"),
            '\u{FB02}' => s.push_str("fl"),
            '\u{FB03}' => s.push_str("ffi"),
            '\u{FB04}' => s.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => s.push_str("st"),
            _ => s.push(c),
        }
    }
    let whole = s.to_lowercase();
    let lines: Vec<&str> = s.split('\n').collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < lines.len() {
        let mut line = collapse_letter_spacing(lines[i]);
        // Join "experi-\nence" and "experi\u{AD}\nence" when the next line
        // continues in lowercase.
        while i + 1 < lines.len() {
            let next = lines[i + 1].trim_start();
            let starts_lower = next.chars().next().is_some_and(char::is_lowercase);
            let soft = line.ends_with('\u{AD}');
            let hard =
                line.ends_with('-') && line.chars().rev().nth(1).is_some_and(char::is_alphanumeric);
            // "COVID-" + "19", "T-" + "SQL": a name in capitals or digits
            // continues on the next line, hyphen and all.
            let capital_name = hard
                && next
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                && line[..line.len() - 1]
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .is_some_and(|w| {
                        !w.is_empty() && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
                    });
            if starts_lower && (soft || hard) || capital_name {
                let (word, rest) = next.split_once(' ').unwrap_or((next, ""));
                let keep = hard && {
                    let body = &line[..line.len() - 1];
                    let before = body
                        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '/')
                        .next()
                        .unwrap_or("");
                    keeps_hyphen(before, word, &whole)
                };
                if !keep {
                    line.pop();
                }
                line.push_str(word);
                // The rest of the next line stays on its own line.
                if rest.is_empty() {
                    i += 1;
                } else {
                    // ("rest" may itself end in a hyphen: keep going.)
                    out.push_str(&visible_soft_hyphens(&line));
                    out.push('\n');
                    line = rest.to_string();
                    i += 1;
                }
            } else {
                break;
            }
        }
        out.push_str(&visible_soft_hyphens(&line));
        out.push('\n');
        i += 1;
    }
    out.trim_end().to_string()
}

/// A soft hyphen (U+00AD) that is still in a line after line-end joins was
/// drawn: LuaTeX's ToUnicode maps its hyphen glyph to U+00AD, so the dash of
/// "Mar. 2010 \u{AD} Aug. 2017" and of "Back\u{AD}end" is a U+00AD the page
/// shows. It is read as "-" (removing it lost date ranges: "2010 Aug. 2017").
fn visible_soft_hyphens(line: &str) -> String {
    line.replace('\u{AD}', "-")
}

/// First parts that make a compound rather than a word split in two
/// ("cross-functional", "self-motivated", "full-stack").
const COMPOUND_FIRST: &[&str] = &[
    "cross", "self", "well", "non", "multi", "full", "long", "front", "cost", "user", "client",
    "customer", "hands", "results", "mission", "world", "best", "first", "mid", "semi", "co",
    "anti", "one", "two", "three", "four", "five", "scikit", "goal", "patient", "family", "safety",
    "third", "cutting", "fine", "cloud", "mobile", "decision", "hyper", "ultra", "small",
];

/// Second parts that make a compound ("data-driven", "customer-facing").
/// Parts that also end ordinary words ("knowl-edge", "ware-house",
/// "re-source") are left out.
const COMPOUND_SECOND: &[&str] = &[
    "based",
    "driven",
    "oriented",
    "facing",
    "focused",
    "level",
    "term",
    "scale",
    "up",
    "learn",
    "functional",
    "friendly",
    "wide",
    "specific",
    "owned",
    "native",
    "free",
    "first",
    "stack",
    "commerce",
    "learning",
    "depth",
    "person",
    "making",
    "solving",
    "class",
    "quality",
    "critical",
    "sensitive",
    "intensive",
    "ready",
    "centric",
    "led",
    "run",
    "made",
    "rounded",
    "minded",
    "motivated",
    "starter",
    "service",
    "year",
    "month",
    "week",
    "hour",
    "shift",
    "party",
    "border",
    "platform",
    "paced",
    "sighted",
    "checking",
    "tier",
    "stage",
];

/// Whether a hyphen at a line end belongs to the word: `before` is the text
/// ahead of the hyphen, `after` the first word of the next line, `whole` the
/// document in lowercase. The document's own usage decides first (the
/// hyphenated form written elsewhere keeps it; the joined form written
/// elsewhere removes it); then a compound's known parts, a one-letter or
/// numbered first part ("e-", "T-", "COVID-19"), or an uppercase name keep it.
pub fn keeps_hyphen(before: &str, after: &str, whole: &str) -> bool {
    let before = before.trim_start_matches(|c: char| !c.is_alphanumeric());
    let after = after.trim_end_matches(|c: char| !c.is_alphanumeric());
    if before.is_empty() || after.is_empty() {
        return false;
    }
    let b = before.to_lowercase();
    let a = after.to_lowercase();
    let hyphenated = format!("{b}-{a}");
    let joined = format!("{b}{a}");
    let count = |needle: &str| whole.matches(needle).count();
    // The split form itself occurs once in `whole` ("b-\na"), so any count
    // of the hyphenated form is another use.
    let joined_elsewhere = count(&joined) > 0;
    if count(&hyphenated) > 0 {
        return true;
    }
    if joined_elsewhere {
        return false;
    }
    // The last part before the hyphen, for "pre-trained" inside "X/pre-".
    let last = b.rsplit('-').next().unwrap_or(&b);
    last.chars().count() == 1
        || last.chars().any(|c| c.is_ascii_digit())
        || before.chars().filter(|c| c.is_uppercase()).count() >= 2
        || COMPOUND_FIRST.contains(&last)
        || COMPOUND_SECOND.contains(&a.as_str())
}

/// `S K I L L S` → `SKILLS`; `W O R K  E X P E R I E N C E` → `WORK EXPERIENCE`.
fn collapse_letter_spacing(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let letters = words.iter().filter(|w| w.chars().count() == 1).count();
    let non_empty = words.iter().filter(|w| !w.is_empty()).count();
    if non_empty >= 4
        && letters == non_empty
        && line.chars().filter(|c| c.is_alphabetic()).count() >= 4
    {
        line.split("  ")
            .map(|w| w.replace(' ', ""))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frag(x: f32, y: f32, text: &str) -> Fragment {
        Fragment {
            x,
            x_end: x + 5.0 * text.chars().count() as f32,
            y,
            size: 10.0,
            text: text.to_string(),
        }
    }

    #[test]
    fn rebuilds_lines_from_positions_in_reading_order() {
        let page = vec![
            frag(100.0, 700.0, "world"),
            frag(50.0, 700.0, "Hello"),
            frag(50.0, 686.0, "Second line"),
        ];
        let laid = layout(page);
        assert_eq!(laid.text, "Hello world\nSecond line");
        assert_eq!(laid.columns, 1);
    }

    #[test]
    fn reads_two_columns_one_after_the_other() {
        let mut page = Vec::new();
        for i in 0..10 {
            let y = 700.0 - 14.0 * i as f32;
            page.push(frag(40.0, y, &format!("left{i}")));
            page.push(frag(320.0, y - 7.0, &format!("right{i}")));
        }
        let laid = layout(page);
        assert_eq!(laid.columns, 2);
        let text = laid.text;
        let left_end = text.find("left9").unwrap();
        let right_start = text.find("right0").unwrap();
        assert!(left_end < right_start, "{text}");
    }

    #[test]
    fn a_label_beside_its_value_is_not_two_columns() {
        let mut page = Vec::new();
        for i in 0..10 {
            let y = 700.0 - 14.0 * i as f32;
            page.push(frag(40.0, y, &format!("Label{i}")));
            page.push(frag(320.0, y, &format!("value{i}")));
        }
        let laid = layout(page);
        assert!(laid.text.starts_with("Label0 value0\nLabel1 value1"));
        assert_eq!(laid.columns, 1);
    }

    #[test]
    fn repairs_hyphenation_ligatures_and_letter_spacing() {
        assert_eq!(repair("experi-\nence with Rust"), "experience\nwith Rust");
        assert_eq!(repair("man\u{AD}\naged teams"), "managed\nteams");
        assert_eq!(repair("Well-\nKnown"), "Well-\nKnown");
        assert_eq!(repair("devel-\nopment of"), "development\nof");
        assert_eq!(repair("ﬁnance ofﬁce"), "finance office");
        assert_eq!(repair("S K I L L S"), "SKILLS");
        assert_eq!(repair("W O R K  E X P E R I E N C E"), "WORK EXPERIENCE");
        assert_eq!(repair("A B testing"), "A B testing");
    }
}
