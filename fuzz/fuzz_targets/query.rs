//! The search query parser (tantivy's, behind akhbar's checks and Latin-name expansion) on
//! any query, against a small store: an answer or a clear error, never a panic.
#![no_main]

use akhbar_model::{Article, ArticleId};
use akhbar_store::{Filters, NewArticle, Store};
use libfuzzer_sys::fuzz_target;
use std::sync::{Mutex, OnceLock};

fn store() -> &'static Mutex<Store> {
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let mut store = Store::open(&dir).expect("store");
        let articles = [
            (
                "بلينكن يشيد بالأمن المغربي",
                "أشاد وزير الخارجية الأمريكي أنتوني بلينكن بالتعاون الأمني مع المغرب، وبحث مع ناصر بوريطة في واشنطن.",
            ),
            (
                "اجتماع وزراء الطاقة في الرياض",
                "عقد وزراء الطاقة اجتماعا في الرياض لبحث أسواق النفط.",
            ),
        ];
        let batch = articles
            .iter()
            .map(|(title, body)| {
                let article = Article {
                    title: title.to_string(),
                    body: body.to_string(),
                    source: Some("fuzz".into()),
                    ..Article::default()
                };
                NewArticle::new(ArticleId::for_article(None, &article), article, None)
            })
            .collect();
        store.add(batch).expect("add");
        Mutex::new(store)
    })
}

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let store = store().lock().expect("lock");
    let _ = store.search_page(&query, &Filters::default(), 1, 10, true);
    let _ = store.search_filtered(
        &query,
        5,
        &Filters {
            source: Some("fuzz".into()),
            ..Filters::default()
        },
    );
});
