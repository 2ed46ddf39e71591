//! The `coursebook` command line: parses arguments and maps results to exit codes
//! (0 success, 1 content errors, 2 usage or environment errors).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use coursebook::diagnostics::report;
use coursebook::pipeline::{self, BuildError, BuildOptions};

#[derive(Parser)]
#[command(
    name = "coursebook",
    version,
    about = "Build course websites from Markdown lessons, and prove their commands still work",
    long_about = "Build course websites from Markdown lessons, and prove their commands still work.\n\n\
A course is a folder with a `book.toml` and a `content/` folder: each sub-folder of `content/` \
is a module, each Markdown file in it a lesson, ordered by the number in front of its name \
(`01-intro.md`) or by `weight` in its front matter.",
    after_help = "Start with `coursebook new my-course`, then `coursebook serve --root my-course --open`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default `public/`)
    Build {
        /// The course folder, holding `book.toml` and `content/`
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site (relative to --root), overriding `[build] output`
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Fail on any warning, including broken links and unknown code languages
        #[arg(long)]
        strict: bool,
        /// The path the site will be served under, e.g. `/my-course/` for a GitHub Pages
        /// project site (overrides `[build] base-path`; only 404.html needs it, every other
        /// link is relative)
        #[arg(long, value_name = "PATH")]
        base_path: Option<String>,
    },
    /// Preview the course with live reload: rebuilds on every save, shows errors in the page
    Serve(coursebook::serve::ServeOptions),
    /// Run every snippet tagged `{verify}` in containers (Docker Engine API) and report which fail
    #[command(after_long_help = VERIFY_TAGS)]
    Verify(coursebook::verify::VerifyOptions),
    /// Report every problem in the course without writing anything
    Check {
        /// The course folder, holding `book.toml` and `content/`
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Treat warnings as errors, as `build --strict` does
        #[arg(long)]
        strict: bool,
    },
    /// Repair text that was mis-decoded (UTF-8 read as Windows-1252 or Mac Roman), in place
    FixEncoding {
        /// Show the changes as a diff instead of writing them
        #[arg(long)]
        dry_run: bool,
        /// Markdown files to repair
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Export every mermaid diagram as a PNG at twice its size (for slides and social cards)
    Diagrams {
        /// The course folder, holding `book.toml` and `content/`
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Folder to write the PNG files into
        #[arg(long, value_name = "OUT_DIR", required = true)]
        png: PathBuf,
        /// Also export each diagram in the dark theme (`...-dark.png`)
        #[arg(long)]
        dark: bool,
    },
    /// Convert an mdBook book or an MkDocs project into a coursebook course, for good
    #[command(
        long_about = "Convert an mdBook book or an MkDocs project into a coursebook course, for good.\n\n\
Each part of the book (or run of chapters outside a part) becomes a module folder \
`content/NN-slug/`, each chapter a lesson `NN-NAME.md` keeping its file name, with its title \
in front matter, its includes expanded and its links pointed at the new files. Other files are \
copied to the same place under `content/`. Nested chapters become lessons of their module, in \
order; draft chapters are listed as TODOs. The book itself is not changed, and OUT is written \
all at once or not at all.",
        after_help = "Example:\n  coursebook import --from mdbook ./my-book ./my-course\n  coursebook serve --root ./my-course --open"
    )]
    Import {
        /// The kind of book in DIR
        #[arg(long, value_enum, value_name = "KIND")]
        from: coursebook::import::Source,
        /// The book's folder: `book.toml` and `src/SUMMARY.md` (mdBook), or `mkdocs.yml` (MkDocs)
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The course folder to create (must not exist, or be empty)
        #[arg(value_name = "OUT")]
        out: PathBuf,
    },
    /// Create a minimal course to start from
    New {
        /// Folder to create (must not exist, or be empty)
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            strict,
            base_path,
        } => build(BuildOptions {
            root,
            out,
            strict,
            write: true,
            base_path,
        }),
        Command::Check { root, strict } => build(BuildOptions {
            root,
            out: None,
            strict,
            write: false,
            base_path: None,
        }),
        Command::Serve(opts) => match coursebook::serve::run(&opts) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => environment_error(&e),
        },
        Command::Verify(opts) => verify(&opts),
        Command::FixEncoding { dry_run, files } => fix_encoding(&files, dry_run),
        Command::Diagrams { root, png, dark } => diagrams(&root, &png, dark),
        Command::Import { from, dir, out } => import(from, &dir, &out),
        Command::New { dir } => match coursebook::scaffold::new_course(&dir) {
            Ok(()) => {
                println!(
                    "created a course in {}; preview it with `coursebook serve --root {} --open`",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => environment_error(&e),
        },
    }
}

