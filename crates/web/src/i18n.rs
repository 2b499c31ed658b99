//! Interface labels in Arabic (the default) and English (`?lang=en`).

use std::collections::BTreeMap;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Arabic, right to left.
    Ar,
    /// English, left to right.
    En,
}

impl Lang {
    /// From a `lang` query parameter.
    pub fn from_param(value: Option<&str>) -> Lang {
        match value {
            Some("en") => Lang::En,
            _ => Lang::Ar,
        }
    }
    /// `ar` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }
    /// `rtl` or `ltr`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::En => "ltr",
        }
    }
}

const LABELS: &[(&str, &str, &str)] = &[
    ("site", "أخبار", "akhbar"),
    ("stories", "القصص", "Stories"),
    ("latest", "آخر القصص", "Latest stories"),
    ("search", "بحث", "Search"),
    ("search_placeholder", "ابحث في الأخبار…", "Search the news…"),
    ("sources", "المصادر", "Sources"),
    ("following", "المتابعة", "Following"),
    ("rising", "الصاعد", "Rising"),
    ("rising_names", "أسماء تتصدر الأخبار", "Names rising in the news"),
    ("rising_stories", "قصص انضمت إليها مصادر", "Stories outlets joined"),
    ("rising_window", "في الساعات الأربع والعشرين حتى", "In the 24 hours to"),
    ("usually", "المعتاد", "usually"),
    ("new_outlets", "مصادر جديدة", "new outlets"),
    (
        "nothing_rising",
        "لا شيء يعلو على المعتاد",
        "Nothing far above the usual",
    ),
    ("outlets", "مصادر", "outlets"),
    ("articles", "مقالات", "articles"),
    ("article", "مقال", "article"),
    ("copies", "نسخ", "copies"),
    ("copy_of", "نسخة من", "copy of"),
    ("entities", "الأسماء", "Names"),
    ("timeline", "التسلسل الزمني", "Timeline"),
    ("related", "تغطيات مرتبطة", "Related coverage"),
    ("original", "المصدر الأصلي", "Original"),
    ("no_results", "لا نتائج", "No results"),
    ("results", "نتائج", "results"),
    ("next", "التالي", "Next"),
    ("previous", "السابق", "Previous"),
    ("mentions_per_day", "الإشارات يوميا", "Mentions per day"),
    ("mentioned_with", "يذكر مع", "Mentioned with"),
    ("feed", "خلاصة Atom", "Atom feed"),
    ("health", "الحالة", "Health"),
    ("last_fetch", "آخر جلب", "Last fetch"),
    ("failures", "إخفاقات متتالية", "Failures in a row"),
    ("interval", "الفاصل (دقائق)", "Interval (min)"),
    ("source", "المصدر", "Source"),
    ("from", "من", "From"),
    ("to", "إلى", "To"),
    ("entity", "الاسم", "Name"),
    ("any", "الكل", "Any"),
    ("people", "أشخاص", "People"),
    ("organizations", "هيئات", "Organizations"),
    ("places", "أماكن", "Places"),
    ("other_names", "أسماء أخرى", "Other names"),
    ("other_language", "English", "العربية"),
    ("other_lang_code", "en", "ar"),
    ("nothing_followed", "لا متابعات بعد", "Nothing followed yet"),
    ("follow", "متابعة", "Follow"),
    ("unfollow", "إلغاء المتابعة", "Unfollow"),
    ("admin_token", "رمز المشرف", "Admin token"),
    (
        "token_help",
        "رمز المشرف الذي طبعه akhbar serve عند تشغيله أول مرة: يلزم للمتابعة وإضافة المصادر وحذفها",
        "The admin token akhbar serve printed when first started: needed to follow, add and remove sources",
    ),
    ("ok", "سليم", "OK"),
    ("feed_url", "رابط الخلاصة أو الموقع", "Feed or site address"),
    ("source_name", "اسم المصدر (اختياري)", "Source name (optional)"),
    ("add_source", "إضافة مصدر", "Add a source"),
    ("import_opml", "استيراد OPML", "Import OPML"),
    (
        "opml_text",
        "نص ملف OPML من قارئ خلاصات آخر",
        "The text of an OPML file from another feed reader",
    ),
    ("remove", "حذف", "Remove"),
    ("kind_entity", "اسم", "Name"),
    ("kind_source", "مصدر", "Source"),
    ("kind_search", "بحث", "Search"),
    ("kind_story", "قصة", "Story"),
    ("whole_story", "القصة كاملة", "Whole story"),
    ("story_link", "القصة", "Story"),
    ("type_PER", "شخص", "Person"),
    ("type_LOC", "مكان", "Place"),
    ("type_ORG", "هيئة", "Organization"),
    ("type_MISC", "اسم آخر", "Other name"),
    (
        "day_format",
        "يوم بصيغة سنة-شهر-يوم، يدخل في النطاق",
        "A day as year-month-day, included in the range",
    ),
    ("outlets_in_archive", "منافذ في الأرشيف", "Outlets in the archive"),
    (
        "outlets_help",
        "منافذ تذكرها المقالات المخزنة ولا يجلبها akhbar: افتحها وتابعها كأي مصدر",
        "Outlets the stored articles name that akhbar does not poll: open and follow them like any source",
    ),
    ("reading", "للقراءة", "Reading"),
    ("sign_in", "دخول", "Sign in"),
    ("sign_out", "خروج", "Sign out"),
    ("signed_in_as", "أنت داخل باسم", "Signed in as"),
    ("user_name", "اسم المستخدم", "User name"),
    ("password", "كلمة المرور", "Password"),
    (
        "wrong_login",
        "اسم المستخدم أو كلمة المرور غير صحيحين",
        "Wrong user name or password",
    ),
    (
        "sign_in_help",
        "حساب يُنشئه المشرف (akhbar users add): يحفظ متابعاتك وما قرأته، ويزامن تطبيقات القراءة. القراءة بلا حساب متاحة دائمًا.",
        "An account the administrator makes (akhbar users add): it keeps your follows and what you read, and syncs reader apps. Reading without one always works.",
    ),
    ("unread", "غير مقروءة", "Unread"),
    ("all_items", "الكل", "All"),
    ("starred", "المميزة بنجمة", "Starred"),
    ("all_follows", "كل المتابعات", "All follows"),
    ("is_read", "قُرئ", "Read"),
    ("mark_read", "تعليمه مقروءًا", "Mark read"),
    ("mark_unread", "تعليمه غير مقروء", "Mark unread"),
    ("star", "☆ نجمة", "☆ Star"),
    ("unstar", "★ إزالة النجمة", "★ Unstar"),
    ("mark_all_read", "تعليم الكل مقروءًا", "Mark all as read"),
    ("nothing_unread", "لا شيء غير مقروء", "Nothing unread"),
    ("nothing_here", "لا مقالات هنا", "No articles here"),
    (
        "entity_filter_help",
        "اسم أو معرّف، مثل ناصر بوريطة",
        "A name or an id, such as Nasser Bourita",
    ),
];

