//! A real `coursebook serve` on a free port, for tests: HTTP requests over a plain socket
//! (so nothing normalises the paths we send) and a reader of its Server-Sent Events.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    /// The address it says it listens on.
    pub host: String,
    pub port: u16,
    /// What the server printed before it listened.
    pub startup: Vec<String>,
    /// Lines the server printed to stderr since, as they come.
    pub log: mpsc::Receiver<String>,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    /// Starts `coursebook serve --root <root> --port <port> [args]` and waits until it listens.
    pub fn start(root: &Path, port: u16, args: &[&str]) -> Server {
        Server::start_with_env(root, port, args, &[])
    }

    /// Like [`Server::start`], with extra environment variables.
    pub fn start_with_env(root: &Path, port: u16, args: &[&str], env: &[(&str, &Path)]) -> Server {
        let mut child = Command::new(crate::common::bin())
            .args([
                "serve",
                "--root",
                root.to_str().unwrap(),
                "--port",
                &port.to_string(),
            ])
            .args(args)
            .env("NO_COLOR", "1")
            .env(
                "COURSEBOOK_CACHE_DIR",
                std::env::temp_dir().join("coursebook-test-cache"),
            )
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start coursebook serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut startup = Vec::new();
        loop {
            let Ok(line) = log.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("coursebook serve did not start: {startup:?}");
            };
            if let Some(rest) = line.split(" at http://").nth(1) {
                let address = rest.split('/').next().unwrap();
                let (host, port) = address.rsplit_once(':').unwrap();
                return Server {
                    child,
                    host: host.to_string(),
                    port: port.parse().unwrap(),
                    startup,
                    log,
                };
            }
            startup.push(line);
        }
    }

    pub fn get(&self, path: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// Polls `path` until `test` accepts its body.
    pub fn wait_for(&self, path: &str, what: &str, test: impl Fn(&str) -> bool) -> Response {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let response = self.get(path);
            if test(&response.body) {
                return response;
            }
            assert!(Instant::now() < deadline, "{path} never showed {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The stream of live-reload messages (the `data:` of each event).
    pub fn events(&self) -> mpsc::Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /__coursebook/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data: ")
                    && tx.send(data.to_string()).is_err()
                {
                    break;
                }
            }
        });
        rx
    }

    /// Sends Ctrl-C (SIGINT) and returns the exit code.
    pub fn interrupt(self) -> Option<i32> {
        self.signal("-INT")
    }

    /// Sends `signal` (such as `-TERM`) and returns the exit code.
    pub fn signal(mut self, signal: &str) -> Option<i32> {
        let _ = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    /// SIGTERM first, so the server removes its temporary folder; SIGKILL if it lingers.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next message on `events` that `test` accepts, within a few seconds.
pub fn next_event(
    events: &mpsc::Receiver<String>,
    what: &str,
    test: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(message) if test(&message) => return message,
            Ok(_) => {}
            Err(_) => panic!("no {what} event"),
        }
    }
}
