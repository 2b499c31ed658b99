//! What is rising: `akhbar rising`, `/api/rising` and `/rising` on an archive written for the
//! test (a week of ordinary news, then one day on which four outlets report one visit), and on
//! a day of the real corpus with a known burst when `../shared` is there.

use crate::util::Env;
use std::io::BufRead;
use std::path::Path;

/// Seven days on which two outlets write about Riyadh's municipal works, then a day on which
/// four outlets report Blinken's visit to Rabat.
fn archive() -> String {
    let mut lines = Vec::new();
    let works = [
        "أعلنت أمانة الرياض بدء أعمال صيانة الطرق في أحياء شمال المدينة خلال الأسبوع الجاري.",
        "افتتحت أمانة الرياض حديقة جديدة في حي النرجس ضمن خطة لزيادة المساحات الخضراء.",
        "أطلقت أمانة الرياض حملة لتنظيف الأسواق الشعبية استعدادا لموسم الصيف.",
        "بدأت أمانة الرياض تركيب إشارات مرورية ذكية على الطرق الرئيسية في المدينة.",
        "وقعت أمانة الرياض عقودا لتطوير الأرصفة والإنارة في وسط المدينة.",
        "أعلنت أمانة الرياض نتائج حملة رقابية على المطاعم والمحلات التجارية.",
        "دشنت أمانة الرياض مشروعا لتصريف مياه الأمطار في جنوب المدينة.",
    ];
    for (day, text) in works.iter().enumerate() {
        for outlet in ["alpha", "beta"] {
            lines.push(serde_json::json!({
                "id": format!("{outlet}-works-{day}"),
                "source": outlet,
                "date": format!("2015-08-0{} 09:{}0:00", day + 1, if outlet == "alpha" { 1 } else { 2 }),
                "title": format!("أمانة الرياض: مشروع جديد في يوم {}", day + 1),
                "content": format!("{text} وقال مسؤول في الأمانة إن المشروع يخدم سكان الرياض. {}", if outlet == "alpha" { "تابعونا على ألفا." } else { "تابعونا على بيتا." }),
            }));
        }
    }
    let visit = [
        ("alpha", "بلينكن يصل إلى الرباط في زيارة رسمية", "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى الرباط في زيارة رسمية يلتقي خلالها وزير الخارجية المغربي ناصر بوريطة لبحث التعاون الأمني."),
        ("beta", "وزير الخارجية الأمريكي بلينكن في الرباط", "حل أنتوني بلينكن وزير الخارجية الأمريكي بالرباط اليوم في زيارة رسمية يبحث فيها مع ناصر بوريطة التعاون الأمني بين البلدين."),
        ("gamma", "زيارة بلينكن إلى الرباط تبحث التعاون الأمني", "يبحث وزير الخارجية الأمريكي أنتوني بلينكن في الرباط مع نظيره ناصر بوريطة التعاون الأمني خلال زيارة رسمية بدأت اليوم."),
        ("delta", "بلينكن وبوريطة يبحثان في الرباط التعاون الأمني", "التقى ناصر بوريطة وزير الخارجية المغربي في الرباط نظيره الأمريكي أنتوني بلينكن الذي يقوم بزيارة رسمية لبحث التعاون الأمني."),
    ];
    for (k, (outlet, title, body)) in visit.iter().enumerate() {
        lines.push(serde_json::json!({
            "id": format!("{outlet}-visit"),
            "source": outlet,
            "date": format!("2015-08-08 1{k}:00:00"),
            "title": title,
            "content": body,
        }));
    }
    lines.iter().map(|l| l.to_string() + "\n").collect()
}

