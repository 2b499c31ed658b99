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

const LABELS: [(&str, &str, &str); 40] = [
    ("site", "أخبار", "akhbar"),
    ("stories", "القصص", "Stories"),
    ("latest", "آخر القصص", "Latest stories"),
    ("search", "بحث", "Search"),
    ("search_placeholder", "ابحث في الأخبار…", "Search the news…"),
    ("sources", "المصادر", "Sources"),
    ("following", "المتابعة", "Following"),
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
];

/// The labels of `lang`, by key.
pub fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|(key, ar, en)| (*key, if lang == Lang::Ar { *ar } else { *en }))
        .collect()
}
