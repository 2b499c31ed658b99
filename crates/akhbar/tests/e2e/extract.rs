use crate::util::Env;

const PAGE: &str = r#"<!doctype html><html lang="ar" dir="rtl"><head>
<title>حموشي يزور واشنطن | موقع الأخبار</title>
<link rel="canonical" href="https://example.ma/security/42">
<meta name="author" content="سعيد الإدريسي">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"حموشي يزور واشنطن","datePublished":"2022-07-14T09:30:00+01:00"}</script>
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/politique">سياسة</a></nav>
<div class="ticker">عاجل: خبر آخر لا علاقة له بالمقال</div>
<h1>حموشي يزور واشنطن</h1>
<article><div class="entry-content">
<p>أجرى المدير العام للأمن الوطني عبد اللطيف حموشي زيارة عمل إلى واشنطن التقى خلالها مسؤولين أمنيين أمريكيين كبارا.</p>
<div class="read-also">اقرأ أيضا: بوريطة يستقبل نظيره الأمريكي</div>
<p>وتناولت المباحثات التعاون في مكافحة الإرهاب وتبادل المعلومات بين الأجهزة المختصة في البلدين، حسب بلاغ رسمي.</p>
<p>وتأتي الزيارة في سياق تطور مستمر للعلاقات الأمنية والعسكرية بين الرباط وواشنطن خلال السنوات الأخيرة.</p>
<div class="share-buttons">شارك عبر فيسبوك تويتر</div>
</div></article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>"#;

#[test]
fn extract_json_follows_the_contract() {
    let env = Env::new();
    let path = env.write("page.html", PAGE);
    let page = env.run_ok(&["extract", "--json", path.to_str().unwrap()], 0).json();
    assert_eq!(page["title"], "حموشي يزور واشنطن");
    assert_eq!(page["published"], "2022-07-14T09:30:00+01:00");
    assert_eq!(page["author"], "سعيد الإدريسي");
    assert_eq!(page["url"], "https://example.ma/security/42");
    assert_eq!(page["language"], "ar");
    let text = page["text"].as_str().unwrap();
    assert_eq!(text.split("\n\n").count(), 3, "{text}");
    for clutter in ["اقرأ أيضا", "شارك", "عاجل", "الرئيسية", "جميع الحقوق"] {
        assert!(!text.contains(clutter), "{clutter:?} in {text}");
    }
    let keys: Vec<&str> = page.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["author", "language", "published", "text", "title", "url"]);
}

#[test]
fn extract_reports_missing_files_and_urls() {
    let env = Env::new();
    let run = env.run_ok(&["extract", env.path("missing.html").to_str().unwrap()], 2);
    assert!(run.stderr.contains("missing.html"), "{run}");
    let run = env.run_ok(&["extract", "https://host.invalid/a"], 2);
    assert!(run.stderr.contains("https://host.invalid/a: cannot connect"), "{run}");
}
