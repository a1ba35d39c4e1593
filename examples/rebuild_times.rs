//! How long a full build and a one-chapter rebuild of a manuscript take (`quire watch`):
//! `cargo run --release --example rebuild_times -- tests/fixtures/pride-and-prejudice ch12.md`.
//! The manuscript is copied to a scratch folder; the chapter file gets one word more per round.

use std::path::PathBuf;
use std::time::Instant;

use quire::build::{BuildOptions, Format};
use quire::incremental::Session;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let source = PathBuf::from(args.next().ok_or("give a manuscript folder")?);
    let chapter = args.next().ok_or("give a chapter file name")?;
    let scratch = tempfile::tempdir()?;
    let m = scratch.path().join("m");
    std::fs::create_dir_all(&m)?;
    for entry in std::fs::read_dir(&source)? {
        let path = entry?.path();
        if path.is_file() {
            std::fs::copy(&path, m.join(path.file_name().ok_or("no name")?))?;
        }
    }
    let mut session = Session::new(BuildOptions {
        manuscript: m.clone(),
        out_dir: scratch.path().join("out"),
        format: Format::All,
        deny_warnings: false,
        name: None,
    });
    let start = Instant::now();
    let first = session.build()?;
    println!(
        "full build: {} chapters in {:.3} s",
        first.chapters,
        start.elapsed().as_secs_f64()
    );
    for round in 0..5 {
        let path = m.join(&chapter);
        let text = std::fs::read_to_string(&path)?;
        std::fs::write(&path, text.replacen(" the ", " the very ", 1))?;
        let start = Instant::now();
        let r = session.build()?;
        let times: Vec<String> = r
            .report
            .written
            .iter()
            .map(|w| {
                format!(
                    "{} {:.3} s",
                    w.path.extension().unwrap_or_default().to_string_lossy(),
                    w.elapsed.as_secs_f64()
                )
            })
            .collect();
        println!(
            "round {round}: rebuilt {} of {} chapters in {:.3} s ({})",
            r.remade_chapters,
            r.chapters,
            start.elapsed().as_secs_f64(),
            times.join(", ")
        );
    }
    Ok(())
}
