//! Every character is drawn by some font: fallback faces for what the body face lacks
//! (Hebrew), a warning with its place for what no face has, the invisible characters (no-break
//! space, word joiner, soft hyphen, byte-order mark) set as they should be, and the author's
//! own fonts (`[fonts]` in book.toml) in both outputs, with clear errors for files that are
//! not fonts.

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "common/pdftools.rs"]
mod pdftools;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quire::fonts::FaceId;
use quire::typeset::document::{Document, Item, LineKind};

fn quire(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run quire")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A manuscript folder `m` with `book.toml` (plus `extra` lines) and `ch1.md`.
fn manuscript(root: &Path, extra: &str, chapter: &str) -> PathBuf {
    let m = root.join("m");
    fs::create_dir_all(&m).unwrap();
    fs::write(
        m.join("book.toml"),
        format!("[book]\ntitle = \"Scripts\"\nlanguage = \"en\"\nauthors = [\"A. Writer\"]\n[metadata]\nidentifier = \"urn:x:scripts\"\n{extra}"),
    )
    .unwrap();
    fs::write(m.join("ch1.md"), chapter).unwrap();
    m
}

fn typeset(m: &Path) -> Document {
    let (book, settings, _) = quire::read_manuscript(m).expect("read");
    quire::typeset::typeset(&book, &settings).expect("typeset")
}

/// Every glyph of the document, with its face.
fn glyphs(doc: &Document) -> Vec<(FaceId, &quire::typeset::document::Glyph)> {
    doc.pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(run) => Some(run),
            _ => None,
        })
        .flat_map(|run| run.glyphs.iter().map(move |g| (run.face, g)))
        .collect()
}

/// The PDF's text, line by line as printed (`-layout`: poppler would otherwise join lines and
/// undo hyphens).
fn pdf_text(pdf: &Path) -> Option<String> {
    pdftools::pdftotext(pdf, &["-layout"]).map(|o| {
        assert!(o.success, "{}", o.stderr);
        o.stdout
    })
}

const SCRIPTS: &str = "# Scripts\n\nGreek: Καλημέρα κόσμε. Cyrillic: Здравствуй мир.\n\nHebrew: שלום עולם, in italic *בראשית ברא* and in bold italic ***תורה*** and a sign ₪ (**₪5**).\n";

#[test]
fn greek_cyrillic_and_hebrew_are_drawn_and_the_fallback_is_embedded() {
    let root = tempfile::tempdir().unwrap();
    let m = manuscript(root.path(), "", SCRIPTS);

    let doc = typeset(&m);
    let all = glyphs(&doc);
    assert!(
        all.iter().all(|(_, g)| g.id != 0),
        "a glyph is .notdef: {:?}",
        all.iter().filter(|(_, g)| g.id == 0).collect::<Vec<_>>()
    );
    let fonts = &doc.fonts;
    let drawn_by = |text: &str| -> Vec<String> {
        all.iter()
            .filter(|(_, g)| g.text == text)
            .map(|(f, _)| fonts.face(*f).file_name.clone())
            .collect()
    };
    // Libertine has Hebrew letters in its regular, italic and bold, not in its bold italic,
    // and no shekel sign.
    assert_eq!(drawn_by("ש"), ["LinLibertine_R.otf", "LinLibertine_RI.otf"]);
    // Bold italic takes the family's upright bold before a fallback of another design.
    assert_eq!(
        drawn_by("ת"),
        ["LinLibertine_RI.otf", "LinLibertine_RB.otf"]
    );
    assert_eq!(
        drawn_by("₪"),
        ["NotoSerifHebrew-Regular.ttf", "NotoSerifHebrew-Bold.ttf"]
    );
    assert_eq!(drawn_by("λ"), ["LinLibertine_R.otf"]);

    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("none of the book's fonts"),
        "{}",
        stderr(&o)
    );
    let pdf = root.path().join("out/scripts.pdf");
    if let Some(out) = pdftools::pdffonts(&pdf) {
        let rows = pdftools::font_rows(&out.stdout);
        for name in [
            "NotoSerifHebrew-Regular",
            "NotoSerifHebrew-Bold",
            "LinLibertineO",
        ] {
            assert!(
                rows.iter().any(|r| r.0.contains(name) && r.2 && r.3),
                "{name} not embedded as a subset:\n{}",
                out.stdout
            );
        }
    }
    if let Some(text) = pdf_text(&pdf) {
        for word in ["Καλημέρα", "κόσμε", "Здравствуй", "мир", "₪"] {
            assert!(text.contains(word), "{word} not in\n{text}");
        }
        // Hebrew words come back whole (poppler reorders right-to-left text itself).
        for word in ["שלום", "עולם", "בראשית", "ברא", "תורה"] {
            let reversed: String = word.chars().rev().collect();
            assert!(
                text.contains(word) || text.contains(&reversed),
                "{word} not in\n{text}"
            );
        }
    }
}

