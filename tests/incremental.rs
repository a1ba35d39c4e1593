//! Incremental builds (`quire watch`): a session's rebuild after an edit writes the very bytes
//! a fresh build of the edited manuscript writes, and makes afresh only the chapters the edit
//! touched.

use std::fs;
use std::path::{Path, PathBuf};

use quire::build::{build, BuildOptions, BuildReport, Format};
use quire::incremental::{Rebuild, Session};

fn options(m: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        manuscript: m.to_path_buf(),
        out_dir: out.to_path_buf(),
        format: Format::All,
        deny_warnings: false,
        name: None,
    }
}

/// The EPUB and PDF bytes a build wrote.
fn outputs(report: &BuildReport) -> (Vec<u8>, Vec<u8>) {
    let mut epub = None;
    let mut pdf = None;
    for w in &report.written {
        match w.path.extension().and_then(|e| e.to_str()) {
            Some("epub") => epub = Some(fs::read(&w.path).unwrap()),
            Some("pdf") => pdf = Some(fs::read(&w.path).unwrap()),
            _ => {}
        }
    }
    (epub.expect("an EPUB"), pdf.expect("a PDF"))
}

/// Rebuilds with the session, builds the same files afresh elsewhere, and checks that both
/// outputs are byte for byte the same. Returns the rebuild.
fn rebuild_matches_fresh(session: &mut Session, m: &Path, scratch: &Path) -> Rebuild {
    let rebuilt = session.build().expect("the rebuild");
    let fresh_out = scratch.join(format!("fresh-{}", rand_suffix()));
    let fresh = build(&options(m, &fresh_out)).expect("the fresh build");
    let (epub, pdf) = outputs(&rebuilt.report);
    let (fresh_epub, fresh_pdf) = outputs(&fresh);
    assert!(
        epub == fresh_epub,
        "the rebuilt EPUB differs from a fresh build"
    );
    assert!(
        pdf == fresh_pdf,
        "the rebuilt PDF differs from a fresh build"
    );
    fs::remove_dir_all(&fresh_out).unwrap();
    rebuilt
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

fn names(rebuilt: &Rebuild) -> Vec<String> {
    rebuilt
        .remade
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect()
}

/// Four chapters: the second links to a section of the first, the third has a footnote and
/// raw HTML that links to the first.
fn manuscript(m: &Path) {
    fs::create_dir_all(m).unwrap();
    fs::write(
        m.join("book.toml"),
        "[book]\ntitle = \"Linked\"\nauthors = [\"A. Writer\"]\nlanguage = \"en\"\n\
         [metadata]\nidentifier = \"urn:x:linked\"\nmodified = \"2025-01-01T00:00:00Z\"\n",
    )
    .unwrap();
    let para = "It is a truth universally acknowledged, that a single man in possession of a \
                good fortune, must be in want of a wife. ";
    fs::write(
        m.join("ch1.md"),
        format!(
            "# The Arrival\n\n{}\n\n## The Ball\n\n{}\n",
            para.repeat(12),
            para.repeat(8)
        ),
    )
    .unwrap();
    fs::write(
        m.join("ch2.md"),
        format!(
            "# The Letter\n\nAs was said at [the ball](ch1.md#the-ball), {}\n",
            para.repeat(10)
        ),
    )
    .unwrap();
    fs::write(
        m.join("ch3.md"),
        format!(
            "# The Visit\n\nA remark.[^a] {}\n\n<p>See <a href=\"the-arrival.xhtml\">the start</a>.</p>\n\n[^a]: A note.\n",
            para.repeat(6)
        ),
    )
    .unwrap();
    fs::write(
        m.join("ch4.md"),
        format!("# The End\n\n{}\n", para.repeat(5)),
    )
    .unwrap();
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn rebuilds_after_edits_equal_fresh_builds() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    manuscript(&m);
    let mut session = Session::new(options(&m, &root.path().join("out")));
    let first = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(first.chapters, 4);
    assert_eq!(first.remade_chapters, 4);

    // Nothing changed: nothing is made again.
    let again = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(again.remade_chapters, 0, "{:?}", again.remade);

    // A text edit: that chapter only.
    edit(&m.join("ch4.md"), "It is a truth", "It is a plain truth");
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(names(&r), ["ch4.md"]);
    assert_eq!(r.remade_chapters, 1);

    // A footnote added to the chapter with notes: that chapter only.
    edit(&m.join("ch3.md"), "A remark.[^a]", "A remark.[^b][^a]");
    edit(
        &m.join("ch3.md"),
        "[^a]: A note.",
        "[^a]: A note.\n\n[^b]: An earlier note.",
    );
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(names(&r), ["ch3.md"]);

    // The section the second chapter links to is renamed: both chapters change (the link no
    // longer resolves), and the raw HTML of the third, which may point anywhere, is redone.
    edit(&m.join("ch1.md"), "## The Ball", "## The Dance");
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(names(&r), ["ch1.md", "ch2.md", "ch3.md"]);

    // The link is mended.
    edit(&m.join("ch2.md"), "ch1.md#the-ball", "ch1.md#the-dance");
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(names(&r), ["ch2.md"]);

    // A chapter added, then one removed.
    fs::write(m.join("ch5.md"), "# An Epilogue\n\nShort.\n").unwrap();
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(r.chapters, 5);
    assert!(names(&r).contains(&"ch5.md".to_string()), "{:?}", r.remade);
    fs::remove_file(m.join("ch4.md")).unwrap();
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(r.chapters, 4);

    // A book.toml change that moves every line: every chapter is set again.
    edit(
        &m.join("book.toml"),
        "[metadata]",
        "[pdf]\nfont-size = 12\n[metadata]",
    );
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(r.remade_chapters, 4);
    // A title change: the chapters are reused, the book around them is not.
    edit(
        &m.join("book.toml"),
        "title = \"Linked\"",
        "title = \"Linked Again\"",
    );
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(r.remade_chapters, 0, "{:?}", r.remade);

    // A broken save: an error, the outputs stay; the fix rebuilds.
    let before = outputs(&r.report);
    fs::write(m.join("ch2.md"), b"# The Letter\n\nnot \xff UTF-8\n").unwrap();
    let err = session.build().expect_err("invalid UTF-8");
    assert!(err.to_string().contains("ch2.md"), "{err}");
    assert!(outputs(&r.report) == before);
    fs::write(m.join("ch2.md"), "# The Letter\n\nMended.\n").unwrap();
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(names(&r), ["ch2.md"]);
}

/// A copy of pride-and-prejudice, for edits.
fn pride(root: &Path) -> PathBuf {
    let m = root.join("pride");
    fs::create_dir_all(&m).unwrap();
    for entry in fs::read_dir("tests/fixtures/pride-and-prejudice").unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, m.join(path.file_name().unwrap())).unwrap();
    }
    m
}

