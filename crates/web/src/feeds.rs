//! Atom feeds of what a reader follows: a source, an entity, a story, a saved search.

use crate::state::{AppState, Failure};
use akhbar_store::ArticleSummary;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Entries per feed.
const ENTRIES: usize = 30;

pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Characters of an entry's summary at most (its first paragraph, cut at a word).
const SUMMARY_CHARS: usize = 400;

/// The feed's entries with their text: `summary` (the first paragraph) and `content` (the
/// whole clean text), read from the store.
fn with_text(store: &akhbar_store::Store, entries: Vec<ArticleSummary>) -> Result<Vec<serde_json::Value>, Failure> {
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let body = store
            .get(&entry.id)
            .map_err(Failure::store)?
            .map(|stored| stored.article.body)
            .unwrap_or_default();
        let first = body.split("\n\n").next().unwrap_or("").trim();
        let summary = if first.chars().count() > SUMMARY_CHARS {
            let cut: String = first.chars().take(SUMMARY_CHARS).collect();
            let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).to_string();
            format!("{cut}…")
        } else {
            first.to_string()
        };
        // Texts stored before akhbar cleaned them on the way in: a feed stays well-formed XML.
        let clean = |s: &str| akhbar_model::clean_text(s).into_owned();
        out.push(serde_json::json!({
            "id": entry.id,
            "title": clean(&entry.title),
            "source": entry.source.as_deref().map(clean),
            "time": entry.time,
            "summary": clean(&summary),
            "content": clean(&body),
        }));
    }
    Ok(out)
}

fn atom(
    state: &AppState,
    headers: &HeaderMap,
    title: &str,
    path: &str,
    entries: &[serde_json::Value],
) -> Result<Response, Failure> {
    let template = state
        .templates
        .get_template("atom.xml")
        .map_err(|e| Failure::internal(e.to_string()))?;
    let updated = entries
        .iter()
        .filter_map(|e| e["time"].as_str().map(str::to_string))
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let title = akhbar_model::clean_text(title);
    let body = template
        .render(minijinja::context! { title, base => state.base_url.clone().unwrap_or_else(|| base_url(headers)), path, updated, entries })
        .map_err(|e| Failure::internal(e.to_string()))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// A feed's id without its optional `.atom`, and the feed's own path (`/feeds/KIND/ID`).
fn feed_of(kind: &str, id: &str) -> (String, String) {
    let id = id.strip_suffix(".atom").unwrap_or(id).to_string();
    let path = format!(
        "/feeds/{kind}/{}",
        url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
    );
    (id, path)
}

pub async fn source(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let (id, path) = feed_of("sources", &id);
    let (name, entries) = state
        .read(move |store| {
            // A polled source by its id, or an outlet the archive's articles name.
            let name = match id.parse::<i64>() {
                Ok(number) => {
                    store
                        .source(number)
                        .map_err(Failure::store)?
                        .ok_or_else(|| Failure::not_found(format!("no source {number}")))?
                        .name
                }
                Err(_) => {
                    crate::api::outlet_articles(store, &id)?;
                    id
                }
            };
            let entries = store.source_articles(&name, ENTRIES, 0).map_err(Failure::store)?;
            Ok((name, with_text(store, entries)?))
        })
        .await?;
    atom(&state, &headers, &name, &path, &entries)
}

pub async fn entity(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let (id, path) = feed_of("entities", &id);
    let (name, entries) = state
        .read(move |store| {
            let entity = store
                .entity(&id)
                .map_err(Failure::store)?
                .ok_or_else(|| Failure::not_found(format!("no entity {id:?}")))?;
            let entries = store.entity_articles(&id, ENTRIES, 0).map_err(Failure::store)?;
            Ok((entity.name, with_text(store, entries)?))
        })
        .await?;
    atom(&state, &headers, &name, &path, &entries)
}

/// A story's latest articles, whichever outlet (a story followed until its event is over).
pub async fn story(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let (id, path) = feed_of("stories", &id);
    let (title, entries) = state
        .read(move |store| {
            let story = store
                .story(&id)
                .map_err(Failure::store)?
                .ok_or_else(|| Failure::not_found(format!("no story {id:?}")))?;
            let mut entries = Vec::new();
            for article in story.articles.iter().rev() {
                let Some(seq) = store.article_seq(article).map_err(Failure::store)? else {
                    continue;
                };
                entries.extend(store.summary_of_seq(seq).map_err(Failure::store)?);
            }
            entries.sort_by(|a, b| b.time.cmp(&a.time));
            entries.truncate(ENTRIES);
            Ok((story.title, with_text(store, entries)?))
        })
        .await?;
    atom(&state, &headers, &title, &path, &entries)
}

/// One of the site's saved searches, by its follow id.
pub(crate) fn saved_search(store: &akhbar_store::Store, id: i64) -> Result<akhbar_store::Follow, Failure> {
    store
        .follows()
        .map_err(Failure::store)?
        .into_iter()
        .find(|f| f.id == id && f.kind == "search")
        .ok_or_else(|| Failure::not_found(format!("no saved search {id}")))
}

pub async fn search(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let (id, path) = feed_of("searches", &id);
    let id: i64 = id.parse().map_err(|_| Failure::bad_request("not a saved search id"))?;
    let (query, entries) = state
        .read(move |store| {
            let follow = saved_search(store, id)?;
            let hits = store.search(&follow.target, ENTRIES).map_err(Failure::store)?;
            let mut entries = Vec::new();
            for hit in hits {
                let story = store.story_of(hit.id.as_str()).map_err(Failure::store)?.map(|(s, _)| s);
                entries.push(ArticleSummary {
                    id: hit.id.as_str().to_string(),
                    title: hit.title,
                    source: hit.source,
                    time: hit.date.unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
                    story,
                });
            }
            entries.sort_by(|a, b| b.time.cmp(&a.time));
            Ok((follow.target, with_text(store, entries)?))
        })
        .await?;
    atom(&state, &headers, &query, &path, &entries)
}
