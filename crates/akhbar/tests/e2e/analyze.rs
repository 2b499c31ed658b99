use crate::util::Env;

#[test]
fn json_tokens_follow_the_contract() {
    let env = Env::new();
    let text = "والرباط للسلطة بلينكن ٢٠٢٢";
    let run = env.run_with_stdin(&["analyze", "--json"], text);
    assert_eq!(run.code, 0, "{run}");
    let tokens = run.json_lines();
    let segments: Vec<Vec<&str>> = tokens
        .iter()
        .map(|t| {
            t["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        segments,
        [
            vec!["و", "ال", "رباط"],
            vec!["ل", "ال", "سلطة"],
            vec!["بلينكن"],
            vec!["2022"]
        ]
    );
    for token in &tokens {
        let (start, end) = (
            token["start"].as_u64().unwrap() as usize,
            token["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], token["text"].as_str().unwrap());
    }
    assert_eq!(tokens[0]["norm"], "والرباط");
    assert_eq!(tokens[0]["stem"], "رباط");
    assert_eq!(tokens[0]["stop"], false);
    let keys: Vec<&str> = tokens[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["end", "norm", "segments", "start", "stem", "stop", "text"]);
}

#[test]
fn table_output_and_bad_input() {
    let env = Env::new();
    let run = env.run_with_stdin(&["analyze"], "وفي المغرب");
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.lines().next().unwrap().starts_with("text"), "{run}");
    assert!(run.stdout.contains("و+في"), "{run}");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .arg("analyze")
        .stdin(std::fs::File::open(env.write("bad.bin", b"ok \xff")).unwrap())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid UTF-8 at byte 3"));
}
