//! Images: every `src` of the manuscript (Markdown `![alt](src)` and raw HTML `<img src>`) is
//! found on disk, checked and listed once as a `Resource` of the book.
//!
//! A `src` is looked up relative to the chapter file, then in each folder of `image-path`
//! (relative to the manuscript folder). It must stay inside the manuscript folder (no absolute
//! paths, no `../` or symbolic link leading out), exist, be readable, and be a PNG, JPEG, GIF or
//! SVG by its first bytes; anything else is an error naming the file and line. Remote images
//! (`https://...`) are not fetched: a warning says so and the writers show the alt text.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::convert::Parsed;
use super::slug::slugify;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::{MediaType, Resource};
use crate::project::order::percent_decode;
use crate::project::Project;

/// Finds every image the book shows (`shown`: (chapter file, src) pairs from the model), at
/// the places the parser saw them written. Returns the resources and the errors (as located
/// messages); warnings (remote images, missing alt text) go to `warnings`.
pub fn collect(
    project: &Project,
    parsed: &[Parsed],
    shown: &HashSet<(PathBuf, String)>,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Resource>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut resources: Vec<Resource> = Vec::new();
    let mut by_path: HashMap<PathBuf, usize> = HashMap::new();
    // Names in the EPUB's image folder, unique by construction: `a/pic.png`, `b/pic.png` and
    // `pic-2.png` become `pic.png`, `pic-2.png` and `pic-2-2.png`.
    let mut names = crate::names::Unique::default();
    let root = if project.root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        project.root.clone()
    };
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());

    for (source, p) in project.sources.iter().zip(parsed) {
        for image in &p.images {
            if !shown.contains(&(source.path.clone(), image.src.trim().to_string())) {
                continue;
            }
            let location = Location::at(&source.path, image.line, image.column);
            let src = image.src.trim();
            if !image.has_alt {
                let how = if image.html {
                    format!("add `alt=\"A lighthouse at dusk\"` to the `<img src=\"{src}\">` tag")
                } else {
                    format!("describe it between the brackets, `![A lighthouse at dusk]({src})`")
                };
                warnings.push(Diagnostic::warning(
                    Code::MissingAltText,
                    location.clone(),
                    format!("image `{src}` has no alt text: {how}, for readers who cannot see it (EPUB accessibility)"),
                ));
            }
            let first_use = location.clone();
            let found = match find(src, &source.path, project, &root, &canonical_root) {
                Ok(Some(found)) => found,
                Ok(None) => {
                    warnings.push(Diagnostic::warning(
                        Code::RemoteImage,
                        location,
                        format!("image `{src}` is not a file of the manuscript: remote images are not put in the book; its alt text is shown instead"),
                    ));
                    continue;
                }
                Err(message) => {
                    errors.push(Diagnostic::error(Code::BadImage, location, message));
                    continue;
                }
            };
            let use_ = (source.path.clone(), src.to_string());
            if let Some(&i) = by_path.get(&found.canonical) {
                if !resources[i].uses.contains(&use_) {
                    resources[i].uses.push(use_);
                }
                continue;
            }
            let stem = found
                .path
                .file_stem()
                .map(|s| slugify(&s.to_string_lossy()))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "image".into());
            let ext = found.media_type.extension();
            let stem = crate::names::fit(&stem, ext.len() + 1 + 4);
            let name = names.claim(&format!("{stem}.{ext}"), |_, n| format!("{stem}-{n}.{ext}"));
            let sanitised = if found.media_type == MediaType::Svg {
                match sanitise_svg(&found.path, &canonical_root) {
                    Ok((bytes, removed)) => {
                        if !removed.is_empty() {
                            warnings.push(Diagnostic::warning(
                                Code::SanitisedSvg,
                                first_use.clone(),
                                format!("image `{src}`: removed what an ebook must not carry: {}; the EPUB has the rest of the picture", removed.join(", ")),
                            ));
                        }
                        bytes
                    }
                    Err(message) => {
                        errors.push(Diagnostic::error(
                            Code::BadImage,
                            first_use,
                            format!("image `{src}` {message}"),
                        ));
                        continue;
                    }
                }
            } else {
                None
            };
            by_path.insert(found.canonical, resources.len());
            resources.push(Resource {
                path: found.path,
                media_type: found.media_type,
                name,
                uses: vec![use_],
                first_use,
                sanitised,
            });
        }
    }
    (resources, errors)
}

/// The SVG at `path` made safe for the EPUB (see `super::svg`): the bytes to carry instead of
/// the file (`None`: the file is safe as it is) and what was removed.
#[allow(clippy::type_complexity)]
fn sanitise_svg(
    path: &Path,
    root: &Path,
) -> Result<(Option<std::sync::Arc<[u8]>>, Vec<String>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))?;
    let s = super::svg::sanitise(&bytes, path, root)?;
    Ok((s.bytes.map(Into::into), s.removed))
}

struct Found {
    path: PathBuf,
    canonical: PathBuf,
    media_type: MediaType,
}

/// Looks an image up. `Ok(None)`: a remote image.
fn find(
    src: &str,
    chapter: &Path,
    project: &Project,
    root: &Path,
    canonical_root: &Path,
) -> Result<Option<Found>, String> {
    if src.is_empty() {
        return Err("an image with no file name: write `![description](images/file.png)`".into());
    }
    if src.starts_with("//") || has_scheme(src) {
        return Ok(None);
    }
    let path = percent_decode(src.split(['?', '#']).next().unwrap_or(src));
    let written = Path::new(&path);
    if written.has_root() || written.is_absolute() || path.starts_with('\\') {
        return Err(format!(
            "image `{src}` is an absolute path: write it relative to the chapter file, inside the manuscript folder"
        ));
    }
    let chapter_dir = chapter.parent().unwrap_or(Path::new(""));
    let mut candidates = vec![chapter_dir.join(written)];
    for dir in &project.config.image_path {
        candidates.push(root.join(dir).join(written));
    }
    let Some(file) = candidates.iter().find(|c| c.exists()) else {
        let mut where_ = format!(
            "there is no file {} (image paths are relative to the chapter file",
            candidates[0].display()
        );
        if project.config.image_path.is_empty() {
            where_.push_str(", or to a folder of `image-path` in book.toml)");
        } else {
            where_.push_str(&format!(
                ", then to the folders of `image-path`: {})",
                project.config.image_path.join(", ")
            ));
        }
        return Err(format!("image `{src}` not found: {where_}"));
    };
    let canonical = file
        .canonicalize()
        .map_err(|e| format!("image `{src}` cannot be read ({}): {e}", file.display()))?;
    if !canonical.starts_with(canonical_root) {
        return Err(format!(
            "image `{src}` is outside the manuscript folder ({}): copy it into the manuscript",
            canonical.display()
        ));
    }
    if !canonical.is_file() {
        return Err(format!("image `{src}` is not a file ({})", file.display()));
    }
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(&canonical)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .map_err(|e| format!("image `{src}` cannot be read ({}): {e}", file.display()))?;
    let media_type = MediaType::sniff(&head).ok_or_else(|| {
        format!(
            "image `{src}` ({}) is not a PNG, JPEG, GIF or SVG image",
            file.display()
        )
    })?;
    Ok(Some(Found {
        path: file.clone(),
        canonical,
        media_type,
    }))
}

/// Whether `s` starts with a URI scheme (`https:`, `data:`); a Windows drive (`c:`) is not one.
fn has_scheme(s: &str) -> bool {
    s.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}
