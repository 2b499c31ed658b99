//! A reader's own pages: signing in with an account, the reading list with unread counts per
//! follow, and marking articles read, unread or starred, all without a script (forms).
//!
//! Signing in opens the same kind of session the reader apps get (`Store::login`); the page
//! keeps its token in a cookie that is `HttpOnly` and `SameSite=Lax`, so another site's form
//! does not send it, and every form that changes something also carries the session's write
//! token, which another site cannot read. Pages read without a cookie are the anonymous site,
//! unchanged. Opening an article marks it read, as Miniflux does by default.

use crate::i18n::Lang;
use crate::state::{AppState, Failure};
use akhbar_store::Item;
use axum::extract::{Form, FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The session cookie's name.
pub(crate) const COOKIE: &str = "akhbar_session";

/// Articles on one page of the reading list.
pub const READING_PAGE: usize = 50;

tokio::task_local! {
    static VIEWER: Option<Viewer>;
}

/// The signed-in reader of the request being answered.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Viewer {
    /// Account id.
    #[serde(skip)]
    pub(crate) id: i64,
    /// Login name.
    pub(crate) name: String,
    /// The session's write token, which every form that changes something carries.
    pub(crate) csrf: String,
    /// The session token (from the cookie).
    #[serde(skip)]
    token: String,
}

/// The signed-in reader, if any, of the request being answered (inside [`viewer_layer`]).
pub(crate) fn viewer() -> Option<Viewer> {
    VIEWER.try_with(Clone::clone).ok().flatten()
}

/// The session token a request's cookies carry.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim_matches('"').to_string())
        .filter(|token| !token.is_empty())
}

