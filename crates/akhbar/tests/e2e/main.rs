//! End-to-end tests: the real `akhbar` binary on fixtures written by the tests.

// Test helpers may unwrap: a failure there is a failed test, reported with its context.
#![allow(clippy::unwrap_used)]

mod analyze;
mod cli;
mod cluster;
mod crash;
mod entities;
mod extract;
mod hostile;
mod ingest;
mod poll;
mod readers;
mod rising;
mod search;
mod stories;
mod util;
mod web;
