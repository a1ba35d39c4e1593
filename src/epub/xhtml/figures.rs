//! Figures and images: the picture, its description, its caption.

use crate::model::html::Element;
use crate::model::Figure;

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
            None => self.image(&figure.src, &figure.alt, figure.title.as_deref()),
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

    /// An image the book holds; else (a remote image) its description stands in for it.
    pub(super) fn image(&mut self, src: &str, alt: &str, title: Option<&str>) {
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
        self.out.push_str("/>");
    }
}
