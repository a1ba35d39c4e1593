//! Issue 18's scaling cases: each hostile input built (or checked) at 1x, 2x and 4x its size,
//! and the cost compared with linear. A case fails when 4x costs more than twice linear
//! (8x the 1x cost), both less the cost of the same case at a trivial size (start-up, fonts,
//! the front matter), so that fixed costs cannot hide a quadratic part.
//!
//! `cargo bench --bench linear` (exit status 1 if a case fails); `LINEAR_CASES=url,word`
//! runs only some. Ratios, not times: they hold on a slow or busy machine.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// 4x the input may cost at most this many times 1x (linear is 4).
const MAX_RATIO: f64 = 8.0;
/// Each size is run this many times and the fastest kept.
const RUNS: usize = 3;

#[derive(Clone, Copy)]
enum Run {
    Build,
    Check,
}

struct Case {
    name: &'static str,
    /// What the issue measured at this size (1x).
    base: usize,
    run: Run,
    /// The manuscript at size `n`: book.toml title, then the chapter's body.
    make: fn(usize) -> (String, String),
}

fn plain(body: String) -> (String, String) {
    ("Scale".into(), body)
}

const CASES: &[Case] = &[
    Case {
        name: "an unbreakable word (chars)",
        base: 40_000,
        run: Run::Build,
        make: |n| plain("x".repeat(n)),
    },
    Case {
        name: "an autolinked URL (bytes)",
        base: 40_000,
        run: Run::Build,
        make: |n| plain(format!("<https://example.com/{}>", "a".repeat(n))),
    },
    Case {
        name: "identical headings",
        base: 5_000,
        run: Run::Build,
        make: |n| plain("## Same\n\ntext\n\n".repeat(n)),
    },
    Case {
        name: "footnotes in one chapter",
        base: 10_000,
        run: Run::Build,
        make: |n| plain(notes(n)),
    },
    Case {
        name: "footnotes in one chapter, check",
        base: 10_000,
        run: Run::Check,
        make: |n| plain(notes(n)),
    },
    Case {
        name: "broken links, check",
        base: 5_000,
        run: Run::Check,
        make: |n| plain(broken_links(n)),
    },
    Case {
        name: "broken links, build",
        base: 5_000,
        run: Run::Build,
        make: |n| plain(broken_links(n)),
    },
    Case {
        name: "`[` in the title",
        base: 10_000,
        run: Run::Build,
        make: |n| ("[".repeat(n), "Text.".into()),
    },
    Case {
        name: "`*a **b` repeated",
        base: 25_000,
        run: Run::Build,
        make: |n| plain("*a **b ".repeat(n)),
    },
];

fn broken_links(n: usize) -> String {
    (0..n)
        .map(|i| format!("See [x](#missing{i}).\n\n"))
        .collect()
}

fn notes(n: usize) -> String {
    let refs: String = (0..n).map(|i| format!("Text[^n{i}].\n\n")).collect();
    let defs: String = (0..n).map(|i| format!("[^n{i}]: Note {i}.\n")).collect();
    refs + &defs
}

fn write_manuscript(dir: &Path, (title, body): (String, String)) {
    std::fs::create_dir_all(dir).expect("a scratch folder");
    // A literal TOML string: the titles here have no `'`.
    let toml = format!("[book]\ntitle = '{title}'\nauthors = [\"A\"]\nlanguage = \"en\"\n");
    std::fs::write(dir.join("book.toml"), toml).expect("book.toml");
    std::fs::write(dir.join("01.md"), format!("# Chapter\n\n{body}\n")).expect("01.md");
}

/// The fastest of [`RUNS`] runs of quire on `dir`.
fn time(run: Run, dir: &Path) -> Duration {
    let quire = env!("CARGO_BIN_EXE_quire");
    (0..RUNS)
        .map(|_| {
            let mut cmd = Command::new(quire);
            match run {
                Run::Build => cmd.arg("build").arg(dir).arg("--out").arg(dir.join("out")),
                Run::Check => cmd.arg("check").arg(dir),
            };
            let start = Instant::now();
            let out = cmd.arg("--quiet").output().expect("quire runs");
            let took = start.elapsed();
            // A check of broken links fails by design; a build must not.
            if matches!(run, Run::Build) && !out.status.success() {
                panic!(
                    "quire build {} failed: {}",
                    dir.display(),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            took
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let only: Option<Vec<String>> = std::env::var("LINEAR_CASES")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let mut failed = Vec::new();
    println!(
        "{:<36} {:>9} {:>8} {:>8} {:>8} {:>8}  (seconds less the trivial case; 4x/1x <= {MAX_RATIO})",
        "case", "1x size", "trivial", "1x", "2x", "4x"
    );
    for (k, case) in CASES.iter().enumerate() {
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|w| case.name.contains(w.as_str())))
        {
            continue;
        }
        let at = |n: usize| {
            let dir = scratch.path().join(format!("{k}-{n}"));
            write_manuscript(&dir, (case.make)(n));
            let t = time(case.run, &dir);
            let _ = std::fs::remove_dir_all(&dir);
            t.as_secs_f64()
        };
        let trivial = at(1);
        let cost = |n: usize| (at(n) - trivial).max(0.001);
        let (one, two, four) = (cost(case.base), cost(2 * case.base), cost(4 * case.base));
        let ratio = four / one;
        let verdict = if ratio <= MAX_RATIO { "ok" } else { "FAIL" };
        println!(
            "{:<36} {:>9} {trivial:>8.3} {one:>8.3} {two:>8.3} {four:>8.3}  4x/1x {ratio:.1} {verdict}",
            case.name, case.base
        );
        if ratio > MAX_RATIO {
            failed.push(case.name);
        }
    }
    if !failed.is_empty() {
        eprintln!("not linear: {}", failed.join(", "));
        std::process::exit(1);
    }
}
