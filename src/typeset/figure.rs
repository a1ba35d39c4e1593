//! Images in print: which paragraphs are figures, which are their captions, and how big an
//! image is drawn.
//!
//! - An image alone in its paragraph (Markdown `![alt](src)`, or one raw HTML `<img>` with
//!   nothing but tags and white space around it, in a paragraph or an HTML block) is a
//!   *figure*: centred, as large as its natural size (see `artwork`) but never wider than the
//!   measure nor, with its caption, taller than the text block, and never split by a page
//!   break (it moves to the next page when it does not fit).
//! - Its caption is the image's title, else the paragraph that follows when it is entirely
//!   emphasis (`*Figure 2: The harbour.*`) or, as mdBook books write them, a
//!   `<span class="caption">` paragraph or a `<figcaption>`; that paragraph is then not set
//!   again as text.
//! - An image inside running text is drawn in the line, one [`INLINE_HEIGHT`] high (the body
//!   of a line of type), as wide as its proportions make it (at most the measure).

use std::path::Path;

use crate::artwork::Gallery;
use crate::markdown::html::{images_of, parse_fragment, walk, Node};
use crate::model::{Block, Inline};

/// Height of an image in running text, in ems of the surrounding type, and how far it
/// descends below the baseline (as deep as the descenders).
pub const INLINE_HEIGHT: f32 = 1.0;
pub const INLINE_DROP: f32 = 0.2;

/// What the setter needs to draw a chapter's images: the decoded images, the chapter's
/// source file (image paths are relative to it) and the height of the text block.
#[derive(Clone, Copy)]
pub struct ArtRef<'a> {
    pub gallery: &'a Gallery,
    pub source: &'a Path,
    pub block_height: f32,
}

impl ArtRef<'_> {
    /// The key and natural size in points of the image `src`, if the book has it.
    pub fn lookup(&self, src: &str) -> Option<(usize, f32, f32)> {
        let key = self.gallery.find(self.source, src)?;
        let art = self.gallery.get(key)?;
        let (w, h) = art.natural;
        (w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0).then_some((key, w, h))
    }
}

/// An image as the author wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub src: String,
    pub alt: String,
    pub title: Option<String>,
    /// The share of the measure a raw `<img>` asks for (`width="50%"` or
    /// `style="width: 50%"`, as mdBook books write them).
    pub share: Option<f32>,
}

/// The image a paragraph holds alone, if it does.
pub fn lone_in_paragraph(inlines: &[Inline]) -> Option<Picture> {
    let mut found: Option<Picture> = None;
    for inline in inlines {
        let pictures = match inline {
            Inline::Image { src, alt, title } => vec![Picture {
                src: src.clone(),
                alt: alt.clone(),
                title: title.clone(),
                share: None,
            }],
            Inline::Html(h) => {
                let nodes = parse_fragment(h);
                if !text_of(&nodes).trim().is_empty() {
                    return None;
                }
                html_pictures(&nodes)
            }
            // Raw HTML pieces come wrapped with the run they are in.
            Inline::RawHtml { source, .. } => vec![lone_in_paragraph(source)?],
            Inline::SoftBreak | Inline::LineBreak => continue,
            Inline::Text(t) if t.trim().is_empty() => continue,
            _ => return None,
        };
        for p in pictures {
            if found.replace(p).is_some() {
                return None;
            }
        }
    }
    found
}

/// The image a raw HTML block holds alone (text inside a `<figcaption>` aside), if it does.
pub fn lone_in_html(html: &str) -> Option<Picture> {
    if !html.to_ascii_lowercase().contains("<img") {
        return None;
    }
    let nodes = parse_fragment(html);
    let mut text = String::new();
    collect_text(&nodes, &mut text, true);
    if !text.trim().is_empty() {
        return None;
    }
    let mut pictures = html_pictures(&nodes);
    (pictures.len() == 1).then(|| pictures.remove(0))
}

fn html_pictures(nodes: &[Node]) -> Vec<Picture> {
    let mut shares = Vec::new();
    walk(nodes, &mut |n| {
        if matches!(n, Node::Element { name, .. } if name == "img") && n.attr("src").is_some() {
            shares.push(width_share(n));
        }
    });
    images_of(nodes)
        .into_iter()
        .zip(shares)
        .map(|(img, share)| Picture {
            src: img.src,
            alt: img.alt.unwrap_or_default(),
            title: None,
            share,
        })
        .collect()
}

/// A percentage width of an `<img>`, as a fraction (other units are for screens: ignored).
fn width_share(img: &Node) -> Option<f32> {
    let from_style = img.attr("style").and_then(|style| {
        style.split(';').find_map(|decl| {
            let (key, value) = decl.split_once(':')?;
            (key.trim().eq_ignore_ascii_case("width")).then(|| value.trim().to_string())
        })
    });
    let width = from_style.or_else(|| img.attr("width").map(str::to_string))?;
    let percent: f32 = width.trim().strip_suffix('%')?.trim().parse().ok()?;
    (percent > 0.0 && percent.is_finite()).then(|| (percent / 100.0).min(1.0))
}

