//! `quire watch`: rebuild on every save.
//!
//! File events are debounced (one save, even an editor's write-rename-chmod dance, is one
//! rebuild). The rebuilds themselves belong to the caller (`crate::incremental::Session`
//! reuses the chapters an edit did not touch).
//! A broken save does no harm: the build reports the error and leaves the last good outputs in
//! place (outputs are written atomically, and only when the whole build succeeded), and the next
//! save rebuilds.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The manuscript: a folder (watched with everything in it) or a single Markdown file (its
    /// folder's metadata files are watched too).
    pub manuscript: PathBuf,
    /// Folders whose changes never trigger a build: the output folder.
    pub ignore: Vec<PathBuf>,
    pub debounce: Duration,
    /// Stop after this many rebuilds (not counting the first build); `None`: run until killed.
    pub max_rebuilds: Option<usize>,
    /// Stop when nothing happened for this long; `None`: wait for ever. For tests.
    pub idle_timeout: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{}: cannot watch: {message}", path.display())]
    Watch { path: PathBuf, message: String },
}

/// How often the watcher checks that the manuscript folder is still the one it watches (a
/// folder removed and made again needs a new watch: the old one went with the old folder).
const REARM_CHECK: Duration = Duration::from_millis(250);

/// Watches the manuscript and calls `build` once at the start (with no changed files), then
/// once per debounced batch of changes, with the files that changed. Returns the number of
/// rebuilds after the first build.
pub fn watch(
    options: &WatchOptions,
    mut build: impl FnMut(&[PathBuf]),
) -> Result<usize, WatchError> {
    let err = |path: &Path, e: &dyn std::fmt::Display| WatchError::Watch {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let manuscript = absolute(&options.manuscript);
    let single_file = manuscript.is_file();
    let (target, mode) = if single_file {
        (
            manuscript
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            RecursiveMode::NonRecursive,
        )
    } else {
        (manuscript.clone(), RecursiveMode::Recursive)
    };
    // Made again after every build: the output folder may only exist once a build made it,
    // and only then does its canonical path (through any symbolic link) compare with events'.
    let ignored = || -> Vec<PathBuf> { options.ignore.iter().map(|p| absolute(p)).collect() };

    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| err(&target, &e))?;
    watcher.watch(&target, mode).map_err(|e| err(&target, &e))?;
    let mut armed = Armed {
        identity: identity(&target),
        target: target.clone(),
        mode,
        lost: false,
    };
    // What an event says changed, if anything: opening and reading a file (the build does)
    // and metadata changes are not changes.
    let changes = |event: notify::Result<notify::Event>, ignore: &[PathBuf]| -> Vec<PathBuf> {
        match event {
            Ok(e) if is_change(&e.kind) => e
                .paths
                .into_iter()
                .filter(|p| relevant(p, &manuscript, single_file, ignore))
                .collect(),
            _ => Vec::new(),
        }
    };

    build(&[]);
    let mut ignore = ignored();
    let mut rebuilds = 0;
    let mut idle_since = Instant::now();
    loop {
        if options.max_rebuilds.is_some_and(|max| rebuilds >= max) {
            return Ok(rebuilds);
        }
        let mut changed = match rx.recv_timeout(REARM_CHECK) {
            Ok(event) => {
                armed.note(&event);
                changes(event, &ignore)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Vec::new(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(rebuilds),
        };
        if armed.rearm(&mut watcher).map_err(|e| err(&target, &e))? {
            changed.push(target.clone());
        }
        if changed.is_empty() {
            if options
                .idle_timeout
                .is_some_and(|t| idle_since.elapsed() >= t)
            {
                return Ok(rebuilds);
            }
            continue;
        }
        // Debounce: an editor's save is often several events (write, rename, chmod); wait
        // until the folder has been quiet for `debounce`, then build once.
        // Other events (someone reading the outputs) do not delay the build, and a file that
        // never stops changing still gets a build every 2 s.
        let started = Instant::now();
        let mut quiet_from = Instant::now() + options.debounce;
        loop {
            let now = Instant::now();
            if now >= quiet_from || now.duration_since(started) > Duration::from_secs(2) {
                break;
            }
            match rx.recv_timeout(quiet_from - now) {
                Ok(event) => {
                    armed.note(&event);
                    let more = changes(event, &ignore);
                    if !more.is_empty() {
                        changed.extend(more);
                        quiet_from = Instant::now() + options.debounce;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(rebuilds),
            }
        }
        // A folder made again during the debounce is watched before the build reads it.
        let rearmed = armed.rearm(&mut watcher).map_err(|e| err(&target, &e))?;
        if rearmed && !changed.contains(&target) {
            changed.push(target.clone());
        }
        changed.sort();
        changed.dedup();
        build(&changed);
        ignore = ignored();
        rebuilds += 1;
        idle_since = Instant::now();
    }
}

/// The watch on the manuscript folder (or a single file's folder), which dies with the folder:
/// removed and made again (`rm -rf`, a `git checkout` of another branch, a copy back), it is
/// watched again.
struct Armed {
    target: PathBuf,
    mode: RecursiveMode,
    /// The folder the watch is on.
    identity: Option<(u64, u64)>,
    /// The folder was removed or moved away since.
    lost: bool,
}

impl Armed {
    fn note(&mut self, event: &notify::Result<notify::Event>) {
        use notify::event::{ModifyKind, RenameMode};
        if let Ok(e) = event {
            let gone = matches!(
                e.kind,
                EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From))
            );
            if gone && e.paths.contains(&self.target) {
                self.lost = true;
            }
        }
    }

    /// Watches the folder again if it is back after it went (or is another folder now);
    /// true when it did.
    fn rearm(&mut self, watcher: &mut impl Watcher) -> notify::Result<bool> {
        let now = identity(&self.target);
        if now.is_none() {
            self.lost = true;
            return Ok(false);
        }
        if !self.lost && now == self.identity {
            return Ok(false);
        }
        let _ = watcher.unwatch(&self.target);
        watcher.watch(&self.target, self.mode)?;
        self.identity = now;
        self.lost = false;
        Ok(true)
    }
}

/// Which file system object `path` is now (device and inode), `None` when there is none.
fn identity(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

/// Whether an event kind can change the book.
fn is_change(kind: &EventKind) -> bool {
    use notify::event::ModifyKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// `p` made absolute through every symbolic link, as event paths are, even when its last
/// parts do not exist yet (an output folder the first build makes): the longest existing
/// prefix is canonicalised and the rest appended.
fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(d) => d.join(p),
            Err(_) => p.to_path_buf(),
        }
    };
    let mut rest = Vec::new();
    let mut prefix = p.as_path();
    loop {
        if let Ok(real) = prefix.canonicalize() {
            return rest.iter().rev().fold(real, |path, part| path.join(part));
        }
        match (prefix.parent(), prefix.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                prefix = parent;
            }
            _ => return p,
        }
    }
}

