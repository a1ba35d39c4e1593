//! The metadata stores and readers read, and the book's fixed words in its language: pandoc's
//! YAML (roles, ISBN, series, Markdown rights), a pandoc defaults file, book.toml's own keys
//! and `[strings]`. Every value is read back from what `quire build` wrote: the OPF parsed
//! from the zip, the navigation and copyright documents, the PDF through pdftotext and
//! pdfinfo (and calibre's `ebook-meta` where it is installed).

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const OPF_NS: &str = "http://www.idpf.org/2007/opf";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

struct Built {
    _out: tempfile::TempDir,
    epub: PathBuf,
    pdf: PathBuf,
    stderr: String,
}

/// `quire build` of `manuscript`; `epoch`: SOURCE_DATE_EPOCH (None: unset).
fn build(manuscript: &Path, stem: &str, epoch: Option<&str>) -> Built {
    let out = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command
        .arg("build")
        .arg(manuscript)
        .arg("--out")
        .arg(out.path());
    match epoch {
        Some(e) => command.env("SOURCE_DATE_EPOCH", e),
        None => command.env_remove("SOURCE_DATE_EPOCH"),
    };
    let result = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr).to_string();
    assert!(
        result.status.success(),
        "build failed: {}{stderr}",
        String::from_utf8_lossy(&result.stdout)
    );
    Built {
        epub: out.path().join(format!("{stem}.epub")),
        pdf: out.path().join(format!("{stem}.pdf")),
        _out: out,
        stderr,
    }
}

fn entry(epub: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// An XHTML or XML document (XHTML has a doctype).
fn xml(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).expect("well-formed XML")
}

/// The OPF's `<metadata>` as (element name, attributes, text), in order.
struct Opf {
    text: String,
}

impl Opf {
    fn read(epub: &Path) -> Opf {
        Opf {
            text: entry(epub, "OEBPS/content.opf"),
        }
    }

    fn doc(&self) -> roxmltree::Document<'_> {
        xml(&self.text)
    }

    /// Texts of `dc:<name>` elements.
    fn dc(&self, name: &str) -> Vec<String> {
        self.doc()
            .descendants()
            .filter(|n| n.has_tag_name((DC_NS, name)))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    }

    /// The id of the `dc:<name>` whose text is `text`.
    fn id_of(&self, name: &str, text: &str) -> String {
        self.doc()
            .descendants()
            .find(|n| n.has_tag_name((DC_NS, name)) && n.text() == Some(text))
            .and_then(|n| n.attribute("id"))
            .unwrap_or_else(|| panic!("no dc:{name} {text}"))
            .to_string()
    }

    /// Texts of `<meta property=...>` (refining `refines`, when given).
    fn meta(&self, property: &str, refines: Option<&str>) -> Vec<String> {
        self.doc()
            .descendants()
            .filter(|n| n.has_tag_name((OPF_NS, "meta")))
            .filter(|n| n.attribute("property") == Some(property))
            .filter(|n| refines.is_none_or(|r| n.attribute("refines") == Some(r)))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    }

    /// `content` of an EPUB 2 `<meta name=...>`.
    fn named(&self, name: &str) -> Option<String> {
        self.doc()
            .descendants()
            .find(|n| n.has_tag_name((OPF_NS, "meta")) && n.attribute("name") == Some(name))
            .and_then(|n| n.attribute("content"))
            .map(str::to_string)
    }
}

fn pdf_text(pdf: &Path, last_page: u32) -> Option<String> {
    let out = pdftools::pdftotext(pdf, &["-l", &last_page.to_string()])?;
    assert!(out.success, "{}", out.stderr);
    Some(out.stdout)
}