/// The text of `nodes`; with `skip_captions`, not the text inside `<figcaption>`.
fn collect_text(nodes: &[Node], out: &mut String, skip_captions: bool) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element { name, children, .. } => {
                if !(skip_captions && name == "figcaption") {
                    collect_text(children, out, skip_captions);
                }
            }
        }
    }
}

fn text_of(nodes: &[Node]) -> String {
    let mut out = String::new();
    collect_text(nodes, &mut out, false);
    out
}

/// The caption a block makes for the figure just before it, if it is one: the content of a
/// paragraph that is entirely emphasis, or of a `<span class="caption">` paragraph; the
/// text of a `<figcaption>` in a raw HTML block.
pub fn caption_of(block: &Block) -> Option<Vec<Inline>> {
    match block {
        Block::Paragraph(inlines) => {
            let inlines = match inlines.as_slice() {
                [Inline::RawHtml { source, .. }] => source,
                _ => inlines,
            };
            let content: Vec<&Inline> = inlines
                .iter()
                .filter(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty()))
                .collect();
            match content.as_slice() {
                [Inline::Emphasis(inner)] => Some(inner.clone()),
                [Inline::Html(open), middle @ .., Inline::Html(close)]
                    if is_caption_span(open) && close.trim() == "</span>" =>
                {
                    Some(middle.iter().map(|i| (*i).clone()).collect())
                }
                _ => None,
            }
        }
        Block::Html { html, .. } if html.to_ascii_lowercase().contains("<figcaption") => {
            let mut text = String::new();
            walk(&parse_fragment(html), &mut |n| {
                if let Node::Element { name, children, .. } = n {
                    if name == "figcaption" {
                        collect_text(children, &mut text, false);
                    }
                }
            });
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            (!text.is_empty()).then(|| vec![Inline::Text(text)])
        }
        _ => None,
    }
}

/// `<span class="caption">` (mdBook's figure captions).
fn is_caption_span(html: &str) -> bool {
    let nodes = parse_fragment(&format!("{html}</span>"));
    matches!(nodes.as_slice(), [n @ Node::Element { name, .. }]
        if name == "span" && n.attr("class").is_some_and(|c| c.split_whitespace().any(|c| c == "caption")))
}

/// The size a figure is drawn at: its natural size, scaled down (never up) to fit `width`
/// and `height`.
pub fn fit(natural: (f32, f32), width: f32, height: f32) -> (f32, f32) {
    let (w, h) = natural;
    let scale = 1.0f32.min(width / w).min(height / h).max(0.0);
    (w * scale, h * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_alone_is_a_figure() {
        let img = Inline::Image {
            src: "a.png".into(),
            alt: "A".into(),
            title: None,
        };
        assert!(lone_in_paragraph(std::slice::from_ref(&img)).is_some());
        assert!(lone_in_paragraph(&[img.clone(), Inline::Text("x".into())]).is_none());
        assert!(lone_in_paragraph(&[img.clone(), Inline::SoftBreak, img.clone()]).is_none());
        let html = Inline::Html("<img alt=\"B\"\nsrc=\"b.svg\" />".into());
        assert_eq!(lone_in_paragraph(&[html]).map(|p| p.alt), Some("B".into()));
        assert_eq!(
            lone_in_html(
                "<figure>\n<img src=\"c.svg\" alt=\"C\">\n<figcaption>Cap</figcaption></figure>"
            )
            .map(|p| p.src),
            Some("c.svg".into())
        );
        assert!(lone_in_html("<p>text <img src=\"c.svg\"></p>").is_none());
        let half = lone_in_html("<img src=\"d.svg\" style=\"width:\n50%;\" />");
        assert_eq!(half.map(|p| p.share), Some(Some(0.5)));
        let px = lone_in_html("<img src=\"d.svg\" width=\"300\">");
        assert_eq!(px.map(|p| p.share), Some(None));
    }

    #[test]
    fn captions_are_emphasis_or_mdbook_spans() {
        let em = Block::Paragraph(vec![Inline::Emphasis(vec![Inline::Text("Fig".into())])]);
        assert_eq!(caption_of(&em), Some(vec![Inline::Text("Fig".into())]));
        let span = Block::Paragraph(vec![
            Inline::Html("<span class=\"caption\">".into()),
            Inline::Text("Figure 4-1".into()),
            Inline::Html("</span>".into()),
        ]);
        assert_eq!(
            caption_of(&span),
            Some(vec![Inline::Text("Figure 4-1".into())])
        );
        let plain = Block::Paragraph(vec![
            Inline::Emphasis(vec![Inline::Text("a".into())]),
            Inline::Text(" b".into()),
        ]);
        assert_eq!(caption_of(&plain), None);
        let fc = Block::Html {
            html: "<figcaption>Figure 17-1:\n A flow</figcaption>\n".into(),
            content: Vec::new(),
        };
        assert_eq!(
            caption_of(&fc),
            Some(vec![Inline::Text("Figure 17-1: A flow".into())])
        );
    }

    #[test]
    fn figures_are_scaled_down_never_up() {
        assert_eq!(fit((100.0, 50.0), 300.0, 500.0), (100.0, 50.0));
        assert_eq!(fit((600.0, 300.0), 300.0, 500.0), (300.0, 150.0));
        assert_eq!(fit((100.0, 1000.0), 300.0, 500.0), (50.0, 500.0));
    }
}
