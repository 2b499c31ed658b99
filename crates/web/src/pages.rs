//! The web pages. Everything from an article reaches the page through a template that
//! escapes it; the only HTML passed through is the search snippet, which the store builds
//! from escaped text and `<b>`.

use crate::api::{self, number, MAX_PAGE};
use crate::i18n::Lang;
use crate::state::{AppState, Failure};
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type Params = Query<HashMap<String, String>>;

const TEMPLATES: [(&str, &str); 14] = [
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("story.html", include_str!("../templates/story.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("entity.html", include_str!("../templates/entity.html")),
    ("sources.html", include_str!("../templates/sources.html")),
    ("source.html", include_str!("../templates/source.html")),
    ("following.html", include_str!("../templates/following.html")),
    ("rising.html", include_str!("../templates/rising.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("reading.html", include_str!("../templates/reading.html")),
    ("error.html", include_str!("../templates/error.html")),
];

/// The templates, parsed once. `.html` and `.xml` templates escape every value.
pub fn templates() -> Result<minijinja::Environment<'static>, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    env.add_template("atom.xml", include_str!("../templates/atom.xml"))?;
    // `{{ time|when(lang) }}`: a time written the same way on every page.
    env.add_filter("when", |time: String, lang: Option<String>, day_only: Option<bool>| {
        crate::i18n::when(&time, Lang::from_param(lang.as_deref()), !day_only.unwrap_or(false))
    });
    // `{{ source|outlet(lang) }}`: an outlet's display name (`spa` → وكالة الأنباء السعودية).
    env.add_filter("outlet", |name: String, lang: Option<String>| {
        crate::i18n::outlet(&name, Lang::from_param(lang.as_deref()))
    });
    // `{{ n|count("articles", lang) }}`: the number with its noun in agreement.
    env.add_filter("count", |n: u64, noun: String, lang: Option<String>| {
        crate::i18n::count(n, &noun, Lang::from_param(lang.as_deref()))
    });
    Ok(env)
}

/// A page, or its error rendered as a page.
struct Page(Result<Html<String>, Failure>, Lang, Arc<AppState>);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        self.2.page(self.1, self.0)
    }
}

pub(crate) fn lang(params: &HashMap<String, String>) -> Lang {
    Lang::from_param(params.get("lang").map(String::as_str))
}

pub async fn home(State(state): State<Arc<AppState>>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        let size = 20;
        let page = number(&params, "page", 1, MAX_PAGE)?;
        let stories = state
            .read(move |store| store.stories(None, size + 1, (page - 1) * size).map_err(Failure::store))
            .await?;
        let has_more = stories.len() > size;
        let stories: Vec<_> = stories.into_iter().take(size).collect();
        state.render("home.html", lang, minijinja::context! { stories, page, has_more })
    }
    .await;
    Page(result, lang, state).into_response()
}

/// What is rising: the names and stories of `/api/rising`, each linked to its page.
pub async fn rising(State(state): State<Arc<AppState>>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        let at = api::day(&params, "at")?;
        let rising = state
            .read(move |store| store.rising(at).map_err(Failure::store))
            .await?;
        state.render("rising.html", lang, minijinja::context! { rising })
    }
    .await;
    Page(result, lang, state).into_response()
}

pub async fn search(State(state): State<Arc<AppState>>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        let q = params.get("q").cloned().unwrap_or_default();
        if q.trim().is_empty() {
            return state.render(
                "search.html",
                lang,
                minijinja::context! { q, results => Vec::<Value>::new(), facets => json!({}), page => 1, has_more => false },
            );
        }
        let p = params.clone();
        let found = state.read(move |store| api::run_search(store, &p, true)).await?;
        // The entity facets by type, people first.
        let facets = found.facets["entities"].as_array().cloned().unwrap_or_default();
        let groups = [
            ("PER", "people"),
            ("ORG", "organizations"),
            ("LOC", "places"),
            ("MISC", "other_names"),
        ];
        let mut entity_groups: Vec<(&str, Vec<Value>)> = Vec::new();
        for (kind, label) in groups {
            let items: Vec<Value> = facets.iter().filter(|e| e["type"] == kind).cloned().collect();
            if !items.is_empty() {
                entity_groups.push((label, items));
            }
        }
        state.render(
            "search.html",
            lang,
            minijinja::context! {
                q => found.query,
                results => found.results,
                facets => found.facets,
                entity_groups,
                page => found.page,
                has_more => found.has_more,
                total => found.total,
                source => params.get("source"),
                entity => params.get("entity"),
                since => params.get("since"),
                until => params.get("until"),
                keep => kept_filters(&params, None),
                keep_but_source => kept_filters(&params, Some("source")),
                keep_but_entity => kept_filters(&params, Some("entity")),
            },
        )
    }
    .await;
    Page(result, lang, state).into_response()
}

