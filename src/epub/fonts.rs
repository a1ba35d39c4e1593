//! The fonts an EPUB carries: only the faces its text is set in, each cut down to the
//! characters it draws.
//!
//! A reading system takes each character from the first family of the CSS `font-family` list
//! whose face (for the text's weight and style) has it. So the writer reads the XHTML it wrote,
//! notes each character with the style CSS gives it (`style.css`: `em`/`i`/`cite`, `h4`, `h6`
//! and a few classes are italic; `strong`/`b`/`th` bold; `code`/`pre`/`kbd`/`samp` monospace),
//! picks the face a reading system would pick, and embeds each face that draws something,
//! subset to those characters with [`skera`], the Rust port of HarfBuzz's subsetter from
//! Google Fonts' fontations. Unlike the `subsetter` crate the PDF uses (which strips `cmap`
//! and more, as only PDFs can do without them), skera writes complete OpenType fonts and keeps
//! every OpenType layout feature with the glyphs it reaches, so ligatures, kerning and the
//! small caps (`smcp`) of the openings still work in the reading system.

use std::collections::{BTreeMap, BTreeSet};

use read_fonts::collections::IntSet;
use read_fonts::types::{GlyphId, NameId, Tag};
use read_fonts::FontRef;
use skera::{Plan, SubsetFlags};

use crate::fonts::{Face, FaceId, Fonts, Style};

use super::EpubError;

/// How a run of text is set, as far as choosing a font file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TextStyle {
    Serif(Style),
    Mono,
}

/// The characters of a book in each style.
#[derive(Debug, Default)]
pub struct Usage {
    chars: BTreeMap<TextStyle, BTreeSet<char>>,
}

/// Characters a reading system may draw that are not in the text: the hyphens of automatic
/// hyphenation (`hyphens: auto`), list numbers, and the scene break's asterism (a CSS
/// `content`); added to the body face when it is embedded at all.
const GENERATED: &str = "-\u{2010}0123456789. \u{2042}";

impl Usage {
    /// Adds the text of a well-formed XHTML document the writer made, each character with the
    /// style `style.css` gives it.
    pub fn add_document(&mut self, xhtml: &str) -> Result<(), EpubError> {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = roxmltree::Document::parse_with_options(xhtml, options)
            .map_err(|e| EpubError::Finishing(format!("a written document is not XML: {e}")))?;
        let body = doc
            .descendants()
            .find(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "body")))
            .unwrap_or_else(|| doc.root());
        // Depth first with an explicit stack: documents may nest deeply.
        let mut stack = vec![(body, Styling::default())];
        while let Some((node, styling)) = stack.pop() {
            if node.is_text() {
                if let Some(text) = node.text() {
                    self.add_text(styling, text);
                }
                continue;
            }
            if !node.is_element() {
                continue;
            }
            let styling = styling.inside(node);
            if node.tag_name().name() == "hr" && has_class(node, "scene-break") {
                self.add_text(styling, "\u{2042}");
            }
            let children: Vec<_> = node.children().collect();
            stack.extend(children.into_iter().rev().map(|c| (c, styling)));
        }
        Ok(())
    }

    /// Adds text set in the body face (contents entries and other labels).
    pub fn add_plain(&mut self, text: &str) {
        self.add_text(Styling::default(), text);
    }

    fn add_text(&mut self, styling: Styling, text: &str) {
        let set = self.chars.entry(styling.style()).or_default();
        for c in text.chars().filter(|c| !c.is_control()) {
            set.insert(c);
            if styling.small_caps {
                // A reading system that cannot use the font's small caps makes them from
                // capitals.
                set.extend(c.to_uppercase());
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.chars.values().all(BTreeSet::is_empty)
    }
}

/// What the enclosing elements make of a text: the CSS of `style.css` and the user agent's
/// defaults for elements it leaves alone.
#[derive(Debug, Clone, Copy, Default)]
struct Styling {
    bold: bool,
    italic: bool,
    mono: bool,
    small_caps: bool,
}

impl Styling {
    fn inside(mut self, node: roxmltree::Node) -> Styling {
        // An element renamed to keep HTML's content model (`<span class="html-th">`) is styled
        // as what it was.
        let renamed = node.attribute("class").and_then(|c| {
            c.split_ascii_whitespace()
                .find_map(|w| w.strip_prefix("html-"))
        });
        match renamed.unwrap_or(node.tag_name().name()) {
            "strong" | "b" | "th" => self.bold = true,
            "em" | "i" | "cite" | "var" | "dfn" | "address" | "h4" | "h6" => self.italic = true,
            "code" | "pre" | "kbd" | "samp" | "tt" => self.mono = true,
            "h3" => self.small_caps = true,
            _ => {}
        }
        for class in ["image-alt", "subtitle", "colophon"] {
            self.italic |= has_class(node, class);
        }
        for class in ["small-caps", "smallcaps", "author", "publisher"] {
            self.small_caps |= has_class(node, class);
        }
        self
    }

    fn style(self) -> TextStyle {
        if self.mono {
            return TextStyle::Mono;
        }
        TextStyle::Serif(match (self.bold, self.italic) {
            (false, false) => Style::Regular,
            (false, true) => Style::Italic,
            (true, false) => Style::Bold,
            (true, true) => Style::BoldItalic,
        })
    }
}

fn has_class(node: roxmltree::Node, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_ascii_whitespace().any(|w| w == class))
}