fn assert_epubcheck_clean(epub: &Path) {
    if let Some(report) = epubcheck::epubcheck(epub) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

/// A German pandoc book: metadata.yaml with roles, ISBN, series, subjects and Markdown
/// rights; a chapter with front matter of its own.
fn german_pandoc_book(dir: &Path) {
    write(
        dir,
        &[
            (
                "metadata.yaml",
                "---\n\
                 title: Die Reise\n\
                 subtitle: Ein Bericht\n\
                 creator:\n\
                 \x20 - role: author\n\
                 \x20   text: Christoph Ott\n\
                 \x20   file-as: Ott, Christoph\n\
                 \x20 - role: trl\n\
                 \x20   text: Ursula Übersetzer\n\
                 \x20 - role: edt\n\
                 \x20   text: Erika Herausgeber\n\
                 identifier:\n\
                 \x20 - scheme: ISBN-13\n\
                 \x20   text: 978-3-16-148410-0\n\
                 \x20 - scheme: DOI\n\
                 \x20   text: 10.1000/182\n\
                 lang: de-AT\n\
                 date: 1851\n\
                 publisher: Christian Kaiser\n\
                 subject: [Zugspitze, Gipfelkreuz]\n\
                 belongs-to-collection: Alpine Berichte\n\
                 group-position: 3\n\
                 rights: \"Gemeinfrei<br/>Digitalisat: [Projekt X](https://example.org/x)\"\n\
                 description: Ein *kurzer* Bericht.\n\
                 ...\n",
            ),
            (
                "01-reise.md",
                "---\ntitle: Ein anderer Titel\n---\n# Die Reise\n\nWir stiegen auf den Berg.[^1]\n\n[^1]: Eine Anmerkung.\n",
            ),
            ("02-gipfel.md", "# Der Gipfel\n\nOben war es kalt.\n"),
        ],
    );
}

#[test]
fn pandoc_metadata_reaches_the_opf_as_stores_read_it() {
    let dir = tempfile::tempdir().unwrap();
    german_pandoc_book(dir.path());
    let built = build(dir.path(), "ein-anderer-titel", Some("1780000000"));
    let opf = Opf::read(&built.epub);

    // The metadata file wins over the chapter's own front matter for the title? No: pandoc
    // reads the document's front matter first, and the first value wins.
    assert_eq!(opf.dc("title")[0], "Ein anderer Titel");
    assert!(opf
        .dc("identifier")
        .contains(&"urn:isbn:9783161484100".to_string()));
    let doi = opf.id_of("identifier", "10.1000/182");
    assert_eq!(
        opf.meta("identifier-type", Some(&format!("#{doi}"))),
        ["DOI"]
    );

    // Only the author is a creator; the translator and editor are contributors, each with
    // the MARC role, the author with the sort name.
    assert_eq!(opf.dc("creator"), ["Christoph Ott"]);
    let author = opf.id_of("creator", "Christoph Ott");
    assert_eq!(opf.meta("role", Some(&format!("#{author}"))), ["aut"]);
    assert_eq!(
        opf.meta("file-as", Some(&format!("#{author}"))),
        ["Ott, Christoph"]
    );
    assert_eq!(
        opf.dc("contributor"),
        ["Ursula Übersetzer", "Erika Herausgeber"]
    );
    let translator = opf.id_of("contributor", "Ursula Übersetzer");
    assert_eq!(opf.meta("role", Some(&format!("#{translator}"))), ["trl"]);

    // Series, EPUB 3 and calibre's EPUB 2 form.
    assert_eq!(opf.meta("belongs-to-collection", None), ["Alpine Berichte"]);
    assert_eq!(opf.meta("collection-type", Some("#series")), ["series"]);
    assert_eq!(opf.meta("group-position", Some("#series")), ["3"]);
    assert_eq!(
        opf.named("calibre:series").as_deref(),
        Some("Alpine Berichte")
    );
    assert_eq!(opf.named("calibre:series_index").as_deref(), Some("3"));

    assert_eq!(opf.dc("subject"), ["Zugspitze", "Gipfelkreuz"]);
    assert_eq!(opf.dc("date"), ["1851"]);
    assert_eq!(opf.dc("publisher"), ["Christian Kaiser"]);
    // Markdown rendered, stored as text.
    assert_eq!(opf.dc("description"), ["Ein kurzer Bericht."]);
    assert_eq!(opf.dc("rights"), ["Gemeinfrei Digitalisat: Projekt X"]);
    // dcterms:modified from SOURCE_DATE_EPOCH, never from the 1851 date.
    assert_eq!(opf.meta("dcterms:modified", None), ["2026-05-28T20:26:40Z"]);

    let summary = opf.meta("schema:accessibilitySummary", None);
    assert_eq!(summary.len(), 1);
    assert!(
        // Its one image is the cover quire drew, described by the title.
        summary[0].starts_with("This publication is text with 1 image, which has a text description. It has a table of contents of 2 chapters and 1 footnote linked to and from the text."),
        "{summary:?}"
    );
    assert_epubcheck_clean(&built.epub);

    // The copyright page: the rights' line break and link are real, the words German.
    let copyright = entry(&built.epub, "OEBPS/copyright.xhtml");
    let doc = xml(&copyright);
    let rights = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("rights"))
        .expect("rights line");
    assert!(rights.children().any(|n| n.has_tag_name("br")));
    let link = rights
        .descendants()
        .find(|n| n.has_tag_name("a"))
        .expect("link");
    assert_eq!(link.attribute("href"), Some("https://example.org/x"));
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap())
        .collect::<Vec<_>>()
        .join("|");
    for words in [
        "Übersetzt von Ursula Übersetzer",
        "Herausgegeben von Erika Herausgeber",
        "Erstausgabe 1851",
        "Erschienen bei Christian Kaiser",
        "ISBN 9783161484100",
        "Erstellt mit quire",
    ] {
        assert!(text.contains(words), "{words} in {text}");
    }
    assert!(!copyright.contains("urn:"), "{copyright}");

    // The PDF says the same, in German, and dates itself from the build.
    if let Some(text) = pdf_text(&built.pdf, 6) {
        for words in [
            "Inhalt",
            "Erstausgabe 1851",
            "ISBN 9783161484100",
            "Gemeinfrei",
            "Digitalisat: Projekt X",
        ] {
            assert!(text.contains(words), "{words} in the PDF:\n{text}");
        }
        assert!(!text.contains("urn:") && !text.contains("<br"), "{text}");
        assert!(!text.contains("Contents") && !text.contains("Author unknown"));
    }
    if let Some(info) = pdftools::pdfinfo(&built.pdf) {
        let created = pdftools::info_field(&info.stdout, "CreationDate").unwrap_or("");
        assert!(created.contains("2026"), "{created}");
        assert!(!created.contains("1851"), "{created}");
    }
}

