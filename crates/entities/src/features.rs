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

    /// The features of token `i`, appended to `out`: its own ([`token_features`]), its
    /// neighbours' ([`neighbour_features`]) and those of its place in this sentence
    /// ([`Sentence::context_features`]). Their order does not matter: a token's scores are
    /// the sums of its features' weights.
    pub fn features(&self, i: usize, out: &mut Vec<u64>) {
        token_features(&self.forms[i], out);
        for offset in NEIGHBOURS {
            neighbour_features(self.at(i, offset), offset, out);
        }
        self.context_features(i, out);
    }

    /// The features of every token, in order.
    pub fn all_features(&self) -> Vec<Vec<u64>> {
        (0..self.len())
            .map(|i| {
                let mut out = Vec::with_capacity(64);
                self.features(i, &mut out);
                out
            })
            .collect()
    }

    fn at(&self, i: usize, offset: isize) -> Option<&TokenForms> {
        let j = i.checked_add_signed(offset)?;
        self.forms.get(j).map(|f| &**f)
    }

    /// The features of token `i` that depend on more than one token's forms or on the
    /// sentence: pairs of words, the gazetteer's and the word lists' evidence, quotations.
    pub(crate) fn context_features(&self, i: usize, out: &mut Vec<u64>) {
        let f = &self.forms[i];
        let mut add = |template: u64, parts: &[&[u8]]| out.push(hash_parts(template, parts));
        let mut coarse_digits = [0u8; 6];
        let coarse = class_digits(f.class.map(|c| c.1), &mut coarse_digits);
        for (template, offset) in [(68, -1), (69, 1)] {
            if let Some(other) = self.at(i, offset) {
                let mut digits = [0u8; 6];
                add(
                    template,
                    &[class_digits(other.class.map(|c| c.1), &mut digits), b"|", coarse],
                );
            }
        }
        let mut evidence_digits = [0u8; 6];
        let evidence = number(usize::from(f.evidence.0), &mut evidence_digits);
        if let Some(previous) = self.at(i, -1) {
            add(50, &[previous.norm.as_bytes(), b"|", f.name.as_bytes()]);
            add(51, &[previous.stem.as_bytes(), b"|", f.stem.as_bytes()]);
            let mut previous_digits = [0u8; 6];
            let previous_evidence = number(usize::from(previous.evidence.0), &mut previous_digits);
            add(53, &[previous_evidence, b"|", evidence]);
            if let Some(before) = self.at(i, -2) {
                add(54, &[before.norm.as_bytes(), b"|", previous.norm.as_bytes()]);
            }
        }
        if let Some(next) = self.at(i, 1) {
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
            if let Some(Some((kind, _, nisba))) = i.checked_add_signed(offset).and_then(|j| self.gazetteer.get(j)) {
                add(template, &[kind.code().as_bytes(), if *nisba { b"n" } else { b"" }]);
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
        let lexicon = |offset: isize| i.checked_add_signed(offset).and_then(|j| self.lexicon.get(j));
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

/// The places of the neighbours whose own forms are features of a token.
pub(crate) const NEIGHBOURS: [isize; 4] = [-2, -1, 1, 2];

/// The features a token has whatever its sentence: its forms, letters, shape, class and
/// corpus evidence, appended to `out`. Each feature hashes its template and its value's
/// parts joined by `|`, written as bytes without building strings (the hashes equal those
/// of the joined text).
pub(crate) fn token_features(f: &TokenForms, out: &mut Vec<u64>) {
    let mut add = |template: u64, parts: &[&[u8]]| out.push(hash_parts(template, parts));
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
    let mut length_digits = [0u8; 6];
    add(7, &[&bytes[bounds[n.saturating_sub(2)]..]]);
    add(8, &[&bytes[bounds[n.saturating_sub(3)]..]]);
    add(9, &[&bytes[..bounds[n.min(2)]]]);
    add(10, &[&bytes[..bounds[n.min(3)]]]);
    add(11, &[number(n.min(12), &mut length_digits)]);
    // Four-letter ends.
    add(15_000, &[&bytes[bounds[n.saturating_sub(4)]..]]);
    add(15_001, &[&bytes[..bounds[n.min(4)]]]);
    let mut evidence_digits = [0u8; 6];
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
    let (mut fine_digits, mut coarse_digits) = ([0u8; 6], [0u8; 6]);
    let fine = class_digits(f.class.map(|c| c.0), &mut fine_digits);
    let coarse = class_digits(f.class.map(|c| c.1), &mut coarse_digits);
    add(15, &[fine]);
    add(16, &[coarse]);
    add(17, &[coarse, b"|", f.prefix.as_bytes()]);
}

/// The features a token has from the forms of its neighbour at `offset` (one of
/// [`NEIGHBOURS`]; `None` past the sentence's edge), appended to `out`: the neighbour's words
/// and shape, its class next door, and next door its last two letters (a nisba after a club
/// or a company: هامبورغ الألماني، تويوتا اليابانية).
pub(crate) fn neighbour_features(other: Option<&TokenForms>, offset: isize, out: &mut Vec<u64>) {
    let mut add = |template: u64, parts: &[&[u8]]| out.push(hash_parts(template, parts));
    let words: u64 = match offset {
        -1 => 20,
        1 => 21,
        -2 => 22,
        _ => 23,
    };
    let Some(other) = other else {
        add(words, &[b"<edge>"]);
        return;
    };
    if offset.abs() == 1 {
        let (letters, class) = if offset < 0 { (15_002, 18) } else { (15_003, 19) };
        let name = other.name.as_bytes();
        let k = other.name.char_indices().rev().nth(1).map_or(0, |(b, _)| b);
        add(letters, &[&name[k..]]);
        let mut digits = [0u8; 6];
        add(class, &[class_digits(other.class.map(|c| c.0), &mut digits)]);
    }
    add(words, &[other.norm.as_bytes()]);
    add(words + 10, &[other.name.as_bytes()]);
    let mut shape = [0u8; 4];
    add(words + 20, &[other.shape.encode_utf8(&mut shape).as_bytes()]);
}

/// A word class's digits, `-` for a word without one.
fn class_digits(class: Option<u16>, buffer: &mut [u8; 6]) -> &[u8] {
    match class {
        Some(class) => number(usize::from(class), buffer),
        None => b"-",
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
