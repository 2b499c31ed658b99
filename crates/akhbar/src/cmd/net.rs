//! Network flags shared by the commands that fetch (`sources add`, `poll`, `extract URL`).

use akhbar_fetch::{HttpClient, HttpOptions};
use std::time::Duration;

#[derive(clap::Args, Debug, Clone)]
pub struct NetArgs {
    /// Allow fetching loopback, private and link-local addresses (refused by default, so a
    /// feed cannot make akhbar reach internal services). The environment variable takes
    /// 1/0, true/false, yes/no, on/off.
    #[arg(
        long,
        env = "AKHBAR_ALLOW_PRIVATE",
        num_args = 0..=1,
        default_value = "false",
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    allow_private: bool,
    /// Seconds allowed for one request, body included.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
    /// Minimum milliseconds between two requests to the same host (a site's Crawl-delay
    /// raises it).
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    host_delay_ms: u64,
    /// Extra attempts after a timeout, a connection error, 429 or 5xx.
    #[arg(long, default_value_t = 2)]
    retries: u32,
    /// Largest response body accepted, in MiB (after decompression).
    #[arg(long, default_value_t = 16, value_name = "MIB")]
    max_body_mib: u64,
}

impl NetArgs {
    pub fn client(&self) -> anyhow::Result<HttpClient> {
        Ok(HttpClient::new(self.options())?)
    }

    pub fn options(&self) -> HttpOptions {
        let defaults = HttpOptions::default();
        HttpOptions {
            allow_private: self.allow_private,
            timeout: Duration::from_secs(self.timeout.max(1)),
            connect_timeout: defaults.connect_timeout.min(Duration::from_secs(self.timeout.max(1))),
            host_delay: Duration::from_millis(self.host_delay_ms),
            retries: self.retries,
            retry_delay: defaults
                .retry_delay
                .min(Duration::from_millis(self.host_delay_ms.max(100))),
            max_body: self.max_body_mib.max(1) * 1024 * 1024,
            ..defaults
        }
    }
}
