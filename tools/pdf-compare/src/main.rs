//! `cd tools/pdf-compare && cargo run --release`: our extractor against lopdf's plain
//! `extract_text`, pdf-extract and a minimal pdf-rs ToUnicode walk on the shared
//! fixture PDFs (truth fields found anywhere and within one line, errors, panics,
//! time). A separate workspace so its comparison-only dependencies stay out of
//! the product build.

use std::{fs, panic, path::Path, time::Instant};

fn squash(s: &str) -> String {
    s.to_lowercase().replace(['\u{2013}', '\u{2014}'], "-").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fields(t: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: &serde_json::Value| if let Some(s) = v.as_str().filter(|s| !s.trim().is_empty()) { out.push(s.to_string()) };
    for k in ["full_name", "email", "phone", "location"] { push(&t["contact"][k]); }
    for e in t["experience"].as_array().into_iter().flatten() { push(&e["title"]); push(&e["company"]); }
    for e in t["education"].as_array().into_iter().flatten() { push(&e["degree"]); push(&e["institution"]); }
    for s in t["skills"].as_array().into_iter().flatten() { push(s); }
    out
}

/// pdf-rs: walk each page's text operators and decode with the font's ToUnicode map.
fn pdf_rs(bytes: &[u8]) -> Result<String, String> {
    use pdf::{content::Op, file::FileOptions};
    let file = FileOptions::cached().load(bytes.to_vec()).map_err(|e| e.to_string())?;
    let resolver = file.resolver();
    let mut out = String::new();
    for page in file.pages() {
        let page = page.map_err(|e| e.to_string())?;
        let Some(content) = &page.contents else { continue };
        let ops = content.operations(&resolver).map_err(|e| e.to_string())?;
        let resources = page.resources().map_err(|e| e.to_string())?;
        let mut font = None;
        for op in ops {
            match op {
                Op::TextFont { name, .. } => {
                    font = resources.fonts.get(&name).and_then(|f| f.load(&resolver).ok());
                }
                Op::TextDraw { text } => out.push_str(&decode(&resolver, font.as_deref(), &text.data)),
                Op::TextDrawAdjusted { array } => {
                    for item in array {
                        if let pdf::content::TextDrawAdjusted::Text(t) = item {
                            out.push_str(&decode(&resolver, font.as_deref(), &t.data));
                        }
                    }
                }
                Op::TextNewline | Op::EndText => out.push('\n'),
                Op::MoveTextPosition { .. } => out.push(' '),
                _ => {}
            }
        }
        out.push('\n');
    }
    Ok(out)
}

fn decode(resolver: &impl pdf::object::Resolve, font: Option<&pdf::font::Font>, data: &[u8]) -> String {
    if let Some(f) = font {
        if let Some(Ok(map)) = f.to_unicode(resolver) {
            let two = matches!(f.subtype, pdf::font::FontType::Type0);
            let codes: Vec<u16> = if two { data.chunks(2).map(|c| u16::from(c[0]) << 8 | u16::from(*c.get(1).unwrap_or(&0))).collect() } else { data.iter().map(|&b| u16::from(b)).collect() };
            return codes.iter().filter_map(|c| map.get(*c)).map(|s| s.to_string()).collect();
        }
    }
    data.iter().map(|&b| char::from(b)).collect()
}

fn main() {
    panic::set_hook(Box::new(|_| {}));
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/resumes-pdf"));
    let mut tally = std::collections::BTreeMap::<&str, (u32, u32, u32, u32, f64, u32)>::new(); // found, total, errors, panics, ms, on one line
    let mut files = Vec::new();
    for d in fs::read_dir(root).unwrap() {
        let d = d.unwrap().path();
        if !d.is_dir() { continue; }
        for f in fs::read_dir(&d).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "pdf") { files.push(p); }
        }
    }
    files.sort();
    for p in &files {
        let bytes = fs::read(p).unwrap();
        let truth = fs::read_to_string(p.with_extension("truth.json")).ok().map(|t| fields(&serde_json::from_str(&t).unwrap()));
        let tools: [(&str, Box<dyn Fn(&[u8]) -> Result<String, String>>); 4] = [
            ("ours (extract)", Box::new(|b: &[u8]| extract::extract(b, "x.pdf").map(|d| d.text).map_err(|e| e.message()))),
            ("pdf-extract 0.12", Box::new(|b: &[u8]| pdf_extract::extract_text_from_mem(b).map_err(|e| e.to_string()))),
            ("lopdf extract_text", Box::new(|b: &[u8]| { let d = lopdf::Document::load_mem(b).map_err(|e| e.to_string())?; let pages: Vec<u32> = d.get_pages().keys().copied().collect(); d.extract_text(&pages).map_err(|e| e.to_string()) })),
            ("pdf-rs 0.10 (ToUnicode walk)", Box::new(pdf_rs)),
        ];
        for (name, f) in tools.iter() {
            let e = tally.entry(name).or_default();
            let t0 = Instant::now();
            let r = panic::catch_unwind(panic::AssertUnwindSafe(|| f(&bytes)));
            e.4 += t0.elapsed().as_secs_f64() * 1000.0;
            let text = match r { Ok(Ok(t)) => t, Ok(Err(_)) => { e.2 += 1; String::new() } Err(_) => { e.3 += 1; String::new() } };
            if let Some(tf) = &truth {
                let hay = squash(&text);
                let lines: Vec<String> = text.lines().map(squash).collect();
                for v in tf {
                    e.1 += 1;
                    let v = squash(v);
                    if hay.contains(&v) { e.0 += 1; }
                    if lines.iter().any(|l| l.contains(&v)) { e.5 += 1; }
                }
            }
        }
    }
    println!("| extractor | truth fields found (16 files) | found within one line | errors (61 files) | panics | time, all 61 |");
    println!("|---|---|---|---|---|---|");
    for (name, (f, t, err, pan, ms, one)) in tally {
        println!("| {name} | {f}/{t} ({:.1}%) | {one}/{t} ({:.1}%) | {err} | {pan} | {:.0} ms |", 100.0 * f as f64 / t as f64, 100.0 * one as f64 / t as f64, ms);
    }
}
