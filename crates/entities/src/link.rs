//! Linking: which entity each mention names. Gazetteer names and nisba adjectives are found
//! directly (they win over the tagger's spans); the tagger's other mentions get a local
//! entity, and a short form (بلينكن, a surname) joins the full name written earlier in the
//! same article (أنتوني بلينكن).

use crate::context;
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

/// Stems that make an article a sport report where three of them are found.
const SPORT_WORDS: [&str; 8] = ["مباراة", "مباريات", "لاعب", "مدرب", "الدوري", "المنتخب", "بطولة", "ملعب"];

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
///
/// A gazetteer name is linked where the text supports it: written as the entry writes it
/// when it is short or marked `exact` (باب is not إب), seen as a name by the tagger when it is
/// also a common word or a month, not inside an institution's name (مستشفى الملك فهد) or
/// another person's (بن عبدالعزيز), not followed by another country's nisba or a word the
/// entry excludes; a person's name runs on through `بن X … آل Y` when the ancestors agree
/// with the entry's. Of several entries with one name, the one of the tagger's type wins.
pub fn link(text: &str, mentions: &[Mention], forms: &NameForms) -> Vec<Entity> {
    let gazetteer = Gazetteer::embedded();
    let mut entities: Vec<Entity> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    // Spans that are not what a tagger's mention inside them would say either.
    let mut blocked: Vec<(usize, usize)> = Vec::new();
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
    // Takes the mention at byte `start` off entity `id` (a list read it as something else).
    let unlink = |entities: &mut Vec<Entity>, id: &str, start: usize| {
        if let Some(at) = entities.iter().position(|e| e.id == id) {
            entities[at].mentions.retain(|m| m.start != start);
            if entities[at].mentions.is_empty() {
                entities.remove(at);
            }
        }
    };
    // A mention of gazetteer entry `index` at `start..end` of the body.
    let add_entry = |entities: &mut Vec<Entity>, index: u32, start: usize, end: usize| {
        let entry = gazetteer.entry(index);
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
        add(entities, entry.id.clone(), &make, mention);
    };
    // Matches of entries that need another entity in the article: (start, end, entry, the
    // other reading of a one-word match).
    let lexicon = crate::Lexicon::embedded();
    let mut deferred: Vec<(usize, usize, Vec<u32>, Option<u32>)> = Vec::new();
    // Bare forms of one country's offices (وزارة الداخلية), decided once the article's places
    // are known: (start, end, entry).
    let mut local: Vec<(usize, usize, u32)> = Vec::new();
    // Contested one-word forms (الاتحاد, عكاظ), decided once the article is read: (start,
    // end, entry, the word's name form); the words the article uses for other names (the
    // entries of longer names with the word, `None` for a match a rule turned down); the
    // entries the article names with a form of more than one word.
    let mut contested: Vec<(usize, usize, u32, String)> = Vec::new();
    let mut other_senses: rustc_hash::FxHashMap<String, Vec<Option<u32>>> = Default::default();
    let mut named_in_full: Vec<u32> = Vec::new();
    // The family names of the article's people (the last word of a tagged name of two words
    // or more): وقال التركي after عبدالله التركي is the man, not Turkey.
    let family_names: rustc_hash::FxHashSet<String> = mentions
        .iter()
        .filter(|m| m.kind == Kind::Person && m.name.contains(' '))
        .filter_map(|m| m.name.rsplit(' ').next())
        .map(|w| forms.token(w).name.clone())
        .collect();
    // A sport report: sport words in three places or more (for `sport:ID` rules), counted
    // the first time an entry with such a rule is met.
    let sport_report = std::cell::OnceCell::new();
    let sport_report =
        || *sport_report.get_or_init(|| SPORT_WORDS.iter().map(|w| text.matches(w).count()).sum::<usize>() >= 3);
    // 1. Gazetteer names and nisba adjectives, sentence by sentence.
    for sentence in sentences(text) {
        let words: Vec<&str> = sentence.iter().map(|t| &text[t.start..t.end]).collect();
        let (norm, name) = forms.tokens(words.iter().copied());
        let mut skip_until = 0;
        // Where the last city read as its region ended (the next one in the list is too).
        let mut region_list_end: Option<usize> = None;
        let mut governorate_list_end: Option<usize> = None;
        let mut draw_list_end: Option<usize> = None;
        // A sport report: a country after an opponent's word is its national team.
        let sport = name.iter().any(|w| context::is(w, context::Role::Sport));
        // The places read so far, for lists of regions and of cities.
        let mut placed: Vec<Placed> = Vec::new();
        // The countries of a sport report, for lists of teams.
        let mut countries: Vec<Country> = Vec::new();
        let glue = context::between_list_members;
        // The region, governorate or national team (`word`: منطقه, محافظه, منتخب) of a place
        // named at words `from..to` (منطقة مكة المكرمة for مكة المكرمة).
        let division_of = |word: &str, from: usize, to: usize| {
            let rest = norm[from + 1..to].iter().map(|t| format!(" {t}")).collect::<String>();
            gazetteer
                .lookup(&format!("{word} {}{rest}", name[from]))
                .first()
                .copied()
        };
        let region_of = |from: usize, to: usize| division_of("منطقه", from, to);
        for found in gazetteer.find(&norm, &name) {
            if found.start < skip_until {
                continue;
            }
            let (start, end) = (sentence[found.start].start, sentence[found.end - 1].end);
            let tagged = |kind: Kind| {
                mentions
                    .iter()
                    .any(|m| m.start < end && start < m.end && m.kind == kind)
            };
            let tagger_kind = mentions.iter().find(|m| m.start < end && start < m.end).map(|m| m.kind);
            // Of several entries with this name, the one of the tagger's type (برشلونة the
            // club in a match report, the city elsewhere).
            let index = found
                .entries
                .iter()
                .copied()
                .find(|&i| Some(gazetteer.entry(i).kind) == tagger_kind)
                .unwrap_or(found.entries[0]);
            // A place's name shared by two places (عمان: Oman and Amman) is the one whose
            // country the sentence names (السفارة السعودية في الأردن ... بعمان).
            let others = (0..norm.len())
                .filter(|i| !(found.start..found.end).contains(i))
                .map(|i| (norm[i].as_str(), name[i].as_str()));
            let index = place_with_its_country(gazetteer, &found.entries, index, others);
            // A dateline names a city, not a country of the same name (عمان 25 شوال is Amman).
            let index = match gazetteer.entry(index).is_country() && dateline(text, start, end) {
                true => found
                    .entries
                    .iter()
                    .copied()
                    .find(|&i| gazetteer.entry(i).kind == Kind::Location && !gazetteer.entry(i).is_country())
                    .unwrap_or(index),
                false => index,
            };
            let mut entry = gazetteer.entry(index);
            // A one-word name that is also a common word (إطار is also the town Atar, الخبر
            // "the news" also Khobar; data/gazetteer/common_words.txt), a month (نيسان), or
            // an entry marked ambiguous counts only where the tagger, which gets no gazetteer
            // hint for it, also sees a name of that type.
            let month = found.end - found.start == 1 && akhbar_arabic::month_named(&name[found.start]).is_some();
            if (found.ambiguous || month || entry.rules.ambiguous) && !tagged(entry.kind) {
                continue;
            }
            if !found.nisba && !gazetteer.written_ok(index, &words[found.start..found.end]) {
                continue;
            }
            // A word that is a word of its own is not a clitic on a name: وفيات "deaths" is
            // not و + فيات (Fiat). The gazetteer tries such splits where the segmenter did
            // not (بلبنان); a token that combines widely with clitics in news is a word.
            let first = &words[found.start];
            let split_by_hand = !gazetteer
                .first_tokens(index, found.nisba, forms)
                .iter()
                .any(|t| *t == norm[found.start] || *t == name[found.start]);
            if split_by_hand && forms.token(first).evidence.0 >= 3 {
                continue;
            }
            // A nisba is written with its final ي: المجرى "the channel" is not المجري.
            if found.nisba
                && found.end - found.start == 1
                && first.trim_end_matches(|c: char| !c.is_alphabetic()).ends_with('ى')
            {
                continue;
            }
            let before: Vec<&str> = name[found.start.saturating_sub(4)..found.start]
                .iter()
                .map(String::as_str)
                .collect();
            let titled = context::is(&name[found.start], context::Role::Title);
            let next = name.get(found.end).map(String::as_str);
            let one_word = found.end - found.start == 1;
            // A name written with ب or ل is where something is or whom it is for (فندق
            // بالدمام, جمعية البر بالأحساء), not inside an institution's name.
            let clitic = first
                .trim_start_matches(['و', 'ف'])
                .chars()
                .next()
                .filter(|c| ['ب', 'ل'].contains(c) && !name[found.start].starts_with(*c));
            let preposition = clitic.is_some();
            let excluded = (!found.nisba && !preposition && context::inside_institution(&before, entry.kind, titled))
                || (entry.kind == Kind::Person && context::after_patronym(&before))
                || (found.nisba
                    && (in_language(first)
                        || context::after_currency(&before)
                        || context::after_language(
                            &name[found.start.saturating_sub(16)..found.start]
                                .iter()
                                .map(String::as_str)
                                .collect::<Vec<_>>(),
                        )))
                // A place's name right after a person's title is a family name (الدكتور
                // السويد), written without a preposition (الفريق بالقاهرة is the team in
                // Cairo); an adjective there is the person's (الرئيس الأمريكي).
                || (entry.kind == Kind::Location
                    && !found.nisba
                    && norm[found.start] == name[found.start]
                    && before.last().is_some_and(|w| {
                        w.starts_with("ال")
                            && lexicon
                                .triggers(w)
                                .iter()
                                .any(|&(kind, side)| kind == Kind::Person && side == crate::lexicon::Side::Before)
                    }))
                || ((found.nisba || entry.kind == Kind::Location)
                    && mentions
                        .iter()
                        .any(|m| m.kind == Kind::Person && m.start < start && end <= m.end))
                // The first word of a person's name the tagger reads on (برنت سوندرز, باريس
                // هيلتون) is not the crude or the city.
                || (!found.nisba
                    && entry.kind != Kind::Person
                    && mentions
                        .iter()
                        .any(|m| m.kind == Kind::Person && m.start <= start && end < m.end))
                || (entry.kind == Kind::Location
                    && before
                        .last()
                        .is_some_and(|w| context::is(w, context::Role::Family)))
                // A family name: of a person the article names in full (وقال التركي), or a
                // nisba right after a given name or a rank (صباح الجزائري, اللواء السويدي).
                || ((found.nisba || entry.kind == Kind::Location)
                    && one_word
                    && family_names.contains(&name[found.start]))
                || (found.nisba
                    && one_word
                    && name[found.start].starts_with("ال")
                    && name[found.start].ends_with('ي')
                    && before
                        .last()
                        .is_some_and(|w| lexicon.is_given_name(w) || context::is(w, context::Role::Rank)))
                // A place inside a short quoted name is part of that name («فجر ليبيا»,
                // «نيويورك بوست», «شكسبير القصيم»), unless a preposition puts it there
                // («الأفضل في أفريقيا» may say where).
                || (entry.kind == Kind::Location
                    && !found.nisba
                    && !preposition
                    && !before.last().is_some_and(|w| context::is(w, context::Role::Preposition))
                    && in_short_quote(&words, found.start, found.end))
                // A place in an institution's or company's name (وينبع الصناعيتان).
                || (entry.kind == Kind::Location
                    && !found.nisba
                    && next.is_some_and(|w| context::is(w, context::Role::InstitutionAfter)))
                || next.is_some_and(|w| entry.rules.not_before.iter().any(|n| n == w))
                || before
                    .last()
                    .is_some_and(|w| entry.rules.not_after.iter().any(|n| n == w))
                || entry.rules.country.as_ref().is_some_and(|home| {
                    next.is_some_and(|w| {
                        let of = gazetteer.nisba_of(w);
                        !of.is_empty() && !of.iter().any(|&c| gazetteer.entry(c).id == *home)
                    })
                });
            if excluded {
                if one_word {
                    other_senses.entry(name[found.start].clone()).or_default().push(None);
                }
                blocked.push((start, end));
                continue;
            }
            // A city named as a region is its region (بمنطقتي الباحة ونجران).
            if entry.kind == Kind::Location && !found.nisba {
                // After a list word, a regional office (صحة حائل, أمير نجران), before
                // ومحافظاتها, or next to a city already read as its region.
                // A list runs on over punctuation and و (مناطق ( تبوك و الجوف …).
                let listed =
                    before.iter().rev().find(|w| !glue(w)).is_some_and(|w| {
                        context::is(w, context::Role::Regions) || context::is(w, context::Role::Regional)
                    }) || next.is_some_and(|w| w.starts_with("محافظات"))
                        || region_list_end
                            .is_some_and(|e| e <= found.start && name[e..found.start].iter().all(|w| glue(w)));
                let region = listed.then(|| region_of(found.start, found.end)).flatten();
                if let Some(region) = region {
                    entry = gazetteer.entry(region);
                    region_list_end = Some(found.end);
                } else if entry
                    .arabic
                    .iter()
                    .any(|f| f.starts_with("منطقة ") || f.starts_with("المنطقة "))
                {
                    // A region named as one (القصيم, منطقة الرياض): the cities listed after it
                    // are regions too (والقصيم وتبوك ومنطقة المدينة المنورة).
                    region_list_end = Some(found.end);
                }
            }
            // A city named as its governorate (محافظة الطائف, محافظ جدة, محافظتي تعز ومأرب) is
            // the governorate's entry, or not linked when the gazetteer has none (nor is a sea:
            // محافظة البحر الأحمر); a place that is a division itself (الأحساء) stays. A list
            // goes on as a region list does.
            if entry.kind == Kind::Location && !found.nisba {
                if entry.arabic.iter().any(|f| f.starts_with("محافظة ")) {
                    governorate_list_end = Some(found.end);
                } else if before
                    .iter()
                    .rev()
                    .find(|w| !glue(w))
                    .is_some_and(|w| context::is(w, context::Role::Governorates))
                    || governorate_list_end
                        .is_some_and(|e| e <= found.start && name[e..found.start].iter().all(|w| glue(w)))
                {
                    governorate_list_end = Some(found.end);
                    if !entry.is_division() {
                        match division_of("محافظه", found.start, found.end) {
                            Some(governorate) => entry = gazetteer.entry(governorate),
                            None => {
                                blocked.push((start, end));
                                continue;
                            }
                        }
                    }
                }
            }
            // A country in a draw's list (المجموعة الخامسة: رومانيا.. الدنمرك, المستوى الثاني:
            // سلوفاكيا والنمسا وإيطاليا), or after an opponent's word in a sport report (أمام
            // الأرجنتين), is its national team: the team's entry (منتخب X) when the gazetteer
            // has one, else not linked.
            if entry.is_country() && !found.nisba {
                let is_draw = |w: &str| context::is(w, context::Role::Draw);
                let mut words = before.iter().rev().filter(|w| !glue(w));
                let (first, second) = (words.next(), words.next());
                let colon = before.last().is_some_and(|w| w.trim() == ":");
                let versus = sport && first.is_some_and(|w| context::is(w, context::Role::Versus));
                let listed = versus
                    || first.is_some_and(|w| is_draw(w))
                    || ((colon || first.is_some_and(|w| context::is(w, context::Role::Ordinal)))
                        && second.is_some_and(|w| is_draw(w)))
                    || draw_list_end.is_some_and(|e| e <= found.start && name[e..found.start].iter().all(|w| glue(w)));
                let team = || division_of("منتخب", found.start, found.end);
                if sport && !listed {
                    let place = preposition || first.is_some_and(|w| context::is(w, context::Role::Preposition));
                    let index = gazetteer.by_index(&entry.id).unwrap_or(index);
                    countries.push(Country {
                        words: (found.start, found.end),
                        bytes: (start, end),
                        entry: index,
                        team: team(),
                        after_place: place,
                    });
                }
                if listed {
                    draw_list_end = Some(found.end);
                    match team() {
                        Some(team) => entry = gazetteer.entry(team),
                        None => {
                            blocked.push((start, end));
                            continue;
                        }
                    }
                }
            }
            // In a sport report a club's town is the club (واصل نجران تدريباته), but where
            // something is (في نجران, بنجران).
            let club = entry
                .rules
                .sport
                .as_deref()
                .and_then(|id| gazetteer.by_id(id))
                .filter(|_| {
                    clitic != Some('ب')
                        && sport_report()
                        && !before
                            .last()
                            .is_some_and(|w| context::is(w, context::Role::Preposition))
                });
            if let Some(club) = club {
                entry = club;
            }
            // A region's seat said bare is its region (جازان), but after مدينة, in a dateline
            // (جازان - واس, سبق- جازان:) and where a rule above decided.
            let mut seat = None;
            if let Some(other) = entry
                .rules
                .bare
                .as_deref()
                .and_then(|id| gazetteer.by_id(id))
                .filter(|_| club.is_none())
            {
                let after_place_word = before.last().is_some_and(|w| context::is(w, context::Role::NamedPlace));
                if !after_place_word && !dateline(text, start, end) && found.end - found.start == 1 {
                    seat = gazetteer.by_index(&entry.id);
                    entry = other;
                }
            }
            // «الشرق الأوسط» in quotation marks is the newspaper.
            if let Some(other) = entry.rules.quoted.as_deref().and_then(|id| gazetteer.by_id(id)) {
                // Some outlets write the marks the other way round (ل»الرياض»).
                let quoted = text[..start].trim_end().ends_with(['«', '»', '"', '“', '”'])
                    && text[end..].trim_start().starts_with(['»', '«', '"', '”', '“']);
                if quoted {
                    entry = other;
                }
            }
            // A person's name runs on through its ancestors (سلمان بن عبدالعزيز آل سعود): one
            // mention, unless the ancestors are not the entry's (then another person).
            let mut last = found.end;
            if entry.kind == Kind::Person && !found.nisba {
                if let Some((chain_end, father)) = context::patronym_chain(&name, found.end) {
                    let entry_father = gazetteer.father(index);
                    if let (Some(a), Some(b)) = (&father, &entry_father) {
                        if a != b {
                            blocked.push((start, sentence[chain_end - 1].end));
                            skip_until = chain_end;
                            continue;
                        }
                    }
                    last = chain_end;
                    skip_until = chain_end;
                } else if name[found.start..found.end]
                    .iter()
                    .any(|t| context::is(t, context::Role::Patronym))
                    && mentions
                        .iter()
                        .any(|m| m.kind == Kind::Person && m.start <= start && m.end > end)
                    && next.is_some_and(|w| !context::is(w, context::Role::Title))
                {
                    // عبدالله بن عبدالعزيز الربيعة: the full name goes on with another family.
                    blocked.push((start, end));
                    continue;
                }
            }
            let end = sentence[last - 1].end;
            taken.push((start, end));
            // Entries that need company in the article are decided once it is all read: the
            // entries of this name in the tagger's type, this one first.
            let index = gazetteer.by_index(&entry.id).unwrap_or(index);
            if found.end - found.start > 1 {
                named_in_full.push(index);
                for word in &name[found.start..found.end] {
                    other_senses.entry(word.clone()).or_default().push(Some(index));
                }
            }
            if entry.rules.contested && one_word {
                contested.push((start, end, index, name[found.start].clone()));
                continue;
            }
            let mut candidates: Vec<u32> = vec![index];
            candidates.extend(
                found
                    .entries
                    .iter()
                    .copied()
                    .filter(|&i| i != index && gazetteer.entry(i).kind == entry.kind),
            );
            if let (true, Some(home)) = (entry.rules.local, entry.rules.country.as_deref()) {
                // Said in full (وزارة الداخلية السعودية), it is this entry wherever it is.
                let said = name[found.start..found.end]
                    .iter()
                    .any(|t| gazetteer.nisba_of(t).iter().any(|&c| gazetteer.entry(c).id == home));
                if !said {
                    local.push((start, end, index));
                    continue;
                }
            }
            if candidates.iter().any(|&i| !gazetteer.entry(i).rules.with.is_empty()) {
                let other = (found.end - found.start == 1)
                    .then(|| words[found.start].strip_prefix(['و', 'ف', 'ب', 'ل', 'ك']))
                    .flatten()
                    .and_then(|rest| gazetteer.lookup(&forms.token(rest).norm).first().copied());
                deferred.push((start, end, candidates, other));
                continue;
            }
            if entry.kind == Kind::Location && !found.nisba {
                let is_region = entry
                    .arabic
                    .iter()
                    .any(|f| f.starts_with("منطقة ") || f.starts_with("المنطقة "));
                let region = (!is_region).then(|| region_of(found.start, found.end)).flatten();
                let governorate = entry.note.starts_with("governorate of");
                placed.push(Placed {
                    words: (found.start, found.end),
                    bytes: (start, end),
                    entry: index,
                    region,
                    governorate: (!governorate)
                        .then(|| division_of("محافظه", found.start, found.end))
                        .flatten(),
                    is_region: is_region && seat.is_none(),
                    is_governorate: governorate,
                    seat,
                    city: !is_region && region.is_none() && !entry.is_country(),
                });
            }
            add_entry(&mut entities, index, start, end);
        }
        // In a sport report, a list of countries not after a place's preposition is a list of
        // teams (بين هولندا والسويد وفرنسا; في قطر والإمارات stays the places).
        for list in lists(countries.iter().map(|c| c.words), &name) {
            let list = &countries[list];
            if list.len() < 2 || list[0].after_place {
                continue;
            }
            for &Country {
                bytes: (start, end),
                entry,
                team,
                ..
            } in list
            {
                unlink(&mut entities, &gazetteer.entry(entry).id, start);
                match team {
                    Some(team) => add_entry(&mut entities, team, start, end),
                    None => blocked.push((start, end)),
                }
            }
        }
        // A list of places with a region in it is a list of regions (الشرقية و الرياض
        // والمدينة المنورة ومكة المكرمة وعسير): its cities name their regions too, the ones
        // before the first region as well as after it; so with governorates (لحج وتعز وأبين).
        // A list of cities that are no region's
        // seat (جدة والدمام والخرج وحائل) is a list of cities: a seat said bare in it is the
        // city.
        for list in lists(placed.iter().map(|p| p.words), &name) {
            let list = &placed[list];
            let moved: Vec<(u32, u32, (usize, usize))> = if list.len() < 2 {
                Vec::new()
            } else if list.iter().any(|p| p.is_region) {
                list.iter()
                    .filter_map(|p| Some((p.entry, p.region?, p.bytes)))
                    .collect()
            } else if list.iter().any(|p| p.is_governorate) {
                list.iter()
                    .filter_map(|p| Some((p.entry, p.governorate?, p.bytes)))
                    .collect()
            } else if list.iter().any(|p| p.city) {
                list.iter().filter_map(|p| Some((p.entry, p.seat?, p.bytes))).collect()
            } else {
                Vec::new()
            };
            for (from, to, (start, end)) in moved {
                unlink(&mut entities, &gazetteer.entry(from).id, start);
                add_entry(&mut entities, to, start, end);
            }
        }
    }
    // A contested word (الاتحاد) is its entry unless the article uses it for other names and
    // never names the entry in full: then the one other name, or none.
    for (start, end, index, word) in contested {
        let others: Vec<Option<u32>> = other_senses
            .get(&word)
            .map(|o| o.iter().copied().filter(|&e| e != Some(index)).collect())
            .unwrap_or_default();
        let chosen = if others.is_empty() || named_in_full.contains(&index) {
            Some(index)
        } else {
            others[0].filter(|&first| others.iter().all(|&o| o == Some(first)))
        };
        match chosen {
            Some(chosen) => add_entry(&mut entities, chosen, start, end),
            None => blocked.push((start, end)),
        }
    }
    // Entries that need company: with it, themselves; without, the other reading or nothing.
    for (start, end, candidates, other) in deferred {
        let named = |ids: &[String]| entities.iter().any(|e| ids.contains(&e.id));
        // The first whose company is there, else the first that needs none, else the other
        // reading of the word.
        let chosen = candidates
            .iter()
            .copied()
            .find(|&i| {
                let with = &gazetteer.entry(i).rules.with;
                !with.is_empty() && named(with)
            })
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .find(|&i| gazetteer.entry(i).rules.with.is_empty())
            })
            .or(other);
        if let Some(chosen) = chosen {
            add_entry(&mut entities, chosen, start, end);
        }
    }
    // An office's bare name is its country's unless the article names another country and
    // none of its places.
    for (start, end, index) in local {
        let home = gazetteer.entry(index).rules.country.as_deref().unwrap_or_default();
        let named = |here: &dyn Fn(&crate::gazetteer::Entry) -> bool| {
            entities.iter().any(|e| gazetteer.by_id(&e.id).is_some_and(here))
        };
        let abroad = !named(&|e| gazetteer.in_country(e, home)) && named(&|e| e.is_country() && e.id != home);
        if abroad {
            blocked.push((start, end));
        } else {
            add_entry(&mut entities, index, start, end);
        }
    }
    // 2. The tagger's mentions that the gazetteer did not cover, longest names first so
    //    that short forms can join them.
    let mut rest: Vec<Mention> = mentions
        .iter()
        .filter(|m| !taken.iter().any(|&(s, e)| m.start < e && s < m.end))
        .filter(|m| !blocked.iter().any(|&(s, e)| s <= m.start && m.end <= e))
        .filter_map(|m| trimmed(text, m, forms))
        .filter(|m| !NOT_ENTITIES.contains(&m.name))
        .filter(|m| {
            let one_word = !m.name.contains(' ');
            // A month (نيسان), a word that only announces a name (منظمة، معهد) is no name.
            !(one_word && (akhbar_arabic::month_named(&m.name).is_some() || !lexicon.triggers(&m.name).is_empty()))
        })
        .filter(|m| {
            let before = words_before(text, m.start, forms);
            let before: Vec<&str> = before.iter().map(String::as_str).collect();
            let titled = m
                .name
                .split(' ')
                .next()
                .is_some_and(|w| context::is(w, context::Role::Title));
            let inside = context::inside_institution(&before, m.kind, titled)
                || (m.kind == Kind::Person && context::after_patronym(&before));
            !inside
        })
        .collect();
    rest.sort_by_key(|m| std::cmp::Reverse(m.name.split(' ').count()));
    for mention in &rest {
        let entry = gazetteer
            .lookup(&mention.name)
            .first()
            .or_else(|| short_form(&mention.name, mention.kind))
            .map(|&i| gazetteer.entry(i));
        let (id, kind) = match entry {
            Some(entry) => (entry.id.clone(), entry.kind),
            None => match joined(&entities, mention, forms) {
                Some(found) => found,
                // A bare given name (عبدالله, محمد) that joins no full name says who only to a
                // reader of the whole article: no entity of its own.
                None if mention.kind == Kind::Person && bare_given_name(&mention.name, lexicon) => continue,
                None => (local_id(mention.kind, &mention.name), mention.kind),
            },
        };
        // A gazetteer entry keeps its own name and English name, however the text wrote it.
        let name = entry.map_or_else(|| display_name(&mention.text, forms), |e| e.arabic[0].clone());
        let make = || Entity {
            id: id.clone(),
            name: name.clone(),
            kind,
            english: entry.map(|e| e.english.clone()).filter(|e| !e.is_empty()),
            romanized: romanize(&name),
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

/// The runs of names (word ranges of one sentence, in order) that stand in one list: only
/// punctuation and و between neighbours (الرياض، وجدة و الدمام). Indexes into the names.
fn lists(spans: impl Iterator<Item = (usize, usize)>, names: &[String]) -> Vec<std::ops::Range<usize>> {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    let mut last_end = None;
    for (i, (start, end)) in spans.enumerate() {
        let joined = last_end
            .is_some_and(|e: usize| e <= start && names[e..start].iter().all(|w| context::between_list_members(w)));
        match runs.last_mut() {
            Some(run) if joined => run.end = i + 1,
            _ => runs.push(i..i + 1),
        }
        last_end = Some(end);
    }
    runs
}

/// A country named in a sport report, for the lists of teams it may stand in.
struct Country {
    /// Its words in the sentence (first, one past the last).
    words: (usize, usize),
    /// Its bytes in the text.
    bytes: (usize, usize),
    /// The entry it is linked to.
    entry: u32,
    /// Its national team's entry (منتخب X), if the gazetteer has one.
    team: Option<u32>,
    /// Whether a place's preposition or a clitic ب or ل comes before it (في قطر).
    after_place: bool,
}

/// A place linked in a sentence, for the lists it may stand in.
struct Placed {
    /// Its words in the sentence (first, one past the last).
    words: (usize, usize),
    /// Its bytes in the text.
    bytes: (usize, usize),
    /// The entry it is linked to.
    entry: u32,
    /// Its region's entry, for a city that is a region's seat.
    region: Option<u32>,
    /// Its governorate's entry, for a city that is a governorate's seat.
    governorate: Option<u32>,
    /// Whether it is a governorate and nothing else (لحج, أبين).
    is_governorate: bool,
    /// Whether it is a region (not one a seat said bare was read as).
    is_region: bool,
    /// The seat's own entry, for a seat said bare and read as its region (حائل).
    seat: Option<u32>,
    /// Whether it is a city that is no region's seat (جدة).
    city: bool,
}

/// Of the places sharing a name (عمان: Oman and Amman), the one that is not a country and
/// whose country another word of the sentence names (`words`: its normalized and name
/// forms), else `chosen`.
fn place_with_its_country<'a>(
    gazetteer: &Gazetteer,
    entries: &[u32],
    chosen: u32,
    words: impl Iterator<Item = (&'a str, &'a str)>,
) -> u32 {
    let is_place = |i: u32| gazetteer.entry(i).kind == Kind::Location;
    if !is_place(chosen) || entries.iter().filter(|&&i| is_place(i)).count() < 2 {
        return chosen;
    }
    let countries: Vec<&str> = words
        .flat_map(|(norm, name)| gazetteer.lookup(norm).iter().chain(gazetteer.nisba_of(name)))
        .map(|&c| gazetteer.entry(c))
        .filter(|e| e.is_country())
        .map(|e| e.id.as_str())
        .collect();
    entries
        .iter()
        .copied()
        .filter(|&i| is_place(i))
        .find(|&i| {
            let entry = gazetteer.entry(i);
            !entry.is_country() && countries.iter().any(|c| gazetteer.in_country(entry, c))
        })
        .unwrap_or(chosen)
}

/// Whether the words `from..to` of a sentence stand inside quotation marks with one to three
/// other words (a name: «فجر ليبيا», «كويا دبي»), not alone and not in a longer quotation.
fn in_short_quote(words: &[&str], from: usize, to: usize) -> bool {
    const MOST: usize = 4;
    let count = |ws: &[&str]| ws.iter().filter(|w| w.chars().any(char::is_alphabetic)).count();
    let opened = words[..from].iter().rposition(|w| ["«", "“", "»", "”"].contains(w));
    let closed = words[to..].iter().position(|w| ["»", "”", "«", "“"].contains(w));
    let (Some(open), Some(close)) = (opened, closed) else {
        return false;
    };
    if !["«", "“"].contains(&words[open]) || !["»", "”"].contains(&words[to + close]) {
        return false;
    }
    let others = count(&words[open + 1..from]) + count(&words[to..to + close]);
    others >= 1 && others + (to - from) <= MOST
}

/// Whether the name at `start..end` of `text` is a dateline's place: followed by a dash or a
/// colon (جازان - واس, سبق- جازان:), after a dash, or opening a paragraph before a date
/// (الرياض 26 شوال).
fn dateline(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..].trim_start_matches(' ');
    let before = text[..start].trim_end_matches(' ');
    after.starts_with(['-', '–', '—', ':'])
        || before.ends_with(['-', '–', '—'])
        || ((before.is_empty() || before.ends_with('\n')) && after.starts_with(|c: char| c.is_numeric()))
}

