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
    let ignore: Vec<PathBuf> = options.ignore.iter().map(|p| absolute(p)).collect();

    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| err(&target, &e))?;
    watcher.watch(&target, mode).map_err(|e| err(&target, &e))?;

    // What an event says changed, if anything: opening and reading a file (the build does)
    // and metadata changes are not changes.
    let changes = |event: notify::Result<notify::Event>| -> Vec<PathBuf> {
        match event {
            Ok(e) if is_change(&e.kind) => e
                .paths
                .into_iter()
                .filter(|p| relevant(p, &manuscript, single_file, &ignore))
                .collect(),
            _ => Vec::new(),
        }
    };

    build(&[]);
    let mut rebuilds = 0;
    loop {
        if options.max_rebuilds.is_some_and(|max| rebuilds >= max) {
            return Ok(rebuilds);
        }
        let event = match options.idle_timeout {
            Some(t) => match rx.recv_timeout(t) {
                Ok(e) => e,
                Err(_) => return Ok(rebuilds),
            },
            None => match rx.recv() {
                Ok(e) => e,
                Err(_) => return Ok(rebuilds),
            },
        };
        let mut changed = changes(event);
        if changed.is_empty() {
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
                    let more = changes(event);
                    if !more.is_empty() {
                        changed.extend(more);
                        quiet_from = Instant::now() + options.debounce;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(rebuilds),
            }
        }
        changed.sort();
        changed.dedup();
        build(&changed);
        rebuilds += 1;
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

fn absolute(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// Whether a change to `path` can change the book: not in the output folder, not a temporary
/// file of quire's or an editor's, not in `.git`; for a single-file manuscript, only the file
/// and the metadata files beside it.
pub fn relevant(path: &Path, manuscript: &Path, single_file: bool, ignore: &[PathBuf]) -> bool {
    if ignore.iter().any(|i| path.starts_with(i)) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if single_file {
        return path == manuscript
            || ["book.toml", "metadata.yaml", "metadata.yml"].contains(&name.as_str());
    }
    let rel = path.strip_prefix(manuscript).unwrap_or(path);
    if rel.components().any(|c| c.as_os_str() == ".git") {
        return false;
    }
    !(name.starts_with(".quire-")
        || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913")
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
}