#[test]
fn a_one_chapter_edit_of_pride_and_prejudice_remakes_that_chapter_only() {
    let root = tempfile::tempdir().unwrap();
    let m = pride(root.path());
    let mut session = Session::new(options(&m, &root.path().join("out")));
    let first = session.build().unwrap();
    assert_eq!((first.chapters, first.remade_chapters), (61, 61));

    edit(
        &m.join("ch12.md"),
        "In consequence of an agreement",
        "In consequence of a firm agreement",
    );
    let start = std::time::Instant::now();
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    println!(
        "rebuild and fresh build: {:.2} s",
        start.elapsed().as_secs_f64()
    );
    assert_eq!(names(&r), ["ch12.md"]);
    assert_eq!((r.chapters, r.remade_chapters), (61, 1));
}

/// What setting a chapter found (a table too wide) is said at every rebuild while the
/// chapter is kept, and no more once it is fixed.
#[test]
fn a_wide_table_warns_at_every_rebuild_until_it_is_fixed() {
    let root = tempfile::tempdir().unwrap();
    let m = root.path().join("m");
    manuscript(&m);
    let word = "Incomprehensibilities";
    let row = |w: &str| format!("| {} |\n", [w; 6].join(" | "));
    let table = format!("{}|{}\n{}", row(word), "---|".repeat(6), row(word));
    let text = fs::read_to_string(m.join("ch2.md")).unwrap();
    fs::write(m.join("ch2.md"), format!("{text}\n{table}")).unwrap();
    let wide = |r: &Rebuild| {
        (r.report.warnings.iter())
            .filter(|w| w.code == quire::diagnostic::Code::WideTable)
            .count()
    };
    let mut session = Session::new(options(&m, &root.path().join("out")));
    let first = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(wide(&first), 1, "{:?}", first.report.warnings);
    // Another chapter edited: the table's chapter is kept, and its warning with it.
    edit(&m.join("ch4.md"), "It is a truth", "It is a plain truth");
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert!(
        !names(&r).iter().any(|n| n.contains("letter")),
        "{:?}",
        r.remade
    );
    assert_eq!(wide(&r), 1, "{:?}", r.report.warnings);
    // The table fixed: no warning.
    let text = fs::read_to_string(m.join("ch2.md")).unwrap();
    fs::write(m.join("ch2.md"), text.replace(word, "Short")).unwrap();
    let r = rebuild_matches_fresh(&mut session, &m, root.path());
    assert_eq!(wide(&r), 0, "{:?}", r.report.warnings);
}
