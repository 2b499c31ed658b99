//! Full-text search: BM25 over titles and bodies, words and stems.

use crate::snippet::{QueryTerms, Snippet};
use crate::{CoordQuery, Error, Store};
use akhbar_model::ArticleId;
use rusqlite::OptionalExtension;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Queries longer than this are refused.
pub const MAX_QUERY_BYTES: usize = 2048;
/// Results per query at most.
pub const MAX_LIMIT: usize = 1000;
/// Snippet length in bytes (about 130 Arabic letters).
const SNIPPET_BYTES: usize = 260;

/// Boost of normalized words in titles. A word as written matches both its word field and
/// its stem field, so it always ranks above a match of the stem alone; stems carry most of
/// the weight because that ranks best in the known-item evaluation (`akhbar-eval retrieval`:
/// words 0.3 + stems 1.0 beat stems alone, words alone and equal weights). Titles count
/// twice the body.
pub const BOOST_TITLE: f32 = 0.6;
/// Boost of stems in titles.
pub const BOOST_TITLE_STEM: f32 = 2.0;
/// Boost of normalized words in bodies.
pub const BOOST_BODY: f32 = 0.3;
/// Boost of stems in bodies.
pub const BOOST_BODY_STEM: f32 = 1.0;
/// Boost of stems in the body's lead (its first words), on top of the body's own.
pub const BOOST_LEAD_STEM: f32 = 0.5;

/// One search result. Field names are the `akhbar search --json` contract.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Hit {
    /// Article id.
    pub id: ArticleId,
    /// Headline.
    pub title: String,
    /// Outlet.
    pub source: Option<String>,
    /// Article URL.
    pub url: Option<String>,
    /// Publication date, RFC 3339.
    pub date: Option<String>,
    /// BM25 score.
    pub score: f32,
    /// Best matching passage of the body.
    pub snippet: Snippet,
    /// False when no article had all the words and this one matched only some of them.
    pub all_words: bool,
}

/// One page of results, optionally one per story, with source facets over the matches
/// considered.
#[derive(Debug, Clone)]
pub struct SearchPage {
    /// The results of the page: each with its story and, when collapsing, the story's size.
    pub hits: Vec<(Hit, Option<String>, Option<u64>)>,
    /// More results after this page.
    pub has_more: bool,
    /// Articles that match (copies of one story each counted).
    pub total: usize,
    /// False when no article had all the words.
    pub all_words: bool,
    /// Sources of the matches considered, with counts, most first.
    pub sources: Vec<(String, usize)>,
    /// The matches considered (database sequence numbers, best first), for
    /// [`Store::entity_facets`].
    pub matches: Vec<i64>,
}

/// An entity among a search's matches. Field names are the `/api/search` `facets.entities`
/// contract.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntityFacet {
    /// Id (the `entity` filter's value).
    pub id: String,
    /// Arabic name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: akhbar_entities::Kind,
    /// Matches that mention it.
    pub articles: usize,
}

/// `query` without the words made only of punctuation (`/` in `اقتصادي / الأسهم`, `:`,
/// `«`, `،`), outside quoted phrases. They index nothing, and the query parser would turn
/// one into a clause no article matches, so that a title with a slash (every SPA
/// headline) never found itself with all its words. Grouping and operator characters
/// (`(`, `)`, `"`, `+`, `-`) stay.
fn without_bare_punctuation(query: &str) -> String {
    let mut out = Vec::new();
    let mut in_phrase = false;
    for word in query.split(' ') {
        let bare = !word.is_empty()
            && !word
                .chars()
                .any(|c| c.is_alphanumeric() || matches!(c, '(' | ')' | '"' | '+' | '-'));
        if in_phrase || !bare {
            out.push(word);
        }
        if word.matches('"').count() % 2 == 1 {
            in_phrase = !in_phrase;
        }
    }
    out.join(" ")
}

/// `query` as a [`CoordQuery`] when it is a list of optional words (the query parser's output
/// for words without operators: one group per word, of its clauses over the fields); any
/// other query as it is. A single word's query is a list of field clauses, not of words: it
/// stays as it is.
fn with_coord(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(list) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let clauses = list.clauses();
    let words = clauses.len() > 1
        && clauses
            .iter()
            .all(|(occur, clause)| *occur == Occur::Should && clause.downcast_ref::<BooleanQuery>().is_some());
    if !words {
        return query;
    }
    Box::new(CoordQuery::new(
        clauses.iter().map(|(_, word)| word.box_clone()).collect(),
    ))
}

