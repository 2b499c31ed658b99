use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An outlet akhbar follows through its feed. Field names are the `akhbar sources list
/// --json` contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Stable number, given when the source is added.
    pub id: i64,
    /// The feed URL.
    pub url: String,
    /// Display name; also the `source` of its articles.
    pub name: String,
    /// The outlet's home page.
    pub site: Option<String>,
    /// Language code (`ar`), declared by the feed or guessed from its text.
    pub language: Option<String>,
    /// Writing direction of the language: `rtl` or `ltr`.
    pub direction: Option<String>,
    /// Folder from an OPML import.
    pub category: Option<String>,
    /// When it was added.
    pub added: DateTime<Utc>,
    /// Current polling interval, adapted to how often the source publishes.
    pub interval_seconds: i64,
    /// When the next poll is due (`None`: now).
    pub next_fetch: Option<DateTime<Utc>>,
    /// Fetch history.
    #[serde(flatten)]
    pub health: Health,
    /// Validators for the next conditional request.
    #[serde(skip)]
    pub etag: Option<String>,
    /// Validators for the next conditional request.
    #[serde(skip)]
    pub last_modified: Option<String>,
}

/// How fetching a source has gone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Last attempt.
    pub last_fetch: Option<DateTime<Utc>>,
    /// Last attempt that worked (including "not modified").
    pub last_success: Option<DateTime<Utc>>,
    /// The last attempt's error, when it failed.
    pub last_error: Option<String>,
    /// Failed attempts in a row.
    pub failures: u32,
    /// Articles ingested from the source.
    pub articles: u64,
}

/// Writing direction of a language code: `rtl` for Arabic-script and Hebrew languages.
pub fn direction_of(language: &str) -> &'static str {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "ar" | "fa" | "ur" | "he" | "ps" | "ckb" | "sd" | "ug" | "yi" | "dv" => "rtl",
        _ => "ltr",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn directions() {
        for (language, direction) in [
            ("ar", "rtl"),
            ("ar-MA", "rtl"),
            ("AR_eg", "rtl"),
            ("fa", "rtl"),
            ("en-US", "ltr"),
            ("fr", "ltr"),
            ("", "ltr"),
        ] {
            assert_eq!(super::direction_of(language), direction, "{language}");
        }
    }
}
