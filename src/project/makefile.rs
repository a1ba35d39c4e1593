//! A `Makefile` that runs pandoc, read as pandoc authors keep one: the book's input files and
//! the options that shape the book are on the pandoc command line of a recipe.
//!
//! This is not make: it reads `VAR = value` assignments (`=`, `:=`, `::=`, `?=`, `+=`),
//! expands `$(VAR)` / `${VAR}` (and `$@`, the rule's target), joins `\` continuation lines,
//! and picks the recipe line that runs pandoc to an `.epub` target (else the first pandoc
//! line). Its words are split as the shell splits them (quotes, backslashes; `;`, `&&`, `|`
//! end a command) and globs are expanded as the shell expands them (sorted in byte order, as
//! in the C locale). What it cannot read (make functions such as `$(wildcard ...)`, a glob
//! that matches nothing) is a warning at Makefile:line, and the book falls back to the order
//! it would have without the Makefile.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::config::{Defaults, Entry, Key, Node, Value};
use crate::diagnostic::{Code, Diagnostic, Location};

/// The Makefile names quire looks for, in make's order.
pub const NAMES: &[&str] = &["GNUmakefile", "makefile", "Makefile"];

/// Options of pandoc that take a value (as the next word when not written `--opt=value`);
/// the others are flags. Needed to tell an option's value from an input file.
const WITH_VALUE: &[&str] = &[
    "-f",
    "--from",
    "-r",
    "--read",
    "-t",
    "--to",
    "-w",
    "--write",
    "-o",
    "--output",
    "--data-dir",
    "-d",
    "--defaults",
    "--template",
    "-M",
    "--metadata",
    "--metadata-file",
    "-V",
    "--variable",
    "-c",
    "--css",
    "--resource-path",
    "--epub-cover-image",
    "--epub-metadata",
    "--epub-embed-font",
    "--epub-subdirectory",
    "--epub-title-page",
    "--toc-depth",
    "--epub-chapter-level",
    "--split-level",
    "-L",
    "--lua-filter",
    "-F",
    "--filter",
    "--reference-doc",
    "--bibliography",
    "--csl",
    "--citation-abbreviations",
    "--pdf-engine",
    "--pdf-engine-opt",
    "-H",
    "--include-in-header",
    "-B",
    "--include-before-body",
    "-A",
    "--include-after-body",
    "--highlight-style",
    "--syntax-definition",
    "--dpi",
    "--wrap",
    "--columns",
    "--tab-stop",
    "--shift-heading-level-by",
    "--base-header-level",
    "--indented-code-classes",
    "--default-image-extension",
    "--extract-media",
    "--abbreviations",
    "--reference-location",
    "--top-level-division",
    "--number-offset",
    "--title-prefix",
    "-T",
    "--eol",
    "--markdown-headings",
    "--ipynb-output",
    "--request-header",
    "--email-obfuscation",
    "--id-prefix",
    "--slide-level",
    "--chunk-template",
    "--log",
];

/// One logical line of the Makefile (continuations joined) and the line it starts on.
struct Line {
    text: String,
    number: usize,
    recipe: bool,
}

/// A word of the command line and whether any of it was quoted (a quoted `*` is no glob).
#[derive(Debug, PartialEq)]
struct Word {
    text: String,
    quoted: bool,
}