/// The search filters of `params` (and the page size and collapsing) except `leave_out`, as
/// `&name=value` pairs for links: pages and facets keep what the reader chose.
fn kept_filters(params: &HashMap<String, String>, leave_out: Option<&str>) -> String {
    let mut out = String::new();
    for name in ["source", "entity", "since", "until", "limit", "collapse"] {
        if Some(name) == leave_out {
            continue;
        }
        if let Some(value) = params.get(name).filter(|v| !v.trim().is_empty()) {
            out.push('&');
            out.push_str(name);
            out.push('=');
            out.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
        }
    }
    out
}

pub async fn story(State(state): State<Arc<AppState>>, Path(id): Path<String>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        let (detail, entities) = state
            .read(move |store| {
                let detail = api::story_detail(store, &id)?;
                // The story's entities with their ids, for links.
                let mut entities: Vec<Value> = Vec::new();
                for item in detail["items"].as_array().into_iter().flatten() {
                    let article_id = item["id"].as_str().unwrap_or_default();
                    for e in store.article_entities(article_id).map_err(Failure::store)? {
                        if !entities.iter().any(|x| x["id"] == e.id.as_str()) && entities.len() < 12 {
                            entities.push(json!({"id": e.id, "name": e.name, "type": e.kind.code()}));
                        }
                    }
                }
                Ok((detail, entities))
            })
            .await?;
        // Copies folded under their origin.
        let items = detail["items"].as_array().cloned().unwrap_or_default();
        let mut originals: Vec<Value> = items.iter().filter(|i| i["copy_of"].is_null()).cloned().collect();
        for original in &mut originals {
            let copies: Vec<Value> = items
                .iter()
                .filter(|i| i["copy_of"] == original["id"])
                .cloned()
                .collect();
            original["copies"] = Value::Array(copies);
        }
        // Copies whose origin is in another story are listed as they are.
        for item in items.iter().filter(|i| !i["copy_of"].is_null()) {
            if !items.iter().any(|o| o["id"] == item["copy_of"]) {
                originals.push(item.clone());
            }
        }
        state.render(
            "story.html",
            lang,
            minijinja::context! { story => detail, originals, entities },
        )
    }
    .await;
    Page(result, lang, state).into_response()
}

/// Text cut into plain and entity parts.
fn parts(text: &str, spans: &[(usize, usize, String)]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end, entity) in spans {
        let (start, end) = (*start, *end);
        if start < at || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            out.push(json!({"text": &text[at..start]}));
        }
        out.push(json!({"text": &text[start..end], "entity": entity}));
        at = end;
    }
    if at < text.len() {
        out.push(json!({"text": &text[at..]}));
    }
    out
}