/// One match of a search, before its row is read.
#[derive(Debug, Clone)]
pub(crate) struct Match {
    /// Database sequence number.
    pub(crate) seq: i64,
    /// BM25 score.
    pub(crate) score: f32,
    /// Outlet, from the index.
    pub(crate) source: Option<String>,
}

/// Restrictions on a search.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Only articles that mention this entity (an id from `akhbar entities`).
    pub entity: Option<String>,
    /// Only articles of this source.
    pub source: Option<String>,
    /// Only articles published at or after this time.
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Only articles published before this time.
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

impl Store {
    /// [`Store::search_filtered`] without filters.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, Error> {
        self.search_filtered(query, limit, &Filters::default())
    }

    /// Searches titles and bodies; see the query syntax of tantivy's `QueryParser` (words,
    /// `"phrases"`, `+required`, `-excluded`, `OR`). Malformed syntax is read leniently.
    ///
    /// Words are required by default, as in web search; when that finds nothing, any word
    /// will do (ranked by BM25, so articles with more of the words come first). A word in
    /// Latin letters also matches the entities it names (`Blinken` finds بلينكن).
    pub fn search_filtered(&self, query: &str, limit: usize, filters: &Filters) -> Result<Vec<Hit>, Error> {
        let query = query.trim();
        let (top, all_words) = self.search_seqs(query, limit, filters)?;
        let terms = QueryTerms::new(self.analyzer(), query);
        let mut hits = Vec::with_capacity(top.len());
        for (seq, score) in top {
            if let Some(hit) = self.hit(seq, score, &terms, all_words)? {
                hits.push(hit);
            }
        }
        Ok(hits)
    }

    /// Page `page` (from 1) of `size` results; with `collapse`, one result per story (the
    /// best-ranked article). Snippets are built for the page's results only.
    pub fn search_page(
        &self,
        query: &str,
        filters: &Filters,
        page: usize,
        size: usize,
        collapse: bool,
    ) -> Result<SearchPage, Error> {
        let query = query.trim();
        if size == 0 || size > MAX_LIMIT || page == 0 || page * size > MAX_LIMIT {
            return Err(Error::Query {
                reason: format!("limit must be between 1 and {MAX_LIMIT} (page × limit too)"),
            });
        }
        // Collapsing needs more matches than shown; facets count all of them.
        let wanted = (page * size * if collapse { 3 } else { 1 } + 1).clamp(60, MAX_LIMIT);
        let (matches, all_words, total) = self.search_matches(query, wanted, filters)?;
        let seqs: Vec<i64> = matches.iter().map(|m| m.seq).collect();
        let stories = self.stories_of(&seqs)?;
        let mut counts: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
        for source in matches.iter().filter_map(|m| m.source.as_deref()) {
            *counts.entry(source).or_default() += 1;
        }
        let mut sources: Vec<(String, usize)> = counts.into_iter().map(|(s, n)| (s.to_string(), n)).collect();
        sources.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut shown: Vec<(i64, f32, Option<String>)> = Vec::new();
        let mut seen_stories: std::collections::HashSet<String> = std::collections::HashSet::new();
        for Match { seq, score, .. } in matches {
            let story = stories.get(&seq).cloned();
            if let (true, Some(id)) = (collapse, &story) {
                if !seen_stories.insert(id.clone()) {
                    continue;
                }
            }
            shown.push((seq, score, story));
            if shown.len() > page * size {
                break;
            }
        }
        let has_more = shown.len() > page * size;
        let terms = QueryTerms::new(self.analyzer(), query);
        let mut hits = Vec::with_capacity(size);
        for (seq, score, story) in shown.into_iter().skip((page - 1) * size).take(size) {
            let Some(hit) = self.hit(seq, score, &terms, all_words)? else {
                continue;
            };
            let story_size = match (&story, collapse) {
                (Some(id), true) => Some(self.story_size(id)?),
                _ => None,
            };
            hits.push((hit, story, story_size));
        }
        Ok(SearchPage {
            hits,
            has_more,
            total,
            all_words,
            sources,
            matches: seqs,
        })
    }

    /// The `limit` entities that the most of the articles `seqs` mention, most first (ties
    /// by id): who and what a search's results are about. One read of the mentions' key
    /// (sequence number first), then the names of those listed.
    pub fn entity_facets(&self, seqs: &[i64], limit: usize) -> Result<Vec<EntityFacet>, Error> {
        if seqs.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let db = self.database();
        let list = serde_json::to_string(seqs).unwrap_or_else(|_| "[]".into());
        let mut statement = db
            .connection
            .prepare_cached("SELECT DISTINCT seq, entity FROM mentions WHERE seq IN (SELECT value FROM json_each(?1))")
            .map_err(|e| db.wrap(e))?;
        let mut counts: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
        let rows = statement
            .query_map([&list], |row| row.get::<_, String>(1))
            .map_err(|e| db.wrap(e))?;
        for entity in rows {
            *counts.entry(entity.map_err(|e| db.wrap(e))?).or_default() += 1;
        }
        let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        let mut details = db
            .connection
            .prepare_cached("SELECT name, type FROM entities WHERE id = ?1")
            .map_err(|e| db.wrap(e))?;
        let mut facets = Vec::with_capacity(ranked.len());
        for (id, articles) in ranked {
            let Some((name, kind)) = details
                .query_row([&id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))
                .optional()
                .map_err(|e| db.wrap(e))?
            else {
                continue;
            };
            facets.push(EntityFacet {
                id,
                name,
                kind: akhbar_entities::Kind::parse(&kind).unwrap_or(akhbar_entities::Kind::Misc),
                articles,
            });
        }
        Ok(facets)
    }

    /// The best `limit` matches as (database sequence number, score), and whether they have
    /// all the words: the cheap first half of [`Store::search_filtered`], for callers that
    /// group or page before building snippets ([`Store::hit`]).
    pub fn search_seqs(&self, query: &str, limit: usize, filters: &Filters) -> Result<(Vec<(i64, f32)>, bool), Error> {
        let (matches, all_words, _) = self.search_matches(query, limit, filters)?;
        Ok((matches.into_iter().map(|m| (m.seq, m.score)).collect(), all_words))
    }

    /// [`Store::search_seqs`] with each match's source, read from the index's fast fields
    /// (no article row is read).
    /// The best `limit` matches, whether they have all the words, and how many match.
    fn search_matches(&self, query: &str, limit: usize, filters: &Filters) -> Result<(Vec<Match>, bool, usize), Error> {
        self.search_matches_with(query, limit, filters, &[true, false], None)
    }

    /// The query as it runs: lenient parsing of `query` after the Latin and spelling
    /// expansion, all the words or (coordinated) any of them, within `filters`.
    pub(crate) fn prepared_query(
        &self,
        query: &str,
        filters: &Filters,
        all_words: bool,
    ) -> Result<Box<dyn Query>, Error> {
        let expanded = self.expand_latin(&without_bare_punctuation(query.trim()))?;
        let (parsed, _errors) = self.parser(all_words).parse_query_lenient(&expanded);
        // Any of the words: articles with more of them rank first (crate::coord).
        let parsed = if all_words { parsed } else { with_coord(parsed) };
        Ok(self.filtered(parsed, filters))
    }

    /// [`Store::search_matches`] trying the modes in `modes` (all the words, any of them)
    /// until one finds something, scored with `statistics` in place of this index's own
    /// (a shard scoring as the whole archive would).
    pub(crate) fn search_matches_with(
        &self,
        query: &str,
        limit: usize,
        filters: &Filters,
        modes: &[bool],
        statistics: Option<&crate::TermStatistics>,
    ) -> Result<(Vec<Match>, bool, usize), Error> {
        self.check_analyzer()?;
        let query = query.trim();
        if query.is_empty() {
            return Err(Error::Query {
                reason: "empty query".into(),
            });
        }
        if query.len() > MAX_QUERY_BYTES {
            return Err(Error::Query {
                reason: format!("query of {} bytes is longer than {MAX_QUERY_BYTES}", query.len()),
            });
        }
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::Query {
                reason: format!("limit must be between 1 and {MAX_LIMIT}"),
            });
        }
        let index = self.index();
        let searcher = index.reader.searcher();
        let wrap = |source| Error::Index {
            path: index.path().to_path_buf(),
            source,
        };
        let mut top = Vec::new();
        let mut total = 0;
        let mut matched_all_words = true;
        for &all_words in modes {
            matched_all_words = all_words;
            let filtered = self.prepared_query(query, filters, all_words)?;
            let collector = (TopDocs::with_limit(limit).order_by_score(), tantivy::collector::Count);
            (top, total) = match statistics {
                Some(statistics) => searcher.search_with_statistics_provider(&filtered, &collector, statistics),
                None => searcher.search(&filtered, &collector),
            }
            .map_err(wrap)?;
            if !top.is_empty() {
                break;
            }
        }
        // The sequence number and the source are fast fields: no stored document is read.
        type Columns = (tantivy::columnar::Column<u64>, Option<tantivy::columnar::StrColumn>);
        let mut columns: Vec<Option<Columns>> = Vec::new();
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let segment = address.segment_ord as usize;
            if columns.len() <= segment {
                columns.resize(segment + 1, None);
            }
            if columns[segment].is_none() {
                let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                columns[segment] = Some((fast.u64("seq").map_err(wrap)?, fast.str("source").map_err(wrap)?));
            }
            let Some((seqs, sources)) = &columns[segment] else {
                continue;
            };
            let Some(seq) = seqs.first(address.doc_id) else {
                continue;
            };
            let source = sources.as_ref().and_then(|column| {
                let ord = column.term_ords(address.doc_id).next()?;
                let mut name = String::new();
                column.ord_to_str(ord, &mut name).ok()?.then_some(name)
            });
            out.push(Match {
                seq: seq as i64,
                score,
                source,
            });
        }
        Ok((out, matched_all_words, total))
    }

    /// The full result for one match of [`Store::search_seqs`], with its snippet.
    pub fn hit(&self, seq: i64, score: f32, terms: &QueryTerms, all_words: bool) -> Result<Option<Hit>, Error> {
        let Some(row) = self.database().get_by_seq(seq)? else {
            return Ok(None);
        };
        let article = row.article;
        // Bodies share most of their words: a warm cache analyzes them several times faster.
        // A concurrent search that finds the cache busy uses a cold one rather than wait.
        let snippet = match self.snippet_cache.try_lock() {
            Ok(mut cache) => Snippet::make(self.analyzer(), &mut cache, &article.body, terms, SNIPPET_BYTES),
            Err(_) => Snippet::make(
                self.analyzer(),
                &mut akhbar_arabic::Cache::default(),
                &article.body,
                terms,
                SNIPPET_BYTES,
            ),
        };
        Ok(Some(Hit {
            id: row.id,
            title: article.title,
            source: article.source,
            url: article.url,
            date: article
                .date
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            score,
            snippet,
            all_words,
        }))
    }

    /// `Blinken` → `(Blinken OR entity:"antony-blinken")` for each Latin word that names
    /// known entities (in English, or in French: `Etats-Unis`), and `ترمب` → `(ترمب OR
    /// entity:"donald-trump")` for an Arabic word that is a gazetteer name, so every spelling
    /// the linker joins is found. Words inside a quoted phrase stay as they are.
    fn expand_latin(&self, query: &str) -> Result<String, Error> {
        let gazetteer = akhbar_entities::Gazetteer::embedded();
        let mut out = String::with_capacity(query.len());
        let mut quoted = false;
        for (i, word) in query.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let in_phrase = quoted || word.starts_with('"');
            quoted ^= word.matches('"').count() % 2 == 1;
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            let is_latin_word = letters >= 2
                && word
                    .chars()
                    .all(|c| (c.is_alphabetic() && !is_arabic(c)) || c == '-' || c == '\'' || c == '’')
                && word.chars().next().is_some_and(char::is_alphabetic);
            let is_arabic_word = letters >= 2 && word.chars().all(|c| is_arabic(c) && c.is_alphabetic());
            let mut ids = Vec::new();
            if in_phrase || matches!(word, "OR" | "AND" | "NOT") {
            } else if is_latin_word {
                if word.len() >= 3 && word.chars().all(|c| c.is_ascii_alphabetic()) {
                    ids = self.entities_for_latin(word)?;
                }
                for id in gazetteer.ids_for_latin_name(word) {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            } else if is_arabic_word {
                ids = gazetteer.ids_for_arabic_word(word);
            }
            if ids.is_empty() {
                out.push_str(word);
                continue;
            }
            out.push('(');
            out.push_str(word);
            for id in ids.iter().take(8) {
                out.push_str(&format!(" OR entity:\"{id}\""));
            }
            out.push(')');
        }
        Ok(out)
    }

    /// `query` restricted by `filters`.
    fn filtered(&self, query: Box<dyn Query>, filters: &Filters) -> Box<dyn Query> {
        let fields = self.index().fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        let term = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(entity) = &filters.entity {
            clauses.push((Occur::Must, term(fields.entity, entity)));
        }
        if let Some(source) = &filters.source {
            clauses.push((Occur::Must, term(fields.source, source)));
        }
        if filters.since.is_some() || filters.until.is_some() {
            let bound = |t: Option<chrono::DateTime<chrono::Utc>>, inclusive: bool| match t {
                None => std::ops::Bound::Unbounded,
                Some(t) => {
                    let value =
                        Term::from_field_date(fields.date, tantivy::DateTime::from_timestamp_secs(t.timestamp()));
                    if inclusive {
                        std::ops::Bound::Included(value)
                    } else {
                        std::ops::Bound::Excluded(value)
                    }
                }
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(filters.since, true), bound(filters.until, false))),
            ));
        }
        if clauses.len() == 1 {
            return clauses
                .pop()
                .map(|(_, q)| q)
                .unwrap_or_else(|| Box::new(BooleanQuery::new(Vec::new())));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The query parser over titles and bodies, words and stems, with their boosts.
    fn parser(&self, all_words: bool) -> QueryParser {
        let index = self.index();
        let fields = index.fields;
        let mut parser = QueryParser::for_index(
            &index.index,
            vec![
                fields.title,
                fields.title_stem,
                fields.body,
                fields.body_stem,
                fields.lead_stem,
            ],
        );
        parser.set_field_boost(fields.title, BOOST_TITLE);
        parser.set_field_boost(fields.title_stem, BOOST_TITLE_STEM);
        parser.set_field_boost(fields.body, BOOST_BODY);
        parser.set_field_boost(fields.body_stem, BOOST_BODY_STEM);
        parser.set_field_boost(fields.lead_stem, BOOST_LEAD_STEM);
        if all_words {
            parser.set_conjunction_by_default();
        }
        parser
    }
}

