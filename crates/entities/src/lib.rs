//! Named entities for akhbar: who (PER), where (LOC), which organization (ORG) and other
//! names (MISC) in Arabic news, linked to known entities.
//!
//! - [`Recognizer`]: the tagger (a structured averaged perceptron over analyzed tokens with
//!   gazetteer and word-list features, [`model`]) in two passes: the second reads how the
//!   first tagged the same words elsewhere in the document ([`WINDOW`]). Both are trained by
//!   `akhbar-eval train-ner` and compiled in (`data/ner.model.gz`,
//!   `data/ner-document.model.gz`). [`Recognizer::tag_document`] tags given tokens (the
//!   `akhbar ner --conll` path); [`Recognizer::mentions`] finds entities in an article's text
//!   with byte offsets.
//! - [`Gazetteer`]: known people, places and organizations with Arabic variants, English
//!   names and nisba adjectives (`data/gazetteer/*.tsv`).
//! - [`link`]: mentions to entities: gazetteer ids, the short form joined to the full name
//!   within an article (بلينكن → أنتوني بلينكن), nisba adjectives to their place.
//! - [`skeleton`]: the cross-script consonant skeleton (Blinken ↔ بلينكن).
//! - [`time_expressions`]: dates in text, absolute and relative to the publication date.
//!
//! Clitics never break an entity: والمغرب and بالمغرب are both المغرب.
#![deny(missing_docs)]

mod context;
mod dates;
mod document;
mod features;
pub mod gazetteer;
mod lexicon;
mod link;
pub mod model;
mod names;
mod scoring;
mod tags;
mod text;

pub use dates::{time_expressions, TimeExpression};
pub use document::WINDOW;
pub use features::Sentence;
pub use gazetteer::{Entry, Gazetteer, GazetteerError};
pub use lexicon::{Lexicon, LexiconError, Side};
pub use link::{article_entities, link, local_id, Entity, EntityMention, Part};
pub use model::{Model, ModelError, Trainer};
pub use names::{romanize, skeleton, NameForms, TokenForms};
pub use tags::{spans, Kind, Tag, N_TAGS};
pub use text::{sentences, TextToken};

/// The compiled-in models: the first pass, and the second that also reads how the first
/// tagged the same names elsewhere in the document.
const EMBEDDED_MODEL: &[u8] = include_bytes!("../data/ner.model.gz");
const EMBEDDED_DOCUMENT_MODEL: &[u8] = include_bytes!("../data/ner-document.model.gz");

/// Sentences tagged as one document by [`Recognizer::mentions`]; a longer text is cut into
/// blocks of this many (about 0.5 KB of features per token are held for a block).
const MAX_DOCUMENT_SENTENCES: usize = 500;

/// The compiled-in models, first pass and second, as [`Recognizer::embedded`] tags with them
/// (for comparing another way of decoding them).
pub fn embedded_models() -> Result<(Model, Model), ModelError> {
    Ok((
        Model::from_bytes(EMBEDDED_MODEL)?,
        Model::from_bytes(EMBEDDED_DOCUMENT_MODEL)?,
    ))
}

/// Finds named entities.
#[derive(Debug, Clone)]
pub struct Recognizer {
    passes: Passes,
    forms: NameForms,
    /// Tag gazetteer names the model left untagged.
    pub fill_from_gazetteer: bool,
}

/// The tagger's models.
#[derive(Debug, Clone)]
enum Passes {
    /// The first pass alone: its tags are final.
    First(Box<Model>),
    /// Both passes, their weights in one table.
    Both(Box<scoring::Stacked>),
}

/// An entity found in a text: byte offsets, the text, the type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mention {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    /// The text as written (with any clitic the first word carries, e.g. والمغرب).
    pub text: String,
    /// Type.
    pub kind: Kind,
    /// The name without a leading conjunction or preposition, normalized (المغرب), tokens
    /// joined by a space: what linking compares.
    pub name: String,
}

impl Recognizer {
    /// The compiled-in models.
    pub fn embedded() -> Result<Recognizer, ModelError> {
        let (first, second) = embedded_models()?;
        Ok(Recognizer::with_models(first, Some(second)))
    }

    /// A recognizer with this first-pass model only.
    pub fn with_model(model: Model) -> Recognizer {
        Recognizer::with_models(model, None)
    }

    /// A recognizer with a first-pass model and, optionally, a second-pass one.
    pub fn with_models(model: Model, document: Option<Model>) -> Recognizer {
        Recognizer {
            passes: match document {
                Some(document) => Passes::Both(Box::new(scoring::Stacked::new(model, document))),
                None => Passes::First(Box::new(model)),
            },
            forms: NameForms::default(),
            fill_from_gazetteer: false,
        }
    }

    /// First-pass features of every token of a sentence (training and tagging use the same).
    pub fn features(&self, tokens: &[&str]) -> Vec<Vec<u64>> {
        self.prepare(tokens).1
    }

