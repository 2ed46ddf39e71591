//! Serve: a live preview for authors. Builds the course into a temporary folder (never
//! `public/`), serves it on loopback, watches `content/`, `themes/` and `book.toml`, rebuilds
//! only what an edit touched, and tells open pages to reload (or to show the error) over
//! Server-Sent Events. A content error never stops the server. The search index is made
//! when a browser first asks for it after an edit, not on every save.

mod http;
mod watch;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context;
use tokio::sync::broadcast;

use crate::diagnostics::{Diagnostic, report};
use crate::site::{Site, Update, WriteFailure};

pub use http::safe_relative_path;

#[derive(Debug, Clone, clap::Args)]
pub struct ServeOptions {
    /// The course folder, holding `book.toml` and `content/`
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Port to listen on (the next free one is used if it is taken)
    #[arg(long, short, default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on; anything but loopback shares the preview with the network
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Open the preview in the default browser
    #[arg(long)]
    pub open: bool,
    /// Treat warnings as errors, as `build --strict` does
    #[arg(long)]
    pub strict: bool,
}

/// What the rebuild loop is asked to do, one thing at a time.
pub enum Command {
    /// These files changed (one batch from the watcher).
    Changed(Vec<PathBuf>),
    /// A browser wants a page made only on demand: bring it up to date, then answer.
    Refresh(Lazy, tokio::sync::oneshot::Sender<()>),
}

/// What `serve` makes only when a browser asks for it, not on every edit: each holds every
/// lesson, so remaking it on each save would cost a large course its fast reloads.
#[derive(Clone, Copy)]
pub enum Lazy {
    /// The search index (`pagefind/`).
    Search,
    /// The whole course on one page (`print.html`).
    Print,
}

/// What the HTTP side shares with the rebuild loop.
pub struct Live {
    dir: tempfile::TempDir,
    /// To the rebuild loop.
    commands: std::sync::mpsc::Sender<Command>,
    /// Whether each [`Lazy`] part of the preview matches its pages. Edits only clear this;
    /// the part is made again when a browser next asks for it, so saving a lesson never waits.
    fresh: [std::sync::atomic::AtomicBool; 2],
    started: u128,
    build: AtomicU64,
    error: Mutex<Option<String>>,
    messages: broadcast::Sender<String>,
}

impl Live {
    fn site_dir(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Changes with every successful build, and with every server start.
    fn build_token(&self) -> String {
        format!("{}-{}", self.started, self.build.load(Ordering::SeqCst))
    }

    fn hello(&self) -> String {
        let error = self.error.lock().ok().and_then(|e| e.clone());
        serde_json::json!({ "type": "hello", "build": self.build_token(), "error": error })
            .to_string()
    }

    fn send_error(&self, text: String) {
        if let Ok(mut slot) = self.error.lock() {
            *slot = Some(text.clone());
        }
        let _ = self
            .messages
            .send(serde_json::json!({ "type": "error", "error": text }).to_string());
    }

    fn is_fresh(&self, part: Lazy) -> bool {
        self.fresh[part as usize].load(Ordering::SeqCst)
    }

    fn set_fresh(&self, part: Lazy, fresh: bool) {
        self.fresh[part as usize].store(fresh, Ordering::SeqCst);
    }

    /// Waits until `part` matches the pages (made now if an edit made it stale).
    async fn refresh(&self, part: Lazy) {
        if self.is_fresh(part) {
            return;
        }
        let (answer, answered) = tokio::sync::oneshot::channel();
        if self.commands.send(Command::Refresh(part, answer)).is_ok() {
            let _ = answered.await;
        }
    }

    /// `pages: None` means every page.
    fn send_reload(&self, pages: Option<&HashSet<String>>) {
        if let Ok(mut slot) = self.error.lock() {
            *slot = None;
        }
        self.build.fetch_add(1, Ordering::SeqCst);
        let pages = match pages {
            Some(pages) => serde_json::json!(pages),
            None => serde_json::json!("*"),
        };
        let _ = self.messages.send(
            serde_json::json!({ "type": "reload", "pages": pages, "build": self.build_token() })
                .to_string(),
        );
    }
}

pub fn run(opts: &ServeOptions) -> anyhow::Result<()> {
    let root = opts
        .root
        .canonicalize()
        .with_context(|| format!("course folder {} does not exist", opts.root.display()))?;
    let (messages, _) = broadcast::channel(64);
    let (commands, commanded) = std::sync::mpsc::channel();
    let live = Arc::new(Live {
        commands: commands.clone(),
        fresh: Default::default(),
        dir: tempfile::Builder::new()
            .prefix("coursebook-serve-")
            .tempdir()
            .context("creating a folder for the preview")?,
        started: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis()),
        build: AtomicU64::new(0),
        error: Mutex::new(None),
        messages,
    });

