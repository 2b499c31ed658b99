//! The Google Reader API, in the dialect FreshRSS serves at `/api/greader.php/`, so that reader
//! apps (newsboat, Reeder, NetNewsWire, FeedMe, Read You, Fluent Reader…) sync with akhbar:
//! log in, list subscriptions (a reader's follows) and folders (their labels), read streams of
//! items (articles) with continuation, mark read, unread and starred, mark all as read,
//! subscribe and unsubscribe. README.md ("Reader apps") lists the endpoints and parameters.
//!
//! Item ids are the articles' database sequence numbers: decimal in `stream/items/ids`, and
//! `tag:google.com,2005:reader/item/` with 16 hex digits in items; both are accepted back.
//! Every call but the login needs `Authorization: GoogleLogin auth=TOKEN`; writes that carry a
//! `T` must carry the session's (`reader/api/0/token`). Wrong passwords and tokens count
//! toward the same per-address limit as wrong admin tokens.

use crate::state::{AppState, Failure};
use akhbar_store::{Follow, Item, Store, User};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::Arc;

/// Where the API is served.
pub const PREFIX: &str = "/api/greader.php";
/// The long form of item ids.
const ITEM_PREFIX: &str = "tag:google.com,2005:reader/item/";
const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";
const LABEL: &str = "user/-/label/";
/// Items per stream page: by default, and at most.
const DEFAULT_ITEMS: usize = 20;
const MAX_ITEMS: usize = 1000;
/// Logins checked at once.
static LOGINS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
/// Body of a call at most (a batch of item ids to mark).
const MAX_CALL_BYTES: usize = 256 * 1024;

/// The API's routes, to nest under [`PREFIX`].
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/accounts/ClientLogin", get(client_login).post(client_login))
        .route("/reader/api/0/token", get(token).post(token))
        .route("/reader/api/0/user-info", get(user_info).post(user_info))
        .route(
            "/reader/api/0/subscription/list",
            get(subscription_list).post(subscription_list),
        )
        .route(
            "/reader/api/0/subscription/export",
            get(subscription_export).post(subscription_export),
        )
        .route("/reader/api/0/tag/list", get(tag_list).post(tag_list))
        .route("/reader/api/0/unread-count", get(unread_count).post(unread_count))
        .route(
            "/reader/api/0/stream/contents",
            get(stream_contents).post(stream_contents),
        )
        .route(
            "/reader/api/0/stream/contents/{*stream}",
            get(stream_contents).post(stream_contents),
        )
        .route("/reader/api/0/stream/items/ids", get(item_ids).post(item_ids))
        .route("/reader/atom", get(atom_stream).post(atom_stream))
        .route("/reader/atom/{*stream}", get(atom_stream).post(atom_stream))
        .route(
            "/reader/api/0/stream/items/contents",
            get(items_contents).post(items_contents),
        )
        .route("/reader/api/0/edit-tag", get(edit_tag).post(edit_tag))
        .route(
            "/reader/api/0/mark-all-as-read",
            get(mark_all_as_read).post(mark_all_as_read),
        )
        .route(
            "/reader/api/0/subscription/edit",
            get(subscription_edit).post(subscription_edit),
        )
        .route("/reader/api/0/subscription/quickadd", get(quickadd).post(quickadd))
        .route("/reader/api/0/rename-tag", get(rename_tag).post(rename_tag))
        .route("/reader/api/0/disable-tag", get(disable_tag).post(disable_tag))
}

/// One call: who sent it and its parameters (query string, then a form body), in order.
struct Call {
    client: IpAddr,
    headers: HeaderMap,
    path: String,
    params: Vec<(String, String)>,
}

impl Call {
    async fn read(request: Request) -> Result<Call, Response> {
        let client = crate::auth::client_of(&request);
        let (parts, body) = request.into_parts();
        let mut params: Vec<(String, String)> = parts
            .uri
            .query()
            .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let body = axum::body::to_bytes(body, MAX_CALL_BYTES)
            .await
            .map_err(|_| plain(StatusCode::PAYLOAD_TOO_LARGE, "Request too large"))?;
        params.extend(url::form_urlencoded::parse(&body).into_owned());
        Ok(Call {
            client,
            headers: parts.headers,
            path: parts.uri.path().to_string(),
            params,
        })
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> {
        self.params
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
}

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{text}\n"),
    )
        .into_response()
}

fn failure(failure: Failure) -> Response {
    plain(failure.status, &failure.message)
}

/// 429 while the client is over the limit of wrong passwords and tokens.
fn blocked(state: &AppState, client: IpAddr) -> Option<Response> {
    let wait = state.token_failures.blocked(client)?;
    let mut response = plain(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("Too many failed logins: try again in {wait} s"),
    );
    if let Ok(value) = header::HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    Some(response)
}

fn refused(state: &AppState, call: &Call, what: &str) -> Response {
    let failures = state.token_failures.failed(call.client);
    tracing::warn!(client = %call.client, path = call.path, failures, "{what}");
    plain(StatusCode::UNAUTHORIZED, "Unauthorized!")
}

