//! The author commands, driven through the real binary on scratch manuscripts.

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn quire(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn small(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Small Book\"\nauthors = [\"A. Writer\"]\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:small\"\n",
    )
    .unwrap();
    fs::write(dir.join("ch1.md"), "# One\n\nalpha beta gamma delta.\n").unwrap();
    fs::write(dir.join("ch2.md"), "# Two\n\nOne two three.\n").unwrap();
}

#[test]
fn init_makes_a_manuscript_that_builds_and_passes_epubcheck() {
    let root = tempfile::tempdir().unwrap();
    let o = quire(&["init", "novel"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let m = root.path().join("novel");
    for f in [
        "book.toml",
        "01-beginning.md",
        "02-the-middle.md",
        ".gitignore",
    ] {
        assert!(m.join(f).is_file(), "{f}");
    }
    assert!(fs::read_to_string(m.join(".gitignore"))
        .unwrap()
        .contains("/build/"));

    let o = quire(&["build", "."], &m);
    assert!(o.status.success(), "{}", stderr(&o));
    // A fresh manuscript has no warning but that its cover is a placeholder.
    let err = stderr(&o);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert!(
        warnings.len() == 1 && warnings[0].contains("placeholder"),
        "{}",
        stderr(&o)
    );
    let epub = m.join("build/novel.epub");
    assert!(
        epub.is_file() && m.join("build/novel.pdf").is_file(),
        "{}",
        stdout(&o)
    );
    if let Some(report) = epubcheck::epubcheck(&epub) {
        assert!(report.is_clean(), "{:?}", report.messages);
    }

    // check: clean but for the cover, a placeholder.
    let o = quire(&["check", "."], &m);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 errors, 1 warning"), "{}", stderr(&o));
    assert!(stderr(&o).contains("cover"), "{}", stderr(&o));
    let o = quire(&["check", ".", "--deny", "warnings"], &m);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn init_never_overwrites() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("manuscript");
    fs::create_dir_all(&m).unwrap();
    fs::write(m.join("02-the-middle.md"), "mine").unwrap();
    let o = quire(&["init"], root.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: ") && err.contains("02-the-middle.md"),
        "{err}"
    );
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        fs::read_to_string(m.join("02-the-middle.md")).unwrap(),
        "mine"
    );
    assert!(
        !m.join("book.toml").exists(),
        "nothing is written when one file exists"
    );
}

/// (file name, line, column, severity, message) of every finding.
fn findings(json: &serde_json::Value) -> Vec<(String, u64, u64, String, String)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = PathBuf::from(d["file"].as_str().unwrap());
            (
                file.file_name().unwrap().to_string_lossy().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_finds_each_planted_mistake_where_it_is() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    small(&m);
    fs::write(
        m.join("book.toml"),
        "[book]\ntitle = \"Lint\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:1\"\n[pdf]\ntrim = \"6x9in\"\n",
    )
    .unwrap();
    // A whole PNG: check decodes images as the build does (a truncated one is an error).
    fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/images/badge.png"
        ),
        m.join("present.png"),
    )
    .unwrap();
    fs::write(
        m.join("ch1.md"),
        concat!(
            "# One\n",                                           // 1
            "\n",                                                // 2
            "See [nowhere](#nowhere).\n",                        // 3: broken anchor at 3:5
            "\n",                                                // 4
            "![](missing.png) ![A fine picture](present.png)\n", // 5: missing file + no alt at 5:1
            "\n",                                                // 6
            "## Section\n",                                      // 7
            "\n",                                                // 8
            "#### Deep\n",                                       // 9: level jump at 9:1
            "\n",                                                // 10
            "In the '90s it was 6' tall.\n",                     // 11: '90s at 11:8, prime at 11:21
            "She said--no.\n",                                   // 12: -- at 12:9
            "Two  spaces.\n",                                    // 13: double space at 13:4
            "An emoji 😀 here.\n",                               // 14: undrawable at 14:10
            "\n",
            "`code -- fine  here '90s` and 1990--2000 and a -- b.\n", // 16: nothing
            "\n",
            "```\nblock -- '90s  x 😀\n```\n", // 18-20: code block: only the glyph
        ),
    )
    .unwrap();
    fs::write(m.join("ch2.md"), "# One\n\nThe same title again.\n").unwrap();
    fs::write(m.join("ch3.md"), "# Empty\n").unwrap();

    let o = quire(
        &["check", "m", "--format", "json", "--verbose"],
        root.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let all = findings(&json);
    let find = |file: &str, line: u64, column: u64, severity: &str, needle: &str| {
        assert!(
            all.iter().any(|f| f.0 == file
                && f.1 == line
                && f.2 == column
                && f.3 == severity
                && f.4.contains(needle)),
            "no {severity} `{needle}` at {file}:{line}:{column} in\n{all:#?}"
        );
    };
    find("ch1.md", 3, 5, "error", "#nowhere");
    find("ch1.md", 5, 1, "error", "missing.png");
    find("ch1.md", 5, 1, "warning", "no alt text");
    find("ch1.md", 9, 1, "warning", "heading level jumps from 2 to 4");
    find("ch1.md", 11, 8, "warning", "’90s");
    find("ch1.md", 11, 21, "warning", "prime");
    find("ch1.md", 12, 9, "warning", "`--`");
    find("ch1.md", 13, 4, "warning", "2 spaces");
    find("ch1.md", 14, 10, "error", "U+1F600");
    find("ch2.md", 1, 1, "warning", "“One” is used twice");
    find("ch3.md", 1, 1, "warning", "has a title but no text");
    find("book.toml", 7, 1, "warning", "did you mean `trim-size`?");
    find("book.toml", 1, 1, "warning", "no author");
    find("book.toml", 1, 1, "warning", "no cover");
    // Nothing else: code spans, ranges, a spaced dash and code blocks are fine; the image that
    // exists has alt text.
    let in_ch1: Vec<_> = all.iter().filter(|f| f.0 == "ch1.md").collect();
    assert_eq!(in_ch1.len(), 9, "{in_ch1:#?}");
    // One finding per character, however often it occurs (here also in a code block).
    find("ch1.md", 14, 10, "error", "(2 times)");
    assert!(all.iter().all(|f| f.1 != 16), "{all:#?}");
    assert_eq!(json["errors"], 3);
    assert_eq!(
        json["warnings"].as_u64().unwrap() as usize,
        all.len() - 3,
        "{all:#?}"
    );

    // Human output: rustc style on stderr, nothing on stdout, nothing written.
    let o = quire(&["check", "m"], root.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error[broken-link]: link to `#nowhere`"),
        "{err}"
    );
    assert!(
        err.contains("--> m/ch1.md:3:5") || err.contains("--> m\\ch1.md:3:5"),
        "{err}"
    );
    assert!(err.contains("3 errors, "), "{err}");
    assert!(stdout(&o).is_empty());
    assert!(!root.path().join("build").exists());
    // --quiet keeps the errors only.
    let o = quire(&["check", "m", "--quiet"], root.path());
    assert!(!stderr(&o).contains("warning["), "{}", stderr(&o));
    assert!(stderr(&o).contains("error["));
}

