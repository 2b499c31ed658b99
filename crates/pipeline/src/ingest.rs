//! Ingesting article files: the steps in order, batch by batch.

use akhbar_fetch::{find_files, read_items, Item, Payload, Record};
use akhbar_model::{Article, ArticleId};
use akhbar_store::{NewArticle, Store};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How [`ingest`] batches its work.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Articles per store commit. Each commit makes its articles durable and searchable.
    pub batch_size: usize,
    /// Source given to articles whose input names none (text and HTML files).
    pub default_source: Option<String>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            batch_size: 2000,
            default_source: None,
        }
    }
}

/// An item that failed, or a warning about one: where (`path`, `path:line`, `path#entry`), and
/// why. Errors from reading name their input in the reason too.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Failure {
    /// File, `file:line`, or URL.
    pub origin: String,
    /// What went wrong.
    pub reason: String,
}

/// What an ingest did. Field names are the `akhbar ingest --json` contract.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IngestReport {
    /// Files read.
    pub files: usize,
    /// Articles stored for the first time.
    pub new: usize,
    /// Articles already in the store.
    pub existing: usize,
    /// Items that could not be ingested, with reasons.
    pub failed: Vec<Failure>,
    /// Items ingested with something dropped or guessed (a bad date, a guessed charset).
    pub warnings: Vec<Failure>,
    /// Input bytes read (compressed size for gzip).
    pub bytes: u64,
    /// Wall time.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    /// True when a stop was requested (Ctrl-C) before the end.
    pub interrupted: bool,
    /// The story step after the last batch (also after an interruption, for what was
    /// committed).
    pub stories: crate::StoriesReport,
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((duration.as_secs_f64() * 1000.0).round() / 1000.0)
}

