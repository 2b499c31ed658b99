//! Per-source boilerplate: lines an outlet puts at the start or end of many of its articles
//! ("تابع آخبار تليكسبريس على …", "للمزيد تابعونا"). Which lines recur is learned from the
//! store's history (the pipeline keeps the counts); this module says which lines are
//! candidates and removes the ones found to recur.

/// Longest line (in characters) that can count as boilerplate; longer ones are article text.
const MAX_LINE_CHARS: usize = 200;

/// Articles of one source that must open or close with a line before it is boilerplate.
pub const BOILERPLATE_MIN_ARTICLES: u64 = 3;

/// The first and the last paragraph of a body with at least two paragraphs, whitespace
/// collapsed, when short enough to be boilerplate.
pub fn edge_lines(body: &str) -> Vec<String> {
    let paragraphs: Vec<&str> = body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    if paragraphs.len() < 2 {
        return Vec::new();
    }
    let mut lines = Vec::new();
    for paragraph in [paragraphs[0], paragraphs[paragraphs.len() - 1]] {
        let line = crate::blocks::collapse_spaces(paragraph);
        if line.chars().count() <= MAX_LINE_CHARS && !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
}

/// The body without its opening and closing paragraphs that `is_boilerplate` accepts, or
/// `None` when nothing is removed. At least one paragraph always stays.
pub fn strip_boilerplate(body: &str, is_boilerplate: impl Fn(&str) -> bool) -> Option<String> {
    let mut paragraphs: Vec<&str> = body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let before = paragraphs.len();
    while paragraphs.len() > 1 && is_boilerplate(&crate::blocks::collapse_spaces(paragraphs[paragraphs.len() - 1])) {
        paragraphs.pop();
    }
    while paragraphs.len() > 1 && is_boilerplate(&crate::blocks::collapse_spaces(paragraphs[0])) {
        paragraphs.remove(0);
    }
    (paragraphs.len() < before).then(|| paragraphs.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_and_stripping() {
        let body = "تابعونا\n\nفقرة أولى\n\nفقرة  ثانية\n\nتابع آخبار تليكسبريس على akhbar";
        assert_eq!(edge_lines(body), ["تابعونا", "تابع آخبار تليكسبريس على akhbar"]);
        assert_eq!(edge_lines("فقرة وحيدة"), Vec::<String>::new());
        let footer = |line: &str| line == "تابع آخبار تليكسبريس على akhbar";
        assert_eq!(
            strip_boilerplate(body, footer).as_deref(),
            Some("تابعونا\n\nفقرة أولى\n\nفقرة  ثانية")
        );
        assert_eq!(strip_boilerplate("فقرة أولى\n\nفقرة ثانية", footer), None);
        assert_eq!(
            strip_boilerplate("a\n\nb", |_| true).as_deref(),
            Some("a"),
            "one paragraph always stays"
        );
    }
}