#[test]
fn the_german_book_has_german_words_in_nav_and_landmarks() {
    let dir = tempfile::tempdir().unwrap();
    german_pandoc_book(dir.path());
    let built = build(dir.path(), "ein-anderer-titel", Some("1780000000"));
    let nav = entry(&built.epub, "OEBPS/nav.xhtml");
    let doc = xml(&nav);
    let heading = doc
        .descendants()
        .find(|n| n.has_tag_name("h1") || n.has_tag_name("h2"))
        .and_then(|n| n.text())
        .unwrap_or("");
    assert_eq!(heading, "Inhalt");
    let landmarks = doc
        .descendants()
        .find(|n| n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("landmarks"))
        .expect("landmarks");
    assert_eq!(
        landmarks.attribute("aria-label"),
        Some("Orientierungspunkte")
    );
    let labels: Vec<&str> = landmarks
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|n| n.text())
        .collect();
    assert!(labels.contains(&"Titelseite"), "{labels:?}");
    assert!(labels.contains(&"Impressum"), "{labels:?}");
    let opf = Opf::read(&built.epub);
    let guide: Vec<String> = opf
        .doc()
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "reference")))
        .filter_map(|n| n.attribute("title").map(str::to_string))
        .collect();
    assert!(guide.contains(&"Inhalt".to_string()), "{guide:?}");
}

#[test]
fn a_french_book_with_book_toml_keys_and_a_string_replaced() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "book.toml",
                "[book]\n\
                 title = \"Le Voyage\"\n\
                 authors = [\"Jeanne Autrice\", \"Paul Auteur\"]\n\
                 language = \"fr-CA\"\n\
                 isbn = \"978-0-14-143951-8\"\n\
                 series = \"Voyages\"\n\
                 series-index = 2\n\
                 subjects = [\"Roman\", \"Voyage\"]\n\
                 \n\
                 [[book.contributor]]\n\
                 name = \"Ilse Illustratrice\"\n\
                 role = \"ill\"\n\
                 file-as = \"Illustratrice, Ilse\"\n\
                 \n\
                 [metadata]\n\
                 date = \"2024-03-01\"\n\
                 publisher = \"Éditions P\"\n\
                 \n\
                 [strings]\n\
                 notes = \"Notes de l’éditeur\"\n",
            ),
            ("un.md", "# Premier\n\nIl partit.[^n]\n\n[^n]: Une note.\n"),
            ("deux.md", "# Second\n\nIl revint.\n"),
        ],
    );
    let built = build(dir.path(), "le-voyage", Some("1780000000"));
    let opf = Opf::read(&built.epub);
    assert!(opf
        .dc("identifier")
        .contains(&"urn:isbn:9780141439518".to_string()));
    assert_eq!(opf.dc("creator"), ["Jeanne Autrice", "Paul Auteur"]);
    assert_eq!(opf.dc("contributor"), ["Ilse Illustratrice"]);
    let ill = opf.id_of("contributor", "Ilse Illustratrice");
    assert_eq!(opf.meta("role", Some(&format!("#{ill}"))), ["ill"]);
    assert_eq!(
        opf.meta("file-as", Some(&format!("#{ill}"))),
        ["Illustratrice, Ilse"]
    );
    assert_eq!(opf.meta("group-position", Some("#series")), ["2"]);
    assert_eq!(opf.dc("subject"), ["Roman", "Voyage"]);
    assert_epubcheck_clean(&built.epub);

    let nav = entry(&built.epub, "OEBPS/nav.xhtml");
    assert!(nav.contains("Table des matières"), "{nav}");
    let title = entry(&built.epub, "OEBPS/titlepage.xhtml");
    assert!(title.contains("Jeanne Autrice et Paul Auteur"), "{title}");
    let copyright = entry(&built.epub, "OEBPS/copyright.xhtml");
    for words in [
        "Illustré par Ilse Illustratrice",
        "Première publication en 2024",
        "Publié par Éditions P",
        "© 2026 Jeanne Autrice et Paul Auteur",
        "ISBN 9780141439518",
        "Réalisé avec quire",
    ] {
        assert!(copyright.contains(words), "{words}: {copyright}");
    }
    if let Some(text) = pdf_text(&built.pdf, 6) {
        assert!(text.contains("Table des matières"), "{text}");
        assert!(text.contains("Jeanne Autrice et Paul Auteur"), "{text}");
        assert!(text.contains("Première publication en 2024"), "{text}");
    }
}

