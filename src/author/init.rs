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
# isbn = "978-3-16-148410-0"   # the book's ISBN-13, checksum checked; printed on the copyright page (or one per edition: [edition])
# contributor = [{{ name = "I. Illustrator", role = "ill", file-as = "Illustrator, I." }}]  # or [[book.contributor]] tables
# series = "Voyages"           # the series the book belongs to
# series-index = 2             # its place in the series
# subjects = ["Travel"]        # subjects for stores (dc:subject)
# cover = "cover.png"          # JPEG or PNG, 1600 x 2560 px; default: a placeholder quire draws; false: none

[metadata]
identifier = "{identifier}"  # made for this book by quire init: keep it; or an ISBN (urn:isbn:...)
# subtitle = ""
# date = "2026"                # publication date: 2026, 2026-05 or 2026-05-06
# publisher = ""
# rights = "© 2026 Your Name. All rights reserved."
# modified = "now"             # last change; default: SOURCE_DATE_EPOCH, else the files' last change

[manuscript]
# chapters = ["01-beginning.md", "02-the-middle.md"]  # explicit order; default: file names in natural order
# split-level = 1              # heading level that starts a chapter in a single-file manuscript (1-6)
# image-path = ["images"]      # folders searched for an image not found beside its chapter
# link-base = "https://example.com/book/"  # where relative links out of the book point
# dialect = "pandoc"           # "commonmark", "gfm", "pandoc" or "mdbook"; default: guessed
# pandoc-defaults = "defaults.yaml"  # a pandoc defaults file to read (input-files, resource-path...)

[pdf]
# trim-size = "5.5x8.5in"      # 5x8in, 5.25x8in, 5.5x8.5in, 6x9in, a5, a4, letter, or WxH with in/mm/pt
# font-size = 11               # body size in points; default chosen for the trim
# leading = 14.5               # baseline to baseline in points; default 1.3 x font-size
# code-size = 8.5             # code blocks in points; default about 0.775 x font-size (a block shrinks to 7 pt before its lines wrap)
# hyphenate = true
# opening = "small-caps"       # a chapter's first words: "small-caps", "drop-cap" or "none"
# gutter = "auto"              # inner margin: "auto" (grows with the page count) or a length, "0.8in"
# chapter-level = 1            # the SUMMARY.md level that opens a chapter on a recto (1-6)
# cover = false                # true: the PDF opens with the cover as its first page

[print]
# paper = "white"              # "white" or "cream": makes the print cover's spine (--format cover)

[toc]
# depth = 2                    # heading levels in the contents and bookmarks (1 = chapters only, 0 = no printed contents)

[epub]
# embed-fonts = true           # false: the EPUB carries no fonts (the reading system's own are used)
# page-list = true             # false: no print page numbers in the EPUB

[edition]                      # each edition its own ISBN-13, in place of [book] isbn for it
# print-isbn = "978-3-16-148410-0"  # the paperback's: on the PDF's copyright page
# ebook-isbn = "978-0-14-143951-8"  # the ebook's: the EPUB's identifier; both listed on both copyright pages

[output]
# name = "my-book"             # the output files' name (my-book.epub, my-book.pdf); default: from the title

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

    /// Every key the reader accepts is shown (set, or commented out with its default), in
    /// its table, and nothing else: the file is generated against the reader's own list.
    #[test]
    fn book_toml_names_every_key_the_reader_reads() {
        let text = book_toml("T", "urn:uuid:x");
        let mut table = String::new();
        let mut shown = Vec::new();
        for line in text.lines() {
            let line = line.trim_start_matches('#').trim();
            if let Some(t) = line.strip_prefix('[') {
                table = t.split(']').next().unwrap_or_default().to_string();
            } else if let Some((key, _)) = line.split_once(" = ") {
                if !key.contains(' ') {
                    shown.push((table.clone(), key.to_string()));
                }
            }
        }
        let known: Vec<(String, String)> = crate::project::config::book_toml_keys()
            .map(|(t, k)| (t.to_string(), k.to_string()))
            .collect();
        for k in &known {
            assert!(
                shown.contains(k),
                "init's book.toml leaves out [{}] {}",
                k.0,
                k.1
            );
        }
        for k in &shown {
            assert!(
                known.contains(k),
                "init's book.toml shows [{}] {}, which the reader does not read",
                k.0,
                k.1
            );
        }
        // Uncommented, every line is read without a warning.
        let all: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") => format!("{rest}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        let (_, warnings) =
            crate::project::config::read_book_toml(Path::new("book.toml"), &text).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let dir = tempfile::tempdir().unwrap();
        let fonts = dir.path().join("fonts");
        std::fs::create_dir_all(&fonts).unwrap();
        let face = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/LinLibertine_R.otf"
        ))
        .unwrap();
        for f in [
            "Book-Regular.otf",
            "Book-Italic.otf",
            "Book-Bold.otf",
            "Book-BoldItalic.otf",
            "Code.ttf",
        ] {
            std::fs::write(fonts.join(f), &face).unwrap();
        }
        // A cover of the size stores ask for, so that `cover = "cover.jpg"` warns of nothing.
        let file = std::fs::File::create(dir.path().join("cover.png")).unwrap();
        let mut png = png::Encoder::new(std::io::BufWriter::new(file), 1600, 2560);
        png.set_color(png::ColorType::Grayscale);
        let mut png = png.write_header().unwrap();
        png.write_image_data(&vec![90u8; 1600 * 2560]).unwrap();
        png.finish().unwrap();
        let (_, warnings) =
            crate::project::config::read_book_toml(&dir.path().join("book.toml"), &all)
                .unwrap_or_else(|e| panic!("{e}\n{all}"));
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}
