//! Proxy: the Docker Engine API as a `{verify docker}` lesson sees it. Each session gets its
//! own proxy on a unix socket mounted into its runner; calls are checked against [`policy`]
//! and forwarded to the real engine, so a lesson's `docker ...` commands work on objects it
//! made and cannot see, change or delete anything else (the author's containers, images,
//! volumes, networks), nor reach the host (privileged mode, host namespaces, devices, bind
//! mounts outside its folder, the socket itself). Everything the lesson made is removed when
//! the session ends.

mod answers;
mod images;
pub mod policy;
mod ports;
mod shown;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bollard::Docker;
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::{UnixListener, UnixStream};

use super::engine::{self, HOST_LABEL, LABEL};
pub use policy::Scope;

/// The label of everything a lesson creates, valued with its session's sandbox id.
pub const SANDBOX_LABEL: &str = "dev.coursebook.verify.sandbox";

type Body = BoxBody<Bytes, hyper::Error>;

/// The real engine's socket, when it is local: the proxy forwards there.
pub fn engine_socket() -> Option<PathBuf> {
    match std::env::var("DOCKER_HOST") {
        Ok(host) if !host.is_empty() => host.strip_prefix("unix://").map(PathBuf::from),
        _ => Some(PathBuf::from("/var/run/docker.sock")),
    }
}

/// The labels a lesson's objects get in sandbox `sandbox` of run `run`.
pub fn labels(sandbox: &str, run: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (SANDBOX_LABEL.to_string(), sandbox.to_string()),
        (LABEL.to_string(), run.to_string()),
        (HOST_LABEL.to_string(), engine::host()),
    ])
}

struct State {
    engine: PathBuf,
    docker: Docker,
    scope: Scope,
    ports: ports::Ports,
    names: shown::Names,
    /// Images the lesson asked for that the engine does not have (never pulled).
    missing: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

/// A running proxy; stops when dropped.
pub struct Proxy {
    pub socket: PathBuf,
    state: Arc<State>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Proxy {
    /// Listens on `socket` and forwards to `engine` under `scope`'s rules.
    pub fn start(
        docker: &Docker,
        engine: PathBuf,
        socket: PathBuf,
        scope: Scope,
    ) -> anyhow::Result<Proxy> {
        let listener = UnixListener::bind(&socket)?;
        let state = Arc::new(State {
            engine,
            docker: docker.clone(),
            scope,
            ports: ports::Ports::default(),
            names: shown::Names::default(),
            missing: Default::default(),
        });
        let serving = Arc::clone(&state);
        let server = tokio::spawn(async move {
            let state = serving;
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&state);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let state = Arc::clone(&state);
                        async move { Ok::<_, Infallible>(handle(&state, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .with_upgrades()
                        .await;
                });
            }
        });
        Ok(Proxy {
            socket,
            state,
            server,
        })
    }

    /// The images the lesson needed but the engine does not have, since the last call.
    pub fn take_missing(&self) -> Vec<String> {
        let mut missing = self
            .state
            .missing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *missing).into_iter().collect()
    }

    /// The session's runner container, where published ports are forwarded.
    pub fn set_runner(&self, id: &str) {
        self.state.ports.set_runner(id);
    }
}

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed()
}

fn reply(status: StatusCode, message: &str) -> Response<Body> {
    let body = serde_json::json!({ "message": message }).to_string();
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(full(body))
        .unwrap_or_else(|_| Response::new(full(Bytes::new())))
}

fn outside(kind: &str, name: &str) -> String {
    format!("{kind} {name} is outside this lesson's sandbox")
}

/// How to forward a request: with this query, and this body and path instead of the
/// original ones when given, then what to do with the engine's answer. (An answer given
/// here, such as a refusal, is `Err`.)
struct Action {
    query: String,
    body: Payload,
    path: Option<String>,
    follow: Follow,
}

/// What a successful answer means for the session's published ports (see [`ports`]).
enum Follow {
    Nothing,
    /// A container was created with these `-p` bindings (and `-P`), and from this image
    /// name when the proxy mapped it.
    Created(Vec<policy::Published>, bool, Option<String>),
    /// A build: its output is shown without the proxy's doing.
    Build(shown::Build),
    Started(String),
    Stopped(String),
    Restarted(String),
    Removed(String),
    /// The answer lists or inspects objects: shown as the engine would show them without
    /// the proxy (bindings put back in, image names as asked, no labels of the proxy's).
    Patch(shown::Patch),
}