/// The name forms of up to two words before byte `start` of `text`, nearest last.
fn words_before(text: &str, start: usize, forms: &NameForms) -> Vec<String> {
    let mut words: Vec<String> = text[..start]
        .split_whitespace()
        .rev()
        .take(2)
        .map(|w| forms.token(w.trim_matches(|c: char| !c.is_alphanumeric())).name.clone())
        .collect();
    words.reverse();
    words
}

/// A tagger's mention without the formula words that follow a name (محمد صلى → محمد).
fn trimmed(text: &str, mention: &Mention, forms: &NameForms) -> Option<Mention> {
    let mut m = mention.clone();
    while let Some((head, last)) = m.text.rsplit_once(' ') {
        if !context::is_honorific(&forms.token(last).name) {
            break;
        }
        m.text = head.trim_end().to_string();
        m.end = m.start + m.text.len();
        m.name = m.name.rsplit_once(' ').map_or(String::new(), |(h, _)| h.to_string());
    }
    if m.text.is_empty() || !text.is_char_boundary(m.end) {
        return None;
    }
    Some(m)
}

/// A curated organization or event named without the word that announces it (القاعدة for
/// تنظيم القاعدة, أرامكو for شركة أرامكو): what the tagger found as a name of that type joins
/// the curated entry.
fn short_form(name: &str, kind: Kind) -> Option<&'static u32> {
    static SHORT: std::sync::LazyLock<rustc_hash::FxHashMap<String, Vec<u32>>> = std::sync::LazyLock::new(|| {
        let gazetteer = Gazetteer::embedded();
        let lexicon = crate::Lexicon::embedded();
        let forms = NameForms::default();
        let mut short: rustc_hash::FxHashMap<String, Vec<u32>> = rustc_hash::FxHashMap::default();
        for (index, entry) in gazetteer.entries().iter().enumerate() {
            if !matches!(entry.kind, Kind::Organization | Kind::Misc) {
                continue;
            }
            for form in &entry.arabic {
                let tokens = forms.phrase(form);
                if tokens.len() < 2 {
                    continue;
                }
                let announces = lexicon
                    .triggers(&tokens[0])
                    .iter()
                    .any(|(k, side)| *k == entry.kind && *side == crate::Side::Before);
                let rest = tokens[1..].join(" ");
                if announces && gazetteer.lookup(&rest).is_empty() {
                    let list = short.entry(rest).or_default();
                    if !list.contains(&(index as u32)) {
                        list.push(index as u32);
                    }
                }
            }
        }
        // A short form two entries share says nothing.
        short.retain(|_, list| list.len() == 1);
        short
    });
    SHORT
        .get(name)
        .and_then(|list| list.first())
        .filter(|&&i| Gazetteer::embedded().entry(i).kind == kind)
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