    /// Second-pass features of every token of a document's sentences: the first-pass
    /// features plus what `first_pass` (the first pass's tags) says about the same names
    /// elsewhere within [`WINDOW`] sentences.
    ///
    /// # Panics
    /// When `first_pass` does not have one tag per token of `sentences`.
    pub fn document_features<'a, S: AsRef<[&'a str]>>(
        &self,
        sentences: &[S],
        first_pass: &[Vec<Tag>],
    ) -> Vec<Vec<Vec<u64>>> {
        assert!(
            sentences.len() == first_pass.len()
                && sentences
                    .iter()
                    .zip(first_pass)
                    .all(|(s, t)| s.as_ref().len() == t.len()),
            "document_features: one first-pass tag per token"
        );
        let (prepared, mut features): (Vec<Sentence>, Vec<Vec<Vec<u64>>>) =
            sentences.iter().map(|s| self.prepare(s.as_ref())).unzip();
        let document = document::features(&prepared, first_pass);
        for (sentence, extra) in features.iter_mut().zip(document) {
            for (token, extra) in sentence.iter_mut().zip(extra) {
                token.extend(extra);
            }
        }
        features
    }

    fn prepare(&self, tokens: &[&str]) -> (Sentence, Vec<Vec<u64>>) {
        let sentence = self.sentence(tokens);
        let features = sentence.all_features();
        (sentence, features)
    }

    fn sentence(&self, tokens: &[&str]) -> Sentence {
        Sentence::prepare(tokens, &self.forms, Gazetteer::embedded())
    }

    /// BIO tags for one sentence of tokens, as [`Recognizer::tag_document`] tags a document
    /// of that one sentence.
    pub fn tag(&self, tokens: &[&str]) -> Vec<Tag> {
        self.tag_document(&[tokens]).pop().unwrap_or_default()
    }

    /// BIO tags for each sentence of a document (an article, or a stream of sentences: the
    /// second pass looks [`WINDOW`] sentences each way). With
    /// [`Recognizer::fill_from_gazetteer`], names the gazetteer knows that the model left
    /// untagged get the gazetteer's type (off by default: it costs F1 on ANERcorp's test part).
    pub fn tag_document<'a, S: AsRef<[&'a str]>>(&self, sentences: &[S]) -> Vec<Vec<Tag>> {
        let prepared: Vec<Sentence> = sentences.iter().map(|s| self.sentence(s.as_ref())).collect();
        let mut tags: Vec<Vec<Tag>> = match &self.passes {
            Passes::Both(stacked) => stacked.tag(&prepared),
            Passes::First(model) => prepared.iter().map(|s| model.decode(&s.all_features())).collect(),
        };
        if self.fill_from_gazetteer {
            for (sentence, tags) in prepared.iter().zip(tags.iter_mut()) {
                fill_from_gazetteer(sentence, tags);
            }
        }
        tags
    }

    /// The entities of a text, tagged as one document.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let mut mentions = Vec::new();
        let text_sentences = sentences(text);
        let all_words: Vec<Vec<&str>> = text_sentences
            .iter()
            .map(|sentence| sentence.iter().map(|t| &text[t.start..t.end]).collect())
            .collect();
        // A huge text goes in blocks of sentences, so that the features held at once stay
        // bounded (an article is one block).
        let all_tags: Vec<Vec<Tag>> = all_words
            .chunks(MAX_DOCUMENT_SENTENCES)
            .flat_map(|block| self.tag_document(block))
            .collect();
        for ((sentence, words), tags) in text_sentences.iter().zip(&all_words).zip(&all_tags) {
            for (first, last, kind) in spans(tags) {
                let (start, end) = (sentence[first].start, sentence[last - 1].end);
                let name = words[first..last]
                    .iter()
                    .enumerate()
                    .map(|(k, w)| {
                        let forms = self.forms.token(w);
                        if k == 0 {
                            forms.name.clone()
                        } else {
                            forms.norm.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                mentions.push(Mention {
                    start,
                    end,
                    text: text[start..end].to_string(),
                    kind,
                    name,
                });
            }
        }
        mentions
    }

    /// The name forms in use.
    pub fn forms(&self) -> &NameForms {
        &self.forms
    }
}

/// Tags the gazetteer's names that `tags` leaves outside any entity.
fn fill_from_gazetteer(sentence: &Sentence, tags: &mut [Tag]) {
    let mut i = 0;
    while i < tags.len() {
        match sentence.gazetteer[i] {
            Some((kind, true, false)) => {
                let end = (i + 1..tags.len())
                    .find(|&j| !matches!(sentence.gazetteer[j], Some((_, false, false))))
                    .unwrap_or(tags.len());
                if tags[i..end].iter().all(|t| *t == Tag::O) {
                    tags[i] = Tag::begin(kind);
                    for tag in &mut tags[i + 1..end] {
                        *tag = Tag::inside(kind);
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_table_for_both_passes_tags_as_the_two_models_do() {
        let recognizer = Recognizer::embedded().unwrap();
        assert!(matches!(recognizer.passes, Passes::Both(_)));
        let (first, second) = embedded_models().unwrap();
        let seed = include_str!("../../../testdata/articles/seed-article.txt");
        let words: Vec<Vec<&str>> = sentences(seed)
            .iter()
            .map(|s| s.iter().map(|t| &seed[t.start..t.end]).collect())
            .collect();
        let first_pass: Vec<Vec<Tag>> = words.iter().map(|w| first.decode(&recognizer.features(w))).collect();
        let expected: Vec<Vec<Tag>> = recognizer
            .document_features(&words, &first_pass)
            .iter()
            .map(|f| second.decode(f))
            .collect();
        assert_eq!(recognizer.tag_document(&words), expected);
        assert!(expected.iter().flatten().any(|t| *t != Tag::O));
    }
}
