//! Writing a build's outputs into the output folder: as a pair, under a lock, with ordinary
//! permissions, and nothing left behind by a failure or a signal.
//!
//! Every output is first written in full (and synced) to a temporary `.quire-XXXXXX.part` file
//! in the output folder. Only when all of them are complete are they renamed into place, one
//! right after the other, so a failure on the PDF (a full disk, a folder with its name) never
//! leaves a new EPUB beside an old PDF.
//!
//! The writing happens under an advisory lock on `.quire.lock` in the folder: two builds into
//! one folder take turns (the second waits for the first's renames) and never mix their files.
//! Temporary files are only ever made by the lock's holder, so the holder removes any
//! `.quire-*.part` it finds: they are what an interrupted build (`kill -9`, a power cut) left.
//! The lock file is removed when the writing is done.
//!
//! [`abandon`] (the CLI calls it on Ctrl-C and SIGTERM) removes the temporary files of a write
//! in progress; a signal during the renames waits until they are done, so the folder holds
//! either the old pair or the new one.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The advisory lock of an output folder.
pub const LOCK_FILE: &str = ".quire.lock";
const TEMP_PREFIX: &str = ".quire-";
const TEMP_SUFFIX: &str = ".part";

/// What [`abandon`] removes: the temporary files of the write in progress and the lock file
/// while this process holds it. Renames happen with this locked, so [`abandon`] never runs
/// between the two.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An output that could not be written, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    pub message: String,
}

fn error(path: &Path, message: impl Into<String>) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Writes every `(path, bytes)` (all in the folder `dir`, which exists) so that each path is
/// either its old file or the complete new one, and all of them are replaced or none is.
pub fn write_together(dir: &Path, files: &[(PathBuf, &[u8])]) -> Result<(), OutputError> {
    write_locked(dir, files, || ())
}

/// [`write_together`] for the outputs of the book at `manuscript`, which then (still holding
/// the folder's lock) removes the outputs of the book's earlier names and says which it found
/// (see `crate::manifest`).
pub fn write_book(
    dir: &Path,
    files: &[(PathBuf, &[u8], crate::manifest::Role)],
    manuscript: &Path,
) -> Result<Vec<crate::manifest::Stale>, OutputError> {
    let key = manuscript
        .canonicalize()
        .unwrap_or_else(|_| manuscript.to_path_buf());
    let written: Vec<_> = files
        .iter()
        .map(|(p, _, role)| (p.clone(), *role))
        .collect();
    let files: Vec<(PathBuf, &[u8])> = files.iter().map(|(p, b, _)| (p.clone(), *b)).collect();
    write_locked(dir, &files, || {
        crate::manifest::update(dir, &key.to_string_lossy(), &written)
    })
}

/// Replaces `path` with `bytes` through a temporary file in its folder; for the holder of the
/// folder's lock (the manifest).
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let part = Part::write(dir, path, bytes)?;
    let temp = part.file.path().to_path_buf();
    let result = part
        .file
        .persist(path)
        .map(|_| ())
        .map_err(|e| error(path, format!("cannot replace the file: {}", e.error)));
    pending().retain(|p| *p != temp);
    result
}

/// [`write_together`], then `after` while the lock is still held (and only when every file
/// was renamed into place).
fn write_locked<T>(
    dir: &Path,
    files: &[(PathBuf, &[u8])],
    after: impl FnOnce() -> T,
) -> Result<T, OutputError> {
    refuse_folders(files)?;
    let _lock = FolderLock::acquire(dir)?;
    remove_stale(dir);
    let mut parts = Vec::with_capacity(files.len());
    let written = files
        .iter()
        .try_for_each(|(path, bytes)| {
            parts.push(Part::write(dir, path, bytes)?);
            Ok(())
        })
        // Someone may have made a folder with an output's name while we wrote.
        .and_then(|()| refuse_folders(files));
    let mut pending = pending();
    if let Err(e) = written {
        // Dropping the temporary files removes them.
        pending.retain(|p| !parts.iter().any(|part| part.file.path() == p));
        return Err(e);
    }
    let mut result = Ok(());
    for part in parts {
        let temp = part.file.path().to_path_buf();
        let path = part.path;
        match part.file.persist(&path) {
            Ok(_) => pending.retain(|p| *p != temp),
            Err(e) => {
                // Dropping the temporary file removes it.
                pending.retain(|p| *p != e.file.path());
                if result.is_ok() {
                    result = Err(error(
                        &path,
                        format!("cannot replace the file: {}", e.error),
                    ));
                }
            }
        }
    }
    drop(pending);
    // The renames are only durable once the folder itself is on disk.
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    result.map(|()| after())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so that `path`
/// is either the old file or the complete new one, never half-written.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    write_together(dir, &[(path.to_path_buf(), bytes)])
}

fn refuse_folders(files: &[(PathBuf, &[u8])]) -> Result<(), OutputError> {
    match files.iter().find(|(path, _)| path.is_dir()) {
        Some((path, _)) => Err(error(
            path,
            "a folder has this name: move it or choose another --out",
        )),
        None => Ok(()),
    }
}

/// Removes the calling process's temporary output files (and its hold on an output folder's
/// lock file), and lets no write start or finish after it: for a signal handler, right before
/// the process exits.
pub fn abandon() {
    let pending = pending();
    for path in pending.iter() {
        let _ = fs::remove_file(path);
    }
    // Kept locked for the rest of the process's short life: no rename may follow.
    std::mem::forget(pending);
}

/// A complete output under a temporary name in the output folder.
struct Part {
    path: PathBuf,
    file: tempfile::NamedTempFile,
}

impl Part {
    fn write(dir: &Path, path: &Path, bytes: &[u8]) -> Result<Part, OutputError> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
        // tempfile makes its files -rw------- (it is meant for private scratch files); an
        // output is an ordinary file: 0666 less the umask, as any program writes.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let mut file = {
            let mut pending = pending();
            let file = builder
                .tempfile_in(dir)
                .map_err(|e| error(path, format!("cannot write in the output folder: {e}")))?;
            pending.push(file.path().to_path_buf());
            file
        };
        let written = file
            .write_all(bytes)
            .and_then(|_| file.as_file().sync_all());
        if let Err(e) = written {
            pending().retain(|p| *p != file.path());
            return Err(error(path, format!("cannot write: {e}")));
        }
        Ok(Part {
            path: path.to_path_buf(),
            file,
        })
    }
}

/// Removes what an interrupted build left in `dir`: only called by the lock's holder, so no
/// other build's temporary file is in the middle of being written.
fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The advisory lock on an output folder (`.quire.lock`), held while outputs are written.
struct FolderLock {
    path: PathBuf,
    _file: File,
}

impl FolderLock {
    /// Waits until no other build writes into `dir`, then holds the lock.
    fn acquire(dir: &Path) -> Result<FolderLock, OutputError> {
        let path = dir.join(LOCK_FILE);
        let err = |e: std::io::Error| error(&path, format!("cannot lock the output folder: {e}"));
        loop {
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(err)?;
            file.lock().map_err(err)?;
            // The build before us removes the lock file when it is done: if it did after we
            // opened it, our lock is on a file no other build will see, so take it again.
            if is_at(&file, &path) {
                pending().push(path.clone());
                return Ok(FolderLock { path, _file: file });
            }
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let mut pending = pending();
        pending.retain(|p| *p != self.path);
        // Removed while still locked (the file closes after this), so a waiting build finds
        // that its lock is on a removed file and locks the next one. Where an open file cannot
        // be removed (Windows), it stays.
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Whether the open `file` is the one at `path`.
fn is_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}
