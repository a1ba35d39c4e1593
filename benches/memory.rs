//! Issue 18's memory budget: the peak resident memory of `quire build` on each large or
//! hostile input, against the budget of 300 MB plus the size of what it writes.
//!
//! `cargo bench --bench memory` (exit status 1 when a case is over budget); `MEMORY_CASES=word`
//! runs only some. Needs `/usr/bin/time` (Debian: `apt-get install -y time`), which reports
//! the peak of the child it runs.

use std::path::Path;

#[path = "../tests/common/adam7.rs"]
mod adam7;
use std::process::Command;

/// The fixed part of the budget, in bytes.
const BUDGET: u64 = 300_000_000;

struct Case {
    name: &'static str,
    /// Writes the manuscript into the folder.
    make: fn(&Path),
}

fn single(dir: &Path, body: String) {
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Scale\"\nauthors = [\"A\"]\nlanguage = \"en\"\n",
    )
    .expect("book.toml");
    std::fs::write(dir.join("01.md"), format!("# Chapter\n\n{body}\n")).expect("01.md");
}

const PARAGRAPH: &str = "The quick brown fox jumps over the lazy dog, and the dog, not amused, \
    considers the matter at some length before going back to sleep.";

const CASES: &[Case] = &[
    Case {
        name: "a million words (pride-and-prejudice 9 times, 549 files)",
        make: |dir| {
            let fixture =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pride-and-prejudice");
            std::fs::copy(fixture.join("metadata.yaml"), dir.join("metadata.yaml"))
                .expect("metadata");
            let mut chapters: Vec<_> = std::fs::read_dir(&fixture)
                .expect("the fixture")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("ch"))
                })
                .collect();
            chapters.sort();
            let mut n = 0;
            for _ in 0..9 {
                for file in &chapters {
                    n += 1;
                    let text = std::fs::read_to_string(file).expect("a chapter");
                    // Headings renumbered so that every chapter's id stays unique.
                    let body = text.split_once('\n').map_or("", |(_, rest)| rest);
                    let name = format!("ch{n:04}.md");
                    std::fs::write(dir.join(name), format!("# Chapter {n}\n{body}"))
                        .expect("write");
                }
            }
        },
    },
    Case {
        name: "a 20 MB chapter of ordinary paragraphs",
        make: |dir| {
            let n = 20_000_000 / (PARAGRAPH.len() + 2);
            single(dir, vec![PARAGRAPH; n].join("\n\n"))
        },
    },
    Case {
        name: "a 10 MB line (two million words, one paragraph)",
        make: |dir| single(dir, "word ".repeat(2_000_000)),
    },
    Case {
        name: "an unbreakable word of 2.5 million letters",
        make: |dir| single(dir, "x".repeat(2_500_000)),
    },
    Case {
        name: "a 100-megapixel interlaced PNG",
        make: |dir| {
            let chequer = |x: u32, y: u32| {
                let v = if (x / 50 + y / 50).is_multiple_of(2) {
                    30
                } else {
                    220
                };
                [v, v, 255 - v, 0]
            };
            let png = adam7::interlaced_png(10_000, 10_000, 3, chequer);
            std::fs::write(dir.join("chequer.png"), png).expect("the image");
            single(dir, "![A chequer](chequer.png)".to_string())
        },
    },
    Case {
        name: "100,000 footnotes in one chapter",
        make: |dir| {
            let refs: String = (0..100_000).map(|i| format!("Text[^n{i}].\n\n")).collect();
            let defs: String = (0..100_000)
                .map(|i| format!("[^n{i}]: Note {i}.\n"))
                .collect();
            single(dir, refs + &defs)
        },
    },
];

/// Peak resident bytes of `quire build dir`, and the bytes it wrote.
fn measure(dir: &Path) -> (u64, u64) {
    let out = dir.join("out");
    let run = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_quire"))
        .arg("build")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .expect("/usr/bin/time runs (apt-get install -y time)");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "quire build {} failed: {stderr}",
        dir.display()
    );
    let kib: u64 = stderr
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .next_back()
        .expect("/usr/bin/time prints the peak in KiB");
    let written = std::fs::read_dir(&out)
        .expect("the output folder")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    (kib * 1024, written)
}

fn main() {
    let only: Option<Vec<String>> = std::env::var("MEMORY_CASES")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let mb = |b: u64| b as f64 / 1e6;
    println!(
        "{:<58} {:>9} {:>9} {:>9}  (MB; budget {} MB + output)",
        "case",
        "peak",
        "output",
        "budget",
        BUDGET / 1_000_000
    );
    let mut over = Vec::new();
    for (k, case) in CASES.iter().enumerate() {
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|w| case.name.contains(w.as_str())))
        {
            continue;
        }
        let dir = scratch.path().join(k.to_string());
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        (case.make)(&dir);
        let (peak, written) = measure(&dir);
        let budget = BUDGET + written;
        let verdict = if peak <= budget { "ok" } else { "OVER" };
        println!(
            "{:<58} {:>9.0} {:>9.1} {:>9.0}  {verdict}",
            case.name,
            mb(peak),
            mb(written),
            mb(budget)
        );
        if peak > budget {
            over.push(case.name);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    if !over.is_empty() {
        eprintln!("over budget: {}", over.join("; "));
        std::process::exit(1);
    }
}
