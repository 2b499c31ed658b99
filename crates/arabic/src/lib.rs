//! Arabic text analysis for akhbar: normalize → tokenize → segment clitics → stem, with byte
//! offsets into the original text for every token.
//!
//! This crate is akhbar's API boundary for language: it depends on no other akhbar crate and
//! does no I/O, so other programs can use it. Its language data (stop words, function words
//! with clitics, the segmentation model) lives in `data/` and is compiled in.
//!
//! Principal types: [`Analyzer`] (the whole chain, [`Token`]s out), [`Spans`] (tokenizer),
//! [`normalize`] (rule table in its module docs), [`Segmenter`], [`Stemmer`], and
//! [`ArabicTokenizer`], which plugs the chain into tantivy.
//!
//! ```
//! use akhbar_arabic::Analyzer;
//!
//! let analyzer = Analyzer::default();
//! let tokens = analyzer.analyze("وبحث بلينكن مع بوريطة للسلطة");
//! let segments: Vec<_> = tokens.iter().map(|t| t.segments.join("+")).collect();
//! assert_eq!(segments, ["و+بحث", "بلينكن", "مع", "بوريطة", "ل+ال+سلطة"]);
//! assert!(tokens[2].stop); // مع "with"
//! ```
#![deny(missing_docs)]

mod analyzer;
mod calendar;
mod chars;
mod normalize;
mod segment;
mod stem;
mod stopwords;
mod tantivy;
mod tokenize;

pub use analyzer::{Analyzer, Cache, Token, TokenRef};
pub use calendar::{find_dates, hijri_to_gregorian, month_named, Calendar, Day, FoundDate};
pub use normalize::{fold_char, normalize, Level};
pub use segment::{Segmentation, Segmenter, SegmenterModel, SegmenterTrainer};
pub use stem::Stemmer;
pub use stopwords::StopWords;
pub use tantivy::{ArabicTokenizer, TermForm};
pub use tokenize::{Span, Spans, TokenKind};

/// Version of the analysis rules. Any change to the code that alters the terms produced for
/// some text bumps it. Changes to the data files are caught by [`version_id`].
pub const VERSION: u32 = 3;

/// The analyzer's identity as the store records it: [`VERSION`] and a hash of the embedded
/// data (segmenter model, function-word list, stop words), e.g. `"2.1a2b3c4d"`. Retraining
/// the segmenter changes it, so a store built with other data asks for a re-index.
pub fn version_id() -> String {
    static ID: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let mut data = Vec::new();
        for part in [segment::MODEL_TSV, segment::LISTED_TSV, stopwords::STOPWORDS_TXT] {
            data.extend_from_slice(part.as_bytes());
            data.push(0);
        }
        format!("{VERSION}.{:08x}", xxhash_rust::xxh3::xxh3_64(&data) as u32)
    });
    ID.clone()
}