/// Whether a change to `path` can change the book: not in the output folder, not a temporary
/// file of quire's or an editor's, not in `.git`; for a single-file manuscript, only the file
/// and the metadata files beside it. An output folder that holds the manuscript
/// (`quire watch manuscript --out .`) is not ignored as a whole: only the outputs in it are.
pub fn relevant(path: &Path, manuscript: &Path, single_file: bool, ignore: &[PathBuf]) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let is_output = || {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        ext.eq_ignore_ascii_case("epub") || ext.eq_ignore_ascii_case("pdf")
    };
    for folder in ignore {
        if manuscript.starts_with(folder) {
            if path.parent() == Some(folder.as_path()) && is_output() {
                return false;
            }
        } else if path.starts_with(folder) {
            return false;
        }
    }
    if single_file {
        return path == manuscript
            || ["book.toml", "metadata.yaml", "metadata.yml"].contains(&name.as_str());
    }
    let rel = path.strip_prefix(manuscript).unwrap_or(path);
    if rel.components().any(|c| c.as_os_str() == ".git") {
        return false;
    }
    !(name.starts_with(".quire-") || name == crate::output::LOCK_FILE || editor_temporary(&name))
}

/// Whether `name` is a file an editor or a tool makes while saving, never a part of the book:
/// `sed -i`'s `sedXXXXXX`, vim's `.ch1.md.swp` (`.swo`, `.swx`...) and `4913` (its test of the
/// folder), Emacs's `#ch1.md#` autosave and `.#ch1.md` lock, backups ending in `~`, `.tmp`
/// and `.part` files, gedit's `.goutputstream-XXXXXX`, JetBrains' `ch1.md___jb_tmp___`,
/// Kate's `.kate-swp`, LibreOffice's `.~lock.ch1.md#`, and `.DS_Store`.
pub fn editor_temporary(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let sed = name.len() == 9
        && name.starts_with("sed")
        && name[3..].chars().all(|c| c.is_ascii_alphanumeric());
    // vim: `.swp`, then `.swo`, `.swn`... down to `.swa`, and `.swx` for its test file.
    let vim_swap = lower.len() > 4
        && lower.starts_with('.')
        && lower
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.len() == 3 && ext.starts_with("sw"));
    sed || vim_swap
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#') && name.len() > 2)
        || name.starts_with(".#")
        || name.starts_with(".~lock.")
        || name.starts_with(".goutputstream-")
        || name.ends_with('~')
        || lower.ends_with(".tmp")
        || lower.ends_with(".part")
        || lower.ends_with(".swp")
        || lower.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == ".DS_Store"
}