#[test]
fn hebrew_words_of_a_phrase_are_ordered_right_to_left_on_the_line() {
    let root = tempfile::tempdir().unwrap();
    let m = manuscript(root.path(), "", "# H\n\nThen שלום עזרה and more.\n");
    let doc = typeset(&m);
    // The page with the Hebrew; x of the first glyph there that stands for `letter`.
    let page = doc
        .pages
        .iter()
        .find(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Text(r) if r.glyphs.iter().any(|g| g.text == "ש")))
        })
        .expect("a page with Hebrew");
    let x_of = |letter: &str| -> f32 {
        page.items
            .iter()
            .find_map(|i| match i {
                Item::Text(run) => {
                    let mut x = run.x;
                    for g in &run.glyphs {
                        if g.text == letter {
                            return Some(x);
                        }
                        x += g.advance;
                    }
                    None
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("{letter} not drawn"))
    };
    // Read right to left: the first word (shin...) stands right of the second (ayin...), and
    // each word's first letter is right of its last; both stay between "Then" and "and".
    assert!(x_of("ש") > x_of("ע"), "words not in right-to-left order");
    assert!(
        x_of("ש") > x_of("ם") && x_of("ע") > x_of("ה"),
        "letters not right to left"
    );
    assert!(x_of("T") < x_of("ה") && x_of("ש") < x_of("a"));
}

#[test]
fn a_character_no_font_has_is_a_warning_with_its_place() {
    let root = tempfile::tempdir().unwrap();
    manuscript(
        root.path(),
        "",
        "# One\n\nA 中 and a 😀 here.\n\nAgain 中, and `code 中`.\n",
    );
    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    // Each warning: the message, then `  --> file:line:column`.
    let lines: Vec<&str> = err.lines().collect();
    let found: Vec<(&str, &str)> = lines
        .windows(2)
        .filter(|w| w[0].contains("U+"))
        .map(|w| (w[0], w[1]))
        .collect();
    assert_eq!(found.len(), 2, "{err}");
    assert!(
        found[0].0.contains("'中' (U+4E2D)")
            && found[0].0.contains("(3 times)")
            && found[0].1.ends_with("ch1.md:3:3"),
        "{err}"
    );
    assert!(
        found[1].0.contains("U+1F600") && found[1].1.ends_with("ch1.md:3:11"),
        "{err}"
    );
    assert!(root.path().join("out/scripts.pdf").is_file());

    let o = quire(
        &["build", "m", "--out", "denied", "--deny", "warnings"],
        root.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("U+4E2D"), "{}", stderr(&o));
    assert!(!root.path().join("denied/scripts.pdf").exists());
}

#[test]
fn raw_html_warns_for_the_text_it_shows_not_for_its_attributes_or_comments() {
    let root = tempfile::tempdir().unwrap();
    manuscript(
        root.path(),
        "",
        "# One\n\nPlain.\n\n<div class=\"\u{13000}\" data-x=\"\u{13001}\">Shown \u{13002} here.</div>\n\n<!-- \u{13003} -->\n\nA <span title=\"\u{13004}\">word</span>.\n",
    );
    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let warned: Vec<&str> = err.lines().filter(|l| l.contains("U+")).collect();
    // The div's text and the span's title (a tooltip a reader sees) are shown; a class, a
    // data attribute and a comment are not.
    assert_eq!(warned.len(), 2, "{err}");
    assert!(warned[0].contains("U+13002"), "{err}");
    assert!(warned[1].contains("U+13004"), "{err}");
    assert!(err.contains("ch1.md:5:"), "{err}");
}

/// A narrow page, so that lines break often.
const NARROW: &str = "[pdf]\ntrim-size = \"3x5in\"\nhyphenate = false\n";

#[test]
fn a_no_break_space_joins_words_at_a_fixed_width() {
    let root = tempfile::tempdir().unwrap();
    let para =
        "It ran 10\u{a0}km on day 1 and 12\u{a0}km on day 2 and then 14\u{a0}km more. ".repeat(6);
    let m = manuscript(root.path(), NARROW, &format!("# N\n\n{para}\n"));
    let doc = typeset(&m);
    let all = glyphs(&doc);
    let nbsp: Vec<f32> = all
        .iter()
        .filter(|(_, g)| g.text == "\u{a0}")
        .map(|(_, g)| g.advance)
        .collect();
    assert_eq!(nbsp.len(), 18);
    // Spaces stretch on justified lines; the no-break space keeps the font's width.
    assert!(
        nbsp.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-4),
        "{nbsp:?}"
    );
    let spaces: Vec<f32> = all
        .iter()
        .filter(|(_, g)| g.text == " ")
        .map(|(_, g)| g.advance)
        .collect();
    assert!(spaces.iter().any(|s| (s - nbsp[0]).abs() > 0.05));

    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    if let Some(text) = pdf_text(&root.path().join("out/scripts.pdf")) {
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        assert!(lines.len() > 10, "{text}");
        for pair in lines.windows(2) {
            let split = ["10", "12", "14"].iter().any(|n| pair[0].ends_with(n))
                && pair[1].starts_with("km");
            assert!(!split, "a no-break space was broken: {pair:?}");
        }
        assert_eq!(text.matches("km").count(), 18, "{text}");
    }
}