/// `accounts/ClientLogin`: `Email` and `Passwd` → `SID=…`, `LSID=null`, `Auth=…` lines.
async fn client_login(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let call = match Call::read(request).await {
        Ok(call) => call,
        Err(response) => return response,
    };
    if let Some(response) = blocked(&state, call.client) {
        return response;
    }
    let name = call.get("Email").unwrap_or("").to_string();
    let password = call
        .params
        .iter()
        .find(|(k, _)| k == "Passwd")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    match check_login(&state, call.client, name, password, "reader app logged in").await {
        Ok(Some((_, token))) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("SID={token}\nLSID=null\nAuth={token}\n"),
        )
            .into_response(),
        Ok(None) => plain(StatusCode::UNAUTHORIZED, "Error=BadAuthentication"),
        Err(error) => failure(error),
    }
}

/// Checks a name and password for the reader apps and the sign-in page: the account and a
/// new session token, or `None`, in which case the wrong password counts against `client`'s
/// limit. Password hashing takes 19 MiB and tens of milliseconds by design: logins take
/// turns, so a burst of them cannot take every reading handle.
pub(crate) async fn check_login(
    state: &Arc<AppState>,
    client: IpAddr,
    name: String,
    password: String,
    what: &'static str,
) -> Result<Option<(User, String)>, Failure> {
    let _turn = LOGINS.acquire().await.map_err(|_| Failure {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: "The server is stopping".to_string(),
    })?;
    let login = state
        .read(move |store| store.login(&name, &password).map_err(Failure::store))
        .await?;
    match &login {
        Some((user, _)) => tracing::info!(%client, user = user.name, "{what}"),
        None => {
            let failures = state.token_failures.failed(client);
            tracing::warn!(%client, failures, "wrong user name or password");
        }
    }
    Ok(login)
}

/// A logged-in call: the reader and their session's write token.
struct Session {
    user: User,
    write_token: String,
}

/// Checks the `GoogleLogin auth=` header (and, on writes, a `T` given).
async fn session(state: &Arc<AppState>, call: &Call, write: bool) -> Result<Session, Response> {
    if let Some(response) = blocked(state, call.client) {
        return Err(response);
    }
    let token = call
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("GoogleLogin"))
        .and_then(|v| v.trim().strip_prefix("auth="))
        .map(|v| v.trim().to_string());
    let Some(token) = token else {
        return Err(refused(state, call, "reader API call without a login"));
    };
    let found = state
        .read(move |store| store.session(&token).map_err(Failure::store))
        .await
        .map_err(failure)?;
    let Some((user, write_token)) = found else {
        return Err(refused(state, call, "reader API call with a wrong login token"));
    };
    if write {
        if let Some(given) = call.get("T") {
            if given != write_token {
                return Err(refused(state, call, "reader API write with a wrong T token"));
            }
        }
    }
    Ok(Session { user, write_token })
}

/// Reads the call and its session, or answers.
macro_rules! begin {
    ($state:expr, $request:expr, $write:expr) => {{
        let call = match Call::read($request).await {
            Ok(call) => call,
            Err(response) => return response,
        };
        let session = match session(&$state, &call, $write).await {
            Ok(session) => session,
            Err(response) => return response,
        };
        (call, session)
    }};
}

fn ok() -> Response {
    plain(StatusCode::OK, "OK").into_response()
}

fn json_response(value: Value) -> Response {
    axum::Json(value).into_response()
}

async fn token(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (_, session) = begin!(state, request, false);
    plain(StatusCode::OK, &session.write_token)
}

async fn user_info(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (_, session) = begin!(state, request, false);
    json_response(json!({
        "userId": session.user.id.to_string(),
        "userName": session.user.name,
        "userProfileId": session.user.id.to_string(),
        "userEmail": if session.user.name.contains('@') { session.user.name.clone() } else { String::new() },
        "signupTimeSec": chrono::DateTime::parse_from_rfc3339(&session.user.created).map_or(0, |t| t.timestamp()),
    }))
}

/// What a follow is called, and its page on the site.
pub(crate) fn describe(store: &Store, follow: &Follow) -> Result<(String, String), Failure> {
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let (name, page) = match follow.kind.as_str() {
        "source" => {
            let name = match follow.target.parse::<i64>() {
                Ok(id) => store
                    .source(id)
                    .map_err(Failure::store)?
                    .map_or_else(|| follow.target.clone(), |s| s.name),
                Err(_) => follow.target.clone(),
            };
            let page = format!("/sources/{}", encode(&follow.target));
            (name, page)
        }
        "entity" => {
            let name = store
                .entity(&follow.target)
                .map_err(Failure::store)?
                .map_or_else(|| follow.target.clone(), |e| e.name);
            (name, format!("/entities/{}", encode(&follow.target)))
        }
        "story" => {
            let title = store
                .story(&follow.target)
                .map_err(Failure::store)?
                .map_or_else(|| follow.target.clone(), |s| s.title);
            (title, format!("/stories/{}", encode(&follow.target)))
        }
        _ => (follow.target.clone(), format!("/search?q={}", encode(&follow.target))),
    };
    Ok((follow.title.clone().unwrap_or(name), page))
}