impl IngestReport {
    /// Articles (new or existing) per second of wall time.
    pub fn articles_per_second(&self) -> f64 {
        (self.new + self.existing) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Progress callbacks for a terminal bar or a log.
pub trait Progress {
    /// Called once with the total input size.
    fn start(&self, total_bytes: u64);
    /// Called after each committed batch with the bytes read so far and the running report.
    fn update(&self, bytes_done: u64, report: &IngestReport);
}

/// Progress that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total_bytes: u64) {}
    fn update(&self, _bytes_done: u64, _report: &IngestReport) {}
}

/// Ingests the article files under `paths` into `store`.
///
/// Per-item problems go into the report and the rest carries on; only a store failure (disk
/// full, another writer) ends the run with `Err`, after which every article reported in
/// earlier batches is durable. Setting `stop` ends the run cleanly after the current item,
/// committing what was read.
pub fn ingest(
    store: &mut Store,
    paths: &[PathBuf],
    options: &IngestOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<IngestReport, akhbar_store::Error> {
    let started = Instant::now();
    let mut report = IngestReport::default();
    let files = found_files(paths, &mut report);
    progress.start(files.iter().map(|f| f.size).sum());
    let mut batch: Vec<NewArticle> = Vec::with_capacity(options.batch_size);
    let mut committer = Committer {
        store,
        ready: Vec::new(),
    };
    let mut store_error = None;
    let bytes_read = read_articles(&files, options, stop, &mut report, &mut |report, new, bytes| {
        batch.push(new);
        if batch.len() >= options.batch_size {
            report.bytes = bytes;
            if let Err(error) = committer.commit(&mut batch, report) {
                store_error = Some(error);
                return false;
            }
            report.elapsed = started.elapsed();
            progress.update(report.bytes, report);
        }
        true
    });
    if let Some(error) = store_error {
        return Err(error);
    }
    let last_batch = !batch.is_empty() || !committer.ready.is_empty();
    if !batch.is_empty() {
        committer.commit(&mut batch, &mut report)?;
    }
    committer.finish(&mut report)?;
    report.interrupted = stop.load(Ordering::Relaxed);
    // Even when stopped, what was committed gets its stories: the archive is never left
    // with articles no story shows.
    report.stories = crate::update_stories(committer.store, false)?;
    if !report.interrupted {
        report.bytes = bytes_read;
    }
    report.elapsed = started.elapsed();
    // The last commit's line (one per commit; none when the last batch was empty).
    if last_batch || !report.interrupted {
        progress.update(report.bytes, &report);
    }
    Ok(report)
}

/// The files under `paths`, the paths that could not be read going into `report`.
fn found_files(paths: &[PathBuf], report: &mut IngestReport) -> Vec<akhbar_fetch::SourceFile> {
    let (files, errors) = find_files(paths);
    report.failed.extend(errors.into_iter().map(|e| Failure {
        origin: e.origin(),
        reason: e.describe(),
    }));
    files
}

/// Reads the articles of `files` in order and hands each to `on_article` with the report and
/// the input bytes read so far, until it returns false or `stop` is set; failures and
/// warnings go into `report`, with the files read. Returns the bytes of the files read whole.
pub(crate) fn read_articles(
    files: &[akhbar_fetch::SourceFile],
    options: &IngestOptions,
    stop: &AtomicBool,
    report: &mut IngestReport,
    on_article: &mut dyn FnMut(&mut IngestReport, NewArticle, u64) -> bool,
) -> u64 {
    let mut bytes_before_file = 0u64;
    let mut ended = false;
    for file in files {
        if stop.load(Ordering::Relaxed) || ended {
            break;
        }
        report.files += 1;
        let mut items = 0usize;
        let mut on_item = |item: Result<Item, akhbar_fetch::Error>| {
            if stop.load(Ordering::Relaxed) || ended {
                return;
            }
            items += 1;
            match item {
                Err(error) => report.failed.push(Failure {
                    origin: error.origin(),
                    reason: error.describe(),
                }),
                Ok(item) => {
                    let origin = item.origin.to_string();
                    match to_article(item.payload, &origin, &mut report.warnings) {
                        Ok((id, mut article)) => {
                            if article.source.is_none() {
                                article.source.clone_from(&options.default_source);
                            }
                            let new = NewArticle::new(id, article, Some(origin));
                            ended = !on_article(report, new, bytes_before_file + item.bytes_read);
                        }
                        Err(reason) => report.failed.push(Failure { origin, reason }),
                    }
                }
            }
        };
        match read_items(file, &mut on_item) {
            Err(error) => report.failed.push(Failure {
                origin: error.origin(),
                reason: error.describe(),
            }),
            // An empty archive is said, like an empty text file.
            Ok(()) if items == 0 && !stop.load(Ordering::Relaxed) => report.failed.push(Failure {
                origin: file.path.display().to_string(),
                reason: "no articles in the file".into(),
            }),
            Ok(()) => {}
        }
        bytes_before_file += file.size;
    }
    bytes_before_file
}

/// Reads the articles under `paths` as [`ingest`] does and hands each to `on_article`
/// instead of storing it, until that returns false or `stop` is set: what a cluster's
/// publisher sends. The report counts files, failures, warnings and bytes; `new` and
/// `existing` stay 0 (the store that counts them is elsewhere).
pub fn read_files(
    paths: &[PathBuf],
    options: &IngestOptions,
    stop: &AtomicBool,
    on_article: &mut dyn FnMut(NewArticle) -> bool,
) -> IngestReport {
    let started = Instant::now();
    let mut report = IngestReport::default();
    let files = found_files(paths, &mut report);
    report.bytes = read_articles(&files, options, stop, &mut report, &mut |_, new, _| on_article(new));
    report.interrupted = stop.load(Ordering::Relaxed);
    report.elapsed = started.elapsed();
    report
}

/// The entity step for a batch on all cores, whatever the store holds: what a cluster's
/// worker does before it sends articles to their shard.
pub fn tag(batch: &mut [NewArticle]) {
    annotate(batch, &vec![true; batch.len()]);
}

/// What a cluster's shard does with a batch that workers tagged ([`tag`]): the per-source
/// boilerplate step, the entity step again for the articles it changed (their offsets move),
/// then one commit. Articles already stored are counted as existing and left as they are.
pub fn store_tagged(store: &mut Store, mut batch: Vec<NewArticle>) -> Result<akhbar_store::Added, akhbar_store::Error> {
    if batch.is_empty() {
        return Ok(akhbar_store::Added::default());
    }
    let fresh = prepare(store, &mut batch)?;
    let changed: Vec<bool> = batch
        .iter()
        .zip(&fresh)
        .map(|(new, fresh)| *fresh && new.raw_body.is_some())
        .collect();
    annotate(&mut batch, &changed);
    add(store, batch)
}

/// Batches on their way into the store: while one batch is stored (the database and the
/// index, one thread), the next is annotated (the entity step, on all cores).
struct Committer<'s> {
    store: &'s mut Store,
    /// Annotated, not stored yet.
    ready: Vec<NewArticle>,
}

impl Committer<'_> {
    /// Takes a batch: its boilerplate step now, its entity step while the batch before it is
    /// stored; empties `batch`.
    fn commit(&mut self, batch: &mut Vec<NewArticle>, report: &mut IngestReport) -> Result<(), akhbar_store::Error> {
        let fresh = prepare(self.store, batch)?;
        let ready = std::mem::take(&mut self.ready);
        let store = &mut *self.store;
        let added = std::thread::scope(|scope| {
            let storing = scope.spawn(move || add(store, ready));
            annotate(batch, &fresh);
            storing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })?;
        self.ready = std::mem::take(batch);
        count(report, added);
        Ok(())
    }

