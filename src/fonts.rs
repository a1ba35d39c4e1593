//! The fonts a book is set in (see `fonts/README.md` for the bundled files and their licences).
//!
//! The bundled faces are compiled into the binary so that `quire` works from any folder and
//! every build of a book uses exactly the same font files (reproducible output). An author may
//! replace the body family or the monospace face with files of the manuscript (`[fonts]` in
//! book.toml, read by `project::fonts`); [`Fonts`] is the set one book uses, with the
//! fallbacks that draw what its own faces lack (Hebrew, and Libertine behind an author's
//! family), and answers which characters the book can draw at all.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// The style of a face within a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Italic,
    Bold,
    BoldItalic,
}

impl Style {
    pub const ALL: [Style; 4] = [
        Style::Regular,
        Style::Italic,
        Style::Bold,
        Style::BoldItalic,
    ];

    pub fn is_bold(self) -> bool {
        matches!(self, Style::Bold | Style::BoldItalic)
    }
    pub fn is_italic(self) -> bool {
        matches!(self, Style::Italic | Style::BoldItalic)
    }
    /// The style with italic toggled or set, as `<em>` nests.
    pub fn with_italic(self, italic: bool) -> Style {
        match (self.is_bold(), italic) {
            (false, false) => Style::Regular,
            (false, true) => Style::Italic,
            (true, false) => Style::Bold,
            (true, true) => Style::BoldItalic,
        }
    }
    pub fn with_bold(self) -> Style {
        if self.is_italic() {
            Style::BoldItalic
        } else {
            Style::Bold
        }
    }
}

/// The bytes of a font file: compiled in, or read from the manuscript.
#[derive(Clone)]
pub enum FontBytes {
    Bundled(&'static [u8]),
    Shared(Arc<[u8]>),
}

impl Deref for FontBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FontBytes::Bundled(b) => b,
            FontBytes::Shared(b) => b,
        }
    }
}

impl fmt::Debug for FontBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.len())
    }
}

impl PartialEq for FontBytes {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.as_ptr(), other.as_ptr()) && self.len() == other.len()
            || **self == **other
    }
}

/// One font file.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    /// File name, unique in the book's set, also used inside the EPUB (`fonts/<file_name>`).
    pub file_name: String,
    /// CSS family name.
    pub family: String,
    pub style: Style,
    pub media_type: &'static str,
    pub data: FontBytes,
    /// Every character the face has a glyph for, sorted (for coverage and fallback).
    codepoints: Arc<[u32]>,
}

impl Face {
    /// Reads a face, or says why it is not a usable font: a single OpenType/TrueType font
    /// (not a collection) with a Unicode character map.
    pub fn new(
        file_name: String,
        family: String,
        style: Style,
        data: FontBytes,
    ) -> Result<Face, String> {
        let media_type =
            match data.get(..4) {
                Some(b"OTTO") => "font/otf",
                Some([0, 1, 0, 0]) | Some(b"true") => "font/ttf",
                Some(b"ttcf") => return Err(
                    "it is a font collection (.ttc/.otc): give one font file (.otf or .ttf) of it"
                        .into(),
                ),
                Some(b"wOFF") | Some(b"wOF2") => {
                    return Err("it is a web font (WOFF): give the .otf or .ttf file".into())
                }
                _ => return Err("it is not an OpenType or TrueType font file (.otf, .ttf)".into()),
            };
        let parsed = ttf_parser::Face::parse(&data, 0)
            .map_err(|e| format!("the font file is damaged ({e})"))?;
        let codepoints = codepoints(&parsed);
        if codepoints.is_empty() {
            return Err("the font has no Unicode character map (cmap): it cannot draw text".into());
        }
        Ok(Face {
            file_name,
            family,
            style,
            media_type,
            data,
            codepoints: codepoints.into(),
        })
    }

    /// Whether the face has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.codepoints.binary_search(&(c as u32)).is_ok()
    }
}

/// The characters a face maps to a real glyph, sorted.
fn codepoints(face: &ttf_parser::Face) -> Vec<u32> {
    let mut out = Vec::new();
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            sub.codepoints(|cp| {
                if sub.glyph_index(cp).is_some_and(|g| g.0 != 0) {
                    out.push(cp);
                }
            });
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Names a face of the book's set; cheap to copy and compare, unlike the face itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    /// The body family (bundled Linux Libertine O, or the author's).
    Serif(Style),
    Mono,
    /// A face that draws what the others lack, by index in the set's fallbacks.
    Fallback(u8),
}

impl FaceId {
    /// The bundled face this id stands for (a book's own faces are in its `Fonts`).
    pub fn face(self) -> &'static Face {
        Fonts::bundled().face(self)
    }

    /// The bundled face's bytes, which live as long as the program.
    pub fn bundled_data(self) -> &'static [u8] {
        match self.face().data {
            FontBytes::Bundled(b) => b,
            FontBytes::Shared(_) => &[],
        }
    }
}