fn base(state: &AppState, headers: &HeaderMap) -> String {
    state
        .base_url
        .clone()
        .unwrap_or_else(|| crate::feeds::base_url(headers))
        .trim_end_matches('/')
        .to_string()
}

fn label_categories(follow: &Follow) -> Vec<Value> {
    follow
        .label
        .iter()
        .map(|label| json!({ "id": format!("{LABEL}{label}"), "label": label }))
        .collect()
}

/// A reader's subscription: the follow, its title, its feed's and its page's addresses.
struct Subscription {
    follow: Follow,
    title: String,
    url: String,
    html_url: String,
}

fn subscriptions(store: &Store, user: i64, base: &str) -> Result<Vec<Subscription>, Failure> {
    let mut out = Vec::new();
    for follow in store.user_follows(user).map_err(Failure::store)? {
        let (title, page) = describe(store, &follow)?;
        // A saved search's Atom feed is the site's; an account's own is read here.
        let url = if follow.kind == "search" {
            format!("{base}{page}")
        } else {
            format!("{base}{}", crate::api::feed_path(&follow))
        };
        out.push(Subscription {
            title,
            url,
            html_url: format!("{base}{page}"),
            follow,
        });
    }
    Ok(out)
}

async fn subscription_list(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, false);
    let base = base(&state, &call.headers);
    let user = session.user.id;
    let listed = state
        .read(move |store| {
            Ok(subscriptions(store, user, &base)?
                .into_iter()
                .map(|s| {
                    json!({
                        "id": format!("feed/{}", s.follow.id),
                        "title": s.title,
                        "categories": label_categories(&s.follow),
                        "url": s.url,
                        "htmlUrl": s.html_url,
                        "iconUrl": "",
                        "sortid": format!("{:08X}", s.follow.id),
                        "firstitemmsec": (usec(&s.follow.created) / 1000).to_string(),
                    })
                })
                .collect::<Vec<Value>>())
        })
        .await;
    match listed {
        Ok(subscriptions) => json_response(json!({ "subscriptions": subscriptions })),
        Err(error) => failure(error),
    }
}

/// `subscription/export`: the reader's subscriptions as OPML 2.0, each folder an outline
/// holding its subscriptions (as FreshRSS exports them), for another reader to import.
async fn subscription_export(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, false);
    let base = base(&state, &call.headers);
    let (user, name) = (session.user.id, session.user.name);
    let listed = state.read(move |store| subscriptions(store, user, &base)).await;
    let listed = match listed {
        Ok(listed) => listed,
        Err(error) => return failure(error),
    };
    let outline = |s: &Subscription| {
        format!(
            "<outline type=\"rss\" text=\"{0}\" title=\"{0}\" xmlUrl=\"{1}\" htmlUrl=\"{2}\"/>",
            escape(&s.title),
            escape(&s.url),
            escape(&s.html_url)
        )
    };
    let mut body = String::new();
    let mut labels: Vec<&str> = listed.iter().filter_map(|s| s.follow.label.as_deref()).collect();
    labels.sort_unstable();
    labels.dedup();
    for label in labels {
        body.push_str(&format!("<outline text=\"{0}\" title=\"{0}\">\n", escape(label)));
        for s in listed.iter().filter(|s| s.follow.label.as_deref() == Some(label)) {
            body.push_str(&format!("  {}\n", outline(s)));
        }
        body.push_str("</outline>\n");
    }
    for s in listed.iter().filter(|s| s.follow.label.is_none()) {
        body.push_str(&format!("{}\n", outline(s)));
    }
    let opml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n<head><title>akhbar: {}</title></head>\n<body>\n{body}</body>\n</opml>\n",
        escape(&name)
    );
    (
        [
            (header::CONTENT_TYPE, "text/x-opml; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"akhbar.opml\""),
        ],
        opml,
    )
        .into_response()
}

async fn tag_list(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (_, session) = begin!(state, request, false);
    let user = session.user.id;
    let labels = state
        .read(move |store| {
            let mut labels: Vec<String> = store
                .user_follows(user)
                .map_err(Failure::store)?
                .into_iter()
                .filter_map(|f| f.label)
                .collect();
            labels.sort();
            labels.dedup();
            Ok(labels)
        })
        .await;
    match labels {
        Ok(labels) => {
            let mut tags = vec![json!({ "id": STARRED })];
            tags.extend(
                labels
                    .into_iter()
                    .map(|l| json!({ "id": format!("{LABEL}{l}"), "type": "folder" })),
            );
            json_response(json!({ "tags": tags }))
        }
        Err(error) => failure(error),
    }
}

