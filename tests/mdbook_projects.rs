//! mdBook projects as their authors keep them: *Asynchronous Programming in Rust*
//! (tests/fixtures/async-book, MIT) and mdBook's own guide (tests/fixtures/mdbook-guide,
//! MPL-2.0); see each SOURCE.txt. Each is built once (`quire::build::build`, EPUB and PDF) and
//! both files are read back: every included region is in them, no `{{#` directive is printed
//! but the ones the book escapes, the EPUB nav nests as SUMMARY.md does, the PDF has part
//! title pages, nested bookmarks and nested chapters that do not open a recto; EPUBCheck 0/0.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/epubcheck.rs"]
mod epubcheck;
mod md_common;
#[path = "common/pdftools.rs"]
mod pdftools;
#[path = "common/words.rs"]
mod words;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use corpus::fixture;
use md_common::{parse, OPS, XHTML};
use quire::build::{build, BuildOptions, Format};

/// One fixture, built.
struct Built {
    _dir: tempfile::TempDir,
    /// The manuscript folder.
    root: PathBuf,
    epub: PathBuf,
    pdf: PathBuf,
    warnings: Vec<String>,
    /// The unpacked EPUB: entry name -> text (XHTML, XML, CSS only).
    files: BTreeMap<String, String>,
    /// pdftotext, page by page (`None` without poppler).
    pages: Option<Vec<String>>,
}

fn build_book(root: &Path, dir: tempfile::TempDir) -> Built {
    let out = dir.path().join("out");
    let report = build(&BuildOptions {
        manuscript: root.to_path_buf(),
        out_dir: out,
        format: Format::All,
        deny_warnings: false,
        name: None,
    })
    .unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let written = |ext: &str| {
        report
            .written
            .iter()
            .map(|w| w.path.clone())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .expect("written")
    };
    let (epub, pdf) = (written("epub"), written("pdf"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".css") {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            files.insert(name, text);
        }
    }
    let pages = pdftools::pdftotext(&pdf, &[]).map(|out| {
        assert!(out.success, "{}", out.stderr);
        let mut pages: Vec<String> = out.stdout.split('\u{c}').map(String::from).collect();
        if pages.last().is_some_and(|p| p.trim().is_empty()) {
            pages.pop();
        }
        pages
    });
    Built {
        _dir: dir,
        root: root.to_path_buf(),
        epub,
        pdf,
        warnings: report.warnings.iter().map(|w| w.to_string()).collect(),
        files,
        pages,
    }
}

fn async_book() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        build_book(
            &fixture("async-book"),
            tempfile::tempdir().expect("tempdir"),
        )
    })
}

fn guide() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("guide");
        corpus::mdbook_guide_copy(&root);
        build_book(&root, dir)
    })
}

/// The chapter documents' text, in spine order of file name: (file, all text, text outside
/// `<code>`).
fn chapter_texts(b: &Built) -> Vec<(String, String, String)> {
    b.files
        .iter()
        .filter(|(k, _)| k.starts_with("OEBPS/text/"))
        .map(|(k, v)| {
            let doc = parse(v);
            let mut all = String::new();
            let mut prose = String::new();
            for n in doc.descendants().filter(|n| n.is_text()) {
                let t = n.text().unwrap_or("");
                all.push_str(t);
                let in_code = n
                    .ancestors()
                    .any(|a| a.has_tag_name((XHTML, "code")) || a.has_tag_name((XHTML, "pre")));
                if !in_code {
                    prose.push_str(t);
                }
            }
            (k.clone(), all, prose)
        })
        .collect()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a reader of the author's own build sees of a region of a listing file, line by line:
/// mdBook's `ANCHOR` lines left out and, in Rust, the `# ` lines hidden.
fn visible(lines: &[&str], rust: bool) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
        .filter(|l| {
            let t = l.trim_start();
            !(rust && (t == "#" || t.starts_with("# ")))
        })
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.to_string())
        .collect()
}

