//! The admin token: given (`--admin-token`, `AKHBAR_ADMIN_TOKEN`), or generated once and kept
//! with the data.

use akhbar_store::Store;
use axum::http::HeaderMap;
use std::io::Read;

/// Where the token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenOrigin {
    /// The operator gave it.
    Given,
    /// Generated at an earlier start and kept in the data folder.
    Stored,
    /// Generated now (print it once).
    Generated,
}

const SETTING: &str = "admin_token";

/// The token to require, and where it came from.
pub fn admin_token(store: &mut Store, given: Option<&str>) -> Result<(String, TokenOrigin), akhbar_store::Error> {
    if let Some(token) = given.map(str::trim).filter(|t| !t.is_empty()) {
        return Ok((token.to_string(), TokenOrigin::Given));
    }
    if let Some(token) = store.setting(SETTING)? {
        return Ok((token, TokenOrigin::Stored));
    }
    let token = random_hex();
    store.set_setting(SETTING, &token)?;
    Ok((token, TokenOrigin::Generated))
}

/// 16 random bytes as hex: the admin token, the ids of form results.
pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_err()
    {
        // No system randomness: fall back to the clock and the process (still unguessable
        // from outside the machine, and the operator can pass a token).
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        bytes = xxhash(seed.as_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn xxhash(bytes: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, b) in bytes.iter().enumerate() {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        out[i % 16] ^= (h >> 24) as u8;
    }
    out
}

/// Whether the request carries the token (`Authorization: Bearer T` or `X-Admin-Token: T`),
/// compared in constant time.
pub(crate) fn authorized(headers: &HeaderMap, token: &str) -> bool {
    // The scheme is case-insensitive (RFC 9110): `bearer T` is `Bearer T`.
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token);
    let given = bearer.or_else(|| headers.get("x-admin-token").and_then(|v| v.to_str().ok()));
    let Some(given) = given else {
        return false;
    };
    same_token(given.trim().as_bytes(), token.as_bytes())
}

/// Wrong admin tokens a client may send in [`FAILURE_WINDOW`] before it is refused with 429.
pub const MAX_TOKEN_FAILURES: u32 = 10;
/// The window of [`MAX_TOKEN_FAILURES`].
pub const FAILURE_WINDOW: std::time::Duration = std::time::Duration::from_secs(60);

/// Wrong admin tokens per client address: (start of its window, failures in it).
#[derive(Debug, Default)]
pub struct Failures(std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, (std::time::Instant, u32)>>);

impl Failures {
    /// Seconds until `client` may try again, when it is over the limit.
    pub(crate) fn blocked(&self, client: std::net::IpAddr) -> Option<u64> {
        let map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (start, count) = map.get(&client)?;
        let elapsed = start.elapsed();
        (*count >= MAX_TOKEN_FAILURES && elapsed < FAILURE_WINDOW).then(|| (FAILURE_WINDOW - elapsed).as_secs().max(1))
    }

    /// Counts a wrong token from `client`.
    pub(crate) fn failed(&self, client: std::net::IpAddr) -> u32 {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Forget clients whose window is over, so the map stays small.
        if map.len() > 10_000 {
            map.retain(|_, (start, _)| start.elapsed() < FAILURE_WINDOW);
        }
        let entry = map.entry(client).or_insert((std::time::Instant::now(), 0));
        if entry.0.elapsed() >= FAILURE_WINDOW {
            *entry = (std::time::Instant::now(), 0);
        }
        entry.1 += 1;
        entry.1
    }
}

/// The client's address (unspecified when the server runs without connection info).
pub(crate) fn client_of(request: &axum::extract::Request) -> std::net::IpAddr {
    request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// Write actions (POST, DELETE): a client over the limit of wrong tokens gets 429 before
/// anything else; an API request without the right token in its headers gets 401 before its
/// body is read; every wrong token (header or form) is counted and logged.
pub(crate) async fn guard(
    axum::extract::State(state): axum::extract::State<std::sync::Arc<crate::state::AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let method = request.method().clone();
    if method != axum::http::Method::POST && method != axum::http::Method::DELETE {
        return next.run(request).await;
    }
    let client = client_of(&request);
    let path = request.uri().path().to_string();
    let json_error = |status: axum::http::StatusCode, message: &str| {
        (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
    };
    if let Some(wait) = state.token_failures.blocked(client) {
        let mut response = json_error(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            &format!("too many wrong admin tokens: try again in {wait} s"),
        );
        if let Ok(value) = axum::http::HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        return response;
    }
    // The reader apps' API and the sign-in form count their own wrong passwords.
    if path.starts_with(crate::greader::PREFIX) || path == "/login" {
        return next.run(request).await;
    }
    let response = if path.starts_with("/api/") && !authorized(request.headers(), &state.admin_token) {
        json_error(
            axum::http::StatusCode::UNAUTHORIZED,
            "this action needs the admin token (Authorization: Bearer TOKEN)",
        )
    } else {
        next.run(request).await
    };
    if response.status() == axum::http::StatusCode::UNAUTHORIZED {
        let failures = state.token_failures.failed(client);
        tracing::warn!(%client, %method, path, failures, "wrong admin token");
    }
    response
}

/// Compares in time that depends only on the guess's length: every byte of the guess is
/// compared (against the token's bytes, cycled), so neither the first wrong byte nor the
/// token's length shows in the timing.
pub(crate) fn same_token(given: &[u8], token: &[u8]) -> bool {
    if token.is_empty() {
        return false;
    }
    let mut difference = u8::from(given.len() != token.len());
    for (i, byte) in given.iter().enumerate() {
        difference |= byte ^ token[i % token.len()];
    }
    difference == 0 && !given.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_schemes() {
        let mut headers = HeaderMap::new();
        for (value, ok) in [
            ("Bearer secret", true),
            ("bearer secret", true),
            ("BEARER secret", true),
            ("Bearer secre", false),
            ("Bearer secretsecret", false),
            ("Basic secret", false),
            ("Bearer ", false),
        ] {
            headers.insert(axum::http::header::AUTHORIZATION, value.parse().unwrap());
            assert_eq!(authorized(&headers, "secret"), ok, "{value}");
        }
        assert!(!same_token(b"", b""));
    }
}