/// Unread items per subscription, per folder and in all, with the newest item's time.
async fn unread_count(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (_, session) = begin!(state, request, false);
    let user = session.user.id;
    let answer = state
        .read(move |store| {
            let follows = store.user_follows(user).map_err(Failure::store)?;
            let items = store.reading_list(user, None).map_err(Failure::store)?;
            // (count, newest time in microseconds) per stream id, in a stable order.
            let mut counts: std::collections::BTreeMap<String, (u64, i64)> = std::collections::BTreeMap::new();
            let mut count = |stream: String, micros: i64| {
                let entry = counts.entry(stream).or_insert((0, 0));
                entry.0 += 1;
                entry.1 = entry.1.max(micros);
            };
            for item in items.iter().filter(|i| !i.read) {
                let micros = usec(&item.ingested);
                count(READING_LIST.to_string(), micros);
                let mut labels = Vec::new();
                for follow in follows.iter().filter(|f| item.follows.contains(&f.id)) {
                    count(format!("feed/{}", follow.id), micros);
                    if let Some(label) = &follow.label {
                        if !labels.contains(&label) {
                            labels.push(label);
                            count(format!("{LABEL}{label}"), micros);
                        }
                    }
                }
            }
            let unread: Vec<Value> = counts
                .into_iter()
                .map(|(id, (count, newest))| json!({ "id": id, "count": count, "newestItemTimestampUsec": newest.to_string() }))
                .collect();
            Ok(json!({ "max": unread.iter().filter_map(|u| u["count"].as_u64()).max().unwrap_or(0), "unreadcounts": unread }))
        })
        .await;
    answer.map_or_else(failure, json_response)
}

/// A stream id with the user's part as `-` (`user/1/state/…` is `user/-/state/…`).
fn normal_stream(stream: &str) -> String {
    match stream.strip_prefix("user/").and_then(|rest| rest.split_once('/')) {
        Some((_, rest)) => format!("user/-/{rest}"),
        None => stream.to_string(),
    }
}

/// The items a stream holds for a reader, newest first.
fn stream_items(store: &Store, user: i64, stream: &str) -> Result<Vec<Item>, Failure> {
    let stream = normal_stream(stream);
    if stream == READING_LIST {
        return store.reading_list(user, None).map_err(Failure::store);
    }
    if stream == STARRED || stream == READ {
        let mut items = store.reading_list(user, None).map_err(Failure::store)?;
        items.retain(|i| if stream == STARRED { i.starred } else { i.read });
        return Ok(items);
    }
    let follows = store.user_follows(user).map_err(Failure::store)?;
    let chosen: Vec<i64> = if let Some(label) = stream.strip_prefix(LABEL) {
        follows
            .iter()
            .filter(|f| f.label.as_deref() == Some(label))
            .map(|f| f.id)
            .collect()
    } else if let Some(id) = stream.strip_prefix("feed/").and_then(|id| id.parse::<i64>().ok()) {
        follows.iter().filter(|f| f.id == id).map(|f| f.id).collect()
    } else {
        Vec::new()
    };
    if chosen.is_empty() {
        return Err(Failure::not_found(format!("no stream {stream}")));
    }
    store.reading_list(user, Some(&chosen)).map_err(Failure::store)
}

fn usec(time: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(time).map_or(0, |t| t.timestamp_micros())
}

