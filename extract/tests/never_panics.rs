//! Damaged and hostile files: truncated and bit-flipped copies of every fixture
//! PDF, random bytes, and zip bombs. Extraction must return (text or an error),
//! never panic: in the browser a panic aborts the Wasm instance.

use std::{fs, io::Write, path::Path};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    // `shared/` beside the checkout, or beside a parent folder (a worktree).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/fixtures/resumes-pdf"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/resumes-pdf")
        });
    let mut out = Vec::new();
    for folder in fs::read_dir(&root).expect("shared fixtures beside the checkout") {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        for f in fs::read_dir(folder).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "pdf") {
                out.push((
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Runs extraction, turning a panic into a test failure message that names the input.
fn survives(label: &str, bytes: &[u8], name: &str) -> Result<(), String> {
    std::panic::catch_unwind(|| {
        let _ = extract::extract(bytes, name);
    })
    .map_err(|_| format!("panicked on {label}"))
}

#[test]
fn truncated_and_bit_flipped_fixture_pdfs_never_panic() {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let mut panics = Vec::new();
    let files = fixtures();
    assert_eq!(files.len(), 61);
    for (name, bytes) in &files {
        for cut in [
            bytes.len() / 2,
            bytes.len() * 9 / 10,
            bytes.len().saturating_sub(200),
        ] {
            if let Err(e) = survives(&format!("{name} cut at {cut}"), &bytes[..cut], name) {
                panics.push(e);
            }
        }
        for round in 0..12 {
            let mut damaged = bytes.clone();
            let flips = 1 + (rng.next() % 24) as usize;
            for _ in 0..flips {
                let i = (rng.next() % damaged.len() as u64) as usize;
                damaged[i] = (rng.next() & 0xFF) as u8;
            }
            if let Err(e) = survives(&format!("{name} flip round {round}"), &damaged, name) {
                panics.push(e);
            }
        }
    }
    assert!(
        panics.is_empty(),
        "{} panics:\n{}",
        panics.len(),
        panics.join("\n")
    );
}

#[test]
fn random_bytes_named_pdf_or_docx_give_an_error() {
    let mut rng = Rng(42);
    for i in 0..300 {
        let len = (rng.next() % 4096) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xFF) as u8).collect();
        if i % 3 == 0 {
            bytes.splice(0..0, b"%PDF-1.7\n".iter().copied());
        }
        if i % 3 == 1 {
            bytes.splice(0..0, b"PK\x03\x04".iter().copied());
        }
        for name in ["x.pdf", "x.docx", "x.txt"] {
            survives(&format!("random #{i} as {name}"), &bytes, name).unwrap();
        }
    }
    let err = extract::extract(b"%PDF-1.7\nnot really", "cv.pdf").unwrap_err();
    assert!(
        matches!(err, extract::ExtractError::Corrupt { .. }),
        "{err:?}"
    );
}

#[test]
fn a_zip_bomb_named_docx_is_refused_without_inflating_it() {
    // 100 MB of zeros compressed into a ~100 KB "document.xml".
    let mut zipped = Vec::new();
    {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut zipped));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("word/document.xml", opts).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..100 {
            w.write_all(&zeros).unwrap();
        }
        w.finish().unwrap();
    }
    assert!(zipped.len() < 1024 * 1024, "{} bytes", zipped.len());
    let err = extract::extract(&zipped, "resume.docx").unwrap_err();
    assert!(err.message().contains("zip bomb"), "{err:?}");
}

#[test]
fn a_file_over_ten_megabytes_is_refused_before_parsing() {
    let big = vec![b'a'; 50 * 1024 * 1024];
    let err = extract::extract(&big, "resume.pdf").unwrap_err();
    assert_eq!(err, extract::ExtractError::TooLarge { bytes: big.len() });
    assert!(err.message().contains("50.0 MB"), "{}", err.message());
}

#[test]
fn word_xml_of_random_structure_never_panics() {
    // Valid zips whose document is a random, often unbalanced, mix of the
    // elements the DOCX reader treats specially: alternate content, tracked
    // changes, run-level characters with odd attributes, references.
    const PIECES: &[&str] = &[
        "<w:p>",
        "</w:p>",
        "<w:r>",
        "</w:r>",
        "<w:t>",
        "</w:t>",
        "text",
        "&#8209;",
        "&#xFFFFFFF;",
        "&#;",
        "&bogus;",
        "<mc:AlternateContent>",
        "</mc:AlternateContent>",
        "<mc:Choice Requires=\"wps\">",
        "</mc:Choice>",
        "<mc:Fallback>",
        "</mc:Fallback>",
        "<w:del>",
        "</w:del>",
        "<w:ins>",
        "</w:ins>",
        "<w:moveFrom>",
        "</w:moveFrom>",
        "<w:moveTo>",
        "</w:moveTo>",
        "<w:delText>gone</w:delText>",
        "<w:noBreakHyphen/>",
        "<w:softHyphen/>",
        "<w:sym w:font=\"Symbol\" w:char=\"F0B7\"/>",
        "<w:sym w:font=\"Wingdings\" w:char=\"ZZZZ\"/>",
        "<w:sym w:char=\"FFFFFFFFFF\"/>",
        "<w:sym/>",
        "<w:tab/>",
        "<w:br/>",
        "<w:tabs><w:tab w:pos=\"1\"/></w:tabs>",
        "<w:numPr/>",
        "<w:tc>",
        "</w:tc>",
        "<w:tr>",
        "</w:tr>",
        "<w:txbxContent>",
        "</w:txbxContent>",
    ];
    let mut rng = Rng(7);
    for i in 0..400 {
        let n = 1 + (rng.next() % 60) as usize;
        let body: String = (0..n)
            .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
            .collect();
        let mut out = Vec::new();
        {
            let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
            z.start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            write!(
                z,
                r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>{body}</w:body></w:document>"#
            )
            .unwrap();
            z.finish().unwrap();
        }
        survives(&format!("random Word XML #{i}: {body}"), &out, "cv.docx").unwrap();
    }
}
