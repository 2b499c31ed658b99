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
mod chars;
mod normalize;
mod segment;
mod stem;
mod stopwords;
mod tantivy;
mod tokenize;

pub use analyzer::{Analyzer, Cache, Token, TokenRef};
pub use normalize::{fold_char, normalize, Level};
pub use segment::{Segmentation, Segmenter, SegmenterModel, SegmenterTrainer};
pub use stem::Stemmer;
pub use stopwords::StopWords;
pub use tantivy::{ArabicTokenizer, TermForm};
pub use tokenize::{Span, Spans, TokenKind};

/// Version of the analysis rules and data. Any change that alters the terms produced for
/// some text bumps it; the store records it and asks for a re-index when it differs.
pub const VERSION: u32 = 1;
