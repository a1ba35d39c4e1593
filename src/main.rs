//! The `quire` command line. Only this file (and `author/cli.rs`, which it includes) prints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use quire::build::{self, BuildOptions, Format};

#[path = "author/cli.rs"]
mod author_cli;

/// quire turns a Markdown manuscript into an EPUB 3 ebook and a print-ready PDF.
///
/// A manuscript is a folder with a book.toml (mdBook's layout) or a pandoc-style
/// metadata.yaml, and Markdown chapter files; or a single Markdown file, split into
/// chapters at its headings. See the README for every book.toml key.
///
/// Exit status: 0 on success, 1 when the build failed, 2 when the command line is wrong.
#[derive(Parser)]
#[command(name = "quire", version, about, long_about)]
struct Cli {
    #[command(flatten)]
    globals: author_cli::Globals,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the EPUB and/or PDF of a manuscript.
    ///
    /// Writes <OUT>/<NAME>.epub and <OUT>/<NAME>.pdf (or, with `--format cover`, the print
    /// cover <OUT>/<NAME>-cover.pdf), named after the book's title unless --name or
    /// `[output] name` says otherwise. Each file is written to a temporary name and renamed into
    /// place when complete, so a failed build never leaves a half-written file or replaces a
    /// good one. The outputs of the book's earlier names (before a change of title) are removed
    /// when they are still what quire wrote.
    Build {
        /// The manuscript: a folder (with book.toml or metadata.yaml and chapter files) or a
        /// single Markdown file. Default: this folder when it holds a book.toml,
        /// metadata.yaml or SUMMARY.md, else manuscript/.
        #[arg(value_name = "MANUSCRIPT")]
        manuscript: Option<PathBuf>,
        /// Folder to write the outputs to (created if missing).
        #[arg(short, long, value_name = "DIR", default_value = "build")]
        out: PathBuf,
        /// The outputs' file name, without extension (default: `[output] name` in book.toml,
        /// else the title in lower case with hyphens).
        #[arg(short, long, value_name = "NAME", value_parser = parse_name)]
        name: Option<String>,
        /// Which outputs to write.
        #[arg(short, long, value_enum, default_value_t = FormatArg::All)]
        format: FormatArg,
        /// `--deny warnings`: fail (exit 1, write nothing) when there is any warning.
        #[arg(long, value_enum, value_name = "KIND")]
        deny: Option<DenyArg>,
    },
    #[command(flatten)]
    Author(author_cli::AuthorCommand),
}

#[derive(Clone, Copy, ValueEnum)]
enum DenyArg {
    /// Treat every warning as an error.
    Warnings,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// EPUB 3 ebook only.
    Epub,
    /// Print PDF only.
    Pdf,
    /// Both.
    All,
    /// The print cover alone: <slug>-cover.pdf, back, spine and front with bleed, sized
    /// from the interior's trim and page count.
    Cover,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Ctrl-C, SIGTERM or SIGHUP: remove the temporary files of an output being written (its
    // renames are allowed to finish first), then stop. Without a handler the process would die
    // leaving them in the output folder.
    if let Err(e) = ctrlc::set_handler(|| {
        quire::output::abandon();
        std::process::exit(130);
    }) {
        author_cli::print_error(&format!("cannot handle Ctrl-C: {e}"));
    }
    let g = cli.globals;
    match cli.command {
        Command::Author(cmd) => author_cli::run(cmd, g, build_session),
        Command::Build {
            manuscript,
            out,
            format,
            deny,
            name,
        } => {
            let manuscript = match author_cli::manuscript_or_default(manuscript) {
                Ok(m) => m,
                Err(code) => return code,
            };
            let format = match format {
                FormatArg::Epub => Format::Epub,
                FormatArg::Pdf => Format::Pdf,
                FormatArg::All => Format::All,
                FormatArg::Cover => Format::Cover,
            };
            let options = BuildOptions {
                manuscript,
                out_dir: out,
                format,
                deny_warnings: deny.is_some(),
                name,
            };
            let start = std::time::Instant::now();
            match author_cli::with_spinner(g, || build::build(&options)) {
                Ok(report) => {
                    author_cli::print_warnings(&report.warnings, g);
                    for file in &report.written {
                        if !g.quiet {
                            println!(
                                "wrote {} ({}, {:.2} s)",
                                file.path.display(),
                                author_cli::human_size(file.bytes),
                                file.elapsed.as_secs_f64()
                            );
                        }
                        let stage = file.path.extension().unwrap_or_default();
                        author_cli::print_timing(g, &stage.to_string_lossy(), file.elapsed);
                    }
                    author_cli::print_stale(&report.stale, g);
                    author_cli::print_timing(g, "total", start.elapsed());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    if let build::BuildError::DeniedWarnings(warnings) = &e {
                        // Denied warnings are errors here: shown even with --quiet.
                        author_cli::print_warnings(warnings, author_cli::Globals::default());
                    }
                    author_cli::print_error(&e.to_string());
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// `--name`: a plain file name without extension.
fn parse_name(name: &str) -> Result<String, String> {
    build::check_output_name(name).map(|()| name.to_string())
}

/// The builds of `quire watch`: a session, which reuses unchanged chapters.
fn build_session(
    manuscript: &Path,
    out: &Path,
    format: author_cli::BuildFormat,
    name: Option<String>,
) -> author_cli::Builder {
    let format = match format {
        author_cli::BuildFormat::Epub => Format::Epub,
        author_cli::BuildFormat::Pdf => Format::Pdf,
        author_cli::BuildFormat::All => Format::All,
    };
    let mut session = quire::incremental::Session::new(BuildOptions {
        manuscript: manuscript.to_path_buf(),
        out_dir: out.to_path_buf(),
        format,
        deny_warnings: false,
        name,
    });
    Box::new(move || {
        let built = session.build().map_err(|e| e.to_string())?;
        Ok(author_cli::Built {
            written: built
                .report
                .written
                .into_iter()
                .map(|w| (w.path, w.bytes, w.elapsed))
                .collect(),
            warnings: built.report.warnings,
            chapters: built.chapters,
            remade_chapters: built.remade_chapters,
            remade: built.remade,
            stale: built.report.stale,
        })
    })
}
