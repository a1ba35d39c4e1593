//! Runs DAISY Ace (the EPUB accessibility checker: axe-core rules in a browser plus the EPUB
//! Accessibility metadata checks) on a file, for tests.
//!
//! Include it with `#[path = "common/ace.rs"] mod ace;`. The command is `ACE_PUPPETEER` if set,
//! else `ace-puppeteer` on the `PATH` (npm's `@daisy/ace@1.4.6`: its plain `ace` command needs
//! Electron), driving the browser in `PUPPETEER_EXECUTABLE_PATH`, else Debian's
//! `/usr/bin/chromium`. When either is missing the check is skipped (with a notice), except
//! under `CI=true`, where a missing checker fails the test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// One finding: the rule (`color-contrast`), its impact (`serious`...), the document, and what
/// Ace says with the element's HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub impact: String,
    pub document: String,
    pub description: String,
}

/// Checks `epub`; `None` only when Ace or the browser is unavailable outside CI.
pub fn ace(epub: &Path) -> Option<Vec<Finding>> {
    let command = std::env::var_os("ACE_PUPPETEER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("ace-puppeteer"));
    let browser = std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let available = browser.is_file()
        && Command::new(&command)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !available {
        let on_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!on_ci, "CI=true but ace-puppeteer or chromium is missing");
        eprintln!("notice: DAISY Ace skipped (ace-puppeteer or chromium is not available)");
        return None;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let output = Command::new(&command)
        .env("PUPPETEER_EXECUTABLE_PATH", &browser)
        .args(["--force", "--silent", "--outdir"])
        .arg(dir.path())
        .arg(epub)
        .output()
        .expect("run ace-puppeteer");
    let report = dir.path().join("report.json");
    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| {
        panic!(
            "Ace wrote no report ({e}); stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Some(parse_report(&text))
}

fn parse_report(text: &str) -> Vec<Finding> {
    let value: serde_json::Value = serde_json::from_str(text).expect("Ace JSON");
    let mut out = Vec::new();
    for document in value["assertions"].as_array().into_iter().flatten() {
        let url = document["earl:testSubject"]["url"]
            .as_str()
            .unwrap_or("?")
            .to_string();
        for a in document["assertions"].as_array().into_iter().flatten() {
            let result = &a["earl:result"];
            out.push(Finding {
                rule: a["earl:test"]["dct:title"].as_str().unwrap_or("?").into(),
                impact: a["earl:test"]["earl:impact"].as_str().unwrap_or("?").into(),
                document: url.clone(),
                description: format!(
                    "{} {}",
                    result["dct:description"].as_str().unwrap_or(""),
                    result["html"].as_str().unwrap_or("")
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_read() {
        let json = r#"{"assertions":[{"earl:testSubject":{"url":"a.xhtml"},"assertions":[
            {"earl:test":{"dct:title":"color-contrast","earl:impact":"serious"},
             "earl:result":{"dct:description":"low","html":"<span/>"}}]}]}"#;
        let found = parse_report(json);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, "color-contrast");
        assert_eq!(found[0].impact, "serious");
        assert_eq!(found[0].document, "a.xhtml");
    }
}
