//! The fonts quire ships with (see `fonts/README.md` for their licences).
//!
//! They are compiled into the binary so that `quire` works from any folder and every build of a
//! book uses exactly the same font files (reproducible output).

/// The style of a face within a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Italic,
    Bold,
    BoldItalic,
}

impl Style {
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

/// One font file.
#[derive(Debug, Clone, Copy)]
pub struct Face {
    /// File name, also used inside the EPUB (`fonts/<file_name>`).
    pub file_name: &'static str,
    /// CSS family name.
    pub family: &'static str,
    pub style: Style,
    pub media_type: &'static str,
    pub data: &'static [u8],
}

macro_rules! face {
    ($file:literal, $family:literal, $style:expr, $mime:literal) => {
        Face {
            file_name: $file,
            family: $family,
            style: $style,
            media_type: $mime,
            data: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $file)),
        }
    };
}

/// The body (serif) family: regular, italic, bold, bold italic.
pub static SERIF: [Face; 4] = [
    face!(
        "LinLibertine_R.otf",
        "Linux Libertine O",
        Style::Regular,
        "font/otf"
    ),
    face!(
        "LinLibertine_RI.otf",
        "Linux Libertine O",
        Style::Italic,
        "font/otf"
    ),
    face!(
        "LinLibertine_RB.otf",
        "Linux Libertine O",
        Style::Bold,
        "font/otf"
    ),
    face!(
        "LinLibertine_RBI.otf",
        "Linux Libertine O",
        Style::BoldItalic,
        "font/otf"
    ),
];

/// The monospace face for code.
pub static MONO: Face = face!(
    "DejaVuSansMono.ttf",
    "DejaVu Sans Mono",
    Style::Regular,
    "font/ttf"
);

/// The serif face for a style.
pub fn serif(style: Style) -> &'static Face {
    match style {
        Style::Regular => &SERIF[0],
        Style::Italic => &SERIF[1],
        Style::Bold => &SERIF[2],
        Style::BoldItalic => &SERIF[3],
    }
}

/// Every bundled face, for writers that embed them all (the EPUB).
pub fn all() -> impl Iterator<Item = &'static Face> {
    SERIF.iter().chain(std::iter::once(&MONO))
}

/// Names a bundled face; cheap to copy and compare, unlike the face itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    Serif(Style),
    Mono,
}

impl FaceId {
    pub fn face(self) -> &'static Face {
        match self {
            FaceId::Serif(style) => serif(style),
            FaceId::Mono => &MONO,
        }
    }

    /// Every face, in a fixed order (for deterministic output).
    pub const ALL: [FaceId; 5] = [
        FaceId::Serif(Style::Regular),
        FaceId::Serif(Style::Italic),
        FaceId::Serif(Style::Bold),
        FaceId::Serif(Style::BoldItalic),
        FaceId::Mono,
    ];
}
