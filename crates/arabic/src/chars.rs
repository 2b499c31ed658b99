//! Named Arabic code points and the character classes the tokenizer works with.

/// ء U+0621 ARABIC LETTER HAMZA.
pub const HAMZA: char = '\u{0621}';
/// آ U+0622 ALEF WITH MADDA ABOVE.
pub const ALEF_MADDA: char = '\u{0622}';
/// أ U+0623 ALEF WITH HAMZA ABOVE.
pub const ALEF_HAMZA_ABOVE: char = '\u{0623}';
/// ؤ U+0624 WAW WITH HAMZA ABOVE.
pub const WAW_HAMZA: char = '\u{0624}';
/// إ U+0625 ALEF WITH HAMZA BELOW.
pub const ALEF_HAMZA_BELOW: char = '\u{0625}';
/// ئ U+0626 YEH WITH HAMZA ABOVE.
pub const YEH_HAMZA: char = '\u{0626}';
/// ا U+0627 ALEF.
pub const ALEF: char = '\u{0627}';
/// ة U+0629 TEH MARBUTA.
pub const TEH_MARBUTA: char = '\u{0629}';
/// ت U+062A TEH.
pub const TEH: char = '\u{062A}';
/// ل U+0644 LAM.
pub const LAM: char = '\u{0644}';
/// ه U+0647 HEH.
pub const HEH: char = '\u{0647}';
/// ى U+0649 ALEF MAKSURA.
pub const ALEF_MAKSURA: char = '\u{0649}';
/// ي U+064A YEH.
pub const YEH: char = '\u{064A}';
/// ـ U+0640 TATWEEL (kashida), a stretching stroke with no meaning.
pub const TATWEEL: char = '\u{0640}';
/// ٱ U+0671 ALEF WASLA.
pub const ALEF_WASLA: char = '\u{0671}';
/// ک U+06A9 KEHEH (Persian kaf).
pub const KEHEH: char = '\u{06A9}';
/// ك U+0643 KAF.
pub const KAF: char = '\u{0643}';
/// ی U+06CC FARSI YEH.
pub const FARSI_YEH: char = '\u{06CC}';
/// ە U+06D5 AE, ۀ U+06C0 HEH WITH YEH ABOVE, ہ U+06C1 HEH GOAL: Persian/Urdu heh shapes.
pub const HEH_VARIANTS: [char; 3] = ['\u{06D5}', '\u{06C0}', '\u{06C1}'];

/// How the tokenizer sees one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// An Arabic-script letter (including presentation forms).
    ArabicLetter,
    /// A mark that belongs to the letter before it: harakat, tatweel, Quranic marks,
    /// other combining marks.
    Mark,
    /// Invisible formatting: bidi controls, ZWNJ/ZWJ, zero-width space, BOM, soft hyphen.
    Ignorable,
    /// A decimal digit in any script we fold (ASCII, Arabic-Indic, Persian).
    Digit,
    /// A letter of any other script.
    Letter,
    /// Whitespace, punctuation, symbols.
    Other,
}

/// The class of `c`. The Arabic block (U+0600–U+06FF) and ASCII, nearly every character
/// of Arabic news, are answered from a table.
#[inline]
pub(crate) fn class(c: char) -> Class {
    let code = c as u32;
    if code < 0x80 {
        return ASCII_CLASSES[code as usize];
    }
    if (0x0600..0x0700).contains(&code) {
        return ARABIC_BLOCK_CLASSES[(code - 0x0600) as usize];
    }
    class_slow(c)
}

/// The character at byte `pos` of `text`, its class and its length in bytes. ASCII and the
/// Arabic block (two bytes, lead byte 0xD8–0xDB) are decoded straight from the bytes: the
/// tokenizer's hot loop, which the general UTF-8 decoder made its slowest part. `None` at
/// the end of the text.
#[inline(always)]
pub(crate) fn decode_at(text: &str, pos: usize) -> Option<(char, Class, usize)> {
    let bytes = text.as_bytes();
    let lead = *bytes.get(pos)?;
    if lead < 0x80 {
        return Some((lead as char, ASCII_CLASSES[lead as usize], 1));
    }
    if (0xD8..=0xDB).contains(&lead) {
        // `text` is valid UTF-8, so a two-byte lead is followed by its continuation byte.
        if let Some(&next) = bytes.get(pos + 1) {
            let code = (u32::from(lead & 0x1F) << 6) | u32::from(next & 0x3F);
            if let Some(c) = char::from_u32(code) {
                return Some((c, ARABIC_BLOCK_CLASSES[(code - 0x0600) as usize], 2));
            }
        }
    }
    let c = text.get(pos..)?.chars().next()?;
    Some((c, class(c), c.len_utf8()))
}

