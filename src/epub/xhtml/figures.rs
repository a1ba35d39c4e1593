//! Figures and images: the picture, its description, its caption.

use crate::model::html::Element;
use crate::model::{Figure, ImageSize, Unit};

use super::super::raw_html;
use super::ChapterWriter;

impl ChapterWriter<'_> {
    /// A figure: the image, and its caption below it.
    pub(super) fn figure(&mut self, figure: &Figure) {
        self.out.push_str("<figure");
        let ids: Vec<&String> = (figure.ids.iter())
            .filter(|id| raw_html::is_ncname(id) && self.raw_ids.insert(id.to_string()))
            .collect();
        let mut ids = ids.into_iter();
        if let Some(id) = ids.next() {
            self.attr("id", id);
        }
        self.out.push_str(">\n");
        for id in ids {
            self.out.push_str("<span");
            self.attr("id", id);
            self.out.push_str("></span>");
        }
        match &figure.element {
            Some(img) => self.raw_image(img),
            None => self.image(
                &figure.src,
                &figure.alt,
                figure.title.as_deref(),
                &figure.size,
                &figure.classes,
            ),
        }
        if let Some(caption) = &figure.caption {
            self.out.push_str("\n<figcaption>");
            self.inlines(caption);
            self.out.push_str("</figcaption>");
        }
        self.out.push_str("\n</figure>\n");
    }

    /// A raw `<img>` (with its class and style), as raw HTML is written.
    pub(super) fn raw_image(&mut self, img: &Element) {
        let node = crate::model::html::Node::Element(img.clone());
        raw_html::write_nodes(std::slice::from_ref(&node), self, false);
    }

    /// An image the book holds, at the size the author asked for; else (a remote image)
    /// its description stands in for it.
    pub(super) fn image(
        &mut self,
        src: &str,
        alt: &str,
        title: Option<&str>,
        size: &ImageSize,
        classes: &[String],
    ) {
        let Some(src) = self.index.image_src(self.chapter, src) else {
            if !alt.trim().is_empty() {
                self.out.push_str("<span class=\"image-alt\">");
                self.text(alt);
                self.out.push_str("</span>");
            }
            return;
        };
        self.images.shown += 1;
        if alt.trim().is_empty() {
            self.images.without_alt += 1;
        }
        self.out.push_str("<img");
        self.attr("src", &src);
        self.attr("alt", alt.trim());
        if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
            self.attr("title", title);
        }
        if !classes.is_empty() {
            self.attr("class", &classes.join(" "));
        }
        if let Some(style) = size_style(size) {
            self.attr("style", &style);
        }
        self.out.push_str("/>");
    }
}

/// The CSS for the size an author asked for. A height in percent is of the page (`vh`), as
/// in print it is of the text block (CSS's own `%` would be of a containing block whose
/// height is not set, and so nothing); with both sides given the picture keeps its
/// proportions inside them (`object-fit`), as pandoc's LaTeX sets `keepaspectratio`.
fn size_style(size: &ImageSize) -> Option<String> {
    let mut decls = Vec::new();
    if let Some(w) = size.width {
        decls.push(format!("width: {}", w.css()));
    }
    if let Some(h) = size.height {
        let css = match h.unit {
            Unit::Percent => format!("{}vh", h.number()),
            _ => h.css(),
        };
        decls.push(format!("height: {css}"));
    }
    if size.width.is_some() && size.height.is_some() {
        decls.push("object-fit: contain".to_string());
    }
    (!decls.is_empty()).then(|| decls.join("; "))
}
