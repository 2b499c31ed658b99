//! Formulaic releases: congratulation cables to different countries on different days,
//! receptions held by different bodies, and a roundup of two events. They share most of
//! their words; what tells them apart is their names. Each cable is copied by a newspaper
//! (a copy), but no cable copies another, and each event is its own story. Texts written for
//! the project.

use akhbar_stories::{cluster, Doc, Fingerprint, Fingerprinter, Options};

const DAY: i64 = 24 * 3600;
const BASE: i64 = 1_437_782_400; // 2015-07-25

fn cable(country: &str, president: &str, occasion: &str) -> (String, String) {
    (
        format!("خادم الحرمين الشريفين يهنئ رئيس {country} بذكرى {occasion}"),
        format!(
            "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة لفخامة الرئيس {president} رئيس جمهورية {country} بمناسبة ذكرى {occasion} لبلاده.\n\n\
             وأعرب الملك المفدى باسمه واسم شعب وحكومة المملكة العربية السعودية عن أصدق التهاني وأطيب التمنيات بالصحة والسعادة لفخامته ولحكومة وشعب جمهورية {country} الشقيق اطراد التقدم والازدهار.\n\n\
             كما بعث ولي العهد الأمير محمد بن نايف برقية تهنئة مماثلة لفخامة الرئيس {president} عبر فيها عن أبلغ التهاني وأطيب التمنيات بموفور الصحة والسعادة."
        ),
    )
}

fn reception(body: &str, official: &str, place: &str) -> (String, String) {
    (
        format!("{body} تقيم حفل معايدة لمنسوبيها"),
        format!(
            "أقامت {body} حفل معايدة لمنسوبيها بمناسبة عيد الفطر المبارك في مقرها الرئيس ب{place} بحضور {official} وعدد من المسؤولين والموظفين.\n\n\
             وتبادل الحضور التهاني والتبريكات بهذه المناسبة السعيدة سائلين الله أن يعيده على الجميع بالخير واليمن والبركات.\n\n\
             وأكد {official} في كلمة ألقاها خلال الحفل أن هذه اللقاءات تعزز روح الفريق الواحد بين منسوبي {body} وتسهم في الارتقاء بمستوى الخدمات المقدمة للمواطنين والمقيمين."
        ),
    )
}

struct Item {
    id: &'static str,
    source: &'static str,
    time: i64,
    entities: Vec<String>,
    title: String,
    body: String,
}

fn item(id: &'static str, source: &'static str, time: i64, entities: &[&str], (title, body): (String, String)) -> Item {
    Item {
        id,
        source,
        time,
        entities: entities.iter().map(|e| e.to_string()).collect(),
        title,
        body,
    }
}

fn run(items: &[Item]) -> (akhbar_stories::Clustering, Vec<Fingerprint>) {
    let mut f = Fingerprinter::default();
    let prints: Vec<Fingerprint> = items.iter().map(|i| f.fingerprint(&i.title, &i.body)).collect();
    let docs: Vec<Doc> = items
        .iter()
        .zip(&prints)
        .map(|(i, fingerprint)| Doc {
            id: i.id,
            source: Some(i.source),
            time: i.time,
            entities: &i.entities,
            title_entities: &i.entities[..1],
            fingerprint,
        })
        .collect();
    (cluster(&docs, &Options::default()), prints)
}

/// A reprint: the newspaper's byline, the dispatch's text, a closing line of its own.
fn reprint((title, body): (String, String)) -> (String, String) {
    (
        format!("القيادة تهنئ {}", title.split(" رئيس ").nth(1).unwrap_or(&title)),
        format!("الرياض - واس\n\n{body}\n\nتابعونا على حساباتنا في مواقع التواصل."),
    )
}

#[test]
fn cables_of_one_template_to_different_countries_are_neither_copies_nor_one_story() {
    let countries = [
        ("تشاد", "إدريس ديبي", "اليوم الوطني", "chad"),
        ("المالديف", "عبدالله يامين", "الاستقلال", "maldives"),
        ("بوليفيا", "إيفو موراليس", "الاستقلال", "bolivia"),
        ("الإكوادور", "رافائيل كوريا", "الاستقلال", "ecuador"),
        ("سنغافورة", "توني تان", "اليوم الوطني", "singapore"),
    ];
    let ids = [
        ["spa-1", "okaz-1"],
        ["spa-2", "okaz-2"],
        ["spa-3", "okaz-3"],
        ["spa-4", "okaz-4"],
        ["spa-5", "okaz-5"],
    ];
    let mut items = Vec::new();
    for (k, (country, president, occasion, id)) in countries.iter().enumerate() {
        let time = BASE + k as i64 * DAY;
        let text = cable(country, president, occasion);
        items.push(item(ids[k][0], "spa", time, &[id, "king-salman"], text.clone()));
        items.push(item(
            ids[k][1],
            "okaz",
            time + 3 * 3600,
            &[id, "king-salman"],
            reprint(text),
        ));
    }
    let (result, _) = run(&items);
    for k in 0..countries.len() {
        let (agency, paper) = (2 * k, 2 * k + 1);
        assert_eq!(result.copy_of[agency], None, "{}", items[agency].id);
        assert_eq!(
            result.copy_of[paper],
            Some(agency),
            "{} copies {}",
            items[paper].id,
            items[agency].id
        );
        assert_eq!(result.story[paper], result.story[agency]);
        for other in 0..countries.len() {
            if other != k {
                assert_ne!(
                    result.story[agency],
                    result.story[2 * other],
                    "{} and {} are different cables",
                    items[agency].id,
                    items[2 * other].id
                );
            }
        }
    }
    assert_eq!(result.stories.len(), countries.len());
}

