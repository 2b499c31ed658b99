//! Alerts: each follow with a webhook is told of its new articles, once the story step has
//! seen them (so a copy of an article already told of is left out), in one JSON POST signed
//! with HMAC-SHA256 (`X-Akhbar-Signature: sha256=HEX` of the body, keyed with the follow's
//! secret). A failed POST is tried again with doubling waits; when every try fails, the
//! delivery is logged as failed and the same articles are tried again at a later round, after
//! a wait that doubles with each failed round (up to an hour). Every delivery is logged
//! ([`akhbar_store::Store::deliveries`]).

use akhbar_fetch::HttpClient;
use akhbar_store::{AlertArticle, Channel, Delivery, EmailDigest, Store, Webhook};
use hmac::Mac;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How alerts are sent.
#[derive(Debug, Clone)]
pub struct AlertOptions {
    /// Tries per round (the first and its retries).
    pub attempts: u32,
    /// The wait before the first retry; each next one doubles it.
    pub backoff: Duration,
    /// The longest wait between failed rounds.
    pub max_round_wait: Duration,
}

impl Default for AlertOptions {
    fn default() -> AlertOptions {
        AlertOptions {
            attempts: 3,
            backoff: Duration::from_secs(1),
            max_round_wait: Duration::from_secs(3600),
        }
    }
}

/// What a round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AlertReport {
    /// Deliveries the receivers took.
    pub delivered: usize,
    /// Deliveries that failed every try.
    pub failed: usize,
    /// Articles told of.
    pub articles: usize,
}

/// Failed rounds per follow: (failures in a row, not before).
#[derive(Debug, Default)]
pub struct AlertState(HashMap<i64, (u32, Instant)>);

/// The signature header's value for `body`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The articles worth telling of: not a copy of one told of before or in this delivery.
fn worth_telling(
    store: &Store,
    follow: i64,
    articles: Vec<AlertArticle>,
) -> Result<Vec<AlertArticle>, akhbar_store::Error> {
    let mut told: Vec<i64> = Vec::new();
    let mut out = Vec::new();
    for article in articles {
        if let Some(origin) = article.copy_of {
            if told.contains(&origin) || store.was_notified(follow, origin)? {
                continue;
            }
        }
        told.push(article.seq);
        out.push(article);
    }
    Ok(out)
}

/// One round: every webhook that is due is told of what it has not been told of.
pub fn send_alerts(
    store: &Store,
    client: &HttpClient,
    options: &AlertOptions,
    state: &mut AlertState,
) -> Result<AlertReport, akhbar_store::Error> {
    let mut report = AlertReport::default();
    for webhook in store.webhooks()? {
        let id = webhook.follow.id;
        if state
            .0
            .get(&id)
            .is_some_and(|(_, not_before)| Instant::now() < *not_before)
        {
            continue;
        }
        let (pending, upto) = store.pending_alerts(&webhook.follow, webhook.notified_seq)?;
        if upto <= webhook.notified_seq {
            continue;
        }
        let all_seqs: Vec<i64> = pending.iter().map(|a| a.seq).collect();
        let articles = worth_telling(store, id, pending)?;
        if articles.is_empty() {
            // Nothing new for it, or only copies of what it was told: move past them.
            let nothing = Delivery {
                id: 0,
                channel: "webhook".into(),
                time: now(),
                delivered: false,
                attempts: 0,
                status: None,
                error: None,
                articles: Vec::new(),
            };
            store.record_delivery(id, Channel::Webhook, &nothing, &all_seqs, upto)?;
            continue;
        }
        let delivery = deliver(client, options, &webhook, &articles);
        if delivery.delivered {
            report.delivered += 1;
            report.articles += articles.len();
            state.0.remove(&id);
        } else {
            report.failed += 1;
            let failures = state.0.get(&id).map_or(0, |(n, _)| *n) + 1;
            let wait = (options.backoff * 2u32.saturating_pow(failures + options.attempts)).min(options.max_round_wait);
            state.0.insert(id, (failures, Instant::now() + wait));
            tracing::warn!(
                follow = id,
                url = webhook.url,
                error = delivery.error,
                "webhook not delivered"
            );
        }
        store.record_delivery(id, Channel::Webhook, &delivery, &all_seqs, upto)?;
    }
    Ok(report)
}

/// Where e-mail digests go out: the operator's SMTP server.
#[derive(Debug, Clone)]
pub struct Mailer {
    /// `smtp://[user:pass@]host[:port]` (plain, or STARTTLS with `?tls=required`), or
    /// `smtps://…` (TLS from the start), as lettre reads it.
    pub url: String,
    /// The sender (`akhbar <news@example.org>`).
    pub from: String,
    /// The site's address, for links to akhbar's pages (else the originals' links).
    pub base_url: Option<String>,
}