/// A stable id for an entity the gazetteer does not know, from its normalized name alone
/// (`n-3f2a91c0`): one entity per name whatever type the tagger gave it in one article or
/// another (القاعدة read as a place in one, an organization in the next). A person's name
/// with a `بن` chain is keyed by its given name and family name, or without a family name by
/// its given name and father's: عادل بن زيد الطريفي is عادل الطريفي, فيصل بن خالد بن
/// عبدالعزيز is فيصل بن خالد.
pub fn local_id(kind: Kind, name: &str) -> String {
    let key = if kind == Kind::Person { person_key(name) } else { None };
    let key = key.unwrap_or_else(|| name.to_string());
    format!("n-{:08x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as u32)
}

/// The key of a person's name with a `بن` chain (normalized words separated by spaces).
fn person_key(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let patronym = |w: &str| context::is(w, context::Role::Patronym);
    let first = words.iter().position(|w| patronym(w))?;
    if first == 0 {
        return None;
    }
    // The given name (عبد الله as one), the father, then what follows the chain.
    let given = words[..first].join(" ");
    let mut i = first;
    let mut father: Option<String> = None;
    while i + 1 < words.len() && patronym(words[i]) {
        let width = if words[i + 1] == "عبد" && i + 2 < words.len() {
            2
        } else {
            1
        };
        father.get_or_insert_with(|| words[i + 1..i + 1 + width].join(" "));
        i += 1 + width;
    }
    let family = words[i..]
        .iter()
        .filter(|w| !context::is(w, context::Role::Family))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    Some(if family.is_empty() {
        format!("{given} بن {}", father.unwrap_or_default())
    } else {
        format!("{given} {family}")
    })
}

/// A given name standing alone: one word in the list of given names, or `عبد X`.
fn bare_given_name(name: &str, lexicon: &crate::Lexicon) -> bool {
    match name.split_once(' ') {
        None => lexicon.is_given_name(name),
        Some((first, rest)) => first == "عبد" && !rest.contains(' '),
    }
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

/// Whether a nisba is written as "in that language": بالفرنسية, بالإنجليزية (ب on the
/// feminine adjective with its article).
fn in_language(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphabetic());
    word.starts_with("بال") && (word.ends_with("ية") || word.ends_with("يه"))
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

#[cfg(test)]
mod context_tests {
    use crate::Recognizer;

    /// (text, ids that must be found, ids that must not).
    const CASES: [(&str, &[&str], &[&str]); 91] = [
        (
            "ارتفعت الوفيات وسجلت وفيات جديدة في المجرى الملاحي لقناة السويس",
            &["suez-canal"],
            &["fiat", "hungary"],
        ),
        (
            "وشارك حماة الوطن في تأمين الحدود ونقلت الإبل بالسيارات",
            &[],
            &["hama", "apple"],
        ),
        (
            "وانطلق مهرجان صيف حائل ومهرجان تمور بريدة ومركز صحي الباحة",
            &[],
            &["hail", "buraidah", "al-baha"],
        ),
        (
            "وأعلن الاتحاد السعودي للبلياردو والسنوكر جدول البطولة",
            &[],
            &["al-ittihad-saudi"],
        ),
        ("وقال عبدالله السويد إن زوجة جده زارت جدة", &["jeddah"], &["sweden"]),
        (
            "وأكدت صحة جدة وأمانة منطقة تبوك أن المشاريع مستمرة",
            &[],
            &["jeddah", "tabuk-region"],
        ),
        (
            "وقال المدرب إن النادي الأهلي جاهز لمواجهة الهلال",
            &["al-ahli-saudi"],
            &["al-ahly-egypt"],
        ),
        (
            "فاز النادي الأهلي على الزمالك في القاهرة",
            &["al-ahly-egypt"],
            &["al-ahli-saudi"],
        ),
        (
            "وحاول المتطرفون النيل من وحدة الصف قرب آل كندي",
            &[],
            &["nile", "canada"],
        ),
        (
            "وأكد أمير نجران أن المشاريع تغطي نجران ومحافظاتها",
            &["najran-region"],
            &["najran"],
        ),
        (
            "وزار المسؤول مشاريع البلديات بمنطقتي الباحة ونجران",
            &["al-baha-region", "najran-region"],
            &["al-baha", "najran"],
        ),
        (
            "وقال في تصريح ل»الرياض» إن الوفد وصل إلى الرياض أمس",
            &["al-riyadh-newspaper", "riyadh"],
            &[],
        ),
        (
            "وأحيلت القضية إلى مجلس الأمن الوطني لإقليم كردستان ثم إلى مجلس الأمن الدولي",
            &["un-security-council"],
            &[],
        ),
        (
            "وأجلت محكمة جنايات القاهرة الجلسة، وجاء منتخبا إيطاليا وفرنسا في المستوى الثاني",
            &[],
            &["cairo", "italy"],
        ),
        // Words that decide a name (the rules of its gazetteer entry).
        (
            "ونقل المصابون إلى العاصمة الأردنية عمان، وتراجع مؤشر سوق دبي، وانتقل اللاعب إلى نادي عكاظ",
            &["jordan"],
            &["oman", "dubai", "okaz"],
        ),
        (
            "وجاءت القرعة: المجموعة الخامسة: رومانيا.. الدنمرك.. بولندا، وفي المستوى الثاني: سلوفاكيا والنمسا وإيطاليا، وقال رئيس وزراء إيطاليا إن بلاده مستعدة",
            &["italy"],
            &["romania", "denmark", "slovakia", "austria"],
        ),
        // A region's seat said bare is the region; after مدينة and in a dateline, the city.
        ("وهطلت أمطار غزيرة على قرى جازان وجبالها", &["jazan-region"], &["jazan"]),
        (
            "جازان - واس: افتتح المحافظ مشروعا في مدينة جازان",
            &["jazan"],
            &["jazan-region"],
        ),
        // A city named as its governorate: the governorate, or nothing.
        (
            "وأعلنت الإدارة العامة للتعليم بمحافظة الطائف عن وظائف، وقال محافظ جدة إن العمل مستمر",
            &["taif-governorate", "jeddah-governorate"],
            &["taif", "jeddah"],
        ),
        (
            "وما زالت محافظتي تعز ومأرب تنتظران الدعم",
            &["taiz-governorate", "marib"],
            &["taiz"],
        ),
        (
            "تستضيف محافظة ينبع معرضا، بينما شهدت محافظة الأحساء أمطارا ووصل الوفد إلى ينبع، وأصيب آخر بمحافظة البحر الأحمر",
            &["yanbu-governorate", "al-ahsa", "yanbu"],
            &["red-sea"],
        ),
        (
            "وتشمل الخطة منطقتي مكة المكرمة والمدينة المنورة",
            &["makkah-region", "madinah-region"],
            &["mecca", "medina"],
        ),
        (
            "يقدم الموقع خدماته باللغات العربية والإنجليزية والأوردية",
            &[],
            &["england"],
        ),
        (
            "وتوسع البنك الأهلي في التعليم الأهلي بعد فوز الأهلي القطري",
            &[],
            &["al-ahli-saudi"],
        ),
        (
            "وأكد الوزير أهمية مضيق باب المندب وفتح باب التقديم كأب حنون",
            &["bab-el-mandeb"],
            &["ibb"],
        ),
        (
            "وقال خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود إن المملكة ماضية",
            &["king-salman"],
            &["king-abdulaziz"],
        ),
        (
            "افتتح أمير المنطقة مستشفى الملك فهد التخصصي في تبوك",
            &[],
            &["king-fahd"],
        ),
        (
            "وصل الوفد إلى مطار الملك خالد الدولي بالرياض",
            &["king-khalid-airport", "riyadh"],
            &[],
        ),
        (
            "وقالت وزارة الخارجية السودانية في بيان إن الخرطوم",
            &[],
            &["saudi-mofa"],
        ),
        (
            "وقال الكاتب في حديث لـ«الشرق الأوسط» أمس إن الشرق الأوسط يتغير",
            &["asharq-al-awsat", "middle-east"],
            &[],
        ),
        (
            "افتتح أمير منطقة مكة المكرمة مهرجان سوق عكاظ في الطائف",
            &["souq-okaz"],
            &["okaz"],
        ),
        (
            "وصل الرئيس إلى البيت الأبيض وقال إن البيت يحتاج إلى إصلاح",
            &[],
            &["elbit-systems"],
        ),
        ("افتتحت إدارة التعليم مدارس جديدة للبنين والبنات", &[], &["benin"]),
        (
            "وتوقعت الأرصاد أمطارا على مكة وجدة والطائف اليوم",
            &["jeddah"],
            &["oujda"],
        ),
        (
            "وقال الخطيب إن النبي محمد صلى الله عليه وسلم دعا إلى الرحمة، ولله الحمد",
            &[],
            &[],
        ),
        (
            "فاز المنتخب السعودي لكرة الطائرة على قطر",
            &[],
            &["saudi-national-team"],
        ),
        ("يدرس الطلاب اللغة الإنجليزية في المدارس", &[], &["england"]),
        ("وقع العقد في شهر نيسان الماضي", &[], &["nissan"]),
        (
            "افتتح الأمير طريق الملك عبدالله في جدة",
            &["jeddah"],
            &["king-abdullah-saudi"],
        ),
        ("وكان الرئيس علي عبدالله صالح قد قال", &["ali-abdullah-saleh"], &[]),
        // One country's office, in a report from another country.
        (
            "وقالت وزارة الداخلية في القاهرة إن الشرطة المصرية اعتقلت خلية في مصر",
            &["egypt"],
            &["saudi-moi"],
        ),
        (
            "وقالت وزارة الداخلية إن دوريات الأمن في الرياض ضبطت المتهمين",
            &["saudi-moi", "riyadh"],
            &[],
        ),
        (
            "وأعلنت وزارة الداخلية السعودية أن مصر سلمت المطلوب",
            &["saudi-moi", "egypt"],
            &[],
        ),
        // A list of regions runs on over punctuation and و.
        (
            "وتوقعت الأرصاد أمطارا على مناطق ( تبوك والجوف ) وعلى مناطق عسير و الباحة و جازان",
            &["tabuk-region", "al-baha-region", "jazan-region"],
            &["tabuk", "al-baha", "jazan"],
        ),
        (
            "وتشمل الأمطار الحدود الشمالية وحائل والجوف والقصيم وتبوك، ومنطقة الرياض، والمدينة المنورة، ونجران",
            &["tabuk-region", "madinah-region", "najran-region", "hail-region"],
            &["tabuk", "medina", "najran", "hail"],
        ),
        (
            "وبلغت القيمة مليون ريال سعودي بعد أن هبط الفرنك السويسري",
            &[],
            &["saudi-arabia", "switzerland"],
        ),
        (
            "وتحدث الوزير عن إعلان القاهرة وعن اتفاق فيينا مع إيران",
            &["iran"],
            &["cairo", "vienna"],
        ),
        (
            "وتسعى الشركات إلى توظيف الشباب السعودي في القطاع الخاص",
            &[],
            &["al-shabab-saudi"],
        ),
        (
            "وكلفت الوزارة فريقا من جامعتي الملك عبدالعزيز وجدة ودخل المصلون من باب الملك عبدالعزيز",
            &[],
            &["king-abdulaziz"],
        ),
        // Languages.
        (
            "وصدر الكتاب ثم ترجم إلى الماليزية، ويتحدث الإنجليزية وكتب بالفرنسية",
            &[],
            &["malaysia", "england", "france"],
        ),
        // A family name after a person's title.
        ("واطمأن الدكتور السويد على صحة المصاب", &[], &["sweden"]),
        // A place inside the name of a festival, a club or a theatre.
        (
            "وشارك مسرح الأحساء في ليالي أبها ونظم أدبي جدة أمسية",
            &[],
            &["al-ahsa", "abha", "jeddah"],
        ),
        ("وفاز بلاتيني بدعم الاتحاد الأوروبي لكرة القدم", &["uefa"], &["eu"]),
        ("وتقام الفعاليات بين صلاة المغرب والعشاء", &[], &["morocco"]),
        ("وعثر على آثار من العصر الروماني قرب المدرج الروماني", &[], &["romania"]),
        // A list of places with a region in it names regions, before the region too; a
        // governor's city is the region.
        (
            "وتوقعت الأرصاد أمطارا على الرياض والمدينة المنورة وعسير والباحة",
            &["riyadh-region", "madinah-region", "asir"],
            &["riyadh", "medina"],
        ),
        ("وشكر المواطنون أمير مكة على توجيهه", &["makkah-region"], &["mecca"]),
        ("ووصل الوفد إلى الرياض وجدة أمس", &["riyadh", "jeddah"], &["riyadh-region"]),
        // A list with a governorate in it names governorates.
        (
            "وتتقدم القوات نحو شبوة وتعز وأبين بعد تحرير عدن",
            &["taiz-governorate", "shabwa", "abyan"],
            &["taiz"],
        ),
        (
            "وانتشرت قوات الأمن في القاهرة والإسماعيلية والقليوبية",
            &["cairo-governorate", "ismailia-governorate", "qalyubia"],
            &["cairo"],
        ),
        // A draw's pot with its number and no colon.
        ("وضم المستوى الأول ألمانيا وبلجيكا وهولندا", &[], &["germany", "belgium"]),
        // A seat said bare is its region, but the city in a list of cities.
        ("وتشمل المدن الصناعية الدمام وجدة والخرج وحائل", &["hail", "jeddah"], &["hail-region"]),
        ("وأمر أمير المنطقة بإغاثة المتضررين في حائل", &["hail-region"], &["hail"]),
        // A name two places share is the one whose country the sentence names.
        (
            "واستقبل السفير السعودي في الأردن الوفد في السفارة بعمان، وأعلنت سلطنة عمان دعمها",
            &["amman", "oman"],
            &[],
        ),
        // A country after an opponent's word in a sport report is its national team.
        (
            "وفي المباراة الثانية يلعب المنتخب أمام البرازيل في كأس العالم",
            &["brazil-national-team"],
            &["brazil"],
        ),
        ("وقال المدرب إن المنتخب سيقيم معسكرا في البرازيل", &["brazil"], &[]),
        (
            "ووقع المنتخب في مجموعة التصفيات بين هولندا والسويد وفرنسا",
            &[],
            &["netherlands", "sweden", "france"],
        ),
        ("وأقيمت البطولة في قطر والإمارات بمشاركة المنتخب", &["qatar", "uae"], &[]),
        ("ونقل المتهم إلى سجن الدمام", &[], &["dammam"]),
        ("ووقف الوزير أمام البرلمان وتحدث عن البرازيل", &["brazil"], &[]),
        // A contested word is what the article names with it.
        (
            "وأعلن الاتحاد الأوروبي عقوبات جديدة، وقال متحدث باسم الاتحاد إن القرار نهائي",
            &["eu"],
            &["al-ittihad-saudi"],
        ),
        (
            "وفاز نادي الاتحاد على الهلال، وقال مدرب الاتحاد إن الفريق لعب جيدا",
            &["al-ittihad-saudi"],
            &[],
        ),
        (
            "وانطلقت فعاليات سوق عكاظ أمس، ويستمر عكاظ أسبوعين",
            &["souq-okaz"],
            &["okaz"],
        ),
        // A family name: a person's the article names in full, or a nisba after a given name;
        // and a place inside a company's or industrial city's name.
        (
            "وقال الشيخ عبدالله التركي إن الرابطة ترحب بالضيوف. وأضاف التركي أن المؤتمر ناجح",
            &[],
            &["turkey"],
        ),
        ("ورحب الرئيس التركي بالضيوف في أنقرة", &["turkey"], &[]),
        (
            "وقال خالد المصري إن الشركة ستوسع مصانعها في ينبع الصناعية",
            &[],
            &["egypt", "yanbu"],
        ),
        // A word with two roles has both: كأس names a cup and makes a sport report.
        ("أعلن ارسنال حامل لقب كأس انكلترا إعارة حارسه", &["arsenal"], &["england"]),
        ("وشارك الحكم في بطولة غرب آسيا لكرة القدم", &[], &["asia"]),
        // With ب the place is where the hotel or charity is, not part of its name.
        ("إصابة امرأة في حريق فندق بالدمام", &["dammam"], &[]),
        ("والمواقف اليابانية من جولة الدوحة لمنظمة التجارة العالمية", &[], &["doha"]),
        ("من جهته عبر اللواء السويدي عن بالغ شكره", &[], &["sweden"]),
        ("البرنامج بـ6 لغات وهي (العربية والإنجليزية والفرنسية والأردو)", &[], &["france", "england"]),
        ("برامج متنوعة في مجمع الراشد التجاري والقطيف سيتي مول", &[], &["qatif"]),
        // A list of teams whose first is written with ال (not a clitic ل).
        ("تنافست البحرين وهولندا في البطولة", &["bahrain-national-team", "netherlands-national-team"], &["bahrain"]),
        // Two dots do not end the draw's list.
        ("المجموعة الثانية: البرتغال.. سويسرا.. المجر", &[], &["switzerland", "portugal"]),
        // A place inside a short quoted name is part of it; a longer quotation says where.
        ("وأعلنت قوات «فجر ليبيا» سيطرتها على المطار", &[], &["libya"]),
        ("وكتب حساب «شكسبير القصيم» تغريدة جديدة", &[], &["qassim"]),
        ("وقال الوزير «إن التعاون مع ليبيا مستمر في كل المجالات»", &["libya"], &[]),
        // A dateline names the city of a shared name; a sentence names the country.
        ("عمان 25 شوال 1436 هـ واس أعلنت المفوضية عن مخيم الزعتري", &["amman"], &["oman"]),
        ("وصل الوزير إلى عمان في زيارة رسمية للسلطنة", &[], &["amman"]),
        // A club's town in a sport report is the club, but where a thing is stays the place.
        (
            "واصل نجران تدريباته قبل مباراة الدوري، وأكد المدرب أن اللاعب جاهز، وتقام المباراة في نجران",
            &["najran-sc"],
            &["najran"],
        ),
    ];

    #[test]
    fn context_decides_what_a_name_names() {
        let recognizer = Recognizer::embedded().unwrap();
        for (text, wanted, unwanted) in CASES {
            let entities = super::article_entities("", text, &recognizer);
            let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
            for id in wanted {
                assert!(ids.contains(id), "{text}: {id} missing from {ids:?}");
            }
            for id in unwanted {
                assert!(!ids.contains(id), "{text}: {id} in {ids:?}");
            }
            // No junk: the formula and the bare given name make no entity.
            for e in &entities {
                assert!(
                    !["محمد صلى", "لله", "محمد"].contains(&e.name.as_str()),
                    "{text}: {}",
                    e.name
                );
            }
        }
    }

    #[test]
    fn the_kings_full_name_is_one_mention() {
        let recognizer = Recognizer::embedded().unwrap();
        let text = "وقال خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود إن المملكة ماضية";
        let entities = super::article_entities("", text, &recognizer);
        let king = entities.iter().find(|e| e.id == "king-salman").unwrap();
        assert_eq!(king.mentions[0].text, "الملك سلمان بن عبدالعزيز آل سعود");
    }

    #[test]
    fn the_title_after_a_princes_name_is_not_part_of_it() {
        let recognizer = Recognizer::embedded().unwrap();
        let title = "ولي ولي العهد يزور القاهرة";
        let text = "يتوجه صاحب السمو الملكي الأمير محمد بن سلمان بن عبدالعزيز ولي ولي العهد النائب الثاني لرئيس مجلس الوزراء وزير الدفاع إلى القاهرة، ويلتقي الرئيس عبدالفتاح السيسي. وكان الأمير محمد بن سلمان بن عبدالعزيز آل سعود قد زار القاهرة";
        let entities = super::article_entities(title, text, &recognizer);
        let people: Vec<(&str, &str)> = entities
            .iter()
            .filter(|e| e.kind == crate::Kind::Person)
            .map(|e| (e.id.as_str(), e.name.as_str()))
            .collect();
        assert!(people.iter().all(|(_, name)| !name.contains("ولي")), "{people:?}");
        assert!(people.iter().any(|(id, _)| *id == "mohammed-bin-salman"), "{people:?}");
    }

    #[test]
    fn local_ids_are_one_per_name() {
        use crate::Kind;
        assert_eq!(
            super::local_id(Kind::Location, "القاعده"),
            super::local_id(Kind::Organization, "القاعده")
        );
        assert_eq!(
            super::local_id(Kind::Person, "عادل بن زيد الطريفي"),
            super::local_id(Kind::Person, "عادل الطريفي")
        );
        assert_ne!(
            super::local_id(Kind::Person, "محمد بن سلمان"),
            super::local_id(Kind::Person, "محمد")
        );
        assert_eq!(
            super::local_id(Kind::Person, "فيصل بن خالد بن عبدالعزيز"),
            super::local_id(Kind::Person, "فيصل بن خالد")
        );
        assert_eq!(
            super::local_id(Kind::Person, "سلطان بن عبد العزيز بن سعود"),
            super::local_id(Kind::Person, "سلطان بن عبد العزيز")
        );
        assert_ne!(
            super::local_id(Kind::Person, "عادل الطريفي"),
            super::local_id(Kind::Person, "عادل الجبير")
        );
    }
}
