//! duet: a five-minute evening check-in for couples, in the terminal.

pub mod cli;
pub mod domain;
pub mod error;
pub mod prompts;
pub mod schedule;
pub mod store;
pub mod transfer;
pub mod tui;