    crate::highlight::enable_cache();
    let started = Instant::now();
    let mut builder = Rebuilder {
        root: root.clone(),
        strict: opts.strict,
        site: None,
        dirty: Dirty::default(),
        live: Arc::clone(&live),
    };
    builder.full();
    if builder.site.is_some() {
        eprintln!(
            "built {} lessons in {} ms",
            builder
                .site
                .as_ref()
                .map_or(0, |s| s.course.lessons().count()),
            started.elapsed().as_millis()
        );
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the HTTP server")?;
    // Before anyone is told the address: a Ctrl-C or SIGTERM from then on must clean up.
    let stop = {
        let _inside = runtime.enter();
        Stop::install().context("listening for Ctrl-C")?
    };
    let listener = bind(opts.bind, opts.port)?;
    let address = listener.local_addr()?;
    let url = format!("http://{}/", display_address(address));
    let changes = watch::start(&root, builder.watched())?;
    std::thread::spawn(move || {
        for batch in changes {
            if commands.send(Command::Changed(batch)).is_err() {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        for command in commanded {
            match command {
                Command::Changed(batch) => builder.apply(&batch),
                Command::Refresh(part, answer) => {
                    builder.refresh(part);
                    let _ = answer.send(());
                }
            }
        }
    });
    eprintln!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if opts.open {
        open_browser(&url);
    }

    let preview = live.dir.path().to_path_buf();
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        // Not a graceful shutdown: open event streams never end by themselves, and waiting
        // for them would hang Ctrl-C while a browser has the preview open.
        tokio::select! {
            served = axum::serve(listener, http::router(Arc::clone(&live))) => served.context("serving"),
            () = stop.wait() => {
                eprintln!("\nstopped");
                Ok(())
            }
        }
    });
    // Other threads still hold the shared state, so its temporary folder is removed here.
    let _ = std::fs::remove_dir_all(&preview);
    served
}

/// Ctrl-C, or SIGTERM (a process manager, `kill`), listened for from the moment it is made.
struct Stop {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Stop {
    fn install() -> std::io::Result<Stop> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Stop {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Stop {})
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Loopback by default; the first free port from `port` on (the next twenty are tried).
fn bind(ip: IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    let mut last = None;
    for candidate in port..=port.saturating_add(20) {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    eprintln!("port {port} is taken; using {candidate}");
                }
                return Ok(listener);
            }
            Err(e) => last = Some(e),
        }
        if port == 0 {
            break;
        }
    }
    Err(last.map_or_else(
        || anyhow::anyhow!("no port to listen on"),
        anyhow::Error::new,
    ))
    .with_context(|| format!("listening on {ip} from port {port}"))
}

fn display_address(address: SocketAddr) -> String {
    if address.ip().is_loopback() && address.is_ipv4() {
        format!("127.0.0.1:{}", address.port())
    } else {
        address.to_string()
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("could not open a browser ({opener}: {e}); open {url} yourself");
    }
}

/// Pages that changed while the course had errors, written once it builds again.
#[derive(Default)]
struct Dirty {
    all: bool,
    pages: HashSet<String>,
}

/// Owns the site between edits; runs on its own thread, one batch of changes at a time.
struct Rebuilder {
    root: PathBuf,
    strict: bool,
    site: Option<Site>,
    dirty: Dirty,
    live: Arc<Live>,
}

impl Rebuilder {
    fn watched(&self) -> watch::Watched {
        // Before a first successful load, the folder the configuration names (an mdBook
        // book's `src/`, an MkDocs project's `docs/`) is the one to watch.
        let content = self.site.as_ref().map_or_else(
            || {
                crate::config::Config::load(&self.root).map_or_else(
                    |_| self.root.join("content"),
                    |c| c.content_path(&self.root),
                )
            },
            |s| s.course.content_dir.clone(),
        );
        watch::Watched {
            content,
            themes: self.root.join("themes"),
            config: self.root.join("book.toml"),
            mkdocs: self.root.join(crate::mkdocs::FILE),
            results: crate::verify::results::file(&self.root),
        }
    }

    /// Loads and writes the whole course.
    fn full(&mut self) {
        match Site::load(&self.root, self.strict) {
            Ok(site) => {
                self.site = Some(site);
                self.dirty.all = true;
                let _ = self.publish();
            }
            Err(problems) => self.fail(&problems),
        }
    }