/// One font file as the EPUB carries it.
#[derive(Debug)]
pub struct Embedded<'a> {
    pub face: &'a Face,
    /// The subset font file.
    pub data: Vec<u8>,
}

/// The faces a reading system would draw `usage` with, in the set's order, each subset to the
/// characters it draws.
pub fn embed<'a>(fonts: &'a Fonts, usage: &Usage) -> Vec<Embedded<'a>> {
    let mut per_face: BTreeMap<usize, BTreeSet<char>> = BTreeMap::new();
    let index_of = |face: &Face| {
        fonts
            .files()
            .iter()
            .position(|f| std::ptr::eq(f, face))
            .unwrap_or(0)
    };
    for (style, chars) in &usage.chars {
        let candidates = css_faces(fonts, *style);
        for &c in chars {
            if c.is_whitespace() && c != ' ' && c != '\u{a0}' {
                continue;
            }
            if let Some(face) = candidates.iter().find(|f| f.has(c)) {
                per_face.entry(index_of(face)).or_default().insert(c);
            }
        }
    }
    if usage.is_empty() {
        return Vec::new();
    }
    let body = index_of(fonts.face(FaceId::Serif(Style::Regular)));
    if let Some(set) = per_face.get_mut(&body) {
        set.extend(GENERATED.chars().filter(|&c| fonts.files()[body].has(c)));
    }
    per_face
        .into_iter()
        .map(|(i, chars)| {
            let face = &fonts.files()[i];
            // A face the subsetters cannot cut (an author's unusual font) goes in whole: a
            // larger book rather than none.
            let data = subset(face, &chars).unwrap_or_else(|_| face.data.to_vec());
            Embedded { face, data }
        })
        .collect()
}

/// The faces CSS font matching tries for text in `style`, family by family in the order of the
/// stylesheet's `font-family` lists: in each family, the face of the same slant if the family
/// has one (else the other), of the same weight if it has one (else the other).
fn css_faces(fonts: &Fonts, style: TextStyle) -> Vec<&Face> {
    let (first, want) = match style {
        TextStyle::Serif(s) => (FaceId::Serif(s), s),
        TextStyle::Mono => (FaceId::Mono, Style::Regular),
    };
    let mut families: Vec<&str> = Vec::new();
    for id in fonts.chain(first) {
        let family = fonts.face(id).family.as_str();
        if !families.contains(&family) {
            families.push(family);
        }
    }
    families
        .into_iter()
        .filter_map(|family| {
            let faces: Vec<&Face> = fonts
                .files()
                .iter()
                .filter(|f| f.family == family)
                .collect();
            let slant: Vec<&Face> = match faces
                .iter()
                .any(|f| f.style.is_italic() == want.is_italic())
            {
                true => faces
                    .into_iter()
                    .filter(|f| f.style.is_italic() == want.is_italic())
                    .collect(),
                false => faces,
            };
            slant
                .iter()
                .find(|f| f.style.is_bold() == want.is_bold())
                .or(slant.first())
                .copied()
        })
        .collect()
}

