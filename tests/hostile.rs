//! Unlucky input (issue 18): names from any title, heading and image file; symbolic links to
//! chapters; old Mac line ends; odd `SOURCE_DATE_EPOCH`s; a folder holding one front-mattered
//! file. Each builds the real binary's outputs and reads them back.

#[path = "common/epubcheck.rs"]
mod epubcheck;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

fn quire(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A manuscript folder `dir/m` titled `title` with `files`.
fn manuscript(dir: &Path, title: &str, files: &[(&str, &[u8])]) {
    let m = dir.join("m");
    fs::create_dir_all(&m).unwrap();
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    fs::write(
        m.join("book.toml"),
        format!("[book]\ntitle = \"{title}\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:hostile\"\n"),
    )
    .unwrap();
    for (name, bytes) in files {
        let path = m.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

/// The files a build into `dir/out` wrote (but the record of their names, `.quire-outputs`).
fn outputs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".quire-outputs")
        .collect();
    v.sort();
    v
}

fn entries(epub: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(fs::File::open(epub).unwrap()).unwrap();
    zip.file_names().map(str::to_string).collect()
}

fn entry(epub: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn assert_epubcheck_clean(epub: &Path) {
    if let Some(report) = epubcheck::epubcheck(epub) {
        assert!(report.is_clean(), "{:#?}", report.messages);
    }
}

#[test]
fn file_names_keep_single_letters_and_transliterate_titles() {
    for (title, stem) in [
        ("S Is for Silence", "s-is-for-silence"),
        ("S-Town", "s-town"),
        ("Война и мир", "voina-i-mir"),
        ("1984", "1984"),
        ("***", "book"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        manuscript(dir.path(), title, &[("ch1.md", b"# One\n\nText.\n")]);
        let o = quire(&["build", "m", "--out", "out"], dir.path());
        assert!(o.status.success(), "{title}: {}", stderr(&o));
        assert_eq!(
            outputs(dir.path()),
            [format!("{stem}.epub"), format!("{stem}.pdf")],
            "{title}"
        );
    }
}

#[test]
fn long_titles_and_headings_give_names_file_systems_and_unzip_accept() {
    let dir = tempfile::tempdir().unwrap();
    let title = "A Very Long Title ".repeat(16); // 288 bytes
    let heading = format!("# {}\n\nText.\n", "Heading ".repeat(33)); // 263 characters
    manuscript(
        dir.path(),
        &title,
        &[
            ("ch1.md", heading.as_bytes()),
            ("ch2.md", b"# Two\n\nMore.\n"),
        ],
    );
    let o = quire(&["build", "m", "--out", "out"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let names = outputs(dir.path());
    assert_eq!(names.len(), 2, "{names:?}");
    for name in &names {
        assert!(name.len() <= 255, "{name}: {} bytes", name.len());
        assert!(
            name.starts_with("a-very-long-title-a-very-long-title"),
            "{name}"
        );
    }
    let epub = dir.path().join("out").join(&names[0]);
    for e in entries(&epub) {
        let last = e.rsplit('/').next().unwrap();
        assert!(last.len() <= 255, "entry {e}: {} bytes", last.len());
    }
    assert_epubcheck_clean(&epub);
}

/// A PNG of one pixel of `grey`: different files for the same name.
fn png(grey: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 1, 1);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&[grey]).unwrap();
    drop(writer);
    out
}

#[test]
fn images_of_one_name_in_different_folders_get_names_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (png(10), png(20), png(30));
    manuscript(
        dir.path(),
        "Pictures",
        &[
            ("a/pic.png", &a),
            ("b/pic.png", &b),
            ("pic-2.png", &c),
            (
                "ch1.md",
                b"# One\n\n![First](a/pic.png)\n\n![Second](b/pic.png)\n\n![Third](pic-2.png)\n",
            ),
        ],
    );
    let o = quire(&["build", "m", "--out", "out"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let epub = dir.path().join("out/pictures.epub");
    let mut images: Vec<String> = entries(&epub)
        .into_iter()
        // The placeholder cover is an image of its own.
        .filter(|e| e.ends_with(".png") && !e.ends_with("/cover.png"))
        .collect();
    images.sort();
    assert_eq!(images.len(), 3, "{images:?}");
    // Each file kept its own bytes.
    let mut zip = zip::ZipArchive::new(fs::File::open(&epub).unwrap()).unwrap();
    let mut contents: Vec<Vec<u8>> = images
        .iter()
        .map(|name| {
            let mut bytes = Vec::new();
            zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
            bytes
        })
        .collect();
    contents.sort();
    let mut want = vec![a, b, c];
    want.sort();
    assert_eq!(contents, want);
    assert_epubcheck_clean(&epub);
}

#[cfg(unix)]
#[test]
fn symbolic_links_to_chapters_inside_the_manuscript_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    manuscript(
        dir.path(),
        "Linked",
        &[
            ("ch1.md", b"# One\n\nFirst text.\n"),
            ("drafts/two.md", b"# Two\n\nThe linked chapter.\n"),
        ],
    );
    let m = dir.path().join("m");
    std::os::unix::fs::symlink("drafts/two.md", m.join("ch2.md")).unwrap();
    let (book, _, _) = quire::read_manuscript(&m).unwrap();
    let titles: Vec<String> = book.chapters.iter().map(|c| c.label()).collect();
    assert_eq!(titles, ["One", "Two"]);

    // One leading out of the manuscript is refused, with its name.
    let outside = dir.path().join("secret.md");
    fs::write(&outside, "# Secret\n").unwrap();
    std::os::unix::fs::symlink(&outside, m.join("ch3.md")).unwrap();
    let o = quire(&["build", "m", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("ch3.md") && err.contains("outside"), "{err}");
}

#[test]
fn old_mac_line_ends_are_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    manuscript(
        dir.path(),
        "Carriage",
        &[(
            "ch1.md",
            b"# One\r\rThe first paragraph.\r\r## A section\r\rThe second paragraph.\r",
        )],
    );
    let (book, _, _) = quire::read_manuscript(&dir.path().join("m")).unwrap();
    assert_eq!(book.chapters.len(), 1);
    let chapter = &book.chapters[0];
    assert_eq!(chapter.label(), "One");
    let sections: Vec<String> = chapter.sections().iter().map(|s| s.id.clone()).collect();
    assert_eq!(sections, ["a-section"]);
}

#[test]
fn source_date_epoch_empty_is_unset_and_past_9999_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    manuscript(dir.path(), "Dated", &[("ch1.md", b"# One\n\nText.\n")]);
    let build = |epoch: &str| {
        Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(["build", "m", "--out", "out", "--format", "epub"])
            .env("SOURCE_DATE_EPOCH", epoch)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let o = build("");
    assert!(o.status.success(), "{}", stderr(&o));
    let opf = entry(&dir.path().join("out/dated.epub"), "OEBPS/content.opf");
    // Unset: the time the manuscript's files were last changed.
    let newest = ["m/book.toml", "m/ch1.md"]
        .iter()
        .map(|f| {
            fs::metadata(dir.path().join(f))
                .unwrap()
                .modified()
                .unwrap()
        })
        .max()
        .unwrap();
    let newest = chrono::DateTime::<chrono::Utc>::from(newest)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert!(opf.contains(&newest), "{newest}: {opf}");

    let o = build("253402300799");
    assert!(o.status.success(), "{}", stderr(&o));
    let opf = entry(&dir.path().join("out/dated.epub"), "OEBPS/content.opf");
    assert!(opf.contains("9999-12-31T23:59:59Z"), "{opf}");

    let o = build("253402300800");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("SOURCE_DATE_EPOCH") && err.contains("9999"),
        "{err}"
    );
}

#[test]
fn a_folder_with_one_front_mattered_file_takes_its_metadata_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m");
    fs::create_dir_all(&m).unwrap();
    fs::write(
        m.join("only.md"),
        "---\ntitle: Solo Flight\nlang: en\n---\n# One\n\nText.\n",
    )
    .unwrap();
    let o = quire(&["build", "m", "--out", "out"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(outputs(dir.path()), ["solo-flight.epub", "solo-flight.pdf"]);

    // Without a title, the error points at that file, not at a book.toml that does not exist.
    fs::write(m.join("only.md"), "---\nlang: en\n---\n# One\n\nText.\n").unwrap();
    let o = quire(&["build", "m", "--out", "out2"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("only.md") && !err.contains("book.toml:"),
        "{err}"
    );
    assert!(
        !err.contains(&format!("{}", m.join("book.toml").display())),
        "{err}"
    );
}

const SVG_HEAD: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"40\" height=\"20\" viewBox=\"0 0 40 20\">";

#[test]
fn hostile_svgs_are_sanitised_in_the_epub_and_reported_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("photo.png");
    fs::write(&outside, png(1)).unwrap();
    let svgs: Vec<(String, String)> = [
        ("script", "<script>alert(document.cookie)</script><rect width=\"40\" height=\"20\"/>".to_string()),
        ("onclick", "<rect onclick=\"alert(1)\" onload=\"x()\" width=\"40\" height=\"20\"/>".to_string()),
        ("jslink", "<a xlink:href=\"javascript:alert(1)\"><rect width=\"40\" height=\"20\"/></a>".to_string()),
        ("file", "<image href=\"file:///etc/passwd\" width=\"4\" height=\"2\"/><rect width=\"4\" height=\"2\"/>".to_string()),
        ("inkscape", format!("<image xlink:href=\"{}\" width=\"4\" height=\"2\"/><rect width=\"4\" height=\"2\"/>", outside.display())),
        ("inside", "<image xlink:href=\"dot.png\" width=\"4\" height=\"2\"/>".to_string()),
        ("external", "<use href=\"other.svg#a\"/><rect fill=\"url(http://example.org/p.svg#p)\" width=\"4\" height=\"2\"/><rect width=\"4\" height=\"2\"/>".to_string()),
    ]
    .into_iter()
    .map(|(name, body)| (format!("{name}.svg"), format!("{SVG_HEAD}{body}</svg>")))
    .collect();
    let chapter: String = svgs
        .iter()
        .map(|(name, _)| format!("![Figure {name}]({name})\n\n"))
        .collect();
    let chapter = format!("# Pictures\n\n{chapter}");
    let dot = png(128);
    let mut files: Vec<(&str, &[u8])> = svgs
        .iter()
        .map(|(name, svg)| (name.as_str(), svg.as_bytes()))
        .collect();
    files.push(("dot.png", &dot));
    files.push(("ch1.md", chapter.as_bytes()));
    manuscript(dir.path(), "Hostile Pictures", &files);

    let o = quire(&["build", "m", "--out", "out"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for name in [
        "script", "onclick", "jslink", "file", "inkscape", "external",
    ] {
        assert!(
            err.contains(&format!("image `{name}.svg`: removed")),
            "no warning for {name}: {err}"
        );
    }
    assert!(!err.contains("image `inside.svg`"), "{err}");
    let epub = dir.path().join("out/hostile-pictures.epub");
    let mut zip = zip::ZipArchive::new(fs::File::open(&epub).unwrap()).unwrap();
    let svg_entries: Vec<String> = zip
        .file_names()
        .filter(|n| n.ends_with(".svg"))
        .map(str::to_string)
        .collect();
    assert_eq!(svg_entries.len(), svgs.len(), "{svg_entries:?}");
    for name in &svg_entries {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for bad in [
            "<script",
            "onclick",
            "onload",
            "javascript:",
            "file:",
            "photo.png",
            "other.svg",
            "example.org",
        ] {
            assert!(!text.contains(bad), "{name} keeps {bad}: {text}");
        }
        if name.ends_with("inside.svg") {
            assert!(text.contains("data:image/png;base64,"), "{text}");
        }
    }
    assert_epubcheck_clean(&epub);

    // `quire check` says the same.
    let o = quire(&["check", "m"], dir.path());
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(out.contains("image `script.svg`: removed"), "{out}");
}

#[test]
fn check_refuses_what_build_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let xxe = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n{SVG_HEAD}<text>&x;</text></svg>"
    );
    let mut truncated = png(7);
    truncated.truncate(truncated.len() - 20);
    // A 69-byte PNG that says it is 20000 x 20000 pixels.
    let enormous = fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/images/enormous.png"
    ))
    .unwrap();
    manuscript(
        dir.path(),
        "Broken Pictures",
        &[
            ("xxe.svg", xxe.as_bytes()),
            ("cut.png", &truncated),
            ("huge.png", &enormous),
            (
                "ch1.md",
                b"# One\n\n![Entity](xxe.svg)\n\n![Cut](cut.png)\n\n![Huge](huge.png)\n",
            ),
        ],
    );
    let o = quire(&["build", "m", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("xxe.svg"), "{}", stderr(&o));
    let o = quire(&["check", "m"], dir.path());
    assert_ne!(o.status.code(), Some(0));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(out.contains("xxe.svg") && out.contains("entities"), "{out}");
    assert!(out.contains("cut.png") && out.contains("huge.png"), "{out}");
}

#[test]
fn terminal_escapes_in_source_lines_are_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    manuscript(
        dir.path(),
        "Escapes",
        &[(
            "ch1.md",
            b"# One\n\nSee \x1b]0;owned\x07 [the end](#nowhere) \x1b[2J here.\n",
        )],
    );
    let o = quire(&["build", "m", "--out", "out"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("#nowhere") && err.contains("ch1.md:3"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\u{241b}]0;owned"), "{err}");
}
