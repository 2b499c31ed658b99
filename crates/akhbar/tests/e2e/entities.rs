//! Entities end to end: `akhbar ner`, entities stored with each article, listed, shown with
//! offsets, searchable by id and by their Latin names.

use crate::util::{seed_path, Env};

#[test]
fn ner_conll_keeps_tokens_and_tags_the_seed() {
    let env = Env::new();
    let seed = std::fs::read_to_string(seed_path()).unwrap();
    let tokens: Vec<&str> = seed.split_whitespace().collect();
    let mut input = String::new();
    for line in seed.lines().filter(|l| !l.trim().is_empty()) {
        for token in line.split_whitespace() {
            input.push_str(token);
            input.push('\n');
        }
        input.push('\n');
    }
    let run = env.run_with_stdin(&["ner", "--conll"], &input);
    assert_eq!(run.code, 0, "{run}");
    let lines: Vec<&str> = run.stdout.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), tokens.len());
    let valid = [
        "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
    ];
    for (line, token) in lines.iter().zip(&tokens) {
        let (got, tag) = line.rsplit_once(' ').unwrap();
        assert_eq!(got, *token, "tokens are kept exactly");
        assert!(valid.contains(&tag), "{line}");
    }
    let tag_of = |token: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{token} ")))
            .unwrap()
            .rsplit(' ')
            .next()
            .unwrap()
    };
    assert_eq!(tag_of("أنتوني"), "B-PERS");
    assert_eq!((tag_of("ناصر"), tag_of("بوريطة")), ("B-PERS", "I-PERS"));
    assert_eq!(tag_of("واشنطن"), "B-LOC");
    // Blank lines between sentences come back as blank lines.
    assert_eq!(run.stdout.matches("\n\n").count(), input.matches("\n\n").count());
}

#[test]
fn entities_are_stored_listed_shown_and_searchable() {
    let env = Env::new();
    env.run_ok(&["ingest", seed_path().to_str().unwrap(), "--source", "Telexpress"], 0);
    let people = env.run_ok(&["entities", "--type", "PER", "--json"], 0).json_lines();
    let ids: Vec<&str> = people.iter().map(|e| e["id"].as_str().unwrap()).collect();
    for id in [
        "antony-blinken",
        "nasser-bourita",
        "abdellatif-hammouchi",
        "donald-trump",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let blinken = people.iter().find(|e| e["id"] == "antony-blinken").unwrap();
    assert_eq!(
        (blinken["type"].as_str(), blinken["english"].as_str()),
        (Some("PER"), Some("Antony Blinken"))
    );
    assert_eq!(blinken["articles"], 1);
    assert!(blinken["mentions"].as_u64().unwrap() >= 3, "{blinken}");
    assert!(people.iter().all(|e| e["type"] == "PER"));

    let hit = &env.run_ok(&["search", "Blinken", "--json"], 0).json_lines()[0];
    let id = hit["id"].as_str().unwrap();
    let shown = env.run_ok(&["show", id, "--json"], 0).json();
    let body = shown["body"].as_str().unwrap();
    let title = shown["title"].as_str().unwrap();
    let entities = shown["entities"].as_array().unwrap();
    assert!(entities.iter().any(|e| e["id"] == "morocco"));
    for entity in entities {
        for mention in entity["mentions"].as_array().unwrap() {
            let text = if mention["part"] == "title" { title } else { body };
            let (start, end) = (
                mention["start"].as_u64().unwrap() as usize,
                mention["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[start..end], mention["text"].as_str().unwrap());
        }
    }
    // The seed's dates: absolute ones, and relative ones against its publication date.
    let dates = shown["dates"].as_array().unwrap();
    assert!(dates.iter().all(
        |d| body[d["start"].as_u64().unwrap() as usize..d["end"].as_u64().unwrap() as usize]
            == *d["text"].as_str().unwrap()
    ));
    assert!(
        dates.iter().any(|d| d["value"] == "1787" && d["text"] == "سنة 1787"),
        "{dates:?}"
    );
    for query in ["Bourita", "Hammouchi", "بلينكن", "\"الأمن المغربي\""] {
        let hits = env.run_ok(&["search", query, "--json"], 0).json_lines();
        assert_eq!(hits.len(), 1, "{query}");
    }
    let filtered = env
        .run_ok(&["search", "الأمن", "--entity", "nasser-bourita", "--json"], 0)
        .json_lines();
    assert_eq!(filtered.len(), 1);
    let none = env.run_ok(&["search", "الأمن", "--entity", "vladimir-putin", "--json"], 0);
    assert_eq!(none.stdout, "");
    let by_source = env.run_ok(&["search", "الأمن", "--source", "other", "--json"], 0);
    assert_eq!(by_source.stdout, "");
    let bad_type = env.run_ok(&["entities", "--type", "THING"], 2);
    assert!(bad_type.stderr.contains("PER, LOC, ORG or MISC"), "{bad_type}");
}

#[test]
fn ner_on_plain_text_links_variants() {
    let env = Env::new();
    let run = env.run_with_stdin(
        &["ner", "--json"],
        "قال وزير الخارجية الأمريكي أنتوني بلينكن إن واشنطن تدعم الرباط. وأضاف بلينكن أن ترمب زار المغرب.",
    );
    assert_eq!(run.code, 0, "{run}");
    let entities = run.json_lines();
    let blinken = entities.iter().find(|e| e["id"] == "antony-blinken").unwrap();
    assert_eq!(
        blinken["mentions"].as_array().unwrap().len(),
        2,
        "the short form joins the full name"
    );
    assert!(entities.iter().any(|e| e["id"] == "donald-trump"), "ترمب is Trump");
    assert!(entities.iter().any(|e| e["id"] == "morocco"));
}
