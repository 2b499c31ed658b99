//! The words around a name that change what it names (`data/gazetteer/contexts.tsv`): an
//! institution word before a person's or place's name (مستشفى الملك فهد is a hospital), a
//! patronym before a person's name (بن عبدالعزيز inside King Salman's name), a language word
//! before a nisba (اللغة الإنجليزية), a formula after a name (صلى الله عليه وسلم).

use crate::names::NameForms;
use crate::tags::Kind;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// What a context word does to the name next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A person's or place's name after it names an institution.
    Institution,
    /// A person's name after it names a place.
    NamedPlace,
    /// May stand between an institution word and the name (الملك).
    Title,
    /// A nisba after it names a language.
    Language,
    /// The name after it is an ancestor's, inside another person's name (بن).
    Patronym,
    /// The name after it is a family's (آل).
    Family,
    /// A formula word after a name, not part of it (صلى).
    Honorific,
    /// The cities after it name their regions (منطقتي، مناطق).
    Regions,
    /// A region's governor: the city after it names its region (أمير نجران).
    Regional,
    /// The cities after it name their governorates (محافظة الطائف، محافظ جدة، محافظتي تعز).
    Governorates,
    /// A draw's group or pot (المجموعة، المستوى): the countries listed after it (and after
    /// its number and a colon) are national teams.
    Draw,
    /// A club's or an outlet's word (نادي، قناة): a person or place after it names the club
    /// or outlet, an organization after it is that organization.
    ClubOrOutlet,
    /// A preposition: no word to look past for an institution (مهرجان في حائل).
    Preposition,
    /// A meeting or a text named after a place (مؤتمر الرياض، إعلان القاهرة، اتفاق فيينا):
    /// the place's name after it names the event, a person's or organization's does not.
    Event,
    /// A currency word: a nisba after it names the currency (الريال السعودي), not the country.
    Currency,
    /// A match's opponent word (أمام، ضد، نواجه): in a sport report (`Sport`), the countries
    /// after it are national teams.
    Versus,
    /// A word that makes its sentence a sport report (مباراة، المنتخب، كأس).
    Sport,
    /// A military or academic title: a nisba right after it is a family name (اللواء السويدي).
    Rank,
    /// An ordinal (الأول، الثانية): المستوى الأول ألمانيا is a draw's pot.
    Ordinal,
    /// A word after a place's name that makes it an institution's or company's name
    /// (الجبيل وينبع الصناعيتان, القصيم الزراعية).
    InstitutionAfter,
}

const CONTEXTS: &str = include_str!("../data/gazetteer/contexts.tsv");

/// A line of `contexts.tsv` that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("contexts.tsv:{line}: {reason}")]
pub struct ContextError {
    /// 1-based line.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// Reads `word<TAB>role` lines; words keyed by their name form.
pub fn parse(text: &str, forms: &NameForms) -> (FxHashMap<String, u32>, Vec<ContextError>) {
    let mut roles = FxHashMap::default();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((word, role)) = line.split_once('\t') else {
            errors.push(ContextError {
                line: n + 1,
                reason: "expected word<TAB>role".into(),
            });
            continue;
        };
        let role = match role.trim() {
            "institution" => Role::Institution,
            "named-place" => Role::NamedPlace,
            "title" => Role::Title,
            "language" => Role::Language,
            "patronym" => Role::Patronym,
            "family" => Role::Family,
            "honorific" => Role::Honorific,
            "regions" => Role::Regions,
            "regional" => Role::Regional,
            "governorates" => Role::Governorates,
            "draw" => Role::Draw,
            "club-or-outlet" => Role::ClubOrOutlet,
            "preposition" => Role::Preposition,
            "event" => Role::Event,
            "currency" => Role::Currency,
            "versus" => Role::Versus,
            "sport" => Role::Sport,
            "institution-after" => Role::InstitutionAfter,
            "ordinal" => Role::Ordinal,
            "rank" => Role::Rank,
            other => {
                errors.push(ContextError {
                    line: n + 1,
                    reason: format!("unknown role {other:?}"),
                });
                continue;
            }
        };
        *roles.entry(forms.token(word.trim()).name.clone()).or_insert(0) |= role.bit();
    }
    (roles, errors)
}

