//! Clitic segmentation: `والرباط` → `و` + `ال` + `رباط`, `مدرستها` → `مدرست` + `ها`.
//!
//! Arabic writes conjunctions, prepositions, the future particle, the article and object or
//! possessive pronouns attached to the word. The segmenter lists every reading the clitic
//! inventory allows and keeps the cheapest:
//!
//! * proclitics, in order: conjunction `و` `ف`, then preposition `ب` `ك` `ل` or the future
//!   particle `س` (only before an imperfect verb: `ي` `ت` `ن`, or `أ` with its hamza), then
//!   the article `ال` (written `لل` after `ل`, and only from a bare alef, never أ/إ/آ);
//! * enclitic pronouns `ه` `ها` `هم` `هما` `هن` `ك` `كم` `كما` `كن` `نا` `ني`, and `ي` only
//!   after a teh marbuta written `ت` (`محطتي`); never after the article, never cutting a
//!   teh marbuta `ة`; a stem ending in `ت` before a pronoun is looked up as `ة`;
//! * a word ending in an accusative or nominative tanween (ـاً, ـٌ) takes no preposition and
//!   no pronoun;
//! * the stem keeps at least three letters; two-letter stems (و + قد, ل + ه) come from the
//!   function-word list, `data/clitic_words.tsv`, which also fixes fused forms (عليه = على
//!   + ه) and words never to cut.
//!
//! The model chooses conjunction, preposition, future particle and pronoun; the article is
//! then cut by rule (see [`Segmenter::segment_word`]). A reading costs
//! `cost(proclitics) + cost(enclitic) − ln(evidence(stem) + smoothing)`, where the evidence
//! is the number of distinct clitic combinations the stem was found with in a news corpus,
//! not counting the word itself ([`SegmenterTrainer`] explains why; `akhbar-eval
//! train-segmenter` writes `data/segmenter.tsv`). Each clitic costs about one nat, more for
//! rare ones (`كن`). An unknown word keeps its clitics unless a known stem is left, except
//! that و before an unknown remainder is cut (`وكارسون` → و + كارسون).
use crate::chars::{ALEF, ALEF_HAMZA_ABOVE, LAM, TEH, TEH_MARBUTA};
use rustc_hash::FxHashMap;
use std::sync::{Arc, LazyLock};

/// A proclitic sequence: its written form (Segment level) and its pieces.
#[derive(Debug)]
pub(crate) struct Prefix {
    pub surface: &'static str,
    pub pieces: &'static [&'static str],
}

macro_rules! prefixes {
    ($(($surface:literal, [$($piece:literal),*])),* $(,)?) => {
        &[$(Prefix { surface: $surface, pieces: &[$($piece),*] }),*]
    };
}

/// Every proclitic sequence; index 0 is "none".
pub(crate) const PREFIXES: &[Prefix] = prefixes![
    ("", []),
    ("و", ["و"]),
    ("ف", ["ف"]),
    ("ب", ["ب"]),
    ("ك", ["ك"]),
    ("ل", ["ل"]),
    ("س", ["س"]),
    ("وب", ["و", "ب"]),
    ("وك", ["و", "ك"]),
    ("ول", ["و", "ل"]),
    ("وس", ["و", "س"]),
    ("فب", ["ف", "ب"]),
    ("فك", ["ف", "ك"]),
    ("فل", ["ف", "ل"]),
    ("فس", ["ف", "س"]),
    ("ال", ["ال"]),
    ("وال", ["و", "ال"]),
    ("فال", ["ف", "ال"]),
    ("بال", ["ب", "ال"]),
    ("كال", ["ك", "ال"]),
    ("لل", ["ل", "ال"]),
    ("وبال", ["و", "ب", "ال"]),
    ("وكال", ["و", "ك", "ال"]),
    ("ولل", ["و", "ل", "ال"]),
    ("فبال", ["ف", "ب", "ال"]),
    ("فكال", ["ف", "ك", "ال"]),
    ("فلل", ["ف", "ل", "ال"]),
];