#[test]
fn a_word_joiner_forbids_a_break_and_draws_nothing() {
    let root = tempfile::tempdir().unwrap();
    // Without the joiner a line may break after each em dash.
    let para =
        "the north\u{2014}\u{2060}south road and the east\u{2014}\u{2060}west road were long "
            .repeat(8);
    let m = manuscript(root.path(), NARROW, &format!("# W\n\n{para}\n"));
    let doc = typeset(&m);
    let all = glyphs(&doc);
    assert!(all
        .iter()
        .all(|(_, g)| g.id != 0 && !g.text.contains('\u{2060}')));
    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    if let Some(text) = pdf_text(&root.path().join("out/scripts.pdf")) {
        assert!(!text.contains('\u{2060}'));
        assert!(
            !text.lines().any(|l| l.trim_end().ends_with('\u{2014}')),
            "a line breaks at a joined dash:\n{text}"
        );
        assert_eq!(text.matches("north\u{2014}south").count(), 8, "{text}");
    }
    // Dashed words wider than the line do break at a dash without joiners: the check above
    // sees such a break when there is one.
    let free = root.path().join("free");
    fs::create_dir_all(&free).unwrap();
    let chain = "alpha\u{2014}beta\u{2014}gamma\u{2014}delta\u{2014}epsilon\u{2014}zeta ".repeat(4);
    manuscript(&free, NARROW, &format!("# W\n\n{chain}\n"));
    let o = quire(&["build", "m", "--out", "out"], &free);
    assert!(o.status.success());
    if let Some(text) = pdf_text(&free.join("out/scripts.pdf")) {
        assert!(
            text.lines().any(|l| l.trim_end().ends_with('\u{2014}')),
            "{text}"
        );
    }
}

