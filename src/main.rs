//! Wiring only: parse the command line, read the clock once, dispatch.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use duet::cli::{self, Cli};

fn main() -> ExitCode {
    // A closed pipe (`duet agreements | head -1`) ends duet quietly, as it does `ls`: Rust
    // ignores SIGPIPE, which turns it into write errors and panics in every print.
    // SAFETY: called first thing, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    duet::tui::install_panic_hook();
    let args = match Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let asker = duet::passphrase::Asker {
        file: args.passphrase_file.clone(),
    };
    let result = cli::db_path(&args).and_then(|db| match args.command {
        None => asker
            .from_file()
            .and_then(|key| duet::tui::run(&db, key, args.theme)),
        Some(cmd) => {
            #[allow(clippy::disallowed_methods)] // the one clock reading for a shell command
            let now = cli::local(chrono::Utc::now());
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            cli::run(cmd, &db, now, &mut out, &asker).and_then(|()| {
                out.flush()
                    .map_err(|e| duet::error::CliError::Output(e.to_string()))
            })
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("duet: {e}");
            ExitCode::from(1)
        }
    }
}