/// The body to forward: the client's, streamed as it comes, or one rewritten here.
enum Payload {
    Original(Incoming),
    Replaced(Bytes),
}

async fn handle(state: &State, mut req: Request<Incoming>) -> Response<Body> {
    let upgrade = req.headers().contains_key(hyper::header::UPGRADE);
    let client_upgrade = upgrade.then(|| hyper::upgrade::on(&mut req));
    let (mut parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let (version, route) = split_version(&path);
    let query = parts.uri.query().unwrap_or("").to_string();
    let action = match decide(state, &parts.method, route, &query, body).await {
        Ok(action) => action,
        Err(response) => return response,
    };
    let Action {
        query,
        body,
        path: new_route,
        follow,
    } = action;
    let route = new_route.as_deref().unwrap_or(route);
    let uri = if query.is_empty() {
        format!("{version}{route}")
    } else {
        format!("{version}{route}?{query}")
    };
    parts.uri = match uri.parse() {
        Ok(uri) => uri,
        Err(_) => {
            return reply(
                StatusCode::BAD_REQUEST,
                "a request the proxy cannot re-address",
            );
        }
    };
    let body = match body {
        Payload::Replaced(bytes) => {
            parts.headers.insert(
                hyper::header::CONTENT_LENGTH,
                hyper::header::HeaderValue::from(bytes.len()),
            );
            parts.headers.remove(hyper::header::TRANSFER_ENCODING);
            full(bytes)
        }
        Payload::Original(body) => body.boxed(),
    };
    let request = Request::from_parts(parts, body);
    match forward(&state.engine, request).await {
        Ok(mut response) => {
            if let Some(client) = client_upgrade
                && response.status() == StatusCode::SWITCHING_PROTOCOLS
            {
                let engine_side = hyper::upgrade::on(&mut response);
                tokio::spawn(async move {
                    if let (Ok(client), Ok(engine)) = (client.await, engine_side.await) {
                        let _ = tokio::io::copy_bidirectional(
                            &mut TokioIo::new(client),
                            &mut TokioIo::new(engine),
                        )
                        .await;
                    }
                });
            }
            if response.status().is_success() && !matches!(follow, Follow::Nothing) {
                return answers::followed(state, follow, response).await;
            }
            response.map(BodyExt::boxed)
        }
        Err(e) => reply(
            StatusCode::BAD_GATEWAY,
            &format!("coursebook's proxy could not reach the engine: {e}"),
        ),
    }
}

/// `/v1.41/containers/json` as (`/v1.41`, `/containers/json`).
pub fn split_version(path: &str) -> (&str, &str) {
    if let Some(rest) = path.strip_prefix("/v")
        && let Some(slash) = rest.find('/')
        && rest[..slash]
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
    {
        return path.split_at(slash + 2);
    }
    ("", path)
}

async fn forward(engine: &Path, request: Request<Body>) -> anyhow::Result<Response<Incoming>> {
    let stream = UnixStream::connect(engine).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection.with_upgrades());
    Ok(sender.send_request(request).await?)
}

async fn collect(body: Incoming) -> Result<Bytes, Response<Body>> {
    body.collect()
        .await
        .map(http_body_util::Collected::to_bytes)
        .map_err(|e| {
            reply(
                StatusCode::BAD_REQUEST,
                &format!("reading the request: {e}"),
            )
        })
}

