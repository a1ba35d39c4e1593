//! The output folder: ordinary permissions, the EPUB and PDF replaced as a pair, two builds
//! into one folder, stale temporary files, and builds stopped by a signal. Runs the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn quire() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quire"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

fn run(args: &[&str], cwd: &Path) -> Output {
    quire().args(args).current_dir(cwd).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A manuscript titled "Small Book" whose second chapter says `text`.
fn manuscript(dir: &Path, text: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Small Book\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:small\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("ch1.md"),
        "# One\n\nSome text for the first chapter.\n",
    )
    .unwrap();
    fs::write(dir.join("ch2.md"), format!("# Two\n\n{text}\n")).unwrap();
}

/// A manuscript titled "Small Book" that takes a while to build (so that a signal can land at
/// any stage of it), whose second chapter says `text`.
fn long_manuscript(dir: &Path, text: &str) {
    manuscript(dir, text);
    let paragraph = "The quick brown fox jumps over the lazy dog, and the dog, not amused, \
                     considers the matter at some length before going back to sleep. "
        .repeat(12);
    let body: String = (0..8).map(|_| format!("{paragraph}\n\n")).collect();
    for i in 3..40 {
        fs::write(
            dir.join(format!("ch{i}.md")),
            format!("# Chapter {i}\n\n{body}"),
        )
        .unwrap();
    }
}

/// The names in `dir` (but the record of the outputs' names, `.quire-outputs`).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != ".quire-outputs")
        .collect();
    v.sort();
    v
}

fn pair(out: &Path) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    (
        fs::read(out.join("small-book.epub")).ok(),
        fs::read(out.join("small-book.pdf")).ok(),
    )
}

/// Builds `manuscript` into a folder of its own and returns the pair it makes.
fn reference(manuscript: &Path) -> (Vec<u8>, Vec<u8>) {
    let out = tempfile::tempdir().unwrap();
    let o = quire()
        .arg("build")
        .arg(manuscript)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let (epub, pdf) = pair(out.path());
    (epub.unwrap(), pdf.unwrap())
}

#[cfg(unix)]
#[test]
fn outputs_get_the_permissions_the_umask_gives() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    manuscript(&root.path().join("m"), "Text.");
    for (umask, mode) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let out = format!("out-{umask}");
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" build m --out {out}"))
            .arg(env!("CARGO_BIN_EXE_quire"))
            .current_dir(root.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        for file in ["small-book.epub", "small-book.pdf"] {
            let meta = fs::metadata(root.path().join(&out).join(file)).unwrap();
            assert_eq!(
                meta.permissions().mode() & 0o777,
                mode,
                "{file} under umask {umask}"
            );
        }
        assert_eq!(
            names(&root.path().join(&out)),
            ["small-book.epub", "small-book.pdf"],
            "no temporary or lock file is left"
        );
    }
}