/// `quire check` of a one-chapter book whose configuration file `name` holds `text`.
fn check_config(name: &str, text: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[(name, text), ("a.md", "# A\n\nText.\n")]);
    check(dir.path())
}

/// `quire check` of `dir`: (success, stderr + stdout).
fn check(dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("check")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        ),
    )
}

#[test]
fn a_wrong_isbn_is_an_error_at_its_line() {
    let (ok, out) = check_config(
        "metadata.yaml",
        "title: T\nidentifier:\n  - scheme: ISBN\n    text: 978-3-16-148410-1\n",
    );
    assert!(!ok, "{out}");
    assert!(out.contains("metadata.yaml:4:"), "{out}");
    assert!(
        out.contains("check digit") && out.contains("must end in 0"),
        "{out}"
    );

    let (ok, out) = check_config(
        "book.toml",
        "[book]\ntitle = \"T\"\n\nisbn = \"0-14-143951-4\"\n",
    );
    assert!(!ok, "{out}");
    assert!(out.contains("book.toml:4:"), "{out}");
}

#[test]
fn unknown_yaml_keys_are_warned_about_at_their_line() {
    let (ok, out) = check_config(
        "metadata.yaml",
        "title: T\nlang: en\nidentifier: urn:x:1\nsubjct: Travel\n",
    );
    assert!(ok, "{out}");
    assert!(out.contains("metadata.yaml:4:1"), "{out}");
    assert!(out.contains("did you mean `subject`?"), "{out}");
}

#[test]
fn a_pandoc_defaults_file_orders_the_chapters_and_finds_the_images() {
    let dir = tempfile::tempdir().unwrap();
    // A 1x1 PNG.
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    std::fs::create_dir_all(dir.path().join("images")).unwrap();
    std::fs::write(dir.path().join("images/dot.png"), png).unwrap();
    write(
        dir.path(),
        &[
            (
                "defaults.yaml",
                "from: markdown\nto: epub\ninput-files:\n  - z-first.md\n  - a-second.md\nmetadata-files: [meta.yml]\nresource-path: [\"${.}/images\"]\ntoc-depth: 1\nmetadata:\n  lang: nl\n",
            ),
            ("meta.yml", "title: Het Boek\nauthor: Anna\nidentifier: urn:x:boek\n"),
            ("z-first.md", "# Eerste\n\n![Een punt](dot.png)\n"),
            ("a-second.md", "# Tweede\n\nTekst.\n"),
        ],
    );
    let book = quire::read_manuscript(dir.path()).unwrap().0;
    let titles: Vec<String> = book.chapters.iter().map(|c| c.label()).collect();
    assert_eq!(titles, ["Eerste", "Tweede"]);
    assert_eq!(book.metadata.language, "nl");
    assert_eq!(book.metadata.title, "Het Boek");
    assert_eq!(book.resources.len(), 1);
    let built = build(dir.path(), "het-boek", Some("1780000000"));
    // `from:` and `to:` are pandoc options quire has no use for: said, not silent.
    assert!(built.stderr.contains("`from`"), "{}", built.stderr);
    let nav = entry(&built.epub, "OEBPS/nav.xhtml");
    assert!(nav.contains("Inhoud"), "{nav}");
    assert_epubcheck_clean(&built.epub);
}

