//! The forms a token is matched and learned by: its normalized form, its "name form" (without
//! a leading conjunction or preposition: والمغرب → المغرب, للسلطة → السلطة, بلبنان → لبنان),
//! its stem and clitic pattern; and the romanized skeleton that lets a Latin query (Blinken)
//! find an Arabic name (بلينكن).

use akhbar_arabic::{Analyzer, TokenKind};
use std::rc::Rc;

/// One token as the recognizer sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenForms {
    /// Normalized form of the whole token (punctuation inside dropped).
    pub norm: String,
    /// The normalized token without its leading conjunction/preposition clitics.
    pub name: String,
    /// Light stem.
    pub stem: String,
    /// Proclitic pattern, e.g. `و+ال`, or empty.
    pub prefix: String,
    /// Enclitic pronoun, or empty.
    pub suffix: String,
    /// Coarse shape: `A` Arabic, `L` Latin, `D` digits, `P` punctuation, `M` mixed.
    pub shape: char,
    /// Word classes learned from the news corpus (fine, coarse); `None` for rare words.
    pub class: Option<(u16, u16)>,
    /// How widely the core word combines with clitics in the news corpus (a log2 bucket;
    /// 0 for unseen), and whether it stands alone there: names combine little.
    pub evidence: (u8, bool),
    /// What the word weighs in the tagger, once it has been asked (kept with the forms, so
    /// that a word's forms and weights are found with one lookup).
    pub(crate) scores: crate::scoring::ScoreSlot,
}

/// Computes [`TokenForms`] with the Arabic analyzer.
#[derive(Debug, Clone, Default)]
pub struct NameForms {
    analyzer: Analyzer,
}

/// Words whose forms are remembered per thread: the recent ones, and as many seen before
/// them; a word met again moves back to the recent ones (frequent words stay).
const TOKEN_CACHE_GENERATION: usize = 50_000;

/// Proclitics that a name may carry on its first word (not the article, which names keep).
const LEADING_CLITICS: [&str; 6] = ["و", "ف", "ب", "ل", "ك", "س"];

impl NameForms {
    /// With this analyzer.
    pub fn new(analyzer: Analyzer) -> NameForms {
        NameForms { analyzer }
    }

