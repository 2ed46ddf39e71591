//! Answers: what the proxy does with the engine's successful answers. Published ports
//! follow their containers (see [`ports`](super::ports)), and lists and inspections are
//! shown as the lesson would see them without the proxy (see [`shown`](super::shown)).

use bollard::Docker;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Response, StatusCode};
use serde_json::Value;

use super::{Body, Follow, SANDBOX_LABEL, State, full, reply, shown};

/// Acts on a successful answer for the session's published ports; the answer itself is
/// passed on (patched for lists and inspections).
pub(super) async fn followed(
    state: &State,
    follow: Follow,
    response: Response<Incoming>,
) -> Response<Body> {
    let docker = &state.docker;
    let ports = &state.ports;
    let done = |result: Result<(), String>, response: Response<Incoming>| match result {
        Ok(()) => response.map(BodyExt::boxed),
        Err(message) => reply(StatusCode::INTERNAL_SERVER_ERROR, &message),
    };
    match follow {
        Follow::Nothing => response.map(BodyExt::boxed),
        Follow::Started(id) => done(ports.started(docker, &id).await, response),
        Follow::Stopped(id) => {
            ports.stopped(docker, &id).await;
            response.map(BodyExt::boxed)
        }
        Follow::Restarted(id) => {
            ports.stopped(docker, &id).await;
            done(ports.started(docker, &id).await, response)
        }
        Follow::Removed(id) => {
            ports.removed(docker, &id).await;
            response.map(BodyExt::boxed)
        }
        Follow::Created(published, all, asked) => {
            rewritten(response, async |bytes: &[u8]| {
                let id = serde_json::from_slice::<Value>(bytes)
                    .ok()
                    .and_then(|v| v.get("Id")?.as_str().map(str::to_string));
                if let Some(id) = id {
                    let exposed = if all {
                        exposed_ports(docker, &id).await
                    } else {
                        Vec::new()
                    };
                    ports.created(&id, published, &exposed);
                    if let Some(asked) = asked {
                        state.names.record(&id, &asked);
                    }
                }
                None
            })
            .await
        }
        Follow::Build(build) => {
            rewritten(response, async |bytes: &[u8]| Some(build.rewrite(bytes))).await
        }
        Follow::Patch(patch) => {
            rewritten(response, async |bytes: &[u8]| {
                let mut value = serde_json::from_slice::<Value>(bytes).ok()?;
                patched(state, patch, &mut value);
                Some(value.to_string().into_bytes())
            })
            .await
        }
    }
}

/// The engine's answer, read whole and passed on as `edit` returns it (`None`: unchanged).
async fn rewritten(
    response: Response<Incoming>,
    edit: impl AsyncFnOnce(&[u8]) -> Option<Vec<u8>>,
) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = body
        .collect()
        .await
        .map(http_body_util::Collected::to_bytes)
    else {
        return reply(StatusCode::BAD_GATEWAY, "the engine's answer broke off");
    };
    match edit(&bytes).await {
        None => Response::from_parts(parts, full(bytes)),
        Some(edited) => {
            parts.headers.insert(
                hyper::header::CONTENT_LENGTH,
                hyper::header::HeaderValue::from(edited.len()),
            );
            parts.headers.remove(hyper::header::TRANSFER_ENCODING);
            Response::from_parts(parts, full(edited))
        }
    }
}

/// Edits a list or inspection answer as the lesson would see it without the proxy.
fn patched(state: &State, patch: shown::Patch, value: &mut Value) {
    use shown::Patch;
    match patch {
        Patch::Containers => {
            state.ports.patch_list(value);
            state.names.patch_list(value);
        }
        Patch::Container => {
            state.ports.patch_inspect(value);
            state.names.patch_inspect(value);
        }
        // Listed with the lesson's own filters: the lesson's networks and the built-in
        // ones, which every engine lists.
        Patch::Networks => {
            if let Some(networks) = value.as_array_mut() {
                networks.retain(|n| {
                    let labels = n.get("Labels").and_then(Value::as_object);
                    let mine = labels
                        .and_then(|l| l.get(SANDBOX_LABEL))
                        .and_then(Value::as_str)
                        == state.scope.labels.get(SANDBOX_LABEL).map(String::as_str);
                    mine || n
                        .get("Name")
                        .and_then(Value::as_str)
                        .is_some_and(|name| matches!(name, "bridge" | "host" | "none"))
                });
            }
        }
        // The runner joins the networks of containers with published ports.
        Patch::Network => {
            if let (Some(runner), Some(containers)) = (
                state.ports.runner(),
                value.get_mut("Containers").and_then(Value::as_object_mut),
            ) {
                containers.remove(runner);
            }
        }
        _ => {}
    }
    let keys: Vec<String> = state.scope.labels.keys().cloned().collect();
    shown::strip_labels(patch, value, &keys);
}

/// A container's exposed ports (`-P` publishes them all).
async fn exposed_ports(docker: &Docker, id: &str) -> Vec<(u16, String)> {
    let exposed = docker
        .inspect_container(id, None)
        .await
        .ok()
        .and_then(|c| c.config?.exposed_ports)
        .unwrap_or_default();
    exposed
        .iter()
        .filter_map(|spec| {
            let (port, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
            Some((port.parse().ok()?, proto.to_string()))
        })
        .collect()
}
