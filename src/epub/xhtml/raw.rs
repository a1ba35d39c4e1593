//! What raw HTML may link to and show, as seen from one chapter.

use crate::model::{Block, Inline};

use super::super::raw_html;
use super::super::xml::{safe_external_href, xml_id};
use super::ChapterWriter;

/// What raw HTML may link to and show, as seen from this chapter; the Markdown inside it.
impl raw_html::Writer for ChapterWriter<'_> {
    fn out(&mut self) -> &mut String {
        &mut self.out
    }

    fn href(&mut self, href: &str) -> Option<String> {
        if let Some(url) = safe_external_href(href) {
            return Some(url);
        }
        // Relative: only what quire itself writes (a chapter file of the book, an id that
        // exists there, a footnote of this chapter) is kept.
        let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
        let target = if file.is_empty() {
            self.index.chapters.get(&self.chapter.id)
        } else {
            self.index.chapters.values().find(|c| c.file_name == file)
        }?;
        let note = file.is_empty()
            && (fragment.starts_with(&format!("fn-{}-", self.note_prefix))
                || fragment.starts_with(&format!("fnref-{}-", self.note_prefix)));
        let ok =
            fragment.is_empty() || note || target.anchors.iter().any(|a| xml_id(a) == fragment);
        ok.then(|| href.to_string())
    }

    fn image_src(&mut self, src: &str) -> Option<String> {
        self.index.image_src(self.chapter, src)
    }

    fn claim_id(&mut self, id: &str) -> bool {
        self.raw_ids.insert(id.to_string())
    }

    fn image_shown(&mut self, has_alt: bool) {
        self.images.shown += 1;
        if !has_alt {
            self.images.without_alt += 1;
        }
    }

    fn html_text(&mut self, text: &str) {
        if self.text_at.is_none() {
            return self.text(text);
        }
        // In running text, raw HTML's text is counted as what it says: a run of whitespace is
        // one space (as the reader lowers it into `content`, and as any reading system shows
        // it), so the pages that begin in it are marked where print begins them.
        let space = self.out.ends_with([' ', '\n']);
        self.running_text(&crate::model::html::collapse_spaces(text, space));
    }

    fn block(&mut self, block: &Block) {
        ChapterWriter::block(self, block)
    }

    fn inline(&mut self, inline: &Inline, in_link: bool) {
        // Inside a raw `<a>`, Markdown links and note references keep their text only.
        let depth = self.link_depth;
        if in_link {
            self.link_depth = depth.max(1);
        }
        ChapterWriter::inline(self, inline);
        self.link_depth = depth;
    }
}
