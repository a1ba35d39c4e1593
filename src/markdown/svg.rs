//! SVG made safe for the EPUB, when the reader finds it (so `quire check` reports the same).
//!
//! An SVG is a program as much as a picture: reading systems run its `<script>` and its event
//! handlers, follow its links and fetch what it references. What an ebook must not carry is
//! removed: scripts, `<foreignObject>` (HTML inside the picture), event handler attributes
//! (`onclick`), links that are not `http(s):`, `mailto:` or `#fragment` (`javascript:`,
//! `file:`), references to other files (`<use href="x.svg#a">`, `url(other.svg#f)`,
//! `@import`, `<?xml-stylesheet?>`), animations that set a link. An `<image>` linking a PNG,
//! JPEG or GIF inside the manuscript is inlined as a `data:` URL; one outside it (Inkscape
//! writes `/home/alice/Pictures/photo.jpg`) or missing is dropped. Entity declarations are
//! refused (they are how XML reaches files and how it explodes). An SVG with nothing to remove
//! is carried byte for byte; one with something removed is written anew (SVG, XLink and `xml:`
//! names only: editor metadata goes too) and the reader warns what went.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;

use crate::model::MediaType;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// What sanitising an SVG did.
#[derive(Debug, Default)]
pub struct Sanitised {
    /// The SVG to carry instead of the file; `None`: the file as it is.
    pub bytes: Option<Vec<u8>>,
    /// What was removed, for the warning (`a <script>`, `the event handler onclick`).
    pub removed: Vec<String>,
}

/// Sanitises the SVG `bytes` of the file `file`; linked images are inlined when they lie in
/// `root` (canonical). An error (a message to follow the file's name) when it cannot be made
/// safe.
pub fn sanitise(bytes: &[u8], file: &Path, root: &Path) -> Result<Sanitised, String> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| "is an SVG that is not UTF-8 text".to_string())?;
    if has_entity_declarations(text) {
        return Err("is an SVG that declares XML entities (`<!ENTITY`), which can read other files or grow without bound: remove the DOCTYPE's entity declarations".into());
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("is not a readable SVG ({e})"))?;
    let mut cleaner = Cleaner {
        dir: file.parent().unwrap_or(Path::new(".")),
        root,
        out: String::with_capacity(text.len()),
        removed: Vec::new(),
        changed: false,
    };
    for node in doc.root().children() {
        match node.node_type() {
            roxmltree::NodeType::Element => cleaner.element(node, true),
            roxmltree::NodeType::PI
                if node.pi().is_some_and(|pi| pi.target == "xml-stylesheet") =>
            {
                cleaner.remove("a linked stylesheet (<?xml-stylesheet?>)");
            }
            _ => {}
        }
    }
    if !cleaner.changed {
        return Ok(Sanitised::default());
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&cleaner.out);
    out.push('\n');
    Ok(Sanitised {
        bytes: Some(out.into_bytes()),
        removed: cleaner.removed,
    })
}

/// Whether the document type declaration declares entities (`<!DOCTYPE svg [ <!ENTITY ...`).
fn has_entity_declarations(text: &str) -> bool {
    let Some(start) = text.find("<!DOCTYPE") else {
        return false;
    };
    text[start..].contains("<!ENTITY")
}

struct Cleaner<'a> {
    dir: &'a Path,
    root: &'a Path,
    out: String,
    removed: Vec<String>,
    /// Something was removed or inlined: the SVG is written anew.
    changed: bool,
}