/// The page of `items` a call asks for (`xt`, `it`, `ot`, `nt`, `r=o`, `n`, `c`) and the
/// continuation of the next page.
fn page(call: &Call, mut items: Vec<Item>, max: usize) -> (Vec<Item>, Option<String>) {
    let has = |item: &Item, tag: &str| match normal_stream(tag).as_str() {
        READ => item.read,
        STARRED => item.starred,
        READING_LIST => true,
        _ => false,
    };
    if let Some(exclude) = call.get("xt") {
        items.retain(|i| !has(i, exclude));
    }
    if let Some(include) = call.get("it") {
        items.retain(|i| has(i, include));
    }
    // `ot`: items stored since this time; `nt`: before it (seconds): apps sync by when akhbar
    // got an article, not by the date it carries.
    if let Some(oldest) = call.get("ot").and_then(|v| v.parse::<i64>().ok()) {
        items.retain(|i| usec(&i.ingested) >= oldest.saturating_mul(1_000_000));
    }
    if let Some(newest) = call.get("nt").and_then(|v| v.parse::<i64>().ok()) {
        items.retain(|i| usec(&i.ingested) <= newest.saturating_mul(1_000_000));
    }
    if call.get("r") == Some("o") {
        items.reverse();
    }
    let n = call
        .get("n")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(DEFAULT_ITEMS)
        .clamp(1, max);
    let start = call.get("c").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    let rest: Vec<Item> = items.into_iter().skip(start).collect();
    let more = rest.len() > n;
    let page: Vec<Item> = rest.into_iter().take(n).collect();
    (page, more.then(|| (start + n).to_string()))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Items as the API writes them, with the reader's state and follows as categories; the
/// content is the article's clean text, with the outlets of its story listed.
fn item_json(store: &Store, user: i64, items: &[Item], base: &str) -> Result<Vec<Value>, Failure> {
    let follows = store.user_follows(user).map_err(Failure::store)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(stored) = store.get(&item.id).map_err(Failure::store)? else {
            continue;
        };
        let article = stored.article;
        let page = format!(
            "{base}/articles/{}",
            url::form_urlencoded::byte_serialize(item.id.as_bytes()).collect::<String>()
        );
        let link = article
            .url
            .clone()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .unwrap_or_else(|| page.clone());
        let mut content: String = article
            .body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| format!("<p>{}</p>", escape(p)))
            .collect();
        if let Some((story_id, _)) = store.story_of(&item.id).map_err(Failure::store)? {
            if let Some(story) = store.story(&story_id).map_err(Failure::store)? {
                let others: Vec<&String> = story
                    .sources
                    .iter()
                    .filter(|s| Some(s.as_str()) != article.source.as_deref())
                    .collect();
                if !others.is_empty() {
                    let names: Vec<String> = others.iter().map(|s| escape(s)).collect();
                    content.push_str(&format!(
                        "<p><a href=\"{base}/stories/{}\">{} ({})</a>: {}</p>",
                        escape(&story.id),
                        escape("Also reported by / نشرته أيضا"),
                        story.sources.len(),
                        names.join("، ")
                    ));
                }
            }
        }
        let mut categories = vec![json!(READING_LIST)];
        if item.read {
            categories.push(json!(READ));
        }
        if item.starred {
            categories.push(json!(STARRED));
        }
        let mut origin = json!({ "streamId": "", "title": article.source.clone().unwrap_or_default(), "htmlUrl": "" });
        for id in &item.follows {
            if let Some(follow) = follows.iter().find(|f| f.id == *id) {
                if let Some(label) = &follow.label {
                    categories.push(json!(format!("{LABEL}{label}")));
                }
                if origin["streamId"] == "" {
                    let (title, follow_page) = describe(store, follow)?;
                    origin = json!({ "streamId": format!("feed/{}", follow.id), "title": title, "htmlUrl": format!("{base}{follow_page}") });
                }
            }
        }
        // `published` is the article's date; the crawl time and timestamp are when akhbar
        // stored it (what apps sync by, and what `mark-all-as-read`'s `ts` compares).
        let stored = usec(&item.ingested);
        let published = usec(&item.time) / 1_000_000;
        out.push(json!({
            "id": format!("{ITEM_PREFIX}{:016x}", item.seq),
            "crawlTimeMsec": (stored / 1000).to_string(),
            "timestampUsec": stored.to_string(),
            "published": published,
            "updated": published,
            "title": article.title,
            "author": article.author.clone().unwrap_or_default(),
            "canonical": [{ "href": link }],
            "alternate": [{ "href": link, "type": "text/html" }],
            "categories": categories,
            "origin": origin,
            "summary": { "direction": "rtl", "content": content },
        }));
    }
    Ok(out)
}

/// The stream of a call: the path after `stream/contents/`, else `s`, else the reading list.
fn stream_of(call: &Call) -> String {
    let from_path = call
        .path
        .split_once("/stream/contents/")
        .map(|(_, rest)| percent_decode(rest))
        .filter(|s| !s.is_empty());
    from_path
        .or_else(|| call.get("s").map(str::to_string))
        .unwrap_or_else(|| READING_LIST.to_string())
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

async fn stream_contents(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, false);
    let base = base(&state, &call.headers);
    let user = session.user.id;
    let stream = stream_of(&call);
    let answer = state
        .read(move |store| {
            let items = stream_items(store, user, &stream)?;
            let updated = items.first().map_or(0, |i| usec(&i.ingested) / 1_000_000);
            let (items, continuation) = page(&call, items, MAX_ITEMS);
            let items = item_json(store, user, &items, &base)?;
            let mut out = json!({ "id": stream, "updated": updated, "items": items });
            if let Some(c) = continuation {
                out["continuation"] = json!(c);
            }
            Ok(out)
        })
        .await;
    answer.map_or_else(failure, json_response)
}

/// The label Google Reader's Atom output gives a state (`read`, `fresh`, `starred`…).
fn state_label(category: &str) -> &str {
    category.rsplit('/').next().unwrap_or(category)
}

/// `reader/atom/{stream}`: the stream as Google Reader's Atom output (what newsboat's
/// Google Reader sources read): each entry's state as a `category` in Google Reader's scheme,
/// `fresh` when unread.
async fn atom_stream(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, false);
    let base = base(&state, &call.headers);
    let user = session.user.id;
    let stream = call
        .path
        .split_once("/reader/atom/")
        .map(|(_, rest)| percent_decode(rest))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| READING_LIST.to_string());
    let answer = state
        .read(move |store| {
            let title = match follow_id(&normal_stream(&stream)) {
                Some(id) => match store
                    .user_follows(user)
                    .map_err(Failure::store)?
                    .iter()
                    .find(|f| f.id == id)
                {
                    Some(follow) => describe(store, follow)?.0,
                    None => stream.clone(),
                },
                None => stream.clone(),
            };
            let items = stream_items(store, user, &stream)?;
            let (items, continuation) = page(&call, items, MAX_ITEMS);
            let items = item_json(store, user, &items, &base)?;
            Ok(atom_xml(&stream, &title, &items, continuation.as_deref()))
        })
        .await;
    match answer {
        Ok(xml) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(error) => failure(error),
    }
}

