//! mdBook's `links` preprocessor, as a pre-pass over each chapter's text before the Markdown
//! reader: `{{#include}}` (whole files, line ranges, anchors), `{{#rustdoc_include}}`,
//! `{{#playground}}`, `{{#title}}` and escaped `\{{#...}}`, with mdBook's rules (its
//! `links.rs` and `take_lines.rs`): directives are expanded everywhere, code blocks included;
//! included lines take the text before the directive on its line as a prefix; included files
//! are expanded in turn, relative to their own folder, at most [`MAX_DEPTH`] deep.
//!
//! Unlike mdBook, a file that is missing, a range past its end or an anchor it does not have
//! is an error (mdBook logs it and prints the directive), and includes are confined to the
//! book's folder. Directives and `{{ tags }}` quire does not read are warnings. Every line of
//! the expanded text remembers where it came from ([`LineMap`]), so that the reader's
//! diagnostics point at the chapter or the included file.
//!
//! Written by hand: the syntax is a few lines of mdBook's code, and no crate offers it apart
//! from mdBook itself, which would bring its whole renderer.

use std::path::{Component, Path, PathBuf};

use super::{read_text, ProjectError};
use crate::diagnostic::{Code, Diagnostic, Location};

/// How deep includes may nest, as in mdBook (`MAX_LINK_NESTED_DEPTH`): deeper is a cycle.
pub const MAX_DEPTH: usize = 10;

/// The directives quire reads, for messages.
const KNOWN: &str = "include, rustdoc_include, playground, title";

/// Marks an escaped `\{{#` in the expanded text until the scan for unread tags is done (a
/// Unicode noncharacter: never in a real manuscript), so that what the author escaped is not
/// taken for a tag.
const ESCAPED: char = '\u{FDD0}';

/// Where each line of an expanded chapter text came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineMap {
    /// Line number of the expanded text's first line, as the reader counts (the chapter's
    /// `first_line`).
    first_line: usize,
    files: Vec<PathBuf>,
    lines: Vec<Origin>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Origin {
    /// Index into `LineMap::files`.
    file: usize,
    /// 1-based line in that file.
    line: usize,
    /// Characters put before the file's text on this line (the prefix of an include).
    shift: usize,
}

impl Origin {
    fn shifted(self, by: usize) -> Origin {
        Origin {
            shift: self.shift + by,
            ..self
        }
    }
}

impl LineMap {
    /// The place in the manuscript of `line` and `column` of the expanded text (1-based, lines
    /// counted from the chapter's `first_line`), or `None` for a line the map does not have.
    pub fn locate(&self, line: usize, column: Option<usize>) -> Option<Location> {
        let origin = self.lines.get(line.checked_sub(self.first_line)?)?;
        let file = self.files.get(origin.file)?.clone();
        Some(Location {
            file,
            line: Some(origin.line),
            column: column.map(|c| c.saturating_sub(origin.shift).max(1)),
        })
    }

    fn location(&self, origin: Origin, column: usize) -> Location {
        Location::at(
            self.files[origin.file].clone(),
            origin.line,
            column.saturating_sub(origin.shift).max(1),
        )
    }
}

/// A chapter's text with its directives expanded.
#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    pub text: String,
    /// Where each line came from; `None` when the text is unchanged.
    pub lines: Option<LineMap>,
    /// The title `{{#title ...}}` gives the chapter.
    pub title: Option<String>,
    pub warnings: Vec<Diagnostic>,
}

/// One line of text and where it came from.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    origin: Origin,
}