#[test]
fn pdf_dates_come_from_the_build_never_from_the_books_date() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "metadata.yaml",
                "title: Old\nauthor: A\ndate: \"1813\"\nlang: en\nidentifier: urn:x:old\n",
            ),
            ("a.md", "# A\n\nText.\n"),
        ],
    );
    let built = build(dir.path(), "old", None);
    let Some(info) = pdftools::pdfinfo(&built.pdf) else {
        return;
    };
    for field in ["CreationDate", "ModDate"] {
        let date = pdftools::info_field(&info.stdout, field).unwrap_or("");
        assert!(!date.contains("1813"), "{field}: {date}");
        // The files were written moments ago: the date is this century's.
        assert!(date.contains(" 20"), "{field}: {date}");
    }
    let opf = Opf::read(&built.epub);
    assert!(!opf.meta("dcterms:modified", None)[0].starts_with("1813"));
}

/// calibre reads the metadata as a reader's library shows it (skipped where calibre is not
/// installed, required on CI).
#[test]
fn calibre_reads_the_series_isbn_and_authors() {
    let dir = tempfile::tempdir().unwrap();
    german_pandoc_book(dir.path());
    let built = build(dir.path(), "ein-anderer-titel", Some("1780000000"));
    let Some(out) = pdftools::run_tool("ebook-meta", &[built.epub.as_os_str()]) else {
        return;
    };
    assert!(out.success, "{}", out.stderr);
    let field = |name: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    // calibre shows the subtitle after the title.
    assert_eq!(field("Title"), "Ein anderer Titel: Ein Bericht");
    assert!(
        field("Author(s)").starts_with("Christoph Ott [Ott, Christoph]"),
        "{}",
        out.stdout
    );
    assert_eq!(field("Series"), "Alpine Berichte #3");
    assert!(
        field("Identifiers").contains("isbn:9783161484100"),
        "{}",
        out.stdout
    );
    assert_eq!(field("Languages"), "deu");
    assert_eq!(field("Tags"), "Zugspitze, Gipfelkreuz");
}

#[test]
fn each_edition_carries_its_own_isbn() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "book.toml",
                "[book]\ntitle = \"Two Editions\"\nauthors = [\"A. Writer\"]\n\n\
                 [metadata]\nidentifier = \"https://doi.org/10.1234/two\"\n\n\
                 [edition]\nprint-isbn = \"978-3-16-148410-0\"\nebook-isbn = \"978-0-14-143951-8\"\n",
            ),
            ("a.md", "# A\n\nText.\n"),
        ],
    );
    let built = build(dir.path(), "two-editions", Some("1780000000"));
    let opf = Opf::read(&built.epub);
    let ids = opf.dc("identifier");
    // The ebook carries its own ISBN and the book's DOI, never the paperback's ISBN.
    assert!(
        ids.contains(&"urn:isbn:9780141439518".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"https://doi.org/10.1234/two".to_string()),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|i| i.contains("9783161484100")), "{ids:?}");
    assert_epubcheck_clean(&built.epub);
    // Both copyright pages list both editions' numbers, each with what it is for.
    let copyright = entry(&built.epub, "OEBPS/copyright.xhtml");
    let doc = xml(&copyright);
    let lines: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("isbn"))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect();
    assert_eq!(
        lines,
        ["ISBN 9783161484100 (print)", "ISBN 9780141439518 (ebook)"],
        "{copyright}"
    );
    if let Some(text) = pdf_text(&built.pdf, 6) {
        assert!(text.contains("ISBN 9783161484100 (print)"), "{text}");
        assert!(text.contains("ISBN 9780141439518 (ebook)"), "{text}");
    }
    if let Some(out) = pdftools::run_tool("ebook-meta", &[built.epub.as_os_str()]) {
        assert!(out.success, "{}", out.stderr);
        let ids = out
            .stdout
            .lines()
            .find(|l| l.starts_with("Identifiers"))
            .unwrap_or_default()
            .to_string();
        assert!(ids.contains("isbn:9780141439518"), "{}", out.stdout);
        assert!(!ids.contains("9783161484100"), "{}", out.stdout);
    }
}

#[test]
fn one_isbn_for_both_editions_is_an_error_at_its_line() {
    let (ok, out) = check_config("book.toml", "[book]\ntitle = \"T\"\n\n[edition]\nprint-isbn = \"978-3-16-148410-0\"\nebook-isbn = \"9783161484100\"\n");
    assert!(!ok, "{out}");
    assert!(out.contains("book.toml:6:"), "{out}");
    assert!(
        out.contains("each edition needs an ISBN of its own"),
        "{out}"
    );

    let (ok, out) = check_config(
        "book.toml",
        "[book]\ntitle = \"T\"\n\n[edition]\nprint-isbn = \"978-3-16-148410-1\"\n",
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains("book.toml:5:") && out.contains("check digit"),
        "{out}"
    );
}