/// Reads the Makefile at `path` (text `text`): the pandoc build it holds, as a defaults file
/// would say it (`input-files`, `resource-path`, `toc-depth`, `cover-image`, `lang`,
/// `split-level`, and its metadata files). `None` when no recipe runs pandoc, or when the
/// command line cannot be read (then with a warning saying why).
pub fn read(path: &Path, text: &str) -> (Option<Defaults>, Vec<Diagnostic>) {
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut warnings = Vec::new();
    let lines = logical_lines(text);
    let mut vars: HashMap<String, String> = HashMap::new();
    // (target, line) of each recipe line: make expands them once every variable is set.
    let mut recipes: Vec<(String, &Line)> = Vec::new();
    let mut target = String::new();
    for line in &lines {
        if line.recipe {
            recipes.push((target.clone(), line));
            continue;
        }
        let t = strip_comment(&line.text);
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if let Some((name, op, value)) = assignment(t) {
            let value = value.trim().to_string();
            let value = match op {
                ":=" | "::=" => expand(&value, &vars, "", &mut Vec::new()),
                _ => value,
            };
            match op {
                "?=" => {
                    vars.entry(name).or_insert(value);
                }
                "+=" => {
                    let v = vars.entry(name).or_default();
                    if !v.is_empty() {
                        v.push(' ');
                    }
                    v.push_str(&value);
                }
                _ => {
                    vars.insert(name, value);
                }
            }
        } else if let Some((targets, _deps)) = t.split_once(':') {
            let expanded = expand(targets, &vars, "", &mut Vec::new());
            target = expanded.split_whitespace().next().unwrap_or("").to_string();
        }
    }
    let pandoc_lines: Vec<(String, &Line)> = recipes
        .into_iter()
        .filter(|(t, l)| runs_pandoc(&expand(&l.text, &vars, t, &mut Vec::new())))
        .collect();
    let Some((target, line)) = pandoc_lines
        .iter()
        .find(|(t, l)| {
            t.ends_with(".epub") || {
                let words = command_words(&expand(&l.text, &vars, t, &mut Vec::new()));
                option_values(&words, &["-o", "--output"])
                    .iter()
                    .any(|o| o.ends_with(".epub"))
            }
        })
        .or_else(|| pandoc_lines.first())
    else {
        return (None, warnings);
    };
    let at = Location::at(path, line.number, 1);
    let mut unset = Vec::new();
    let expanded = expand(&line.text, &vars, target, &mut unset);
    for name in unset {
        let message = if name.contains(' ') {
            format!("`$({name})` is a make function quire does not run: the pandoc command line cannot be read, so the Makefile's chapter order is not used")
        } else {
            format!("`$({name})` is not set in the Makefile (from the environment?): it is read as empty")
        };
        warnings.push(
            Diagnostic::warning(Code::ReadingOrder, at.clone(), message).with_help(
                "list the chapters in `input-files` of a defaults.yaml, or `[manuscript] chapters` in book.toml",
            ),
        );
        if name.contains(' ') {
            return (None, warnings);
        }
    }
    let words = command_words(&expanded);
    let defaults = options(&words, dir, &at, &mut warnings);
    (defaults, warnings)
}

/// The Makefile's lines with `\` continuations joined; a recipe line starts with a tab.
fn logical_lines(text: &str) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut open = false;
    for (i, raw) in text.lines().enumerate() {
        let (body, continues) = match raw.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (raw, false),
        };
        match out.last_mut() {
            Some(last) if open => {
                last.text.push(' ');
                last.text.push_str(body.trim_start());
            }
            _ => out.push(Line {
                text: body.strip_prefix('\t').unwrap_or(body).to_string(),
                number: i + 1,
                recipe: raw.starts_with('\t'),
            }),
        }
        open = continues;
    }
    out
}

fn strip_comment(line: &str) -> &str {
    match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    }
}

/// `NAME op value`, with make's `override` / `export` before it.
fn assignment(line: &str) -> Option<(String, &'static str, &str)> {
    let line = line
        .strip_prefix("override ")
        .or_else(|| line.strip_prefix("export "))
        .unwrap_or(line);
    let eq = line.find('=')?;
    let (before, value) = (&line[..eq], &line[eq + 1..]);
    let (name, op) = [("::", "::="), (":", ":="), ("?", "?="), ("+", "+=")]
        .iter()
        .find_map(|(suffix, op)| before.strip_suffix(suffix).map(|n| (n, *op)))
        .unwrap_or((before, "="));
    let name = name.trim();
    let is_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    is_name.then(|| (name.to_string(), op, value))
}

/// Expands `$(VAR)`, `${VAR}`, `$X`, `$@` and `$$`; names not set (and make functions, whose
/// name has a space) are collected in `unset` and read as empty.
fn expand(
    text: &str,
    vars: &HashMap<String, String>,
    target: &str,
    unset: &mut Vec<String>,
) -> String {
    expand_depth(text, vars, target, unset, 0)
}

fn expand_depth(
    text: &str,
    vars: &HashMap<String, String>,
    target: &str,
    unset: &mut Vec<String>,
    depth: usize,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let Some(c) = rest.chars().next() else {
            out.push('$');
            break;
        };
        let (name, after) = match c {
            '(' | '{' => {
                let close = if c == '(' { ')' } else { '}' };
                match matching(rest, c, close) {
                    Some(end) => (rest[1..end].to_string(), &rest[end + 1..]),
                    None => (rest[1..].to_string(), ""),
                }
            }
            _ => (c.to_string(), &rest[c.len_utf8()..]),
        };
        rest = after;
        match name.as_str() {
            "$" => out.push('$'),
            "@" => out.push_str(target),
            _ => match vars.get(&name) {
                // A cycle (`A = $(A)`) stops at a depth make would refuse.
                Some(v) if depth < 32 => {
                    out.push_str(&expand_depth(v, vars, target, unset, depth + 1))
                }
                _ => {
                    if !unset.contains(&name) {
                        unset.push(name);
                    }
                }
            },
        }
    }
    out.push_str(rest);
    out
}

