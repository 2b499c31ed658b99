//! How rare a word is in news (`data/idf.tsv.gz`, made by `akhbar-eval train-idf` from a news
//! corpus): a fixed inverse document frequency, so that an article compares the same way
//! whether it is clustered with ten others or thirty thousand.

use rustc_hash::FxHashMap;
use std::io::Read;
use std::sync::LazyLock;

const IDF_GZ: &[u8] = include_bytes!("../data/idf.tsv.gz");

/// Inverse document frequencies by stem hash.
pub struct Idf {
    by_stem: FxHashMap<u64, f32>,
    /// The idf of a stem the table does not list (rarer than any listed).
    unseen: f32,
}

static EMBEDDED: LazyLock<Idf> = LazyLock::new(|| {
    let mut text = String::new();
    // The embedded file is checked by a test; unreadable, every word weighs the same.
    let _ = flate2::read::GzDecoder::new(IDF_GZ).read_to_string(&mut text);
    Idf::parse(&text)
});

impl Idf {
    /// The compiled-in table.
    pub fn embedded() -> &'static Idf {
        &EMBEDDED
    }

    /// Reads `stem<TAB>documents` lines after a `# documents<TAB>N` line.
    pub fn parse(text: &str) -> Idf {
        let mut documents = 1f32;
        let mut by_stem = FxHashMap::default();
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("# documents\t") {
                documents = n.trim().parse().unwrap_or(1.0);
                continue;
            }
            if line.starts_with('#') {
                continue;
            }
            if let Some((stem, n)) = line.split_once('\t') {
                if let Ok(n) = n.trim().parse::<f32>() {
                    by_stem.insert(
                        xxhash_rust::xxh3::xxh3_64(stem.as_bytes()),
                        ((documents + 1.0) / (n + 1.0)).ln() + 1.0,
                    );
                }
            }
        }
        Idf {
            by_stem,
            unseen: ((documents + 1.0) / 2.0).ln() + 1.0,
        }
    }

    /// The idf of a stem hash.
    pub fn of(&self, stem: u64) -> f32 {
        self.by_stem.get(&stem).copied().unwrap_or(self.unseen)
    }

    /// Number of stems listed.
    pub fn len(&self) -> usize {
        self.by_stem.len()
    }

    /// True for an empty table.
    pub fn is_empty(&self) -> bool {
        self.by_stem.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_loads_and_ranks_words() {
        let idf = Idf::embedded();
        assert!(idf.len() > 10_000, "{} stems", idf.len());
        let hash = |s: &str| xxhash_rust::xxh3::xxh3_64(s.as_bytes());
        // A word in much of the news (قال "said") weighs far less than an unseen one.
        assert!(
            idf.of(hash("قال")) < idf.unseen - 2.0,
            "{} vs {}",
            idf.of(hash("قال")),
            idf.unseen
        );
        assert_eq!(idf.of(hash("كلمة-لا-توجد")), idf.unseen);
        let parsed = Idf::parse("# documents\t100\nكلمة\t99\nنادرة\t1\n");
        assert!(parsed.of(hash("كلمة")) < parsed.of(hash("نادرة")));
    }
}