/// The labels of `lang`, by key.
pub fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|(key, ar, en)| (*key, if lang == Lang::Ar { *ar } else { *en }))
        .collect()
}

/// Month names (standard Arabic, as most Arab outlets write them) and English abbreviations.
const MONTHS: [(&str, &str); 12] = [
    ("يناير", "Jan"),
    ("فبراير", "Feb"),
    ("مارس", "Mar"),
    ("أبريل", "Apr"),
    ("مايو", "May"),
    ("يونيو", "Jun"),
    ("يوليو", "Jul"),
    ("أغسطس", "Aug"),
    ("سبتمبر", "Sep"),
    ("أكتوبر", "Oct"),
    ("نوفمبر", "Nov"),
    ("ديسمبر", "Dec"),
];

/// An RFC 3339 time as a reader reads it, the same way on every page: `15 يوليو 2022، 10:00`
/// or `15 Jul 2022, 10:00` (UTC; day only when `with_time` is false). Anything else is
/// returned as given.
pub fn when(time: &str, lang: Lang, with_time: bool) -> String {
    use chrono::{Datelike, Timelike};
    let parsed = chrono::DateTime::parse_from_rfc3339(time)
        .map(|t| t.with_timezone(&chrono::Utc))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(time.get(..10).unwrap_or(time), "%Y-%m-%d")
                .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        });
    let Ok(t) = parsed else {
        return time.to_string();
    };
    let (ar, en) = MONTHS[t.month0() as usize];
    let day = match lang {
        Lang::Ar => format!("{} {ar} {}", t.day(), t.year()),
        Lang::En => format!("{} {en} {}", t.day(), t.year()),
    };
    if !with_time {
        return day;
    }
    let comma = if lang == Lang::Ar { "،" } else { "," };
    format!("{day}{comma} {:02}:{:02}", t.hour(), t.minute())
}