pub async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        let asked = id.clone();
        let detail = state.read(move |store| api::article_detail(store, &asked)).await?;
        let reading = crate::reading::opened(&state, id).await;
        let body = detail["body"].as_str().unwrap_or_default().to_string();
        let title = detail["title"].as_str().unwrap_or_default().to_string();
        let mut body_spans = Vec::new();
        let mut title_spans = Vec::new();
        // Each linked entity's type, for its colour.
        let mut types = std::collections::BTreeMap::new();
        for entity in detail["entities"].as_array().into_iter().flatten() {
            let id = entity["id"].as_str().unwrap_or_default().to_string();
            types.insert(id.clone(), entity["type"].as_str().unwrap_or("MISC").to_string());
            for m in entity["mentions"].as_array().into_iter().flatten() {
                let span = (m["start"].as_u64().unwrap_or(0) as usize, m["end"].as_u64().unwrap_or(0) as usize, id.clone());
                if m["part"] == "title" {
                    title_spans.push(span);
                } else {
                    body_spans.push(span);
                }
            }
        }
        body_spans.sort();
        title_spans.sort();
        let mut paragraphs = Vec::new();
        let mut offset = 0;
        for paragraph in body.split("\n\n") {
            let spans: Vec<(usize, usize, String)> = body_spans
                .iter()
                .filter(|(s, e, _)| *s >= offset && *e <= offset + paragraph.len())
                .map(|(s, e, id)| (s - offset, e - offset, id.clone()))
                .collect();
            if !paragraph.trim().is_empty() {
                paragraphs.push(parts(paragraph, &spans));
            }
            offset += paragraph.len() + 2;
        }
        let original_url = detail["url"]
            .as_str()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(str::to_string);
        state.render(
            "article.html",
            lang,
            minijinja::context! { article => detail, paragraphs, title_parts => parts(&title, &title_spans), original_url, types, reading },
        )
    }
    .await;
    Page(result, lang, state).into_response()
}

/// Days a mentions chart shows at most (the latest ones).
const CHART_DAYS: i64 = 366;

/// The entity page's mentions per day as SVG parts: one bar per calendar day from the first
/// mention to the last (days without mentions at zero), time running the way the page reads
/// (right to left in Arabic), a scale (zero and the highest day) and a few day labels.
fn mentions_chart(daily: &[(String, u64)], lang: Lang) -> Value {
    let (width, height, axis) = (640.0f64, 140.0f64, 40.0f64);
    let parse = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let counts: std::collections::BTreeMap<chrono::NaiveDate, u64> =
        daily.iter().filter_map(|(d, n)| parse(d).map(|d| (d, *n))).collect();
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return json!({"width": width, "height": height, "bars": [], "labels": [], "max": 0});
    };
    let first = first.max(last - chrono::Duration::days(CHART_DAYS - 1));
    let days: Vec<chrono::NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    let max = days
        .iter()
        .filter_map(|d| counts.get(d))
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let plot = width - axis;
    let w = plot / days.len() as f64;
    let rtl = lang == Lang::Ar;
    // The left edge of day `i`'s slot: after the axis in English, mirrored in Arabic.
    let x_of = |i: usize| {
        if rtl {
            plot - (i + 1) as f64 * w
        } else {
            axis + i as f64 * w
        }
    };
    let bars: Vec<Value> = days
        .iter()
        .enumerate()
        .filter_map(|(i, day)| {
            let n = *counts.get(day)?;
            let h = (n as f64 / max as f64 * height).max(1.0);
            let label = crate::i18n::when(&day.to_string(), lang, false);
            Some(json!({"x": x_of(i), "y": height - h, "w": (w * 0.85).max(0.5), "h": h, "day": label, "n": n}))
        })
        .collect();
    let step = days.len().div_ceil(5).max(1);
    let labels: Vec<Value> = days
        .iter()
        .enumerate()
        .step_by(step)
        .map(|(i, day)| json!({"x": x_of(i) + w / 2.0, "text": crate::i18n::when(&day.to_string(), lang, false)}))
        .collect();
    let axis_x = if rtl { plot + 4.0 } else { axis - 4.0 };
    json!({
        "width": width, "height": height, "bars": bars, "labels": labels, "max": max,
        "axis_x": axis_x, "anchor": if rtl { "start" } else { "end" },
        "plot_x": if rtl { 0.0 } else { axis }, "plot_w": plot,
    })
}

pub async fn entity(State(state): State<Arc<AppState>>, Path(id): Path<String>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        let detail = state.read(move |store| api::entity_detail(store, &id)).await?;
        let daily: Vec<(String, u64)> = serde_json::from_value(detail["daily"].clone()).unwrap_or_default();
        let chart = mentions_chart(&daily, lang);
        state.render(
            "entity.html",
            lang,
            minijinja::context! {
                entity => detail["entity"],
                companions => detail["companions"],
                stories => detail["stories"],
                articles => detail["articles"],
                chart,
            },
        )
    }
    .await;
    Page(result, lang, state).into_response()
}

