//! A light English stemmer for matching word forms: `pipelines` ~ `pipeline`,
//! `testing` ~ `tests` ~ `test`, `managed` ~ `manage` ~ `managing`.
//!
//! Deliberately conservative (it only strips inflections, never derivations like
//! `-ation` or `-ment`), because an over-eager stemmer makes unrelated words
//! collide; and it leaves alone short words and anything that is not plain
//! letters (`c++`, `node.js`, `k8s`, `ios`), which are names, not English.

use std::borrow::Cow;

/// The stem of a lowercase token. Idempotent on its own output for the forms it
/// handles, and never panics.
pub fn stem(word: &str) -> Cow<'_, str> {
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    if let Some(base) = irregular(word) {
        return Cow::Borrowed(base);
    }
    // Every rule but "-ies" → "-y" only cuts a suffix, so the stem is a prefix
    // of the word and borrows it: no allocation for most words.
    let w = word;
    let w = if let Some(base) = w.strip_suffix("ies").filter(|b| b.len() >= 2) {
        return Cow::Owned(format!("{base}y"));
    } else if w.ends_with("sses")
        || w.ends_with("shes")
        || w.ends_with("ches")
        || w.ends_with("xes")
    {
        &w[..w.len() - 2]
    } else if w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("os")
    {
        &w[..w.len() - 1]
    } else {
        w
    };
    // Past tense and gerund: strip, then undo doubling ("planned" → "plan") or
    // drop a silent e ("managed" → "manag", "manage" → "manag").
    for suffix in ["ing", "ed"] {
        if let Some(base) = w.strip_suffix(suffix)
            && base.len() >= 3
            && base.bytes().any(is_vowel)
        {
            let b = base.as_bytes();
            let n = b.len();
            if n >= 2 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z') {
                return Cow::Borrowed(&base[..n - 1]);
            }
            return Cow::Borrowed(drop_e(base));
        }
    }
    Cow::Borrowed(drop_e(w))
}

/// Irregular past forms of verbs resumes use, as the stem of their base verb
/// ("drew blood" ~ "draw blood", "troubleshot" ~ "troubleshoot", "took" ~
/// "take"). Only forms that are no other word; short ones ("led", "ran") are
/// left alone like every word of three letters.
fn irregular(word: &str) -> Option<&'static str> {
    Some(match word {
        "drew" | "drawn" => "draw",
        "withdrew" | "withdrawn" => "withdraw",
        "took" | "taken" => "tak",
        "undertook" | "undertaken" => "undertak",
        "kept" => "keep",
        "troubleshot" => "troubleshoot",
        "wrote" | "written" => "writ",
        "rewrote" | "rewritten" => "rewrit",
        "taught" => "teach",
        "sold" => "sell",
        "drove" | "driven" => "driv",
        "grew" | "grown" => "grow",
        "oversaw" | "overseen" => "overse",
        "spoke" | "spoken" => "speak",
        "brought" => "bring",
        "gave" | "given" => "giv",
        "began" | "begun" => "begin",
        "chose" | "chosen" => "chos",
        "held" => "hold",
        "sent" => "send",
        "spent" => "spend",
        "caught" => "catch",
        "sought" => "seek",
        "fought" => "fight",
        "thought" => "think",
        "bought" => "buy",
        _ => return None,
    })
}

/// A final silent `e` is dropped so `manage` and `manag(ed)` meet.
fn drop_e(w: &str) -> &str {
    match w.strip_suffix('e') {
        Some(base) if base.len() >= 3 => base,
        _ => w,
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

#[cfg(test)]
mod tests {
    use super::stem;

    fn same(a: &str, b: &str) {
        assert_eq!(stem(a), stem(b), "{a} vs {b}");
    }

    #[test]
    fn plural_and_singular_meet() {
        same("pipelines", "pipeline");
        same("microservices", "microservice");
        same("databases", "database");
        same("policies", "policy");
        same("processes", "process");
    }

    #[test]
    fn verb_forms_meet() {
        same("testing", "tests");
        same("managed", "manage");
        same("managing", "manages");
        same("planned", "plan");
        same("deployed", "deploying");
    }

    #[test]
    fn names_and_short_words_are_left_alone() {
        assert_eq!(stem("ios"), "ios");
        assert_eq!(stem("k8s"), "k8s");
        assert_eq!(stem("node.js"), "node.js");
        assert_eq!(stem("css"), "css");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("analysis"), "analysis");
    }

    #[test]
    fn different_words_stay_apart() {
        assert_ne!(stem("sing"), stem("s"));
        assert_ne!(stem("red"), stem("r"));
        assert_ne!(stem("bring"), stem("br"));
    }
}