/// `face` cut down to `chars` and what the font's layout features reach from them, or why not.
fn subset(face: &Face, chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let failed = |why: String| format!("could not subset the font {}: {why}", face.file_name);
    let font = FontRef::new(&face.data).map_err(|e| failed(e.to_string()))?;
    let unicodes: IntSet<u32> = chars.iter().map(|&c| u32::from(c)).collect();
    let glyphs: IntSet<GlyphId> = [GlyphId::NOTDEF].into_iter().collect();
    // Everything a reading system may use: every script and feature, every name record.
    let mut scripts = IntSet::<Tag>::empty();
    scripts.invert();
    let mut features = IntSet::<Tag>::empty();
    features.invert();
    let mut name_ids = IntSet::<NameId>::empty();
    name_ids.invert();
    let mut name_languages = IntSet::<u16>::empty();
    name_languages.invert();
    // Tables no reading system needs for a document's own font (as HarfBuzz's defaults).
    let drop: IntSet<Tag> = [
        *b"morx", *b"mort", *b"kerx", *b"JSTF", *b"DSIG", *b"EBDT", *b"EBLC", *b"EBSC", *b"PCLT",
        *b"LTSH", *b"Feat", *b"Glat", *b"Gloc", *b"Silf", *b"Sill",
    ]
    .iter()
    .map(Tag::new)
    .collect();
    let plan = Plan::new(
        &glyphs,
        &unicodes,
        &font,
        SubsetFlags::default(),
        &drop,
        &scripts,
        &features,
        &name_ids,
        &name_languages,
    );
    let subset = skera::subset_font(&font, &plan).map_err(|e| failed(e.to_string()))?;
    if font.table_data(CFF).is_none() {
        return Ok(subset);
    }
    with_cff_outlines(&face.data, &plan, &subset).map_err(failed)
}

const CFF: Tag = Tag::new(b"CFF ");