#[test]
fn a_name_that_four_outlets_suddenly_report_rises_in_the_cli() {
    let env = Env::new();
    let path = env.write("news.jsonl", archive());
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let rising = env
        .run_ok(&["rising", "--json", "--at", "2015-08-09T00:00:00Z"], 0)
        .json();
    assert_eq!(rising["at"], "2015-08-09T00:00:00Z");
    let entities = rising["entities"].as_array().unwrap();
    let blinken = entities
        .iter()
        .find(|e| e["id"] == "antony-blinken")
        .unwrap_or_else(|| panic!("{rising}"));
    let mut keys: Vec<&str> = blinken.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["baseline", "count", "id", "name", "score", "type"]);
    assert_eq!(blinken["count"], 4);
    assert_eq!(blinken["baseline"], 0.0);
    assert_eq!(blinken["type"], "PER");
    // Riyadh is in the news every day: not rising.
    assert!(!entities.iter().any(|e| e["id"] == "riyadh"), "{rising}");
    // The visit: one story that four outlets joined that day.
    let stories = rising["stories"].as_array().unwrap();
    let visit = stories
        .iter()
        .find(|s| s["title"].as_str().unwrap_or("").contains("بلينكن"))
        .unwrap_or_else(|| panic!("{rising}"));
    assert_eq!(visit["new_sources"], 4);
    assert_eq!(visit["sources"], 4);
    // The day before, nothing rises; a bad time is a clear error.
    let before = env
        .run_ok(&["rising", "--json", "--at", "2015-08-08T00:00:00Z"], 0)
        .json();
    assert!(!before["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "antony-blinken"));
    let bad = env.run(&["rising", "--at", "yesterday"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("RFC 3339"), "{}", bad.stderr);
    // The text form names it too.
    assert!(env
        .run_ok(&["rising", "--at", "2015-08-09T00:00:00Z"], 0)
        .stdout
        .contains("بلينكن"));
}

#[test]
fn rising_in_the_api_and_on_the_page() {
    let env = Env::new();
    let path = env.write("news.jsonl", archive());
    env.run_ok(&["ingest", path.to_str().unwrap()], 0);
    let cli = env
        .run_ok(&["rising", "--json", "--at", "2015-08-09T00:00:00Z"], 0)
        .json();
    let server = crate::web::start(&env);
    let client = crate::web::client();
    let api: serde_json::Value = client
        .get(format!("{}/api/rising?at=2015-08-09T00:00:00Z", server.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(api, cli, "the API answers what the command prints");
    let bad = client
        .get(format!("{}/api/rising?at=soon", server.base))
        .send()
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    assert!(bad.text().unwrap().starts_with("{\"error\""));
    let page = client
        .get(format!("{}/rising?at=2015-08-09&lang=en", server.base))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("href=\"/entities/antony-blinken?lang=en\""), "{page}");
    assert!(page.contains("href=\"/feeds/entities/antony-blinken\""), "{page}");
    let story = cli["stories"][0]["id"].as_str().unwrap();
    assert!(page.contains(&format!("href=\"/stories/{story}?lang=en\"")), "{page}");
    assert!(
        page.contains("<a href=\"/rising?lang=en\">Rising</a>"),
        "the menu links the page"
    );
}

/// The corpus, every eighth article of 21 July to 6 August 2015.
fn corpus_sample() -> Option<String> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/saudinewsnet.jsonl.gz");
    let file = std::fs::File::open(shared).ok()?;
    let mut out = String::new();
    let mut n = 0;
    for line in std::io::BufReader::new(flate2::read::GzDecoder::new(file)).lines() {
        let line = line.ok()?;
        let value: serde_json::Value = serde_json::from_str(&line).ok()?;
        let day = value["date"].as_str().unwrap_or("").get(..10).unwrap_or("").to_string();
        if ("2015-07-21"..="2015-08-06").contains(&day.as_str()) {
            n += 1;
            if n % 8 == 0 {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    Some(out)
}

#[test]
fn on_the_corpus_the_day_the_new_suez_canal_opened() {
    let Some(sample) = corpus_sample() else {
        eprintln!("skipped: ../shared/corpus/saudinewsnet.jsonl.gz is not here");
        return;
    };
    let env = Env::new();
    let path = env.write("corpus.jsonl", sample);
    // A few records of the corpus are headlines without text: refused, the rest lands (1).
    let ingest = env.run(&["ingest", path.to_str().unwrap()]);
    assert!(ingest.code <= 1 && ingest.stdout.contains(" new,"), "{}", ingest.stderr);
    let rising = env
        .run_ok(&["rising", "--json", "--at", "2015-08-07T00:00:00Z"], 0)
        .json();
    let ids: Vec<&str> = rising["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    eprintln!("rising on 6 August 2015: {ids:?}");
    // On 6 August 2015 Egypt opened the new Suez Canal; that day the Muslim World League
    // condemned al-Maliki's words on the Kingdom, Jordan and Saudi Arabia issued a joint
    // statement, and Malaysia confirmed the MH370 debris at the ASEAN meeting.
    let in_the_news = [
        "suez-canal",
        "new-suez-canal",
        "suez-canal-authority",
        "mwl",
        "abdullah-ii",
        "jordan",
        "asean",
        "malaysia",
        "nouri-al-maliki",
    ];
    assert!(
        ids.iter()
            .take(10)
            .any(|id| id.starts_with("suez-canal") || *id == "new-suez-canal"),
        "{ids:?}"
    );
    let known = ids.iter().take(5).filter(|id| in_the_news.contains(id)).count();
    assert!(known >= 2, "{known} of the top five were in the news that day: {ids:?}");
}
