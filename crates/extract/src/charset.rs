//! Finding a page's character encoding and decoding it.
//!
//! In order: a byte-order mark; the HTTP header's `charset=`; a `<meta charset>` or
//! `<meta http-equiv="Content-Type">` declaration in the first MiB (where browsers would
//! re-decode on meeting it); valid UTF-8; otherwise windows-1256, the legacy encoding
//! of most Arabic sites (reported as a guess). ISO-8859-6 and the others encoding_rs knows
//! are honoured when declared.

use crate::Warning;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1256};

/// The encoding a page was decoded with, and how it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charset {
    /// The encoding's WHATWG name (`"UTF-8"`, `"windows-1256"`).
    pub name: &'static str,
    /// True when it was guessed rather than declared or proven.
    pub guessed: bool,
}

/// The `charset=` parameter of an HTTP `Content-Type` header (`text/html; charset=windows-1256`).
pub fn from_content_type(content_type: &str) -> Option<&str> {
    content_type
        .split(';')
        .find_map(|part| part.trim().strip_prefix("charset=").map(|v| v.trim_matches('"')))
}

/// Decodes a page's bytes to text; see the module documentation for the order of evidence.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> (String, Charset, Vec<Warning>) {
    let mut warnings = Vec::new();
    let (encoding, guessed) = if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        (encoding, false)
    } else if let Some(encoding) = declared.and_then(|label| Encoding::for_label(label.trim().as_bytes())) {
        (encoding, false)
    } else if let Some(encoding) = sniff_meta(bytes) {
        (encoding, false)
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, false)
    } else {
        warnings.push(Warning::GuessedCharset(WINDOWS_1256.name()));
        (WINDOWS_1256, true)
    };
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors {
        warnings.push(Warning::InvalidBytes(encoding.name()));
    }
    (
        text.into_owned(),
        Charset {
            name: encoding.name(),
            guessed,
        },
        warnings,
    )
}

/// How far into a page a `<meta>` charset declaration is looked for. Browsers prescan the
/// first 1,024 bytes, then re-decode when the parser meets a later declaration; pages with
/// long heads (inline scripts and styles) declare theirs past 4 KiB.
const META_SCAN_BYTES: usize = 1024 * 1024;

/// The encoding the first `<meta charset>` or `<meta http-equiv="Content-Type">` tag
/// declares, if any; only `<meta>` tags are read, not scripts or text that say "charset".
fn sniff_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    let mut at = 0;
    while let Some(found) = find_ascii_ci(&head[at..], b"<meta") {
        let start = at + found + b"<meta".len();
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |n| start + n);
        let tag = String::from_utf8_lossy(&head[start..end]).to_ascii_lowercase();
        if let Some(encoding) = charset_in_tag(&tag) {
            // A page that claims UTF-16 in its (ASCII) meta tag is not UTF-16.
            return Some(
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                    UTF_8
                } else {
                    encoding
                },
            );
        }
        at = end;
    }
    None
}

/// The position of `needle` (lowercase ASCII) in `haystack`, ignoring ASCII case.
fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// The encoding named by `charset=` inside one meta tag's attributes (lowercased).
fn charset_in_tag(tag: &str) -> Option<&'static Encoding> {
    let mut rest = tag;
    while let Some(at) = rest.find("charset") {
        rest = &rest[at + "charset".len()..];
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start().trim_start_matches(['"', '\'']);
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':' || c == '.'))
            .unwrap_or(value.len());
        if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end]) {
            return Some(encoding);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "سلام" in windows-1256.
    const SALAM_1256: &[u8] = &[0xD3, 0xE1, 0xC7, 0xE3];

    #[track_caller]
    fn check(bytes: &[u8], declared: Option<&str>, text: &str, name: &str, guessed: bool) {
        let (decoded, charset, _) = decode(bytes, declared);
        assert!(decoded.contains(text), "{decoded:?} should contain {text:?}");
        assert_eq!((charset.name, charset.guessed), (name, guessed));
    }

    #[test]
    fn evidence_in_order() {
        check("\u{FEFF}سلام".as_bytes(), Some("windows-1256"), "سلام", "UTF-8", false); // BOM first
        check(SALAM_1256, Some("windows-1256"), "سلام", "windows-1256", false); // HTTP header
        let mut page = b"<meta charset=\"windows-1256\"><p>".to_vec();
        page.extend_from_slice(SALAM_1256);
        check(&page, None, "سلام", "windows-1256", false); // meta charset
        let mut page = b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-6'>".to_vec();
        page.extend_from_slice(&[0xD3, 0xE4, 0xC7, 0xE5]); // سلام in ISO-8859-6
        check(&page, None, "سلام", "ISO-8859-6", false);
        check("<p>سلام</p>".as_bytes(), None, "سلام", "UTF-8", false); // valid UTF-8
        check(SALAM_1256, None, "سلام", "windows-1256", true); // guess
    }

    #[test]
    fn a_declaration_after_a_long_head() {
        // 8 KiB of script first, with the word charset in it, then the real declaration.
        let mut page = b"<html><head><script>var s = 'charset=koi8-r is not this page'; ".to_vec();
        page.extend(std::iter::repeat_n(b' ', 8192));
        page.extend_from_slice(
            b"</script><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1256\"><p>",
        );
        page.extend_from_slice(SALAM_1256);
        check(&page, None, "سلام", "windows-1256", false);
        // A meta tag without a charset names nothing.
        check(b"<meta name=x content=y><p>plain", None, "plain", "UTF-8", false);
    }
}