/// A counted noun's forms: Arabic one, two, 3–10, 11–99 (accusative singular), then English
/// one and many.
const COUNTED: [(&str, [&str; 4], [&str; 2]); 6] = [
    (
        "results",
        ["نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة"],
        ["result", "results"],
    ),
    (
        "articles",
        ["مقال واحد", "مقالان", "مقالات", "مقالًا"],
        ["article", "articles"],
    ),
    (
        "outlets",
        ["مصدر واحد", "مصدران", "مصادر", "مصدرًا"],
        ["outlet", "outlets"],
    ),
    ("copies", ["نسخة واحدة", "نسختان", "نسخ", "نسخة"], ["copy", "copies"]),
    ("stories", ["قصة واحدة", "قصتان", "قصص", "قصة"], ["story", "stories"]),
    (
        "mentions",
        ["ذكر واحد", "ذكران", "مرات ذكر", "مرة ذكر"],
        ["mention", "mentions"],
    ),
];

/// `n` and the noun in the form the number takes: مقال واحد، مقالان، 3 مقالات، 11 مقالًا،
/// 100 مقال; 1 article, 3 articles. An unknown noun is written after the number as given.
pub fn count(n: u64, noun: &str, lang: Lang) -> String {
    let Some((_, ar, en)) = COUNTED.iter().find(|(key, _, _)| *key == noun) else {
        return format!("{n} {noun}");
    };
    match lang {
        Lang::En => format!("{n} {}", if n == 1 { en[0] } else { en[1] }),
        Lang::Ar => match (n, n % 100) {
            (1, _) => ar[0].to_string(),
            (2, _) => ar[1].to_string(),
            (_, 3..=10) => format!("{n} {}", ar[2]),
            (_, 11..=99) => format!("{n} {}", ar[3]),
            // 0, and hundreds and thousands ending in 0-2: the genitive singular (100 مقال).
            _ => format!("{n} {}", ar[0].split(' ').next().unwrap_or(ar[0])),
        },
    }
}

/// Outlets' display names by slug (`data/outlets.tsv`): (Arabic, English).
static OUTLETS: std::sync::LazyLock<BTreeMap<String, (String, String)>> = std::sync::LazyLock::new(|| {
    include_str!("../data/outlets.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut columns = l.split('\t');
            let slug = columns.next()?.trim().to_lowercase();
            let arabic = columns.next()?.trim().to_string();
            let english = columns.next().unwrap_or(&arabic).trim().to_string();
            Some((slug, (arabic, english)))
        })
        .collect()
});

/// The name a reader knows an outlet by: `spa` → وكالة الأنباء السعودية (Saudi Press Agency
/// in English); a name that is not a known slug is shown as it is.
pub fn outlet(name: &str, lang: Lang) -> String {
    match OUTLETS.get(&name.trim().to_lowercase()) {
        Some((arabic, english)) => match lang {
            Lang::Ar => arabic.clone(),
            Lang::En => english.clone(),
        },
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_agree_with_their_nouns() {
        for (n, noun, lang, written) in [
            (1, "articles", Lang::Ar, "مقال واحد"),
            (2, "articles", Lang::Ar, "مقالان"),
            (3, "articles", Lang::Ar, "3 مقالات"),
            (10, "outlets", Lang::Ar, "10 مصادر"),
            (11, "articles", Lang::Ar, "11 مقالًا"),
            (99, "copies", Lang::Ar, "99 نسخة"),
            (100, "articles", Lang::Ar, "100 مقال"),
            (103, "articles", Lang::Ar, "103 مقالات"),
            (0, "stories", Lang::Ar, "0 قصة"),
            (1, "articles", Lang::En, "1 article"),
            (2, "copies", Lang::En, "2 copies"),
        ] {
            assert_eq!(count(n, noun, lang), written, "{n} {noun}");
        }
    }

    #[test]
    fn outlets_by_the_names_readers_know() {
        assert_eq!(outlet("spa", Lang::Ar), "وكالة الأنباء السعودية");
        assert_eq!(outlet("SPA", Lang::En), "Saudi Press Agency");
        assert_eq!(outlet("هسبريس", Lang::Ar), "هسبريس");
    }

    #[test]
    fn times_read_one_way_in_both_languages() {
        assert_eq!(when("2022-07-15T10:05:00Z", Lang::Ar, true), "15 يوليو 2022، 10:05");
        assert_eq!(when("2022-07-15T10:05:00+01:00", Lang::En, true), "15 Jul 2022, 09:05");
        assert_eq!(when("2022-07-15", Lang::Ar, false), "15 يوليو 2022");
        assert_eq!(when("soon", Lang::Ar, true), "soon");
    }
}