/// What the segmenter asks of each of [`PREFIXES`], worked out once instead of from the
/// strings for every reading of every word.
#[derive(Debug)]
struct PrefixFacts {
    /// The surface's letters (at most four).
    letters: [char; 4],
    len: usize,
    /// Ends with the article written ال (the article's alef must be bare).
    article: bool,
    /// Ends with the article as a piece, written ال or, after ل, as the second lam of لل.
    article_piece: bool,
    /// Ends with لل (ل + the article's lam).
    double_lam: bool,
    /// Ends with the future particle س.
    future: bool,
    /// Holds a preposition that governs the genitive (ب ك ل).
    preposition: bool,
    /// Is the conjunction و alone.
    conjunction: bool,
}

static PREFIX_FACTS: LazyLock<Vec<PrefixFacts>> = LazyLock::new(|| {
    PREFIXES
        .iter()
        .map(|prefix| {
            let mut letters = ['\0'; 4];
            let mut len = 0;
            for (slot, c) in letters.iter_mut().zip(prefix.surface.chars()) {
                *slot = c;
                len += 1;
            }
            PrefixFacts {
                letters,
                len,
                article: prefix.surface.ends_with("ال"),
                article_piece: prefix.pieces.last() == Some(&"ال"),
                double_lam: prefix.surface.ends_with("لل"),
                future: prefix.surface.ends_with('س'),
                preposition: prefix.pieces.iter().any(|p| matches!(*p, "ب" | "ك" | "ل")),
                conjunction: prefix.surface == "و",
            }
        })
        .collect()
});

/// Cost taken off و + an unknown stem when the whole word is unknown too.
const UNKNOWN_AFTER_CONJUNCTION_BONUS: f32 = 1.5;

/// Cost taken off a reading whose proclitics are followed by a bare-alef article.
const ARTICLE_AFTER_CLITIC_BONUS: f32 = 1.5;

/// Letters a stem keeps when the model cuts clitics; shorter stems (قد in وقد, ه in له) come
/// from the function-word list.
const MIN_STEM_CHARS: usize = 3;

/// Every enclitic pronoun; index 0 is "none".
pub(crate) const SUFFIXES: &[&str] = &[
    "", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ني", "ي",
];

/// Length in characters of each of [`SUFFIXES`].
const SUFFIX_CHARS: [usize; SUFFIXES.len()] = {
    let mut counts = [0; SUFFIXES.len()];
    let mut i = 0;
    while i < SUFFIXES.len() {
        // Every suffix letter is two bytes in UTF-8 (Arabic block).
        counts[i] = SUFFIXES[i].len() / 2;
        i += 1;
    }
    counts
};

/// Index of the first-person `ي` in [`SUFFIXES`]: only cut after a teh marbuta written `ت`
/// (محطتي = محطة + ي), since a final ي is far more often the nisba ending (مغربي).
const SUFFIX_YEH: usize = 12;

/// The segmentation of one word: proclitics, stem, enclitic, as character ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segmentation {
    pub(crate) prefix: u8,
    pub(crate) suffix: u8,
    /// Characters of the written word taken by the proclitics.
    pub(crate) prefix_chars: u8,
    /// Characters taken by the enclitic.
    pub(crate) suffix_chars: u8,
    /// The stem's final ت is a teh marbuta (`مدرستها`).
    pub(crate) restored_teh_marbuta: bool,
}

impl Segmentation {
    /// The word is not cut.
    pub const WHOLE: Segmentation = Segmentation {
        prefix: 0,
        suffix: 0,
        prefix_chars: 0,
        suffix_chars: 0,
        restored_teh_marbuta: false,
    };

    /// The proclitic pieces, the article written `ال`.
    pub fn prefix_pieces(&self) -> &'static [&'static str] {
        PREFIXES[usize::from(self.prefix)].pieces
    }

    /// The enclitic pronoun, if any.
    pub fn suffix_piece(&self) -> Option<&'static str> {
        Some(SUFFIXES[usize::from(self.suffix)]).filter(|s| !s.is_empty())
    }

    /// True when the word carries the article `ال`.
    pub fn has_article(&self) -> bool {
        self.prefix_pieces().last() == Some(&"ال")
    }

    /// Character range of the stem within the word.
    pub fn stem_range(&self, word_chars: usize) -> std::ops::Range<usize> {
        let start = usize::from(self.prefix_chars);
        let end = word_chars.saturating_sub(usize::from(self.suffix_chars)).max(start);
        start..end
    }
}

