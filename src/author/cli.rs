//! The author commands of the `quire` binary: `init`, `check`, `stats`, `watch`,
//! `completions`, `man`, and the global `--quiet`/`--verbose` flags.
//!
//! This file belongs to the binary (`main.rs` includes it with `#[path]`), not to the library:
//! it is the only place besides `main.rs` that prints.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use clap::{Args, CommandFactory, Subcommand, ValueEnum};

use quire::author::{self, report, watch};
use quire::diagnostic::{Diagnostic, Severity};

/// Flags every command takes.
#[derive(Args, Clone, Copy, Debug, Default)]
pub struct Globals {
    /// Print errors only: no warnings, no progress, no summary.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print how long each stage took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Subcommand)]
pub enum AuthorCommand {
    /// Create a new manuscript that builds at once: book.toml (every key explained), two sample
    /// chapters and a .gitignore for the build folder.
    ///
    /// Never overwrites: when any of the files exists, nothing is written (exit 1).
    Init {
        /// Folder to create the manuscript in (created if missing).
        #[arg(default_value = "manuscript")]
        dir: PathBuf,
    },
    /// Check a manuscript for mistakes without writing anything.
    ///
    /// Errors (exit 1): a manuscript that cannot be read, broken links and missing anchors,
    /// missing image files, characters none of the book's fonts can draw. Warnings: images
    /// without alt text, heading levels that jump, empty chapters, duplicate chapter titles,
    /// punctuation smart quotes get wrong ('90s, 6', word--word), missing author and cover;
    /// with --verbose also double spaces (which the typesetter and reading systems remove).
    Check {
        /// The manuscript folder or single Markdown file. Default: this folder when it holds
        /// a book.toml, metadata.yaml or SUMMARY.md, else manuscript/.
        #[arg(value_name = "MANUSCRIPT")]
        manuscript: Option<PathBuf>,
        /// `--deny warnings`: exit 1 on warnings too.
        #[arg(long, value_enum, value_name = "LEVEL")]
        deny: Option<Deny>,
        /// `human` (rustc-style, on stderr) or `json` (one object on stdout, for editors and CI).
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// Count words, characters and chapters; estimate print pages and reading time.
    ///
    /// Pages are estimated from the trim, margins, font size and leading in book.toml (see the
    /// README, "Author commands"); reading time at 250 words a minute.
    Stats {
        /// The manuscript folder or single Markdown file. Default: this folder when it holds
        /// a book.toml, metadata.yaml or SUMMARY.md, else manuscript/.
        #[arg(value_name = "MANUSCRIPT")]
        manuscript: Option<PathBuf>,
        /// `human` (a table) or `json`.
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// Build, then rebuild on every saved change until interrupted (Ctrl-C).
    ///
    /// A save that breaks the build is reported; the last good outputs stay in place and the
    /// next save rebuilds. Rebuilds are incremental: unchanged chapter files are not read again,
    /// and only the chapters an edit touched are set again; the outputs are the bytes a fresh
    /// `quire build` writes. Editors' temporary and swap files are not changes.
    Watch {
        /// The manuscript folder or single Markdown file. Default: this folder when it holds
        /// a book.toml, metadata.yaml or SUMMARY.md, else manuscript/.
        #[arg(value_name = "MANUSCRIPT")]
        manuscript: Option<PathBuf>,
        /// Folder to write the outputs to (created if missing; its changes are ignored).
        #[arg(short, long, value_name = "DIR", default_value = "build")]
        out: PathBuf,
        /// Which outputs to write.
        #[arg(short, long, value_enum, default_value_t = BuildFormat::All)]
        format: BuildFormat,
        /// The outputs' file name, without extension (as for `quire build --name`).
        #[arg(short, long, value_name = "NAME", value_parser = crate::parse_name)]
        name: Option<String>,
        /// Stop after this many rebuilds (for tests and scripts).
        #[arg(long, value_name = "N", hide = true)]
        max_rebuilds: Option<usize>,
    },
    /// Print a shell completion script: `quire completions bash > ~/.local/share/bash-completion/completions/quire`.
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `quire man > quire.1 && man ./quire.1`.
    Man,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Deny {
    /// Treat warnings as errors.
    Warnings,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BuildFormat {
    /// EPUB 3 ebook only.
    Epub,
    /// Print PDF only.
    Pdf,
    /// Both.
    All,
}

/// What one build wrote.
pub struct Built {
    /// Path, size in bytes, time it took.
    pub written: Vec<(PathBuf, u64, Duration)>,
    pub warnings: Vec<Diagnostic>,
    /// Chapters in the book, and how many were made afresh (the others were reused).
    pub chapters: usize,
    pub remade_chapters: usize,
    /// The files of the chapters made afresh.
    pub remade: Vec<PathBuf>,
    /// Outputs of the book's earlier names found in the output folder.
    pub stale: Vec<quire::manifest::Stale>,
}

/// Builds one manuscript into one folder, again at each call, reusing what it made before.
pub type Builder = Box<dyn FnMut() -> Result<Built, String>>;

/// Makes the builder of `manuscript` into `out`: `main.rs` provides it (it owns the build).
pub type BuildFn = fn(&Path, &Path, BuildFormat, Option<String>) -> Builder;

/// The manuscript a command was given, else the one it finds (see
/// `quire::project::default_manuscript`); when there is none, the error is printed and its
/// exit status returned.
pub fn manuscript_or_default(given: Option<PathBuf>) -> Result<PathBuf, ExitCode> {
    if let Some(m) = given {
        return Ok(m);
    }
    let found = quire::project::default_manuscript(Path::new("."));
    if found.exists() {
        return Ok(found);
    }
    print_error(
        "no manuscript here: this folder has no book.toml, metadata.yaml or SUMMARY.md, and no manuscript/ folder",
    );
    eprintln!("  give the manuscript's folder or Markdown file (`quire build path/to/book`), or make one with `quire init`");
    Err(ExitCode::from(1))
}

/// What a build found of the book's outputs under earlier names (after a change of title).
pub fn print_stale(stale: &[quire::manifest::Stale], g: Globals) {
    for s in stale {
        if s.removed {
            if !g.quiet {
                println!(
                    "removed {} (this book's output under its earlier name)",
                    s.path.display()
                );
            }
        } else if !g.quiet {
            eprintln!(
                "{}: {} is this book's output under an earlier name, changed since quire wrote it: kept; remove it if it is not wanted",
                report::label(Severity::Warning, report::stderr_color()),
                s.path.display()
            );
        }
    }
}

pub fn run(command: AuthorCommand, g: Globals, build: BuildFn) -> ExitCode {
    match command {
        AuthorCommand::Init { dir } => init(&dir, g),
        AuthorCommand::Check {
            manuscript,
            deny,
            format,
        } => match manuscript_or_default(manuscript) {
            Ok(m) => check(&m, deny.is_some(), format, g),
            Err(code) => code,
        },
        AuthorCommand::Stats { manuscript, format } => match manuscript_or_default(manuscript) {
            Ok(m) => stats(&m, format, g),
            Err(code) => code,
        },
        AuthorCommand::Watch {
            manuscript,
            out,
            format,
            name,
            max_rebuilds,
        } => match manuscript_or_default(manuscript) {
            Ok(m) => watch_loop(&m, &out, format, name, max_rebuilds, g, build),
            Err(code) => code,
        },
        AuthorCommand::Completions { shell } => {
            let mut cmd = crate::Cli::command();
            clap_complete::generate(shell, &mut cmd, "quire", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        AuthorCommand::Man => {
            let man = clap_mangen::Man::new(crate::Cli::command());
            let mut out = Vec::new();
            if let Err(e) = render_man(&man, &mut out) {
                print_error(&format!("cannot write the man page: {e}"));
                return ExitCode::from(1);
            }
            use std::io::Write;
            let _ = std::io::stdout().write_all(&out);
            ExitCode::SUCCESS
        }
    }
}

/// The man page: clap_mangen's page for `quire`, with a section per subcommand.
///
/// clap_mangen's `render` would list the subcommands as `quire-build(1)` and so on, pages
/// that are not installed: the sections below describe each command in this page instead.
fn render_man(man: &clap_mangen::Man, out: &mut Vec<u8>) -> std::io::Result<()> {
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    let cmd = crate::Cli::command();
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let roff = |s: &str| s.replace('\\', "\\\\").replace('-', "\\-");
        out.extend_from_slice(
            format!(".SH \"QUIRE {}\"\n", sub.get_name().to_uppercase()).as_bytes(),
        );
        let usage = sub
            .clone()
            .bin_name(format!("quire {}", sub.get_name()))
            .render_usage();
        out.extend_from_slice(format!(".nf\n{}\n.fi\n", roff(&usage.to_string())).as_bytes());
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            for para in about.to_string().split("\n\n") {
                out.extend_from_slice(format!(".PP\n{}\n", roff(para)).as_bytes());
            }
        }
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let name = match (arg.get_short(), arg.get_long()) {
                (Some(s), Some(l)) => format!("\\-{s}, \\-\\-{l}"),
                (None, Some(l)) => format!("\\-\\-{l}"),
                (Some(s), None) => format!("\\-{s}"),
                (None, None) => format!("<{}>", arg.get_id().as_str().to_uppercase()),
            };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            out.extend_from_slice(format!(".TP\n\\fB{name}\\fR\n{}\n", roff(&help)).as_bytes());
        }
    }
    Ok(())
}

/// `error: message` on stderr, `error` in red on a terminal.
pub fn print_error(message: &str) {
    eprintln!(
        "{}: {message}",
        report::label(Severity::Error, report::stderr_color())
    );
}

/// Build warnings, rustc-style, unless `--quiet`.
pub fn print_warnings(warnings: &[Diagnostic], g: Globals) {
    if g.quiet {
        return;
    }
    let color = report::stderr_color();
    let mut sources = report::SourceLines::default();
    for w in warnings {
        eprint!("{}", report::render(w, color, &mut sources));
    }
}

/// Prints `stage took 0.12 s` on stderr with `--verbose`.
pub fn print_timing(g: Globals, stage: &str, took: Duration) {
    if g.verbose {
        eprintln!("  {stage:<14} {}", watch::seconds(took));
    }
}

fn init(dir: &Path, g: Globals) -> ExitCode {
    match author::init::init(dir) {
        Ok(files) => {
            if !g.quiet {
                for f in &files {
                    println!("created {}", f.display());
                }
                let d = dir.display();
                println!("\nNext: edit the chapters and book.toml, then, in {d}:\n  quire check      finds mistakes\n  quire build      writes build/ (ignored by the .gitignore)\n  quire watch      rebuilds on every save");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(&e.to_string());
            ExitCode::from(1)
        }
    }
}

fn check(manuscript: &Path, deny_warnings: bool, format: ReportFormat, g: Globals) -> ExitCode {
    let (mut diagnostics, took) = watch::timed(|| author::check::check(manuscript));
    // Findings that are only noise unless asked for (double spaces: the typesetter and every
    // reading system collapse them).
    let before = diagnostics.len();
    if !g.verbose {
        diagnostics.retain(|d| !author::check::VERBOSE_ONLY.contains(&d.code));
    }
    let hidden = before - diagnostics.len();
    let (errors, warnings) = report::count(&diagnostics);
    match format {
        ReportFormat::Json => println!("{}", report::to_json(&diagnostics)),
        ReportFormat::Human => {
            let color = report::stderr_color();
            let mut sources = report::SourceLines::default();
            for d in &diagnostics {
                if g.quiet && d.severity == Severity::Warning {
                    continue;
                }
                eprintln!("{}", report::render(d, color, &mut sources));
            }
            if !g.quiet || errors > 0 {
                let plural =
                    |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
                let hidden = match hidden {
                    0 => String::new(),
                    n => format!(
                        " ({} not shown: --verbose lists them)",
                        plural(n, "double space")
                    ),
                };
                eprintln!(
                    "{}: {}, {}{hidden}",
                    manuscript.display(),
                    plural(errors, "error"),
                    plural(warnings, "warning")
                );
            }
        }
    }
    print_timing(g, "check", took);
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn stats(manuscript: &Path, format: ReportFormat, g: Globals) -> ExitCode {
    let (read, took) = watch::timed(|| author::stats::read_for_stats(manuscript));
    print_timing(g, "read", took);
    match read {
        Ok((book, settings, warnings)) => {
            // Images that could not be used: counted without them, and said.
            print_warnings(&warnings, g);
            let s = author::stats::stats(&book, &settings);
            match format {
                ReportFormat::Json => println!("{}", author::stats::to_json(&s)),
                ReportFormat::Human => print!("{}", author::stats::render(&s)),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(&e.to_string());
            ExitCode::from(1)
        }
    }
}

fn watch_loop(
    manuscript: &Path,
    out: &Path,
    format: BuildFormat,
    name: Option<String>,
    max_rebuilds: Option<usize>,
    g: Globals,
    build: BuildFn,
) -> ExitCode {
    let options = watch::WatchOptions {
        manuscript: manuscript.to_path_buf(),
        ignore: vec![out.to_path_buf()],
        debounce: Duration::from_millis(200),
        max_rebuilds,
        idle_timeout: None,
    };
    let root = manuscript
        .canonicalize()
        .unwrap_or_else(|_| manuscript.to_path_buf());
    // Names relative to the manuscript folder: events give absolute paths, the build the
    // paths as read.
    let folder = |m: &Path| {
        if m.is_file() {
            m.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            m.to_path_buf()
        }
    };
    let bases = [folder(&root), folder(manuscript)];
    let relative = |p: &Path| {
        let rel = bases.iter().find_map(|b| p.strip_prefix(b).ok());
        rel.unwrap_or(p).display().to_string()
    };
    let mut builder = build(manuscript, out, format, name);
    let result = watch::watch(&options, |changed| {
        if !changed.is_empty() && !g.quiet {
            let names: Vec<String> = changed.iter().map(|p| relative(p)).collect();
            println!("changed: {}", names.join(", "));
        }
        let (result, took) = watch::timed(|| with_spinner(g, &mut builder));
        match result {
            Ok(built) => {
                print_warnings(&built.warnings, g);
                if !g.quiet {
                    for (path, bytes, took) in &built.written {
                        println!(
                            "wrote {} ({}, {})",
                            path.display(),
                            human_size(*bytes),
                            watch::seconds(*took)
                        );
                    }
                    print_stale(&built.stale, g);
                    let what = if changed.is_empty() {
                        format!("built {} chapters", built.chapters)
                    } else {
                        let files: Vec<String> = built.remade.iter().map(|p| relative(p)).collect();
                        format!(
                            "rebuilt {} of {} chapters{}",
                            built.remade_chapters,
                            built.chapters,
                            file_list(&files)
                        )
                    };
                    println!(
                        "{what} in {}; watching {} for changes (Ctrl-C to stop)",
                        watch::seconds(took),
                        manuscript.display()
                    );
                }
            }
            Err(e) => {
                print_error(&e);
                eprintln!("the last good outputs are kept; fix it and save again");
            }
        }
    });
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(&e.to_string());
            ExitCode::from(1)
        }
    }
}

/// ` (ch12.md, ch13.md)`, at most three names and how many more; empty for none.
fn file_list(files: &[String]) -> String {
    match files.len() {
        0 => String::new(),
        1..=3 => format!(" ({})", files.join(", ")),
        n => format!(" ({} and {} more)", files[..3].join(", "), n - 3),
    }
}

/// Runs `f`; when it takes more than a second and stderr is a terminal (and not `--quiet`),
/// shows a spinner meanwhile, naming the stage and how many chapters it has done
/// (`quire::progress`).
pub fn with_spinner<T>(g: Globals, f: impl FnOnce() -> T) -> T {
    if g.quiet || !std::io::stderr().is_terminal() {
        return f();
    }
    let (done, wait) = mpsc::channel::<()>();
    let spinner = std::thread::spawn(move || {
        if wait.recv_timeout(Duration::from_secs(1)).is_ok() {
            return;
        }
        let message = || quire::progress::snapshot().describe();
        let bar = indicatif::ProgressBar::new_spinner().with_message(message());
        bar.enable_steady_tick(Duration::from_millis(100));
        while let Err(mpsc::RecvTimeoutError::Timeout) =
            wait.recv_timeout(Duration::from_millis(100))
        {
            bar.set_message(message());
        }
        bar.finish_and_clear();
    });
    let r = f();
    let _ = done.send(());
    let _ = spinner.join();
    r
}

pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / (1u64 << 10) as f64),
        b => format!("{b} B"),
    }
}
