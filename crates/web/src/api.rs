//! The JSON API (`/api/...`), mirroring the pages; documented in `openapi.json`.

use crate::auth::authorized;
use crate::state::{AppState, Failure};
use akhbar_store::{Filters, Store};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type Params = Query<HashMap<String, String>>;

/// Results per page at most.
pub const MAX_PAGE_SIZE: usize = 100;
/// Pages at most (deep paging is what filters are for).
pub const MAX_PAGE: usize = 100;

pub(crate) fn number(
    params: &HashMap<String, String>,
    key: &str,
    default: usize,
    max: usize,
) -> Result<usize, Failure> {
    match params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(Failure::bad_request(format!(
                "{key} must be a whole number from 1 to {max}, not {text:?}"
            ))),
        },
    }
}

pub(crate) fn day(
    params: &HashMap<String, String>,
    key: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, Failure> {
    let Some(text) = params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Some(day.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    akhbar_model::parse_date(text).map(Some).map_err(|_| {
        Failure::bad_request(format!(
            "{key} must be a day (2015-08-10) or an RFC 3339 time, not {text:?}"
        ))
    })
}

/// The end of a range from `params`, exclusive: a day ends at the next midnight (the day is
/// in the range, as a reader of "to 12 July" expects); a time is the end itself.
pub(crate) fn day_end(
    params: &HashMap<String, String>,
    key: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, Failure> {
    let is_day = params
        .get(key)
        .is_some_and(|v| chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").is_ok());
    let end = day(params, key)?;
    Ok(if is_day {
        end.map(|d| d + chrono::Duration::days(1))
    } else {
        end
    })
}

/// An entity filter as typed: an id, or a name (Arabic or English) of an entity in the archive.
fn resolve_entity(store: &Store, given: &str) -> Result<String, Failure> {
    if store.entity(given).map_err(Failure::store)?.is_some() {
        return Ok(given.to_string());
    }
    for id in akhbar_entities::Gazetteer::embedded().ids_named(given) {
        if store.entity(&id).map_err(Failure::store)?.is_some() {
            return Ok(id);
        }
    }
    Err(Failure::bad_request(format!(
        "entity: no name or id {given:?} in the archive"
    )))
}

/// The articles of an outlet the archive's articles name; 404 when none does.
pub(crate) fn outlet_articles(store: &Store, name: &str) -> Result<u64, Failure> {
    match store.outlet_articles(name).map_err(Failure::store)? {
        0 => Err(Failure::not_found(format!("no source or outlet named {name:?}"))),
        n => Ok(n),
    }
}

pub(crate) fn text<'a>(params: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// A search with its filters, page and facets; shared by `/search` and `/api/search`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResult {
    pub query: String,
    pub page: usize,
    pub has_more: bool,
    /// Articles that match, copies included.
    pub total: usize,
    pub all_words: bool,
    pub results: Vec<Value>,
    pub facets: Value,
}

/// One search result as `/api/search` lists it (one machine's and a cluster's).
pub(crate) fn result_json(hit: &akhbar_store::Hit, story: Option<&str>, story_articles: Option<u64>) -> Value {
    json!({
        "id": hit.id.as_str(),
        "title": hit.title,
        "source": hit.source,
        "url": hit.url,
        "date": hit.date,
        "score": hit.score,
        "snippet": hit.snippet.to_html(),
        "story": story,
        "story_articles": story_articles,
    })
}

/// Entities listed in a search's facets.
const ENTITY_FACETS: usize = 15;

/// Runs a search; with `entity_facets`, also the entities its matches mention most (a few
/// milliseconds more: the search page always shows them, the API on `entity_facets=1`).
pub(crate) fn run_search(
    store: &Store,
    params: &HashMap<String, String>,
    entity_facets: bool,
) -> Result<SearchResult, Failure> {
    let query = text(params, "q")
        .ok_or_else(|| Failure::bad_request("q (the query) is required"))?
        .to_string();
    let size = number(params, "limit", 20, MAX_PAGE_SIZE)?;
    let page = number(params, "page", 1, MAX_PAGE)?;
    let collapse = params.get("collapse").is_none_or(|v| v != "0" && v != "false");
    let entity = match text(params, "entity") {
        Some(entity) => Some(resolve_entity(store, entity)?),
        None => None,
    };
    let filters = Filters {
        entity,
        source: text(params, "source").map(str::to_string),
        since: day(params, "since")?,
        until: day_end(params, "until")?,
    };
    let found = store
        .search_page(&query, &filters, page, size, collapse)
        .map_err(Failure::store)?;
    let results: Vec<Value> = found
        .hits
        .into_iter()
        .map(|(hit, story, story_articles)| result_json(&hit, story.as_deref(), story_articles))
        .collect();
    let (has_more, total, all_words, sources) = (found.has_more, found.total, found.all_words, found.sources);
    let mut facets = json!({ "sources": sources });
    if entity_facets {
        let entities = store
            .entity_facets(&found.matches, ENTITY_FACETS)
            .map_err(Failure::store)?;
        facets["entities"] = json!(entities);
    }
    Ok(SearchResult {
        query,
        page,
        has_more,
        total,
        all_words,
        results,
        facets,
    })
}

pub async fn search(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<Json<SearchResult>, Failure> {
    let entity_facets = params.get("entity_facets").is_some_and(|v| v == "1" || v == "true");
    Ok(Json(
        state
            .read(move |store| run_search(store, &params, entity_facets))
            .await?,
    ))
}

pub async fn stories(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<Json<Value>, Failure> {
    let size = number(&params, "limit", 20, MAX_PAGE_SIZE)?;
    let page = number(&params, "page", 1, MAX_PAGE)?;
    let since = day(&params, "since")?.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let stories = state
        .read(move |store| {
            store
                .stories(since.as_deref(), size, (page - 1) * size)
                .map_err(Failure::store)
        })
        .await?;
    Ok(Json(json!({ "page": page, "stories": stories })))
}

/// A story with its articles in order, copies marked.
pub(crate) fn story_detail(store: &Store, id: &str) -> Result<Value, Failure> {
    let story = store
        .story(id)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::not_found(format!("no story {id:?}")))?;
    let mut items = Vec::new();
    for article_id in &story.articles {
        let Some(stored) = store.get(article_id).map_err(Failure::store)? else {
            continue;
        };
        let copy_of = store.story_of(article_id).map_err(Failure::store)?.and_then(|(_, c)| c);
        items.push(json!({
            "id": article_id,
            "title": stored.article.title,
            "source": stored.article.source,
            "url": stored.article.url,
            "date": stored.article.date.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            "copy_of": copy_of,
        }));
    }
    let mut related = Vec::new();
    for other in &story.related {
        if let Some(other) = store.story(other).map_err(Failure::store)? {
            related.push(json!({
                "id": other.id,
                "title": other.title,
                "articles": other.articles.len(),
                "sources": other.sources.len(),
                "first_seen": other.first_seen,
                "last_seen": other.last_seen,
            }));
        }
    }
    let mut value = serde_json::to_value(&story).map_err(|e| Failure::internal(e.to_string()))?;
    value["items"] = Value::Array(items);
    value["related_stories"] = Value::Array(related);
    Ok(value)
}

pub async fn story(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Json<Value>, Failure> {
    Ok(Json(state.read(move |store| story_detail(store, &id)).await?))
}

pub(crate) fn article_detail(store: &Store, id: &str) -> Result<Value, Failure> {
    let stored = store
        .get(id)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::not_found(format!("no article {id:?}")))?;
    let entities = store.article_entities(id).map_err(Failure::store)?;
    let (story, copy_of) = store
        .story_of(id)
        .map_err(Failure::store)?
        .map_or((None, None), |(s, c)| (Some(s), c));
    let article = stored.article;
    Ok(json!({
        "id": id,
        "title": article.title,
        "body": article.body,
        "source": article.source,
        "url": article.url,
        "date": article.date.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        "author": article.author,
        "entities": entities,
        "story": story,
        "copy_of": copy_of,
    }))
}

pub async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Json<Value>, Failure> {
    Ok(Json(state.read(move |store| article_detail(store, &id)).await?))
}

pub async fn entities(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<Json<Value>, Failure> {
    let size = number(&params, "limit", 50, 1000)?;
    let kind = match text(&params, "type") {
        None => None,
        Some(t) => Some(
            akhbar_entities::Kind::parse(t)
                .ok_or_else(|| Failure::bad_request(format!("type must be PER, LOC, ORG or MISC, not {t:?}")))?,
        ),
    };
    let list = state
        .read(move |store| store.entities(kind, size).map_err(Failure::store))
        .await?;
    Ok(Json(json!({ "entities": list })))
}

/// `/api/rising[?at=RFC3339]`: names far above their usual attention in the 24 hours to
/// `at` (by default the latest article), and the stories outlets joined in them.
pub async fn rising(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<Json<Value>, Failure> {
    let at = day(&params, "at")?;
    let rising = state
        .read(move |store| store.rising(at).map_err(Failure::store))
        .await?;
    Ok(Json(json!(rising)))
}

pub(crate) fn entity_detail(store: &Store, id: &str) -> Result<Value, Failure> {
    let entity = store
        .entity(id)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::not_found(format!("no entity {id:?}")))?;
    let daily = store.entity_daily(id).map_err(Failure::store)?;
    let companions: Vec<Value> = store
        .entity_companions(id, 12)
        .map_err(Failure::store)?
        .into_iter()
        .map(|(id, name, kind, articles)| json!({"id": id, "name": name, "type": kind, "articles": articles}))
        .collect();
    let stories = store.entity_stories(id, 20).map_err(Failure::store)?;
    let articles = store.entity_articles(id, 20, 0).map_err(Failure::store)?;
    Ok(json!({
        "entity": entity,
        "daily": daily,
        "companions": companions,
        "stories": stories,
        "articles": articles,
    }))
}

pub async fn entity(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Json<Value>, Failure> {
    Ok(Json(state.read(move |store| entity_detail(store, &id)).await?))
}

pub async fn sources(State(state): State<Arc<AppState>>) -> Result<Json<Value>, Failure> {
    let list = state.read(|store| store.sources().map_err(Failure::store)).await?;
    Ok(Json(json!({ "sources": list })))
}

#[derive(serde::Deserialize)]
pub struct NewSource {
    url: String,
    name: Option<String>,
}

fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    serde_json::from_slice(body).map_err(|e| Failure::bad_request(format!("request body: {e}")))
}

pub async fn add_source(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    if !authorized(&headers, &state.admin_token) {
        return Err(Failure::unauthorized());
    }
    let new: NewSource = json_body(&body)?;
    let options = state.http.clone();
    let (source, created) = state
        .write(move |store| {
            let client = akhbar_fetch::HttpClient::new(options).map_err(|e| Failure::internal(e.to_string()))?;
            akhbar_pipeline::add_source(store, &client, &new.url, new.name.as_deref()).map_err(|e| match e {
                akhbar_pipeline::AddError::Store(e) => Failure::store(e),
                other => Failure {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    message: other.to_string(),
                },
            })
        })
        .await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(source)).into_response())
}

fn id_number(id: &str) -> Result<i64, Failure> {
    id.parse()
        .map_err(|_| Failure::bad_request(format!("{id:?} is not an id")))
}

pub async fn remove_source(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, Failure> {
    if !authorized(&headers, &state.admin_token) {
        return Err(Failure::unauthorized());
    }
    let id = id_number(&id)?;
    let removed = state
        .write(move |store| store.remove_source(id).map_err(Failure::store))
        .await?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::not_found(format!("no source {id}")))
    }
}

/// The Atom feed of a follow.
fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}

pub(crate) fn feed_path(follow: &akhbar_store::Follow) -> String {
    match follow.kind.as_str() {
        "source" => format!("/feeds/sources/{}", encode(&follow.target)),
        "entity" => format!("/feeds/entities/{}", encode(&follow.target)),
        "story" => format!("/feeds/stories/{}", encode(&follow.target)),
        _ => format!("/feeds/searches/{}", follow.id),
    }
}

pub async fn follows(State(state): State<Arc<AppState>>) -> Result<Json<Value>, Failure> {
    let list = state.read(|store| store.follows().map_err(Failure::store)).await?;
    let list: Vec<Value> = list
        .into_iter()
        .map(|f| {
            let feed = feed_path(&f);
            let mut value = serde_json::to_value(&f).unwrap_or_default();
            value["feed"] = json!(feed);
            value
        })
        .collect();
    Ok(Json(json!({ "follows": list })))
}

#[derive(serde::Deserialize)]
pub struct NewFollow {
    kind: String,
    target: String,
    /// Where to POST alerts of its new articles (`""`: none).
    #[serde(default)]
    webhook: Option<String>,
    /// Where to e-mail digests of its new articles (`""`: none).
    #[serde(default)]
    email: Option<String>,
    /// Minutes at least between two digests (60 by default).
    #[serde(default)]
    email_every: Option<i64>,
}

/// What a follow names exists: a polled source's id or an outlet the archive's articles
/// name, an entity, a story; a search is any words.
pub(crate) fn check_follow_target(store: &Store, kind: &str, target: &str) -> Result<(), Failure> {
    match kind {
        "source" => match target.parse::<i64>() {
            Ok(id) => {
                store
                    .source(id)
                    .map_err(Failure::store)?
                    .ok_or_else(|| Failure::not_found(format!("no source {id}")))?;
            }
            // An outlet the archive's articles name, polled or not.
            Err(_) => {
                outlet_articles(store, target)?;
            }
        },
        "entity" => {
            store
                .entity(target)
                .map_err(Failure::store)?
                .ok_or_else(|| Failure::not_found(format!("no entity {target:?}")))?;
        }
        "story" => {
            store
                .story(target)
                .map_err(Failure::store)?
                .ok_or_else(|| Failure::not_found(format!("no story {target:?}")))?;
        }
        "search" => {}
        other => {
            return Err(Failure::bad_request(format!(
                "kind must be source, entity, story or search, not {other:?}"
            )))
        }
    }
    Ok(())
}

pub async fn add_follow(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    if !authorized(&headers, &state.admin_token) {
        return Err(Failure::unauthorized());
    }
    let new: NewFollow = json_body(&body)?;
    let target = new.target.trim().to_string();
    let webhook = new.webhook.clone();
    let email = new.email.clone().map(|e| e.trim().to_string());
    let email_every = new.email_every.unwrap_or(60);
    if let Some(to) = email.as_deref().filter(|e| !e.is_empty()) {
        let plausible = to.len() <= 254
            && to
                .split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && (host.contains('.') || host == "localhost"))
            && !to
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        if !plausible {
            return Err(Failure::bad_request(format!("email: {to:?} is not an e-mail address")));
        }
    }
    if !(0..=7 * 24 * 60).contains(&email_every) {
        return Err(Failure::bad_request("email_every: minutes, 0 to 10080"));
    }
    if let Some(url) = webhook.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        akhbar_fetch::check_url(url, state.http.allow_private)
            .map_err(|e| Failure::bad_request(format!("webhook: {e}")))?;
    }
    if target.is_empty() || target.len() > 2048 {
        return Err(Failure::bad_request("target must be 1 to 2048 bytes"));
    }
    let follow = state
        .write(move |store| {
            check_follow_target(store, &new.kind, &target)?;
            let follow = store.add_follow(&new.kind, &target).map_err(Failure::store)?;
            let secret = match webhook {
                Some(url) => {
                    let secret = crate::auth::random_hex();
                    let url = url.trim();
                    store
                        .set_webhook(follow.id, (!url.is_empty()).then_some(url), &secret)
                        .map_err(Failure::store)?;
                    (!url.is_empty()).then_some((url.to_string(), secret))
                }
                None => None,
            };
            if let Some(to) = &email {
                store
                    .set_email(follow.id, (!to.is_empty()).then_some(to.as_str()), email_every)
                    .map_err(Failure::store)?;
            }
            Ok((follow, secret))
        })
        .await?;
    let (follow, webhook) = follow;
    let feed = feed_path(&follow);
    let mut value = serde_json::to_value(&follow).unwrap_or_default();
    value["feed"] = json!(feed);
    if let Some((url, secret)) = webhook {
        // The secret is shown once: the receiver checks X-Akhbar-Signature with it.
        value["webhook"] = json!(url);
        value["webhook_secret"] = json!(secret);
    }
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