fn build(opts: BuildOptions) -> ExitCode {
    match pipeline::build(&opts) {
        Ok(summary) => {
            report(&summary.diagnostics);
            if opts.write {
                eprintln!(
                    "built {} pages in {:.2}s into {}",
                    summary.pages,
                    summary.elapsed.as_secs_f64(),
                    pipeline::shown(&summary.out_dir)
                );
            } else {
                eprintln!(
                    "checked {} pages in {:.2}s: no errors",
                    summary.pages,
                    summary.elapsed.as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diagnostics)) => {
            report(&diagnostics);
            eprintln!("build failed; the previous output, if any, is unchanged");
            ExitCode::from(1)
        }
        Err(BuildError::Environment(e, diagnostics)) => {
            report(&diagnostics);
            environment_error(&e)
        }
    }
}

fn import(
    from: coursebook::import::Source,
    dir: &std::path::Path,
    out: &std::path::Path,
) -> ExitCode {
    use coursebook::import::{self, ImportError};
    match import::import(from, dir, out) {
        Ok(summary) => {
            report(&summary.warnings);
            print!("{}", import::describe(&summary, from, dir, out));
            ExitCode::SUCCESS
        }
        Err(ImportError::Content(problems)) => {
            report(&problems);
            eprintln!(
                "import failed (paths are relative to {}); nothing was written",
                dir.display()
            );
            ExitCode::from(1)
        }
        Err(ImportError::Environment(e)) => environment_error(&e),
    }
}

fn fix_encoding(files: &[PathBuf], dry_run: bool) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let (mut repaired, mut lossy) = (0, 0);
    for file in files {
        match coursebook::fix_encoding::fix_file(file, dry_run, &mut stdout) {
            Ok(r) => {
                repaired += r.repaired;
                lossy += r.lossy;
            }
            Err(e) => return environment_error(&e),
        }
    }
    let verb = if dry_run { "would repair" } else { "repaired" };
    eprintln!(
        "{verb} {repaired} mis-decoded passage{}; {lossy} cannot be repaired",
        if repaired == 1 { "" } else { "s" }
    );
    if lossy > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn diagrams(root: &std::path::Path, out: &std::path::Path, dark: bool) -> ExitCode {
    match coursebook::export::export_pngs(root, out, dark) {
        Ok(Ok(files)) => {
            for f in &files {
                println!("{}", f.display());
            }
            eprintln!(
                "exported {} diagram image{}",
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            );
            ExitCode::SUCCESS
        }
        Ok(Err(problems)) => {
            report(&problems);
            ExitCode::from(1)
        }
        Err(e) => environment_error(&e),
    }
}

const VERIFY_TAGS: &str = "\
Tag a fenced block to verify it: ```sh {verify}, ```console {verify}.
  image=NAME       run in this image (default: [verify] image in book.toml, then busybox)
  timeout=60s      time limit (default: [verify] timeout, then 30s)
  exit=N           the exit code a sh/bash block should end with (default 0)
  session=NAME     blocks of a lesson with one session share a container, in order
  file=NAME        write the block into the session's folder instead of running it
  tag=NAME         the image a Dockerfile block builds (default: the session's name)
  run=NAME         the block is the output of running that built image's own command
  docker           the block runs docker commands (compose too), behind coursebook's
                   scoping proxy; -p ports are published inside the runner (curl localhost)
  net, env=K=V, workdir=DIR, skip=\"why\"
A page's front matter [verify] table sets defaults for its blocks; book.toml's
[verify.images] maps the images lessons name to ones this engine has.
Exit codes: 0 all passed or skipped, 1 a snippet failed or a tag is wrong,
2 the engine or an image is missing.";

fn verify(opts: &coursebook::verify::VerifyOptions) -> ExitCode {
    use coursebook::verify::Verdict;
    match coursebook::verify::run(opts) {
        Ok(Verdict::Passed) => ExitCode::SUCCESS,
        Ok(Verdict::Failed) => ExitCode::from(1),
        Ok(Verdict::Content(problems)) => {
            report(&problems);
            ExitCode::from(1)
        }
        Ok(Verdict::Environment(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(e) => environment_error(&e),
    }
}

fn environment_error(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::from(2)
}
