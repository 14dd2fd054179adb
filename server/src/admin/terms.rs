//! Themes: the words and two-word phrases most messages of a category share,
//! for the inbox's current filter (period, variant, sentiment, search …).
//! Counted per message (a word repeated in one message counts once), common
//! English words left out, phrases preferred over the words inside them.

use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Sqlite};

use super::inbox::Filter;
use crate::{error::ApiError, startup::AppState};

/// Newest messages read per request: themes stay quick on a large inbox.
pub const SAMPLE: i64 = 5_000;
pub const PER_CATEGORY: usize = 8;

pub struct Theme {
    pub category: String,
    pub messages: usize,
    pub terms: Vec<(String, usize)>,
}

const STOPWORDS: &str = "a about above after again against all am an and any are aren't as at be because been before \
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each \
few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him \
himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself \
no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should \
shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd they'll \
they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what \
what's when when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're \
you've your yours yourself yourselves also just really get got would like one much even still thing things way \
lot please thanks thank hi hello use using used make made it's im dont";

fn stopwords() -> &'static HashSet<&'static str> {
    static SET: std::sync::LazyLock<HashSet<&'static str>> =
        std::sync::LazyLock::new(|| STOPWORDS.split_whitespace().collect());
    &SET
}

/// Lower-cased words of at least three letters (digits allowed), apostrophes kept inside.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| {
            w.trim_matches(|c| c == '\'' || c == '’')
                .to_lowercase()
                .replace('’', "'")
        })
        .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// The top terms of a set of messages.
pub fn top_terms<'a>(
    messages: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<(String, usize)> {
    let stop = stopwords();
    let mut uni: HashMap<String, usize> = HashMap::new();
    let mut bi: HashMap<String, usize> = HashMap::new();
    for m in messages {
        let ws = words(m);
        let mut seen_u = HashSet::new();
        let mut seen_b = HashSet::new();
        for (i, w) in ws.iter().enumerate() {
            let content = !stop.contains(w.as_str()) && w.chars().count() >= 3;
            if content && seen_u.insert(w.clone()) {
                *uni.entry(w.clone()).or_default() += 1;
            }
            if let Some(next) = ws.get(i + 1)
                && content
                && !stop.contains(next.as_str())
                && next.chars().count() >= 3
            {
                let phrase = format!("{w} {next}");
                if seen_b.insert(phrase.clone()) {
                    *bi.entry(phrase).or_default() += 1;
                }
            }
        }
    }
    let mut candidates: Vec<(String, usize, f64)> = bi
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(t, n)| (t, n, n as f64 * 1.5))
        .chain(
            uni.into_iter()
                .filter(|(_, n)| *n >= 2)
                .map(|(t, n)| (t, n, n as f64)),
        )
        .collect();
    candidates.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<(String, usize)> = Vec::new();
    for (term, n, _) in candidates {
        if out.len() == limit {
            break;
        }
        // A word mostly seen inside a phrase already listed adds nothing.
        let covered = !term.contains(' ')
            && out
                .iter()
                .any(|(t, m)| t.split(' ').any(|w| w == term) && (*m as f64) >= 0.7 * n as f64);
        if !covered {
            out.push((term, n));
        }
    }
    out
}

/// Themes per category for `filter` (comments on ratings are their own group).
pub async fn themes(state: &AppState, filter: &Filter) -> Result<Vec<Theme>, ApiError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT COALESCE(f.category, 'rating comments'), f.message FROM feedback f",
    );
    // Themes cover the whole selection, not the page: no cursor.
    filter.push_where(&mut q, false);
    q.push(" AND f.message IS NOT NULL ORDER BY f.created_at DESC LIMIT ")
        .push_bind(SAMPLE);
    let rows: Vec<(String, String)> = q.build_query_as().fetch_all(&state.db).await?;
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for (cat, msg) in &rows {
        match groups.iter_mut().find(|(c, _)| c == cat) {
            Some((_, v)) => v.push(msg),
            None => groups.push((cat.clone(), vec![msg])),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    Ok(groups
        .into_iter()
        .map(|(category, msgs)| Theme {
            messages: msgs.len(),
            terms: top_terms(msgs.iter().copied(), PER_CATEGORY),
            category,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_phrase_outranks_its_words_and_stopwords_never_show() {
        let msgs = [
            "The PDF import fails on my resume",
            "pdf import is broken for two-column files",
            "Please fix the PDF import, it fails",
            "Dark mode would be nice",
        ];
        let top = top_terms(msgs.iter().copied(), 5);
        assert_eq!(top[0], ("pdf import".to_string(), 3));
        assert!(top.iter().any(|(t, n)| t == "fails" && *n == 2), "{top:?}");
        assert!(
            !top.iter()
                .any(|(t, _)| t == "pdf" || t == "the" || t == "import"),
            "{top:?}"
        );
    }

    #[test]
    fn a_word_counts_once_per_message() {
        let top = top_terms(["keyword keyword keyword", "keyword"].iter().copied(), 3);
        assert_eq!(top, vec![("keyword".to_string(), 2)]);
    }
}