fn render_sources(
    state: &AppState,
    lang: Lang,
    sources: Vec<akhbar_model::Source>,
    outlets: Vec<(String, u64)>,
    message: Option<String>,
) -> Result<Html<String>, Failure> {
    // Outlets seen in articles that no polled source is named after: sources too, to open
    // and follow.
    let outlets: Vec<Value> = outlets
        .into_iter()
        .filter(|(name, _)| !sources.iter().any(|s| &s.name == name))
        .map(|(name, articles)| json!({"name": name, "articles": articles}))
        .collect();
    state.render("sources.html", lang, minijinja::context! { sources, outlets, message })
}

pub async fn sources(State(state): State<Arc<AppState>>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        let (list, outlets) = state
            .read(|store| {
                Ok((
                    store.sources().map_err(Failure::store)?,
                    store.outlets().map_err(Failure::store)?,
                ))
            })
            .await?;
        // Only messages this server wrote after an action are shown: a link cannot put its
        // own text beside the token field.
        let message = params.get("message").and_then(|id| state.message(id));
        render_sources(&state, lang, list, outlets, message)
    }
    .await;
    Page(result, lang, state).into_response()
}

#[derive(serde::Deserialize)]
pub struct SourceForm {
    url: Option<String>,
    name: Option<String>,
    token: String,
}

/// The sources page's add form (the admin token is a form field).
pub async fn add_source_form(State(state): State<Arc<AppState>>, Form(form): Form<SourceForm>) -> Response {
    let headers = token_headers(&form.token);
    let body = json!({"url": form.url.unwrap_or_default(), "name": form.name}).to_string();
    let response = api::add_source(State(Arc::clone(&state)), headers, body.into()).await;
    let message = match response {
        Ok(_) => "✓".to_string(),
        Err(failure) => failure.message,
    };
    Redirect::to(&format!("/sources?message={}", state.keep_message(message))).into_response()
}

/// The sources page's remove button.
pub async fn remove_source_form(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Form(form): Form<SourceForm>,
) -> Response {
    let headers = token_headers(&form.token);
    let message = match api::remove_source(State(Arc::clone(&state)), headers, Path(id)).await {
        Ok(_) => "✓".to_string(),
        Err(failure) => failure.message,
    };
    Redirect::to(&format!("/sources?message={}", state.keep_message(message))).into_response()
}

#[derive(serde::Deserialize)]
pub struct FollowForm {
    kind: String,
    target: String,
    token: String,
}