/// Splits words into proclitics, stem and enclitic; see the module documentation.
///
/// ```
/// use akhbar_arabic::Segmenter;
/// let segmenter = Segmenter::default();
/// assert_eq!(segmenter.segment_word("والرباط"), ["و", "ال", "رباط"]);
/// assert_eq!(segmenter.segment_word("بلينكن"), ["بلينكن"]);
/// ```
#[derive(Debug, Clone)]
pub struct Segmenter {
    model: Arc<SegmenterModel>,
    listed: Arc<FxHashMap<Box<str>, Listed>>,
}

/// The embedded segmenter, parsed once per process and shared.
static EMBEDDED: LazyLock<Segmenter> = LazyLock::new(|| Segmenter::new(SegmenterModel::embedded()));

impl Default for Segmenter {
    /// The embedded model and function-word list (parsed once, then shared).
    fn default() -> Segmenter {
        EMBEDDED.clone()
    }
}

impl Segmenter {
    /// A segmenter over `model` and the embedded list of function words.
    pub fn new(model: SegmenterModel) -> Segmenter {
        let listed = parse_listed(LISTED_TSV).expect("the embedded clitic word list is checked by a test");
        Segmenter {
            model: Arc::new(model),
            listed: Arc::new(listed),
        }
    }

    /// The model in use.
    pub fn model(&self) -> &SegmenterModel {
        &self.model
    }

    /// Segments one word and returns its pieces as written (marks removed), the article
    /// written `ال`.
    pub fn segment_word(&self, word: &str) -> Vec<String> {
        let display: Vec<char> = crate::normalize::fold_str(word, crate::Level::Display)
            .chars()
            .collect();
        let key: Vec<char> = crate::normalize::fold_str(word, crate::Level::Segment)
            .chars()
            .collect();
        let mut scratch = String::new();
        let mut pieces = Vec::new();
        match self.listed_pieces(&display, &key, &mut scratch) {
            Some(listed) => pieces.extend(listed),
            None => {
                let seg = self.segment(&display, &key, ends_with_tanween(word), &mut scratch);
                pieces.extend(seg.prefix_pieces().iter().map(|p| p.to_string()));
                pieces.push(display[seg.stem_range(display.len())].iter().collect());
                pieces.extend(seg.suffix_piece().map(str::to_string));
            }
        }
        pieces
    }

    /// The listed analysis of `key` (or of `key` after a conjunction), as pieces.
    pub(crate) fn listed_pieces(&self, display: &[char], key: &[char], scratch: &mut String) -> Option<Vec<String>> {
        scratch.clear();
        scratch.extend(key.iter());
        if let Some(listed) = self.listed.get(scratch.as_str()) {
            return Some(listed_to_pieces(listed, display));
        }
        // A listed function word after و or ف: وعليه → و + على + ه.
        let (&first, rest) = key.split_first()?;
        if matches!(first, 'و' | 'ف') && rest.len() >= 2 {
            scratch.clear();
            scratch.extend(rest.iter());
            if let Some(listed) = self.listed.get(scratch.as_str()) {
                let mut pieces = vec![first.to_string()];
                pieces.extend(listed_to_pieces(listed, &display[1..]));
                return Some(pieces);
            }
        }
        None
    }

    /// The cheapest segmentation of a word given its Display and Segment forms (same length).
    ///
    /// The model chooses conjunction, preposition, future particle and pronoun with the
    /// article left on the stem (as UD does; `لل` is the one article form it sees, since the
    /// preposition swallows the article's alef). The article is then cut by rule: a stem
    /// starting with a bare-alef `ال` and two more letters loses it, unless a pronoun follows
    /// (the article and a pronoun never meet). Cutting it always is what search needs; the
    /// names that begin with ال and are not articles (البانيا) lose nothing by it, since
    /// queries are analyzed the same way.
    pub(crate) fn segment(&self, display: &[char], key: &[char], tanween: bool, scratch: &mut String) -> Segmentation {
        let mut best = Segmentation::WHOLE;
        let mut best_cost = f32::INFINITY;
        self.for_each_reading(display, key, tanween, scratch, false, |seg, cost, _| {
            if cost < best_cost {
                best_cost = cost;
                best = seg;
            }
        });
        let n = key.len();
        let stem_start = usize::from(best.prefix_chars);
        let stem_chars = n - stem_start - usize::from(best.suffix_chars);
        if best.suffix == 0
            && !best.has_article()
            && stem_chars >= 4
            && display[stem_start] == ALEF
            && key[stem_start + 1] == LAM
        {
            if let Some(with_article) = with_article(usize::from(best.prefix)) {
                best.prefix = with_article as u8;
                best.prefix_chars += 2;
            }
        }
        best
    }