/// Finds the reader a page request's cookie names, for the handlers and templates. The API,
/// the feeds and the reader apps' calls do not look (they have their own credentials).
pub(crate) async fn viewer_layer(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let page = !["/api/", "/feeds/", "/static/", "/healthz", "/metrics"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    let viewer = match cookie_token(request.headers()).filter(|_| page) {
        Some(token) => {
            let lookup = token.clone();
            state
                .read(move |store| store.session(&lookup).map_err(Failure::store))
                .await
                // The page is still answered, as to an anonymous reader; the failure is said.
                .inspect_err(|failure| tracing::warn!(message = failure.message, "session not read"))
                .ok()
                .flatten()
                .map(|(user, csrf)| Viewer {
                    id: user.id,
                    name: user.name,
                    csrf,
                    token,
                })
        }
        None => None,
    };
    VIEWER.scope(viewer, next.run(request)).await
}

/// Where a form goes back to: a path of this site, else the reading list.
fn back_to(back: Option<&str>) -> String {
    match back {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_string(),
        _ => "/reading".to_string(),
    }
}

/// The session cookie, set (`Some`) or cleared.
fn session_cookie(state: &AppState, token: Option<&str>) -> HeaderValue {
    let secure = if state.base_url.as_deref().is_some_and(|b| b.starts_with("https://")) {
        "; Secure"
    } else {
        ""
    };
    let value = match token {
        Some(token) => format!(
            "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            akhbar_store::SESSION_DAYS * 86_400
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("akhbar_session=; Max-Age=0"))
}

/// The signed-in reader of a form that changes something: the session and its write token
/// must agree, else 403 (a stale page, or another site's form).
fn form_viewer(csrf: &str) -> Result<Viewer, Failure> {
    let viewer = viewer().ok_or_else(|| Failure {
        status: StatusCode::FORBIDDEN,
        message: "sign in first".to_string(),
    })?;
    if !crate::auth::same_token(csrf.as_bytes(), viewer.csrf.as_bytes()) {
        return Err(Failure {
            status: StatusCode::FORBIDDEN,
            message: "this form is out of date: open the page again".to_string(),
        });
    }
    Ok(viewer)
}

/// `GET /login`: the sign-in form.
pub async fn login_page(State(state): State<Arc<AppState>>, Query(params): Query<HashMap<String, String>>) -> Response {
    let lang = crate::pages::lang(&params);
    let next = back_to(params.get("next").map(String::as_str));
    let result = state.render("login.html", lang, minijinja::context! { next, failed => false });
    state.page(lang, result)
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    lang: Option<String>,
    next: Option<String>,
}

/// `POST /login`: a right name and password open a session (a cookie) and go on to `next`; a
/// wrong one counts against the client's limit of failures, as a wrong admin token does.
pub async fn login(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let client = crate::auth::client_of(&request);
    let form = match Form::<LoginForm>::from_request(request, &()).await {
        Ok(Form(form)) => form,
        Err(rejection) => return rejection.into_response(),
    };
    let lang = Lang::from_param(form.lang.as_deref());
    let next = back_to(form.next.as_deref());
    let name = form.name.trim().to_string();
    match crate::greader::check_login(&state, client, name, form.password, "signed in").await {
        Ok(Some((_, token))) => {
            let mut response = Redirect::to(&next).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&state, Some(&token)));
            response
        }
        Ok(None) => {
            let result = state.render("login.html", lang, minijinja::context! { next, failed => true });
            let mut response = state.page(lang, result);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
        Err(failure) => state.page(lang, Err(failure)),
    }
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /logout`: ends the session and clears the cookie.
pub async fn logout(State(state): State<Arc<AppState>>, Form(form): Form<CsrfForm>) -> Response {
    let result = async {
        let viewer = form_viewer(&form.csrf)?;
        let token = viewer.token.clone();
        state
            .read(move |store| store.logout(&token).map_err(Failure::store))
            .await?;
        let mut response = Redirect::to("/").into_response();
        response
            .headers_mut()
            .insert(header::SET_COOKIE, session_cookie(&state, None));
        Ok(response)
    }
    .await;
    answer(&state, result)
}

/// A form's answer: where it sends the browser next, or its failure as the error page.
fn answer(state: &AppState, result: Result<Response, Failure>) -> Response {
    result.unwrap_or_else(|failure| state.page(Lang::Ar, Err(failure)))
}

/// Which articles of the reading list a view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    Unread,
    All,
    Starred,
}

/// A view of the reading list: one follow or all, and which articles.
#[derive(Debug, Clone)]
struct View {
    follow: Option<i64>,
    show: Show,
}

impl View {
    fn of(params: &HashMap<String, String>) -> View {
        View {
            follow: params.get("follow").and_then(|f| f.parse().ok()),
            show: match params.get("show").map(String::as_str) {
                Some("all") => Show::All,
                Some("starred") => Show::Starred,
                _ => Show::Unread,
            },
        }
    }

    fn keeps(&self, item: &Item) -> bool {
        self.follow.is_none_or(|f| item.follows.contains(&f))
            && match self.show {
                Show::Unread => !item.read,
                Show::All => true,
                Show::Starred => item.starred,
            }
    }

    /// The view's query string (without `lang` and `page`).
    fn query(&self) -> String {
        let show = match self.show {
            Show::Unread => "unread",
            Show::All => "all",
            Show::Starred => "starred",
        };
        match self.follow {
            Some(f) => format!("show={show}&follow={f}"),
            None => format!("show={show}"),
        }
    }
}

/// `GET /reading`: the signed-in reader's follows with their unread counts, and the articles
/// of the view (unread by default, newest stored first), each with its buttons.
pub async fn reading(State(state): State<Arc<AppState>>, Query(params): Query<HashMap<String, String>>) -> Response {
    let lang = crate::pages::lang(&params);
    let Some(viewer) = viewer() else {
        return Redirect::to(&format!("/login?lang={}&next=/reading", lang.code())).into_response();
    };
    let view = View::of(&params);
    let page_number = crate::api::number(&params, "page", 1, crate::api::MAX_PAGE);
    let result = async {
        let page_number = page_number?;
        let user = viewer.id;
        let shown = view.clone();
        let (follows, total_unread, items, until, has_more) = state
            .read(move |store| {
                let follows = store.user_follows(user).map_err(Failure::store)?;
                let list = store.reading_list(user, None).map_err(Failure::store)?;
                let unread_of = |id: i64| list.iter().filter(|i| !i.read && i.follows.contains(&id)).count();
                let mut listed = Vec::with_capacity(follows.len());
                for follow in &follows {
                    let (name, page) = crate::greader::describe(store, follow)?;
                    listed.push(json!({
                        "id": follow.id, "kind": follow.kind, "name": name, "page": page,
                        "label": follow.label, "unread": unread_of(follow.id),
                    }));
                }
                let total_unread = list.iter().filter(|i| !i.read && !i.follows.is_empty()).count();
                let kept: Vec<&Item> = list.iter().filter(|i| shown.keeps(i)).collect();
                // "Mark all as read" marks what this page knew of, not what came in since.
                let until = kept.first().map_or(0, |i| i.seq);
                let start = (page_number - 1) * READING_PAGE;
                let mut items = Vec::new();
                for item in kept.iter().skip(start).take(READING_PAGE) {
                    let Some(summary) = store.summary_of_seq(item.seq).map_err(Failure::store)? else {
                        continue;
                    };
                    items.push(json!({
                        "seq": item.seq, "id": summary.id, "title": summary.title, "source": summary.source,
                        "time": summary.time, "story": summary.story, "read": item.read, "starred": item.starred,
                    }));
                }
                let has_more = kept.len() > start + READING_PAGE;
                Ok((listed, total_unread, items, until, has_more))
            })
            .await?;
        let here = format!("/reading?{}&lang={}&page={page_number}", view.query(), lang.code());
        state.render(
            "reading.html",
            lang,
            minijinja::context! {
                follows, total_unread, items, until, has_more, page => page_number, here,
                query => view.query(), follow => view.follow,
                show => match view.show { Show::Unread => "unread", Show::All => "all", Show::Starred => "starred" },
            },
        )
    }
    .await;
    state.page(lang, result)
}

#[derive(serde::Deserialize)]
pub struct MarkForm {
    csrf: String,
    seq: i64,
    /// `1` read, `0` unread.
    read: Option<u8>,
    /// `1` starred, `0` not.
    star: Option<u8>,
    back: Option<String>,
}

/// `POST /reading/mark`: one article read or unread, starred or not.
pub async fn mark(State(state): State<Arc<AppState>>, Form(form): Form<MarkForm>) -> Response {
    let result = async {
        let viewer = form_viewer(&form.csrf)?;
        let (read, starred) = (form.read.map(|r| r == 1), form.star.map(|s| s == 1));
        let seq = form.seq;
        let changed = state
            .read(move |store| {
                store
                    .set_item_state(viewer.id, &[seq], read, starred)
                    .map_err(Failure::store)
            })
            .await?;
        if changed == 0 {
            return Err(Failure::not_found(format!("no article {seq}")));
        }
        // Back on the article's page it would be read again (opening it marks it read).
        let back = match form.back.as_deref() {
            Some(back) if read == Some(false) && back.starts_with("/articles/") => "/reading".to_string(),
            back => back_to(back),
        };
        Ok(Redirect::to(&back).into_response())
    }
    .await;
    answer(&state, result)
}

#[derive(serde::Deserialize)]
pub struct MarkAllForm {
    csrf: String,
    /// The newest article the page showed: later ones stay unread.
    until: i64,
    follow: Option<i64>,
    back: Option<String>,
}

/// `POST /reading/mark-all`: every unread article of the view (one follow or all) up to the
/// newest the page showed.
pub async fn mark_all(State(state): State<Arc<AppState>>, Form(form): Form<MarkAllForm>) -> Response {
    let result = async {
        let viewer = form_viewer(&form.csrf)?;
        let view = View {
            follow: form.follow,
            show: Show::Unread,
        };
        let until = form.until;
        state
            .read(move |store| {
                let seqs: Vec<i64> = store
                    .reading_list(viewer.id, None)
                    .map_err(Failure::store)?
                    .iter()
                    .filter(|i| view.keeps(i) && i.seq <= until)
                    .map(|i| i.seq)
                    .collect();
                store
                    .set_item_state(viewer.id, &seqs, Some(true), None)
                    .map_err(Failure::store)
            })
            .await?;
        Ok(Redirect::to(&back_to(form.back.as_deref())).into_response())
    }
    .await;
    answer(&state, result)
}

#[derive(serde::Deserialize)]
pub struct FollowForm {
    csrf: String,
    kind: String,
    target: String,
}

/// `POST /reading/follow`: the follow buttons of entity, source and search pages for a
/// signed-in reader (their own follows; no admin token).
pub async fn follow(State(state): State<Arc<AppState>>, Form(form): Form<FollowForm>) -> Response {
    let result = async {
        let viewer = form_viewer(&form.csrf)?;
        let follow = state
            .read(move |store| {
                let (kind, target) = crate::greader::checked(store, &form.kind, form.target.trim())?;
                store
                    .follow_for(viewer.id, &kind, &target, None, None)
                    .map_err(Failure::store)
            })
            .await?;
        Ok(Redirect::to(&format!("/reading?show=all&follow={}", follow.id)).into_response())
    }
    .await;
    answer(&state, result)
}

#[derive(serde::Deserialize)]
pub struct UnfollowForm {
    csrf: String,
    id: i64,
}

/// `POST /reading/unfollow`: stops one of the reader's own follows.
pub async fn unfollow(State(state): State<Arc<AppState>>, Form(form): Form<UnfollowForm>) -> Response {
    let result = async {
        let viewer = form_viewer(&form.csrf)?;
        let id = form.id;
        let removed = state
            .read(move |store| store.unfollow_for(viewer.id, id).map_err(Failure::store))
            .await?;
        if !removed {
            return Err(Failure::not_found(format!("you do not follow {id}")));
        }
        Ok(Redirect::to("/reading").into_response())
    }
    .await;
    answer(&state, result)
}

/// An article page opened by a signed-in reader: marks it read and gives its state for the
/// page's buttons (`None` for anonymous readers or an unknown article).
pub(crate) async fn opened(state: &Arc<AppState>, id: String) -> Option<Value> {
    let viewer = viewer()?;
    state
        .read(move |store| {
            let Some(seq) = store.article_seq(&id).map_err(Failure::store)? else {
                return Ok(None);
            };
            store
                .set_item_state(viewer.id, &[seq], Some(true), None)
                .map_err(Failure::store)?;
            let item = store.item(viewer.id, seq).map_err(Failure::store)?;
            Ok(item.map(|i| json!({ "seq": i.seq, "read": i.read, "starred": i.starred })))
        })
        .await
        // The article is still shown, without its buttons; the failure is said.
        .inspect_err(|failure| tracing::warn!(message = failure.message, "article not marked read"))
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_go_back_only_to_this_site() {
        for (back, expected) in [
            (Some("/reading?show=all&page=2"), "/reading?show=all&page=2"),
            (Some("/articles/x"), "/articles/x"),
            (Some("//evil.example/x"), "/reading"),
            (Some("https://evil.example/"), "/reading"),
            (Some("/\\evil.example"), "/reading"),
            (Some(""), "/reading"),
            (None, "/reading"),
        ] {
            assert_eq!(back_to(back), expected, "{back:?}");
        }
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        assert_eq!(cookie_token(&headers), None);
        headers.append(header::COOKIE, "a=1; akhbar_session=7/abc; b=2".parse().unwrap());
        assert_eq!(cookie_token(&headers).as_deref(), Some("7/abc"));
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, "x=1".parse().unwrap());
        headers.append(header::COOKIE, "akhbar_session=\"9/def\"".parse().unwrap());
        assert_eq!(cookie_token(&headers).as_deref(), Some("9/def"));
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, "akhbar_session=; other=1".parse().unwrap());
        assert_eq!(cookie_token(&headers), None);
    }

    #[test]
    fn views_keep_their_articles() {
        let item = |seq, read, starred, follows: &[i64]| Item {
            seq,
            id: format!("a{seq}"),
            time: String::new(),
            ingested: String::new(),
            read,
            starred,
            follows: follows.to_vec(),
        };
        let items = [
            item(1, false, false, &[1]),
            item(2, true, false, &[1, 2]),
            item(3, true, true, &[]),
            item(4, false, true, &[2]),
        ];
        for (query, expected) in [
            ("", vec![1, 4]),
            ("show=all", vec![1, 2, 3, 4]),
            ("show=starred", vec![3, 4]),
            ("follow=1", vec![1]),
            ("show=all&follow=2", vec![2, 4]),
            ("show=starred&follow=1", vec![]),
        ] {
            let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            let view = View::of(&params);
            let kept: Vec<i64> = items.iter().filter(|i| view.keeps(i)).map(|i| i.seq).collect();
            assert_eq!(kept, expected, "{query}");
        }
    }
}