/// One round of e-mail digests: each follow with an address that is due (its last digest
/// `every_minutes` ago or more) and has new articles gets one message listing them (copies of
/// what it was told left out). A digest that cannot be sent is logged and tried again at the
/// next round.
pub fn send_digests(store: &Store, mailer: &Mailer) -> Result<AlertReport, akhbar_store::Error> {
    let mut report = AlertReport::default();
    let digests = store.email_digests()?;
    if digests.is_empty() {
        return Ok(report);
    }
    let transport = lettre::SmtpTransport::from_url(&mailer.url)
        .map(|builder| builder.timeout(Some(Duration::from_secs(30))).build());
    for digest in digests {
        if !due(&digest) {
            continue;
        }
        let id = digest.follow.id;
        let (pending, upto) = store.pending_alerts(&digest.follow, digest.emailed_seq)?;
        if upto <= digest.emailed_seq {
            continue;
        }
        let all_seqs: Vec<i64> = pending.iter().map(|a| a.seq).collect();
        let articles = worth_telling(store, id, pending)?;
        let mut delivery = Delivery {
            id: 0,
            channel: "email".into(),
            time: now(),
            delivered: false,
            attempts: 0,
            status: None,
            error: None,
            articles: articles.iter().map(|a| a.id.clone()).collect(),
        };
        if !articles.is_empty() {
            delivery.attempts = 1;
            let sent = match &transport {
                Ok(transport) => message(mailer, &digest, &articles).and_then(|m| {
                    use lettre::Transport;
                    transport.send(&m).map(|_| ()).map_err(|e| e.to_string())
                }),
                Err(error) => Err(format!("SMTP address: {error}")),
            };
            match sent {
                Ok(()) => {
                    delivery.delivered = true;
                    report.delivered += 1;
                    report.articles += articles.len();
                }
                Err(error) => {
                    tracing::warn!(follow = id, to = digest.to, %error, "digest not sent");
                    delivery.error = Some(error);
                    report.failed += 1;
                }
            }
        }
        store.record_delivery(id, Channel::Email, &delivery, &all_seqs, upto)?;
    }
    Ok(report)
}

/// Whether a digest may go: never sent, or sent `every_minutes` ago or more.
fn due(digest: &EmailDigest) -> bool {
    let Some(last) = digest
        .emailed_at
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    else {
        return true;
    };
    chrono::Utc::now().signed_duration_since(last) >= chrono::Duration::minutes(digest.every_minutes)
}

/// The digest: one line per article with its outlet, time and link.
fn message(mailer: &Mailer, digest: &EmailDigest, articles: &[AlertArticle]) -> Result<lettre::Message, String> {
    let what = match digest.follow.kind.as_str() {
        "search" => format!("«{}»", digest.follow.target),
        "story" => format!("story {}", digest.follow.target),
        _ => digest.follow.target.clone(),
    };
    let mut body = format!(
        "{} new article(s) for {what} / مقالات جديدة:

",
        articles.len()
    );
    for article in articles {
        let link = match &mailer.base_url {
            Some(base) => format!(
                "{}/articles/{}",
                base.trim_end_matches('/'),
                url::form_urlencoded::byte_serialize(article.id.as_bytes()).collect::<String>()
            ),
            None => article.url.clone().unwrap_or_default(),
        };
        body.push_str(&format!(
            "- {}
  {} · {}
  {}

",
            akhbar_model::clean_text(&article.title),
            article.source.as_deref().unwrap_or(""),
            article.time,
            link
        ));
    }
    let subject = format!("akhbar: {} new for {what}", articles.len());
    lettre::Message::builder()
        .from(
            mailer
                .from
                .parse()
                .map_err(|e| format!("sender {:?}: {e}", mailer.from))?,
        )
        .to(digest.to.parse().map_err(|e| format!("address {:?}: {e}", digest.to))?)
        .subject(subject)
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// POSTs the alert, trying again with doubling waits.
fn deliver(client: &HttpClient, options: &AlertOptions, webhook: &Webhook, articles: &[AlertArticle]) -> Delivery {
    let body = serde_json::json!({
        "follow": { "id": webhook.follow.id, "kind": webhook.follow.kind, "target": webhook.follow.target },
        "articles": articles,
    })
    .to_string()
    .into_bytes();
    let headers = [
        ("X-Akhbar-Signature", signature(&webhook.secret, &body)),
        ("X-Akhbar-Follow", webhook.follow.id.to_string()),
    ];
    let mut delivery = Delivery {
        id: 0,
        channel: "webhook".into(),
        time: String::new(),
        delivered: false,
        attempts: 0,
        status: None,
        error: None,
        articles: articles.iter().map(|a| a.id.clone()).collect(),
    };
    while delivery.attempts < options.attempts.max(1) {
        if delivery.attempts > 0 {
            std::thread::sleep(options.backoff * 2u32.saturating_pow(delivery.attempts - 1));
        }
        delivery.attempts += 1;
        match client.post_json(&webhook.url, body.clone(), &headers) {
            Ok(status) => {
                delivery.status = Some(status);
                delivery.error = None;
                delivery.delivered = true;
                break;
            }
            Err(error) => {
                if let akhbar_fetch::HttpError::Status { status, .. } = &error {
                    delivery.status = Some(*status);
                }
                delivery.error = Some(error.to_string());
            }
        }
    }
    delivery.time = now();
    delivery
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_rfc_4231_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