/// Which lines of a file a directive takes.
#[derive(Debug, Clone, PartialEq)]
enum Select {
    /// 0-based first line and end (exclusive); `None` is open.
    Range(Option<usize>, Option<usize>),
    Anchor(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Directive {
    Include(String, Select),
    RustdocInclude(String, Select),
    Playground(String, Vec<String>),
    Title(String),
    /// A `{{#name ...}}` of another preprocessor, or one quire does not know.
    Unknown(String),
}

/// Expands the directives of `text`, the body of chapter file `path` starting on its line
/// `first_line`; includes must stay inside `root` (the book's folder).
pub fn expand(
    path: &Path,
    text: &str,
    first_line: usize,
    root: &Path,
) -> Result<Expanded, ProjectError> {
    if !text.contains("{{") {
        return Ok(Expanded {
            text: text.to_string(),
            lines: None,
            title: None,
            warnings: Vec::new(),
        });
    }
    let canonical_root = root.canonicalize().map_err(|source| ProjectError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let mut e = Expander {
        root: canonical_root,
        written_root: normalize(root),
        map: LineMap {
            first_line,
            files: vec![path.to_path_buf()],
            lines: Vec::new(),
        },
        title: None,
        warnings: Vec::new(),
        changed: false,
    };
    let lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, t)| Line {
            text: t.to_string(),
            origin: Origin {
                file: 0,
                line: first_line + i,
                shift: 0,
            },
        })
        .collect();
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let out = e.process(lines, &dir, 0)?;
    e.map.lines = out.iter().map(|l| l.origin).collect();
    e.warn_unread_tags(&out);
    let mut text = out
        .into_iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    if text.contains(ESCAPED) {
        text.retain(|c| c != ESCAPED);
    }
    Ok(Expanded {
        text,
        lines: e.changed.then_some(e.map),
        title: e.title,
        warnings: e.warnings,
    })
}

struct Expander {
    /// The book's folder, canonical (symbolic links resolved) and as written (to compare
    /// with paths made from the chapter's before they exist).
    root: PathBuf,
    written_root: PathBuf,
    map: LineMap,
    title: Option<String>,
    warnings: Vec<Diagnostic>,
    changed: bool,
}

impl Expander {
    /// Expands the directives of `lines` (text of a file in `dir`, `depth` includes deep).
    fn process(
        &mut self,
        lines: Vec<Line>,
        dir: &Path,
        depth: usize,
    ) -> Result<Vec<Line>, ProjectError> {
        let mut out = Vec::with_capacity(lines.len());
        for line in lines {
            if !line.text.contains("{{") {
                out.push(line);
                continue;
            }
            self.process_line(line, dir, depth, &mut out)?;
        }
        Ok(out)
    }

    fn process_line(
        &mut self,
        line: Line,
        dir: &Path,
        depth: usize,
        out: &mut Vec<Line>,
    ) -> Result<(), ProjectError> {
        let t = line.text.as_str();
        let mut current = String::new();
        let mut origin = line.origin;
        let mut pos = 0;
        while let Some(found) = t[pos..].find("{{").map(|i| i + pos) {
            // `\{{#...}}`: printed as written without the backslash, to the last `}}` of
            // the line (mdBook's greedy `\\\{\{#.*\}\}`).
            if found > 0 && t.as_bytes()[found - 1] == b'\\' && t[found + 2..].starts_with('#') {
                if let Some(end) = t[found..].rfind("}}").map(|i| i + found + 2) {
                    if end > found + 3 {
                        current.push_str(&t[pos..found - 1]);
                        current.push('{');
                        current.push(ESCAPED);
                        current.push_str(&t[found + 1..end]);
                        self.changed = true;
                        pos = end;
                        continue;
                    }
                }
            }
            let Some((end, name, args)) = directive_at(t, found) else {
                current.push_str(&t[pos..found + 2]);
                pos = found + 2;
                continue;
            };
            let column = t[..found].chars().count() + 1;
            let at = self.map.location(line.origin, column);
            let written = &t[found..end];
            let directive = parse_directive(name, args);
            if let Directive::Unknown(name) = &directive {
                self.warnings.push(Diagnostic::warning( Code::UnknownDirective, at, format!(                         "`{written}`: quire does not read `{{{{#{name}}}}}` (it reads {KNOWN}); it is printed as written. If a preprocessor makes it, put what it makes in the chapter"                     ), ));
                current.push_str(&t[pos..end]);
                pos = end;
                continue;
            }
            if name == "playpen" {
                self.warnings.push(Diagnostic::warning( Code::UnknownDirective, at.clone(), format!(                         "`{written}`: `{{{{#playpen}}}}` is mdBook's old name for `{{{{#playground}}}}`: write `{{{{#playground ...}}}}`"                     ), ));
            }
            if depth >= MAX_DEPTH {
                return Err(ProjectError::Include {
                    location: at,
                    message: format!(
                        "`{written}`: includes nest more than {MAX_DEPTH} deep (mdBook's limit): does a file include itself?"
                    ),
                });
            }
            current.push_str(&t[pos..found]);
            pos = end;
            self.changed = true;
            let content = self.render(&directive, written, dir, &at, line.origin, depth)?;
            // Every included line after the first gets the text before the directive (its
            // indentation, a `> `), as mdBook does.
            let prefix = current.clone();
            let shift = prefix.chars().count();
            let mut content = content.into_iter();
            if let Some(first) = content.next() {
                current.push_str(&first.text);
                if prefix.trim().is_empty() {
                    origin = first.origin.shifted(shift);
                }
                for next in content {
                    out.push(Line {
                        text: std::mem::replace(&mut current, format!("{prefix}{}", next.text)),
                        origin,
                    });
                    origin = next.origin.shifted(shift);
                }
            }
        }
        current.push_str(&t[pos..]);
        out.push(Line {
            text: current,
            origin,
        });
        Ok(())
    }

