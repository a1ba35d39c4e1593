//! `[fonts]` in book.toml: the author's own font files, found inside the manuscript folder
//! and checked before anything is built (a file that is not a usable font stops the build
//! with a message naming the key).

use std::path::Path;
use std::sync::Arc;

use crate::fonts::{Face, FontBytes, FontChoice, Style};

/// The `[fonts]` keys: each a path relative to the manuscript folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FontPaths {
    pub regular: Option<String>,
    pub italic: Option<String>,
    pub bold: Option<String>,
    pub bold_italic: Option<String>,
    pub mono: Option<String>,
}

/// A key whose file cannot be used, and why (the caller adds where the key is).
#[derive(Debug)]
pub struct FontKeyError {
    pub key: &'static str,
    pub message: String,
}

/// Reads and checks the files `paths` names, relative to `root` (the manuscript folder).
pub fn load(root: &Path, paths: &FontPaths) -> Result<FontChoice, FontKeyError> {
    let serif_keys = [
        ("regular", Style::Regular, &paths.regular),
        ("italic", Style::Italic, &paths.italic),
        ("bold", Style::Bold, &paths.bold),
        ("bold-italic", Style::BoldItalic, &paths.bold_italic),
    ];
    let mut choice = FontChoice::default();
    let given: Vec<&str> = serif_keys
        .iter()
        .filter(|k| k.2.is_some())
        .map(|k| k.0)
        .collect();
    if !given.is_empty() && paths.regular.is_none() {
        return Err(FontKeyError {
            key: given[0],
            message: format!(
                "[fonts] sets `{}` but not `regular`: give the regular face too (the other styles are taken from it when missing)",
                given[0]
            ),
        });
    }
    let mut family = None;
    for (key, style, path) in serif_keys {
        let Some(path) = path else { continue };
        let face = read_face(root, key, path, style, family.as_deref())?;
        family.get_or_insert_with(|| face.family.clone());
        choice.serif.push(face);
    }
    if let Some(path) = &paths.mono {
        choice.mono = Some(read_face(root, "mono", path, Style::Regular, None)?);
    }
    Ok(choice)
}

/// One font file: inside the manuscript folder, a single OpenType/TrueType font with a
/// character map that quire can shape and subset.
fn read_face(
    root: &Path,
    key: &'static str,
    written: &str,
    style: Style,
    family: Option<&str>,
) -> Result<Face, FontKeyError> {
    let err = |what: String| FontKeyError {
        key,
        message: format!("[fonts] {key} = \"{written}\": {what}"),
    };
    let relative = Path::new(written);
    if written.trim().is_empty() {
        return Err(err("no file given: write the path of a font file (.otf or .ttf), relative to the manuscript folder".into()));
    }
    if relative.has_root() || relative.is_absolute() || written.starts_with('\\') {
        return Err(err(
            "an absolute path: write it relative to the manuscript folder, and copy the font there"
                .into(),
        ));
    }
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let file = root.join(relative);
    let canonical = file.canonicalize().map_err(|_| {
        err(format!(
            "there is no file {} (font paths are relative to the manuscript folder)",
            file.display()
        ))
    })?;
    let inside = root.canonicalize().is_ok_and(|r| canonical.starts_with(r));
    if !inside {
        return Err(err(format!(
            "the file is outside the manuscript folder ({}): copy the font into the manuscript",
            canonical.display()
        )));
    }
    if !canonical.is_file() {
        return Err(err(format!("{} is not a file", file.display())));
    }
    let data: Arc<[u8]> = std::fs::read(&canonical)
        .map_err(|e| err(format!("cannot be read: {e}")))?
        .into();
    let parsed = ttf_parser::Face::parse(&data, 0).ok();
    let own_family = parsed.as_ref().and_then(family_name);
    let file_name = canonical
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| format!("{key}.otf"));
    // The EPUB names the family in its stylesheet: the faces of one family share a name.
    let family = family
        .map(str::to_string)
        .or(own_family)
        .unwrap_or_else(|| "Book Face".to_string());
    let face = Face::new(
        format!("user-{key}-{}", sanitize(&file_name)),
        family,
        style,
        FontBytes::Shared(data.clone()),
    )
    .map_err(|why| err(format!("{why}: give an .otf or .ttf font file")))?;
    // What the writers will do with it: shape it and cut a subset.
    if harfrust::Font::new(data.to_vec(), 0).is_none() {
        return Err(err(
            "the font cannot be read for shaping: give another .otf or .ttf file".into(),
        ));
    }
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&[0]);
    subsetter::subset(&data, 0, &remapper).map_err(|e| {
        err(format!(
            "the font cannot be embedded in a PDF ({e}): give another .otf or .ttf file"
        ))
    })?;
    Ok(face)
}

/// The typographic family name (name id 16), else the family name (id 1).
fn family_name(face: &ttf_parser::Face) -> Option<String> {
    use ttf_parser::name_id::{FAMILY, TYPOGRAPHIC_FAMILY};
    [TYPOGRAPHIC_FAMILY, FAMILY].into_iter().find_map(|id| {
        face.names()
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
            .map(|s| s.replace(['"', '\\', ';', '{', '}'], ""))
            .filter(|s| !s.trim().is_empty())
    })
}

/// A file name safe in an EPUB (letters, digits, `-`, `_`, `.`).
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italic_without_regular_is_refused() {
        let paths = FontPaths {
            italic: Some("x.otf".into()),
            ..FontPaths::default()
        };
        let e = load(Path::new("."), &paths).unwrap_err();
        assert_eq!(e.key, "italic");
        assert!(e.message.contains("not `regular`"), "{}", e.message);
    }

    #[test]
    fn absolute_and_escaping_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("m");
        std::fs::create_dir(&m).unwrap();
        std::fs::write(dir.path().join("outside.otf"), b"OTTO").unwrap();
        for (path, needle) in [
            ("/usr/share/fonts/x.otf", "absolute"),
            ("../outside.otf", "outside the manuscript"),
            ("missing.otf", "there is no file"),
        ] {
            let paths = FontPaths {
                regular: Some(path.into()),
                ..FontPaths::default()
            };
            let e = load(&m, &paths).unwrap_err();
            assert!(e.message.contains(needle), "{path}: {}", e.message);
        }
    }
}
