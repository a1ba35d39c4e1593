//! Output settings read from `book.toml` (`[pdf]`, `[epub]`): plain data the writers read.
//!
//! The model says what the book *is*; settings say how one edition of it is made. Lengths are in
//! PostScript points (1/72 in).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::diagnostic::Location;

pub const POINTS_PER_INCH: f32 = 72.0;
pub const POINTS_PER_MM: f32 = 72.0 / 25.4;

/// Everything the writers need beyond the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub print: PrintSettings,
    /// Deepest heading level listed in tables of contents and bookmarks (1 = chapters only).
    pub toc_depth: u8,
    /// The faces both writers use (`[fonts]`; the bundled ones by default).
    pub fonts: crate::fonts::Fonts,
    /// Whether the EPUB carries its fonts (`[epub] embed-fonts`), subset to what it uses.
    pub embed_fonts: bool,
    /// The outputs' file name without extension (`[output] name`); `None`: from the title.
    pub output_name: Option<String>,
    /// The book's cover (`cover` in [book]; pandoc's `cover-image`, a defaults file's
    /// `epub-cover-image`).
    pub cover: Cover,
    /// Whether the PDF opens with the cover as its first page (`[pdf] cover`).
    pub pdf_cover: bool,
    /// The paper the book is printed on (`[print] paper`), which makes the spine width.
    pub paper: Paper,
    /// Whether the EPUB carries the print edition's page numbers (`[epub] page-list`): the
    /// book is typeset for them even when no PDF is written.
    pub page_list: bool,
    /// Where each setting was written, for diagnostics about it.
    pub origins: Origins,
    /// The book's fixed words the author replaced (`[strings]`, pandoc's `toc-title`): key
    /// (see `src/strings.toml`) -> text.
    pub strings: BTreeMap<String, String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            print: PrintSettings::default(),
            toc_depth: 2,
            fonts: crate::fonts::Fonts::default(),
            embed_fonts: true,
            output_name: None,
            cover: Cover::default(),
            pdf_cover: false,
            paper: Paper::default(),
            page_list: true,
            origins: Origins::default(),
            strings: BTreeMap::new(),
        }
    }
}

/// A key of the configuration, whichever format and table it is written in (the readers in
/// `project::config` map book.toml's and YAML's names onto these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Setting {
    Title,
    Subtitle,
    Authors,
    Language,
    Description,
    Src,
    Identifier,
    Date,
    Modified,
    Publisher,
    Rights,
    Chapters,
    SplitLevel,
    ImagePath,
    LinkBase,
    Dialect,
    TrimSize,
    FontSize,
    Leading,
    CodeSize,
    Hyphenate,
    Opening,
    Gutter,
    ChapterLevel,
    TocDepth,
    EmbedFonts,
    PageList,
    FontRegular,
    FontItalic,
    FontBold,
    FontBoldItalic,
    FontMono,
    OutputName,
    /// pandoc's `creator`: people with roles (authors when no role is given).
    Creators,
    /// pandoc's `contributor`, book.toml's `[[book.contributor]]`.
    Contributors,
    Isbn,
    /// `[edition] print-isbn`: the printed edition's own ISBN.
    PrintIsbn,
    /// `[edition] ebook-isbn`: the ebook's own ISBN (the EPUB's identifier).
    EbookIsbn,
    Series,
    SeriesIndex,
    Subjects,
    Strings,
    /// pandoc's `toc-title`: the contents' heading.
    TocTitle,
    /// pandoc's `reference-section-title`: the notes' heading.
    NotesTitle,
    /// `[manuscript] pandoc-defaults`: a pandoc defaults file to read.
    PandocDefaults,
    Cover,
    PdfCover,
    Paper,
}

/// The book's cover (`cover` in [book]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Cover {
    /// None given: quire draws a placeholder (title, subtitle, author in the book's faces).
    #[default]
    Auto,
    /// `cover = false`: the book has no cover.
    Off,
    /// A JPEG or PNG of the manuscript (the path as found: the configuration file's folder
    /// joined with what was written; checked to exist inside the manuscript when it is read).
    Image(PathBuf),
}

/// The interior paper (`[print] paper`): its thickness makes the spine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// White paper (KDP: 0.002252 in a page).
    #[default]
    White,
    /// Cream paper, a little thicker (KDP: 0.0025 in a page).
    Cream,
}

impl Paper {
    /// Thickness of one page in inches, the factors of KDP's cover calculator
    /// (kdp.amazon.com/cover-calculator; restated with its tables in publishing.co.uk's
    /// "KDP spine width calculator"): white 0.002252 in, cream 0.0025 in a page. IngramSpark's
    /// calculator gives about the same for its white and cream stocks, within the 0.0625 in
    /// both allow the spine to be off by.
    pub fn inches_per_page(self) -> f32 {
        match self {
            Paper::White => 0.002252,
            Paper::Cream => 0.0025,
        }
    }
}

