//! Character normalization, rule by rule.
//!
//! akhbar compares words after folding the spelling variation of real Arabic text. The rules,
//! in the order they apply to each character (each has a test case in the same order below):
//!
//! | # | rule | code points | level | why |
//! |---|---|---|---|---|
//! | 1 | presentation forms and ligatures → NFKC | U+FB50–U+FDFF, U+FE70–U+FEFC (ﻻ → لا) | all | legacy encodings and PDFs |
//! | 2 | harakat and other marks removed | U+064B–U+065F, U+0670, U+0610–U+061A, U+06D6–U+06ED | all | vocalization is optional |
//! | 3 | tatweel removed | U+0640 | all | stretching has no meaning |
//! | 4 | bidi controls, ZWNJ, ZWJ, ZWSP, BOM, soft hyphen removed | U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+061C, U+FEFF, U+00AD | all | invisible |
//! | 5 | digits → ASCII | U+0660–U+0669, U+06F0–U+06F9 | all | ٢٠٢٢ and 2022 are one number |
//! | 6 | Persian letters → Arabic | ی U+06CC → ي, ک U+06A9 → ك, ە ۀ ہ → ه | segment, match | typed on Persian keyboards |
//! | 7 | alef forms → bare alef | أ إ آ ٱ U+0623 U+0625 U+0622 U+0671 → ا | segment, match | hamza seats are often omitted |
//! | 8 | hamza on carriers → hamza | ؤ U+0624, ئ U+0626 → ء | segment, match | مسؤول / مسئول are one word |
//! | 9 | alef maksura → yeh | ى U+0649 → ي | match | Egyptian spelling writes final ي as ى |
//! | 10 | teh marbuta → heh | ة U+0629 → ه | match | final ة is often written ه |
//! | 11 | lowercase | non-Arabic letters | match | Blinken = blinken |
//!
//! Levels: [`Level::Display`] keeps letters as written (used for the `segments` shown to
//! people), [`Level::Segment`] folds what does not change a word's structure (the segmenter
//! still needs ة and ى to tell the pronoun ـه from the feminine ending), and [`Level::Match`]
//! is what is indexed and compared. Every level maps one kept character to one character,
//! except rule 1 and lowercase (both outside clitic segmentation), so positions line up.
//!
//! Normalization is idempotent: `normalize(&normalize(s)) == normalize(s)`.

use crate::chars::{self, Class};
use unicode_normalization::char::decompose_compatible;

/// How far [`fold_char`] goes; see the module table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Rules 1–5: the word as written, without marks and invisible characters.
    Display,
    /// Rules 1–8: Display plus letter variants that do not change a word's structure.
    Segment,
    /// Rules 1–11: what akhbar indexes and compares.
    Match,
}

/// Normalizes `text` at [`Level::Match`]: the form akhbar indexes and compares.
///
/// ```
/// assert_eq!(akhbar_arabic::normalize("أَحْمَدُ"), "احمد");
/// assert_eq!(akhbar_arabic::normalize("مدرسة ﻻ ٢٠٢٢"), "مدرسه لا 2022");
/// ```
pub fn normalize(text: &str) -> String {
    fold_str(text, Level::Match)
}

/// Folds one character at `level`, calling `emit` for each resulting character (none when
/// the character is removed, two for a lam-alef ligature).
#[inline]
pub fn fold_char(c: char, level: Level, emit: &mut impl FnMut(char)) {
    if is_presentation_form(c) {
        decompose_compatible(c, |d| {
            // NFKC of an isolated haraka is a space plus the mark: keep neither.
            if d != ' ' {
                fold_basic(d, level, emit);
            }
        });
    } else if level == Level::Match
        && (c.is_ascii_uppercase() || (!c.is_ascii() && !is_arabic_block(c) && c.is_uppercase()))
    {
        for lower in c.to_lowercase() {
            fold_basic(lower, level, emit);
        }
    } else {
        fold_basic(c, level, emit);
    }
}

/// Folds every character of `text` at `level`.
pub(crate) fn fold_str(text: &str, level: Level) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, level, &mut |folded| out.push(folded));
    }
    out
}

#[inline]
fn fold_basic(c: char, level: Level, emit: &mut impl FnMut(char)) {
    match chars::class(c) {
        Class::Mark | Class::Ignorable => return,
        Class::Digit => {
            if let Some(ascii) = chars::ascii_digit(c) {
                emit(ascii);
                return;
            }
        }
        _ => {}
    }
    if level == Level::Display {
        emit(c);
        return;
    }
    let folded = match c {
        chars::ALEF_HAMZA_ABOVE | chars::ALEF_HAMZA_BELOW | chars::ALEF_MADDA | chars::ALEF_WASLA => chars::ALEF,
        chars::WAW_HAMZA | chars::YEH_HAMZA => chars::HAMZA,
        chars::FARSI_YEH => chars::YEH,
        chars::KEHEH => chars::KAF,
        _ if chars::HEH_VARIANTS.contains(&c) => chars::HEH,
        chars::ALEF_MAKSURA if level == Level::Match => chars::YEH,
        chars::TEH_MARBUTA if level == Level::Match => chars::HEH,
        _ => c,
    };
    emit(folded);
}

#[inline]
fn is_arabic_block(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c)
}

#[inline]
fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expected: &str) {
        assert_eq!(normalize(input), expected, "input {input:?}");
    }

    #[track_caller]
    fn check_level(input: &str, level: Level, expected: &str) {
        let mut out = String::new();
        for c in input.chars() {
            fold_char(c, level, &mut |f| out.push(f));
        }
        assert_eq!(out, expected, "input {input:?} at {level:?}");
    }

    #[test]
    fn rules_in_table_order() {
        check("\u{FEFB}", "لا"); // 1: lam-alef ligature
        check("\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}", "محمد"); // 1: presentation forms
        check("مُحَمَّدٌ", "محمد"); // 2: harakat
        check("\u{0627}\u{0670}", "ا"); // 2: superscript alef
        check("ٱلْحَمْدُ", "الحمد"); // 2 + 7
        check("رحــــيم", "رحيم"); // 3: tatweel
        check("\u{200F}مصر\u{200C}ية\u{202B}", "مصريه"); // 4: bidi, ZWNJ
        check("٢٠٢٢ ۱۴۰۰", "2022 1400"); // 5: digits
        check("ایران کتاب", "ايران كتاب"); // 6: Persian yeh and keheh
        check("أحمد إسلام آمن", "احمد اسلام امن"); // 7: alef forms
        check("مسؤول مسئول", "مسءول مسءول"); // 8: hamza carriers
        check("مستشفى على", "مستشفي علي"); // 9: alef maksura
        check("مدرسة", "مدرسه"); // 10: teh marbuta
        check("Blinken CIA", "blinken cia"); // 11: lowercase
    }

    #[test]
    fn levels() {
        check_level("أُسرة على", Level::Display, "أسرة على");
        check_level("أُسرة على مسؤول", Level::Segment, "اسرة على مسءول");
        check_level("أُسرة على", Level::Match, "اسره علي");
    }

    #[test]
    fn idempotent_on_examples() {
        for text in ["أَحْمَدُ ﻻ", "İstanbul", "\u{FE70}x", "ﷺ"] {
            let once = normalize(text);
            assert_eq!(normalize(&once), once, "input {text:?}");
        }
    }
}
