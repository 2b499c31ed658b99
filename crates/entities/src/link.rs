//! Linking: which entity each mention names. Gazetteer names and nisba adjectives are found
//! directly (they win over the tagger's spans); the tagger's other mentions get a local
//! entity, and a short form (بلينكن, a surname) joins the full name written earlier in the
//! same article (أنتوني بلينكن).

use crate::gazetteer::Gazetteer;
use crate::names::{romanize, NameForms};
use crate::tags::Kind;
use crate::text::sentences;
use crate::Mention;

/// Where an entity is mentioned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntityMention {
    /// Byte offset (into the title or the body, per `part`).
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// The text as written.
    pub text: String,
    /// `title` or `body`.
    #[serde(default)]
    pub part: Part,
}

/// Which part of an article a mention is in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The headline.
    Title,
    /// The text.
    #[default]
    Body,
}

impl Part {
    /// `title` or `body`.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Title => "title",
            Part::Body => "body",
        }
    }
}

/// An entity of an article with its mentions. Field names are part of `akhbar show --json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entity {
    /// Gazetteer id (`antony-blinken`), or a local id from the type and normalized name
    /// (`per-3f2a91c0`), the same in every article.
    pub id: String,
    /// Arabic name (the gazetteer's, or the longest form written).
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// English name when known.
    pub english: Option<String>,
    /// Latin transcription of the Arabic name.
    pub romanized: String,
    /// Mentions in the article, in order.
    pub mentions: Vec<EntityMention>,
}

