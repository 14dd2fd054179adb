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