    fn apply(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        let mut reload = self.site.is_none();
        let mut pages = HashSet::new();
        if let Some(site) = &mut self.site {
            for path in changed {
                match site.update(path) {
                    Update::Pages(p) => pages.extend(p),
                    Update::AllPages => self.dirty.all = true,
                    Update::Reload => {
                        reload = true;
                        break;
                    }
                    Update::Ignored => {}
                }
            }
        }
        if reload {
            match Site::load(&self.root, self.strict) {
                Ok(site) => {
                    self.site = Some(site);
                    self.dirty.all = true;
                }
                Err(problems) => {
                    self.fail(&problems);
                    return;
                }
            }
        }
        self.dirty.pages.extend(pages);
        let what = describe(changed, &self.root);
        if let Some(pages) = self.publish() {
            eprintln!(
                "{} rebuilt {pages} page{} in {} ms: {what}",
                clock(),
                if pages == 1 { "" } else { "s" },
                started.elapsed().as_millis()
            );
        }
    }

    /// Checks the site; writes what is dirty and tells the browsers, or shows the errors.
    /// The number of pages written, if the site was.
    fn publish(&mut self) -> Option<usize> {
        let site = self.site.as_ref()?;
        let diagnostics = site.diagnostics();
        if diagnostics.iter().any(Diagnostic::is_error) {
            self.fail(&diagnostics);
            return None;
        }
        if !diagnostics.is_empty() {
            report(&diagnostics);
        }
        let site_dir = self.live.site_dir();
        let all = self.dirty.all || !site_dir.exists();
        let written = if all {
            site.write_all(Some(&site_dir), false).map(|n| (n, None))
        } else {
            site.write_pages(&site_dir, &self.dirty.pages)
                .map(|n| (n, Some(std::mem::take(&mut self.dirty.pages))))
        };
        match written {
            Ok((count, pages)) => {
                self.dirty = Dirty::default();
                self.live.set_fresh(Lazy::Search, false);
                // A whole build writes the print page; an edit leaves it for the next visit.
                self.live.set_fresh(Lazy::Print, all);
                self.live.send_reload(pages.as_ref());
                Some(count)
            }
            Err(WriteFailure::Content(problems)) => {
                self.fail(&problems);
                None
            }
            Err(WriteFailure::Io(e)) => {
                let text = format!("error: {e:#}");
                eprintln!("{text}");
                self.live.send_error(text);
                None
            }
        }
    }

    /// Makes `part` of the preview again, unless it is up to date.
    fn refresh(&mut self, part: Lazy) {
        let Some(site) = &self.site else { return };
        if self.live.is_fresh(part) {
            return;
        }
        let started = Instant::now();
        let (made, what) = match part {
            Lazy::Search if !site.config.build.search() => return,
            Lazy::Search => (
                site.write_search(&self.live.site_dir()),
                format!("indexed {} pages for search", site.course.pages().count()),
            ),
            Lazy::Print => (
                site.write_pages(
                    &self.live.site_dir(),
                    &HashSet::from(["print.html".to_string()]),
                )
                .map(|_| ())
                .map_err(|e| match e {
                    WriteFailure::Io(e) => e,
                    WriteFailure::Content(problems) => anyhow::anyhow!(
                        "{}",
                        problems
                            .iter()
                            .map(|d| d.render())
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                }),
                "made the print page".to_string(),
            ),
        };
        match made {
            Ok(()) => {
                self.live.set_fresh(part, true);
                eprintln!("{} {what} in {} ms", clock(), started.elapsed().as_millis());
            }
            Err(e) => eprintln!("{} {what} failed: {e:#}", clock()),
        }
    }

    fn fail(&mut self, problems: &[Diagnostic]) {
        report(problems);
        let text: Vec<String> = problems
            .iter()
            .map(|d| d.render().trim_end().to_string())
            .collect();
        self.live.send_error(text.join("\n\n"));
        let site_dir = self.live.site_dir();
        if !site_dir.exists() {
            // Nothing good to show yet: a placeholder page carries the overlay (in a folder
            // marked as ours, which the first good build replaces).
            let _ = crate::output::write_atomic(&site_dir, "index.html", PLACEHOLDER.as_bytes());
            let _ = crate::output::write_atomic(&site_dir, crate::output::MARKER, b"");
        }
        eprintln!(
            "{} the course has errors; they are shown in the browser",
            clock()
        );
    }
}

const PLACEHOLDER: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>coursebook</title></head>\
<body><p>The course does not build yet. Fix the errors and this page reloads by itself.</p></body></html>\n";

fn describe(changed: &[PathBuf], root: &Path) -> String {
    let mut names: Vec<String> = changed
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    names.sort();
    match names.len() {
        0 => "nothing".into(),
        1..=3 => names.join(", "),
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    }
}

fn clock() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!(
        "[{:02}:{:02}:{:02}]",
        (secs / 3600) % 24,
        (secs / 60) % 60,
        secs % 60
    )
}
