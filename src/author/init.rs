//! `quire init`: a new manuscript that builds at once, with every book.toml key explained.

use std::path::{Path, PathBuf};

/// Why a manuscript could not be scaffolded.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{}: already exists; quire init never overwrites a file: choose another folder or move the file away", .0.display())]
    Exists(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The files `init` writes, relative to the manuscript folder, with their contents.
pub fn files(title: &str, identifier: &str) -> Vec<(&'static str, String)> {
    vec![
        ("book.toml", book_toml(title, identifier)),
        ("01-beginning.md", CHAPTER_ONE.to_string()),
        ("02-the-middle.md", CHAPTER_TWO.to_string()),
        (".gitignore", GITIGNORE.to_string()),
    ]
}

/// Writes a new manuscript into `dir` (created if missing) and returns the files written.
/// Nothing is written when any of the files already exists.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let title = title_for(dir);
    let identifier = new_identifier(dir);
    let files = files(&title, &identifier);
    for (name, _) in &files {
        let path = dir.join(name);
        if path.exists() || path.symlink_metadata().is_ok() {
            return Err(InitError::Exists(path));
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| InitError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        // `create_new` so that a file appearing meanwhile is still never clobbered.
        let result = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        match result {
            Ok(()) => written.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(InitError::Exists(path))
            }
            Err(source) => return Err(InitError::Io { path, source }),
        }
    }
    Ok(written)
}

/// "My Novel" from a folder named `my-novel`; "My Book" for the default `manuscript`.
fn title_for(dir: &Path) -> String {
    let name = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_default();
    if name.is_empty() || name == "manuscript" || name == "." {
        return "My Book".to_string();
    }
    name.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fresh `urn:uuid:` for the book: made once, at init, and kept in book.toml so that every
/// later build (and every edition's metadata) carries the same identifier.
fn new_identifier(dir: &Path) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let seed = format!(
        "quire-init:{}:{}:{nanos}",
        std::process::id(),
        dir.display()
    );
    format!(
        "urn:uuid:{}",
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, seed.as_bytes())
    )
}

fn book_toml(title: &str, identifier: &str) -> String {
    format!(
        r#"# The book's settings. Only `title` is required; every other key is shown with its
# default (commented out) or a value to replace. See quire's README, "book.toml".

[book]
title = "{title}"
authors = ["Your Name"]        # empty: no author line (nothing is made up)
language = "en"                # BCP 47 tag: en, en-GB, fr, de-CH...
# description = "One paragraph about the book, for stores and the PDF subject."
# src = "src"                  # folder of chapter files; default: this folder (or src/ with a SUMMARY.md)

[metadata]
identifier = "{identifier}"  # made for this book by quire init: keep it; or an ISBN (urn:isbn:...)
# subtitle = ""
# date = "2026"                # publication date: 2026, 2026-05 or 2026-05-06
# publisher = ""
# rights = "© 2026 Your Name. All rights reserved."
# modified = "now"             # last change; default: SOURCE_DATE_EPOCH, else date, else 2000-01-01

[manuscript]
# chapters = ["01-beginning.md", "02-the-middle.md"]  # explicit order; default: file names in natural order
# split-level = 1              # heading level that starts a chapter in a single-file manuscript (1-6)

[pdf]
# trim-size = "5.5x8.5in"      # 5x8in, 5.25x8in, 5.5x8.5in, 6x9in, a5, a4, letter, or WxH with in/mm/pt
# font-size = 11               # body size in points; default chosen for the trim
# leading = 14.5               # baseline to baseline in points; default 1.3 x font-size
# hyphenate = true

[toc]
# depth = 2                    # heading levels in the contents and bookmarks (1 = chapters only)

[fonts]                        # your own font files (.otf, .ttf) in this folder; default: the bundled ones
# regular = "fonts/Book-Regular.otf"
# italic = "fonts/Book-Italic.otf"          # default: the regular face
# bold = "fonts/Book-Bold.otf"              # default: the regular face
# bold-italic = "fonts/Book-BoldItalic.otf" # default: bold, else italic, else regular
# mono = "fonts/Code.ttf"                   # code; default: DejaVu Sans Mono
"#
    )
}

const CHAPTER_ONE: &str = "# The Beginning

Every chapter is a Markdown file; its first heading is the chapter's title. Files are read in
the natural order of their names, so `02-the-middle.md` comes after this one.

Write as you would in any editor: *emphasis*, **strong**, footnotes,[^1] and quotes. Straight
\"quotes\" become curly ones, `---` becomes an em dash --- like this --- and `...` an
ellipsis...

***

A line of three asterisks is a scene break. Links may point to another chapter: go on to
[the middle](02-the-middle.md), or to a section in it: [a section](#a-section).

[^1]: Footnotes are numbered per chapter and set at the end of the chapter in the ebook.
";

const CHAPTER_TWO: &str = "# The Middle

Run `quire check` to find mistakes before you build, `quire stats` to count words and pages,
and `quire watch` to rebuild the book every time you save.

## A Section

Headings inside a chapter become sections in the table of contents.

> A block quote, for an epigraph or a letter.

1. A numbered list,
2. with a second item.
";

const GITIGNORE: &str =
    "# The books quire writes (`quire build --out build`, run from this folder).
/build/
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_comes_from_the_folder_name() {
        assert_eq!(title_for(Path::new("/x/my-first_novel")), "My First Novel");
        assert_eq!(title_for(Path::new("/x/manuscript")), "My Book");
    }

    #[test]
    fn book_toml_names_every_key() {
        let text = book_toml("T", "urn:uuid:x");
        for key in [
            "title",
            "authors",
            "language",
            "description",
            "src",
            "identifier",
            "subtitle",
            "date",
            "publisher",
            "rights",
            "modified",
            "chapters",
            "split-level",
            "trim-size",
            "font-size",
            "leading",
            "hyphenate",
            "depth",
            "regular",
            "bold-italic",
            "mono",
        ] {
            assert!(text.contains(&format!("{key} =")), "{key}");
        }
        let (_, warnings) =
            crate::project::config::read_book_toml(Path::new("book.toml"), &text).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}
