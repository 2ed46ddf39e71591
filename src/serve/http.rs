//! The preview's HTTP side: the built site from its temporary folder (never a directory
//! listing, never a file outside it), the live-reload script injected into HTML responses
//! only, and the Server-Sent Events stream that tells pages to reload or show an error.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};

use super::Live;

const LIVE_JS: &str = include_str!("live.js");
pub const EVENTS: &str = "/__coursebook/events";
const SCRIPT: &str = "/__coursebook/live.js";

pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route(SCRIPT, get(script))
        .fallback(get(file))
        .with_state(live)
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

/// The first message says which build the server has (a page from an older one reloads, as
/// after a server restart) and any error to show; later ones come as builds finish.
async fn events(
    State(live): State<Arc<Live>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = live.messages.subscribe();
    let hello = stream::once(std::future::ready(live.hello()));
    let updates = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(message) => return Some((message, receiver)),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let stream = hello
        .chain(updates)
        .map(|data| Ok(Event::default().data(data)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn file(State(live): State<Arc<Live>>, uri: Uri, request: HeaderMap) -> Response {
    let raw = uri.path();
    let Some(rel) = safe_relative_path(raw) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    if rel.starts_with(crate::search::DIR) {
        live.refresh(super::Lazy::Search).await;
    } else if rel == std::path::Path::new("print.html") {
        live.refresh(super::Lazy::Print).await;
    }
    let site = live.site_dir();
    let mut path = site.join(&rel);
    if path.is_dir() {
        if !raw.ends_with('/') {
            // Relative links in the page resolve against the folder, so it needs its slash.
            return Redirect::permanent(&format!("{raw}/")).into_response();
        }
        path = path.join("index.html");
    }
    match read_inside(&site, &path) {
        Some((bytes, tag)) => {
            // A reload revalidates the stylesheet and scripts: unchanged ones cost a 304.
            // Pages carry the build token in their live-reload tag, so theirs is in the tag.
            let is_html = path.extension().is_some_and(|e| e == "html");
            let tag = if is_html {
                format!("\"{tag}-{}\"", live.build_token())
            } else {
                format!("\"{tag}\"")
            };
            if request
                .get(header::IF_NONE_MATCH)
                .is_some_and(|v| v.as_bytes() == tag.as_bytes())
            {
                return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
            }
            let mut response = respond(&path, bytes, StatusCode::OK, &live);
            if let Ok(value) = HeaderValue::from_str(&tag) {
                response.headers_mut().insert(header::ETAG, value);
            }
            response
        }
        None => match read_inside(&site, &site.join("404.html")) {
            Some((bytes, _)) => respond(Path::new("404.html"), bytes, StatusCode::NOT_FOUND, &live),
            None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        },
    }
}

/// The request path as a relative path, or `None` when it tries to leave the site: `..` or
/// `.` segments (also percent-encoded), backslashes, NUL bytes, invalid UTF-8.
pub fn safe_relative_path(raw: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut rel = PathBuf::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.contains(':') {
            return None;
        }
        rel.push(segment);
    }
    Some(rel)
}

/// Reads `path` if it is a file that really lies inside `site` (symbolic links included),
/// with a validator made of its size and modification time.
fn read_inside(site: &Path, path: &Path) -> Option<(Vec<u8>, String)> {
    let site = site.canonicalize().ok()?;
    let path = path.canonicalize().ok()?;
    let meta = path.metadata().ok()?;
    if !path.starts_with(&site) || !meta.is_file() {
        return None;
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let tag = format!("{:x}-{modified:x}", meta.len());
    std::fs::read(path).ok().map(|bytes| (bytes, tag))
}

fn respond(path: &Path, bytes: Vec<u8>, status: StatusCode, live: &Live) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html {
        inject(&String::from_utf8_lossy(&bytes), &live.build_token()).into_bytes()
    } else {
        bytes
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The live-reload script, only in served pages (never in a build's output).
fn inject(html: &str, build: &str) -> String {
    let tag = format!("<script src=\"{SCRIPT}\" data-build=\"{build}\"></script>");
    match html.rfind("</body>") {
        Some(at) => format!("{}{tag}\n{}", &html[..at], &html[at..]),
        None => format!("{html}{tag}"),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_relative_path;
    use std::path::PathBuf;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(safe_relative_path("/"), Some(PathBuf::new()));
        assert_eq!(
            safe_relative_path("/m/a%20b.html"),
            Some(PathBuf::from("m/a b.html"))
        );
        assert_eq!(
            safe_relative_path("//etc/passwd"),
            Some(PathBuf::from("etc/passwd"))
        );
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/x",
            "/m/%2E%2E/%2e%2e/x",
            "/a\\..\\b",
            "/%00",
            "/./x",
            "/C:/x",
            "/%ff",
        ] {
            assert_eq!(safe_relative_path(bad), None, "{bad}");
        }
    }
}
