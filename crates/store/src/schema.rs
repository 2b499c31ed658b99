//! The tantivy schema and the analyzers registered for it.

use akhbar_arabic::{Analyzer, ArabicTokenizer, TermForm};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::Index;

/// Tokenizer name for normalized words.
pub const SURFACE_TOKENIZER: &str = "akhbar_surface";
/// Tokenizer name for light stems.
pub const STEM_TOKENIZER: &str = "akhbar_stem";

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub seq: Field,
    pub title: Field,
    pub title_stem: Field,
    pub body: Field,
    pub body_stem: Field,
    /// Stems of the body's first [`LEAD_WORDS`] words: news puts the story in its lead.
    pub lead_stem: Field,
    pub source: Field,
    pub date: Field,
    /// Ids of the entities an article mentions.
    pub entity: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        seq: builder.add_u64_field("seq", INDEXED | FAST),
        title: builder.add_text_field("title", text(SURFACE_TOKENIZER)),
        title_stem: builder.add_text_field("title_stem", text(STEM_TOKENIZER)),
        body: builder.add_text_field("body", text(SURFACE_TOKENIZER)),
        body_stem: builder.add_text_field("body_stem", text(STEM_TOKENIZER)),
        lead_stem: builder.add_text_field("lead_stem", text(STEM_TOKENIZER)),
        source: builder.add_text_field("source", STRING | FAST),
        date: builder.add_date_field("date", INDEXED | FAST),
        entity: builder.add_text_field("entity", STRING),
    };
    (builder.build(), fields)
}

/// Looks the fields up in an existing index's schema.
pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    Ok(Fields {
        id: schema.get_field("id")?,
        seq: schema.get_field("seq")?,
        title: schema.get_field("title")?,
        title_stem: schema.get_field("title_stem")?,
        body: schema.get_field("body")?,
        body_stem: schema.get_field("body_stem")?,
        lead_stem: schema.get_field("lead_stem")?,
        source: schema.get_field("source")?,
        date: schema.get_field("date")?,
        entity: schema.get_field("entity")?,
    })
}

/// Words of an article's body that make its lead.
pub const LEAD_WORDS: usize = 30;

/// The first [`LEAD_WORDS`] whitespace-separated words of `body`, as a slice of it.
pub fn lead(body: &str) -> &str {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in body.char_indices() {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == LEAD_WORDS {
                    return &body[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    body
}

pub fn register_tokenizers(index: &Index, analyzer: &Analyzer) {
    let manager = index.tokenizers();
    manager.register(
        SURFACE_TOKENIZER,
        ArabicTokenizer::new(analyzer.clone(), TermForm::Surface),
    );
    manager.register(STEM_TOKENIZER, ArabicTokenizer::new(analyzer.clone(), TermForm::Stem));
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_lead_is_the_first_words() {
        let body: String = (1..=40).map(|n| format!("كلمة{n} ")).collect();
        let lead = super::lead(&body);
        assert_eq!(lead.split_whitespace().count(), super::LEAD_WORDS);
        assert!(lead.ends_with("كلمة30"));
        for short in ["", "  ", "قال بلينكن", "\n\nفقرة أولى\n\nثانية"] {
            assert_eq!(super::lead(short), short);
        }
    }
}
