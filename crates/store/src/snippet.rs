//! Snippets: the passage of an article that best matches a query, highlighted on the
//! original text (offsets come from the analyzer, so diacritics and tatweel stay as written).

use akhbar_arabic::{Analyzer, Cache};
use rustc_hash::FxHashSet as HashSet;

/// A piece of a snippet: text as written in the article, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fragment {
    /// The original text.
    pub text: String,
    /// True for a word that matches the query.
    pub highlighted: bool,
}

/// A passage with its matched words marked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snippet {
    /// The passage in order.
    pub fragments: Vec<Fragment>,
}

/// The query's terms, as the index sees them.
#[derive(Debug, Default)]
pub struct QueryTerms {
    norms: HashSet<String>,
    stems: HashSet<String>,
}

impl QueryTerms {
    /// The analyzed words of a query (what snippets highlight).
    pub fn new(analyzer: &Analyzer, query: &str) -> QueryTerms {
        let mut terms = QueryTerms::default();
        let mut cache = Cache::default();
        analyzer.for_each(query, &mut cache, |token| {
            terms.norms.insert(token.norm.to_string());
            if !token.stop {
                terms.stems.insert(token.stem.to_string());
            }
        });
        terms
    }
}

impl Snippet {
    /// The passage as HTML: text escaped, matches in `<b>`.
    pub fn to_html(&self) -> String {
        let mut out = String::new();
        for fragment in &self.fragments {
            if fragment.highlighted {
                out.push_str("<b>");
            }
            escape_into(&fragment.text, &mut out);
            if fragment.highlighted {
                out.push_str("</b>");
            }
        }
        out
    }

    /// The passage as plain text.
    pub fn to_plain(&self) -> String {
        self.fragments.iter().map(|f| f.text.as_str()).collect()
    }

    /// Builds the snippet of `text` for `terms`, about `max_bytes` long.
    pub(crate) fn make(
        analyzer: &Analyzer,
        cache: &mut Cache,
        text: &str,
        terms: &QueryTerms,
        max_bytes: usize,
    ) -> Snippet {
        let mut matches: Vec<(usize, usize, usize)> = Vec::new(); // start, end, term id
        let mut term_ids: Vec<String> = Vec::new();
        analyzer.for_each(text, cache, |token| {
            let key = if terms.norms.contains(token.norm) {
                token.norm
            } else if !token.stop && terms.stems.contains(token.stem) {
                token.stem
            } else {
                return;
            };
            let id = term_ids.iter().position(|t| t == key).unwrap_or_else(|| {
                term_ids.push(key.to_string());
                term_ids.len() - 1
            });
            matches.push((token.start, token.end, id));
        });
        // The window with the most distinct matched terms, then the most matches: two
        // pointers over the matches, with a count per term, linear in the matches.
        let mut best = (0usize, 0usize, 0usize); // distinct, count, first match index
        let mut per_term = vec![0usize; term_ids.len()];
        let (mut end, mut distinct) = (0usize, 0usize);
        for first in 0..matches.len() {
            let window_end = matches[first].0 + max_bytes;
            end = end.max(first);
            while end < matches.len() && matches[end].1 <= window_end {
                if per_term[matches[end].2] == 0 {
                    distinct += 1;
                }
                per_term[matches[end].2] += 1;
                end += 1;
            }
            let count = end.saturating_sub(first);
            if (distinct, count) > (best.0, best.1) {
                best = (distinct, count, first);
            }
            if end > first {
                per_term[matches[first].2] -= 1;
                if per_term[matches[first].2] == 0 {
                    distinct -= 1;
                }
            }
        }
        let start = match matches.get(best.2) {
            Some(m) if best.1 > 0 => back_to_word_start(text, m.0, max_bytes / 5),
            _ => 0,
        };
        let end = forward_to_word_end(text, (start + max_bytes).min(text.len()));
        let mut fragments = Vec::new();
        let mut pos = start;
        if start > 0 {
            fragments.push(Fragment {
                text: "…".into(),
                highlighted: false,
            });
        }
        for &(m_start, m_end, _) in matches.iter().filter(|m| m.0 >= start && m.1 <= end) {
            if m_start > pos {
                fragments.push(Fragment {
                    text: clean(&text[pos..m_start]),
                    highlighted: false,
                });
            }
            fragments.push(Fragment {
                text: text[m_start..m_end].to_string(),
                highlighted: true,
            });
            pos = m_end;
        }
        if end > pos {
            fragments.push(Fragment {
                text: clean(&text[pos..end]),
                highlighted: false,
            });
        }
        if end < text.len() {
            fragments.push(Fragment {
                text: "…".into(),
                highlighted: false,
            });
        }
        Snippet { fragments }
    }
}

