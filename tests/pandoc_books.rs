//! pandoc books as their authors keep them: Christoph Ott's *Die Zugspitz-Expedition* (1851,
//! public domain; tests/fixtures/zugspitz-de) and Carsten Gips' lecture notes *Programmieren
//! 2* (CC BY-SA 4.0; tests/fixtures/prog2-lecture-de); see each SOURCE.txt. Each is built
//! once (`quire::build::build`, EPUB and PDF) and both files are read back: no pandoc syntax
//! is printed outside code (`:::`, `{#`, `{.`, `^[`, `]{`), the notes and figures are those
//! of the source, the divs keep their classes, EPUBCheck 0/0.
//!
//! The chapter order and image folder are what each author gives pandoc on the command line
//! (a Makefile, a crawler script), which quire cannot run: the test's copy of each book says
//! them in its metadata (`manuscript: chapters` and `image-path`), and changes nothing else.

#[path = "common/epubcheck.rs"]
mod epubcheck;
mod md_common;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use md_common::{parse, XHTML};
use quire::build::{build, BuildOptions, Format};

struct Built {
    _dir: tempfile::TempDir,
    root: PathBuf,
    epub: PathBuf,
    pdf: PathBuf,
    warnings: Vec<String>,
    /// The unpacked EPUB's XHTML, OPF and CSS: entry name -> text.
    files: BTreeMap<String, String>,
    /// pdftotext of the whole PDF (`None` without poppler).
    pdf_text: Option<String>,
    /// How many images the PDF draws (`None` without poppler).
    pdf_images: Option<usize>,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

/// A copy of fixture `name` whose metadata file `meta` gets `extra` (YAML) added.
fn prepared(name: &str, meta: &str, base: &str, extra: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join(name);
    copy_dir(&fixture(name), &root);
    let yaml = std::fs::read_to_string(root.join(base)).unwrap();
    // Without its closing `...`/`---` line: the keys go on after it.
    let body: Vec<&str> = yaml
        .lines()
        .filter(|l| !matches!(l.trim(), "..." | "---"))
        .collect();
    std::fs::write(root.join(meta), format!("{}\n{extra}", body.join("\n"))).unwrap();
    (dir, root)
}

fn build_book(dir: tempfile::TempDir, root: PathBuf) -> Built {
    let out = dir.path().join("out");
    let report = build(&BuildOptions {
        manuscript: root.clone(),
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
    let pdf_text = pdftools::pdftotext(&pdf, &[]).map(|out| {
        assert!(out.success, "{}", out.stderr);
        out.stdout
    });
    let pdf_images = pdftools::run_tool(
        "pdfimages",
        &[std::ffi::OsStr::new("-list"), pdf.as_os_str()],
    )
    .map(|out| {
        out.stdout
            .lines()
            .skip(2)
            .filter(|l| l.contains(" image "))
            .count()
    });
    Built {
        _dir: dir,
        root,
        epub,
        pdf,
        warnings: report
            .warnings
            .iter()
            .map(|w| format!("{} {w}", w.code))
            .collect(),
        files,
        pdf_text,
        pdf_images,
    }
}

const ZUGSPITZ_ORDER: &str = "manuscript:
  chapters: [chapters/preface/preface_epub.md, chapters/01_Expedition.md]
  image-path: [images]
";

fn zugspitz() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (dir, root) = prepared(
            "zugspitz-de",
            "metadata.yml",
            "metadata.yml",
            ZUGSPITZ_ORDER,
        );
        build_book(dir, root)
    })
}

/// The reading order of SOURCE.txt (the author's crawl, without the part not copied).
const PROG2_ORDER: &str =
    "readme.md lecture/readme.md lecture/git/readme.md lecture/git/git1-basics.md