impl Cleaner<'_> {
    fn remove(&mut self, what: impl Into<String>) {
        let what = what.into();
        if !self.removed.contains(&what) {
            self.removed.push(what);
        }
        self.changed = true;
    }

    fn element(&mut self, node: roxmltree::Node, root: bool) {
        let tag = node.tag_name();
        if tag.namespace() != Some(SVG_NS) {
            // Editor metadata (Inkscape's sodipodi:, RDF): not needed to draw the picture.
            self.changed = true;
            return;
        }
        let name = tag.name();
        match name {
            "script" => return self.remove("a <script>"),
            "foreignObject" => return self.remove("a <foreignObject> (HTML inside the SVG)"),
            "style" => {
                let css: String = node.children().filter_map(|c| c.text()).collect();
                if css.contains("@import") || has_outside_url(&css) || has_script(&css) {
                    return self.remove("a <style> that loads other files");
                }
            }
            "set" | "animate" => {
                let target = node.attribute("attributeName").unwrap_or("");
                if target.ends_with("href") || node.attributes().any(|a| has_script(a.value())) {
                    return self.remove("an animation that sets a link");
                }
            }
            _ => {}
        }
        let _ = write!(self.out, "<{name}");
        if root {
            let _ = write!(self.out, " xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\"");
        }
        for a in node.attributes() {
            let qualified = match a.namespace() {
                None => a.name().to_string(),
                Some(XLINK_NS) => format!("xlink:{}", a.name()),
                Some(XML_NS) => format!("xml:{}", a.name()),
                Some(_) => {
                    self.changed = true;
                    continue;
                }
            };
            if let Some(value) = self.attribute(name, a.name(), a.value()) {
                let _ = write!(self.out, " {qualified}=\"{}\"", escape(&value, true));
            }
        }
        if !node.has_children() {
            self.out.push_str("/>");
            return;
        }
        self.out.push('>');
        for child in node.children() {
            match child.node_type() {
                roxmltree::NodeType::Element => self.element(child, false),
                roxmltree::NodeType::Text => {
                    let text = escape(child.text().unwrap_or(""), false);
                    self.out.push_str(&text);
                }
                _ => {}
            }
        }
        let _ = write!(self.out, "</{name}>");
    }

    /// The value an attribute keeps, `None` when it goes.
    fn attribute(&mut self, element: &str, name: &str, value: &str) -> Option<String> {
        if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
            self.remove(format!("the event handler `{name}`"));
            return None;
        }
        if name == "href" {
            return self.href(element, value);
        }
        if has_outside_url(value) || has_script(value) {
            self.remove(format!("a reference to another file (`{name}`)"));
            return None;
        }
        Some(value.to_string())
    }

    fn href(&mut self, element: &str, value: &str) -> Option<String> {
        let v = value.trim();
        if v.starts_with('#') {
            return Some(value.to_string());
        }
        let scheme = v
            .split_once(':')
            .map(|(s, _)| s.to_ascii_lowercase())
            .filter(|s| !s.contains('/'));
        match (element, scheme.as_deref()) {
            ("a", Some("http" | "https" | "mailto")) => Some(value.to_string()),
            ("a", Some(s)) => {
                self.remove(format!("a `{s}:` link"));
                None
            }
            ("image" | "feImage", Some("data")) => {
                let lower = v.to_ascii_lowercase();
                let raster = ["data:image/png", "data:image/jpeg", "data:image/gif"];
                if raster.iter().any(|p| lower.starts_with(p)) {
                    Some(value.to_string())
                } else {
                    self.remove("an embedded image that is not PNG, JPEG or GIF");
                    None
                }
            }
            ("image" | "feImage", None) => self.inline(v),
            ("image" | "feImage", Some(s)) => {
                self.remove(format!(
                    "a linked image that is not in the manuscript (`{s}:`)"
                ));
                None
            }
            _ => {
                self.remove("a reference to another file");
                None
            }
        }
    }

    /// A `data:` URL of the image at `src` (relative to the SVG), if it is a PNG, JPEG or GIF
    /// inside the manuscript.
    fn inline(&mut self, src: &str) -> Option<String> {
        let decoded = crate::project::order::percent_decode(src);
        let path = self.dir.join(&decoded);
        let inside = Path::new(&decoded).is_relative()
            && path.canonicalize().is_ok_and(|c| c.starts_with(self.root));
        let data = inside.then(|| std::fs::read(&path).ok()).flatten();
        let kind = data.as_deref().and_then(MediaType::sniff);
        match (data, kind) {
            (Some(data), Some(kind)) if kind != MediaType::Svg => {
                self.changed = true;
                let b64 = base64::engine::general_purpose::STANDARD.encode(data);
                Some(format!("data:{};base64,{b64}", kind.mime()))
            }
            _ => {
                self.remove(format!(
                    "the linked image `{src}` (not a PNG, JPEG or GIF inside the manuscript)"
                ));
                None
            }
        }
    }
}

/// Whether CSS or an attribute refers to another file: `url(` not followed by `#`.
fn has_outside_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.match_indices("url(").any(|(i, m)| {
        let rest = lower[i + m.len()..].trim_start_matches([' ', '\'', '"']);
        !rest.starts_with('#')
    })
}

fn has_script(value: &str) -> bool {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.contains("javascript:") || compact.contains("vbscript:")
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> Sanitised {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        sanitise(svg.as_bytes(), &root.join("x.svg"), &root).unwrap()
    }

    #[test]
    fn a_clean_svg_is_kept_byte_for_byte() {
        let svg = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\"><defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\" width=\"10\" height=\"10\"/><use xlink:href=\"#g\"/><a href=\"https://example.org\"><text>x</text></a></svg>";
        let s = clean(svg);
        assert!(s.bytes.is_none() && s.removed.is_empty(), "{:?}", s.removed);
    }

    #[test]
    fn scripts_handlers_and_outside_references_are_removed() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><script>alert(1)</script><rect onclick=\"alert(1)\" width=\"1\" height=\"1\" fill=\"url(other.svg#p)\"/><a xlink:href=\"javascript:alert(1)\"><text>t</text></a><image href=\"file:///etc/passwd\"/><image xlink:href=\"/home/alice/Pictures/photo.jpg\"/><use href=\"other.svg#a\"/><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject><set attributeName=\"href\" to=\"javascript:x\"/></svg>";
        let s = clean(svg);
        let out = String::from_utf8(s.bytes.unwrap()).unwrap();
        for gone in [
            "script",
            "onclick",
            "javascript",
            "file:",
            "/home/alice",
            "other.svg",
            "foreignObject",
            "<set",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        assert!(
            out.contains("<rect") && out.contains("<text>t</text>"),
            "{out}"
        );
        assert!(roxmltree::Document::parse(&out).is_ok(), "{out}");
        assert!(s.removed.len() >= 6, "{:?}", s.removed);
    }

    #[test]
    fn entities_are_refused() {
        let svg = "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text></svg>";
        let dir = tempfile::tempdir().unwrap();
        let err = sanitise(svg.as_bytes(), &dir.path().join("x.svg"), dir.path()).unwrap_err();
        assert!(err.contains("entities"), "{err}");
    }

    #[test]
    fn a_linked_image_inside_the_manuscript_is_inlined() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("dot.gif"), b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"dot.gif\" width=\"1\" height=\"1\"/></svg>";
        let s = sanitise(svg.as_bytes(), &root.join("x.svg"), &root).unwrap();
        let out = String::from_utf8(s.bytes.unwrap()).unwrap();
        assert!(
            out.contains("xlink:href=\"data:image/gif;base64,R0lGOD"),
            "{out}"
        );
        assert!(s.removed.is_empty(), "{:?}", s.removed);
    }
}
