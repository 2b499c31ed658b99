//! Properties of the analyzer on any input: it never panics, its offsets slice the original
//! on character boundaries, and normalization is idempotent.

use akhbar_arabic::{normalize, Analyzer, Cache, Segmenter, Spans};
use proptest::prelude::*;

/// Text that looks like Arabic news and its troubles: Arabic letters, harakat, tatweel,
/// presentation forms, bidi controls, digits, Latin, punctuation, URLs and tags.
fn newsish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "و",
        "ال",
        "ب",
        "ل",
        "لل",
        "ف",
        "ك",
        "س",
        "ها",
        "هم",
        "ة",
        "ى",
        "أ",
        "إ",
        "آ",
        "ؤ",
        "ئ",
        "ء",
        "ـ",
        "َ",
        "ُ",
        "ّ",
        "ٰ",
        "ﻻ",
        "ﷺ",
        "\u{FE70}",
        "\u{200F}",
        "\u{202E}",
        "\u{200C}",
        "\u{FEFF}",
        "٢",
        "۴",
        "1",
        ".",
        ",",
        "،",
        "؟",
        "«",
        "»",
        "-",
        " ",
        "\n",
        "#",
        "@",
        "_",
        "http://",
        "www.",
        "a",
        "Z",
        "İ",
        "é",
        "ß",
        "中",
        "%",
        "٫",
        "😀",
        "الرباط",
        "بلينكن",
        "والمغرب",
        "مدرستها",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn offsets_slice_the_original(text in prop_oneof![newsish(), any::<String>()]) {
        let analyzer = Analyzer::default();
        for token in analyzer.analyze(&text) {
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            prop_assert!(token.start < token.end);
            prop_assert_eq!(&text[token.start..token.end], token.text.as_str());
            prop_assert!(!token.segments.is_empty());
        }
        let mut cache = Cache::default();
        let mut previous_end = 0;
        analyzer.for_each(&text, &mut cache, |token| {
            assert!(token.start >= previous_end);
            previous_end = token.end;
        });
    }

    #[test]
    fn normalization_is_idempotent(text in prop_oneof![newsish(), any::<String>()]) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
    }

    #[test]
    fn spans_never_overlap(text in prop_oneof![newsish(), any::<String>()]) {
        let mut end = 0;
        for span in Spans::new(&text) {
            prop_assert!(span.start >= end && span.end > span.start);
            end = span.end;
        }
    }

    #[test]
    fn segments_never_panic(word in "[وفبكلسالهمكنتةيىاأإء]{0,12}") {
        let _ = Segmenter::default().segment_word(&word);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dates_never_panic_and_slice_the_text(text in prop_oneof![
        "[0-9٠-٩ /.:\\-]{0,30}( يوليو | تموز | ذو الحجة | مساء )?[0-9٠-٩ /.:\\-]{0,12}",
        any::<String>(),
    ]) {
        for date in akhbar_arabic::find_dates(&text) {
            prop_assert!(text.is_char_boundary(date.start) && text.is_char_boundary(date.end) && date.start < date.end);
            prop_assert!((1..=12).contains(&date.day.month) && (1..=31).contains(&date.day.day));
        }
    }
}
