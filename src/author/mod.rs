//! The author's commands beside `build`: `init` (scaffold a manuscript), `check` (lint it
//! without writing), `stats` (words, pages, reading time) and `watch` (rebuild on save).
//!
//! Everything here returns data or strings; the binary decides what to print and where.

pub mod check;
pub mod init;
pub mod report;
pub mod stats;
pub mod watch;

/// The findings of `quire check` are the one diagnostic type of the whole crate.
pub use crate::diagnostic::Diagnostic;