    /// The lines a directive stands for, its own directives expanded.
    fn render(
        &mut self,
        directive: &Directive,
        written: &str,
        dir: &Path,
        at: &Location,
        here: Origin,
        depth: usize,
    ) -> Result<Vec<Line>, ProjectError> {
        let (path, lines) = match directive {
            Directive::Title(title) => {
                self.title = Some(title.clone());
                return Ok(Vec::new());
            }
            Directive::Unknown(_) => return Ok(Vec::new()),
            Directive::Include(p, _)
            | Directive::RustdocInclude(p, _)
            | Directive::Playground(p, _) => self.read(p, written, dir, at)?,
        };
        let file = self.map.files.len();
        self.map.files.push(path.clone());
        let numbered = |i: usize, text: String, shift: usize| Line {
            text,
            origin: Origin {
                file,
                line: i + 1,
                shift,
            },
        };
        let selected: Vec<Line> = match directive {
            Directive::Include(_, select) => {
                let range = select_lines(&lines, select, written, at, &path)?;
                range
                    .filter(|&i| !is_anchor_line(&lines[i]))
                    .map(|i| numbered(i, lines[i].clone(), 0))
                    .collect()
            }
            Directive::RustdocInclude(_, select) => {
                // What the range or anchor leaves out is kept behind `# `: hidden in the
                // book, as mdBook's renderer hides it.
                let shown = select_lines(&lines, select, written, at, &path)?;
                (0..lines.len())
                    .filter(|&i| !is_anchor_line(&lines[i]))
                    .map(|i| {
                        if shown.contains(&i) {
                            numbered(i, lines[i].clone(), 0)
                        } else {
                            numbered(i, format!("# {}", lines[i]), 2)
                        }
                    })
                    .collect()
            }
            Directive::Playground(_, attributes) => {
                let info = if attributes.is_empty() {
                    "rust".to_string()
                } else {
                    format!("rust,{}", attributes.join(","))
                };
                let mut v = vec![Line {
                    text: format!("```{info}"),
                    origin: here,
                }];
                v.extend(
                    (0..lines.len())
                        .filter(|&i| !is_anchor_line(&lines[i]))
                        .map(|i| numbered(i, lines[i].clone(), 0)),
                );
                v.push(Line {
                    text: "```".into(),
                    origin: here,
                });
                v
            }
            Directive::Title(_) | Directive::Unknown(_) => Vec::new(),
        };
        let inner = path.parent().unwrap_or(Path::new("")).to_path_buf();
        self.process(selected, &inner, depth + 1)
    }

