//! The `quire` command line (interim: the author commands, until the typesetter lands and
//! brings the real `build`; see `main.rs.pending`).

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[path = "author/cli.rs"]
mod author_cli;

/// quire turns a Markdown manuscript into an EPUB 3 ebook and a print-ready PDF.
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
    #[command(flatten)]
    Author(author_cli::AuthorCommand),
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
        Command::Author(cmd) => author_cli::run(cmd, cli.globals, interim_build),
    }
}

/// EPUB only, until `build::build` is merged.
fn interim_build(
    manuscript: &Path,
    out: &Path,
    _format: author_cli::BuildFormat,
) -> Result<author_cli::Built, String> {
    let start = std::time::Instant::now();
    let (book, settings, warnings) =
        quire::read_manuscript(manuscript).map_err(|e| e.to_string())?;
    let bytes = quire::epub::write_epub(&book, &settings).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let path = out.join(format!(
        "{}.epub",
        quire::markdown::slug::slugify(&book.metadata.title)
    ));
    let tmp = tempfile::NamedTempFile::new_in(out).map_err(|e| e.to_string())?;
    std::fs::write(tmp.path(), &bytes).map_err(|e| e.to_string())?;
    tmp.persist(&path).map_err(|e| e.to_string())?;
    Ok(author_cli::Built {
        written: vec![(path, bytes.len() as u64, start.elapsed())],
        warnings,
    })
}
