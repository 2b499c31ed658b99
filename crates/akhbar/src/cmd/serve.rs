//! `akhbar serve`: the web reader, the JSON API and background polling in one process.

use super::net::NetArgs;
use crate::Outcome;
use anyhow::Context;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Token for write actions (adding sources, following); generated and printed once when
    /// not given.
    #[arg(long, env = "AKHBAR_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Open connections at most (keep it under the open-file limit); one more takes the place
    /// of the oldest idle connection, or is answered 503 when all are answering requests.
    #[arg(long, default_value_t = akhbar_web::Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client has to send a request's headers; also how long an idle kept-alive
    /// connection stays open.
    #[arg(long, default_value_t = akhbar_web::Limits::default().header_timeout.as_secs())]
    header_timeout_secs: u64,
    /// Seconds to answer a request once its headers are in, reading its body included.
    #[arg(long, default_value_t = akhbar_web::Limits::default().request_timeout.as_secs())]
    request_timeout_secs: u64,
    /// The address readers reach the server at (`https://news.example.org`), for the links
    /// in Atom feeds; without it they are built from the request's Host header.
    #[arg(long, env = "AKHBAR_BASE_URL")]
    base_url: Option<url::Url>,
    /// Ingest these files or folders before serving (e.g. the shipped `samples/`).
    #[arg(long, value_name = "PATH")]
    ingest: Vec<std::path::PathBuf>,
    /// Seconds between two looks for due sources; 0 turns background polling off.
    #[arg(long, default_value_t = 60)]
    poll_every: u64,
    /// Seconds between two rounds of webhook alerts (follows with a webhook are told of their
    /// new articles); 0 turns them off.
    #[arg(long, default_value_t = 10)]
    alert_every: u64,
    /// The SMTP server for e-mail digests of follows: `smtp://[user:pass@]host[:port]`
    /// (`?tls=required` for STARTTLS) or `smtps://…`; without it no e-mail is sent.
    #[arg(long, env = "AKHBAR_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of e-mail digests.
    #[arg(long, env = "AKHBAR_SMTP_FROM", default_value = "akhbar <akhbar@localhost>")]
    smtp_from: String,
    #[command(flatten)]
    net: NetArgs,
    /// Serve a cluster's shards instead of a store (NATS servers, comma-separated):
    /// `/api/search` over every shard, `/api/cluster` and `/healthz`; no store, no polling.
    #[arg(long, env = "AKHBAR_NATS")]
    nats: Option<String>,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<Outcome> {
    let limits = akhbar_web::Limits {
        max_connections: args.max_connections.max(1),
        header_timeout: Duration::from_secs(args.header_timeout_secs.max(1)),
        request_timeout: Duration::from_secs(args.request_timeout_secs.max(1)),
        ..akhbar_web::Limits::default()
    };
    if let Some(nats) = &args.nats {
        return serve_cluster(nats, args.addr, limits);
    }
    let (token, origin) = {
        let mut store =
            akhbar_store::Store::open(data).with_context(|| format!("opening the store in {}", data.display()))?;
        if !args.ingest.is_empty() {
            let stop = std::sync::atomic::AtomicBool::new(false);
            let report = akhbar_pipeline::ingest(
                &mut store,
                &args.ingest,
                &akhbar_pipeline::IngestOptions::default(),
                &akhbar_pipeline::NoProgress,
                &stop,
            )?;
            for failure in &report.failed {
                eprintln!("failed: {}: {}", failure.origin, failure.reason);
            }
            eprintln!(
                "ingested {} new articles ({} already present), {} stories",
                report.new, report.existing, report.stories.stories
            );
        }
        akhbar_web::admin_token(&mut store, args.admin_token.as_deref())?
    };
    match origin {
        akhbar_web::TokenOrigin::Generated => {
            eprintln!("admin token (kept in {}; shown once): {token}", data.display())
        }
        akhbar_web::TokenOrigin::Stored => {
            eprintln!("admin token: the one shown at first start (kept in {})", data.display())
        }
        akhbar_web::TokenOrigin::Given => {}
    }
    let config = akhbar_web::Config {
        data: data.to_path_buf(),
        addr: args.addr,
        admin_token: token,
        http: args.net.options(),
        poll_every: (args.poll_every > 0).then(|| Duration::from_secs(args.poll_every)),
        alert_every: (args.alert_every > 0).then(|| Duration::from_secs(args.alert_every)),
        mailer: args.smtp_url.map(|url| akhbar_pipeline::Mailer {
            url,
            from: args.smtp_from,
            base_url: args
                .base_url
                .as_ref()
                .map(|u| u.as_str().trim_end_matches('/').to_string()),
        }),
        base_url: args.base_url.map(|u| u.as_str().trim_end_matches('/').to_string()),
        limits,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let server = akhbar_web::bind(config).await?;
        // Said only once the address is ours: a busy port fails before this line.
        eprintln!("akhbar: serving http://{}/ (Ctrl-C stops)", server.local_addr()?);
        server.run().await?;
        anyhow::Ok(())
    })?;
    Ok(Outcome::Ok)
}

/// `akhbar serve --nats URL`: a stateless server in front of a cluster.
fn serve_cluster(nats: &str, addr: SocketAddr, limits: akhbar_web::Limits) -> anyhow::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let cluster = akhbar_cluster::Cluster::connect(nats, None).await?;
        let server = akhbar_web::bind_cluster(cluster, addr, limits)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        eprintln!(
            "akhbar: serving the cluster at {nats} on http://{}/ (Ctrl-C stops)",
            server.local_addr()?
        );
        server.run().await;
        anyhow::Ok(())
    })?;
    Ok(Outcome::Ok)
}