fn rfc3339(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Items ([`item_json`]) as a Google Reader Atom feed.
fn atom_xml(stream: &str, title: &str, items: &[Value], continuation: Option<&str>) -> String {
    let text = |v: &Value| escape(&akhbar_model::clean_text(v.as_str().unwrap_or("")));
    let updated = items.first().and_then(|i| i["updated"].as_i64()).unwrap_or(0);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:gr=\"http://www.google.com/schemas/reader/atom/\">\n<id>tag:google.com,2005:reader/{}</id>\n<title>{}</title>\n<updated>{}</updated>\n",
        escape(stream),
        escape(&akhbar_model::clean_text(title)),
        rfc3339(updated)
    );
    if let Some(c) = continuation {
        xml.push_str(&format!("<gr:continuation>{}</gr:continuation>\n", escape(c)));
    }
    for item in items {
        xml.push_str("<entry>\n");
        xml.push_str(&format!("<id>{}</id>\n", text(&item["id"])));
        xml.push_str(&format!("<title type=\"text\">{}</title>\n", text(&item["title"])));
        xml.push_str(&format!(
            "<published>{}</published>\n",
            rfc3339(item["published"].as_i64().unwrap_or(0))
        ));
        xml.push_str(&format!(
            "<updated>{}</updated>\n",
            rfc3339(item["updated"].as_i64().unwrap_or(0))
        ));
        xml.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            text(&item["canonical"][0]["href"])
        ));
        let categories: Vec<&str> = item["categories"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut labels: Vec<(&str, &str)> = categories.iter().map(|c| (*c, state_label(c))).collect();
        if !categories.contains(&READ) {
            labels.push(("user/-/state/com.google/fresh", "fresh"));
        }
        for (term, label) in labels {
            xml.push_str(&format!(
                "<category term=\"{}\" scheme=\"http://www.google.com/reader/\" label=\"{}\"/>\n",
                escape(term),
                escape(label)
            ));
        }
        if !item["author"].as_str().unwrap_or("").is_empty() {
            xml.push_str(&format!("<author><name>{}</name></author>\n", text(&item["author"])));
        }
        xml.push_str(&format!(
            "<content type=\"html\">{}</content>\n",
            text(&item["summary"]["content"])
        ));
        xml.push_str(&format!(
            "<source gr:stream-id=\"{}\"><title>{}</title></source>\n",
            text(&item["origin"]["streamId"]),
            text(&item["origin"]["title"])
        ));
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

async fn item_ids(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, false);
    let user = session.user.id;
    let answer = state
        .read(move |store| {
            let stream = call.get("s").unwrap_or(READING_LIST).to_string();
            let items = stream_items(store, user, &stream)?;
            let (items, continuation) = page(&call, items, MAX_ITEMS * 10);
            let refs: Vec<Value> = items
                .iter()
                .map(|i| {
                    json!({
                        "id": i.seq.to_string(),
                        "directStreamIds": [],
                        "timestampUsec": usec(&i.ingested).to_string(),
                    })
                })
                .collect();
            let mut out = json!({ "itemRefs": refs });
            if let Some(c) = continuation {
                out["continuation"] = json!(c);
            }
            Ok(out)
        })
        .await;
    answer.map_or_else(failure, json_response)
}

/// An item id in either form (`tag:google.com,2005:reader/item/` + hex, or decimal).
fn parse_item(id: &str) -> Option<i64> {
    match id.strip_prefix(ITEM_PREFIX) {
        Some(hex) => u64::from_str_radix(hex, 16).ok().map(|v| v as i64),
        None => id.parse::<i64>().ok(),
    }
}

fn item_seqs(call: &Call) -> Result<Vec<i64>, Failure> {
    call.all("i")
        .map(|id| parse_item(id).ok_or_else(|| Failure::bad_request(format!("not an item id: {id:?}"))))
        .collect()
}

async fn items_contents(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, false);
    let base = base(&state, &call.headers);
    let user = session.user.id;
    let answer = state
        .read(move |store| {
            let wanted = item_seqs(&call)?;
            if wanted.len() > MAX_ITEMS {
                return Err(Failure::bad_request(format!("{MAX_ITEMS} items at most")));
            }
            let mut items = Vec::with_capacity(wanted.len());
            for seq in wanted {
                if let Some(item) = store.item(user, seq).map_err(Failure::store)? {
                    items.push(item);
                }
            }
            let items = item_json(store, user, &items, &base)?;
            Ok(json!({ "id": READING_LIST, "updated": chrono::Utc::now().timestamp(), "items": items }))
        })
        .await;
    answer.map_or_else(failure, json_response)
}