/// Paragraph breaks become spaces in a one-line snippet.
fn clean(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
}

fn back_to_word_start(text: &str, from: usize, max_back: usize) -> usize {
    let floor = from.saturating_sub(max_back);
    let mut start = from;
    for (i, c) in text[..from].char_indices().rev() {
        if i < floor {
            break;
        }
        if c == '\n' || c == '.' {
            return i + c.len_utf8();
        }
        if c.is_whitespace() {
            start = i + c.len_utf8();
        }
    }
    if floor == 0 && from <= max_back {
        0
    } else {
        start
    }
}

fn forward_to_word_end(text: &str, mut end: usize) -> usize {
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    match text[end..].find(char::is_whitespace) {
        Some(offset) if offset < 40 => end + offset,
        _ => end,
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, query: &str, max_bytes: usize, expected_html: &str) {
        let analyzer = Analyzer::default();
        let terms = QueryTerms::new(&analyzer, query);
        let snippet = Snippet::make(&analyzer, &mut Cache::default(), text, &terms, max_bytes);
        assert_eq!(snippet.to_html(), expected_html, "query {query:?}");
    }

    #[test]
    fn wide_spaces_before_the_window_are_not_split() {
        // Found by the HTTP load test on the news corpus: a no-break space (two bytes) just
        // before the window's first word.
        let text = format!(
            "{}محمد،\u{a0}وزير الحرس الوطني، الأمير متعب بن عبدالله",
            "كلمة ".repeat(40)
        );
        let analyzer = Analyzer::default();
        let terms = QueryTerms::new(&analyzer, "الأمير متعب");
        for max_bytes in [20, 40, 60, 120] {
            let snippet = Snippet::make(&analyzer, &mut Cache::default(), &text, &terms, max_bytes);
            assert!(snippet.to_html().contains("<b>متعب</b>"), "{max_bytes}");
        }
        for back in 0..40 {
            let start = back_to_word_start(&text, text.find("وزير").unwrap_or(0), back);
            assert!(text.is_char_boundary(start), "{back}");
        }
    }

    #[test]
    fn table() {
        check(
            "أشاد وزير الخارجية بلينكن بالأمن.",
            "بلينكن",
            200,
            "أشاد وزير الخارجية <b>بلينكن</b> بالأمن.",
        );
        check("مُحَمَّدٌ قال", "محمد", 200, "<b>مُحَمَّدٌ</b> قال"); // highlight keeps the harakat
        check("والرباط مدينة", "الرباط", 200, "<b>والرباط</b> مدينة"); // stem match
        check(
            "<script>x</script> بلينكن",
            "بلينكن",
            200,
            "&lt;script&gt;x&lt;/script&gt; <b>بلينكن</b>",
        );
        check("لا شيء هنا", "بلينكن", 200, "لا شيء هنا");
        check(
            "aaa bbb ccc ddd eee fff ggg hhh iii target jjj",
            "target",
            20,
            "…<b>target</b> jjj",
        );
        check(
            "aaa bbb ccc ddd eee fff ggg hhh iii target jjj",
            "target",
            60,
            "…hhh iii <b>target</b> jjj",
        );
    }
}