/// Names the tagger finds that are not entities (`data/gazetteer/not_entities.txt`: ANERcorp's
/// MISC currencies and الله), in the tagger's name form.
static NOT_ENTITIES: std::sync::LazyLock<rustc_hash::FxHashSet<String>> = std::sync::LazyLock::new(|| {
    let forms = NameForms::default();
    include_str!("../data/gazetteer/not_entities.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| forms.phrase(l).join(" "))
        .collect()
});

/// The entities of `text`, from the tagger's `mentions` and the gazetteer.
pub fn link(text: &str, mentions: &[Mention], forms: &NameForms) -> Vec<Entity> {
    let gazetteer = Gazetteer::embedded();
    let mut entities: Vec<Entity> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let add = |entities: &mut Vec<Entity>, id: String, make: &dyn Fn() -> Entity, mention: EntityMention| match entities
        .iter_mut()
        .find(|e| e.id == id)
    {
        Some(entity) => entity.mentions.push(mention),
        None => {
            let mut entity = make();
            entity.mentions.push(mention);
            entities.push(entity);
        }
    };
    // 1. Gazetteer names and nisba adjectives, sentence by sentence.
    for sentence in sentences(text) {
        let words: Vec<&str> = sentence.iter().map(|t| &text[t.start..t.end]).collect();
        let (norm, name) = forms.tokens(words.iter().copied());
        for found in gazetteer.find(&norm, &name) {
            let entry = gazetteer.entry(found.entries[0]);
            let (start, end) = (sentence[found.start].start, sentence[found.end - 1].end);
            // A one-word name that is also a common word (إطار is also the town Atar, الخبر
            // "the news" also Khobar; data/gazetteer/common_words.txt) counts only where the
            // tagger, which gets no gazetteer hint for it, also sees a name of that type.
            if found.ambiguous
                && !mentions
                    .iter()
                    .any(|m| m.start < end && start < m.end && m.kind == entry.kind)
            {
                continue;
            }
            taken.push((start, end));
            let make = || Entity {
                id: entry.id.clone(),
                name: entry.arabic[0].clone(),
                kind: entry.kind,
                english: Some(entry.english.clone()).filter(|e| !e.is_empty()),
                romanized: romanize(&entry.arabic[0]),
                mentions: Vec::new(),
            };
            let mention = EntityMention {
                start,
                end,
                text: text[start..end].to_string(),
                part: Part::Body,
            };
            add(&mut entities, entry.id.clone(), &make, mention);
        }
    }
    // 2. The tagger's mentions that the gazetteer did not cover, longest names first so
    //    that short forms can join them.
    let mut rest: Vec<&Mention> = mentions
        .iter()
        .filter(|m| !taken.iter().any(|&(s, e)| m.start < e && s < m.end))
        .filter(|m| !NOT_ENTITIES.contains(&m.name))
        .collect();
    rest.sort_by_key(|m| std::cmp::Reverse(m.name.split(' ').count()));
    for mention in rest {
        let entry = gazetteer.lookup(&mention.name).first().map(|&i| gazetteer.entry(i));
        let (id, kind) = match entry {
            Some(entry) => (entry.id.clone(), entry.kind),
            None => joined(&entities, mention, forms)
                .unwrap_or_else(|| (local_id(mention.kind, &mention.name), mention.kind)),
        };
        let make = || Entity {
            id: id.clone(),
            name: display_name(&mention.text, forms),
            kind,
            english: None,
            romanized: romanize(&display_name(&mention.text, forms)),
            mentions: Vec::new(),
        };
        let found = EntityMention {
            start: mention.start,
            end: mention.end,
            text: mention.text.clone(),
            part: Part::Body,
        };
        add(&mut entities, id.clone(), &make, found);
    }
    for entity in &mut entities {
        entity.mentions.sort_by_key(|m| m.start);
    }
    entities.sort_by_key(|e| e.mentions.first().map_or(usize::MAX, |m| m.start));
    entities
}

/// The entities of an article: title and body read as one text (so a short form in the body
/// joins a full name in the title), mentions given per part.
pub fn article_entities(title: &str, body: &str, recognizer: &crate::Recognizer) -> Vec<Entity> {
    let text = format!("{title}\n\n{body}");
    let body_start = title.len() + 2;
    let mentions = recognizer.mentions(&text);
    let mut entities = link(&text, &mentions, recognizer.forms());
    for entity in &mut entities {
        entity
            .mentions
            .retain(|m| m.end <= title.len() || m.start >= body_start);
        for mention in &mut entity.mentions {
            if mention.start >= body_start {
                mention.start -= body_start;
                mention.end -= body_start;
            } else {
                mention.part = Part::Title;
            }
        }
    }
    entities.retain(|e| !e.mentions.is_empty());
    entities
}

/// A one-word mention that is the first or last word of a person's longer name already found
/// (جوتشولك → برند جوتشولك): the same person, whatever type the tagger gave the short form.
fn joined(entities: &[Entity], mention: &Mention, forms: &NameForms) -> Option<(String, Kind)> {
    if mention.name.contains(' ') {
        return None;
    }
    let mut candidates = entities.iter().filter(|e| {
        e.kind == Kind::Person
            && e.mentions.iter().any(|m| {
                let words: Vec<String> = m.text.split_whitespace().map(|w| forms.token(w).name.clone()).collect();
                words.len() > 1 && (words.last() == Some(&mention.name) || words.first() == Some(&mention.name))
            })
    });
    let first = candidates.next()?;
    // Two different people share the word: do not guess.
    candidates.next().is_none().then(|| (first.id.clone(), first.kind))
}

/// A stable id for an entity the gazetteer does not know: its type and a hash of its
/// normalized name.
pub fn local_id(kind: Kind, name: &str) -> String {
    format!(
        "{}-{:08x}",
        kind.code().to_ascii_lowercase(),
        xxhash_rust::xxh3::xxh3_64(name.as_bytes()) as u32
    )
}

/// The mention as written, without the conjunction or preposition on its first word.
fn display_name(text: &str, forms: &NameForms) -> String {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        return String::new();
    };
    let f = forms.token(first);
    let stripped = f.prefix.split('+').filter(|p| !p.is_empty() && *p != "ال").count();
    let mut letters = first.char_indices().filter(|(_, c)| c.is_alphabetic());
    let cut = letters.nth(stripped).map_or(first.len(), |(i, _)| i);
    let mut rest = first[cut..].to_string();
    // ل + ال is written لل: the article's alef comes back.
    if stripped > 0 && f.prefix.ends_with("ل+ال") && rest.starts_with('ل') {
        rest.insert(0, 'ا');
    }
    std::iter::once(rest.as_str())
        .chain(words)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_drop_clitics() {
        let forms = NameForms::default();
        for (text, expected) in [
            ("والمغرب", "المغرب"),
            ("بلينكن", "بلينكن"),
            ("للسلطة الفلسطينية", "السلطة الفلسطينية"),
            ("وبرند جوتشولك", "برند جوتشولك"),
        ] {
            assert_eq!(display_name(text, &forms), expected, "{text}");
        }
    }
}

#[cfg(test)]
mod seed_tests {
    use crate::Recognizer;

    const SEED: &str = include_str!("../../../testdata/articles/seed-article.txt");

