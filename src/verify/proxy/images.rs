//! Images: the calls that name images. Any image is readable by the name the lesson uses
//! (mapped by `[verify.images]`); only the lesson's own can be deleted, tagged or pushed;
//! nothing is pulled; builds are labelled, their `-t` names checked and their `FROM`s mapped.

use bytes::Bytes;
use hyper::body::Incoming;
use hyper::{Method, Response, StatusCode};
use serde_json::Value;

use super::{
    Action, Body, Follow, Payload, State, collect, engine, full, ours, outside, policy, reply,
    shown,
};

async fn image_labels(
    state: &State,
    name: &str,
) -> Option<Option<std::collections::HashMap<String, String>>> {
    state
        .docker
        .inspect_image(name)
        .await
        .ok()
        .map(|i| i.config.and_then(|c| c.labels))
}

/// A name the lesson wants to give an image (`build -t`, `tag`) must not take one the author
/// uses already.
async fn check_new_name(state: &State, name: &str) -> Result<(), Response<Body>> {
    match image_labels(state, name).await {
        Some(labels) if !ours(labels.as_ref(), &state.scope) => {
            Err(reply(StatusCode::FORBIDDEN, &outside("image", name)))
        }
        _ => Ok(()),
    }
}

/// `/images/{name}/{json,history,tag,push,get}` and `DELETE /images/{name}`: any image is
/// readable (by the name the lesson uses, mapped); only the lesson's own can be deleted,
/// tagged or pushed.
pub(super) async fn image_call(
    state: &State,
    method: &Method,
    route: &str,
    query: &str,
    body: Incoming,
) -> Result<Action, Response<Body>> {
    let rest = route.trim_start_matches("/images/");
    let (name, verb) = match rest.rsplit_once('/') {
        Some((name, verb)) if matches!(verb, "json" | "history" | "tag" | "push" | "get") => {
            (name, Some(verb))
        }
        _ => (rest, None),
    };
    let name = percent_encoding::percent_decode_str(name)
        .decode_utf8_lossy()
        .into_owned();
    let mapped = state.scope.image(&name);
    let path = match verb {
        Some(verb) => format!("/images/{mapped}/{verb}"),
        None => format!("/images/{mapped}"),
    };
    let reads = matches!(verb, Some("json" | "history")) && *method == Method::GET;
    if !reads {
        let labels = image_labels(state, &mapped).await;
        if let Some(labels) = labels
            && !ours(labels.as_ref(), &state.scope)
        {
            return Err(reply(StatusCode::FORBIDDEN, &outside("image", &name)));
        }
        if verb == Some("tag") {
            let pairs = policy::query_pairs(query);
            if let Some(repo) = policy::param(&pairs, "repo") {
                let tag = policy::param(&pairs, "tag").unwrap_or("latest");
                let target = format!("{repo}:{tag}");
                check_new_name(state, &target).await?;
            }
        }
        if matches!(verb, Some("push" | "get")) {
            return Err(reply(
                StatusCode::FORBIDDEN,
                &format!(
                    "refused in a lesson sandbox: {method} {route} is not available to lessons"
                ),
            ));
        }
    }
    Ok(Action {
        query: query.to_string(),
        body: Payload::Original(body),
        path: Some(path),
        follow: match verb {
            Some("json") if reads => Follow::Patch(shown::Patch::Image),
            Some("history") if reads => Follow::Patch(shown::Patch::History),
            _ => Follow::Nothing,
        },
    })
}

/// `docker pull`: lessons never download; an image the engine has (by its mapped name) is
/// "up to date", any other is an error that says how to provide it.
pub(super) async fn pull(state: &State, query: &str) -> Result<Action, Response<Body>> {
    let pairs = policy::query_pairs(query);
    let from = policy::param(&pairs, "fromImage").unwrap_or_default();
    let name = match policy::param(&pairs, "tag").filter(|t| !t.is_empty()) {
        Some(tag) if !from.contains('@') => format!("{from}:{tag}"),
        _ => from.to_string(),
    };
    let name = crate::config::short_image_name(&name).to_string();
    let mapped = state.scope.image(&name);
    if engine::image_id(&state.docker, &mapped).await.is_some() {
        let status =
            serde_json::json!({ "status": format!("Status: Image is up to date for {name}") });
        return Err(Response::builder()
            .header("content-type", "application/json")
            .body(full(format!("{status}\n")))
            .unwrap_or_else(|_| Response::new(full(Bytes::new()))));
    }
    Err(not_here(state, &name))
}

/// The answer for an image the engine does not have; the session reports it as missing.
fn not_here(state: &State, name: &str) -> Response<Body> {
    if let Ok(mut missing) = state.missing.lock() {
        missing.insert(name.to_string());
    }
    reply(
        StatusCode::NOT_FOUND,
        &format!(
            "image {name} is not on this engine, and lessons never pull: load it, or map the name in book.toml [verify.images]"
        ),
    )
}

/// `docker build`: the image gets the lesson's labels, its `-t` names must be free or the
/// lesson's, and the Dockerfile's `FROM` images are mapped.
pub(super) async fn build(
    state: &State,
    query: &str,
    body: Incoming,
) -> Result<Action, Response<Body>> {
    // The whole context first: refusing while the CLI is still uploading it makes the CLI
    // report a broken pipe instead of the reason.
    let context = collect(body).await?;
    let pairs = policy::query_pairs(query);
    if pairs.iter().any(|(k, v)| k == "networkmode" && v == "host") {
        return Err(reply(
            StatusCode::FORBIDDEN,
            "refused in a lesson sandbox: the host's network namespace",
        ));
    }
    for (_, name) in pairs.iter().filter(|(k, _)| k == "t") {
        let name = if name
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains(':'))
        {
            name.clone()
        } else {
            format!("{name}:latest")
        };
        check_new_name(state, &name).await?;
    }
    let mut labels: serde_json::Map<String, Value> = policy::param(&pairs, "labels")
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default();
    policy::insert_labels(&mut labels, &state.scope);
    let query = policy::set_param(query, "labels", Value::Object(labels).to_string());
    let dockerfile = policy::param(&pairs, "dockerfile").unwrap_or("Dockerfile");
    let images = &state.scope.images;
    let bases = std::sync::Mutex::new(Vec::new());
    let froms = std::sync::Mutex::new(Vec::new());
    let rewritten = crate::verify::build::rewrite_dockerfile(&context, dockerfile, |text| {
        let mapped = crate::verify::build::map_bases(text, images);
        if let Ok(mut bases) = bases.lock() {
            *bases = crate::verify::build::base_images(&mapped);
        }
        if let Ok(mut froms) = froms.lock() {
            *froms = crate::verify::build::from_lines(text, &mapped);
        }
        mapped
    })
    .ok()
    .flatten();
    // The builder would try a registry for a missing `FROM` image, and fail with a network
    // error that says nothing about the cause.
    for (_, base) in bases.into_inner().unwrap_or_default() {
        if engine::image_id(&state.docker, &base).await.is_none() {
            return Err(not_here(state, &base));
        }
    }
    Ok(Action {
        query,
        body: Payload::Replaced(rewritten.map_or(context, Bytes::from)),
        path: None,
        follow: Follow::Build(shown::Build {
            froms: froms.into_inner().unwrap_or_default(),
            label_keys: state.scope.labels.keys().cloned().collect(),
        }),
    })
}
