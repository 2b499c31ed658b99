use super::*;

#[track_caller]
fn check(text: &str, expected: &[(&str, &[&str], &str, bool)]) {
    let analyzer = Analyzer::default();
    let tokens = analyzer.analyze(text);
    let actual: Vec<(&str, Vec<&str>, &str, bool)> = tokens
        .iter()
        .map(|t| {
            (
                t.text.as_str(),
                t.segments.iter().map(String::as_str).collect(),
                t.stem.as_str(),
                t.stop,
            )
        })
        .collect();
    let expected: Vec<(&str, Vec<&str>, &str, bool)> = expected
        .iter()
        .map(|(t, s, st, stop)| (*t, s.to_vec(), *st, *stop))
        .collect();
    assert_eq!(actual, expected, "text {text:?}");
}

#[test]
fn seed_title() {
    check(
        "المغرب-أمريكا.. بلينكن يشيد بنجاعة الأمن المغربي",
        &[
            ("المغرب", &["ال", "مغرب"], "مغرب", false),
            ("أمريكا", &["أمريكا"], "امريك", false),
            ("بلينكن", &["بلينكن"], "بلينكن", false),
            ("يشيد", &["يشيد"], "يشيد", false),
            ("بنجاعة", &["ب", "نجاعة"], "نجاع", false),
            ("الأمن", &["ال", "أمن"], "امن", false),
            ("المغربي", &["ال", "مغربي"], "مغرب", false),
        ],
    );
}

#[test]
fn stop_words_behind_clitics() {
    check(
        "وفي هذا",
        &[("وفي", &["و", "في"], "في", true), ("هذا", &["هذا"], "هذا", true)],
    );
}

#[test]
fn latin_and_numbers() {
    check(
        "Blinken ٢٠٢٢",
        &[
            ("Blinken", &["blinken"], "blinken", false),
            ("٢٠٢٢", &["2022"], "2022", false),
        ],
    );
}

#[test]
fn offsets_slice_the_original_with_marks() {
    let text = "قالَ مُحَمَّدٌ: رحــيم";
    for token in Analyzer::default().analyze(text) {
        assert_eq!(&text[token.start..token.end], token.text);
    }
}

#[test]
fn for_each_agrees_with_analyze() {
    let sentence = "وبحث بلينكن مع بوريطة في الرباط، وبحث الوزيران العلاقات الثنائية.";
    // One sentence (9 tokens), one batch exactly (16), several with a partial last one, and
    // words enough to cycle a small cache through its generations.
    let long = [sentence; 7].join(" والمغرب ");
    let words: Vec<String> = (0..300).map(|i| format!("كلمة{i} بالرباط")).collect();
    let many = words.join(" ");
    let sixteen = "أ ب ت ث ج ح خ د ذ ر ز س ش ص ض ط";
    let analyzer = Analyzer::default();
    for text in [sentence, sixteen, long.as_str(), many.as_str()] {
        let expected: Vec<_> = analyzer
            .analyze(text)
            .iter()
            .map(|t| (t.start, t.end, t.norm.clone(), t.stem.clone(), t.stop))
            .collect();
        for mut cache in [Cache::default(), Cache::with_capacity(7)] {
            // Twice with the same cache: first misses, then hits (and, with 7 entries,
            // words moving back from the old generation).
            for _ in 0..2 {
                let mut seen = Vec::new();
                analyzer.for_each(text, &mut cache, |t| {
                    seen.push((t.start, t.end, t.norm.to_string(), t.stem.to_string(), t.stop))
                });
                assert_eq!(seen, expected, "{text}");
            }
        }
    }
}

#[test]
fn for_each_norm_agrees_with_analyze() {
    let text = "قالَ Blinken: ٢٠٢٢ والرباط، رحــيم https://t.co/x";
    let analyzer = Analyzer::default();
    let expected: Vec<_> = analyzer
        .analyze(text)
        .iter()
        .map(|t| (t.start, t.end, t.norm.clone()))
        .collect();
    let mut seen = Vec::new();
    analyzer.for_each_norm(text, |start, end, norm| seen.push((start, end, norm.to_string())));
    assert_eq!(seen, expected);
}

#[test]
fn a_generation_finds_what_it_holds_and_nothing_else() {
    // A small generation filled to its capacity (8 words in 16 slots), and a larger one that
    // grows its table four times on the way (256 → 2,048 slots for 600 words).
    for (capacity, n, slots) in [(8, 8, 16), (1_000, 600, 2_048)] {
        let mut generation = Generation::new(capacity);
        let words: Vec<String> = (0..n).map(|i| format!("كلمة{i}")).collect();
        for (i, word) in words.iter().enumerate() {
            let hash = WordHash::of(word.as_bytes());
            assert_eq!(generation.find(hash), None, "{word} before insertion");
            let analyzed = Analyzed {
                norm: word.as_str().into(),
                stem: word.as_str().into(),
                stop: false,
            };
            assert_eq!(generation.insert(hash, analyzed), i as u32);
        }
        assert_eq!(generation.slots.len(), slots);
        for (i, word) in words.iter().enumerate() {
            let found = generation.find(WordHash::of(word.as_bytes()));
            assert_eq!(found, Some(i as u32), "{word}");
            assert_eq!(generation.values[i].norm, word.as_str());
        }
        assert_eq!(generation.find(WordHash::of("غائبة".as_bytes())), None);
        generation.clear();
        assert_eq!(generation.find(WordHash::of(words[0].as_bytes())), None);
    }
}