    /// Stores the last batch taken.
    fn finish(&mut self, report: &mut IngestReport) -> Result<(), akhbar_store::Error> {
        let added = add(self.store, std::mem::take(&mut self.ready))?;
        count(report, added);
        Ok(())
    }
}

fn count(report: &mut IngestReport, added: akhbar_store::Added) {
    report.new += added.new;
    report.existing += added.existing;
}

fn add(store: &mut Store, batch: Vec<NewArticle>) -> Result<akhbar_store::Added, akhbar_store::Error> {
    if batch.is_empty() {
        return Ok(akhbar_store::Added::default());
    }
    store.add(batch)
}

/// The per-source boilerplate step, the entity step, then one store commit; empties `batch`.
pub(crate) fn store_batch(
    store: &mut Store,
    batch: &mut Vec<NewArticle>,
) -> Result<akhbar_store::Added, akhbar_store::Error> {
    if batch.is_empty() {
        return Ok(akhbar_store::Added::default());
    }
    let fresh = prepare(store, batch)?;
    annotate(batch, &fresh);
    add(store, std::mem::take(batch))
}

/// The per-source boilerplate step (learn which opening and closing lines recur in a source,
/// remove those from the new articles, keep the raw text); says which articles the store
/// does not hold yet.
fn prepare(store: &mut Store, batch: &mut [NewArticle]) -> Result<Vec<bool>, akhbar_store::Error> {
    remove_boilerplate(store, batch)?;
    batch.iter().map(|new| Ok(!store.contains(new.id.as_str())?)).collect()
}

/// The entity step: people, places and organizations of each article not stored yet
/// (`fresh`), on all cores.
fn annotate(batch: &mut [NewArticle], fresh: &[bool]) {
    use rayon::prelude::*;
    let recognizer = crate::recognizer();
    batch.par_iter_mut().zip(fresh).for_each(|(new, fresh)| {
        if *fresh {
            new.entities = akhbar_entities::article_entities(&new.article.title, &new.article.body, recognizer);
        }
    });
}