/// The state a tag sets: (read, starred).
fn tag_state(tag: &str, add: bool) -> (Option<bool>, Option<bool>) {
    match normal_stream(tag).as_str() {
        READ => (Some(add), None),
        // Kept unread is unread.
        "user/-/state/com.google/kept-unread" if add => (Some(false), None),
        STARRED => (None, Some(add)),
        _ => (None, None),
    }
}

async fn edit_tag(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, true);
    let user = session.user.id;
    let answer = state
        .read(move |store| {
            let seqs = item_seqs(&call)?;
            let mut read = None;
            let mut starred = None;
            for (tag, add) in call
                .all("a")
                .map(|t| (t, true))
                .chain(call.all("r").map(|t| (t, false)))
            {
                let (r, s) = tag_state(tag, add);
                read = r.or(read);
                starred = s.or(starred);
            }
            store.set_item_state(user, &seqs, read, starred).map_err(Failure::store)
        })
        .await;
    answer.map_or_else(failure, |_| ok())
}

async fn mark_all_as_read(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, true);
    let user = session.user.id;
    let answer = state
        .read(move |store| {
            let stream = call.get("s").unwrap_or(READING_LIST).to_string();
            let until = call.get("ts").and_then(|v| v.parse::<i64>().ok()).unwrap_or(i64::MAX);
            let seqs: Vec<i64> = stream_items(store, user, &stream)?
                .into_iter()
                .filter(|i| !i.read && usec(&i.ingested) <= until)
                .map(|i| i.seq)
                .collect();
            store
                .set_item_state(user, &seqs, Some(true), None)
                .map_err(Failure::store)
        })
        .await;
    answer.map_or_else(failure, |_| ok())
}

/// What a subscription request names: an akhbar feed or page address (`/feeds/sources/X`,
/// `/entities/X`, `/search?q=…`), a polled source's feed or site address, `source:NAME`,
/// `entity:ID`, `search:QUERY`, or other words (a saved search).
fn resolve(store: &Store, asked: &str) -> Result<(String, String), Failure> {
    let asked = asked.trim();
    let asked = asked.strip_prefix("feed/").unwrap_or(asked).trim();
    if asked.is_empty() || asked.len() > 2048 {
        return Err(Failure::bad_request(
            "give an address, source:NAME, entity:ID, story:ID or words to search",
        ));
    }
    for kind in ["source", "entity", "story", "search"] {
        if let Some(target) = asked.strip_prefix(kind).and_then(|r| r.strip_prefix(':')) {
            return checked(store, kind, target.trim());
        }
    }
    let Ok(url) = url::Url::parse(asked) else {
        return checked(store, "search", asked);
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Failure::bad_request(format!("not a web address: {asked}")));
    }
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| s.map(percent_decode).collect())
        .unwrap_or_default();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let strip = |s: &str| s.strip_suffix(".atom").unwrap_or(s).to_string();
    match segments.as_slice() {
        ["feeds", "sources", id] | ["sources", id] => return checked(store, "source", &strip(id)),
        ["feeds", "entities", id] | ["entities", id] => return checked(store, "entity", &strip(id)),
        ["feeds", "stories", id] | ["stories", id] => return checked(store, "story", &strip(id)),
        ["feeds", "searches", id] => {
            let id: i64 = strip(id)
                .parse()
                .map_err(|_| Failure::bad_request("not a saved search"))?;
            return Ok(("search".into(), crate::feeds::saved_search(store, id)?.target));
        }
        ["search"] => {
            if let Some((_, q)) = url.query_pairs().find(|(k, _)| k == "q") {
                return checked(store, "search", q.trim());
            }
        }
        _ => {}
    }
    let same = |other: &str| other.trim_end_matches('/') == asked.trim_end_matches('/');
    let source = store
        .sources()
        .map_err(Failure::store)?
        .into_iter()
        .find(|s| same(&s.url) || s.site.as_deref().is_some_and(same));
    match source {
        Some(source) => Ok(("source".into(), source.id.to_string())),
        None => Err(Failure::not_found(format!(
            "{asked}: not a source akhbar polls (an administrator adds sources)"
        ))),
    }
}

pub(crate) fn checked(store: &Store, kind: &str, target: &str) -> Result<(String, String), Failure> {
    if target.is_empty() {
        return Err(Failure::bad_request(format!("{kind}: what to follow is missing")));
    }
    crate::api::check_follow_target(store, kind, target)?;
    Ok((kind.to_string(), target.to_string()))
}

fn follow_id(stream: &str) -> Option<i64> {
    stream.strip_prefix("feed/").and_then(|id| id.parse().ok())
}

