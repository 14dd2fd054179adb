//! Arbitrary input never panics the text pipeline (a panic in Wasm with
//! `panic = "abort"` would kill the page), and token ranges always lie on
//! character boundaries of the text they index.

use scoring::{
    job::analyze_job,
    normalize::normalize,
    resume::{contact, sections},
    skills::dictionary,
    tokenize::tokenize,
};

/// Characters chosen to hit every branch: symbols the tokenizer treats specially,
/// multi-byte letters, ligatures, invisible characters, emoji and controls.
const POOL: &[char] = &[
    'C', 'G', 'o', 'k', '8', 's', 'j', ':', ';', '3', 'y', 'e', 'r', '@', 'S', 'K', 'I', 'L', 'a',
    'Z', '0', '9', '.', '+', '#', '/', '-', ' ', '\n', '\t', 'é', 'ß', '日', 'ﬁ', '\u{00AD}',
    '\u{200B}', '\u{FEFF}', '🚀', '\u{0301}', '\u{FF21}', '\u{2013}', '•', '\r', '\0', 'İ',
];

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn normalize_and_tokenize_accept_any_string_and_index_on_char_boundaries() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = (rng.next() % 40) as usize;
        let s: String = (0..len)
            .map(|_| POOL[(rng.next() % POOL.len() as u64) as usize])
            .collect();
        let _ = contact(&s);
        for sec in sections(&s) {
            assert!(
                s.is_char_boundary(sec.start)
                    && s.is_char_boundary(sec.end)
                    && sec.start <= sec.end
            );
        }
        let analysis = analyze_job(&s);
        assert!(analysis.skills.iter().all(|k| k.mentions >= 1));
        for text in [s.clone(), normalize(&s)] {
            for m in dictionary().find_in(&text) {
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
            for t in tokenize(&text) {
                assert!(
                    text.is_char_boundary(t.start) && text.is_char_boundary(t.end),
                    "{text:?}"
                );
                assert!(t.start < t.end, "{text:?}");
                assert!(!t.text.is_empty(), "{text:?}");
            }
        }
    }
}

/// Words and structure that reach every scoring branch: headings, bullets,
/// dates, degrees, contact details, skills and their aliases.
const PIECES: &[&str] = &[
    "EXPERIENCE\n",
    "SKILLS\n",
    "EDUCATION\n",
    "S U M M A R Y\n",
    "• ",
    "- ",
    "1. ",
    "Led ",
    "Responsible for ",
    "Python ",
    "k8s ",
    "C++ ",
    "CI/CD ",
    "machine learning ",
    "Jan 2020 ",
    "- Present\n",
    "2019 - 2021\n",
    "03/2018 ",
    "40% ",
    "$2M ",
    "3x ",
    "B.Sc. ",
    "Master's ",
    "PhD ",
    "a@b.co ",
    "+1 555 010 0100 ",
    "linkedin.com/in/x ",
    "Berlin, Germany\n",
    "Requirements:\n",
    "Nice to have:\n",
    "5+ years ",
    "is a plus. ",
    "must ",
    "ﬁ",
    "\u{00AD}",
    "🚀",
    "日本",
    "\n",
    ", ",
    "(",
    ")",
    ": ",
    ".",
    "é",
    "\u{0301}",
    "\0",
];

#[test]
fn scoring_any_resume_against_any_job_never_panics_and_stays_in_range() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let gen_text = |rng: &mut Rng| -> String {
        let n = (rng.next() % 60) as usize;
        (0..n)
            .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
            .collect()
    };
    for _ in 0..1_500 {
        let resume = gen_text(&mut rng);
        let job = gen_text(&mut rng);
        for variant in scoring::Variant::ALL {
            match scoring::score(&resume, &job, variant) {
                Ok(r) => {
                    assert!(r.score <= 100, "{resume:?} / {job:?}");
                    let text = normalize(&resume);
                    for h in &r.highlights {
                        assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
                    }
                    assert!(r.recommendations.windows(2).all(|w| w[0].gain >= w[1].gain));
                }
                Err(p) => assert!(!p.message().is_empty()),
            }
        }
    }
}
