//! Plain-text articles.

use akhbar_model::Article;

/// Reads a plain-text article: the first non-empty line is the title, the rest is the body.
///
/// Paragraphs (runs of non-empty lines separated by blank lines) are kept, joined by one blank
/// line; lines inside a paragraph are joined with a newline; `\r\n` becomes `\n` and trailing
/// spaces are trimmed.
///
/// ```
/// let article = akhbar_extract::from_text("\n عنوان \r\n\r\nفقرة أولى\n\n\nفقرة ثانية\n");
/// assert_eq!(article.title, "عنوان");
/// assert_eq!(article.body, "فقرة أولى\n\nفقرة ثانية");
/// ```
pub fn from_text(text: &str) -> Article {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text.lines().map(str::trim_end);
    let title = lines
        .by_ref()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string();
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line.trim_start());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    Article {
        title,
        body: paragraphs.join("\n\n"),
        ..Article::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, title: &str, body: &str) {
        let article = from_text(input);
        assert_eq!(
            (article.title.as_str(), article.body.as_str()),
            (title, body),
            "input {input:?}"
        );
    }

    #[test]
    fn table() {
        check("t\n\nb", "t", "b");
        check("\u{FEFF}t\nb1\nb2\n\n\nc", "t", "b1\nb2\n\nc");
        check("\r\n  t  \r\n\r\nb\r\n", "t", "b");
        check("", "", "");
        check("only title", "only title", "");
    }
}