/// The faces one book is set in: the body family, the monospace face and the fallbacks.
#[derive(Debug, Clone, PartialEq)]
pub struct Fonts {
    /// Each file once.
    files: Vec<Face>,
    /// Every face id, in a fixed order (for deterministic output), with its file.
    slots: Vec<(FaceId, usize)>,
}

/// A face of the bundled set.
fn bundled_face(file: &str, family: &str, style: Style, data: &'static [u8]) -> Face {
    Face::new(file.into(), family.into(), style, FontBytes::Bundled(data))
        .unwrap_or_else(|e| panic!("the bundled font {file} is broken: {e}"))
}

macro_rules! bundled {
    ($file:literal, $family:literal, $style:expr) => {
        bundled_face(
            $file,
            $family,
            $style,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $file)),
        )
    };
}

/// Linux Libertine O: regular, italic, bold, bold italic.
fn libertine() -> [Face; 4] {
    [
        bundled!("LinLibertine_R.otf", "Linux Libertine O", Style::Regular),
        bundled!("LinLibertine_RI.otf", "Linux Libertine O", Style::Italic),
        bundled!("LinLibertine_RB.otf", "Linux Libertine O", Style::Bold),
        bundled!(
            "LinLibertine_RBI.otf",
            "Linux Libertine O",
            Style::BoldItalic
        ),
    ]
}

fn dejavu_mono() -> Face {
    bundled!("DejaVuSansMono.ttf", "DejaVu Sans Mono", Style::Regular)
}

/// Script fallbacks: Hebrew (Libertine's regular has the letters and points, its other
/// styles do not, nor the cantillation marks and presentation forms).
fn script_fallbacks() -> [Face; 2] {
    [
        bundled!(
            "NotoSerifHebrew-Regular.ttf",
            "Noto Serif Hebrew",
            Style::Regular
        ),
        bundled!("NotoSerifHebrew-Bold.ttf", "Noto Serif Hebrew", Style::Bold),
    ]
}

/// The author's choice of faces (`[fonts]` in book.toml), read and checked.
#[derive(Debug, Clone, Default)]
pub struct FontChoice {
    /// Body family faces the author gave, by style.
    pub serif: Vec<Face>,
    pub mono: Option<Face>,
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts::bundled().clone()
    }
}