#[test]
fn a_soft_hyphen_is_invisible_unless_the_line_breaks_there() {
    let root = tempfile::tempdir().unwrap();
    let word = "in\u{ad}com\u{ad}pre\u{ad}hen\u{ad}si\u{ad}bil\u{ad}i\u{ad}ty";
    let para = format!("An {word} of things, and a great {word} that. ").repeat(5);
    let m = manuscript(root.path(), NARROW, &format!("# S\n\n{para}\n"));
    let doc = typeset(&m);
    let all = glyphs(&doc);
    assert!(all
        .iter()
        .all(|(_, g)| !g.text.contains('\u{ad}') && g.id != 0));
    // Hyphenation is off in book.toml, yet lines break at the author's soft hyphens.
    let hyphenated = doc
        .layout
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| {
            matches!(
                l.kind,
                LineKind::Body {
                    hyphenated: true,
                    ..
                }
            )
        })
        .count();
    assert!(hyphenated > 0, "no line broke at a soft hyphen");

    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    if let Some(text) = pdf_text(&root.path().join("out/scripts.pdf")) {
        assert!(!text.contains('\u{ad}'), "{text}");
        let broken = text.lines().filter(|l| l.trim_end().ends_with('-')).count();
        assert_eq!(broken, hyphenated, "{text}");
        // Elsewhere the word is whole, with no hyphen drawn.
        assert!(text.contains("incomprehensibility"), "{text}");
        assert!(
            text.lines()
                .all(|l| !l.trim_end().trim_end_matches('-').contains('-')),
            "{text}"
        );
    }
}

#[test]
fn a_byte_order_mark_at_the_start_or_inside_is_not_drawn() {
    let root = tempfile::tempdir().unwrap();
    let m = manuscript(
        root.path(),
        "",
        "\u{feff}# Marked\n\nA word\u{feff}joined here and \u{feff}there.\n",
    );
    let doc = typeset(&m);
    assert!(glyphs(&doc)
        .iter()
        .all(|(_, g)| g.id != 0 && !g.text.contains('\u{feff}')));
    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("U+FEFF"));
    if let Some(text) = pdf_text(&root.path().join("out/scripts.pdf")) {
        assert!(!text.contains('\u{feff}'));
        assert!(
            text.contains("Marked") && text.contains("wordjoined"),
            "{text}"
        );
    }
}

/// A manuscript whose body face is the EB Garamond fixture, at `fonts/Garamond.otf`.
fn with_user_font(root: &Path) -> PathBuf {
    let m = manuscript(
        root,
        "[fonts]\nregular = \"fonts/Garamond.otf\"\n",
        "# Own Face\n\nSet in the author's face, with Greek λόγος from the fallback.\n",
    );
    fs::create_dir_all(m.join("fonts")).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fonts/EBGaramond12-Bold.otf"),
        m.join("fonts/Garamond.otf"),
    )
    .unwrap();
    m
}