/// How long a step took, for messages: `0.42 s`, `1.3 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// Runs `f` and returns its result with the time it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let r = f();
    (r, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_temporaries_and_editor_files_are_ignored() {
        let m = Path::new("/m");
        let out = vec![PathBuf::from("/m/build")];
        assert!(relevant(Path::new("/m/ch1.md"), m, false, &out));
        assert!(relevant(Path::new("/m/images/a.png"), m, false, &out));
        assert!(!relevant(Path::new("/m/build/book.epub"), m, false, &out));
        assert!(!relevant(Path::new("/m/.quire-x.part"), m, false, &out));
        assert!(!relevant(Path::new("/m/.ch1.md.swp"), m, false, &out));
        assert!(!relevant(Path::new("/m/.git/index"), m, false, &out));
        let single = Path::new("/d/book.md");
        assert!(relevant(single, single, true, &[]));
        assert!(relevant(Path::new("/d/book.toml"), single, true, &[]));
        assert!(!relevant(Path::new("/d/other.md"), single, true, &[]));
    }

    #[test]
    fn a_saved_file_triggers_one_rebuild_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ch1.md"), "# One\n").unwrap();
        let options = WatchOptions {
            manuscript: dir.path().to_path_buf(),
            ignore: vec![dir.path().join("build")],
            debounce: Duration::from_millis(100),
            max_rebuilds: Some(1),
            idle_timeout: Some(Duration::from_secs(15)),
        };
        let path = dir.path().join("ch1.md");
        let mut calls: Vec<Vec<PathBuf>> = Vec::new();
        let n = watch(&options, |changed| {
            calls.push(changed.to_vec());
            if changed.is_empty() {
                // The first build: now save a chapter (and write an output, which is ignored).
                std::fs::create_dir_all(dir.path().join("build")).unwrap();
                std::fs::write(dir.path().join("build/x.epub"), "x").unwrap();
                std::fs::write(&path, "# One\n\nMore.\n").unwrap();
            }
        })
        .unwrap();
        assert_eq!(n, 1);
        assert_eq!(calls.len(), 2);
        let canonical = path.canonicalize().unwrap();
        assert_eq!(calls[1], vec![canonical]);
    }

    #[test]
    fn reading_the_manuscript_is_not_a_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ch1.md"), "# One\n").unwrap();
        let options = WatchOptions {
            manuscript: dir.path().to_path_buf(),
            ignore: vec![],
            debounce: Duration::from_millis(50),
            max_rebuilds: None,
            idle_timeout: Some(Duration::from_millis(700)),
        };
        let n = watch(&options, |_| {
            // What a build does: read every file.
            std::fs::read(dir.path().join("ch1.md")).unwrap();
            std::fs::read_dir(dir.path()).unwrap().for_each(drop);
        })
        .unwrap();
        assert_eq!(n, 0);
    }

    fn options(manuscript: &Path, out: &Path, max: usize, idle_ms: u64) -> WatchOptions {
        WatchOptions {
            manuscript: manuscript.to_path_buf(),
            ignore: vec![out.to_path_buf()],
            debounce: Duration::from_millis(100),
            max_rebuilds: Some(max),
            idle_timeout: Some(Duration::from_millis(idle_ms)),
        }
    }

    #[test]
    fn an_output_folder_holding_the_manuscript_ignores_only_the_outputs() {
        // `quire watch W --out W`: the outputs land beside the chapters.
        let dir = tempfile::tempdir().unwrap();
        let w = dir.path().join("W");
        std::fs::create_dir(&w).unwrap();
        std::fs::write(w.join("ch1.md"), "# One\n").unwrap();
        let mut calls: Vec<Vec<PathBuf>> = Vec::new();
        let n = watch(&options(&w, &w, 1, 15_000), |changed| {
            calls.push(changed.to_vec());
            if changed.is_empty() {
                std::fs::write(w.join("book.epub"), "x").unwrap();
                std::fs::write(w.join("book.pdf"), "x").unwrap();
                std::fs::write(w.join(".quire-abc.part"), "x").unwrap();
                std::fs::write(w.join(crate::output::LOCK_FILE), "").unwrap();
                std::fs::write(w.join("ch1.md"), "# One\n\nMore.\n").unwrap();
            }
        })
        .unwrap();
        assert_eq!(n, 1);
        assert_eq!(calls[1], vec![w.join("ch1.md").canonicalize().unwrap()]);

        // `quire watch book.md --out .`: a single file in the output folder.
        let book = dir.path().join("book.md");
        std::fs::write(&book, "# One\n").unwrap();
        let mut calls: Vec<Vec<PathBuf>> = Vec::new();
        let n = watch(&options(&book, dir.path(), 1, 15_000), |changed| {
            calls.push(changed.to_vec());
            if changed.is_empty() {
                std::fs::write(dir.path().join("book.epub"), "x").unwrap();
                std::fs::write(&book, "# One\n\nMore.\n").unwrap();
            }
        })
        .unwrap();
        assert_eq!(n, 1);
        assert_eq!(calls[1], vec![book.canonicalize().unwrap()]);
    }

    #[cfg(unix)]
    #[test]
    fn a_manuscript_reached_through_a_symbolic_link_does_not_rebuild_on_its_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("m")).unwrap();
        std::fs::write(real.join("m/ch1.md"), "# One\n").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let m = link.join("m");
        // The output folder does not exist until the first build makes it.
        let out = link.join("m/build");
        let mut builds = 0;
        let n = watch(&options(&m, &out, 5, 1_500), |_| {
            builds += 1;
            std::fs::create_dir_all(&out).unwrap();
            std::fs::write(out.join("book.epub"), format!("build {builds}")).unwrap();
            std::fs::write(out.join("book.pdf"), format!("build {builds}")).unwrap();
        })
        .unwrap();
        assert_eq!(n, 0, "writing the outputs triggered rebuilds");
        // A real save through the link still does.
        let mut calls = 0;
        let n = watch(&options(&m, &out, 1, 15_000), |changed| {
            calls += 1;
            if changed.is_empty() {
                std::fs::write(m.join("ch1.md"), "# One\n\nMore.\n").unwrap();
            }
        })
        .unwrap();
        assert_eq!((n, calls), (1, 2));
    }

    #[test]
    fn editors_temporary_files_are_not_changes() {
        for name in [
            "sed1SNTCd",
            "sedAbC123",
            ".ch1.md.swp",
            ".ch1.md.swo",
            ".book.toml.swx",
            "4913",
            "#ch1.md#",
            ".#ch1.md",
            "ch1.md~",
            "book.toml.tmp",
            "ch1.md.part",
            ".goutputstream-XY12ZT",
            "ch1.md___jb_tmp___",
            "ch1.md.kate-swp",
            ".~lock.ch1.md#",
            ".DS_Store",
        ] {
            assert!(editor_temporary(name), "{name}");
            let m = Path::new("/m");
            assert!(!relevant(&m.join(name), m, false, &[]), "{name}");
        }
        for name in [
            "sed.md",
            "seduction.md",
            "sediment",
            "book.toml",
            "ch1.md",
            "#1.md",
            "4913.md",
            "swap.md",
            "img.svg",
        ] {
            assert!(!editor_temporary(name), "{name}");
        }
    }

    #[test]
    fn a_manuscript_folder_removed_and_made_again_is_watched_again() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("m");
        std::fs::create_dir(&m).unwrap();
        std::fs::write(m.join("ch1.md"), "# One\n").unwrap();
        let mut calls: Vec<Vec<PathBuf>> = Vec::new();
        let n = watch(
            &options(&m, &dir.path().join("build"), 2, 15_000),
            |changed| {
                calls.push(changed.to_vec());
                match calls.len() {
                    // The first build: the folder goes (a `git checkout`, `rm -rf` and a copy
                    // back) and comes back.
                    1 => {
                        std::fs::remove_dir_all(&m).unwrap();
                        std::thread::sleep(Duration::from_millis(600));
                        std::fs::create_dir(&m).unwrap();
                        std::fs::write(m.join("ch1.md"), "# One again\n").unwrap();
                    }
                    // Rebuilt for that; a save in the new folder is seen too.
                    2 => std::fs::write(m.join("ch1.md"), "# One, saved\n").unwrap(),
                    _ => {}
                }
            },
        )
        .unwrap();
        assert_eq!(n, 2, "{calls:?}");
        assert!(
            calls[2].contains(&m.join("ch1.md").canonicalize().unwrap()),
            "{calls:?}"
        );
    }
}