lecture/git/git2-branches.md lecture/git/git4-worktree.md lecture/git/git3-workflows.md
lecture/junit/readme.md lecture/junit/junit1-basics.md lecture/junit/junit2-testcases.md
lecture/junit/junit3-mockito.md lecture/junit/junit4-property.md lecture/java-modern/readme.md
lecture/java-modern/lambdas.md lecture/java-modern/methodreferences.md
lecture/java-modern/defaultmethods.md lecture/java-modern/records.md
lecture/java-modern/patternmatching.md lecture/java-modern/stream-api.md
lecture/java-modern/optional.md lecture/pattern/readme.md lecture/pattern/observer.md
lecture/pattern/template-method.md lecture/pattern/visitor.md lecture/pattern/dependency.md
lecture/pattern/command.md lecture/gui/readme.md lecture/gui/swing4-events.md
lecture/gui/swing1-basics.md lecture/gui/swing2-widgets.md lecture/gui/swing3-layouts.md
lecture/gui/swing6-java2d.md lecture/java-classic/readme.md lecture/java-classic/regexp.md
lecture/java-classic/generics1-classes-methods.md
lecture/java-classic/generics2-bounds-wildcards.md
lecture/java-classic/generics3-polymorphism.md lecture/java-classic/exceptions.md
lecture/quality/readme.md lecture/quality/smells.md lecture/quality/codingrules.md
lecture/quality/refactoring.md lecture/quality/javadoc.md homework/readme.md homework/b01.md
homework/b02.md homework/b03.md homework/b04.md homework/b05.md homework/b06.md
homework/b07.md homework/b08.md admin/readme.md admin/exams.md";

fn prog2_files() -> Vec<&'static str> {
    PROG2_ORDER.split_whitespace().collect()
}

fn prog2() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let list: Vec<String> = prog2_files().iter().map(|f| format!("\"{f}\"")).collect();
        let extra = format!(
            "title: \"Programmieren 2\"\nmanuscript:\n  chapters: [{}]\n",
            list.join(", ")
        );
        let (dir, root) = prepared("prog2-lecture-de", "metadata.yaml", "pm.yaml", &extra);
        build_book(dir, root)
    })
}

/// Each chapter document's text outside code, and inside it, over the whole book.
fn epub_texts(b: &Built) -> (String, String) {
    let mut prose = String::new();
    let mut code = String::new();
    for (k, v) in &b.files {
        if !(k.starts_with("OEBPS/text/") && k.ends_with(".xhtml")) {
            continue;
        }
        let doc = parse(v);
        for n in doc.descendants().filter(|n| n.is_text()) {
            let t = n.text().unwrap_or("");
            let in_code = n
                .ancestors()
                .any(|a| a.has_tag_name((XHTML, "code")) || a.has_tag_name((XHTML, "pre")));
            if in_code {
                code.push_str(t);
                code.push('\n');
            } else {
                prose.push_str(t);
                prose.push('\n');
            }
        }
    }
    (prose, code)
}

const PANDOC_SYNTAX: &[&str] = &[":::", "{#", "{.", "^[", "]{"];

/// No pandoc syntax in the EPUB's text outside code, nor in the PDF's more often than the
/// code holds it.
fn assert_no_pandoc_syntax(b: &Built) {
    let (prose, code) = epub_texts(b);
    for token in PANDOC_SYNTAX {
        let found: Vec<&str> = prose.lines().filter(|l| l.contains(token)).collect();
        assert!(found.is_empty(), "EPUB prints `{token}`: {found:#?}");
        if let Some(pdf) = &b.pdf_text {
            // pdftotext does not say what is code: count what reads as pandoc syntax (`{.`
            // and `{#` before a letter: code's `{...}` is not) against what the code holds.
            let count = |text: &str| {
                text.match_indices(token)
                    .filter(|(i, _)| {
                        !token.starts_with('{')
                            || text[i + token.len()..]
                                .chars()
                                .next()
                                .is_some_and(|c| c.is_ascii_alphabetic())
                    })
                    .count()
            };
            let in_pdf = count(pdf);
            let in_code = count(&code);
            assert!(
                in_pdf <= in_code,
                "the PDF prints `{token}` {in_pdf} times, its code only {in_code} times: {:#?}",
                pdf.lines()
                    .filter(|l| l.contains(token))
                    .take(8)
                    .collect::<Vec<_>>()
            );
        }
    }
}

