//! Where the commands get a journal's passphrase: a file named by `--passphrase-file` (for
//! scripts), or the terminal with echo off. Never the command line itself, which would leave
//! it in the shell's history and in the process list.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::domain::{Passphrase, MIN_PASSPHRASE};
use crate::error::{CliError, StoreError};
use crate::store::{self, FileKind, Store};
use crate::text::{capitalized, wrapped};

pub const TRIES: usize = 3;

/// Said before anyone chooses a passphrase, in the app and on the command line.
pub const WARNING: &str = "A passphrase locks the journal file. Forget it and nobody can open the \
    journal again, not even you: there is no reset and no recovery.";

pub struct Asker {
    /// The journal's passphrase (or, for `encrypt` and `setup --encrypt`, the one to lock with).
    pub file: Option<PathBuf>,
}

impl Asker {
    /// Opens the journal, asking for its passphrase when it is locked: once from a file, or up
    /// to three times on the terminal. Also hands back the passphrase that opened it.
    pub fn open(&self, db: &Path, create: bool) -> Result<(Store, Option<Passphrase>), CliError> {
        self.open_asking(db, create, "Passphrase for the journal: ")
    }

    pub fn open_asking(
        &self,
        db: &Path,
        create: bool,
        prompt: &str,
    ) -> Result<(Store, Option<Passphrase>), CliError> {
        if !create && !db.exists() {
            return Err(StoreError::NoJournal {
                path: db.to_owned(),
            }
            .into());
        }
        if store::file_kind(db) != FileKind::Locked {
            return Ok((Store::open(db)?, None));
        }
        if let Some(file) = &self.file {
            let key = Passphrase::typed(&read_file(file)?);
            return Ok((Store::open_with(db, Some(&key))?, Some(key)));
        }
        for attempt in 1..=TRIES {
            let key = Passphrase::typed(&self.ask(prompt, db)?);
            if key.expose().is_empty() {
                return Err(CliError::NoPassphrase);
            }
            match Store::open_with(db, Some(&key)) {
                Err(StoreError::WrongPassphrase) if attempt < TRIES => {
                    eprintln!("That passphrase doesn't open this journal. Try again.");
                }
                other => return Ok((other?, Some(key))),
            }
        }
        unreachable!("the last try returns")
    }

    /// The passphrase the journal is opened with, when it comes from a file (the app asks on
    /// its own screen otherwise).
    pub fn from_file(&self) -> Result<Option<Passphrase>, CliError> {
        self.file
            .as_deref()
            .map(|f| read_file(f).map(|s| Passphrase::typed(&s)))
            .transpose()
    }

    /// A new passphrase: from the file (named by `flag` in messages), or typed twice on the
    /// terminal after the warning.
    pub fn choose(
        &self,
        file: Option<&Path>,
        flag: &str,
        db: &Path,
    ) -> Result<Passphrase, CliError> {
        if let Some(file) = file {
            return Ok(Passphrase::chosen(&read_file(file)?)?);
        }
        terminal_or(|| {
            CliError::Usage(format!(
                "there is no terminal to ask for a new passphrase on; give it with {flag} FILE"
            ))
        })?;
        eprintln!(
            "{}",
            wrapped(&format!(
                "{WARNING} Choose at least {MIN_PASSPHRASE} characters; a few words you both will remember is best."
            ))
        );
        for attempt in 1..=TRIES {
            let first = self.ask("New passphrase: ", db)?;
            let problem = match Passphrase::chosen(&first) {
                Err(e) => e.to_string(),
                Ok(key) => {
                    if Passphrase::typed(&self.ask("The same again: ", db)?) == key {
                        return Ok(key);
                    }
                    "the two didn't match".into()
                }
            };
            if attempt == TRIES {
                return Err(CliError::Usage(format!("{problem}; nothing was changed")));
            }
            eprintln!("{}. Try again.", capitalized(&problem));
        }
        unreachable!("the last try returns")
    }

    /// A line typed on the terminal, shown as it is typed (a pairing code, a name).
    pub fn line(&self, prompt: &str) -> Result<String, CliError> {
        let no = || CliError::Usage("there is no terminal to answer on".into());
        let mut tty = terminal_or(no)?;
        write!(tty, "{prompt}")
            .and_then(|()| tty.flush())
            .map_err(|_| no())?;
        let mut answer = String::new();
        std::io::BufReader::new(tty)
            .read_line(&mut answer)
            .map_err(|_| no())?;
        Ok(answer.trim().to_string())
    }

    /// A yes to something that can't be undone by accident: the word itself, typed.
    pub fn confirm(&self, question: &str, word: &str) -> Result<bool, CliError> {
        let no = || CliError::Usage("there is no terminal to confirm on; add --yes".into());
        let mut tty = terminal_or(no)?;
        write!(tty, "{}\nType \"{word}\" to go on: ", wrapped(question))
            .and_then(|()| tty.flush())
            .map_err(|_| no())?;
        let mut answer = String::new();
        std::io::BufReader::new(tty)
            .read_line(&mut answer)
            .map_err(|_| no())?;
        Ok(answer.trim().eq_ignore_ascii_case(word))
    }

    fn ask(&self, prompt: &str, db: &Path) -> Result<Zeroizing<String>, CliError> {
        let no = || {
            CliError::Usage(format!(
                "{} is locked with a passphrase and there is no terminal to ask for it on; give it with --passphrase-file FILE (or DUET_PASSPHRASE_FILE)",
                db.display()
            ))
        };
        terminal_or(no)?;
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| match e.kind() {
                // Ctrl-D at the prompt.
                std::io::ErrorKind::UnexpectedEof => {
                    eprintln!();
                    CliError::NoPassphrase
                }
                _ => no(),
            })
    }
}

/// The controlling terminal, which is where questions go even when output is redirected.
fn terminal_or(no: impl Fn() -> CliError) -> Result<std::fs::File, CliError> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| no())
}

/// The first line of a passphrase file, exactly, without its line ending.
fn read_file(path: &Path) -> Result<Zeroizing<String>, CliError> {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            eprintln!(
                "duet: note: others can read {}; `chmod 600` it",
                path.display()
            );
        }
    }
    let problem = |reason: String| {
        CliError::Usage(format!(
            "can't read the passphrase from {}: {reason}",
            path.display()
        ))
    };
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| problem(store::io_reason(&e)))?);
    let text = std::str::from_utf8(&bytes).map_err(|_| problem("it isn't UTF-8 text".into()))?;
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err(problem("its first line is empty".into()));
    }
    Ok(Zeroizing::new(line.to_string()))
}
