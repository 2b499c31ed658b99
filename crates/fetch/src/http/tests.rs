use super::*;
use akhbar_testserver::{Reply, TestServer};

fn local(options: HttpOptions) -> HttpClient {
    HttpClient::new(HttpOptions {
        allow_private: true,
        host_delay: Duration::ZERO,
        retry_delay: Duration::from_millis(10),
        ..options
    })
    .unwrap()
}

#[test]
fn non_public_addresses() {
    let table = [
        ("127.0.0.1", true),
        ("10.1.2.3", true),
        ("172.16.0.1", true),
        ("172.32.0.1", false),
        ("192.168.1.1", true),
        ("169.254.169.254", true),
        ("100.64.0.1", true),
        ("0.0.0.0", true),
        ("224.0.0.1", true),
        ("255.255.255.255", true),
        ("8.8.8.8", false),
        ("196.200.1.1", false),
        ("::1", true),
        ("::", true),
        ("fd00::1", true),
        ("fe80::1", true),
        ("::ffff:127.0.0.1", true),
        ("::ffff:8.8.8.8", false),
        ("2a00:1450::1", false),
    ];
    for (ip, refused) in table {
        let ip: IpAddr = ip.parse().unwrap();
        assert_eq!(non_public(ip).is_some(), refused, "{ip}");
    }
}

#[test]
fn urls_are_checked_before_any_request() {
    let refused = [
        "http://127.0.0.1/feed",
        "http://[::1]:8080/",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/",
        "http://2130706433/", // 127.0.0.1 written as one number
    ];
    for url in refused {
        assert!(matches!(check_url(url, false), Err(HttpError::Refused { .. })), "{url}");
        assert!(check_url(url, true).is_ok(), "{url}");
    }
    for url in ["file:///etc/passwd", "ftp://example.com/x", "not a url", "gopher://a/"] {
        assert!(matches!(check_url(url, false), Err(HttpError::BadUrl { .. })), "{url}");
    }
    assert!(check_url("https://www.hespress.com/feed", false).is_ok());
}

#[test]
fn names_that_resolve_to_private_addresses_are_refused() {
    let server = TestServer::start();
    server.set("/", Reply::ok("text/plain", "secret"));
    let client = HttpClient::new(HttpOptions {
        retries: 0,
        ..HttpOptions::default()
    })
    .unwrap();
    let url = server.url("/").replace("127.0.0.1", "localhost");
    let error = client.get(&url, &Validators::default()).unwrap_err();
    assert!(matches!(error, HttpError::Refused { .. }), "{error}");
    assert!(error.to_string().contains("loopback"), "{error}");
    assert_eq!(server.hits("/"), 0);
}

#[test]
fn redirects_are_followed_capped_and_checked() {
    let server = TestServer::start();
    server.set(
        "/a",
        Reply::Redirect {
            status: 301,
            location: "/b".into(),
        },
    );
    server.set("/b", Reply::ok("text/plain", "here"));
    for i in 0..10 {
        server.set(
            &format!("/loop{i}"),
            Reply::Redirect {
                status: 302,
                location: format!("/loop{}", i + 1),
            },
        );
    }
    server.set(
        "/to-file",
        Reply::Redirect {
            status: 302,
            location: "file:///etc/passwd".into(),
        },
    );
    let client = local(HttpOptions::default());
    let fetched = client.get(&server.url("/a"), &Validators::default()).unwrap();
    assert_eq!(
        (fetched.body.as_slice(), fetched.url.as_str()),
        (&b"here"[..], server.url("/b").as_str())
    );
    let error = client.get(&server.url("/loop0"), &Validators::default()).unwrap_err();
    assert!(matches!(error, HttpError::TooManyRedirects { limit: 5, .. }), "{error}");

    // Each hop is checked: a redirect to a scheme akhbar does not fetch is refused (the same
    // check refuses non-public addresses when they are not allowed).
    let error = client.get(&server.url("/to-file"), &Validators::default()).unwrap_err();
    assert!(matches!(error, HttpError::Refused { .. }), "{error}");
    assert!(error.to_string().contains("file"), "{error}");
}

#[test]
fn conditional_requests_and_not_modified() {
    let server = TestServer::start();
    server.set(
        "/feed",
        Reply::Conditional {
            etag: "\"v1\"".into(),
            reply: Box::new(
                Reply::ok("application/rss+xml", "<rss/>")
                    .with_header("Last-Modified", "Wed, 13 Jul 2022 10:00:00 GMT"),
            ),
        },
    );
    let client = local(HttpOptions::default());
    let first = client.get(&server.url("/feed"), &Validators::default()).unwrap();
    assert!(!first.not_modified);
    assert_eq!(first.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        first.validators.last_modified.as_deref(),
        Some("Wed, 13 Jul 2022 10:00:00 GMT")
    );
    let second = client.get(&server.url("/feed"), &first.validators).unwrap();
    assert!(second.not_modified && second.body.is_empty());
    assert_eq!(second.validators, first.validators);
    let sent = &server.requests("/feed")[1];
    assert_eq!(sent.header("if-none-match"), Some("\"v1\""));
    assert_eq!(sent.header("if-modified-since"), Some("Wed, 13 Jul 2022 10:00:00 GMT"));
    assert!(sent
        .header("accept-encoding")
        .is_some_and(|v| v.contains("gzip") && v.contains("br")));
}