/// Every `{{#include}}`/`{{#rustdoc_include}}`/`{{#playground}}` of the chapter files, as the
/// test reads them: (chapter, directive kind, the visible lines of the region).
fn included_regions(src: &Path) -> Vec<(PathBuf, String, Vec<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut rust_fence = false;
            for line in text.lines() {
                let t = line.trim_start();
                if let Some(info) = t.strip_prefix("```") {
                    rust_fence = info.starts_with("rust");
                }
                for kind in ["include", "rustdoc_include", "playground"] {
                    let open = format!("{{{{#{kind} ");
                    let Some(start) = line.find(&open) else {
                        continue;
                    };
                    if line[..start].ends_with('\\') {
                        continue;
                    }
                    let rest = &line[start + open.len()..];
                    let arg = rest[..rest.find("}}").unwrap()].split_whitespace().next();
                    let arg = arg.unwrap();
                    let (file, spec) = arg.split_once(':').unwrap_or((arg, ""));
                    let listing = path.parent().unwrap().join(file);
                    let body = std::fs::read_to_string(&listing)
                        .unwrap_or_else(|e| panic!("{}: {e}", listing.display()));
                    let lines: Vec<&str> = body.lines().collect();
                    let region: Vec<&str> = if spec.is_empty() {
                        lines.clone()
                    } else if let Some((a, b)) = spec.split_once(':') {
                        let a: usize = a.parse().unwrap();
                        let b: usize = b.parse().unwrap();
                        lines[a - 1..b].to_vec()
                    } else {
                        let begin = lines
                            .iter()
                            .position(|l| l.trim_end().ends_with(&format!("ANCHOR: {spec}")))
                            .unwrap_or_else(|| panic!("{}: no anchor {spec}", listing.display()));
                        let end = lines[begin..]
                            .iter()
                            .position(|l| l.trim_end().ends_with(&format!("ANCHOR_END: {spec}")))
                            .map_or(lines.len(), |i| begin + i);
                        lines[begin + 1..end].to_vec()
                    };
                    let rust = kind != "include" || rust_fence;
                    out.push((path.clone(), kind.to_string(), visible(&region, rust)));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn async_book_shows_every_included_region_in_both_outputs() {
    let b = async_book();
    let regions = included_regions(&b.root.join("src"));
    assert_eq!(regions.len(), 62, "the book has 62 includes");
    let epub_code: String = squash(
        &chapter_texts(b)
            .iter()
            .map(|(_, all, _)| all.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let pdf = b.pages.as_ref().map(|p| squash(&p.join("\n")));
    let mut lines = 0;
    for (chapter, _, region) in &regions {
        assert!(!region.is_empty(), "{}: an empty region", chapter.display());
        for line in region {
            let fits = line.chars().count() <= 40;
            let line = squash(line);
            assert!(
                epub_code.contains(&line),
                "{}: `{line}` is not in the EPUB",
                chapter.display()
            );
            // Long lines wrap in print (after a `↪`): check the ones that fit a line.
            if let Some(pdf) = &pdf {
                if fits {
                    assert!(
                        pdf.contains(&line),
                        "{}: `{line}` is not in the PDF",
                        chapter.display()
                    );
                }
            }
            lines += 1;
        }
    }
    assert!(lines > 700, "{lines}");
    // The one line range, `Cargo.toml:9:10`, as mdBook renders it.
    assert!(epub_code.contains("[dependencies] futures = \"0.3\""));
}

#[test]
fn async_book_prints_no_directive_and_no_anchor() {
    let b = async_book();
    for (file, all, _) in chapter_texts(b) {
        for bad in ["{{#", "ANCHOR:", "ANCHOR_END:"] {
            assert!(!all.contains(bad), "{file}: `{bad}` printed");
        }
    }
    if let Some(pages) = &b.pages {
        for (i, page) in pages.iter().enumerate() {
            for bad in ["{{#", "ANCHOR:", "ANCHOR_END:"] {
                assert!(!page.contains(bad), "PDF page {}: `{bad}` printed", i + 1);
            }
        }
    }
    // The rustdoc-hidden `# ` lines of the chapters are hidden (07_workarounds/04_recursion.md
    // has `# async fn step_one() { /* ... */ }`), the lines around them shown.
    let all: String = chapter_texts(b).into_iter().map(|(_, a, _)| a).collect();
    assert!(!all.contains("step_one() { /*"));
    assert!(all.contains("async fn foo() {\n    step_one().await;"));
}

#[test]
fn async_book_says_what_it_leaves_out() {
    let b = async_book();
    let drafts: Vec<_> = b
        .warnings
        .iter()
        .filter(|w| w.contains("is a draft chapter"))
        .collect();
    assert_eq!(drafts.len(), 18, "{drafts:#?}");
    assert!(
        drafts[0].contains("src/SUMMARY.md:7:1") && drafts[0].contains("`[FAQs]()`"),
        "{}",
        drafts[0]
    );
    let other: Vec<_> = b
        .warnings
        .iter()
        .filter(|w| !w.contains("is a draft chapter"))
        .collect();
    // The book sets no language and no identifier, and has a few empty links and links to
    // anchors that do not exist (`#race-select`): nothing else.
    assert!(
        other
            .iter()
            .all(|w| w.contains("book.toml") || w.contains("the link is set as plain text")),
        "{other:#?}"
    );
}

/// SUMMARY.md's outline as the test reads it: (depth in the contents, part title or `None`
/// for a chapter), drafts left out and what they hold taking their place.
fn summary_outline(summary: &str) -> Vec<(usize, Option<String>)> {
    let mut out = Vec::new();
    let mut seen_title = false;
    let mut in_part = false;
    // (indent, level) of the chapters and drafts above the current line.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for line in summary.lines() {
        if let Some(title) = line.strip_prefix("# ") {
            if seen_title {
                out.push((1, Some(title.trim().to_string())));
                in_part = true;
                stack.clear();
            }
            seen_title = true;
            continue;
        }
        seen_title = true;
        let indent = line.len() - line.trim_start().len();
        let t = line.trim_start();
        let (listed, link) = match t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        if !link.starts_with('[') || !link.contains("](") {
            continue;
        }
        let draft = link.contains("]()");
        if !listed {
            // A prefix chapter (before the parts) or a suffix one (after them): in none.
            if !draft {
                out.push((1, None));
            }
            in_part = false;
            continue;
        }
        while stack.last().is_some_and(|&(i, _)| i >= indent) {
            stack.pop();
        }
        let parent = stack.last().map_or(0, |&(_, l)| l);
        if draft {
            stack.push((indent, parent));
        } else {
            stack.push((indent, parent + 1));
            out.push((parent + 1 + usize::from(in_part), None));
        }
    }
    out
}

/// The EPUB nav's entries for parts and chapters (not sections): (depth, part title or
/// `None`).
fn nav_outline(nav: &str) -> Vec<(usize, Option<String>)> {
    let doc = parse(nav);
    let toc = doc
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "nav")) && n.attribute((OPS, "type")) == Some("toc"))
        .expect("toc nav");
    let mut out = Vec::new();
    for a in toc.descendants().filter(|n| n.has_tag_name((XHTML, "a"))) {
        let href = a.attribute("href").unwrap_or("");
        let part = href.starts_with("parts/");
        if !(href.starts_with("text/") || part) || href.contains('#') {
            continue;
        }
        let depth = a
            .ancestors()
            .filter(|n| n.has_tag_name((XHTML, "li")))
            .count();
        let title: String = a
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        out.push((depth, part.then_some(title)));
    }
    out
}

fn assert_nav_nests_as_summary(b: &Built) {
    let summary = std::fs::read_to_string(b.root.join("src/SUMMARY.md")).unwrap();
    let expected = summary_outline(&summary);
    let nav = nav_outline(&b.files["OEBPS/nav.xhtml"]);
    assert_eq!(nav, expected);
    assert!(expected.iter().any(|(d, _)| *d >= 3), "nesting is tested");
}

#[test]
fn async_book_nav_nests_as_summary_md() {
    let b = async_book();
    assert_nav_nests_as_summary(b);
    let parts: Vec<_> = nav_outline(&b.files["OEBPS/nav.xhtml"])
        .into_iter()
        .filter_map(|(_, p)| p)
        .collect();
    assert_eq!(
        parts,
        ["Part 1: guide", "Part 2: reference", "Old chapters"]
    );
}

/// The PDF's bookmarks: (depth, title), in order.
fn bookmarks(pdf: &Path) -> Vec<(usize, String)> {
    use lopdf::Object;
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the PDF");
    let deref = |o: &Object| -> lopdf::Dictionary {
        match o {
            Object::Reference(id) => doc.get_dictionary(*id).expect("dict").clone(),
            Object::Dictionary(d) => d.clone(),
            other => panic!("not a dictionary: {other:?}"),
        }
    };
    let title = |d: &lopdf::Dictionary| -> String {
        let Ok(Object::String(bytes, _)) = d.get(b"Title") else {
            panic!("no title")
        };
        if bytes.starts_with(&[0xfe, 0xff]) {
            let units: Vec<u16> = bytes[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    fn walk(
        first: Option<lopdf::Dictionary>,
        depth: usize,
        deref: &dyn Fn(&Object) -> lopdf::Dictionary,
        title: &dyn Fn(&lopdf::Dictionary) -> String,
        out: &mut Vec<(usize, String)>,
    ) {
        let mut next = first;
        while let Some(d) = next {
            out.push((depth, title(&d)));
            walk(
                d.get(b"First").ok().map(deref),
                depth + 1,
                deref,
                title,
                out,
            );
            next = d.get(b"Next").ok().map(deref);
        }
    }
    let catalog = doc.catalog().expect("catalog");
    let outlines = deref(catalog.get(b"Outlines").expect("outlines"));
    let mut out = Vec::new();
    walk(
        outlines.get(b"First").ok().map(deref),
        1,
        &deref,
        &title,
        &mut out,
    );
    out
}

#[test]
fn async_book_pdf_has_part_pages_nested_bookmarks_and_no_recto_for_sections() {
    let b = async_book();
    let marks = bookmarks(&b.pdf);
    let parts = ["Part 1: guide", "Part 2: reference", "Old chapters"];
    for part in parts {
        assert!(marks.contains(&(1, part.to_string())), "{part}: {marks:#?}");
    }
    // "Why Async?" is nested under "Getting Started", in the part "Old chapters".
    let getting = marks
        .iter()
        .position(|m| m == &(2, "Getting Started".to_string()))
        .expect("Getting Started at depth 2");
    assert!(
        marks[getting..].contains(&(3, "Why Async?".to_string())),
        "{marks:#?}"
    );

    let Some(pages) = &b.pages else { return };
    // Each part title stands alone on a recto (odd page number), the verso behind it blank.
    for part in parts {
        let i = pages
            .iter()
            .position(|p| p.trim() == part)
            .unwrap_or_else(|| panic!("no page holds only `{part}`"));
        assert_eq!(i % 2, 0, "{part} is on a verso (page {})", i + 1);
        assert!(pages[i + 1].trim().is_empty(), "the page after {part}");
    }
    // A nested chapter follows on the next page, recto or verso, never after a blank page.
    let mut versos = 0;
    for title in [
        "Why Async?",
        "The State of Asynchronous Rust",
        "Task Wakeups with Waker",
        "Applied: Build an Executor",
        "Iteration and Concurrency",
        "Spawning",
        "Recursion",
        "Testing the TCP Server",
    ] {
        let i = pages
            .iter()
            .position(|p| p.trim_start().starts_with(title))
            .unwrap_or_else(|| panic!("no page opens with `{title}`"));
        assert!(
            !pages[i - 1].trim().is_empty(),
            "a blank page before `{title}`"
        );
        versos += i % 2;
    }
    assert!(versos > 0, "no nested chapter starts on a verso");
}

#[test]
fn async_book_passes_epubcheck() {
    let b = async_book();
    if let Some(report) = epubcheck::epubcheck(&b.epub) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

#[test]
fn the_guide_unchanged_stops_at_includes_leading_out_of_the_book() {
    let root = fixture("mdbook-guide");
    let err = quire::read_manuscript(&root).unwrap_err().to_string();
    assert!(
        err.contains("src/for_developers/preprocessors.md:42:1")
            && err.contains("is outside the book's folder")
            && err.contains("copy the file into the book"),
        "{err}"
    );
    // `quire check` says the same.
    let found = quire::author::check::check(&root);
    assert!(
        found
            .iter()
            .any(|d| d.location.to_string().ends_with("preprocessors.md:42:1")),
        "{found:#?}"
    );
}

#[test]
fn the_guide_shows_its_includes_and_prints_only_what_it_escapes() {
    let b = guide();
    let src = b.root.join("src");
    let sources: String = included_regions(&src)
        .iter()
        .map(|(c, _, _)| std::fs::read_to_string(c).unwrap())
        .collect();
    assert!(sources.contains("\\{{#include"));
    let texts = chapter_texts(b);
    let all: String = texts.iter().map(|(_, a, _)| a.as_str()).collect();
    let epub = squash(&all);
    for (chapter, kind, region) in included_regions(&src) {
        if chapter.ends_with("cli/watch.md") || chapter.ends_with("cli/serve.md") {
            // A Markdown include in prose: its text, as Markdown renders it.
            assert!(epub.contains(
                "There are different backends used to determine when a file has changed."
            ));
            continue;
        }
        for line in region {
            let line = squash(&line);
            // SUMMARY.md included into a code block is shown as written.
            assert!(
                epub.contains(&line),
                "{} ({kind}): `{line}`",
                chapter.display()
            );
        }
    }
    // The playground example hides its `#` lines.
    assert!(!epub.contains("I am hidden!"));
    assert!(epub.contains("println!(\"Hello World!\");"));
    // `{{#title}}` and friends print only where the book escapes them or shows them as code.
    let mut escaped = 0;
    let all_sources = read_all_md(&src);
    for (file, all, prose) in &texts {
        assert!(
            !prose.contains("{{#"),
            "{file}: a directive printed in the text"
        );
        let mut rest = all.as_str();
        while let Some(i) = rest.find("{{#") {
            let end = rest[i..].find("}}").map_or(rest.len(), |e| i + e + 2);
            let shown = &rest[i..end];
            let as_written = all_sources.contains(&format!("\\{shown}"));
            let not_a_directive = !shown.contains(' ');
            assert!(
                as_written || not_a_directive,
                "{file}: `{shown}` is printed but the book does not escape it"
            );
            escaped += usize::from(as_written);
            rest = &rest[end..];
        }
    }
    assert!(escaped >= 12, "{escaped}");
    if let Some(pages) = &b.pages {
        for page in pages {
            for line in page.lines().filter(|l| l.contains("{{#")) {
                let i = line.find("{{#").unwrap();
                let end = line[i..].find("}}").map_or(line.len(), |e| i + e + 2);
                let shown = &line[i..end];
                assert!(
                    all_sources.contains(&format!("\\{shown}")) || !shown.contains(' '),
                    "PDF: `{line}`"
                );
            }
        }
    }
}

fn read_all_md(dir: &Path) -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.push_str(&read_all_md(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

#[test]
fn the_guide_warns_about_the_tags_it_does_not_read() {
    let b = guide();
    let tag: Vec<_> = b
        .warnings
        .iter()
        .filter(|w| w.contains("{{ mdbook-version }}"))
        .collect();
    assert_eq!(tag.len(), 1, "{:#?}", b.warnings);
    assert!(tag[0].contains("src/README.md:17:10"), "{}", tag[0]);
    assert!(b
        .warnings
        .iter()
        .any(|w| w.contains("src/SUMMARY.md:23:1") && w.contains("`[Draft chapter]()`")));
}

#[test]
fn the_guide_nav_nests_as_summary_md_and_passes_epubcheck() {
    let b = guide();
    assert_nav_nests_as_summary(b);
    let marks = bookmarks(&b.pdf);
    assert!(marks.contains(&(1, "User guide".to_string())), "{marks:#?}");
    assert!(marks.contains(&(1, "Reference guide".to_string())));
    if let Some(report) = epubcheck::epubcheck(&b.epub) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

/// A small mdBook project written by the test: (relative path, text).
fn small_book(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn build_and_check_say_the_same_about_unread_tags_and_included_text() {
    let dir = small_book(&[
        (
            "book.toml",
            "[book]\ntitle = \"Small\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:uuid:0\"\n",
        ),
        ("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n"),
        (
            "src/one.md",
            "# One\n\nText {{#shiftinclude code.rs}} and {{ version }}.\n\n{{#include part.md}}\n",
        ),
        ("src/part.md", "Included text.\n\nA [link](nowhere.md) to no chapter.\n"),
    ]);
    let root = dir.path();
    let (_, _, warnings) = quire::read_manuscript(root).expect("reads");
    let found = quire::author::check::check(root);
    let place = |w: &str| w.split(": ").next().unwrap_or("").to_string();
    let built: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    for (file_line, what) in [
        ("src/one.md:3:6", "{{#shiftinclude}}"),
        ("src/one.md:3:36", "{{ version }}"),
        ("src/part.md:3:3", "nowhere.md"),
    ] {
        assert!(
            built
                .iter()
                .any(|w| place(w).ends_with(file_line) && w.contains(what)),
            "build: {file_line} {what}: {built:#?}"
        );
        assert!(
            found
                .iter()
                .any(|d| d.location.to_string().ends_with(file_line) && d.message.contains(what)),
            "check: {file_line} {what}: {found:#?}"
        );
    }
}

#[test]
fn chapter_level_chooses_which_summary_level_opens_on_a_recto() {
    let long = "Words and more words. ".repeat(150);
    let mut files = vec![
        (
            "book.toml".to_string(),
            "[book]\ntitle = \"Levels\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:uuid:0\"\n[pdf]\nchapter-level = 2\n".to_string(),
        ),
        (
            "src/SUMMARY.md".to_string(),
            "# Summary\n\n- [A](a.md)\n  - [B](b.md)\n    - [C](c.md)\n    - [D](d.md)\n  - [E](e.md)\n".to_string(),
        ),
    ];
    // B takes one page: C, after it, starts on a verso unless it is made to wait.
    for name in ["a", "b", "c", "d", "e"] {
        let text = if name == "b" {
            "A short one."
        } else {
            long.as_str()
        };
        files.push((
            format!("src/{name}.md"),
            format!("# Chapter {}\n\n{text}\n", name.to_uppercase()),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = small_book(&refs);
    let (book, settings, _) = quire::read_manuscript(dir.path()).expect("reads");
    let levels: Vec<u8> = book.chapters.iter().map(|c| c.level).collect();
    assert_eq!(levels, [1, 2, 3, 3, 2]);
    let doc = quire::typeset::typeset(&book, &settings).expect("typesets");
    let start = |id: &str| {
        doc.layout
            .pages
            .iter()
            .position(|p| p.chapter_starts.iter().any(|c| c == id))
            .unwrap_or_else(|| panic!("{id} starts nowhere"))
    };
    let ids: Vec<&str> = book.chapters.iter().map(|c| c.id.as_str()).collect();
    // Levels 1 and 2 open on rectos (even indexes); level 3 follows on the next page.
    for (id, level) in ids.iter().zip(&levels) {
        let at = start(id);
        if *level <= 2 {
            assert_eq!(at % 2, 0, "{id} (level {level}) on a verso");
        }
        let previous = &doc.layout.pages[at - 1];
        if *level == 3 {
            assert!(!previous.lines.is_empty(), "a blank page before {id}");
        }
    }
    assert!(
        ids.iter()
            .zip(&levels)
            .any(|(id, l)| *l == 3 && start(id) % 2 == 1),
        "no level-3 chapter on a verso"
    );
}

/// The words a reader of the authors' own mdBook build sees (`mdbook build`, its
/// `print.html` read by `tests/fixtures/tools/mdbook_reference.py`; see each FIXTURE.md)
/// come back from both outputs, at least 99% of them, in order.
fn assert_words_back(name: &str, b: &Built) {
    let reference = words::reference_words(&fixture(&format!("{name}.reference.txt")));
    assert!(reference.len() > 10_000, "{}", reference.len());
    let pdf = b.pages.as_ref().map(|p| p.join("\u{c}"));
    let docs = words::spine_docs(&b.files, false);
    let title = words::epub_title(&b.files);
    words::assert_words_back(name, &reference, docs, pdf.as_deref(), &title, 0.99);
}

#[test]
fn async_book_words_of_the_authors_build_come_back() {
    assert_words_back("async-book", async_book());
}

#[test]
fn guide_words_of_the_authors_build_come_back() {
    assert_words_back("mdbook-guide", guide());
}
