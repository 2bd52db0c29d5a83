//! One error type for every command, with messages that say what to fix.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why a command could not run.
#[derive(Debug)]
pub enum Error {
    /// The command line is wrong: what was expected.
    Usage(String),
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A history file has a bad row: file, line (1-based) and what is wrong.
    Csv {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A network file is not valid.
    Network { path: PathBuf, message: String },
    /// The data cannot support the request (e.g. no held-out shipments).
    Data(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The process exit code: 2 for a wrong command line, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => f.write_str(m),
            Error::Io { path, source } => match source.kind() {
                std::io::ErrorKind::NotFound => {
                    write!(f, "{}: no such file or directory", path.display())
                }
                _ => write!(f, "{}: {source}", path.display()),
            },
            Error::Csv {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: {message}", path.display()),
            Error::Network { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Data(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}
