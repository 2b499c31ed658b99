//! Writing to the terminal or a pipe: JSON lines, colours only on a terminal, quiet exit on
//! a closed pipe.

use std::io::{IsTerminal, Write};

/// True when the error chain is a closed stdout (`akhbar search x | head -1`).
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints one JSON object per line.
pub fn json_line(out: &mut impl Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// True when stdout is a terminal (colours, tables); false for pipes and files.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Bold red on, and off, when colours are wanted.
pub fn highlight_codes(color: bool) -> (&'static str, &'static str) {
    if color {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("", "")
    }
}

/// `origin: reason`, unless the reason already starts with the input's path or URL.
pub fn join(origin: &str, reason: &str) -> String {
    let path = if origin.contains("://") {
        origin
    } else {
        origin.split(':').next().unwrap_or(origin)
    };
    if origin.is_empty() || reason.starts_with(path) || reason.contains(origin) {
        reason.to_string()
    } else {
        format!("{origin}: {reason}")
    }
}

/// Each item that failed and each warning, one per line on stderr (`failed: origin: reason`).
pub fn say_items(failed: &[akhbar_pipeline::Failure], warnings: &[akhbar_pipeline::Failure]) {
    for failure in failed {
        eprintln!("failed: {}", join(&failure.origin, &failure.reason));
    }
    for warning in warnings {
        eprintln!("warning: {}", join(&warning.origin, &warning.reason));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_origin_is_said_once() {
        for (origin, reason, expected) in [
            ("a.jsonl:3", "bad json", "a.jsonl:3: bad json"),
            ("a.jsonl:3", "a.jsonl: too big", "a.jsonl: too big"),
            (
                "https://x.example/feed",
                "https://x.example/feed: 404",
                "https://x.example/feed: 404",
            ),
            (
                "https://x.example/feed",
                "timed out fetching https://x.example/feed",
                "timed out fetching https://x.example/feed",
            ),
            ("", "no input", "no input"),
        ] {
            assert_eq!(super::join(origin, reason), expected);
        }
    }
}