#[test]
fn the_authors_font_is_used_in_the_pdf_and_the_epub() {
    let root = tempfile::tempdir().unwrap();
    with_user_font(root.path());
    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("unknown key"), "{}", stderr(&o));

    let pdf = root.path().join("out/scripts.pdf");
    if let Some(out) = pdftools::pdffonts(&pdf) {
        let rows = pdftools::font_rows(&out.stdout);
        assert!(
            rows.iter()
                .any(|r| r.0.contains("EBGaramond") && r.2 && r.3),
            "{}",
            out.stdout
        );
        // What the face lacks (Greek) comes from Libertine.
        assert!(
            rows.iter().any(|r| r.0.contains("LinLibertine")),
            "{}",
            out.stdout
        );
    }
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("author") && text.contains("λόγος"), "{text}");
    }

    let epub = root.path().join("out/scripts.epub");
    let mut zip = zip::ZipArchive::new(fs::File::open(&epub).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} missing"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let opf = read("OEBPS/content.opf");
    let doc = roxmltree::Document::parse(&opf).unwrap();
    let font = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("item")
                && n.attribute("href")
                    .is_some_and(|h| h.starts_with("fonts/user-regular-"))
        })
        .expect("the author's font in the manifest");
    assert_eq!(font.attribute("media-type"), Some("font/otf"));
    let css = read("OEBPS/stylesheet.css");
    assert!(
        css.contains("font-family: \"EB Garamond"),
        "the stylesheet does not use the author's family:\n{css}"
    );
    assert!(zip
        .by_name(&format!("OEBPS/{}", font.attribute("href").unwrap()))
        .is_ok());
    if let Some(report) = epubcheck::epubcheck(&epub) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

/// Builds with `[fonts] regular` pointing at `path`; returns the failed build's stderr.
fn bad_font_build(root: &Path, path: &str) -> String {
    let m = manuscript(
        root,
        &format!("[fonts]\nregular = \"{path}\"\n"),
        "# One\n\nText.\n",
    );
    let _ = m;
    let o = quire(&["build", "m", "--out", "out"], root);
    assert_eq!(o.status.code(), Some(1), "{path}: {}", stderr(&o));
    assert!(
        !root.join("out").exists() || fs::read_dir(root.join("out")).unwrap().next().is_none(),
        "{path}: something was written"
    );
    let err = stderr(&o);
    assert!(err.contains("book.toml:8:1"), "{path}: {err}");
    assert!(err.contains("[fonts] regular"), "{path}: {err}");
    err
}

#[test]
fn a_file_that_is_not_a_usable_font_stops_the_build_naming_the_key() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    fs::create_dir_all(m.join("fonts")).unwrap();
    fs::write(m.join("fonts/Text.otf"), "This is not a font at all.\n").unwrap();
    let err = bad_font_build(root.path(), "fonts/Text.otf");
    assert!(err.contains("not an OpenType or TrueType font"), "{err}");

    let font = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fonts/EBGaramond12-Bold.otf"),
    )
    .unwrap();
    fs::write(m.join("fonts/Cut.otf"), &font[..2000]).unwrap();
    let err = bad_font_build(root.path(), "fonts/Cut.otf");
    assert!(err.contains("damaged") || err.contains("cannot"), "{err}");

    let mut collection = b"ttcf".to_vec();
    collection.extend_from_slice(&font[4..]);
    fs::write(m.join("fonts/Many.ttc"), collection).unwrap();
    let err = bad_font_build(root.path(), "fonts/Many.ttc");
    assert!(err.contains("collection"), "{err}");

    fs::write(root.path().join("Outside.otf"), &font).unwrap();
    let err = bad_font_build(root.path(), "../Outside.otf");
    assert!(err.contains("outside the manuscript folder"), "{err}");
    let err = bad_font_build(root.path(), "/usr/share/fonts/x.otf");
    assert!(err.contains("absolute path"), "{err}");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.path().join("Outside.otf"), m.join("fonts/Link.otf"))
            .unwrap();
        let err = bad_font_build(root.path(), "fonts/Link.otf");
        assert!(err.contains("outside the manuscript folder"), "{err}");
    }
}

#[test]
fn font_keys_are_known_and_misspellings_get_a_suggestion() {
    let root = tempfile::tempdir().unwrap();
    let m = with_user_font(root.path());
    let toml = fs::read_to_string(m.join("book.toml")).unwrap();
    fs::write(
        m.join("book.toml"),
        format!("{toml}bold-itallic = \"x.otf\"\n"),
    )
    .unwrap();
    let o = quire(&["build", "m", "--out", "out"], root.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("did you mean `bold-italic`?"), "{err}");
    assert_eq!(err.matches("unknown key").count(), 1, "{err}");
}