impl Fonts {
    /// The bundled set (parsed once per process).
    pub fn bundled() -> &'static Fonts {
        static BUNDLED: OnceLock<Fonts> = OnceLock::new();
        BUNDLED.get_or_init(|| Fonts::with(FontChoice::default()))
    }

    /// The set for an author's choice. A body style the author did not give is taken from
    /// the nearest one given (bold italic from bold, else italic, else regular; italic and
    /// bold from regular); with no body face given, the body is Linux Libertine O. The
    /// bundled faces an author's face replaces stay as fallbacks, for what it lacks.
    pub fn with(choice: FontChoice) -> Fonts {
        let mut files: Vec<Face> = Vec::new();
        let mut slots = Vec::new();
        let mut fallbacks: Vec<Face> = Vec::new();
        let find = |style: Style| choice.serif.iter().position(|f| f.style == style);
        if choice.serif.is_empty() {
            for (style, face) in Style::ALL.into_iter().zip(libertine()) {
                slots.push((FaceId::Serif(style), files.len()));
                files.push(face);
            }
        } else {
            let mut index_of = vec![usize::MAX; choice.serif.len()];
            for style in Style::ALL {
                let nearest = match style {
                    Style::Regular => [Style::Regular, Style::Regular, Style::Regular],
                    Style::Italic => [Style::Italic, Style::Regular, Style::Regular],
                    Style::Bold => [Style::Bold, Style::Regular, Style::Regular],
                    Style::BoldItalic => [Style::BoldItalic, Style::Bold, Style::Italic],
                };
                let k = nearest
                    .into_iter()
                    .chain([Style::Regular])
                    .find_map(find)
                    .unwrap_or(0);
                if index_of[k] == usize::MAX {
                    index_of[k] = files.len();
                    files.push(choice.serif[k].clone());
                }
                slots.push((FaceId::Serif(style), index_of[k]));
            }
            fallbacks.extend(libertine());
        }
        match choice.mono {
            Some(face) => {
                slots.push((FaceId::Mono, files.len()));
                files.push(face);
                fallbacks.push(dejavu_mono());
            }
            None => {
                slots.push((FaceId::Mono, files.len()));
                files.push(dejavu_mono());
            }
        }
        fallbacks.extend(script_fallbacks());
        for (i, face) in fallbacks.into_iter().enumerate() {
            slots.push((FaceId::Fallback(i as u8), files.len()));
            files.push(face);
        }
        Fonts { files, slots }
    }

    /// Every face id of the set, in a fixed order.
    pub fn ids(&self) -> impl Iterator<Item = FaceId> + '_ {
        self.slots.iter().map(|s| s.0)
    }

    /// The face an id stands for (the regular body face for an id the set lacks).
    pub fn face(&self, id: FaceId) -> &Face {
        let file = self.slots.iter().find(|s| s.0 == id).map_or(0, |s| s.1);
        &self.files[file]
    }

    /// Every font file once, for writers that embed them all (the EPUB).
    pub fn files(&self) -> &[Face] {
        &self.files
    }

    /// The faces to try, in order, for text set in `id`: the face itself, the nearest styles
    /// of its family, the fallbacks of the same style, then of the same weight, then every
    /// other face. A character is drawn by the first face that has it.
    pub fn chain(&self, id: FaceId) -> Vec<FaceId> {
        let want = match id {
            FaceId::Serif(s) => s,
            FaceId::Fallback(_) => self.face(id).style,
            FaceId::Mono => Style::Regular,
        };
        let mut out = vec![id];
        match id {
            FaceId::Serif(s) => out.push(FaceId::Serif(s.with_italic(false))),
            // Code borrows from the body family before a fallback of another design.
            FaceId::Mono => out.push(FaceId::Serif(Style::Regular)),
            FaceId::Fallback(_) => {}
        }
        let fallbacks: Vec<FaceId> = self
            .ids()
            .filter(|f| matches!(f, FaceId::Fallback(_)))
            .collect();
        let style_of = |f: &FaceId| self.face(*f).style;
        out.extend(fallbacks.iter().filter(|f| style_of(f) == want));
        out.extend(
            fallbacks
                .iter()
                .filter(|f| style_of(f).is_bold() == want.is_bold()),
        );
        out.push(FaceId::Serif(Style::Regular));
        out.extend(fallbacks.iter());
        out.push(FaceId::Mono);
        out.extend(self.ids());
        let mut seen = Vec::with_capacity(out.len());
        out.retain(|f| {
            let new = !seen.contains(f);
            seen.push(*f);
            new
        });
        out
    }

    /// Whether some face of the set draws `c`.
    pub fn covers(&self, c: char) -> bool {
        self.files.iter().any(|f| f.has(c))
    }
}

/// Every bundled face (what a book that sets no `[fonts]` embeds in its EPUB).
pub fn all() -> impl Iterator<Item = &'static Face> {
    Fonts::bundled().files().iter()
}

/// Invisible characters the typesetter handles itself (spaces, breaks, joiners, the soft
/// hyphen, the byte-order mark, variation selectors, control characters): never "missing".
pub fn ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_cover_latin_greek_cyrillic_hebrew_but_not_cjk_or_emoji() {
        let f = Fonts::bundled();
        for c in ['é', '—', '’', 'λ', 'Ж', 'ש', '\u{05B8}', '₪'] {
            assert!(f.covers(c), "{c}");
        }
        assert!(!f.covers('中') && !f.covers('😀'));
    }

    #[test]
    fn libertine_has_hebrew_letters_but_not_in_bold_italic() {
        let f = Fonts::bundled();
        for style in [Style::Regular, Style::Italic, Style::Bold] {
            assert!(f.face(FaceId::Serif(style)).has('ש'), "{style:?}");
        }
        assert!(!f.face(FaceId::Serif(Style::BoldItalic)).has('ש'));
        assert!(!f.face(FaceId::Serif(Style::Regular)).has('₪'));
    }

    #[test]
    fn the_chain_tries_the_face_then_its_family_then_fallbacks_of_its_style() {
        let f = Fonts::bundled();
        let chain = f.chain(FaceId::Serif(Style::BoldItalic));
        assert_eq!(chain[0], FaceId::Serif(Style::BoldItalic));
        assert_eq!(chain[1], FaceId::Serif(Style::Bold));
        let drawn_by = |c: char| {
            let id = chain.iter().find(|id| f.face(**id).has(c)).copied();
            id.map(|id| f.face(id).file_name.as_str())
        };
        assert_eq!(drawn_by('ש'), Some("LinLibertine_RB.otf"));
        assert_eq!(drawn_by('₪'), Some("NotoSerifHebrew-Bold.ttf"));
        assert_eq!(chain.len(), f.ids().count());
    }

    #[test]
    fn text_is_not_a_font() {
        let e = Face::new(
            "x.otf".into(),
            "X".into(),
            Style::Regular,
            FontBytes::Shared(Arc::from(&b"hello, I am text"[..])),
        )
        .unwrap_err();
        assert!(e.contains("not an OpenType"), "{e}");
    }
}
