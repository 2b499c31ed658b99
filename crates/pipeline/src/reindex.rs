//! Re-deriving everything derived from the stored articles: their entities (after a model
//! or gazetteer upgrade) and the search index.

use akhbar_store::Store;
use rayon::prelude::*;

/// Articles annotated per store transaction.
const BATCH: usize = 1000;

/// Recomputes every article's entities, then rebuilds the index; `progress(done, total)` is
/// called as articles are annotated and then as they are indexed. Returns the number of
/// articles indexed.
pub fn reindex(store: &mut Store, progress: &mut dyn FnMut(&str, u64, u64)) -> Result<u64, akhbar_store::Error> {
    let total = store.article_count()?;
    let recognizer = crate::recognizer();
    let mut after = 0;
    let mut done = 0;
    loop {
        let articles = store.articles_after(after, BATCH)?;
        let Some(last) = articles.last().map(|a| a.seq) else {
            break;
        };
        let annotated: Vec<_> = articles
            .par_iter()
            .map(|exported| {
                let article = &exported.stored.article;
                (
                    exported.seq,
                    akhbar_entities::article_entities(&article.title, &article.body, recognizer),
                )
            })
            .collect();
        store.replace_entities(&annotated)?;
        done += annotated.len() as u64;
        progress("entities", done, total);
        after = last;
    }
    store.reindex(&mut |done, total| progress("index", done, total))
}