    /// Calls `f` with every reading the model scores, its cost and its stem (Segment level,
    /// with a teh marbuta restored where that is the better-known stem).
    ///
    /// `tanween` says the word as written ends in an accusative or nominative tanween (ـاً,
    /// ـٌ): such a word takes no preposition (prepositions govern the genitive) and no
    /// pronoun (a pronoun replaces the tanween).
    fn for_each_reading(
        &self,
        display: &[char],
        key: &[char],
        tanween: bool,
        scratch: &mut String,
        with_article: bool,
        mut f: impl FnMut(Segmentation, f32, &str),
    ) {
        let n = key.len();
        scratch.clear();
        scratch.extend(key.iter());
        let key_text: &str = scratch;
        // A stem is a slice of the key's text: by arithmetic when every character takes two
        // bytes (an Arabic word), else by counting characters.
        let two_bytes = key_text.len() == 2 * n;
        let byte_at = |chars: usize| {
            if two_bytes {
                2 * chars
            } else {
                key_text.char_indices().nth(chars).map_or(key_text.len(), |(at, _)| at)
            }
        };
        // The stem with its last ت read as ة, built only for the readings that try it.
        let mut restored_text = String::new();
        // The whole word is looked up once: whether it was seen, and its cost as a stem
        // of itself (the reading with no clitics).
        let whole = self.model.stats(key_text);
        let seen = whole.is_some_and(|s| s.bare);
        let whole_unknown = whole.is_none();
        for (prefix_index, facts) in PREFIX_FACTS.iter().enumerate() {
            if !with_article && facts.article {
                continue;
            }
            if tanween && facts.preposition {
                continue;
            }
            let Some(prefix_chars) = match_prefix(facts, display, key) else {
                continue;
            };
            let has_article = facts.article_piece;
            for (suffix_index, suffix) in SUFFIXES.iter().enumerate() {
                if suffix_index > 0 && (has_article || tanween) {
                    break;
                }
                let suffix_chars = SUFFIX_CHARS[suffix_index];
                let min_stem = if prefix_index == 0 && suffix_index == 0 {
                    1
                } else {
                    MIN_STEM_CHARS
                };
                if prefix_chars + suffix_chars + min_stem > n || !ends_with(key, suffix) {
                    continue;
                }
                let stem = &key[prefix_chars..n - suffix_chars];
                // The future particle comes before an imperfect verb: ي ت ن, or أ written with
                // its hamza (a bare alef after س starts a name: سانت، سالي).
                if facts.future && !(matches!(stem[0], 'ي' | 'ت' | 'ن') || display[prefix_chars] == ALEF_HAMZA_ABOVE)
                {
                    continue;
                }
                let after_article = stem.len() >= 2 && display[prefix_chars] == ALEF && stem[1] == LAM;
                let starts_with_article = after_article && stem.len() >= 4;
                // The article and a pronoun never meet: الم + هم is not a word.
                if suffix_chars > 0 && after_article && stem.len() < 5 {
                    continue;
                }
                let mut restored = false;
                let stem_text = &key_text[byte_at(prefix_chars)..byte_at(n - suffix_chars)];
                let mut stem_cost = if prefix_chars == 0 && suffix_chars == 0 {
                    self.model.cost_of(whole, seen)
                } else {
                    self.model.stem_cost(stem_text, seen)
                };
                // A stem that keeps its article is as good a word as the stem without it, and
                // a conjunction or preposition before a bare-alef article is all but certain
                // (والموليبدنوم), even when the stem is unknown.
                if starts_with_article {
                    stem_cost = stem_cost.min(
                        self.model
                            .stem_cost(&stem_text[ALEF.len_utf8() + LAM.len_utf8()..], seen),
                    );
                    if prefix_index > 0 {
                        stem_cost -= ARTICLE_AFTER_CLITIC_BONUS;
                    }
                }
                if suffix_chars > 0 && stem.last() == Some(&TEH) {
                    restored_text.clear();
                    restored_text.push_str(&stem_text[..stem_text.len() - TEH.len_utf8()]);
                    restored_text.push(TEH_MARBUTA);
                    let restored_cost = self.model.stem_cost(&restored_text, seen);
                    if restored_cost < stem_cost {
                        stem_cost = restored_cost;
                        restored = true;
                    }
                }
                if suffix_index == SUFFIX_YEH && !restored {
                    continue;
                }
                // A word the corpus never showed, after a conjunction, whose remainder it never
                // showed either: far more often و + a new name or verb than a name in و.
                if facts.conjunction && suffix_index == 0 && whole_unknown && stem.len() >= 3 {
                    stem_cost -= UNKNOWN_AFTER_CONJUNCTION_BONUS;
                }
                let cost = self.model.prefix_cost[prefix_index] + self.model.suffix_cost[suffix_index] + stem_cost;
                let seg = Segmentation {
                    prefix: prefix_index as u8,
                    suffix: suffix_index as u8,
                    prefix_chars: prefix_chars as u8,
                    suffix_chars: suffix_chars as u8,
                    restored_teh_marbuta: restored,
                };
                f(seg, cost, if restored { &restored_text } else { stem_text });
            }
        }
    }