const ASCII_CLASSES: [Class; 128] = {
    let mut table = [Class::Other; 128];
    let mut i = 0;
    while i < 128 {
        table[i] = class_const(i as u32);
        i += 1;
    }
    table
};

/// The class of an ASCII byte (below 0x80).
#[inline(always)]
pub(crate) fn ascii_class(byte: u8) -> Class {
    ASCII_CLASSES[usize::from(byte & 0x7F)]
}

/// The class of U+0600 + `offset` (`offset` below 0x100): the Arabic block's table.
#[inline(always)]
pub(crate) fn arabic_block_class(offset: usize) -> Class {
    ARABIC_BLOCK_CLASSES[offset & 0xFF]
}

const ARABIC_BLOCK_CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = class_const(0x0600 + i as u32);
        i += 1;
    }
    table
};

/// The classification rules for ASCII and the Arabic block, usable in constants.
const fn class_const(code: u32) -> Class {
    match code {
        0x61..=0x7A | 0x41..=0x5A => Class::Letter,
        0x30..=0x39 => Class::Digit,
        0x00..=0x7F => Class::Other,
        0x061C => Class::Ignorable, // ARABIC LETTER MARK, a bidi control
        // Arabic punctuation and signs: comma, semicolon, question mark, percent, full stop.
        0x0600..=0x060F | 0x061B..=0x061F | 0x066A..=0x066D | 0x06D4 => Class::Other,
        0x0621..=0x063A | 0x0641..=0x064A => Class::ArabicLetter,
        0x064B..=0x065F | 0x0670 => Class::Mark, // harakat, superscript alef
        code if code == TATWEEL as u32 => Class::Mark,
        0x0660..=0x0669 | 0x06F0..=0x06F9 => Class::Digit,
        0x0610..=0x061A | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7 | 0x06E8 | 0x06EA..=0x06ED => Class::Mark,
        0x0620 | 0x066E | 0x066F | 0x0671..=0x06D3 | 0x06D5 => Class::ArabicLetter,
        0x06EE | 0x06EF | 0x06FA..=0x06FC | 0x06FF => Class::ArabicLetter,
        _ => Class::Other,
    }
}

fn class_slow(c: char) -> Class {
    match c {
        // General punctuation (quotes, dashes, ellipsis), except the invisible controls.
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' => Class::Other,
        '\u{00A0}'..='\u{00AC}' | '\u{00AE}'..='\u{00BF}' | '\u{00D7}' | '\u{00F7}' => Class::Other,
        '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}' => Class::ArabicLetter,
        '\u{08CA}'..='\u{08FF}' => Class::Mark,
        '\u{FE70}'..='\u{FE7F}' => Class::Mark,
        '\u{FB50}'..='\u{FDFF}' | '\u{FE80}'..='\u{FEFC}' => {
            if matches!(c, '\u{FD3E}' | '\u{FD3F}' | '\u{FDFC}' | '\u{FDFD}') {
                Class::Other
            } else {
                Class::ArabicLetter
            }
        }
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' => Class::Ignorable,
        '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => Class::Ignorable,
        _ if c.is_alphabetic() => Class::Letter,
        _ if c.is_numeric() => Class::Digit,
        _ if is_combining_mark(c) => Class::Mark,
        _ => Class::Other,
    }
}

/// Combining marks outside the Arabic block (accents on Latin letters, etc.).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The ASCII value of a decimal digit in ASCII, Arabic-Indic (U+0660..) or Persian (U+06F0..).
#[inline]
pub(crate) fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{0660}'..='\u{0669}' => char::from_u32(c as u32 - 0x0660 + '0' as u32),
        '\u{06F0}'..='\u{06F9}' => char::from_u32(c as u32 - 0x06F0 + '0' as u32),
        _ => None,
    }
}