/// Letters of the Arabic script.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::{with_coord, without_bare_punctuation};
    use crate::{CoordQuery, Store};

    #[test]
    fn bare_punctuation_words_are_dropped_outside_phrases() {
        for (query, expected) in [
            ("اقتصادي / الأسهم", "اقتصادي الأسهم"),
            ("عام : « البيان » ، اليوم", "عام البيان اليوم"),
            ("(a OR b) -c +d", "(a OR b) -c +d"),
            ("( a OR b )", "( a OR b )"),
            ("\"a / b\" c / d", "\"a / b\" c d"),
            ("10.5% / 0.34%", "10.5% 0.34%"),
            ("/", ""),
            ("a  b", "a  b"),
        ] {
            assert_eq!(without_bare_punctuation(query), expected, "{query}");
        }
    }

    #[test]
    fn the_any_word_query_is_scaled_per_word_not_per_field() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = Store::open(dir.path()).expect("store");
        for (query, words) in [
            ("الميناء القطار المطار", Some(3)),
            ("بلينكن \"الأمن المغربي\" الرباط", Some(3)),
            ("(الميناء OR القطار) المطار", Some(2)),
            ("الميناء", None),
            ("الميناء -القطار", None),
            ("+الميناء القطار", None),
        ] {
            let (parsed, _) = store.parser(false).parse_query_lenient(query);
            let coord = with_coord(parsed);
            let found = coord.downcast_ref::<CoordQuery>().map(|c| c.words().len());
            assert_eq!(found, words, "{query}: {coord:?}");
        }
    }
}