    /// The forms of one whitespace-delimited token, shared with this thread's cache of
    /// recent tokens (a hit costs no allocation).
    pub fn token(&self, token: &str) -> Rc<TokenForms> {
        // News text repeats its words: remember the forms of recent ones, per thread.
        type Generation = rustc_hash::FxHashMap<Box<str>, Rc<TokenForms>>;
        thread_local! {
            static CACHE: std::cell::RefCell<(Generation, Generation)> = std::cell::RefCell::default();
        }
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let (recent, older) = &mut *cache;
            if let Some(hit) = recent.get(token) {
                return Rc::clone(hit);
            }
            let forms = match older.remove_entry(token) {
                Some((_, forms)) => forms,
                None => Rc::new(self.compute(token)),
            };
            if recent.len() >= TOKEN_CACHE_GENERATION {
                *older = std::mem::take(recent);
            }
            recent.insert(token.into(), Rc::clone(&forms));
            forms
        })
    }

    fn compute(&self, token: &str) -> TokenForms {
        let analyzed = self.analyzer.analyze(token);
        let shape = shape(token);
        let Some(first) = analyzed.first() else {
            return TokenForms {
                norm: token.to_string(),
                name: token.to_string(),
                stem: token.to_string(),
                shape,
                ..TokenForms::default()
            };
        };
        // Pieces of one token join with a dot: the abbreviation و.م.ع stays apart from the
        // word ومع ("and with").
        let norm: String = analyzed.iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(".");
        if analyzed.len() > 1 || first.kind != TokenKind::Arabic {
            return TokenForms {
                name: norm.clone(),
                stem: norm.clone(),
                norm,
                shape,
                ..TokenForms::default()
            };
        }
        let pieces = &first.segments;
        let skip = pieces
            .iter()
            .take(pieces.len().saturating_sub(1))
            .take_while(|p| LEADING_CLITICS.contains(&p.as_str()))
            .count();
        let name = akhbar_arabic::normalize(&pieces[skip..].concat());
        let core = pieces.len().saturating_sub(1);
        let prefix = pieces[..core.min(pieces.len())]
            .iter()
            .take_while(|p| LEADING_CLITICS.contains(&p.as_str()) || p.as_str() == "ال")
            .cloned()
            .collect::<Vec<_>>()
            .join("+");
        let suffix = if pieces.len() > 1 && !first.stem.is_empty() {
            pieces
                .last()
                .filter(|last| !last.is_empty() && akhbar_arabic::normalize(last) != name && !name.ends_with(&**last))
                .cloned()
                .unwrap_or_default()
        } else {
            String::new()
        };
        // The word's core as written (the longest piece: not a clitic, not the article), for
        // the segmenter's corpus statistics, which are keyed by written forms.
        let core = pieces
            .iter()
            .max_by_key(|p| p.chars().count())
            .map_or("", String::as_str);
        let (combinations, bare) = self.analyzer.segmenter().model().stem_evidence(core);
        TokenForms {
            class: classes().get(name.as_str()).copied(),
            evidence: ((combinations.max(0.0) + 1.0).log2().ceil() as u8, bare),
            norm,
            name,
            stem: first.stem.clone(),
            prefix,
            suffix,
            shape,
            scores: Default::default(),
        }
    }

    /// `norm` and `name` forms of a token sequence.
    pub fn tokens<'a>(&self, tokens: impl Iterator<Item = &'a str>) -> (Vec<String>, Vec<String>) {
        tokens
            .map(|t| {
                let forms = self.token(t);
                (forms.norm.clone(), forms.name.clone())
            })
            .unzip()
    }

    /// A gazetteer name as normalized tokens (no clitic stripping: names are written bare).
    pub fn phrase(&self, name: &str) -> Vec<String> {
        name.split_whitespace()
            .map(|t| self.token(t).norm.clone())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// The word classes (`data/clusters.tsv.gz`, made by `akhbar-eval train-clusters`).
fn classes() -> &'static rustc_hash::FxHashMap<String, (u16, u16)> {
    static CLASSES: std::sync::LazyLock<rustc_hash::FxHashMap<String, (u16, u16)>> = std::sync::LazyLock::new(|| {
        use std::io::Read;
        let mut text = String::new();
        let mut map = rustc_hash::FxHashMap::default();
        // The embedded file is checked by a test; unreadable, it gives no classes.
        if flate2::read::GzDecoder::new(CLASSES_GZ)
            .read_to_string(&mut text)
            .is_ok()
        {
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                let mut fields = line.split('\t');
                if let (Some(word), Some(Ok(fine)), Some(Ok(coarse))) = (
                    fields.next(),
                    fields.next().map(str::parse::<u16>),
                    fields.next().map(str::parse::<u16>),
                ) {
                    map.insert(word.to_string(), (fine, coarse));
                }
            }
        }
        map
    });
    &CLASSES
}

const CLASSES_GZ: &[u8] = include_bytes!("../data/clusters.tsv.gz");

fn shape(token: &str) -> char {
    let (mut arabic, mut latin, mut digit, mut other) = (false, false, false, false);
    for c in token.chars() {
        if c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&c) {
            digit = true;
        } else if ('\u{0600}'..='\u{06FF}').contains(&c) && c.is_alphabetic() {
            arabic = true;
        } else if c.is_alphabetic() {
            latin = true;
        } else {
            other = true;
        }
    }
    match (arabic, latin, digit, other) {
        (true, false, false, _) => 'A',
        (false, true, false, _) => 'L',
        (false, false, true, _) => 'D',
        (false, false, false, true) => 'P',
        _ => 'M',
    }
}