    /// The file a directive names, checked to lie inside the book, and its lines.
    fn read(
        &self,
        target: &str,
        written: &str,
        dir: &Path,
        at: &Location,
    ) -> Result<(PathBuf, Vec<String>), ProjectError> {
        let error = |message: String| ProjectError::Include {
            location: at.clone(),
            message: format!("`{written}`: {message}"),
        };
        let relative = Path::new(target);
        if target.is_empty() {
            return Err(error(
                "no file named: write the path of the file to include, relative to this chapter"
                    .into(),
            ));
        }
        if relative.is_absolute() || target.starts_with('/') || target.starts_with('\\') {
            return Err(error(format!(
                "`{target}` is an absolute path: write it relative to this chapter, to a file inside the book's folder"
            )));
        }
        let path = normalize(&dir.join(relative));
        let outside = |path: &Path| {
            error(format!(
                "{} is outside the book's folder {}: includes must stay inside it; copy the file into the book and include the copy",
                path.display(),
                self.root.display()
            ))
        };
        if !path.starts_with(&self.written_root) {
            return Err(outside(&path));
        }
        let canonical = path.canonicalize().map_err(|_| {
            error(format!(
                "there is no file {}: check the path (it is relative to the file the directive is in)",
                path.display()
            ))
        })?;
        // A symbolic link may still lead out.
        if !canonical.starts_with(&self.root) {
            return Err(outside(&path));
        }
        if !canonical.is_file() {
            return Err(error(format!(
                "{} is not a file: name a file to include",
                path.display()
            )));
        }
        let text = read_text(&path)?;
        Ok((path, text.lines().map(str::to_string).collect()))
    }

    /// Warns about `{{ tags }}` outside code that no directive made: a preprocessor's (such
    /// as `{{ mdbook-version }}`) or a template's, printed as written.
    fn warn_unread_tags(&mut self, lines: &[Line]) {
        let mut fence: Option<(char, usize)> = None;
        for line in lines {
            let t = line.text.as_str();
            let bare = t.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
            let marker = bare.chars().next().filter(|c| *c == '`' || *c == '~');
            if let Some(c) = marker {
                let run = bare.chars().take_while(|&x| x == c).count();
                if run >= 3 {
                    match fence {
                        None => fence = Some((c, run)),
                        Some((open, len)) if open == c && run >= len => fence = None,
                        Some(_) => {}
                    }
                    continue;
                }
            }
            if fence.is_some() || !t.contains("{{") {
                continue;
            }
            let code = code_spans(t);
            let mut pos = 0;
            while let Some(start) = t[pos..].find("{{").map(|i| i + pos) {
                let Some(len) = t[start + 2..].find("}}") else {
                    break;
                };
                let end = start + 2 + len + 2;
                let inner = t[start + 2..end - 2].trim();
                pos = end;
                if inner.is_empty() || code.iter().any(|r| r.contains(&start)) {
                    continue;
                }
                // `{{#name args}}` was read or warned about while expanding.
                if directive_at(t, start).is_some() {
                    continue;
                }
                let column = t[..start].chars().count() + 1;
                self.warnings.push(Diagnostic::warning( Code::UnknownDirective, self.map.location(line.origin, column), format!(                         "`{}` is a template or preprocessor tag quire does not read; it is printed as written: replace it with the text it stands for",                         &t[start..end]                     ), ));
            }
        }
    }
}

/// Byte ranges of a line's code spans (backtick runs closed by a run of the same length).
fn code_spans(t: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = t.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] == b'`' {
            i += 1;
        }
        let run = i - start;
        let mut j = i;
        let mut closed = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let s = j;
                while j < bytes.len() && bytes[j] == b'`' {
                    j += 1;
                }
                if j - s == run {
                    closed = Some(j);
                    break;
                }
            } else {
                j += 1;
            }
        }
        match closed {
            Some(end) => {
                spans.push(start..end);
                i = end;
            }
            None => i = start + run,
        }
    }
    spans
}

/// mdBook's directive at byte `start` of `t` (which holds `{{` there):
/// `\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}` on one line. Returns (end, name, arguments).
fn directive_at(t: &str, start: usize) -> Option<(usize, &str, &str)> {
    let rest = &t[start + 2..];
    let after_space = rest.trim_start();
    let hash = rest.len() - after_space.len();
    let body = after_space.strip_prefix('#')?;
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    if name_len == 0 {
        return None;
    }
    let name = &body[..name_len];
    let after_name = &body[name_len..];
    let args_start = after_name.trim_start();
    if args_start.len() == after_name.len() {
        return None;
    }
    let close = args_start.find('}')?;
    if close == 0 || !args_start[close..].starts_with("}}") {
        return None;
    }
    let args = &args_start[..close];
    let offset = start + 2 + hash + 1 + name_len + (after_name.len() - args_start.len());
    Some((offset + close + 2, name, args))
}

