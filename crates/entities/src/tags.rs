//! The BIO tag set of ANERcorp: `O`, and `B-`/`I-` for PERS, LOC, ORG, MISC.

/// Entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// A person.
    #[serde(rename = "PER")]
    Person,
    /// A place: country, city, region.
    #[serde(rename = "LOC")]
    Location,
    /// An organization: agency, company, party, team.
    #[serde(rename = "ORG")]
    Organization,
    /// Other names: events, nationalities used as names, works.
    #[serde(rename = "MISC")]
    Misc,
}

impl Kind {
    /// All kinds, in tag order.
    pub const ALL: [Kind; 4] = [Kind::Person, Kind::Location, Kind::Organization, Kind::Misc];

    /// `PER`, `LOC`, `ORG`, `MISC` (akhbar's names, as in `--type`).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Person => "PER",
            Kind::Location => "LOC",
            Kind::Organization => "ORG",
            Kind::Misc => "MISC",
        }
    }

    /// ANERcorp's spelling in tags: `PERS`, `LOC`, `ORG`, `MISC`.
    fn conll(self) -> &'static str {
        match self {
            Kind::Person => "PERS",
            other => other.code(),
        }
    }

    /// Parses `PER`/`PERS`, `LOC`, `ORG`, `MISC` (any case; AQMAR's `MIS0`–`MIS3` are MISC).
    pub fn parse(text: &str) -> Option<Kind> {
        match text.to_ascii_uppercase().as_str() {
            "PER" | "PERS" => Some(Kind::Person),
            "LOC" => Some(Kind::Location),
            "ORG" => Some(Kind::Organization),
            "MISC" | "MIS" | "MIS0" | "MIS1" | "MIS2" | "MIS3" => Some(Kind::Misc),
            _ => None,
        }
    }
}

/// Number of tags: `O` plus B and I for each kind.
pub const N_TAGS: usize = 9;

/// One BIO tag, as an index: 0 is `O`, then B/I pairs in [`Kind::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag(pub u8);

impl Tag {
    /// Outside any entity.
    pub const O: Tag = Tag(0);

    /// `B-kind`.
    pub fn begin(kind: Kind) -> Tag {
        Tag(1 + 2 * kind_index(kind))
    }

    /// `I-kind`.
    pub fn inside(kind: Kind) -> Tag {
        Tag(2 + 2 * kind_index(kind))
    }

    /// The entity kind, `None` for `O`.
    pub fn kind(self) -> Option<Kind> {
        (self.0 > 0).then(|| Kind::ALL[usize::from((self.0 - 1) / 2)])
    }

    /// True for `B-`.
    pub fn is_begin(self) -> bool {
        self.0 % 2 == 1
    }

    /// Whether `self` may follow `previous` (an `I-X` continues a `B-X` or `I-X`).
    pub fn may_follow(self, previous: Tag) -> bool {
        match (self.kind(), self.is_begin()) {
            (Some(kind), false) => previous.kind() == Some(kind),
            _ => true,
        }
    }

    /// ANERcorp's text: `O`, `B-PERS`, `I-LOC`...
    pub fn conll(self) -> String {
        match self.kind() {
            None => "O".into(),
            Some(kind) => format!("{}-{}", if self.is_begin() { "B" } else { "I" }, kind.conll()),
        }
    }

    /// Parses a gold tag; malformed ones (ANERcorp has about 20) are `None`.
    pub fn parse_conll(text: &str) -> Option<Tag> {
        if text == "O" {
            return Some(Tag::O);
        }
        let (position, kind) = text.split_once('-')?;
        let kind = Kind::parse(kind)?;
        match position {
            "B" | "b" => Some(Tag::begin(kind)),
            "I" | "i" => Some(Tag::inside(kind)),
            _ => None,
        }
    }

    /// Index for weight tables.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

fn kind_index(kind: Kind) -> u8 {
    match kind {
        Kind::Person => 0,
        Kind::Location => 1,
        Kind::Organization => 2,
        Kind::Misc => 3,
    }
}

/// Entity spans `(start, end, kind)` of a tag sequence (conlleval's reading: an `I-X` after
/// something else starts a new entity).
pub fn spans(tags: &[Tag]) -> Vec<(usize, usize, Kind)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, Kind)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let continues = !tag.is_begin() && tag.kind().is_some() && open.is_some_and(|(_, k)| Some(k) == tag.kind());
        if continues {
            continue;
        }
        if let Some((start, kind)) = open.take() {
            spans.push((start, i, kind));
        }
        if let Some(kind) = tag.kind() {
            open = Some((i, kind));
        }
    }
    if let Some((start, kind)) = open {
        spans.push((start, tags.len(), kind));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_spans() {
        for text in [
            "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
        ] {
            assert_eq!(Tag::parse_conll(text).unwrap().conll(), text);
        }
        for bad in ["B-ERS", "IPERS", "B-LOCI-PERS", "x", ""] {
            assert_eq!(Tag::parse_conll(bad), None, "{bad}");
        }
        assert_eq!(Tag::parse_conll("b-misc"), Some(Tag::begin(Kind::Misc)));
        assert_eq!(Tag::parse_conll("B-MIS2"), Some(Tag::begin(Kind::Misc)));
        let tags: Vec<Tag> = ["B-PERS", "I-PERS", "O", "I-LOC", "B-ORG", "B-ORG", "I-ORG"]
            .iter()
            .map(|t| Tag::parse_conll(t).unwrap())
            .collect();
        assert_eq!(
            spans(&tags),
            [
                (0, 2, Kind::Person),
                (3, 4, Kind::Location),
                (4, 5, Kind::Organization),
                (5, 7, Kind::Organization)
            ]
        );
        assert!(!Tag::inside(Kind::Person).may_follow(Tag::O));
        assert!(Tag::inside(Kind::Person).may_follow(Tag::begin(Kind::Person)));
        assert!(!Tag::inside(Kind::Person).may_follow(Tag::begin(Kind::Location)));
    }
}