/// The consonant skeleton of a name, in Latin letters, for matching across scripts:
/// بلينكن → `blnkn`, Blinken → `blnkn`; ترامب and Trump → `trmb`/`trmp` agree after the
/// p/b merge. Vowels and vowel letters (ا و ي) are dropped, letters with no Latin match are
/// mapped to their closest sound, and similar sounds are merged (p→b, v→f, q/c→k, z→s...);
/// a final ة is a vowel.
pub fn skeleton(name: &str) -> String {
    let mut out = String::new();
    let mut push = |c: char| {
        if !out.ends_with(c) {
            out.push(c);
        }
    };
    let lower = name.to_lowercase();
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        let mapped: &str = match c {
            'ب' | 'b' | 'p' | 'پ' => "b",
            'ت' | 'ط' | 't' => "t",
            'ث' | 'س' | 'ص' | 'ز' | 'ذ' | 'ظ' | 's' | 'z' | 'x' => "s",
            'ج' | 'j' | 'g' | 'غ' | 'گ' => "g",
            'ح' | 'ه' | 'h' => "h",
            'خ' | 'ك' | 'ق' | 'k' | 'q' | 'c' => "k",
            'د' | 'ض' | 'd' => "d",
            'ر' | 'r' => "r",
            'ش' => "sh",
            'ة' | 'ع' | 'ء' | 'أ' | 'إ' | 'آ' | 'ا' | 'ى' | 'و' | 'ي' | 'ئ' | 'ؤ' | 'a' | 'e' | 'i' | 'o' | 'u'
            | 'y' | 'w' => "",
            'ف' | 'f' | 'v' | 'ڤ' => "f",
            'ل' | 'l' => "l",
            'م' | 'm' => "m",
            'ن' | 'n' => "n",
            _ => "",
        };
        // Latin digraphs: sh, ch, th, kh, ph.
        let mapped = match (c, chars.peek()) {
            ('s' | 'c', Some('h')) => {
                chars.next();
                "sh"
            }
            ('k', Some('h')) => {
                chars.next();
                "k"
            }
            ('p', Some('h')) => {
                chars.next();
                "f"
            }
            ('t', Some('h')) => {
                chars.next();
                "t"
            }
            // Washington: the g of "ng" is not written in Arabic (واشنطن).
            ('n', Some('g')) => {
                chars.next();
                "n"
            }
            _ => mapped,
        };
        for m in mapped.chars() {
            push(m);
        }
    }
    out
}

/// A readable Latin transcription of an Arabic name (simplified, no diacritics):
/// بلينكن → `blynkn`, الرباط → `al-rbat`. Latin text is returned as is.
pub fn romanize(name: &str) -> String {
    let mut out = String::new();
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let (article, rest) = match word.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => ("al-", rest),
            _ => ("", word),
        };
        out.push_str(article);
        for c in rest.chars() {
            let latin = match c {
                'ا' | 'أ' | 'إ' | 'آ' | 'ى' => "a",
                'ب' => "b",
                'ت' | 'ط' => "t",
                'ة' => "a",
                'ث' => "th",
                'ج' => "j",
                'ح' | 'ه' => "h",
                'خ' => "kh",
                'د' | 'ض' => "d",
                'ذ' | 'ظ' => "dh",
                'ر' => "r",
                'ز' => "z",
                'س' | 'ص' => "s",
                'ش' => "sh",
                'ع' | 'ء' | 'ؤ' | 'ئ' => "'",
                'غ' => "gh",
                'ف' => "f",
                'ق' => "q",
                'ك' => "k",
                'ل' => "l",
                'م' => "m",
                'ن' => "n",
                'و' => "w",
                'ي' => "y",
                c if c.is_ascii() => {
                    out.push(c);
                    ""
                }
                _ => "",
            };
            out.push_str(latin);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_forms() {
        let forms = NameForms::default();
        let table = [
            ("والمغرب", "والمغرب", "المغرب"),
            ("للسلطة", "للسلطه", "السلطه"),
            ("بلينكن", "بلينكن", "بلينكن"),
            ("بوريطة،", "بوريطه", "بوريطه"),
            ("2022", "2022", "2022"),
            (".", ".", "."),
        ];
        for (token, norm, name) in table {
            let f = forms.token(token);
            assert_eq!((f.norm.as_str(), f.name.as_str()), (norm, name), "{token}");
        }
        assert_eq!(forms.token("والمغرب").prefix, "و+ال");
        assert!(classes().len() > 10_000, "word classes load");
        assert_eq!(forms.token("والمغرب").class, forms.token("المغرب").class);
    }

    #[test]
    fn skeletons_meet_across_scripts() {
        let table = [
            ("بلينكن", "Blinken"),
            ("بوريطة", "Bourita"),
            ("ترامب", "Trump"),
            ("حموشي", "Hammouchi"),
            ("واشنطن", "Washington"),
            ("الرباط", "Rabat"),
        ];
        for (arabic, latin) in table {
            let a = skeleton(arabic.trim_start_matches("ال"));
            assert_eq!(a, skeleton(latin), "{arabic} / {latin}");
        }
        assert_ne!(skeleton("بلينكن"), skeleton("Bourita"));
    }
}
