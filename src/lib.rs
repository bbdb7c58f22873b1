//! duet: a five-minute evening check-in for couples, in the terminal.

pub mod action;
pub mod app;
pub mod calendar;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod error;
pub mod keymap;
pub mod passphrase;
pub mod prompts;
pub mod readback;
pub mod report;
pub mod schedule;
pub mod store;
pub mod sync;
pub mod text;
pub mod transfer;
pub mod trends;
pub mod tui;
pub mod ui;