#[test]
fn check_exit_status_follows_errors_and_deny_warnings() {
    let root = tempfile::tempdir().unwrap();
    small(&root.path().join("manuscript"));
    let o = quire(&["check"], root.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = quire(
        &["check", "--deny", "warnings", "--format", "json"],
        root.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["errors"], 0);
    assert_eq!(json["warnings"], 1, "only the cover: {json}");
    let o = quire(&["check", "nowhere"], root.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("manuscript not found"),
        "{}",
        stderr(&o)
    );
    let o = quire(&["check", "--deny", "everything"], root.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn stats_counts_a_known_manuscript() {
    let root = tempfile::tempdir().unwrap();
    small(&root.path().join("manuscript"));
    let o = quire(&["stats", "--format", "json"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // "One" + "alpha beta gamma delta." = 5 words, 3 + 23 characters; "Two" + "One two three."
    // = 4 words, 3 + 14 characters.
    assert_eq!(s["words"], 9);
    assert_eq!(s["characters"], 43);
    assert_eq!(s["chapters"], 2);
    assert_eq!(s["per_chapter"][0]["words"], 5);
    assert_eq!(s["per_chapter"][1]["title"], "Two");
    assert_eq!(s["words_per_page"], 277);
    // One page each, and a blank verso so that chapter two opens on a recto.
    assert_eq!(s["pages"], 3);
    assert_eq!(s["reading_minutes"], 1);

    let o = quire(&["stats"], root.path());
    let text = stdout(&o);
    assert!(text.contains("words            9"), "{text}");
    assert!(text.contains("  2  Two"), "{text}");

    // A bigger trim holds more words a page.
    fs::write(
        root.path().join("manuscript/book.toml"),
        "[book]\ntitle = \"Small Book\"\n[pdf]\ntrim-size = \"letter\"\n",
    )
    .unwrap();
    let o = quire(&["stats", "--format", "json"], root.path());
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(s["words_per_page"].as_u64().unwrap() > 400, "{s}");
    assert_eq!(s["trim"], "8.5x11in");
}

#[test]
fn completions_and_man_page_come_from_the_cli() {
    let root = tempfile::tempdir().unwrap();
    let o = quire(&["completions", "bash"], root.path());
    assert!(o.status.success());
    let script = stdout(&o);
    assert!(script.len() > 1000 && script.contains("quire"), "{script}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let o = quire(&["completions", shell], root.path());
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
    }
    let o = quire(&["man"], root.path());
    assert!(o.status.success());
    let page = stdout(&o);
    assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
    for sub in ["build", "init", "check", "stats", "watch", "completions"] {
        assert!(
            page.contains(&format!("QUIRE {}", sub.to_uppercase())),
            "{sub}"
        );
    }
    assert!(page.contains("\\-\\-deny"), "options are listed");
}

#[test]
fn unknown_book_toml_key_gets_a_suggestion() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("manuscript");
    small(&m);
    let toml = fs::read_to_string(m.join("book.toml")).unwrap() + "[pdf]\nfontsize = 10\n";
    fs::write(m.join("book.toml"), toml).unwrap();
    let o = quire(&["build", "--format", "epub"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("unknown key `fontsize` in [pdf]"), "{err}");
    assert!(err.contains("did you mean `font-size`?"), "{err}");
    assert!(err.contains("book.toml:8:1"), "{err}");
}

/// Polls `f` every 50 ms for at most `limit`.
fn wait_for(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn watch_rebuilds_on_save_and_survives_a_broken_save() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    small(&m);
    let log_out = root.path().join("out.log");
    let log_err = root.path().join("err.log");
    // The outputs go inside the manuscript folder: writing them must not trigger a rebuild.
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args([
            "watch",
            "m",
            "--out",
            "m/build",
            "--format",
            "epub",
            "--max-rebuilds",
            "2",
        ])
        .current_dir(root.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&log_out).unwrap())
        .stderr(fs::File::create(&log_err).unwrap())
        .spawn()
        .unwrap();
    let epub = m.join("build/small-book.epub");
    let limit = Duration::from_secs(20);
    let built = wait_for(limit, || {
        fs::read_to_string(&log_out)
            .unwrap_or_default()
            .contains("built 2 chapters in")
    });
    if !built {
        let _ = child.kill();
        panic!("no first build: {}", fs::read_to_string(&log_err).unwrap());
    }
    let first = fs::read(&epub).unwrap();

    fs::write(
        m.join("ch1.md"),
        "# One\n\nalpha beta gamma delta epsilon.\n",
    )
    .unwrap();
    let rebuilt = wait_for(limit, || {
        fs::read(&epub).is_ok_and(|b| b != first)
            && fs::read_to_string(&log_out)
                .unwrap_or_default()
                .contains("rebuilt 1 of 2 chapters (ch1.md) in ")
    });
    if !rebuilt {
        let _ = child.kill();
        panic!("no rebuild: {}", fs::read_to_string(&log_out).unwrap());
    }
    let second = fs::read(&epub).unwrap();

    // A broken save: the error is reported, the last good output stays.
    fs::write(m.join("ch2.md"), b"# Two\n\nnot \xff UTF-8\n").unwrap();
    let exited = wait_for(limit, || child.try_wait().unwrap().is_some());
    if !exited {
        let _ = child.kill();
        panic!(
            "watch did not stop after two rebuilds: {}",
            fs::read_to_string(&log_out).unwrap()
        );
    }
    let out = fs::read_to_string(&log_out).unwrap();
    let err = fs::read_to_string(&log_err).unwrap();
    assert!(out.contains("changed: ch1.md"), "{out}");
    assert!(out.contains("changed: ch2.md"), "{out}");
    assert!(
        err.contains("error: ") && err.contains("ch2.md:3:5"),
        "{err}"
    );
    assert!(err.contains("last good outputs are kept"), "{err}");
    assert_eq!(fs::read(&epub).unwrap(), second);
    // The outputs and the record of their names (`.quire-outputs`), nothing else.
    let leftovers: Vec<_> = fs::read_dir(m.join("build"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".quire-outputs")
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

/// Waits for `n` lines starting with `prefix` in the file at `log`.
fn lines_in(log: &Path, prefix: &str) -> Vec<String> {
    fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

#[test]
fn watch_rebuilds_one_chapter_of_pride_and_prejudice() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("pride");
    fs::create_dir_all(&m).unwrap();
    for entry in fs::read_dir("tests/fixtures/pride-and-prejudice").unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, m.join(path.file_name().unwrap())).unwrap();
    }
    let out = root.path().join("out");
    let log_out = root.path().join("out.log");
    let log_err = root.path().join("err.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["watch", "pride", "--out", "out", "--max-rebuilds", "1"])
        .current_dir(root.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&log_out).unwrap())
        .stderr(fs::File::create(&log_err).unwrap())
        .spawn()
        .unwrap();
    // A debug build of the whole book takes a while on a loaded machine.
    let limit = Duration::from_secs(300);
    if !wait_for(limit, || !lines_in(&log_out, "built ").is_empty()) {
        let _ = child.kill();
        panic!("no first build: {}", fs::read_to_string(&log_err).unwrap());
    }
    assert!(
        lines_in(&log_out, "built 61 chapters in ").len() == 1,
        "{}",
        fs::read_to_string(&log_out).unwrap()
    );

    let chapter = m.join("ch12.md");
    let text = fs::read_to_string(&chapter).unwrap();
    fs::write(
        &chapter,
        text.replacen(
            "Elizabeth wrote the next morning",
            "Elizabeth wrote the zanzibarian morning",
            1,
        ),
    )
    .unwrap();
    let exited = wait_for(limit, || child.try_wait().unwrap().is_some());
    if !exited {
        let _ = child.kill();
        panic!("no rebuild: {}", fs::read_to_string(&log_out).unwrap());
    }
    let log = fs::read_to_string(&log_out).unwrap();
    let rebuilt = lines_in(&log_out, "rebuilt ");
    assert_eq!(rebuilt.len(), 1, "{log}");
    assert!(
        rebuilt[0].starts_with("rebuilt 1 of 61 chapters (ch12.md) in "),
        "{log}"
    );
    println!("{}", rebuilt[0]);

    // Both outputs hold the edit.
    let epub = fs::File::open(out.join("pride-and-prejudice.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(epub).unwrap();
    let mut found = false;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut xhtml = String::new();
        if entry.name().ends_with(".xhtml") {
            std::io::Read::read_to_string(&mut entry, &mut xhtml).unwrap();
            found |= xhtml.contains("Elizabeth wrote the zanzibarian morning");
        }
    }
    assert!(found, "the EPUB lacks the edit");
    if let Some(text) = pdftools::pdftotext(&out.join("pride-and-prejudice.pdf"), &[]) {
        assert!(text.success, "{}", text.stderr);
        // The word may be hyphenated at a line end.
        let letters: String = text
            .stdout
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{ad}' | '\u{2010}'))
            .collect();
        assert!(
            letters.contains("Elizabethwrotethezanzibarianmorning"),
            "the PDF lacks the edit"
        );
    }
}