pub async fn remove_follow(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, Failure> {
    if !authorized(&headers, &state.admin_token) {
        return Err(Failure::unauthorized());
    }
    let id = id_number(&id)?;
    if state
        .write(move |store| store.remove_follow(id).map_err(Failure::store))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::not_found(format!("no follow {id}")))
    }
}

/// `GET /api/follows/{id}/deliveries` (admin): the follow's webhook and its last 50
/// deliveries, newest first.
pub async fn deliveries(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, Failure> {
    if !authorized(&headers, &state.admin_token) {
        return Err(Failure::unauthorized());
    }
    let id = id_number(&id)?;
    let ((webhook, email), deliveries) = state
        .read(move |store| {
            store
                .follow(id)
                .map_err(Failure::store)?
                .ok_or_else(|| Failure::not_found(format!("no follow {id}")))?;
            Ok((
                store.alert_targets(id).map_err(Failure::store)?,
                store.deliveries(id, 50).map_err(Failure::store)?,
            ))
        })
        .await?;
    Ok(Json(
        json!({ "follow": id, "webhook": webhook, "email": email, "deliveries": deliveries }),
    ))
}

#[derive(serde::Deserialize)]
pub struct NewUser {
    name: String,
    password: String,
}

/// `GET /api/users` (admin): the readers' accounts.
pub async fn users(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Json<Value>, Failure> {
    if !authorized(&headers, &state.admin_token) {
        return Err(Failure::unauthorized());
    }
    let users = state.read(|store| store.users().map_err(Failure::store)).await?;
    Ok(Json(json!({ "users": users })))
}

/// `POST /api/users` (admin): makes a reader's account.
pub async fn add_user(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    if !authorized(&headers, &state.admin_token) {
        return Err(Failure::unauthorized());
    }
    let new: NewUser = json_body(&body)?;
    let user = state
        .write(move |store| store.add_user(new.name.trim(), &new.password).map_err(Failure::store))
        .await?;
    tracing::info!(user = user.name, "account made");
    Ok((StatusCode::CREATED, Json(json!(user))).into_response())
}

pub async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        include_str!("../openapi.json"),
    )
        .into_response()
}

pub async fn health(State(state): State<Arc<AppState>>) -> Response {
    // Reads the database and the index for the asking: a store that cannot answer (out of
    // file descriptors, a broken disk) is 503, not "ok" with nothing in it.
    match state.read(|store| store.health().map_err(Failure::store)).await {
        Ok((articles, documents)) => {
            Json(json!({ "status": "ok", "articles": articles, "index_documents": documents })).into_response()
        }
        Err(failure) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "error": failure.message })),
        )
            .into_response(),
    }
}