fn remove_boilerplate(store: &mut Store, batch: &mut [NewArticle]) -> Result<(), akhbar_store::Error> {
    let observations: Vec<(&str, &str, Vec<String>)> = batch
        .iter()
        .filter_map(|new| {
            let source = new.article.source.as_deref()?;
            Some((new.id.as_str(), source, akhbar_extract::edge_lines(&new.article.body)))
        })
        .collect();
    let counts = store.observe_edge_lines(&observations)?;
    let recurring: Vec<Option<Vec<String>>> = observations
        .into_iter()
        .zip(counts)
        .map(|((_, _, lines), counts)| {
            let counts = counts?;
            Some(
                lines
                    .into_iter()
                    .zip(counts)
                    .filter(|(_, n)| *n >= akhbar_extract::BOILERPLATE_MIN_ARTICLES)
                    .map(|(line, _)| line)
                    .collect(),
            )
        })
        .collect();
    let mut recurring = recurring.into_iter();
    for new in batch.iter_mut().filter(|new| new.article.source.is_some()) {
        let Some(Some(lines)) = recurring.next() else {
            continue;
        };
        if lines.is_empty() {
            continue;
        }
        if let Some(clean) =
            akhbar_extract::strip_boilerplate(&new.article.body, |line| lines.iter().any(|l| l == line))
        {
            new.raw_body = Some(std::mem::replace(&mut new.article.body, clean));
        }
    }
    Ok(())
}

/// The extract step for one item, and the article's stable id.
pub(crate) fn to_article(
    payload: Payload,
    origin: &str,
    warnings: &mut Vec<Failure>,
) -> Result<(ArticleId, Article), String> {
    let (given_id, article) = match payload {
        Payload::Text(bytes) => {
            let (text, _, decode_warnings) = akhbar_extract::decode(&bytes, None);
            warnings.extend(decode_warnings.into_iter().map(|w| Failure {
                origin: origin.to_string(),
                reason: w.to_string(),
            }));
            (None, akhbar_extract::from_text(&text))
        }
        Payload::Html(bytes) => {
            let (article, page_warnings) = akhbar_extract::from_html(&bytes, None);
            if let Some(refused) = page_warnings
                .iter()
                .find(|w| matches!(w, akhbar_extract::Warning::NotAnArticle { .. }))
            {
                return Err(refused.to_string());
            }
            warnings.extend(page_warnings.into_iter().map(|w| Failure {
                origin: origin.to_string(),
                reason: w.to_string(),
            }));
            (None, article)
        }
        Payload::FeedItem(item) => {
            let html = item.content.as_deref().or(item.summary.as_deref()).unwrap_or_default();
            let article = Article {
                title: item.title,
                body: akhbar_extract::fragment_text(html),
                source: item.feed_title,
                url: item.link,
                date: item.published,
                author: item.author,
            };
            // The link identifies an article across feeds and pages; the guid only within its feed.
            let guid = if article.url.is_some() { None } else { item.guid };
            (guid, article)
        }
        Payload::Record(record) => {
            let Record {
                id,
                title,
                content,
                url,
                source,
                date,
                author,
                headline: _,
            } = record;
            let date = date.and_then(|text| match akhbar_model::parse_date(&text) {
                Ok(date) => Some(date),
                Err(error) => {
                    warnings.push(Failure {
                        origin: origin.to_string(),
                        reason: format!("{error}: date dropped"),
                    });
                    None
                }
            });
            (
                id,
                Article {
                    title: title.trim().to_string(),
                    body: content.trim().to_string(),
                    source,
                    url,
                    date,
                    author,
                },
            )
        }
    };
    let mut article = article;
    if let Some(date) = article.date.filter(|d| !akhbar_model::plausible_date(d)) {
        warnings.push(Failure {
            origin: origin.to_string(),
            reason: format!("date {date} is out of range (years 1800 to 2199): date dropped"),
        });
        article.date = None;
    }
    if article.title.trim().is_empty() && article.body.trim().is_empty() {
        return Err("empty article: no title and no text".into());
    }
    let id = ArticleId::for_article(given_id.as_deref(), &article);
    Ok((id, article))
}

#[cfg(test)]
mod tests;
