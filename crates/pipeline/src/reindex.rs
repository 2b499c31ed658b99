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

#[cfg(test)]
mod tests {
    use super::*;
    use akhbar_entities::{Entity, EntityMention, Kind, Part};
    use akhbar_model::{Article, ArticleId};
    use akhbar_store::NewArticle;

    /// An archive annotated by an older linker (باب read as the city إب) is annotated again
    /// by `reindex`: the stale link goes, the right one comes, and nothing else changes.
    #[test]
    fn reindex_annotates_stored_articles_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let body = "وأكد الوزير أهمية مضيق باب المندب للملاحة الدولية.";
        let at = body.find("باب").unwrap();
        let mut article = NewArticle::new(
            ArticleId::new("a-1"),
            Article {
                title: "الملاحة".into(),
                body: body.into(),
                ..Article::default()
            },
            None,
        );
        article.entities = vec![Entity {
            id: "ibb".into(),
            name: "إب".into(),
            kind: Kind::Location,
            english: Some("Ibb".into()),
            romanized: "ib".into(),
            mentions: vec![EntityMention {
                start: at,
                end: at + "باب".len(),
                text: "باب".into(),
                part: Part::Body,
            }],
        }];
        store.add(vec![article]).unwrap();
        let ids = |store: &Store| -> Vec<String> {
            store
                .article_entities("a-1")
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect()
        };
        assert_eq!(ids(&store), ["ibb"]);
        let indexed = reindex(&mut store, &mut |_, _, _| {}).unwrap();
        assert_eq!(indexed, 1);
        let after = ids(&store);
        assert!(after.contains(&"bab-el-mandeb".to_string()), "{after:?}");
        assert!(!after.contains(&"ibb".to_string()), "{after:?}");
        assert_eq!(store.get("a-1").unwrap().unwrap().article.body, body);
    }
}