impl FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "white" => Ok(Paper::White),
            "cream" => Ok(Paper::Cream),
            other => Err(format!(
                "unknown paper `{other}`: use \"white\" or \"cream\""
            )),
        }
    }
}

/// Where the settings were written: the place of each key the author gave, and the file to
/// point at for what was left to its default (the configuration file, or the manuscript when
/// there is none). A diagnostic about a setting points here, never at a file that does not
/// exist.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origins {
    file: PathBuf,
    keys: BTreeMap<Setting, Location>,
}

impl Origins {
    /// Origins in `file`, with no key given yet.
    pub fn new(file: impl Into<PathBuf>) -> Self {
        Origins {
            file: file.into(),
            keys: BTreeMap::new(),
        }
    }

    /// Records where `setting` was written (the first place wins: later ones are ignored).
    pub fn set(&mut self, setting: Setting, at: Location) {
        self.keys.entry(setting).or_insert(at);
    }

    /// Where `setting` was written, if it was.
    pub fn get(&self, setting: Setting) -> Option<&Location> {
        self.keys.get(&setting)
    }

    /// Where to point for `setting`: its key, else the file it would be written in.
    pub fn of(&self, setting: Setting) -> Location {
        self.get(setting)
            .cloned()
            .unwrap_or_else(|| Location::file(&self.file))
    }

    /// The configuration file (or the manuscript, when there is none).
    pub fn file(&self) -> &Path {
        &self.file
    }
}

/// Page geometry and body type for the PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintSettings {
    pub trim: TrimSize,
    /// Body text size in points.
    pub font_size: f32,
    /// Baseline-to-baseline distance of body text in points.
    pub leading: f32,
    /// Code blocks' size in points (a block may be set smaller, down to
    /// `typeset::blocks::MIN_CODE_SIZE`, when its longest line would otherwise wrap).
    pub code_size: f32,
    pub margins: Margins,
    /// Whether body text may be hyphenated.
    pub hyphenate: bool,
    /// How the first paragraph of a chapter opens.
    pub opening: Opening,
    /// The inner margin: grown with the page count (`Auto`) or fixed.
    pub gutter: Gutter,
    /// The deepest outline level (`Chapter::level`, SUMMARY.md's nesting) that opens on a
    /// recto as a chapter; deeper chapters follow on the next page, as sections.
    pub chapter_level: u8,
}

/// How a chapter's first paragraph opens (`opening` in `[pdf]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Opening {
    /// Its first words in the font's real small capitals (`smcp`).
    #[default]
    SmallCaps,
    /// A three-line drop cap, then the rest of the first words in small caps.
    DropCap,
    /// Plain text (never indented either way).
    None,
}

impl FromStr for Opening {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "small-caps" => Ok(Opening::SmallCaps),
            "drop-cap" => Ok(Opening::DropCap),
            "none" => Ok(Opening::None),
            other => Err(format!(
                "unknown opening `{other}`: use \"small-caps\", \"drop-cap\" or \"none\""
            )),
        }
    }
}

/// The inner margin (`gutter` in `[pdf]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gutter {
    /// As printers ask for perfect-bound books: the inner margin grows with the page count
    /// (see [`auto_gutter`]).
    Auto,
    /// A fixed inner margin, points.
    Fixed(f32),
}

/// The printers' minimum inside margin for a book of `pages` pages (0.375 in up to 150
/// pages, 0.5 in to 300, 0.625 in to 500, 0.75 in to 700, 0.875 in beyond), plus
/// [`GUTTER_MARGIN`] so that the text never looks pinched in the fold.
pub fn auto_gutter(pages: usize) -> f32 {
    let minimum = match pages {
        0..=150 => 0.375,
        151..=300 => 0.5,
        301..=500 => 0.625,
        501..=700 => 0.75,
        _ => 0.875,
    };
    (minimum + GUTTER_MARGIN) * POINTS_PER_INCH
}

/// Visible margin kept inside the printers' minimum, inches.
pub const GUTTER_MARGIN: f32 = 0.25;

impl Default for PrintSettings {
    fn default() -> Self {
        PrintSettings::for_trim(TrimSize::default())
    }
}

impl PrintSettings {
    /// Defaults chosen for a trim: body size and margins grow with the page so that the measure
    /// stays near 60-70 characters.
    pub fn for_trim(trim: TrimSize) -> Self {
        let width_in = trim.width / POINTS_PER_INCH;
        let font_size: f32 = if width_in < 5.2 {
            10.5
        } else if width_in < 7.0 {
            11.0
        } else {
            12.0
        };
        let leading = (font_size * 1.3 * 2.0).round() / 2.0;
        let margins = Margins {
            top: 0.75 * POINTS_PER_INCH,
            bottom: 0.8 * POINTS_PER_INCH,
            inner: 0.75 * POINTS_PER_INCH,
            outer: 0.6 * POINTS_PER_INCH,
        };
        PrintSettings {
            trim,
            font_size,
            leading,
            code_size: default_code_size(font_size),
            margins,
            hyphenate: true,
            opening: Opening::default(),
            gutter: Gutter::Auto,
            chapter_level: 1,
        }
    }
}

