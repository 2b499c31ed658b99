//! Searching one part of an archive as if it were the whole: BM25 reads the number of
//! documents, each field's number of tokens and each term's document frequency; summed over
//! every part (Elasticsearch's "DFS query then fetch"), they give each part the scores one
//! store holding every article would give.

use crate::search::{Filters, Hit};
use crate::snippet::QueryTerms;
use crate::{Error, Store};
use std::collections::BTreeMap;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::Term;

/// What BM25 reads of an index for one query. [`TermStatistics::add`] sums parts.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TermStatistics {
    /// Documents (as tantivy counts them for scoring: every document of every segment).
    pub documents: u64,
    /// Tokens per field (by the field's number in the schema, written out: the statistics
    /// travel as JSON, whose keys are text).
    pub tokens: BTreeMap<String, u64>,
    /// Documents per term (by `field:value`, the value's type and bytes in hexadecimal).
    pub doc_freqs: BTreeMap<String, u64>,
}

impl TermStatistics {
    /// Adds another part's statistics for the same query.
    pub fn add(&mut self, other: &TermStatistics) {
        self.documents += other.documents;
        for (field, tokens) in &other.tokens {
            *self.tokens.entry(field.clone()).or_default() += tokens;
        }
        for (term, documents) in &other.doc_freqs {
            *self.doc_freqs.entry(term.clone()).or_default() += documents;
        }
    }
}

/// `field:value` with the value's type and bytes in hexadecimal.
fn term_key(term: &Term) -> String {
    let mut key = format!("{}:", term.field().field_id());
    for byte in term.serialized_value_bytes() {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

impl Bm25StatisticsProvider for TermStatistics {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(self.tokens.get(&field.field_id().to_string()).copied().unwrap_or(0))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.documents)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(self.doc_freqs.get(&term_key(term)).copied().unwrap_or(0))
    }
}

/// One part's best matches for a query, scored with the whole archive's statistics.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PartResults {
    /// The best matches, best first, each with its story.
    pub hits: Vec<(Hit, Option<String>)>,
    /// Articles of this part that match.
    pub total: usize,
}

impl Store {
    /// The statistics BM25 reads of this store for `query` within `filters`, for both ways
    /// the query runs (all the words, any of them).
    pub fn query_statistics(&self, query: &str, filters: &Filters) -> Result<TermStatistics, Error> {
        self.check_analyzer()?;
        let index = self.index();
        let searcher = index.reader.searcher();
        let wrap = |source| Error::Index {
            path: index.path().to_path_buf(),
            source,
        };
        let mut terms: Vec<Term> = Vec::new();
        for all_words in [true, false] {
            let prepared = self.prepared_query(query, filters, all_words)?;
            prepared.query_terms(&mut |term, _| terms.push(term.clone()));
        }
        let mut statistics = TermStatistics {
            documents: Bm25StatisticsProvider::total_num_docs(&searcher).map_err(wrap)?,
            ..TermStatistics::default()
        };
        for term in terms {
            let field = term.field();
            if let std::collections::btree_map::Entry::Vacant(entry) =
                statistics.tokens.entry(field.field_id().to_string())
            {
                entry.insert(Bm25StatisticsProvider::total_num_tokens(&searcher, field).map_err(wrap)?);
            }
            let documents = searcher.doc_freq(&term).map_err(wrap)?;
            statistics.doc_freqs.insert(term_key(&term), documents);
        }
        Ok(statistics)
    }

    /// The best `limit` matches of this store for `query` with all its words
    /// (`all_words`) or any of them, scored with `statistics` (the sum over every part of
    /// an archive: the scores one store holding it all would give), with their snippets
    /// and stories.
    pub fn search_part(
        &self,
        query: &str,
        filters: &Filters,
        limit: usize,
        all_words: bool,
        statistics: &TermStatistics,
    ) -> Result<PartResults, Error> {
        let (matches, _, total) = self.search_matches_with(query, limit, filters, &[all_words], Some(statistics))?;
        let seqs: Vec<i64> = matches.iter().map(|m| m.seq).collect();
        let stories = self.stories_of(&seqs)?;
        let terms = QueryTerms::new(self.analyzer(), query.trim());
        let mut hits = Vec::with_capacity(matches.len());
        for m in matches {
            if let Some(hit) = self.hit(m.seq, m.score, &terms, all_words)? {
                hits.push((hit, stories.get(&m.seq).cloned()));
            }
        }
        Ok(PartResults { hits, total })
    }
}
