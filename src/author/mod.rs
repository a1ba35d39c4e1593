//! The author's commands beside `build`: `init` (scaffold a manuscript), `check` (lint it
//! without writing), `stats` (words, pages, reading time) and `watch` (rebuild on save).
//!
//! Everything here returns data or strings; the binary decides what to print and where.

pub mod check;
pub mod init;
pub mod report;
pub mod stats;
pub mod watch;

use crate::diagnostic::{Location, Severity};

/// One finding of `quire check`: where, how bad, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub location: Location,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            location,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            location,
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}