    /// All readings of a word with their costs (for training); `with_article` also lists
    /// the readings that cut the article.
    pub(crate) fn readings(
        &self,
        display: &[char],
        key: &[char],
        with_article: bool,
        out: &mut Vec<(u8, u8, String, f32)>,
    ) {
        out.clear();
        let mut scratch = String::new();
        self.for_each_reading(display, key, false, &mut scratch, with_article, |seg, cost, stem| {
            out.push((seg.prefix, seg.suffix, stem.to_string(), cost));
        });
    }
}

/// The index of `PREFIXES[index]` followed by the article, if that sequence exists.
fn with_article(index: usize) -> Option<usize> {
    let surface = PREFIXES[index].surface;
    PREFIXES.iter().position(|p| {
        p.surface.len() == surface.len() + "ال".len() && p.surface.starts_with(surface) && p.surface.ends_with("ال")
    })
}

fn listed_to_pieces(listed: &Listed, display: &[char]) -> Vec<String> {
    match listed {
        Listed::Whole => vec![display.iter().collect()],
        Listed::Pieces(pieces) => pieces.iter().map(|p| p.to_string()).collect(),
    }
}

/// True when `word` as written ends in fathatan or dammatan (U+064B, U+064C), possibly
/// before a final alef or alef maksura (ـاً, ـىً).
pub(crate) fn ends_with_tanween(word: &str) -> bool {
    let mut chars = word
        .chars()
        .rev()
        .filter(|c| !matches!(c, '\u{0640}' | '\u{0651}' | '\u{0652}'));
    match chars.next() {
        Some('\u{064B}' | '\u{064C}') => true,
        Some('ا' | 'ى') => matches!(chars.next(), Some('\u{064B}')),
        _ => false,
    }
}

/// How many characters of the word `prefix` takes, if it matches.
#[inline]
fn match_prefix(prefix: &PrefixFacts, display: &[char], key: &[char]) -> Option<usize> {
    let i = prefix.len;
    // Letter by letter: a slice comparison would call memcmp for one to four letters.
    if key.len() < i || !key.iter().zip(&prefix.letters[..i]).all(|(a, b)| a == b) {
        return None;
    }
    // The article starts with a bare alef: أ/إ/آ begin a word (إلى, أمن), not ال.
    if prefix.article && display.get(i - 2) != Some(&ALEF) {
        return None;
    }
    // لل must be the preposition plus the article's lam: the next letter is the stem's.
    if prefix.double_lam && key.get(i) == Some(&LAM) && key.get(i + 1) == Some(&LAM) {
        return None;
    }
    Some(i)
}

#[inline]
fn ends_with(key: &[char], suffix: &str) -> bool {
    let mut i = key.len();
    for expected in suffix.chars().rev() {
        if i == 0 || key[i - 1] != expected {
            return false;
        }
        i -= 1;
    }
    true
}

mod model;
mod train;