async fn subscription_edit(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, true);
    let user = session.user.id;
    let answer = state
        .read(move |store| {
            let action = call.get("ac").unwrap_or("edit").to_string();
            let title = call.get("t").map(str::to_string);
            let add_label = call
                .get("a")
                .and_then(|l| normal_stream(l).strip_prefix(LABEL).map(str::to_string));
            let removes_label = call.all("r").any(|l| normal_stream(l).starts_with(LABEL));
            let streams: Vec<String> = call.all("s").map(str::to_string).collect();
            if streams.is_empty() {
                return Err(Failure::bad_request("s: which subscription"));
            }
            for stream in streams {
                match action.as_str() {
                    "subscribe" => {
                        let (kind, target) = match follow_id(&stream) {
                            Some(_) => return Err(Failure::bad_request("subscribe takes an address")),
                            None => resolve(store, &stream)?,
                        };
                        store
                            .follow_for(user, &kind, &target, add_label.as_deref(), title.as_deref())
                            .map_err(Failure::store)?;
                    }
                    "unsubscribe" => {
                        let id = follow_id(&stream).ok_or_else(|| Failure::bad_request("s: feed/ID"))?;
                        if !store.unfollow_for(user, id).map_err(Failure::store)? {
                            return Err(Failure::not_found(format!("no subscription {stream}")));
                        }
                    }
                    "edit" => {
                        let id = follow_id(&stream).ok_or_else(|| Failure::bad_request("s: feed/ID"))?;
                        let label = add_label.clone().or_else(|| removes_label.then(String::new));
                        if !store
                            .edit_follow(user, id, title.as_deref(), label.as_deref())
                            .map_err(Failure::store)?
                        {
                            return Err(Failure::not_found(format!("no subscription {stream}")));
                        }
                    }
                    other => {
                        return Err(Failure::bad_request(format!(
                            "ac: {other:?} is not subscribe, unsubscribe or edit"
                        )))
                    }
                }
            }
            Ok(())
        })
        .await;
    answer.map_or_else(failure, |()| ok())
}

/// `rename-tag`: `s` (or `t`) the folder, `dest` its new name.
async fn rename_tag(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, true);
    relabel(&state, &call, session.user.id, true).await
}

/// `disable-tag`: `s` (or `t`) the folder; its subscriptions stay, out of any folder.
async fn disable_tag(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, true);
    relabel(&state, &call, session.user.id, false).await
}

/// The folder a call names: `s=user/-/label/NAME`, or `t=NAME`.
fn label_of(value: &str) -> String {
    let stream = normal_stream(value);
    stream
        .strip_prefix(LABEL)
        .map_or_else(|| value.to_string(), str::to_string)
}

async fn relabel(state: &Arc<AppState>, call: &Call, user: i64, rename: bool) -> Response {
    let Some(from) = call.get("s").or_else(|| call.get("t")).map(label_of) else {
        return plain(StatusCode::BAD_REQUEST, "s: which folder");
    };
    let to = if rename {
        match call.get("dest").map(label_of).filter(|d| !d.is_empty()) {
            Some(to) => Some(to),
            None => return plain(StatusCode::BAD_REQUEST, "dest: the folder's new name"),
        }
    } else {
        None
    };
    let answer = state
        .read(move |store| store.rename_label(user, &from, to.as_deref()).map_err(Failure::store))
        .await;
    match answer {
        Ok(0) => plain(StatusCode::NOT_FOUND, "No such folder"),
        Ok(_) => ok(),
        Err(error) => failure(error),
    }
}

async fn quickadd(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (call, session) = begin!(state, request, true);
    let user = session.user.id;
    let answer = state
        .read(move |store| {
            let asked = call
                .get("quickadd")
                .ok_or_else(|| Failure::bad_request("quickadd: an address"))?
                .to_string();
            let (kind, target) = resolve(store, &asked)?;
            let follow = store
                .follow_for(user, &kind, &target, None, None)
                .map_err(Failure::store)?;
            let (title, _) = describe(store, &follow)?;
            Ok(json!({
                "numResults": 1,
                "query": asked,
                "streamId": format!("feed/{}", follow.id),
                "streamName": title,
            }))
        })
        .await;
    match answer {
        Ok(value) => json_response(value),
        Err(error) => (
            error.status,
            axum::Json(json!({ "numResults": 0, "error": error.message })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_in_both_forms() {
        for (id, seq) in [
            ("tag:google.com,2005:reader/item/000000000000001a", Some(26)),
            ("26", Some(26)),
            ("tag:google.com,2005:reader/item/zz", None),
            ("x", None),
        ] {
            assert_eq!(parse_item(id), seq, "{id}");
        }
    }

    #[test]
    fn streams_and_tags() {
        assert_eq!(normal_stream("user/1/state/com.google/read"), READ);
        assert_eq!(normal_stream("user/-/label/المغرب"), "user/-/label/المغرب");
        assert_eq!(normal_stream("feed/3"), "feed/3");
        assert_eq!(tag_state("user/-/state/com.google/read", true), (Some(true), None));
        assert_eq!(
            tag_state("user/-/state/com.google/kept-unread", true),
            (Some(false), None)
        );
        assert_eq!(tag_state("user/-/state/com.google/starred", false), (None, Some(false)));
        assert_eq!(tag_state("user/-/label/x", true), (None, None));
        assert_eq!(percent_decode("feed%2F12"), "feed/12");
        assert_eq!(percent_decode("user/-/label/a+b"), "user/-/label/a+b");
        assert_eq!(
            escape("<b>\"x\" & 'y'</b>"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"
        );
    }
}