/// Applies the policy to one call. `Err` is an answer given here (refusals).
async fn decide(
    state: &State,
    method: &Method,
    route: &str,
    query: &str,
    body: Incoming,
) -> Result<Action, Response<Body>> {
    let scope = &state.scope;
    let pass = |body: Payload| Action {
        query: query.to_string(),
        body,
        path: None,
        follow: Follow::Nothing,
    };
    let filtered = |body: Incoming| Action {
        query: policy::set_param(
            query,
            "filters",
            policy::with_label_filter(
                policy::param(&policy::query_pairs(query), "filters"),
                &scope.filter,
            ),
        ),
        body: Payload::Original(body),
        path: None,
        follow: Follow::Nothing,
    };
    let deny = |message: String| Err(reply(StatusCode::FORBIDDEN, &message));
    let segments: Vec<&str> = route.trim_start_matches('/').split('/').collect();
    let get = *method == Method::GET || *method == Method::HEAD;
    let post = *method == Method::POST;
    match segments.as_slice() {
        ["_ping"] | ["version"] | ["info"] | ["system", "df"] => Ok(pass(Payload::Original(body))),
        ["events"] => Ok(filtered(body)),
        ["containers", "json"] if get => Ok(Action {
            follow: Follow::Patch(shown::Patch::Containers),
            ..filtered(body)
        }),
        ["images", "json"] if get => Ok(Action {
            follow: Follow::Patch(shown::Patch::Images),
            ..filtered(body)
        }),
        ["volumes"] if get => Ok(Action {
            follow: Follow::Patch(shown::Patch::Volumes),
            ..filtered(body)
        }),
        ["networks"] if get => Ok(Action {
            follow: Follow::Patch(shown::Patch::Networks),
            ..pass(Payload::Original(body))
        }),
        ["containers" | "images" | "volumes" | "networks", "prune"] if post => Ok(filtered(body)),
        // The builder's cache carries no labels: a lesson's prune leaves it alone.
        ["build", "prune"] if post => Err(json_reply(r#"{"CachesDeleted":[],"SpaceReclaimed":0}"#)),
        ["containers", "create"] if post => {
            let mut config = match policy::parse_body(&collect(body).await?) {
                Ok(config) => config,
                Err(message) => return deny(message),
            };
            let asked = config
                .get("Image")
                .and_then(Value::as_str)
                .map(str::to_string);
            let named = match policy::container_create(&mut config, scope) {
                Ok(named) => named,
                Err(message) => return deny(message),
            };
            for container in &named.containers {
                check_container(state, container).await?;
            }
            for network in &named.networks {
                check_network(state, network).await?;
            }
            for volume in &named.volumes {
                ensure_volume(state, volume).await?;
            }
            Ok(Action {
                follow: Follow::Created(
                    named.ports,
                    named.publish_all,
                    asked.filter(|a| config.get("Image").and_then(Value::as_str) != Some(a)),
                ),
                ..pass(Payload::Replaced(config.to_string().into()))
            })
        }
        ["containers", id, "exec"] if post => {
            check_container(state, id).await?;
            let bytes = collect(body).await?;
            let config = match policy::parse_body(&bytes) {
                Ok(config) => config,
                Err(message) => return deny(message),
            };
            if config.get("Privileged").and_then(Value::as_bool) == Some(true) {
                return deny("refused in a lesson sandbox: privileged mode".into());
            }
            Ok(pass(Payload::Replaced(bytes)))
        }
        ["containers", id, rest @ ..] => {
            let full_id = check_container(state, id).await?.unwrap_or_default();
            let follow = match (method, rest) {
                (&Method::POST, ["start"]) => {
                    if let Err(message) = state.ports.check_free(&state.docker, &full_id).await {
                        return Err(reply(StatusCode::INTERNAL_SERVER_ERROR, &message));
                    }
                    Follow::Started(full_id)
                }
                (&Method::POST, ["stop" | "kill"]) => Follow::Stopped(full_id),
                (&Method::POST, ["restart"]) => Follow::Restarted(full_id),
                (&Method::DELETE, []) => Follow::Removed(full_id),
                (&Method::GET, ["json"]) => Follow::Patch(shown::Patch::Container),
                _ => Follow::Nothing,
            };
            Ok(Action {
                follow,
                ..pass(Payload::Original(body))
            })
        }
        ["exec", id, ..] => {
            let container = state
                .docker
                .inspect_exec(id)
                .await
                .ok()
                .and_then(|e| e.container_id);
            if let Some(container) = container {
                check_container(state, &container).await?;
            }
            Ok(pass(Payload::Original(body)))
        }
        ["volumes", "create"] if post => {
            let bytes = labelled(body, scope).await?;
            let config: Value = serde_json::from_slice(&bytes).unwrap_or_default();
            if let Err(message) = policy::volume_create(&config) {
                return deny(message);
            }
            Ok(pass(Payload::Replaced(bytes)))
        }
        ["volumes", name] => {
            check_volume(state, name).await?;
            let follow = if get {
                Follow::Patch(shown::Patch::Volume)
            } else {
                Follow::Nothing
            };
            Ok(Action {
                follow,
                ..pass(Payload::Original(body))
            })
        }
        ["networks", "create"] if post => Ok(pass(Payload::Replaced(labelled(body, scope).await?))),
        ["networks", id, ..] => {
            check_network(state, id).await?;
            if *method == Method::DELETE {
                state.ports.leave_network(&state.docker, id).await;
            }
            if post {
                // connect/disconnect name a container too.
                let bytes = collect(body).await?;
                let request = match policy::parse_body(&bytes) {
                    Ok(request) => request,
                    Err(message) => return deny(message),
                };
                if let Some(container) = request.get("Container").and_then(Value::as_str) {
                    check_container(state, container).await?;
                }
                return Ok(pass(Payload::Replaced(bytes)));
            }
            let follow = if get {
                Follow::Patch(shown::Patch::Network)
            } else {
                Follow::Nothing
            };
            Ok(Action {
                follow,
                ..pass(Payload::Original(body))
            })
        }
        ["images", "create"] if post => images::pull(state, query).await,
        ["build"] if post => images::build(state, query, body).await,
        ["images", ..] => images::image_call(state, method, route, query, body).await,
        ["commit"] if post => {
            let pairs = policy::query_pairs(query);
            if let Some(container) = policy::param(&pairs, "container") {
                check_container(state, container).await?;
            }
            Ok(pass(Payload::Replaced(labelled(body, scope).await?)))
        }
        _ => deny(format!(
            "refused in a lesson sandbox: {method} {route} is not available to lessons"
        )),
    }
}

/// A create request's JSON body with the scope's labels added (`Labels`). An empty body is
/// an empty config; one the policy cannot read is refused.
async fn labelled(body: Incoming, scope: &Scope) -> Result<Bytes, Response<Body>> {
    let bytes = collect(body).await?;
    let mut config = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        policy::parse_body(&bytes).map_err(|message| reply(StatusCode::FORBIDDEN, &message))?
    };
    if let Some(map) = config.as_object_mut() {
        policy::add_labels(map, "Labels", scope);
    }
    Ok(config.to_string().into())
}

fn json_reply(json: &'static str) -> Response<Body> {
    Response::builder()
        .header("content-type", "application/json")
        .body(full(json))
        .unwrap_or_else(|_| Response::new(full(Bytes::new())))
}

fn ours(labels: Option<&std::collections::HashMap<String, String>>, scope: &Scope) -> bool {
    let want = scope.labels.get(SANDBOX_LABEL);
    labels.and_then(|l| l.get(SANDBOX_LABEL)) == want
}

/// Refuses a container that is not the lesson's; returns its full id when it exists.
async fn check_container(state: &State, id: &str) -> Result<Option<String>, Response<Body>> {
    match state.docker.inspect_container(id, None).await {
        // Not found: the engine says so itself.
        Err(_) => Ok(None),
        Ok(c)
            if ours(
                c.config.as_ref().and_then(|c| c.labels.as_ref()),
                &state.scope,
            ) =>
        {
            Ok(c.id)
        }
        Ok(_) => Err(reply(StatusCode::FORBIDDEN, &outside("container", id))),
    }
}

async fn check_volume(state: &State, name: &str) -> Result<(), Response<Body>> {
    match state.docker.inspect_volume(name).await {
        Err(_) => Ok(()),
        Ok(v) if ours(Some(&v.labels), &state.scope) => Ok(()),
        Ok(_) => Err(reply(StatusCode::FORBIDDEN, &outside("volume", name))),
    }
}

async fn check_network(state: &State, id: &str) -> Result<(), Response<Body>> {
    if policy::is_builtin_network(id) {
        return Ok(());
    }
    match state
        .docker
        .inspect_network(id, None::<bollard::query_parameters::InspectNetworkOptions>)
        .await
    {
        Err(_) => Ok(()),
        Ok(n) if ours(n.labels.as_ref(), &state.scope) => Ok(()),
        Ok(_) => Err(reply(StatusCode::FORBIDDEN, &outside("network", id))),
    }
}

/// A named volume a container mounts: the lesson's own, or made now with its labels (the
/// engine would otherwise create it unlabelled).
async fn ensure_volume(state: &State, name: &str) -> Result<(), Response<Body>> {
    match state.docker.inspect_volume(name).await {
        Ok(v) if ours(Some(&v.labels), &state.scope) => Ok(()),
        Ok(_) => Err(reply(StatusCode::FORBIDDEN, &outside("volume", name))),
        Err(_) => {
            let labels = state.scope.labels.clone().into_iter().collect();
            let config = bollard::models::VolumeCreateRequest {
                name: Some(name.to_string()),
                labels: Some(labels),
                ..Default::default()
            };
            state
                .docker
                .create_volume(config)
                .await
                .map(|_| ())
                .map_err(|e| {
                    reply(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        &format!("creating volume {name}: {e}"),
                    )
                })
        }
    }
}