#[test]
fn a_folder_named_like_the_pdf_leaves_the_old_epub_in_place() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    manuscript(&m, "First version.");
    let o = run(&["build", "m"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.path().join("build");
    let old_epub = fs::read(out.join("small-book.epub")).unwrap();

    fs::remove_file(out.join("small-book.pdf")).unwrap();
    fs::create_dir(out.join("small-book.pdf")).unwrap();
    manuscript(&m, "Second version.");
    let o = run(&["build", "m"], root.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("small-book.pdf") && err.contains("a folder has this name"),
        "{err}"
    );
    assert_eq!(fs::read(out.join("small-book.epub")).unwrap(), old_epub);
    assert_eq!(names(&out), ["small-book.epub", "small-book.pdf"]);
}

#[test]
fn stale_temporary_files_are_removed_by_the_next_build() {
    let root = tempfile::tempdir().unwrap();
    manuscript(&root.path().join("m"), "Text.");
    let out = root.path().join("build");
    fs::create_dir_all(&out).unwrap();
    // What a build killed with -9 leaves: its temporary files and its lock file.
    fs::write(out.join(".quire-Ab12Cd.part"), vec![0u8; 4096]).unwrap();
    fs::write(out.join(".quire-x9y8z7.part"), b"half a pdf").unwrap();
    fs::write(out.join(".quire.lock"), b"").unwrap();
    // Not quire's: left alone.
    fs::write(out.join("notes.txt"), b"mine").unwrap();
    fs::write(out.join(".quire-notes.txt"), b"mine too").unwrap();
    let o = run(&["build", "m"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        names(&out),
        [
            ".quire-notes.txt",
            "notes.txt",
            "small-book.epub",
            "small-book.pdf"
        ]
    );
}

#[test]
fn two_builds_into_one_folder_leave_one_builds_pair() {
    let root = tempfile::tempdir().unwrap();
    let a = root.path().join("a");
    let b = root.path().join("b");
    // Same title, so the same file names; different text, so different files.
    long_manuscript(&a, "Version A.");
    long_manuscript(&b, "Version B.");
    let want_a = reference(&a);
    let want_b = reference(&b);
    assert_ne!(want_a.0, want_b.0);
    let out = root.path().join("shared");
    for round in 0..3 {
        let spawn = |m: &Path| {
            quire()
                .arg("build")
                .arg(m)
                .arg("--out")
                .arg(&out)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let one = spawn(first);
        let two = spawn(second);
        for child in [one, two] {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
        }
        let (epub, pdf) = pair(&out);
        let got = (epub.unwrap(), pdf.unwrap());
        assert!(
            got == want_a || got == want_b,
            "round {round}: the EPUB and the PDF come from different builds"
        );
        assert_eq!(names(&out), ["small-book.epub", "small-book.pdf"]);
    }
}

/// Sends `signal` to `pid` (with the shell's `kill`, which every Unix has).
#[cfg(unix)]
fn signal(pid: u32, signal: &str) {
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {pid}"))
        .status()
        .unwrap();
    // The process may have finished already.
    let _ = status;
}

/// Starts builds of `m` into `out` and stops each with `sig` at a different moment, from the
/// middle of the build (the EPUB and PDF are made in memory) to past its end (the writing);
/// calls `after` after each.
#[cfg(unix)]
fn interrupted_builds(m: &Path, out: &Path, sig: &str, mut after: impl FnMut(u32)) {
    // How long a whole build takes here, to spread the signals over it.
    let start = Instant::now();
    let o = quire()
        .arg("build")
        .arg(m)
        .arg("--out")
        .arg(tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let whole = start.elapsed();
    const TRIES: u32 = 8;
    for i in 0..TRIES {
        let mut child = quire()
            .arg("build")
            .arg(m)
            .arg("--out")
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole.mul_f64(0.5 + 0.6 * f64::from(i) / f64::from(TRIES)));
        signal(child.id(), sig);
        let _ = child.wait().unwrap();
        after(i);
    }
}

#[cfg(unix)]
#[test]
fn a_terminated_build_leaves_the_old_pair_or_the_new_one_and_no_temporary_file() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    long_manuscript(&m, "Old version.");
    let old = reference(&m);
    let out = root.path().join("build");
    let o = quire()
        .arg("build")
        .arg(&m)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success());
    long_manuscript(&m, "New version.");
    let new = reference(&m);
    let sig = "TERM";
    interrupted_builds(&m, &out, sig, |i| {
        let (epub, pdf) = pair(&out);
        let got = (epub.unwrap(), pdf.unwrap());
        assert!(
            got == old || got == new,
            "SIG{sig} at step {i}: a mixed pair"
        );
        assert_eq!(
            names(&out),
            ["small-book.epub", "small-book.pdf"],
            "SIG{sig} at step {i}"
        );
    });
}

#[cfg(unix)]
#[test]
fn what_a_killed_build_leaves_the_next_build_removes() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    long_manuscript(&m, "Text.");
    let out = root.path().join("build");
    interrupted_builds(&m, &out, "KILL", |_| {});
    let o = quire()
        .arg("build")
        .arg(&m)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&out), ["small-book.epub", "small-book.pdf"]);
}

/// A manuscript in `root/m` and a build of it into `root/build` started while this test holds
/// the folder's lock (so the build stops with its outputs made, about to write them). Returns
/// the lock, the build and the output folder.
fn build_behind_a_held_lock(root: &Path) -> (fs::File, Child, PathBuf) {
    manuscript(&root.join("m"), "Text.");
    let out = root.join("build");
    fs::create_dir_all(&out).unwrap();
    let lock = fs::File::create(out.join(".quire.lock")).unwrap();
    lock.lock().unwrap();
    let child = quire()
        .args(["build", "m"])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (lock, child, out)
}

#[test]
fn a_build_waits_for_the_lock_another_holds() {
    let root = tempfile::tempdir().unwrap();
    let (lock, mut child, out) = build_behind_a_held_lock(root.path());
    // While the lock is held the build makes its outputs but does not write them.
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build did not wait"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!out.join("small-book.epub").exists());
    drop(lock);
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&out), ["small-book.epub", "small-book.pdf"]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_is_handled_and_leaves_nothing_behind() {
    let root = tempfile::tempdir().unwrap();
    let (_lock, mut child, out) = build_behind_a_held_lock(root.path());
    std::thread::sleep(Duration::from_secs(2));
    signal(child.id(), "INT");
    let status = child.wait().unwrap();
    // 130: quire's handler ran (the default action would end it by the signal, no code).
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        names(&out),
        [".quire.lock"],
        "only the lock file this test holds"
    );
}

/// The print cover wrap ends in `.pdf` as the interior does; building one never removes the
/// other (each output's role is recorded, not only its extension).
#[test]
fn a_cover_build_keeps_the_interior_and_an_interior_build_keeps_the_cover() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    manuscript(&m, "Text.");
    let o = run(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.path().join("out");
    let (epub, pdf) = pair(&out);
    let o = run(
        &["build", "m", "--out", "out", "--format", "cover"],
        root.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("removed"), "{}", stderr(&o));
    assert_eq!(
        names(&out),
        ["small-book-cover.pdf", "small-book.epub", "small-book.pdf"]
    );
    assert_eq!(pair(&out), (epub, pdf));
    let cover = fs::read(out.join("small-book-cover.pdf")).unwrap();
    let o = run(
        &["build", "m", "--out", "out", "--format", "pdf"],
        root.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(out.join("small-book-cover.pdf")).unwrap(), cover);
    // A change of name still replaces each role's old file.
    for format in ["pdf", "cover"] {
        let o = run(
            &[
                "build", "m", "--out", "out", "--format", format, "--name", "renamed",
            ],
            root.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(
        names(&out),
        ["renamed-cover.pdf", "renamed.pdf", "small-book.epub"]
    );
}
