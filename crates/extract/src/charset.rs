//! Finding a page's character encoding and decoding it.
//!
//! In order: a byte-order mark; a `<meta charset>` or `<meta http-equiv="Content-Type">`
//! declaration in the first 4 KiB; valid UTF-8; otherwise windows-1256, the legacy encoding
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

/// The encoding a `<meta>` tag in the first 4 KiB declares, if any.
fn sniff_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("charset") {
        rest = &rest[at + "charset".len()..];
        let value = rest.trim_start().strip_prefix('=')?.trim_start();
        let value = value.trim_start_matches(['"', '\'']);
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(value.len());
        if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end]) {
            // A page that claims UTF-16 in its (ASCII) meta tag is not UTF-16.
            return Some(
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                    UTF_8
                } else {
                    encoding
                },
            );
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
}