impl Role {
    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A word's roles, one bit per [`Role`]: a word may have several (كأس names a cup after it
/// and makes its sentence a sport report).
static ROLES: LazyLock<FxHashMap<String, u32>> = LazyLock::new(|| parse(CONTEXTS, &NameForms::default()).0);

/// Whether a word (its name form: normalized, clitics off) has this role.
pub fn is(name: &str, role: Role) -> bool {
    ROLES.get(name).is_some_and(|roles| roles & role.bit() != 0)
}

/// Whether a word has any role.
fn has_role(name: &str) -> bool {
    ROLES.contains_key(name)
}

/// Whether the words before a name (`before`: name forms, nearest last) make it part of an
/// institution's or place's name, for a name of this kind: مستشفى الملك فهد, جامعة تبوك.
/// `titled` says the name's own first word is a title (الملك فهد).
pub fn inside_institution(before: &[&str], kind: Kind, titled: bool) -> bool {
    let mut words = before.iter().rev().filter(|w| w.chars().any(char::is_alphabetic));
    let mut word = words.next();
    // One title may stand between: مطار الملك خالد.
    if !titled && word.is_some_and(|w| is(w, Role::Title)) {
        word = words.next();
    }
    let names = |word: Option<&&str>| {
        word.is_some_and(|w| {
            is(w, Role::Institution)
                // A club or an outlet is an organization named like one: نادي الهلال is the club.
                || (is(w, Role::ClubOrOutlet) && kind != Kind::Organization)
                || (is(w, Role::NamedPlace) && kind == Kind::Person)
                || (is(w, Role::Event) && kind == Kind::Location)
        })
    };
    if names(word) {
        return true;
    }
    // One plain word may stand between a place and the institution word: مهرجان صيف حائل,
    // مركز صحي الباحة (not a preposition: مهرجان في حائل is in Hail).
    kind != Kind::Person && word.is_some_and(|w| !has_role(w)) && names(words.next())
}

/// Whether a person's name is an ancestor's inside another person's name (the word before it
/// is بن).
pub fn after_patronym(before: &[&str]) -> bool {
    before.last().is_some_and(|w| is(w, Role::Patronym))
}

/// Whether a nisba names a language here: the word before it is a language word (اللغة،
/// يتحدث، ترجم), perhaps with a preposition between (ترجم إلى الماليزية), or the words
/// before it are other languages of a list back to one (باللغات العربية والإنجليزية،
/// لغات: الأردية – البنغالية – الهندية).
pub fn after_language(before: &[&str]) -> bool {
    const LIST_OPENERS: [&str; 5] = ["هي", "منها", "مثل", "هما", "اهمها"];
    const PREPOSITIONS: [&str; 3] = ["الي", "من", "عن"];
    let mut listed = 0;
    let mut first = true;
    for w in before.iter().rev() {
        // لغات وهي (العربية والإنجليزية…, لغات منها الفرنسية.
        if between_list_members(w) || LIST_OPENERS.contains(w) {
            continue;
        }
        if is(w, Role::Language) {
            return true;
        }
        if first && PREPOSITIONS.contains(w) {
            first = false;
            continue;
        }
        first = false;
        // Another language of the list: an adjective in ية.
        if listed == 8 || !w.ends_with("يه") {
            return false;
        }
        listed += 1;
    }
    false
}

/// Whether a word (a name form) only stands between the members of a list: punctuation, or
/// و written apart (عسير و الباحة).
pub fn between_list_members(word: &str) -> bool {
    word.is_empty() || word == "و" || !word.chars().any(char::is_alphabetic)
}

/// Whether a nisba names a currency here: the word before it is a currency's (الريال
/// السعودي، فرنك سويسري).
pub fn after_currency(before: &[&str]) -> bool {
    before.last().is_some_and(|w| is(w, Role::Currency))
}

/// Whether a word is a formula that follows a name without being part of it.
pub fn is_honorific(name: &str) -> bool {
    is(name, Role::Honorific)
}

/// The rest of a person's full name from `from` (name forms of a sentence's words): `بن X`
/// (or `بن عبد X`) as often as it repeats, then `آل Y`. Returns the end (exclusive) and the
/// first ancestor's name with its spaces removed (عبدالعزيز), or `None` when no chain
/// follows.
pub fn patronym_chain(names: &[String], from: usize) -> Option<(usize, Option<String>)> {
    let mut i = from;
    let mut father = None;
    while i + 1 < names.len() && is(&names[i], Role::Patronym) {
        let mut ancestor = names[i + 1].clone();
        i += 2;
        // عبد العزيز, written as two words.
        if ancestor == "عبد" && i < names.len() {
            ancestor.push_str(&names[i]);
            i += 1;
        }
        father.get_or_insert(ancestor);
    }
    if i + 1 < names.len() && is(&names[i], Role::Family) {
        i += 2;
    }
    (i > from).then_some((i, father))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_reads_without_errors() {
        let (roles, errors) = parse(CONTEXTS, &NameForms::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(roles.len() > 50);
        assert_eq!(
            parse("x\tthing\n", &NameForms::default()).1[0].to_string(),
            "contexts.tsv:1: unknown role \"thing\""
        );
    }

    #[test]
    fn institutions_titles_patronyms() {
        let forms = NameForms::default();
        let names = |text: &str| -> Vec<String> { text.split(' ').map(|w| forms.token(w).name.clone()).collect() };
        let cases = [
            ("افتتح مستشفى", Kind::Person, true, true),
            ("وصل إلى مطار الملك", Kind::Person, false, true),
            ("زار بجامعة", Kind::Location, false, true),
            ("في مدينة", Kind::Location, false, false),
            ("مدينة الملك", Kind::Person, false, true),
            ("وقع الطرفان اتفاق", Kind::Location, false, true),
            ("وقع الطرفان اتفاق", Kind::Organization, false, false),
            ("قال الملك", Kind::Person, false, false),
            ("وصل إلى", Kind::Location, false, false),
        ];
        for (before, kind, titled, expected) in cases {
            let words = names(before);
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            assert_eq!(inside_institution(&refs, kind, titled), expected, "{before}");
        }
        let full = names("سلمان بن عبد العزيز آل سعود إن");
        assert_eq!(patronym_chain(&full, 1), Some((6, Some("عبدالعزيز".to_string()))));
        assert_eq!(patronym_chain(&full, 6), None);
        let words = names("وأكد الأمير خالد بن");
        assert!(after_patronym(&words.iter().map(String::as_str).collect::<Vec<_>>()));
        let language = |text: &str| {
            let words = names(text);
            after_language(&words.iter().map(String::as_str).collect::<Vec<_>>())
        };
        for (before, expected) in [
            ("باللغة", true),
            ("ترجم إلى", true),
            ("يتحدث", true),
            ("باللغات العربية و", true),
            ("اللغات : الأردية – البنغالية – التركية –", true),
            ("الحكومة", false),
            ("قال إن الحكومتين العراقية و", false),
            ("وصل إلى", false),
        ] {
            assert_eq!(language(before), expected, "{before}");
        }
        assert!(is_honorific(&forms.token("صلى").name));
        assert!(after_currency(&[forms.token("بالريال").name.as_str()]));
        assert!(!after_currency(&[forms.token("المنتخب").name.as_str()]));
    }
}
