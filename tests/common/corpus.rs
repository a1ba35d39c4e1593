//! The corpus fixtures (tests/fixtures, each with its SOURCE.txt and licence) as tests build
//! them. Include it with `#[path = "common/corpus.rs"] mod corpus;`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A fixture's folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a folder tree; the copies are writable, whatever the originals' permissions.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// The two files mdBook's guide includes from mdBook's repository, outside the guide's folder:
/// quire refuses them (tests/mdbook_projects.rs,
/// `the_guide_unchanged_stops_at_includes_leading_out_of_the_book`), so the copy made by
/// [`mdbook_guide_copy`] holds stand-ins inside the book and its two directives point there.
const GUIDE_STAND_INS: &[(&str, &str)] = &[
    (
        "examples/nop-preprocessor.rs",
        "//! A stand-in for mdBook's examples/nop-preprocessor.rs.\nfn main() {\n    println!(\"nop preprocessor stand-in\");\n}\n",
    ),
    (
        "examples/remove-emphasis/mdbook-remove-emphasis/src/main.rs",
        "use std::io;\n\n// ANCHOR: remove_emphasis\nfn remove_emphasis(text: &str) -> String {\n    text.replace('*', \"\")\n}\n// ANCHOR_END: remove_emphasis\n\nfn main() {\n    let _ = io::stdin();\n}\n",
    ),
];

/// A copy of mdBook's guide in `root` that builds: the stand-ins of [`GUIDE_STAND_INS`] in
/// place of the files outside the book.
pub fn mdbook_guide_copy(root: &Path) {
    copy_dir(&fixture("mdbook-guide"), root);
    for (path, text) in GUIDE_STAND_INS {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let chapter = root.join("src/for_developers/preprocessors.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        text.replace("../../../examples/", "../../examples/"),
    )
    .unwrap();
}