pub use model::SegmenterModel;
pub(crate) use model::{parse_listed, Listed, LISTED_TSV, MODEL_TSV};
pub use train::SegmenterTrainer;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_lengths_count_characters() {
        for (suffix, chars) in SUFFIXES.iter().zip(SUFFIX_CHARS) {
            assert_eq!(suffix.chars().count(), chars, "{suffix}");
        }
    }

    #[track_caller]
    fn check(word: &str, expected: &[&str]) {
        let segmenter = Segmenter::default();
        assert_eq!(segmenter.segment_word(word), expected, "word {word:?}");
    }

    #[test]
    fn seed_words() {
        check("والرباط", &["و", "ال", "رباط"]); // wa + al + Rabat
        check("للسلطة", &["ل", "ال", "سلطة"]); // li + al + authority
        check("بالولايات", &["ب", "ال", "ولايات"]); // bi + al + states
        check("الولايات", &["ال", "ولايات"]); // the waw belongs to the stem
        check("بلينكن", &["بلينكن"]); // Blinken: ba is part of the name
        check("بوريطة", &["بوريطة"]); // Bourita
        check("وبحث", &["و", "بحث"]); // wa + discussed
    }

    #[test]
    fn clitics_on_common_words() {
        check("وزير", &["وزير"]);
        check("مدرستها", &["مدرست", "ها"]);
        check("وسيتم", &["و", "س", "يتم"]);
        check("إلى", &["إلى"]);
        check("عليه", &["على", "ه"]);
        check("وعليه", &["و", "على", "ه"]);
        check("مما", &["مما"]); // kept whole, as UD Arabic-PUD writes it
    }

    #[test]
    fn embedded_data_parse() {
        let model = SegmenterModel::from_tsv(MODEL_TSV).unwrap();
        assert!(model.n_stems() > 1000, "model has {} stems", model.n_stems());
        let listed = parse_listed(LISTED_TSV).unwrap();
        assert!(listed.len() > 50);
    }

    #[test]
    fn model_round_trips_through_tsv() {
        let model = SegmenterModel::embedded();
        let again = SegmenterModel::from_tsv(&model.to_tsv()).unwrap();
        assert_eq!(again.n_stems(), model.n_stems());
    }

    #[test]
    fn the_stem_table_answers_as_the_model_says() {
        let model = SegmenterModel::from_tsv("stem\tكتاب\t6\tbare\nstem\tرباط\t2\nstem\tوزير\t65535").unwrap();
        for (stem, expected) in [
            ("كتاب", (6.0, true)),
            ("رباط", (2.0, false)),
            ("وزير", (65535.0, false)),
            ("كتب", (0.0, false)),
            ("", (0.0, false)),
        ] {
            assert_eq!(model.stem_evidence(stem), expected, "{stem}");
        }
        // Every stem of the shipped model is found with its own figures.
        let model = SegmenterModel::embedded();
        for line in MODEL_TSV.lines().filter(|l| l.starts_with("stem\t")) {
            let fields: Vec<&str> = line.split('\t').collect();
            let expected = (fields[2].parse::<f32>().unwrap(), fields.get(3) == Some(&"bare"));
            assert_eq!(model.stem_evidence(fields[1]), expected, "{line}");
        }
    }

    #[test]
    fn bad_model_lines_are_named() {
        assert_eq!(
            SegmenterModel::from_tsv("stem\tx").unwrap_err(),
            "line 1: expected three tab-separated fields"
        );
        assert_eq!(
            SegmenterModel::from_tsv("# c\nprefix\tzz\t1").unwrap_err(),
            "line 2: unknown prefix \"zz\""
        );
        for count in ["2.5", "-1", "65536", "NaN"] {
            assert!(
                SegmenterModel::from_tsv(&format!("stem\tكتاب\t{count}"))
                    .unwrap_err()
                    .starts_with("line 1: "),
                "{count}"
            );
        }
    }

    #[test]
    fn trainer_learns_clitics_from_counts() {
        let mut trainer = SegmenterTrainer::new();
        let text = "الرباط مدينة. زار الرباط والرباط وبالرباط. كتاب الكتاب وكتاب بكتاب كتابه كتابها. وزير الوزير للوزير وزير وزير.";
        for _ in 0..20 {
            trainer.add_text(text);
        }
        let model = trainer.train(1, 0.5, 1);
        let segmenter = Segmenter::new(model);
        assert_eq!(segmenter.segment_word("والرباط"), ["و", "ال", "رباط"]);
        assert_eq!(segmenter.segment_word("كتابها"), ["كتاب", "ها"]);
        assert_eq!(segmenter.segment_word("وزير"), ["وزير"]);
    }
}
