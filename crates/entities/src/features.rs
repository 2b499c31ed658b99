//! Features of a token in its sentence, for the tagger: the token's forms, its neighbours,
//! its clitics and shape, and what the gazetteer says about it. Each feature is a 64-bit
//! hash of a template number and a value, so the model stores no strings.

use crate::gazetteer::Gazetteer;
use crate::lexicon::{Lexicon, Side};
use crate::names::{NameForms, TokenForms};
use crate::tags::Kind;
use std::rc::Rc;

/// A sentence prepared for feature extraction.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    /// Per token.
    pub forms: Vec<Rc<TokenForms>>,
    /// Gazetteer evidence per token: `(kind, begins, nisba)`.
    pub gazetteer: Vec<Option<(Kind, bool, bool)>>,
    /// Whether the token begins / ends a known person's multi-word name.
    pub person_part: Vec<(bool, bool)>,
    /// Whether the token is a known given name, and the names it announces
    /// ([`Lexicon`]).
    pub lexicon: Vec<(bool, &'static [(Kind, Side)])>,
    /// For a token between quotation marks (« », “ ”, " ", ' '), the index of the opening
    /// mark and of the closing one: titles of programmes, books and stadiums are quoted.
    pub quoted: Vec<Option<(usize, usize)>>,
}