fn parse_directive(name: &str, args: &str) -> Directive {
    match name {
        "title" => Directive::Title(args.trim().to_string()),
        "include" => {
            let (path, select) = path_and_select(args);
            Directive::Include(path, select)
        }
        "rustdoc_include" => {
            let (path, select) = path_and_select(args);
            Directive::RustdocInclude(path, select)
        }
        "playground" | "playpen" => {
            let (path, rest) = split_path(args);
            Directive::Playground(path, rest.split_whitespace().map(String::from).collect())
        }
        other => Directive::Unknown(other.to_string()),
    }
}

/// The path of a directive (quoted, with `\` escapes, or up to the first space) and what
/// follows it.
fn split_path(args: &str) -> (String, &str) {
    let args = args.trim_start();
    if let Some(quoted) = args.strip_prefix('"') {
        let mut path = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        path.push(n);
                    }
                }
                '"' => return (path, &quoted[i + 1..]),
                c => path.push(c),
            }
        }
        return (path, "");
    }
    let end = args.find(char::is_whitespace).unwrap_or(args.len());
    (args[..end].to_string(), &args[end..])
}

/// `file.rs`, `file.rs:10`, `file.rs:5:`, `file.rs:2:10`, `file.rs::10`, `file.rs:name`.
fn path_and_select(args: &str) -> (String, Select) {
    let trimmed = args.trim_start();
    let (path, spec) = if trimmed.starts_with('"') {
        let (path, rest) = split_path(trimmed);
        (
            path,
            rest.trim_start().strip_prefix(':').map(str::to_string),
        )
    } else {
        let (word, _) = split_path(trimmed);
        match word.split_once(':') {
            Some((p, s)) => (p.to_string(), Some(s.to_string())),
            None => (word, None),
        }
    };
    (path, parse_select(spec.as_deref()))
}

/// mdBook's `parse_range_or_anchor`: line numbers are 1-based and the end inclusive; a
/// single number is that line; anything else in first place is an anchor.
fn parse_select(spec: Option<&str>) -> Select {
    let mut parts = spec.unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first {
        Some(s) if s.parse::<usize>().is_ok() => {
            s.parse::<usize>().ok().map(|n| n.saturating_sub(1))
        }
        Some("") | None => None,
        Some(anchor) => return Select::Anchor(anchor.to_string()),
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    match (start, end) {
        (Some(s), Some(Ok(e))) => Select::Range(Some(s), Some(e)),
        (Some(s), Some(Err(_))) => Select::Range(Some(s), None),
        (Some(s), None) => Select::Range(Some(s), Some(s + 1)),
        (None, Some(Ok(e))) => Select::Range(None, Some(e)),
        (None, _) => Select::Range(None, None),
    }
}

/// The (0-based) lines of a file a range or anchor takes; an error when it takes none
/// because the range lies past the file's end or the anchor is not in the file.
fn select_lines(
    lines: &[String],
    select: &Select,
    written: &str,
    at: &Location,
    path: &Path,
) -> Result<std::ops::Range<usize>, ProjectError> {
    let error = |message: String| ProjectError::Include {
        location: at.clone(),
        message: format!("`{written}`: {message}"),
    };
    let n = lines.len();
    match select {
        Select::Range(start, end) => {
            let s = start.unwrap_or(0);
            let e = end.unwrap_or(n).min(n);
            if start.is_some() && s >= n {
                return Err(error(format!(
                    "line {} is past the end of {} ({n} lines): correct the range",
                    s + 1,
                    path.display()
                )));
            }
            if let (Some(_), Some(end)) = (start, end) {
                if *end <= s {
                    return Err(error(format!(
                        "the range {}:{end} takes no line (it ends before it starts): write first:last, as in `:2:10`",
                        s + 1
                    )));
                }
            }
            Ok(s..e.max(s))
        }
        Select::Anchor(name) => {
            let begin = lines
                .iter()
                .position(|l| anchor_name(l, "ANCHOR:") == Some(name.as_str()))
                .ok_or_else(|| {
                    let mut names: Vec<&str> =
                        lines.iter().filter_map(|l| anchor_name(l, "ANCHOR:")).collect();
                    names.dedup();
                    let known = if names.is_empty() {
                        "it has no anchors".to_string()
                    } else {
                        format!("its anchors are {}", names.join(", "))
                    };
                    error(format!(
                        "{} has no `ANCHOR: {name}` line ({known}): add the anchor or correct the name",
                        path.display()
                    ))
                })?;
            let end = lines[begin + 1..]
                .iter()
                .position(|l| anchor_name(l, "ANCHOR_END:") == Some(name.as_str()))
                .map_or(n, |i| begin + 1 + i);
            Ok(begin + 1..end)
        }
    }
}

/// The name after `ANCHOR:` / `ANCHOR_END:` on a line (mdBook's `ANCHOR:\s*([\w_-]+)`).
fn anchor_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = line[from..].find(marker).map(|i| i + from) {
        let rest = line[i + marker.len()..].trim_start();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if len > 0 {
            return Some(&rest[..len]);
        }
        from = i + marker.len();
    }
    None
}