/// The code size for a body size: about three quarters of it, to the half point (8.5 pt for
/// 11 pt), which sets 53 to 60 columns of DejaVu Sans Mono on the 5.5 x 8.5 in measure (80
/// columns there would take about 6 pt, too small to read; longer lines shrink their block).
pub fn default_code_size(font_size: f32) -> f32 {
    (font_size * 0.775 * 2.0).round() / 2.0
}

/// Page margins in points; `inner` is the gutter side (left on a recto, right on a verso).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub inner: f32,
    pub outer: f32,
}

/// A trimmed page size in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrimSize {
    pub width: f32,
    pub height: f32,
}

impl Default for TrimSize {
    /// 5.5 x 8.5 in, the common trade paperback ("digest") size.
    fn default() -> Self {
        TrimSize {
            width: 5.5 * POINTS_PER_INCH,
            height: 8.5 * POINTS_PER_INCH,
        }
    }
}

/// Names accepted for `trim-size`, for error messages.
pub const TRIM_PRESETS: &[&str] = &[
    "5x8in",
    "5.25x8in",
    "5.5x8.5in",
    "6x9in",
    "a5",
    "a4",
    "letter",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown trim size `{0}`: use one of {presets}, or `WxH` with a unit (in, mm, pt), e.g. `6x9in` or `148x210mm`", presets = TRIM_PRESETS.join(", "))]
pub struct TrimSizeError(pub String);

impl FromStr for TrimSize {
    type Err = TrimSizeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || TrimSizeError(s.to_string());
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "a5" => return Ok(TrimSize::mm(148.0, 210.0)),
            "a4" => return Ok(TrimSize::mm(210.0, 297.0)),
            "letter" => return Ok(TrimSize::inches(8.5, 11.0)),
            _ => {}
        }
        let (dims, unit) = if let Some(d) = lower.strip_suffix("in") {
            (d, POINTS_PER_INCH)
        } else if let Some(d) = lower.strip_suffix("mm") {
            (d, POINTS_PER_MM)
        } else if let Some(d) = lower.strip_suffix("pt") {
            (d, 1.0)
        } else {
            return Err(err());
        };
        let (w, h) = dims.split_once('x').ok_or_else(err)?;
        let w: f32 = w.trim().parse().map_err(|_| err())?;
        let h: f32 = h.trim().parse().map_err(|_| err())?;
        // Below 2 in or above 20 in nobody prints a book; it is a typo.
        let valid = |v: f32| v.is_finite() && (144.0..=1440.0).contains(&(v * unit));
        if !valid(w) || !valid(h) {
            return Err(err());
        }
        Ok(TrimSize {
            width: w * unit,
            height: h * unit,
        })
    }
}

impl TrimSize {
    pub fn inches(w: f32, h: f32) -> Self {
        TrimSize {
            width: w * POINTS_PER_INCH,
            height: h * POINTS_PER_INCH,
        }
    }
    pub fn mm(w: f32, h: f32) -> Self {
        TrimSize {
            width: w * POINTS_PER_MM,
            height: h * POINTS_PER_MM,
        }
    }
}

impl fmt::Display for TrimSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}x{}in",
            self.width / POINTS_PER_INCH,
            self.height / POINTS_PER_INCH
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_explicit_sizes_parse() {
        assert_eq!(
            "6x9in".parse::<TrimSize>().unwrap(),
            TrimSize::inches(6.0, 9.0)
        );
        assert_eq!(
            "5.25x8in".parse::<TrimSize>().unwrap(),
            TrimSize::inches(5.25, 8.0)
        );
        assert_eq!(
            "A5".parse::<TrimSize>().unwrap(),
            TrimSize::mm(148.0, 210.0)
        );
        assert_eq!(
            "148x210mm".parse::<TrimSize>().unwrap(),
            TrimSize::mm(148.0, 210.0)
        );
        assert_eq!(
            "letter".parse::<TrimSize>().unwrap(),
            TrimSize::inches(8.5, 11.0)
        );
    }

    #[test]
    fn the_gutter_grows_with_the_page_count() {
        let inches = |p| auto_gutter(p) / POINTS_PER_INCH - GUTTER_MARGIN;
        assert!((inches(150) - 0.375).abs() < 1e-6);
        assert!((inches(151) - 0.5).abs() < 1e-6);
        assert!((inches(500) - 0.625).abs() < 1e-6);
        assert!((inches(700) - 0.75).abs() < 1e-6);
        assert!((inches(701) - 0.875).abs() < 1e-6);
    }

    #[test]
    fn nonsense_sizes_are_rejected() {
        for bad in ["6x9", "x9in", "6x9cm", "0x9in", "600x9in", "NaNx9in", ""] {
            assert!(bad.parse::<TrimSize>().is_err(), "{bad}");
        }
    }
}