    #[test]
    fn the_seed_articles_people_places_and_organizations() {
        let recognizer = Recognizer::embedded().unwrap();
        let (title, body) = SEED.split_once('\n').unwrap();
        let entities = super::article_entities(title, body, &recognizer);
        let find = |id: &str| {
            entities.iter().find(|e| e.id == id).unwrap_or_else(|| {
                panic!(
                    "{id} not found in {:?}",
                    entities.iter().map(|e| &e.id).collect::<Vec<_>>()
                )
            })
        };
        for id in [
            "antony-blinken",
            "nasser-bourita",
            "abdellatif-hammouchi",
            "avril-haines",
            "william-burns",
            "christopher-wray",
            "donald-trump",
            "morocco",
            "united-states",
            "washington",
            "rabat",
            "middle-east",
            "cia",
            "fbi",
            "telexpress",
        ] {
            let entity = find(id);
            for mention in &entity.mentions {
                let text = match mention.part {
                    super::Part::Title => title,
                    super::Part::Body => body,
                };
                assert_eq!(
                    &text[mention.start..mention.end],
                    mention.text,
                    "{id}: offsets slice the text"
                );
            }
        }
        // Variants join their entity: the short form, the clitic form, the nisba.
        let texts = |id: &str| find(id).mentions.iter().map(|m| m.text.clone()).collect::<Vec<_>>();
        assert!(texts("antony-blinken").contains(&"بلينكن".to_string()));
        assert!(texts("antony-blinken").contains(&"أنتوني بلينكن".to_string()));
        assert!(texts("rabat").contains(&"والرباط".to_string()));
        assert!(
            texts("morocco").contains(&"المغربي".to_string()),
            "الأمن المغربي names Morocco"
        );
        for variant in ["الولايات المتحدة", "الولايات المتحدة الأمريكية", "أمريكا"]
        {
            assert!(texts("united-states").contains(&variant.to_string()), "{variant}");
        }
        assert_eq!(find("antony-blinken").english.as_deref(), Some("Antony Blinken"));
        // Common words that are also place names elsewhere are not taken for them.
        assert!(
            !entities.iter().any(|e| e.id == "atar" || e.id == "upper-egypt"),
            "في إطار، الصعيدين"
        );
        // الدور المغربي الهام: the adjective "important", spelled like the given name إلهام
        // without its hamza, is no person.
        assert!(
            !entities.iter().any(|e| e.mentions.iter().any(|m| m.text == "الهام")),
            "الهام in {:?}",
            entities.iter().map(|e| &e.name).collect::<Vec<_>>()
        );
    }

    #[test]
    fn currencies_and_god_are_tagged_but_not_entities() {
        let recognizer = Recognizer::embedded().unwrap();
        let text = "وقال الوزير رحمه الله إن الريال ارتفع أمام الدولار واليورو في الرياض.";
        let ids: Vec<String> = super::article_entities("", text, &recognizer)
            .into_iter()
            .map(|e| e.name)
            .collect();
        for word in ["الله", "الريال", "الدولار", "اليورو"] {
            assert!(!ids.iter().any(|n| n == word), "{word} in {ids:?}");
        }
        assert!(ids.iter().any(|n| n == "الرياض"), "{ids:?}");
        let forms = crate::NameForms::default();
        for word in ["اللّه", "والدولار", "بالريال"] {
            let name = forms.token(word).name.clone();
            assert!(super::NOT_ENTITIES.contains(&name), "{word} → {name}");
        }
    }

    #[test]
    fn variants_of_names_and_spellings() {
        let recognizer = Recognizer::embedded().unwrap();
        let cases = [
            ("التقى ترمب بالرئيس في البيت الأبيض", "donald-trump"),
            ("قالت المديرة أفريل هينز إن الوكالة", "avril-haines"),
            ("وأكدت الولايات المتحدة الأميركية دعمها", "united-states"),
            ("وصل الوفد إلى بلبنان أمس", "lebanon"),
        ];
        for (text, id) in cases {
            let entities = super::article_entities("", text, &recognizer);
            assert!(
                entities.iter().any(|e| e.id == id),
                "{text}: {:?}",
                entities.iter().map(|e| &e.id).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn the_document_pass_carries_a_names_type_to_its_bare_mentions() {
        // A company never seen in training, named twice after "شركة" and then bare.
        let recognizer = Recognizer::embedded().unwrap();
        let first_only = Recognizer::with_model(crate::Model::from_bytes(crate::EMBEDDED_MODEL).unwrap());
        let sentences: Vec<Vec<&str>> = [
            "أعلنت شركة كارنوفيا للطاقة أمس عن خسائر كبيرة .",
            "وقالت شركة كارنوفيا في بيان إنها ستغلق مصنعين .",
            "وقال متحدث إن كارنوفيا ستغلق مصنعين .",
            "وتراجعت أسهم كارنوفيا في البورصة .",
        ]
        .iter()
        .map(|s| s.split(' ').collect())
        .collect();
        let document = recognizer.tag_document(&sentences);
        let alone: Vec<Vec<crate::Tag>> = sentences.iter().map(|s| first_only.tag(s)).collect();
        let organization = crate::Tag::begin(crate::Kind::Organization);
        assert_eq!(document[0][2], organization, "{document:?}");
        // Alone, "أسهم كارنوفيا" reads as a place; in the document it is the company.
        assert_ne!(alone[3][2], organization, "{alone:?}");
        assert_eq!(document[3][2], organization, "{document:?}");
    }
}