#[test]
fn gzip_bodies_are_decompressed() {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all("خبر عاجل".as_bytes()).unwrap();
    let server = TestServer::start();
    server.set(
        "/gz",
        Reply::ok("text/plain; charset=utf-8", encoder.finish().unwrap()).with_header("Content-Encoding", "gzip"),
    );
    let fetched = local(HttpOptions::default())
        .get(&server.url("/gz"), &Validators::default())
        .unwrap();
    assert_eq!(String::from_utf8(fetched.body).unwrap(), "خبر عاجل");
}

#[test]
fn errors_bodies_and_time_are_capped() {
    let server = TestServer::start();
    server.set("/missing-route-is-404", Reply::status(404));
    server.set("/big", Reply::ok("text/html", vec![b'a'; 4096]));
    server.set("/endless", Reply::Endless);
    server.set(
        "/slow",
        Reply::Slow {
            delay: Duration::from_secs(5),
            reply: Box::new(Reply::ok("text/plain", "late")),
        },
    );
    let client = local(HttpOptions {
        max_body: 1024,
        timeout: Duration::from_millis(700),
        retries: 0,
        ..HttpOptions::default()
    });
    let get = |path: &str| client.get(&server.url(path), &Validators::default()).unwrap_err();
    assert!(matches!(get("/nothing-here"), HttpError::Status { status: 404, .. }));
    assert!(matches!(get("/big"), HttpError::TooLarge { limit: 1024, .. }));
    let started = Instant::now();
    assert!(matches!(get("/endless"), HttpError::TooLarge { .. }));
    let error = get("/slow");
    assert!(matches!(error, HttpError::Timeout { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
}

#[test]
fn transient_failures_are_retried() {
    let server = TestServer::start();
    server.set(
        "/flaky",
        Reply::FirstThen {
            n: 2,
            first: Box::new(Reply::status(503)),
            then: Box::new(Reply::ok("text/plain", "ok")),
        },
    );
    server.set("/gone", Reply::status(410));
    let client = local(HttpOptions {
        retries: 2,
        ..HttpOptions::default()
    });
    assert_eq!(
        client.get(&server.url("/flaky"), &Validators::default()).unwrap().body,
        b"ok"
    );
    assert_eq!(server.hits("/flaky"), 3);
    assert!(client.get(&server.url("/gone"), &Validators::default()).is_err());
    assert_eq!(server.hits("/gone"), 1, "a 410 is not retried");
}

#[test]
fn requests_to_one_host_are_spaced() {
    let server = TestServer::start();
    server.set("/p", Reply::ok("text/plain", "p"));
    let client = HttpClient::new(HttpOptions {
        allow_private: true,
        host_delay: Duration::from_millis(300),
        ..HttpOptions::default()
    })
    .unwrap();
    for _ in 0..3 {
        client.get(&server.url("/p"), &Validators::default()).unwrap();
    }
    let seen = server.requests("/p");
    for pair in seen.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(280), "{gap:?}");
    }
}

#[test]
fn robots_txt_is_honoured() {
    let server = TestServer::start();
    server.set(
        "/robots.txt",
        Reply::ok(
            "text/plain",
            "User-agent: *\nDisallow: /private/\n\nUser-agent: akhbar\nDisallow: /no-akhbar/\n",
        ),
    );
    let client = local(HttpOptions::default());
    assert!(client.allowed(&server.url("/news/1.html")).unwrap());
    assert!(!client.allowed(&server.url("/no-akhbar/1.html")).unwrap());
    assert!(
        client.allowed(&server.url("/private/1.html")).unwrap(),
        "the akhbar group overrides *"
    );
    assert_eq!(server.hits("/robots.txt"), 1, "fetched once per host");

    let other = TestServer::start(); // no robots.txt: 404 allows everything
    assert!(client.allowed(&other.url("/anything")).unwrap());
    let broken = TestServer::start();
    broken.set("/robots.txt", Reply::status(500));
    let client = local(HttpOptions {
        retries: 0,
        ..HttpOptions::default()
    });
    // Unreachable robots.txt: not fetched, and said so (not "disallowed").
    let error = client.allowed(&broken.url("/anything")).unwrap_err();
    assert!(matches!(error, HttpError::RobotsUnavailable { .. }), "{error}");
    assert!(error.to_string().contains("robots.txt could not be read"), "{error}");
}
