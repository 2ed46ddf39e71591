//! Browser harness: the system's `chromedriver` on a free loopback port, one headless Chromium
//! session on it, and helpers that read the page the way a learner sees it. Dropping a
//! [`Browser`] ends the session and the driver. Pages open over `file://` ([`Browser::open`])
//! or from a [`StaticSite`] on loopback ([`Browser::goto`]).
//!
//! ```ignore
//! let Some(browser) = Browser::launch(Launch::new()).await else { return };
//! browser.open(&course.path().join("public/basics/quiz.html")).await;
//! assert_eq!(browser.text(".quiz-score").await, "");
//! browser.close().await;
//! ```
//!
//! Without Chromium or its driver, [`Browser::launch`] says why on stderr and returns `None`,
//! so the test skips; under CI (`CI=true`) it panics instead: CI must never skip them.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

pub use thirtyfour::prelude::{By, Key, WebElement};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One browser at a time: every test of a binary runs on its own thread, and several
/// Chromiums at once on a two-core CI machine make each of them slow enough to time out.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How to start the browser.
#[derive(Clone, Debug)]
pub struct Launch {
    javascript: bool,
    width: u32,
    height: u32,
}

impl Launch {
    pub fn new() -> Launch {
        Launch {
            javascript: true,
            width: 1200,
            height: 900,
        }
    }

    /// Turns JavaScript off for every page, as the browser setting does.
    pub fn without_javascript(mut self) -> Launch {
        self.javascript = false;
        self
    }
}

impl Default for Launch {
    fn default() -> Launch {
        Launch::new()
    }
}

pub struct Browser {
    driver: Option<WebDriver>,
    chromedriver: Child,
    port: u16,
    _log_dir: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// Why browser tests cannot run here, if they cannot.
fn missing() -> Option<String> {
    let chromium = chromium_path();
    let driver = chromedriver_path();
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!(
            "{} not found (apt-get install chromium)",
            chromium.display()
        ));
    }
    if !driver.is_file() {
        missing.push(format!(
            "{} not found (apt-get install chromium-driver)",
            driver.display()
        ));
    }
    (!missing.is_empty()).then(|| missing.join("; "))
}

fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from)
}

fn chromedriver_path() -> PathBuf {
    std::env::var_os("CHROMEDRIVER").map_or_else(|| PathBuf::from(CHROMEDRIVER), PathBuf::from)
}