impl Sentence {
    /// Analyzes `tokens` and looks them up in the gazetteer.
    pub fn prepare(tokens: &[&str], forms: &NameForms, gazetteer: &Gazetteer) -> Sentence {
        let forms: Vec<Rc<TokenForms>> = tokens.iter().map(|t| forms.token(t)).collect();
        let norm: Vec<&str> = forms.iter().map(|f| f.norm.as_str()).collect();
        let name: Vec<&str> = forms.iter().map(|f| f.name.as_str()).collect();
        let mut evidence = vec![None; tokens.len()];
        for found in gazetteer.find(&norm, &name).into_iter().filter(|f| !f.ambiguous) {
            let kind = gazetteer.entry(found.entries[0]).kind;
            for (i, slot) in evidence.iter_mut().enumerate().take(found.end).skip(found.start) {
                *slot = Some((kind, i == found.start, found.nisba));
            }
        }
        let person_part = name.iter().map(|n| gazetteer.person_part(n)).collect();
        let lexicon = Lexicon::embedded();
        let lexicon = name
            .iter()
            .map(|n| (lexicon.is_given_name(n), lexicon.triggers(n)))
            .collect();
        let quoted = quoted(tokens);
        Sentence {
            forms,
            gazetteer: evidence,
            person_part,
            lexicon,
            quoted,
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    /// True for an empty sentence.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The features of token `i`, appended to `out`.
    pub fn features(&self, i: usize, out: &mut Vec<u64>) {
        let f = &self.forms[i];
        let at = |offset: isize| -> Option<&TokenForms> {
            let j = i as isize + offset;
            (j >= 0).then(|| self.forms.get(j as usize).map(|f| &**f)).flatten()
        };
        // Each feature hashes its template and its value's parts joined by `|`, written as
        // bytes without building strings (the hashes equal those of the joined text).
        let mut add = |template: u64, parts: &[&[u8]]| out.push(hash_parts(template, parts));
        let mut length_digits = [0u8; 6];
        let mut evidence_digits = [0u8; 6];
        add(0, &[b""]);
        add(1, &[f.norm.as_bytes()]);
        add(2, &[f.name.as_bytes()]);
        add(3, &[f.stem.as_bytes()]);
        add(4, &[f.prefix.as_bytes()]);
        add(5, &[f.suffix.as_bytes()]);
        let mut shape = [0u8; 4];
        add(6, &[f.shape.encode_utf8(&mut shape).as_bytes()]);
        let name = f.name.as_str();
        let bytes = name.as_bytes();
        let bounds: Vec<usize> = name
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(name.len()))
            .collect();
        let n = bounds.len() - 1;
        add(7, &[&bytes[bounds[n.saturating_sub(2)]..]]);
        add(8, &[&bytes[bounds[n.saturating_sub(3)]..]]);
        add(9, &[&bytes[..bounds[n.min(2)]]]);
        add(10, &[&bytes[..bounds[n.min(3)]]]);
        add(11, &[number(n.min(12), &mut length_digits)]);
        // Four-letter ends, and the neighbours' last two letters (a nisba after a club or a
        // company: هامبورغ الألماني، تويوتا اليابانية).
        add(15_000, &[&bytes[bounds[n.saturating_sub(4)]..]]);
        add(15_001, &[&bytes[..bounds[n.min(4)]]]);
        for (template, offset) in [(15_002, -1), (15_003, 1)] {
            if let Some(other) = at(offset) {
                let other_name = other.name.as_bytes();
                let k = other.name.char_indices().rev().nth(1).map_or(0, |(b, _)| b);
                add(template, &[&other_name[k..]]);
            }
        }
        let evidence = number(usize::from(f.evidence.0), &mut evidence_digits);
        add(12, &[evidence, if f.evidence.1 { b"b" } else { b"" }]);
        add(13, &[evidence, b"|", f.prefix.as_bytes()]);
        // Letter trigrams: transliterated foreign names have their own (ـنكن، ـسكي، ـفيتش).
        if f.shape == 'A' && n >= 3 {
            add(14, &[b"^", &bytes[..bounds[2]]]);
            for k in 0..n - 2 {
                add(14, &[&bytes[bounds[k]..bounds[k + 3]]]);
            }
            add(14, &[&bytes[bounds[n - 2]..], b"$"]);
        }
        let mut fine_digits = [0u8; 6];
        let mut coarse_digits = [0u8; 6];
        let (fine, coarse): (&[u8], &[u8]) = match f.class {
            Some((a, b)) => (
                number(usize::from(a), &mut fine_digits),
                number(usize::from(b), &mut coarse_digits),
            ),
            None => (b"-", b"-"),
        };
        add(15, &[fine]);
        add(16, &[coarse]);
        add(17, &[coarse, b"|", f.prefix.as_bytes()]);
        for (template, offset) in [(18, -1), (19, 1)] {
            if let Some(other) = at(offset) {
                let (mut a, mut b) = ([0u8; 6], [0u8; 6]);
                let (other_fine, other_coarse): (&[u8], &[u8]) = match other.class {
                    Some((x, y)) => (number(usize::from(x), &mut a), number(usize::from(y), &mut b)),
                    None => (b"-", b"-"),
                };
                add(template, &[other_fine]);
                add(template + 50, &[other_coarse, b"|", coarse]);
            }
        }
        for (template, offset) in [(20, -1), (21, 1), (22, -2), (23, 2)] {
            match at(offset) {
                Some(other) => {
                    add(template, &[other.norm.as_bytes()]);
                    add(template + 10, &[other.name.as_bytes()]);
                    let mut shape = [0u8; 4];
                    add(template + 20, &[other.shape.encode_utf8(&mut shape).as_bytes()]);
                }
                None => add(template, &[b"<edge>"]),
            }
        }
        if let Some(previous) = at(-1) {
            add(50, &[previous.norm.as_bytes(), b"|", f.name.as_bytes()]);
            add(51, &[previous.stem.as_bytes(), b"|", f.stem.as_bytes()]);
            let mut previous_digits = [0u8; 6];
            let previous_evidence = number(usize::from(previous.evidence.0), &mut previous_digits);
            add(53, &[previous_evidence, b"|", evidence]);
            if let Some(before) = at(-2) {
                add(54, &[before.norm.as_bytes(), b"|", previous.norm.as_bytes()]);
            }
        }
        if let Some(next) = at(1) {
            add(52, &[f.name.as_bytes(), b"|", next.norm.as_bytes()]);
        }
        match self.gazetteer[i] {
            Some((kind, begins, nisba)) => {
                let position: &[u8] = if begins { b"B" } else { b"I" };
                let nisba: &[u8] = if nisba { b"n" } else { b"" };
                add(60, &[kind.code().as_bytes(), position, nisba]);
                add(
                    61,
                    &[kind.code().as_bytes(), position, nisba, b"|", f.prefix.as_bytes()],
                );
            }
            None => add(60, &[b"none"]),
        }
        for (template, offset) in [(62, -1), (63, 1)] {
            let j = i as isize + offset;
            if j >= 0 {
                if let Some(Some((kind, _, nisba))) = self.gazetteer.get(j as usize) {
                    add(template, &[kind.code().as_bytes(), if *nisba { b"n" } else { b"" }]);
                }
            }
        }
        let (first, last) = self.person_part[i];
        if first {
            add(64, &[b"first"]);
        }
        if last {
            add(64, &[b"last"]);
        }
        if i > 0 && self.person_part[i - 1].0 {
            add(65, &[b"after-first"]);
        }
        // Given names and trigger words, here and around.
        let lexicon = |offset: isize| {
            let j = i as isize + offset;
            (j >= 0).then(|| self.lexicon.get(j as usize)).flatten()
        };
        if let Some((true, _)) = lexicon(0) {
            add(90, &[b"given"]);
        }
        if let Some((true, _)) = lexicon(-1) {
            add(91, &[b"after-given"]);
        }
        if let Some((true, _)) = lexicon(1) {
            add(92, &[b"before-given"]);
        }
        for (template, offset, wanted) in [
            (93, -1, Side::Before),
            (94, -2, Side::Before),
            (95, 1, Side::After),
            (96, 2, Side::After),
        ] {
            for (kind, side) in lexicon(offset).map_or(&[][..], |l| l.1) {
                if *side == wanted {
                    add(template, &[kind.code().as_bytes()]);
                }
            }
        }
        if let Some((open, close)) = self.quoted[i] {
            let edge: &[u8] = match (i == open + 1, i + 1 == close) {
                (true, true) => b"only",
                (true, false) => b"first",
                (false, true) => b"last",
                (false, false) => b"inside",
            };
            add(98, &[edge]);
            // The word before the quotation says what it names (برنامج «…», صحيفة «…»,
            // استاد "…").
            match open.checked_sub(1).map(|j| &self.forms[j]) {
                Some(before) => {
                    add(99, &[before.name.as_bytes()]);
                    add(99, &[b"|", edge, b"|", before.name.as_bytes()]);
                }
                None => add(99, &[b"<start>"]),
            }
        }
        for (kind, side) in lexicon(0).map_or(&[][..], |l| l.1) {
            add(
                97,
                &[kind.code().as_bytes(), if *side == Side::Before { b"<" } else { b">" }],
            );
        }
    }
}

/// The quotation each token is in, if any: `(opening, closing)` token indices. Marks that
/// open and close alike (`"`, `'`) alternate; a quotation not closed in the sentence counts
/// for nothing.
fn quoted(tokens: &[&str]) -> Vec<Option<(usize, usize)>> {
    let mut out = vec![None; tokens.len()];
    let mut open: Option<(usize, &str)> = None;
    for (i, token) in tokens.iter().enumerate() {
        // A doubled mark written as two tokens (' ') is one mark.
        if *token == "'" && i > 0 && tokens[i - 1] == "'" {
            if let Some((start, "'")) = open {
                if start + 1 == i {
                    open = Some((i, "'"));
                }
            }
            continue;
        }
        let closes = match (open, *token) {
            (Some((_, "«")), "»") | (Some((_, "“")), "”") => true,
            (Some((_, mark)), token) if mark == token && matches!(token, "\"" | "'" | "''") => true,
            _ => false,
        };
        if closes {
            if let Some((start, _)) = open.take() {
                for slot in &mut out[start + 1..i] {
                    *slot = Some((start, i));
                }
            }
        } else if matches!(*token, "«" | "“" | "\"" | "'" | "''") {
            open = Some((i, token));
        }
    }
    out
}

/// The hash of one feature: its template number and its value.
#[cfg(test)]
fn hash(template: u64, value: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(value.as_bytes(), template)
}

/// [`hash`] of the concatenation of `parts`.
pub(crate) fn hash_parts(template: u64, parts: &[&[u8]]) -> u64 {
    if let [one] = parts {
        return xxhash_rust::xxh3::xxh3_64_with_seed(one, template);
    }
    // Most features are short: join them on the stack and hash once (the streaming hasher
    // costs more than the hash for a few bytes; both give the same value).
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut buffer = [0u8; 128];
    if let Some(joined) = buffer.get_mut(..len) {
        let mut at = 0;
        for part in parts {
            joined[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        return xxhash_rust::xxh3::xxh3_64_with_seed(joined, template);
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::with_seed(template);
    for part in parts {
        hasher.update(part);
    }
    hasher.digest()
}

/// Decimal digits of `n` in `buffer`.
fn number(n: usize, buffer: &mut [u8; 6]) -> &[u8] {
    let mut n = n.min(999_999);
    let mut i = buffer.len();
    loop {
        i -= 1;
        buffer[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buffer[i..]
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotations_pair_their_marks() {
        let tokens = [
            "برنامج",
            "«",
            "حوار",
            "من",
            "القلب",
            "»",
            "على",
            "\"",
            "أوربت",
            "\"",
            "«",
            "بلا",
        ];
        let quoted = super::quoted(&tokens);
        assert_eq!(quoted[0], None);
        assert_eq!(quoted[1], None, "the mark itself");
        assert_eq!(quoted[2..5], [Some((1, 5)); 3]);
        assert_eq!(quoted[6], None);
        assert_eq!(quoted[8], Some((7, 9)));
        assert_eq!(quoted[11], None, "never closed");
        let doubled = super::quoted(&["'", "'", "يونيفل", "'", "'"]);
        assert_eq!(doubled, [None, None, Some((1, 3)), None, None]);
    }

    #[test]
    fn part_hashes_equal_whole_hashes() {
        assert_eq!(super::hash_parts(7, &[b"ab", b"|", b"cd"]), super::hash(7, "ab|cd"));
        assert_eq!(super::hash_parts(3, &[b"x"]), super::hash(3, "x"));
        // Longer than the stack buffer: the streaming path.
        let long = "ب".repeat(100);
        assert_eq!(
            super::hash_parts(9, &[long.as_bytes(), b"|", b"x"]),
            super::hash(9, &format!("{long}|x"))
        );
        let mut buffer = [0u8; 6];
        assert_eq!(super::number(0, &mut buffer), b"0");
        assert_eq!(super::number(297, &mut buffer), b"297");
    }
}
