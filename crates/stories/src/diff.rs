//! What a copy changed: paragraphs kept, dropped and added, against its origin.

/// One paragraph of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "change", content = "text", rename_all = "lowercase")]
pub enum Change {
    /// In both.
    Same(String),
    /// Only in the origin (the copy dropped it).
    Removed(String),
    /// Only in the copy (it added it).
    Added(String),
}

/// Paragraph-level differences from `origin` to `copy` (longest common subsequence over
/// paragraphs compared with whitespace collapsed).
pub fn paragraph_diff(origin: &str, copy: &str) -> Vec<Change> {
    let split = |text: &str| -> Vec<String> {
        text.split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect()
    };
    let (a, b) = (split(origin), split(copy));
    // Bounded: two long texts compare in at most 400×400 steps.
    let (a, b) = (&a[..a.len().min(400)], &b[..b.len().min(400)]);
    let mut lcs = vec![vec![0u16; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(Change::Same(a[i].clone()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(Change::Added(b[j].clone()));
            j += 1;
        } else {
            out.push(Change::Removed(a[i].clone()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_and_added_paragraphs() {
        let origin = "الفقرة الأولى.\n\nالفقرة الثانية.\n\nالفقرة الثالثة.";
        let copy = "كتب: محرر\n\nالفقرة  الأولى.\n\nالفقرة الثالثة.";
        assert_eq!(
            paragraph_diff(origin, copy),
            [
                Change::Added("كتب: محرر".into()),
                Change::Same("الفقرة الأولى.".into()),
                Change::Removed("الفقرة الثانية.".into()),
                Change::Same("الفقرة الثالثة.".into()),
            ]
        );
    }
}
