//! Features of a token in its sentence, for the tagger: the token's forms, its neighbours,
//! its clitics and shape, and what the gazetteer says about it. Each feature is a 64-bit
//! hash of a template number and a value, so the model stores no strings.

use crate::gazetteer::Gazetteer;
use crate::names::{NameForms, TokenForms};
use crate::tags::Kind;

/// A sentence prepared for feature extraction.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    /// Per token.
    pub forms: Vec<TokenForms>,
    /// Gazetteer evidence per token: `(kind, begins, nisba)`.
    pub gazetteer: Vec<Option<(Kind, bool, bool)>>,
    /// Whether the token begins / ends a known person's multi-word name.
    pub person_part: Vec<(bool, bool)>,
}

impl Sentence {
    /// Analyzes `tokens` and looks them up in the gazetteer.
    pub fn prepare(tokens: &[&str], forms: &NameForms, gazetteer: &Gazetteer) -> Sentence {
        let forms: Vec<TokenForms> = tokens.iter().map(|t| forms.token(t)).collect();
        let norm: Vec<String> = forms.iter().map(|f| f.norm.clone()).collect();
        let name: Vec<String> = forms.iter().map(|f| f.name.clone()).collect();
        let mut evidence = vec![None; tokens.len()];
        for found in gazetteer.find(&norm, &name) {
            let kind = gazetteer.entry(found.entries[0]).kind;
            for (i, slot) in evidence.iter_mut().enumerate().take(found.end).skip(found.start) {
                *slot = Some((kind, i == found.start, found.nisba));
            }
        }
        let person_part = name.iter().map(|n| gazetteer.person_part(n)).collect();
        Sentence {
            forms,
            gazetteer: evidence,
            person_part,
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    /// True for an empty sentence.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The features of token `i`, appended to `out`.
    pub fn features(&self, i: usize, out: &mut Vec<u64>) {
        let f = &self.forms[i];
        let at = |offset: isize| -> Option<&TokenForms> {
            let j = i as isize + offset;
            (j >= 0).then(|| self.forms.get(j as usize)).flatten()
        };
        let mut add = |template: u64, value: &str| out.push(hash(template, value));
        add(0, "");
        add(1, &f.norm);
        add(2, &f.name);
        add(3, &f.stem);
        add(4, &f.prefix);
        add(5, &f.suffix);
        add(6, &f.shape.to_string());
        let chars: Vec<char> = f.name.chars().collect();
        let n = chars.len();
        add(7, &chars[n.saturating_sub(2)..].iter().collect::<String>());
        add(8, &chars[n.saturating_sub(3)..].iter().collect::<String>());
        add(9, &chars[..n.min(2)].iter().collect::<String>());
        add(10, &chars[..n.min(3)].iter().collect::<String>());
        add(11, &n.min(12).to_string());
        add(12, &format!("{}{}", f.evidence.0, if f.evidence.1 { "b" } else { "" }));
        add(13, &format!("{}|{}", f.evidence.0, f.prefix));
        // Letter trigrams: transliterated foreign names have their own (ـنكن، ـسكي، ـفيتش).
        if f.shape == 'A' && n >= 3 {
            let padded: Vec<char> = std::iter::once('^')
                .chain(chars.iter().copied())
                .chain(std::iter::once('$'))
                .collect();
            let mut gram = String::new();
            for window in padded.windows(3) {
                gram.clear();
                gram.extend(window);
                add(14, &gram);
            }
        }
        let class = |t: &TokenForms| {
            t.class.map_or(("-".to_string(), "-".to_string()), |(a, b)| {
                (a.to_string(), b.to_string())
            })
        };
        let (fine, coarse) = class(f);
        add(15, &fine);
        add(16, &coarse);
        add(17, &format!("{coarse}|{}", f.prefix));
        for (template, offset) in [(18, -1), (19, 1)] {
            if let Some(other) = at(offset) {
                let (other_fine, other_coarse) = class(other);
                add(template, &other_fine);
                add(template + 50, &format!("{other_coarse}|{coarse}"));
            }
        }
        for (template, offset) in [(20, -1), (21, 1), (22, -2), (23, 2)] {
            match at(offset) {
                Some(other) => {
                    add(template, &other.norm);
                    add(template + 10, &other.name);
                    add(template + 20, &other.shape.to_string());
                }
                None => add(template, "<edge>"),
            }
        }
        if let Some(previous) = at(-1) {
            add(50, &format!("{}|{}", previous.norm, f.name));
            add(51, &format!("{}|{}", previous.stem, f.stem));
            add(53, &format!("{}|{}", previous.evidence.0, f.evidence.0));
            if let Some(before) = at(-2) {
                add(54, &format!("{}|{}", before.norm, previous.norm));
            }
        }
        if let Some(next) = at(1) {
            add(52, &format!("{}|{}", f.name, next.norm));
        }
        match self.gazetteer[i] {
            Some((kind, begins, nisba)) => {
                let value = format!(
                    "{}{}{}",
                    kind.code(),
                    if begins { "B" } else { "I" },
                    if nisba { "n" } else { "" }
                );
                add(60, &value);
                add(61, &format!("{value}|{}", f.prefix));
            }
            None => add(60, "none"),
        }
        for (template, offset) in [(62, -1), (63, 1)] {
            let j = i as isize + offset;
            if j >= 0 {
                if let Some(Some((kind, _, nisba))) = self.gazetteer.get(j as usize) {
                    add(template, &format!("{}{}", kind.code(), if *nisba { "n" } else { "" }));
                }
            }
        }
        let (first, last) = self.person_part[i];
        if first {
            add(64, "first");
        }
        if last {
            add(64, "last");
        }
        if i > 0 && self.person_part[i - 1].0 {
            add(65, "after-first");
        }
    }
}

/// The hash of one feature.
pub fn hash(template: u64, value: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(value.as_bytes(), template)
}