/// skera 0.9 subsets every table of a CFF-flavoured font but the outlines themselves (it leaves
/// `CFF ` out). The `subsetter` crate subsets CFF outlines well but writes fonts only a PDF can
/// use (no `cmap`, no layout tables). Both number the glyphs they keep in the order of their old
/// ids, `.notdef` first, so the outlines `subsetter` makes for skera's glyphs go with skera's
/// other tables: this joins the two, and checks that the numbering agrees.
fn with_cff_outlines(original: &[u8], plan: &Plan, subset: &[u8]) -> Result<Vec<u8>, String> {
    let mut kept: Vec<(u32, u32)> = plan
        .old_to_new_glyph_mapping()
        .map(|(old, new)| (new.to_u32(), old.to_u32()))
        .collect();
    kept.sort_unstable();
    let mut remapper = subsetter::GlyphRemapper::new();
    for (new, old) in kept {
        let old = u16::try_from(old).map_err(|_| format!("glyph id {old} out of range"))?;
        if u32::from(remapper.remap(old)) != new {
            return Err("the two subsetters number the glyphs differently".into());
        }
    }
    let outlines = subsetter::subset(original, 0, &remapper).map_err(|e| e.to_string())?;
    let outlines = FontRef::new(&outlines).map_err(|e| e.to_string())?;
    let cff = outlines
        .table_data(CFF)
        .ok_or("the outline subset has no CFF table")?;
    let tables = FontRef::new(subset).map_err(|e| e.to_string())?;
    Ok(write_fonts::FontBuilder::new()
        .add_raw(CFF, cff.as_bytes())
        .copy_missing_tables(tables)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(doc: &str) -> Usage {
        let mut u = Usage::default();
        u.add_document(doc).expect("XML");
        u
    }

    const XHTML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
        <html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>T</title></head><body>";

    #[test]
    fn characters_are_noted_with_their_style() {
        let u = usage(&format!(
            "{XHTML}<p>ab <em>c<strong>d</strong></em> <code>e</code></p><h3>f</h3></body></html>"
        ));
        let get = |s| u.chars.get(&s).cloned().unwrap_or_default();
        assert!(get(TextStyle::Serif(Style::Regular)).contains(&'a'));
        assert!(get(TextStyle::Serif(Style::Italic)).contains(&'c'));
        assert!(get(TextStyle::Serif(Style::BoldItalic)).contains(&'d'));
        assert!(get(TextStyle::Mono).contains(&'e'));
        // Small caps may be made from capitals.
        assert!(get(TextStyle::Serif(Style::Regular)).contains(&'F'));
        // The head's title is not shown.
        assert!(!get(TextStyle::Serif(Style::Regular)).contains(&'T'));
    }

    #[test]
    fn only_the_faces_the_text_uses_are_embedded_and_each_is_a_real_font() {
        let u = usage(&format!(
            "{XHTML}<p>Plain and <em>slanted</em> text, \u{5e9}\u{5dc}\u{5d5}\u{5dd}.</p></body></html>"
        ));
        let fonts = Fonts::bundled();
        let embedded = embed(fonts, &u);
        let names: Vec<&str> = embedded.iter().map(|e| e.face.file_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "LinLibertine_R.otf",
                "LinLibertine_RI.otf",
                // Hebrew: Libertine has it, so no Noto face is needed.
            ],
            "{names:?}"
        );
        for e in &embedded {
            let face = ttf_parser::Face::parse(&e.data, 0).expect("the subset is a font");
            assert!(face.glyph_index('a').is_some(), "{}", e.face.file_name);
            assert!(e.data.len() < e.face.data.len() / 3, "{}", e.data.len());
        }
        let regular = ttf_parser::Face::parse(&embedded[0].data, 0).expect("font");
        assert!(regular.glyph_index('\u{5e9}').is_some());
        assert!(regular.glyph_index('z').is_none(), "unused letters are cut");
    }

    /// The advances harfrust gives `text` in a font, with small caps or without.
    fn advances(data: &[u8], text: &str, small_caps: bool) -> Vec<i32> {
        let font = harfrust::Font::new(data.to_vec(), 0).expect("a font");
        let shaper = harfrust::ShaperFont::new(&font);
        let mut buffer = harfrust::Buffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let smcp = [harfrust::Feature::new(harfrust::Tag::new(b"smcp"), 1, ..)];
        let features: &[harfrust::Feature] = if small_caps { &smcp } else { &[] };
        let options = harfrust::ShapeOptions::new().features(features);
        harfrust::shape(&shaper, &mut buffer, options).expect("shaped");
        buffer
            .glyph_positions()
            .iter()
            .map(|p| p.x_advance)
            .collect()
    }

    #[test]
    fn ligatures_kerning_and_small_caps_survive_the_subset() {
        let text = "Office, AVAWAY; first flow “To” Mr. Darcy";
        let u = usage(&format!("{XHTML}<h3>{text}</h3></body></html>"));
        let embedded = embed(Fonts::bundled(), &u);
        let original = &FaceId::Serif(Style::Regular).face().data;
        let subset = &embedded[0].data;
        for small_caps in [false, true] {
            assert_eq!(
                advances(subset, text, small_caps),
                advances(original, text, small_caps),
                "small caps: {small_caps}"
            );
        }
        // The ligatures really are there: "ffi" is one glyph.
        assert!(advances(subset, "Office", false).len() < 6);
    }

    #[test]
    fn a_book_of_nothing_embeds_nothing() {
        assert!(embed(Fonts::bundled(), &Usage::default()).is_empty());
    }
}
