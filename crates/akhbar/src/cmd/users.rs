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
    /// Give an account a new password (its apps and pages sign in again).
    Passwd {
        /// Login name.
        name: String,
        /// Read the new password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Remove an account with its follows and reading state. The first account's follows
    /// are the site's: they pass to the next account.
    Remove {
        /// Login name.
        name: String,
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
            let password = password_line()?;
            let mut store = akhbar_store::Store::open(data)?;
            let user = store.add_user(&name, &password)?;
            if json {
                serde_json::to_writer(&mut out, &user)?;
                writeln!(out)?;
            } else {
                writeln!(out, "user {} added (id {})", user.name, user.id)?;
            }
        }
        Command::Passwd { name, .. } => {
            let password = password_line()?;
            let store = akhbar_store::Store::open_existing(data)?;
            if !store.set_password(&name, &password)? {
                anyhow::bail!("no user {name:?}");
            }
            writeln!(out, "password of {name} changed; its sessions ended")?;
        }
        Command::Remove { name } => {
            let store = akhbar_store::Store::open_existing(data)?;
            if !store.remove_user(&name)? {
                anyhow::bail!("no user {name:?}");
            }
            writeln!(out, "user {name} removed")?;
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

/// The password on the first line of standard input (never a flag: flags show in the process
/// list).
fn password_line() -> anyhow::Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("reading the password from standard input")?;
    Ok(password.trim_end_matches(['\n', '\r']).to_string())
}
