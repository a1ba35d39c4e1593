//! The `quire` command line. Only this file prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use quire::build::{self, BuildOptions, Format};

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the EPUB and/or PDF of a manuscript.
    ///
    /// Writes <OUT>/<slug>.epub and <OUT>/<slug>.pdf, named after the book's title. Each file is
    /// written to a temporary name and renamed into place when complete, so a failed build
    /// never leaves a half-written file or replaces a good one.
    Build {
        /// The manuscript: a folder (with book.toml or metadata.yaml and chapter files) or a
        /// single Markdown file.
        #[arg(default_value = "manuscript")]
        manuscript: PathBuf,
        /// Folder to write the outputs to (created if missing).
        #[arg(short, long, value_name = "DIR", default_value = "build")]
        out: PathBuf,
        /// Which outputs to write.
        #[arg(short, long, value_enum, default_value_t = FormatArg::All)]
        format: FormatArg,
        /// `--deny warnings`: fail (exit 1, write nothing) when there is any warning.
        #[arg(long, value_enum, value_name = "KIND")]
        deny: Option<DenyArg>,
    },
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
    match cli.command {
        Command::Build {
            manuscript,
            out,
            format,
            deny,
        } => {
            let format = match format {
                FormatArg::Epub => Format::Epub,
                FormatArg::Pdf => Format::Pdf,
                FormatArg::All => Format::All,
            };
            let options = BuildOptions {
                manuscript,
                out_dir: out,
                format,
                deny_warnings: deny.is_some(),
            };
            match build::build(&options) {
                Ok(report) => {
                    for w in &report.warnings {
                        eprint!("{}", render_warning(w));
                    }
                    for file in &report.written {
                        println!(
                            "wrote {} ({}, {:.2} s)",
                            file.path.display(),
                            human_size(file.bytes),
                            file.elapsed.as_secs_f64()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    if let build::BuildError::DeniedWarnings(warnings) = &e {
                        for w in warnings {
                            eprint!("{}", render_warning(w));
                        }
                    }
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// A warning in the style of rustc: the message, where it is, and the source line with a caret.
fn render_warning(w: &quire::diagnostic::Warning) -> String {
    let loc = &w.location;
    let mut out = format!("warning: {}\n  --> {}\n", w.message, loc);
    if let Some(line_no) = loc.line {
        let line = std::fs::read_to_string(&loc.file)
            .ok()
            .and_then(|text| text.lines().nth(line_no - 1).map(str::to_string));
        if let Some(line) = line {
            let gutter = " ".repeat(line_no.to_string().len());
            let caret = " ".repeat(loc.column.unwrap_or(1).saturating_sub(1));
            out.push_str(&format!(
                "{gutter} |\n{line_no} | {line}\n{gutter} | {caret}^\n"
            ));
        }
    }
    out
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / (1u64 << 10) as f64),
        b => format!("{b} B"),
    }
}