/// The index of the `close` that matches the `open` at the start of `s`.
fn matching(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Whether a recipe line runs pandoc (in one of its commands).
fn runs_pandoc(line: &str) -> bool {
    commands(line).iter().any(|c| is_pandoc(c))
}

fn is_pandoc(command: &[Word]) -> bool {
    command.first().is_some_and(|w| {
        let name = w.text.rsplit(['/', '\\']).next().unwrap_or("");
        name == "pandoc" || name.eq_ignore_ascii_case("pandoc.exe")
    })
}

/// The words of the pandoc command on a recipe line.
fn command_words(line: &str) -> Vec<Word> {
    commands(line)
        .into_iter()
        .find(|c| is_pandoc(c))
        .unwrap_or_default()
}

/// A recipe line split as the shell splits it into commands and words. make's `@`, `-`, `+`
/// before the command are not part of it.
fn commands(line: &str) -> Vec<Vec<Word>> {
    let line = line.trim_start().trim_start_matches(['@', '-', '+']);
    let mut out: Vec<Vec<Word>> = vec![Vec::new()];
    let mut word: Option<Word> = None;
    let mut chars = line.chars().peekable();
    let end_word = |word: &mut Option<Word>, out: &mut Vec<Vec<Word>>| {
        if let Some(w) = word.take() {
            if let Some(last) = out.last_mut() {
                last.push(w);
            }
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => end_word(&mut word, &mut out),
            ';' | '&' | '|' => {
                end_word(&mut word, &mut out);
                if chars.peek() == Some(&c) {
                    chars.next();
                }
                out.push(Vec::new());
            }
            '\'' | '"' => {
                let w = word.get_or_insert(Word {
                    text: String::new(),
                    quoted: true,
                });
                w.quoted = true;
                while let Some(q) = chars.next() {
                    if q == c {
                        break;
                    }
                    if c == '"' && q == '\\' {
                        if let Some(n) = chars.next() {
                            w.text.push(n);
                        }
                        continue;
                    }
                    w.text.push(q);
                }
            }
            '\\' => {
                let w = word.get_or_insert(Word {
                    text: String::new(),
                    quoted: true,
                });
                if let Some(n) = chars.next() {
                    w.text.push(n);
                }
            }
            _ => word
                .get_or_insert(Word {
                    text: String::new(),
                    quoted: false,
                })
                .text
                .push(c),
        }
    }
    end_word(&mut word, &mut out);
    out
}

/// The values given to any of `names` (`--opt value` or `--opt=value`, `-Xvalue`).
fn option_values(words: &[Word], names: &[&str]) -> Vec<String> {
    parse_args(words)
        .0
        .into_iter()
        .filter(|(n, _)| names.contains(&n.as_str()))
        .map(|(_, v)| v)
        .collect()
}

/// Options (name, value) and input words of a pandoc command line (without `pandoc`).
fn parse_args(words: &[Word]) -> (Vec<(String, String)>, Vec<&Word>) {
    let mut opts = Vec::new();
    let mut inputs = Vec::new();
    let mut i = 1;
    while i < words.len() {
        let w = &words[i].text;
        i += 1;
        if w == "--" {
            inputs.extend(words[i..].iter());
            break;
        }
        if !w.starts_with('-') || w == "-" {
            inputs.push(&words[i - 1]);
            continue;
        }
        if let Some((name, value)) = w.split_once('=').filter(|_| w.starts_with("--")) {
            opts.push((name.to_string(), value.to_string()));
        } else if WITH_VALUE.contains(&w.as_str()) {
            let value = words.get(i).map(|v| v.text.clone()).unwrap_or_default();
            i += 1;
            opts.push((w.clone(), value));
        } else if !w.starts_with("--") && w.len() > 2 && WITH_VALUE.contains(&&w[..2]) {
            opts.push((w[..2].to_string(), w[2..].to_string()));
        } else {
            opts.push((w.clone(), String::new()));
        }
    }
    (opts, inputs)
}

/// What the pandoc command line says about the book, as a defaults file would say it.
fn options(
    words: &[Word],
    dir: &Path,
    at: &Location,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Defaults> {
    let (opts, inputs) = parse_args(words);
    let mut out = Defaults::default();
    let node = |value: Value| Node {
        value,
        at: at.clone(),
    };
    let mut push = |name: &str, value: Value| {
        out.table.push(Entry {
            key: Key {
                name: name.to_string(),
                at: at.clone(),
            },
            node: node(value),
        })
    };
    let mut files = Vec::new();
    for word in inputs {
        match glob(dir, word) {
            Some(found) if !found.is_empty() => files.extend(found),
            Some(_) => {
                warnings.push(
                    Diagnostic::warning(
                        Code::ReadingOrder,
                        at.clone(),
                        format!("`{}` on the pandoc command line matches no file: it is left out", word.text),
                    )
                    .with_help("correct the pattern, or list the chapters in `input-files` of a defaults.yaml"),
                );
            }
            None => files.push(word.text.clone()),
        }
    }
    if !files.is_empty() {
        push(
            "input-files",
            Value::List(files.into_iter().map(|f| node(Value::Text(f))).collect()),
        );
    }
    let mut metadata_files = Vec::new();
    for (name, value) in opts {
        match name.as_str() {
            "--metadata-file" => metadata_files.push((dir.join(&value), at.clone())),
            "--resource-path" => push("resource-path", Value::Text(value)),
            "--epub-cover-image" => push("cover-image", Value::Text(value)),
            "--toc-depth" => match value.trim().parse::<i64>() {
                Ok(n) => push("toc-depth", Value::Integer(n)),
                Err(_) => warnings.push(Diagnostic::warning(
                    Code::ReadingOrder,
                    at.clone(),
                    format!("--toc-depth={value} is not a number: it is not used"),
                )),
            },
            "--epub-chapter-level" | "--split-level" => match value.trim().parse::<i64>() {
                Ok(n) => push("split-level", Value::Integer(n)),
                Err(_) => warnings.push(Diagnostic::warning(
                    Code::ReadingOrder,
                    at.clone(),
                    format!("{name}={value} is not a number: it is not used"),
                )),
            },
            "-M" | "--metadata" => {
                // pandoc: `KEY[=VAL]` or `KEY[:VAL]`; only the language shapes the book here.
                let (key, val) = value
                    .split_once(['=', ':'])
                    .unwrap_or((value.as_str(), "true"));
                if key == "lang" || key == "language" {
                    push("lang", Value::Text(val.to_string()));
                }
            }
            _ => {}
        }
    }
    // pandoc prefers the later metadata file: read it first, so that it wins.
    metadata_files.reverse();
    out.metadata_files = metadata_files;
    Some(out)
}

/// The files a word names: `None` when it is no pattern (an unquoted `*`, `?` or `[`), else
/// the matches relative to `dir`, sorted in byte order.
fn glob(dir: &Path, word: &Word) -> Option<Vec<String>> {
    if word.quoted || !word.text.contains(['*', '?', '[']) {
        return None;
    }
    let mut found = vec![String::new()];
    for part in word.text.split('/') {
        let mut next = Vec::new();
        for prefix in &found {
            let base = if prefix.is_empty() {
                dir.to_path_buf()
            } else {
                dir.join(prefix)
            };
            let join = |name: &str| {
                if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}/{name}")
                }
            };
            if !part.contains(['*', '?', '[']) {
                let candidate = join(part);
                if part.is_empty() || dir.join(&candidate).exists() {
                    next.push(candidate);
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&base) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                // The shell's `*` does not match a leading dot.
                .filter(|n| !n.starts_with('.') || part.starts_with('.'))
                .filter(|n| matches(part.as_bytes(), n.as_bytes()))
                .collect();
            names.sort();
            next.extend(names.iter().map(|n| join(n)));
        }
        found = next;
    }
    let files: Vec<String> = found
        .into_iter()
        .filter(|f| dir.join(f).is_file())
        .collect();
    Some(files)
}

/// Shell pattern matching: `*`, `?`, `[abc]` / `[a-z]` / `[!x]`.
fn matches(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.first() {
        None => name.is_empty(),
        Some(b'*') => (0..=name.len()).any(|i| matches(&pattern[1..], &name[i..])),
        Some(b'?') => !name.is_empty() && matches(&pattern[1..], &name[1..]),
        Some(b'[') => {
            let Some(close) = pattern
                .iter()
                .skip(2)
                .position(|&b| b == b']')
                .map(|p| p + 2)
            else {
                return name.first() == Some(&b'[') && matches(&pattern[1..], &name[1..]);
            };
            let Some(&c) = name.first() else { return false };
            let mut set = &pattern[1..close];
            let negate = matches!(set.first(), Some(b'!' | b'^'));
            if negate {
                set = &set[1..];
            }
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == b'-' {
                    hit |= (set[i]..=set[i + 2]).contains(&c);
                    i += 3;
                } else {
                    hit |= set[i] == c;
                    i += 1;
                }
            }
            hit != negate && matches(&pattern[close + 1..], &name[1..])
        }
        Some(&b) => name.first() == Some(&b) && matches(&pattern[1..], &name[1..]),
    }
}