impl Browser {
    /// Runs axe (`axe`: axe-core's script) on the page as it is now; the serious and critical violations, described.
    pub async fn axe_violations(&self, axe: &str) -> Vec<String> {
        self.script(&format!("{axe}\nreturn null")).await;
        let found = self
            .driver()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then(r => done(r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.impact + ' ' + v.id + ': ' + v.help + '\\n    ' +
                       v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' ' +
                         (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160)).join('\\n    '))))
                   .catch(e => done(['axe failed: ' + e]));",
                Vec::new(),
            )
            .await
            .expect("running axe")
            .json()
            .clone();
        serde_json::from_value(found).unwrap()
    }

    /// Starts chromedriver and a headless Chromium session, or returns `None` (after saying
    /// why) when they are not installed and this is not CI.
    pub async fn launch(launch: Launch) -> Option<Browser> {
        if let Some(reason) = missing() {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("browser tests cannot run under CI: {reason}");
            }
            eprintln!("skipping browser tests: {reason}");
            return None;
        }
        let turn = ONE_AT_A_TIME.lock().await;
        let log_dir = tempfile::tempdir().expect("temp dir for the chromedriver log");
        let log = log_dir.path().join("chromedriver.log");
        let port = free_port();
        let mut command = Command::new(chromedriver_path());
        // Its own process group, which the Chromium it starts joins: dropping the browser
        // can then end them all, even when a failed test left the session open.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let chromedriver = command
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", chromedriver_path().display()));
        let mut browser = Browser {
            driver: None,
            chromedriver,
            port,
            _log_dir: log_dir,
            _turn: turn,
        };
        browser.wait_for_driver(port, &log);

        let mut caps = DesiredCapabilities::chrome();
        let chromium = chromium_path();
        caps.set_binary(&chromium.to_string_lossy())
            .expect("binary capability");
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            &format!("--window-size={},{}", launch.width, launch.height),
            // Same pixels on every machine: no HiDPI scaling, no scrollbar overlays.
            "--force-device-scale-factor=1",
            "--hide-scrollbars",
            // The theme scrolls smoothly; a click during the animation lands on whatever
            // scrolls past (chromedriver reports "click intercepted").
            "--force-prefers-reduced-motion",
        ] {
            caps.add_arg(arg).expect("chrome argument");
        }
        if !launch.javascript {
            caps.add_experimental_option(
                "prefs",
                serde_json::json!({ "profile.managed_default_content_settings.javascript": 2 }),
            )
            .expect("chrome prefs");
        }
        // A command that takes this long is stuck: fail the test rather than wait two minutes.
        let driver = WebDriver::builder(format!("http://127.0.0.1:{port}"), caps)
            .request_timeout(Duration::from_secs(30))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "starting a Chromium session: {e}\nchromedriver log:\n{}",
                    tail(&log)
                )
            });
        browser.driver = Some(driver);
        Some(browser)
    }

    /// Polls `GET /status` until chromedriver answers that it is ready.
    fn wait_for_driver(&mut self, port: u16, log: &Path) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.chromedriver.try_wait() {
                panic!("chromedriver exited early ({status}); log:\n{}", tail(log));
            }
            if status_ready(port) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "chromedriver did not answer on port {port} within 20 s; log:\n{}",
                    tail(log)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn driver(&self) -> &WebDriver {
        self.driver.as_ref().expect("browser session")
    }

    /// Opens a file of the built site (over `file://`) and waits for it to load.
    pub async fn open(&self, path: &Path) {
        let url = file_url(path);
        self.driver()
            .goto(url.as_str())
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    }

    /// Opens a URL (e.g. from [`StaticSite::url`]) and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.driver()
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    }

    pub async fn reload(&self) {
        self.driver().refresh().await.expect("reload");
    }

    /// The one element `css` selects; panics when there is none.
    pub async fn one(&self, css: &str) -> WebElement {
        self.driver()
            .find(By::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element `{css}`: {e}"))
    }

    pub async fn all(&self, css: &str) -> Vec<WebElement> {
        self.driver()
            .find_all(By::Css(css))
            .await
            .unwrap_or_else(|e| panic!("finding `{css}`: {e}"))
    }

    /// The rendered text of `css` (what a sighted learner reads; hidden text is empty).
    pub async fn text(&self, css: &str) -> String {
        self.one(css)
            .await
            .text()
            .await
            .expect("text")
            .trim()
            .to_string()
    }

    pub async fn click(&self, css: &str) {
        let el = self.one(css).await;
        self.scroll_to(&el).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("clicking `{css}`: {e}"));
    }

    /// Scrolls `el` to the middle of the window, at once (the theme's smooth scrolling would
    /// leave it moving under the next click).
    pub async fn scroll_to(&self, el: &WebElement) {
        self.driver()
            .execute(
                r#"arguments[0].scrollIntoView({block: "center", behavior: "instant"})"#,
                vec![el.to_json().expect("element json")],
            )
            .await
            .expect("scroll");
    }

    /// Replaces the text of an input or textarea, as typing would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.one(css).await;
        el.clear().await.expect("clear");
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into `{css}`: {e}"));
    }

    pub async fn is_displayed(&self, css: &str) -> bool {
        self.one(css).await.is_displayed().await.expect("displayed")
    }

    pub async fn is_selected(&self, css: &str) -> bool {
        self.one(css).await.is_selected().await.expect("selected")
    }

    pub async fn has_class(&self, css: &str, class: &str) -> bool {
        let classes = self.one(css).await.class_name().await.expect("class");
        classes.is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.one(css).await.attr(name).await.expect("attribute")
    }

    /// The current value of a form field (its `value` property).
    pub async fn value(&self, css: &str) -> String {
        self.one(css)
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default()
    }

    /// Presses keys on whatever has the focus, through WebDriver actions (real key events).
    pub async fn press(&self, keys: impl Into<TypingData>) {
        self.driver()
            .action_chain()
            .send_keys(keys)
            .perform()
            .await
            .expect("key press");
    }

    /// Shift+Tab.
    pub async fn press_shift_tab(&self) {
        self.driver()
            .action_chain()
            .key_down(Key::Shift)
            .key_down(Key::Tab)
            .key_up(Key::Tab)
            .key_up(Key::Shift)
            .perform()
            .await
            .expect("shift+tab");
    }

    /// The focused element's `id`, `class` and tag, for messages and tests.
    pub async fn focused(&self) -> Focus {
        let el = self
            .driver()
            .active_element()
            .await
            .expect("active element");
        Focus {
            tag: el.tag_name().await.unwrap_or_default(),
            id: el.id().await.ok().flatten().unwrap_or_default(),
            class: el.class_name().await.ok().flatten().unwrap_or_default(),
            value: el.attr("value").await.ok().flatten().unwrap_or_default(),
            inside: el,
        }
    }

    /// Presses Tab until `done` says the focus is where it should be; panics after `limit`
    /// presses. Proves that the target is reachable by keyboard, in tab order.
    pub async fn tab_until<F>(&self, limit: usize, what: &str, done: F) -> Focus
    where
        F: Fn(&Focus) -> bool,
    {
        let mut path = Vec::new();
        for _ in 0..limit {
            self.press(Key::Tab).await;
            let focus = self.focused().await;
            if done(&focus) {
                return focus;
            }
            path.push(focus.describe());
        }
        panic!(
            "{what} not reached after {limit} Tab presses; focus went through:\n  {}",
            path.join("\n  ")
        );
    }

    /// Runs a script in the page and returns its JSON result.
    pub async fn script(&self, js: &str) -> serde_json::Value {
        self.driver()
            .execute(js, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("running script {js:?}: {e}"))
            .json()
            .clone()
    }

    pub async fn local_storage(&self, key: &str) -> Option<String> {
        let js = format!(
            "return localStorage.getItem({})",
            serde_json::Value::from(key)
        );
        self.script(&js).await.as_str().map(str::to_string)
    }

    pub async fn set_local_storage(&self, key: &str, value: &str) {
        let js = format!(
            "localStorage.setItem({}, {})",
            serde_json::Value::from(key),
            serde_json::Value::from(value)
        );
        self.script(&js).await;
    }

    /// Keys of localStorage that start with `prefix`, sorted.
    pub async fn local_storage_keys(&self, prefix: &str) -> Vec<String> {
        let js = format!(
            "return Object.keys(localStorage).filter(k => k.startsWith({})).sort()",
            serde_json::Value::from(prefix)
        );
        let keys = self.script(&js).await;
        keys.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Saves a PNG of the whole page from its top (the window grows to the page's height for
    /// it, then shrinks back). The mouse is moved off the page first, so no hover shows.
    pub async fn screenshot_full_page(&self, path: &Path) {
        let driver = self.driver();
        let rect = driver.get_window_rect().await.expect("window rect");
        driver
            .action_chain()
            .move_to(rect.width - 1, 0)
            .perform()
            .await
            .expect("move the mouse away");
        // The viewport can be a little shorter than the window: grow until nothing scrolls.
        let mut height = rect.height;
        for _ in 0..3 {
            let overflow = self
                .script("return document.documentElement.scrollHeight - innerHeight")
                .await
                .as_i64()
                .unwrap_or(0);
            if overflow <= 0 || height >= 16_000 {
                break;
            }
            height = (height + overflow).min(16_000);
            driver
                .set_window_rect(rect.x, rect.y, rect.width as u32, height as u32)
                .await
                .expect("resize window");
        }
        self.script(r#"window.scrollTo({top: 0, behavior: "instant"})"#)
            .await;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("artifact folder");
        }
        driver
            .screenshot(path)
            .await
            .unwrap_or_else(|e| panic!("screenshot {}: {e}", path.display()));
        driver
            .set_window_rect(rect.x, rect.y, rect.width as u32, rect.height as u32)
            .await
            .expect("resize window back");
    }

    /// Ends the session and the driver; the same happens on drop, less politely.
    pub async fn close(mut self) {
        if let Some(driver) = self.driver.take() {
            let _ = driver.quit().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A session still open (the test panicked) is closed here, synchronously, which
        // closes Chromium; element handles the test still holds then cannot reopen it.
        if let Some(driver) = self.driver.take() {
            let path = format!("/session/{}", driver.session_id());
            let _ = http(self.port, "DELETE", &path, Duration::from_secs(15));
            let _ = driver.leak();
        }
        // Whatever is left: chromedriver and anything it started, one process group.
        #[cfg(unix)]
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.chromedriver.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// Where the focus is.
pub struct Focus {
    pub tag: String,
    pub id: String,
    pub class: String,
    pub value: String,
    pub inside: WebElement,
}

impl Focus {
    pub fn describe(&self) -> String {
        format!(
            "<{} id={:?} class={:?} value={:?}>",
            self.tag, self.id, self.class, self.value
        )
    }

    /// Whether the focused element lies inside the element `css` selects.
    pub async fn is_within(&self, css: &str) -> bool {
        let js = format!(
            "return !!arguments[0].closest({})",
            serde_json::Value::from(css)
        );
        let element = self.inside.to_json().expect("element json");
        self.inside
            .handle()
            .execute(js, vec![element])
            .await
            .expect("closest")
            .json()
            .as_bool()
            .unwrap_or(false)
    }
}

/// A built site served over HTTP on loopback by a thread of the test: GET only, files
/// under `root`, `index.html` for folders, `no-store` so every reload reads the disk.
///
/// Needed for anything that reads localStorage on a later page load: over `file://`,
/// headless Chromium sometimes gives the next page an empty or stale localStorage (about one
/// run in ten of the progress test), over HTTP never.
pub struct StaticSite {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticSite {
    pub fn serve(root: &Path) -> StaticSite {
        let listener =
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback port for the site");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || answer(stream, &root));
            }
        });
        StaticSite {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// The URL of a file of the site, by its path relative to the root.
    pub fn url(&self, rel: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            rel.trim_start_matches('/')
        )
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request of [`StaticSite`].
fn answer(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16_384 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    let file = if path.split('/').any(|part| part == "..") || method != "GET" {
        None
    } else {
        let mut file = root.join(path.trim_start_matches('/'));
        if file.is_dir() {
            file = file.join("index.html");
        }
        std::fs::read(&file).ok().map(|body| (file, body))
    };
    let (status, kind, body) = match file {
        Some((file, body)) => {
            let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
                "html" => "text/html; charset=utf-8",
                "css" => "text/css; charset=utf-8",
                "js" => "text/javascript; charset=utf-8",
                "json" => "application/json",
                "svg" => "image/svg+xml",
                "png" => "image/png",
                "xml" => "application/xml",
                _ => "application/octet-stream",
            };
            ("200 OK", kind, body)
        }
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where test artifacts (screenshots) go: `$CARGO_TARGET_DIR/test-artifacts`, else
/// `<repo>/target/test-artifacts`.
pub fn artifacts_dir() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(|| repo.join("target"), |t| repo.join(t));
    target.join("test-artifacts")
}

/// `file://` URL of an absolute path, percent-encoding what a URL path cannot hold.
pub fn file_url(path: &Path) -> String {
    let path = path
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn status_ready(port: u16) -> bool {
    http(port, "GET", "/status", Duration::from_secs(2)).is_some_and(|answer| {
        answer.contains("\"ready\":true") || answer.contains("\"ready\": true")
    })
}

/// One plain HTTP/1.1 request to chromedriver on loopback: the whole answer, or `None` when
/// it cannot be reached.
fn http(port: u16, method: &str, path: &str, timeout: Duration) -> Option<String> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).ok()?;
    // Read up to the end of the body that Content-Length announces: the driver may keep the
    // connection open whatever the request asked.
    let mut answer = Vec::new();
    let mut chunk = [0; 4096];
    loop {
        let n = stream.read(&mut chunk).unwrap_or(0);
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&answer);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if answer.len() >= end + 4 + length {
                break;
            }
        }
    }
    Some(String::from_utf8_lossy(&answer).into_owned())
}

/// The last lines of a log file, for failure messages.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