fn assert_epubcheck_clean(b: &Built) {
    if let Some(report) = epubcheck::epubcheck(&b.epub) {
        assert!(report.is_clean(), "{}: {report:#?}", b.root.display());
    }
    if let Some(out) = pdftools::qpdf_check(&b.pdf) {
        assert!(out.success, "qpdf --check: {}", out.stdout);
    }
}

/// The footnote labels a chapter file defines and references (`[^label]`).
fn note_labels(text: &str) -> (Vec<String>, Vec<String>) {
    let mut defined = Vec::new();
    let mut referenced = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("[^") {
            if let Some((label, _)) = rest.split_once("]:") {
                defined.push(label.to_string());
                continue;
            }
        }
        let mut rest = line;
        while let Some(i) = rest.find("[^") {
            rest = &rest[i + 2..];
            if let Some(end) = rest.find(']') {
                referenced.push(rest[..end].to_string());
            }
        }
    }
    (defined, referenced)
}

/// The notes of the EPUB (the footnotes' list items).
fn epub_notes(b: &Built) -> usize {
    b.files
        .iter()
        .filter(|(k, _)| k.starts_with("OEBPS/text/"))
        .map(|(_, v)| {
            let doc = parse(v);
            doc.descendants()
                .filter(|n| {
                    n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("footnote")
                })
                .count()
        })
        .sum()
}

fn figures(b: &Built) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (k, v) in &b.files {
        if !k.starts_with("OEBPS/text/") {
            continue;
        }
        let doc = parse(v);
        for f in doc
            .descendants()
            .filter(|n| n.has_tag_name((XHTML, "figure")))
        {
            let img = f
                .descendants()
                .find(|n| n.has_tag_name((XHTML, "img")))
                .and_then(|i| i.attribute("src"))
                .unwrap_or("")
                .to_string();
            let caption = f
                .descendants()
                .find(|n| n.has_tag_name((XHTML, "figcaption")))
                .map(|c| c.descendants().filter_map(|d| d.text()).collect::<String>());
            out.push((img, caption));
        }
    }
    out
}

#[test]
fn zugspitz_prints_no_pandoc_syntax_and_is_valid() {
    let b = zugspitz();
    assert_no_pandoc_syntax(b);
    assert_epubcheck_clean(b);
    // Nothing the reader left unread.
    let unread: Vec<&String> = b
        .warnings
        .iter()
        .filter(|w| w.contains("pandoc-syntax") || w.contains("bad-image"))
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
}

#[test]
fn zugspitz_keeps_notes_figures_verse_and_classes() {
    let b = zugspitz();
    let text = std::fs::read_to_string(b.root.join("chapters/01_Expedition.md")).unwrap();
    let (defined, referenced) = note_labels(&text);
    let used: std::collections::BTreeSet<&String> =
        referenced.iter().filter(|r| defined.contains(r)).collect();
    assert!(used.len() > 20, "{}", used.len());
    assert_eq!(
        epub_notes(b),
        used.len(),
        "one EPUB note per note referenced"
    );

    // Figures: each `![..](..)` alone in its div is a figure, its caption the alt text.
    // (The images with empty alt text are figures without a caption, as in pandoc.)
    let written = text.matches("![Skizze").count();
    let figs = figures(b);
    let in_chapter: Vec<_> = figs
        .iter()
        .filter(|(_, c)| c.as_deref().is_some_and(|c| c.starts_with("Skizze")))
        .collect();
    assert_eq!(in_chapter.len(), written, "{figs:#?}");
    if let Some(n) = b.pdf_images {
        // The chapter's figures and the title page's logo.
        assert!(n > written, "the PDF draws {n} images");
    }
    let pdf = b.pdf_text.as_deref().unwrap_or("Skizze Nro. 2.");
    assert!(pdf.contains("Skizze Nro. 2."), "the caption is printed");

    // Verse: the poem's lines stay lines, with the line-block class, in both outputs.
    let (prose, _) = epub_texts(b);
    assert!(prose.contains("Nur schüchtern wag ich Sänger euch,"));
    let chapter = b
        .files
        .iter()
        .find(|(k, v)| k.starts_with("OEBPS/text/") && v.contains("Nur schüchtern"))
        .map(|(_, v)| parse(v))
        .expect("the poem");
    let block = chapter
        .descendants()
        .find(|n| {
            n.has_tag_name((XHTML, "div"))
                && n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == "line-block"))
                && n.descendants()
                    .any(|d| d.text().is_some_and(|t| t.contains("Nur schüchtern")))
        })
        .expect("a line block");
    let breaks = block
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "br")))
        .count();
    assert!(breaks >= 40, "{breaks} line breaks in the poem");
    if let Some(pdf) = &b.pdf_text {
        assert!(
            pdf.lines()
                .any(|l| l.trim() == "Nur schüchtern wag ich Sänger euch,"),
            "the verse line is a line of its own in the PDF"
        );
    }
    // Divs keep their classes.
    assert!(b.files.values().any(|v| v.contains("class=\"justified\"")));
    assert!(b
        .files
        .values()
        .any(|v| v.contains("class=\"wrap-100 break-before caption align-center\"")));
}