/// The files a Makefile beside the manuscript may be.
pub fn find(root: &Path) -> Option<PathBuf> {
    NAMES.iter().map(|n| root.join(n)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(v: &Value) -> Vec<String> {
        match v {
            Value::List(items) => items.iter().flat_map(|i| texts(&i.value)).collect(),
            Value::Text(t) => vec![t.clone()],
            Value::Integer(n) => vec![n.to_string()],
            _ => Vec::new(),
        }
    }

    fn get(d: &Defaults, key: &str) -> Vec<String> {
        d.table
            .iter()
            .filter(|e| e.key.name == key)
            .flat_map(|e| texts(&e.node.value))
            .collect()
    }

    #[test]
    fn the_epub_recipe_gives_files_and_options() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("ch/pre")).unwrap();
        for f in [
            "ch/b.md",
            "ch/a10.md",
            "ch/a2.md",
            "ch/pre/p.md",
            "ch/x.txt",
        ] {
            std::fs::write(root.join(f), "# x\n").unwrap();
        }
        let text = "CHAPTERS = ch/*.md\nIMG := img\nMETA = m.yml # the metadata\nARGS = --toc --toc-depth=2 \\\n  --metadata-file=$(META)\nPANDOC = \"pandoc\"\n\nall: book.pdf out/book.epub\n\nbook.pdf: $(CHAPTERS)\n\tpandoc -o $@ $(CHAPTERS)\n\nout/book.epub: $(CHAPTERS)\n\tmkdir -p out\n\t@$(PANDOC) $(ARGS) --from markdown+raw_html --epub-chapter-level 2 \\\n\t  --resource-path=$(IMG) -M lang=de --epub-cover-image=$(IMG)/c.jpg -o $@ ch/pre/p.md $(CHAPTERS) && echo done\n";
        let path = root.join("Makefile");
        let (d, w) = read(&path, text);
        assert!(w.is_empty(), "{w:?}");
        let d = d.expect("a pandoc build");
        assert_eq!(
            get(&d, "input-files"),
            ["ch/pre/p.md", "ch/a10.md", "ch/a2.md", "ch/b.md"]
        );
        assert_eq!(get(&d, "resource-path"), ["img"]);
        assert_eq!(get(&d, "cover-image"), ["img/c.jpg"]);
        assert_eq!(get(&d, "toc-depth"), ["2"]);
        assert_eq!(get(&d, "split-level"), ["2"]);
        assert_eq!(get(&d, "lang"), ["de"]);
        assert_eq!(d.metadata_files.len(), 1);
        assert_eq!(d.metadata_files[0].0, root.join("m.yml"));
        // Every key points at the recipe line (a continuation line joined to it).
        assert_eq!(d.table[0].key.at.line, Some(15));
    }

    #[test]
    fn unreadable_command_lines_warn() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Makefile");
        let (d, w) = read(&path, "book.epub:\n\tpandoc -o $@ $(wildcard ch/*.md)\n");
        assert!(d.is_none());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].location.line, Some(2));
        assert!(w[0].message.contains("wildcard"), "{}", w[0].message);
        let (d, w) = read(&path, "book.epub:\n\tpandoc -o $@ nothing/*.md\n");
        assert!(d.is_some_and(|d| get(&d, "input-files").is_empty()));
        assert!(w[0].message.contains("matches no file"), "{}", w[0].message);
        let (d, w) = read(&path, "all:\n\tcc -o x x.c\n");
        assert!(d.is_none() && w.is_empty());
    }

    #[test]
    fn shell_words_and_patterns() {
        let c = commands("@cd x && \"pandoc\" 'a b' c\\ d \"*.md\" -o out; echo");
        assert_eq!(c.len(), 3);
        let words: Vec<&str> = c[1].iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["pandoc", "a b", "c d", "*.md", "-o", "out"]);
        assert!(c[1][3].quoted);
        assert!(matches(b"ch*.md", b"ch10.md"));
        assert!(matches(b"[0-9]?_*.md", b"01_a.md"));
        assert!(!matches(b"[!0-9]*", b"1a"));
        assert!(!matches(b"*.md", b"a.md.bak"));
    }
}
