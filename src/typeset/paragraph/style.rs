//! Styling: inlines -> styled text (`Tok`s), with link targets and anchor keys.

use std::sync::Arc;

use crate::fonts::{FaceId, Style};
use crate::model::{Inline, LinkTarget};

use super::super::shape::Features;

/// Inline code is set smaller so that the monospace face matches the serif's x-height.
pub const CODE_SCALE: f32 = 0.9;
/// Superscripts and note references.
const SUPERSCRIPT_SCALE: f32 = 0.65;
const SUPERSCRIPT_RISE: f32 = 0.38;
const SUBSCRIPT_DROP: f32 = 0.15;

/// Where a link goes, before pages exist: a URI, or an anchor resolved after pagination.
/// Shared strings: every token, box and line of a link carries its target, and a URL can be
/// 80 KB long.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Uri(Arc<str>),
    Anchor(Arc<str>),
    /// An anchor in a chapter, or the chapter itself if the anchor is not found.
    AnchorOr(Arc<str>, Arc<str>),
}

impl Target {
    /// The same target object (not only an equal one): a comparison that does not read the
    /// strings.
    pub fn is(&self, other: &Target) -> bool {
        match (self, other) {
            (Target::Uri(a), Target::Uri(b)) | (Target::Anchor(a), Target::Anchor(b)) => {
                Arc::ptr_eq(a, b)
            }
            (Target::AnchorOr(a, c), Target::AnchorOr(b, d)) => {
                Arc::ptr_eq(a, b) && Arc::ptr_eq(c, d)
            }
            _ => false,
        }
    }
}

/// Anchor keys, one namespace per kind so that a heading id never collides with a chapter id.
pub fn chapter_anchor(chapter: &str) -> String {
    format!("c:{chapter}")
}
pub fn heading_anchor(id: &str) -> String {
    format!("h:{id}")
}
pub fn note_anchor(chapter: &str, number: usize) -> String {
    format!("n:{chapter}:{number}")
}

/// How a run of text looks.
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    pub face: FaceId,
    pub size: f32,
    /// Baseline shift, points (superscripts).
    pub rise: f32,
    pub features: Features,
    pub link: Option<Target>,
}

impl TextStyle {
    pub fn new(face: FaceId, size: f32) -> TextStyle {
        TextStyle {
            face,
            size,
            rise: 0.0,
            features: Features::default(),
            link: None,
        }
    }
}

/// Inline content flattened to styled text.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Text(String, TextStyle),
    /// A forced line end.
    LineBreak,
    /// An image in the text: drawn in the line when the book has it, else its alt text.
    Image {
        src: String,
        alt: String,
        size: crate::model::ImageSize,
        style: TextStyle,
    },
    /// Where in the block's text (`model::pages::TextPosition::offset`) the text after it
    /// comes from: its characters count on from `at`. Draws nothing.
    Mark {
        at: usize,
    },
}

/// Flattens inlines under `style`; `chapter` is needed for note anchors. [`Tok::Mark`]s say
/// where in the inlines' text each piece comes from.
pub fn flatten(inlines: &[Inline], style: &TextStyle, chapter: &str, out: &mut Vec<Tok>) {
    flatten_from(inlines, style, chapter, out, &mut Source { at: 0 })
}

/// The place in the text that flattening has reached.
struct Source {
    at: usize,
}

fn flatten_from(
    inlines: &[Inline],
    style: &TextStyle,
    chapter: &str,
    out: &mut Vec<Tok>,
    source: &mut Source,
) {
    for inline in inlines {
        let start = source.at;
        if !matches!(out.last(), Some(Tok::Mark { at, .. }) if *at == start) {
            out.push(Tok::Mark { at: start });
        }
        match inline {
            Inline::Text(t) => out.push(Tok::Text(t.clone(), style.clone())),
            Inline::Emphasis(c) => {
                let mut s = style.clone();
                if let FaceId::Serif(st) = s.face {
                    s.face = FaceId::Serif(st.with_italic(!st.is_italic()));
                }
                flatten_from(c, &s, chapter, out, source);
            }
            Inline::Strong(c) => {
                let mut s = style.clone();
                if let FaceId::Serif(st) = s.face {
                    s.face = FaceId::Serif(st.with_bold());
                }
                flatten_from(c, &s, chapter, out, source);
            }
            Inline::Strikethrough(c) => flatten_from(c, style, chapter, out, source),
            Inline::Superscript(c) => flatten_from(c, &superscript(style), chapter, out, source),
            Inline::Subscript(c) => {
                let mut s = style.clone();
                s.size *= SUPERSCRIPT_SCALE;
                s.rise -= style.size * SUBSCRIPT_DROP;
                flatten_from(c, &s, chapter, out, source);
            }
            Inline::Code(t) => {
                let mut s = style.clone();
                s.face = FaceId::Mono;
                s.size *= CODE_SCALE;
                out.push(Tok::Text(t.clone(), s));
            }
            Inline::Link {
                target, content, ..
            } => {
                let mut s = style.clone();
                s.link = match target {
                    LinkTarget::External(uri) => Some(Target::Uri(uri.as_str().into())),
                    LinkTarget::Internal { chapter, anchor } => Some(match anchor {
                        Some(a) => Target::AnchorOr(
                            heading_anchor(a).into(),
                            chapter_anchor(chapter).into(),
                        ),
                        None => Target::Anchor(chapter_anchor(chapter).into()),
                    }),
                    LinkTarget::Unresolved(_) => s.link,
                };
                flatten_from(content, &s, chapter, out, source);
            }
            Inline::Image { src, alt, size, .. } => out.push(Tok::Image {
                src: src.clone(),
                alt: alt.clone(),
                size: *size,
                style: style.clone(),
            }),
            Inline::NoteRef { number } => {
                let mut s = superscript(style);
                s.link = Some(Target::Anchor(note_anchor(chapter, *number).into()));
                out.push(Tok::Text(number.to_string(), s));
            }
            Inline::SoftBreak => out.push(Tok::Text(" ".into(), style.clone())),
            Inline::LineBreak => out.push(Tok::LineBreak),
            Inline::Span { attrs, content } => {
                let mut s = style.clone();
                if attrs.has_class("smallcaps") {
                    s.features.small_caps = true;
                }
                flatten(content, &s, chapter, out)
            }
            // Raw HTML as what it says, counted as its text (`model::pages::inline_len`).
            Inline::RawHtml { content, .. } => flatten_from(content, style, chapter, out, source),
            Inline::Html(_) => {}
        }
        source.at = start + crate::model::pages::inline_len(inline);
    }
}

/// An image's alt text as set in place of the image: `[alt]`, in italic.
pub(super) fn alt_text(alt: &str, style: &TextStyle) -> (String, TextStyle) {
    let mut s = style.clone();
    if let FaceId::Serif(st) = s.face {
        s.face = FaceId::Serif(st.with_italic(true));
    }
    (format!("[{alt}]"), s)
}

fn superscript(style: &TextStyle) -> TextStyle {
    let mut s = style.clone();
    s.size *= SUPERSCRIPT_SCALE;
    s.rise += style.size * SUPERSCRIPT_RISE;
    s
}

/// The style for a face of the serif family.
pub fn serif(style: Style, size: f32) -> TextStyle {
    TextStyle::new(FaceId::Serif(style), size)
}
