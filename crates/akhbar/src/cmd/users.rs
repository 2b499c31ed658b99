//! `akhbar users`: the readers' accounts (for the Google Reader API that reader apps sync
//! with, and the follows and read state of each reader).

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::Context;

use crate::Outcome;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Make an account. The first one takes the follows made before accounts existed.
    Add {
        /// Login name (an e-mail address will do).
        name: String,
        /// Read the password from the first line of standard input (it is never a flag: flags
        /// show in the process list).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Print the account as JSON: {"id","name","created"}.
        #[arg(long)]
        json: bool,
    },
    /// List the accounts.
    List {
        /// One JSON array of {"id","name","created"}.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(data: &Path, command: Command) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    match command {
        Command::Add { name, json, .. } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            let mut store = akhbar_store::Store::open(data)?;
            let user = store.add_user(&name, password)?;
            if json {
                serde_json::to_writer(&mut out, &user)?;
                writeln!(out)?;
            } else {
                writeln!(out, "user {} added (id {})", user.name, user.id)?;
            }
        }
        Command::List { json } => {
            let store = akhbar_store::Store::open_existing(data)?;
            let users = store.users()?;
            if json {
                serde_json::to_writer(&mut out, &users)?;
                writeln!(out)?;
            } else {
                for user in users {
                    writeln!(out, "{:>4}  {}  {}", user.id, user.name, user.created)?;
                }
            }
        }
    }
    Ok(Outcome::Ok)
}