#[test]
fn receptions_of_different_bodies_on_one_day_are_different_stories() {
    let bodies = [
        (
            "وزارة النقل",
            "وكيل الوزارة عبدالعزيز العوهلي",
            "الرياض",
            "moi-transport",
        ),
        (
            "جامعة الإمام",
            "مدير الجامعة سليمان أبا الخيل",
            "الرياض",
            "imam-university",
        ),
        ("هيئة الهلال الأحمر", "رئيس الهيئة فيصل بن عبدالله", "جدة", "red-crescent"),
        (
            "أمانة منطقة الرياض",
            "الأمين إبراهيم السلطان",
            "الرياض",
            "riyadh-municipality",
        ),
    ];
    let mut items = Vec::new();
    let ids = [["a-1", "b-1"], ["a-2", "b-2"], ["a-3", "b-3"], ["a-4", "b-4"]];
    for (k, (body, official, place, id)) in bodies.iter().enumerate() {
        let time = BASE + k as i64 * 3600;
        let (title, text) = reception(body, official, place);
        items.push(item(ids[k][0], "aljazirah", time, &[id], (title.clone(), text.clone())));
        // Another paper's own report of the same reception.
        let other = format!(
            "احتفلت {body} بعيد الفطر المبارك مع منسوبيها في {place}.\n\nوقال {official} إن الحفل يجسد روح الأسرة الواحدة بين العاملين في {body}، مهنئا الجميع بالعيد."
        );
        items.push(item(
            ids[k][1],
            "alyaum",
            time + 1800,
            &[id],
            (format!("{body} تعايد منسوبيها"), other),
        ));
    }
    let (result, _) = run(&items);
    for k in 0..bodies.len() {
        assert_eq!(
            result.story[2 * k],
            result.story[2 * k + 1],
            "{} and {}",
            ids[k][0],
            ids[k][1]
        );
        for other in 0..k {
            assert_ne!(
                result.story[2 * k],
                result.story[2 * other],
                "{} and {}",
                ids[k][0],
                ids[other][0]
            );
        }
    }
}

#[test]
fn a_roundup_of_two_events_does_not_merge_their_stories() {
    let tender = |n: usize| {
        (
            format!("المؤسسة العامة للحبوب تطرح مناقصة لشراء 550 ألف طن من القمح {}", ["", "الصلب", "المستورد"][n]),
            "طرحت المؤسسة العامة لصوامع الغلال ومطاحن الدقيق مناقصة دولية لشراء خمسمائة وخمسين ألف طن من القمح الصلب على أن يتم توريدها خلال شهري أكتوبر ونوفمبر المقبلين عبر موانئ جدة والدمام وينبع.\n\nوأوضحت المؤسسة أن آخر موعد لتقديم العروض هو يوم الاثنين المقبل وأن الشحنات ستخضع للفحص المخبري قبل التفريغ.".to_string(),
        )
    };
    let payments = |n: usize| {
        (
            format!("صرف مستحقات مزارعي القمح في منطقة الجوف {}", ["", "والقصيم", "بعد التأخير"][n]),
            "بدأ صندوق التنمية الزراعية صرف مستحقات مزارعي القمح المحليين عن محصول هذا الموسم في مناطق الجوف والقصيم وحائل بإجمالي مئتين وعشرين مليون ريال.\n\nوقال مدير فرع الصندوق إن المزارعين سيتسلمون مستحقاتهم عبر حساباتهم البنكية خلال أسبوعين من اعتماد الكشوف.".to_string(),
        )
    };
    let mut items = Vec::new();
    let tender_ids = ["t-1", "t-2", "t-3"];
    let payment_ids = ["p-1", "p-2", "p-3"];
    let sources = ["alriyadh", "okaz", "alyaum"];
    for n in 0..3 {
        items.push(item(
            tender_ids[n],
            sources[n],
            BASE + n as i64 * 1200,
            &["grain-organization", "jeddah"],
            tender(n),
        ));
        items.push(item(
            payment_ids[n],
            sources[n],
            BASE + 600 + n as i64 * 1200,
            &["agricultural-fund", "al-jouf"],
            payments(n),
        ));
    }
    let (t, t_body) = tender(0);
    let (p, p_body) = payments(0);
    items.push(item(
        "roundup",
        "aleqtisadiya",
        BASE + 4 * 3600,
        &["grain-organization", "agricultural-fund", "jeddah", "al-jouf"],
        (format!("{t} .. و{p}"), format!("{t_body}\n\n{p_body}")),
    ));
    let (result, _) = run(&items);
    let tender_story = result.story[0];
    let payment_story = result.story[1];
    assert_ne!(tender_story, payment_story);
    for n in 0..3 {
        assert_eq!(result.story[2 * n], tender_story, "{}", tender_ids[n]);
        assert_eq!(result.story[2 * n + 1], payment_story, "{}", payment_ids[n]);
    }
}

#[test]
fn a_reprint_published_a_week_later_is_no_copy() {
    let text = cable("تشاد", "إدريس ديبي", "اليوم الوطني");
    let items = [
        item("spa-1", "spa", BASE, &["chad"], text.clone()),
        item("okaz-1", "okaz", BASE + 7 * DAY, &["chad"], reprint(text)),
    ];
    let (result, _) = run(&items);
    assert_eq!(result.copy_of, [None, None]);
}