#[test]
fn prog2_prints_no_pandoc_syntax_and_is_valid() {
    let b = prog2();
    assert_no_pandoc_syntax(b);
    // The notes link twice to `hhttps://www.eclipse.org/downloads/` (the author's typo, which
    // pandoc writes as it is too): EPUBCheck's HTM-025 warning about that scheme, and
    // nothing else, is allowed.
    if let Some(report) = epubcheck::epubcheck(&b.epub) {
        let other: Vec<&String> = report
            .messages
            .iter()
            .filter(|m| !m.contains("HTM-025"))
            .collect();
        assert!(
            report.errors == 0 && report.fatals == 0 && other.is_empty(),
            "{report:#?}"
        );
        assert!(report.warnings <= 2, "{report:#?}");
    }
    if let Some(out) = pdftools::qpdf_check(&b.pdf) {
        assert!(out.success, "qpdf --check: {}", out.stdout);
    }
    let unread: Vec<&String> = b
        .warnings
        .iter()
        .filter(|w| w.contains("pandoc-syntax"))
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
}

#[test]
fn prog2_keeps_divs_figures_and_notes() {
    let b = prog2();
    let mut local_images = 0;
    let mut notes = 0;
    for f in prog2_files() {
        let text = std::fs::read_to_string(b.root.join(f)).unwrap();
        let (defined, referenced) = note_labels(&text);
        notes += referenced.iter().filter(|r| defined.contains(r)).count();
        for (i, _) in text.match_indices("![") {
            let rest = &text[i..];
            let src = rest.split_once("](").map(|(_, s)| s).unwrap_or("");
            if !src.starts_with("http") {
                local_images += 1;
            }
        }
    }
    let figs = figures(b);
    let epub_images: usize = b
        .files
        .iter()
        .filter(|(k, _)| k.starts_with("OEBPS/text/"))
        .map(|(_, v)| {
            parse(v)
                .descendants()
                .filter(|n| n.has_tag_name((XHTML, "img")))
                .count()
        })
        .sum();
    assert_eq!(
        epub_images,
        local_images,
        "every local image is shown ({} figures)",
        figs.len()
    );
    if let Some(n) = b.pdf_images {
        assert!(n >= local_images, "the PDF draws every local image: {n}");
    }
    assert_eq!(epub_notes(b), notes);
    // The lecture's boxes keep their classes.
    for class in ["tldr", "outcomes", "notes"] {
        let needle = format!("class=\"{class}\"");
        assert!(
            b.files.values().any(|v| v.contains(&needle)),
            "no div.{class}"
        );
    }
    // German quotes from straight ones, as pandoc's `smart` makes them.
    let (prose, _) = epub_texts(b);
    assert!(prose.contains('„') && !prose.contains('”'), "German quotes");
}