/// `ANCHOR:` and `ANCHOR_END:` lines are left out of everything included.
fn is_anchor_line(line: &str) -> bool {
    anchor_name(line, "ANCHOR:").is_some() || anchor_name(line, "ANCHOR_END:").is_some()
}

/// `a/b/../c` -> `a/c`, without touching the file system (`..` beyond the start is kept:
/// `../x` stays). Symbolic links are not followed: confinement is checked again on the
/// canonical path.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                if matches!(last, Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A book folder with the given files; returns it (kept alive by the guard).
    fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn run(dir: &tempfile::TempDir, chapter: &str) -> Result<Expanded, ProjectError> {
        let path = dir.path().join(chapter);
        let text = std::fs::read_to_string(&path).unwrap();
        expand(&path, &text, 1, dir.path())
    }

    const LIB: &str = "use x;\n// ANCHOR: all\n// ANCHOR: one\nfn one() {}\n// ANCHOR_END: one\nfn two() {}\n// ANCHOR_END: all\nfn main() {}\n";

    #[test]
    fn ranges_follow_mdbook() {
        assert_eq!(parse_select(None), Select::Range(None, None));
        assert_eq!(parse_select(Some("10")), Select::Range(Some(9), Some(10)));
        assert_eq!(parse_select(Some("5:")), Select::Range(Some(4), None));
        assert_eq!(parse_select(Some("2:10")), Select::Range(Some(1), Some(10)));
        assert_eq!(parse_select(Some(":10")), Select::Range(None, Some(10)));
        assert_eq!(parse_select(Some(":")), Select::Range(None, None));
        assert_eq!(parse_select(Some("name")), Select::Anchor("name".into()));
        assert_eq!(
            path_and_select("\"a b.rs\":2:3"),
            ("a b.rs".into(), Select::Range(Some(1), Some(3)))
        );
    }

    #[test]
    fn includes_take_ranges_and_anchors_without_anchor_lines() {
        let dir = book(&[
            ("src/lib.rs", LIB),
            (
                "src/ch.md",
                "# Ch\n\n```rust\n{{#include lib.rs:one}}\n```\n\n```rust\n{{#include lib.rs:2:4}}\n```\n\n```rust\n{{#include lib.rs}}\n```\n",
            ),
        ]);
        let e = run(&dir, "src/ch.md").unwrap();
        assert_eq!(
            e.text,
            "# Ch\n\n```rust\nfn one() {}\n```\n\n```rust\nfn one() {}\n```\n\n```rust\nuse x;\nfn one() {}\nfn two() {}\nfn main() {}\n```\n"
        );
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
        // The included line points at lib.rs:4; the line after at ch.md:5.
        let map = e.lines.unwrap();
        let at = map.locate(4, Some(1)).unwrap();
        assert_eq!((at.file.ends_with("src/lib.rs"), at.line), (true, Some(4)));
        let at = map.locate(5, Some(1)).unwrap();
        assert_eq!((at.file.ends_with("src/ch.md"), at.line), (true, Some(5)));
        let at = map.locate(15, Some(1)).unwrap();
        assert_eq!((at.file.ends_with("src/lib.rs"), at.line), (true, Some(8)));
    }

    #[test]
    fn rustdoc_include_hides_what_the_range_leaves_out() {
        let dir = book(&[
            ("lib.rs", "fn a() {}\nfn b() {}\nfn c() {}\n"),
            ("ch.md", "{{#rustdoc_include lib.rs:2}}\n"),
        ]);
        let e = run(&dir, "ch.md").unwrap();
        assert_eq!(e.text, "# fn a() {}\nfn b() {}\n# fn c() {}\n");
    }

    #[test]
    fn playground_title_escapes_and_nesting() {
        let dir = book(&[
            ("ex.rs", "fn main() {}\n"),
            ("part.md", "Inner {{#include deeper/leaf.md}}."),
            ("deeper/leaf.md", "leaf"),
            (
                "ch.md",
                "{{#title The Real Title}}\n# Ch\n\n{{#playground ex.rs editable}}\n\n\\{{#include nothing.rs}} stays\n\n- {{#include part.md}}\n",
            ),
        ]);
        let e = run(&dir, "ch.md").unwrap();
        assert_eq!(
            e.text,
            "\n# Ch\n\n```rust,editable\nfn main() {}\n```\n\n{{#include nothing.rs}} stays\n\n- Inner leaf.\n"
        );
        assert_eq!(e.title.as_deref(), Some("The Real Title"));
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    }

    #[test]
    fn included_lines_take_the_prefix_of_the_directive() {
        let dir = book(&[("two.txt", "a\nb"), ("ch.md", "> {{#include two.txt}}\n")]);
        assert_eq!(run(&dir, "ch.md").unwrap().text, "> a\n> b\n");
    }

    #[test]
    fn bad_includes_are_errors_at_their_line() {
        let cases: &[(&str, &str)] = &[
            ("{{#include missing.rs}}", "there is no file"),
            ("{{#include ../outside.rs}}", "outside the book's folder"),
            ("{{#include /etc/passwd}}", "absolute path"),
            (
                "{{#include lib.rs:nope}}",
                "no `ANCHOR: nope` line (its anchors are all, one)",
            ),
            ("{{#include lib.rs:99}}", "line 99 is past the end"),
            ("{{#include lib.rs:5:2}}", "takes no line"),
            ("{{#include self.md}}", "nest more than 10 deep"),
        ];
        for (directive, expected) in cases {
            let root = book(&[
                ("outside.rs", "x"),
                ("book/lib.rs", LIB),
                ("book/self.md", "{{#include self.md}}"),
                ("book/ch.md", &format!("# Ch\n\ntext {directive}\n")),
            ]);
            let path = root.path().join("book/ch.md");
            let text = std::fs::read_to_string(&path).unwrap();
            let err = expand(&path, &text, 1, &root.path().join("book")).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(expected), "{directive}: {msg}");
            if *directive != "{{#include self.md}}" {
                assert!(msg.contains("ch.md:3:6"), "{directive}: {msg}");
            } else {
                assert!(msg.contains("self.md:1:1"), "{msg}");
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_leading_out_is_refused() {
        let root = book(&[
            ("secret.txt", "x"),
            ("book/ch.md", "{{#include link.txt}}\n"),
        ]);
        std::os::unix::fs::symlink(
            root.path().join("secret.txt"),
            root.path().join("book/link.txt"),
        )
        .unwrap();
        let path = root.path().join("book/ch.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let err = expand(&path, &text, 1, &root.path().join("book")).unwrap_err();
        assert!(
            err.to_string().contains("outside the book's folder"),
            "{err}"
        );
    }

    #[test]
    fn unread_directives_and_tags_are_warned_about_outside_code() {
        let dir = book(&[(
            "ch.md",
            "# Ch\n\nVersion {{ mdbook-version }} and {{#shiftinclude a.rs}}.\n\n`{{ in code }}`\n\n```hbs\n{{#toc}}{{/toc}}\n```\n\n{{#toc}} here\n",
        )]);
        let e = run(&dir, "ch.md").unwrap();
        let got: Vec<(Option<usize>, Option<usize>, bool)> = e
            .warnings
            .iter()
            .map(|w| {
                (
                    w.location.line,
                    w.location.column,
                    w.message.contains("printed as written"),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some(3), Some(34), true),
                (Some(3), Some(9), true),
                (Some(11), Some(1), true)
            ],
            "{:?}",
            e.warnings
        );
        assert!(e.warnings[0].message.contains("{{#shiftinclude}}"));
        assert!(e.warnings[1].message.contains("`{{ mdbook-version }}`"));
        // Nothing changed: the text is the same.
        assert!(e.text.contains("{{ mdbook-version }}"));
    }
}