/// The follow buttons of entity, source and search pages (the admin token is a form field).
pub async fn follow_form(State(state): State<Arc<AppState>>, Form(form): Form<FollowForm>) -> Response {
    let headers = token_headers(&form.token);
    let body = json!({"kind": form.kind, "target": form.target}).to_string();
    match api::add_follow(State(Arc::clone(&state)), headers, body.into()).await {
        Ok(_) => Redirect::to("/following").into_response(),
        Err(failure) => Page(Err(failure), Lang::Ar, state).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct UnfollowForm {
    token: String,
    lang: Option<String>,
}

/// The unfollow buttons of the following page (the admin token is a form field).
pub async fn unfollow_form(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Form(form): Form<UnfollowForm>,
) -> Response {
    let headers = token_headers(&form.token);
    let lang = Lang::from_param(form.lang.as_deref());
    match api::remove_follow(State(Arc::clone(&state)), headers, Path(id)).await {
        Ok(_) => Redirect::to(&format!("/following?lang={}", lang.code())).into_response(),
        Err(failure) => Page(Err(failure), lang, state).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct OpmlForm {
    opml: String,
    token: String,
}

/// The sources page's OPML import (the file's text pasted or uploaded as a form field).
pub async fn import_form(State(state): State<Arc<AppState>>, Form(form): Form<OpmlForm>) -> Response {
    let headers = token_headers(&form.token);
    let message = if !crate::auth::authorized(&headers, &state.admin_token) {
        Failure::unauthorized().message
    } else {
        let bytes = form.opml.into_bytes();
        match state
            .write(move |store| {
                akhbar_pipeline::import_opml(store, &bytes, "OPML").map_err(|e| Failure::bad_request(e.to_string()))
            })
            .await
        {
            Ok(report) => format!("{} + · {} = · {} ×", report.added, report.existing, report.failed.len()),
            Err(failure) => failure.message,
        }
    };
    Redirect::to(&format!("/sources?message={}", state.keep_message(message))).into_response()
}

/// The admin token of a form, as the API expects it.
fn token_headers(token: &str) -> axum::http::HeaderMap {
    let mut headers = axum::http::HeaderMap::new();
    if let Ok(value) = axum::http::HeaderValue::from_str(token) {
        headers.insert("x-admin-token", value);
    }
    headers
}

pub async fn source(State(state): State<Arc<AppState>>, Path(id): Path<String>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        // A polled source by its id, or an outlet the archive's articles name.
        let (source, articles) = state
            .read(move |store| {
                let source = match id.parse::<i64>() {
                    Ok(number) => serde_json::to_value(
                        store
                            .source(number)
                            .map_err(Failure::store)?
                            .ok_or_else(|| Failure::not_found(format!("no source {number}")))?,
                    )
                    .map_err(|e| Failure::internal(e.to_string()))?,
                    Err(_) => {
                        let articles = api::outlet_articles(store, &id)?;
                        json!({"id": id, "name": id, "articles": articles, "url": null})
                    }
                };
                let name = source["name"].as_str().unwrap_or_default().to_string();
                let articles = store.source_articles(&name, 50, 0).map_err(Failure::store)?;
                Ok((source, articles))
            })
            .await?;
        state.render("source.html", lang, minijinja::context! { source, articles })
    }
    .await;
    Page(result, lang, state).into_response()
}

pub async fn following(State(state): State<Arc<AppState>>, Query(params): Params) -> Response {
    let lang = lang(&params);
    let result = async {
        let (follows, articles) = state
            .read(|store| {
                let mut follows = Vec::new();
                let mut articles = Vec::new();
                for f in store.follows().map_err(Failure::store)? {
                    let (label, _) = crate::greader::describe(store, &f)?;
                    let latest = store.follow_latest(&f, 10).map_err(Failure::store)?;
                    let feed = api::feed_path(&f);
                    follows.push(json!({"id": f.id, "kind": f.kind, "label": label, "feed": feed}));
                    articles.extend(latest);
                }
                articles.sort_by(|a, b| b.time.cmp(&a.time));
                articles.dedup_by(|a, b| a.id == b.id);
                articles.truncate(50);
                Ok((follows, articles))
            })
            .await?;
        state.render("following.html", lang, minijinja::context! { follows, articles })
    }
    .await;
    Page(result, lang, state).into_response()
}

pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}

pub async fn not_found(State(state): State<Arc<AppState>>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return Failure::not_found(format!("no such endpoint: {}", uri.path())).into_response();
    }
    Page(
        Err(Failure {
            status: StatusCode::NOT_FOUND,
            message: format!("no page at {}", uri.path()),
        }),
        Lang::Ar,
        state,
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::kept_filters;
    use std::collections::HashMap;

    #[test]
    fn kept_filters_are_encoded_and_leave_one_out() {
        let params: HashMap<String, String> = [
            ("q", "بلينكن"),
            ("source", "\"><script>x</script>"),
            ("entity", "a&page=9"),
            ("since", "2022-07-01"),
            ("until", " "),
            ("limit", "50"),
            ("page", "3"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let all = kept_filters(&params, None);
        assert_eq!(
            all,
            "&source=%22%3E%3Cscript%3Ex%3C%2Fscript%3E&entity=a%26page%3D9&since=2022-07-01&limit=50"
        );
        assert!(!kept_filters(&params, Some("entity")).contains("entity="));
        assert!(kept_filters(&params, Some("entity")).contains("source="));
        let arabic: HashMap<String, String> = [("source".to_string(), "الرياض نت".to_string())].into();
        assert_eq!(
            kept_filters(&arabic, None),
            "&source=%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6+%D9%86%D8%AA"
        );
    }
}
