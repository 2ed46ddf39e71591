//! Ports: `docker run -p 8000:80` in a lesson, and its `curl localhost:8000`.
//!
//! Nothing a lesson runs binds a port on the host, where it could clash with the author's own
//! services or another session's. The proxy takes the bindings out of the create request
//! ([`policy`](super::policy)) and, when the container starts, runs a forwarder in the
//! session's runner: busybox `nc` listening on the host port in the runner's network
//! namespace and connecting each client to the container's port. So `localhost:8000` in the
//! lesson's commands reaches the container as it would on the author's machine, and a second
//! container on a port in use fails to start as it would there. `docker ps`, `docker port` and
//! `docker inspect` show the bindings as the engine would have. (TCP only: busybox `nc` does
//! not forward UDP.)

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use bollard::Docker;
use bollard::exec::{StartExecOptions, StartExecResults};
use bollard::models::ExecConfig;
use futures_util::StreamExt;
use serde_json::{Value, json};

use super::policy::Published;

/// The first port `-p 80` (no host port) gets, as the engine's ephemeral range starts.
const FIRST_FREE: u16 = 32768;

/// A session's published ports and their forwarders.
#[derive(Default)]
pub struct Ports {
    /// The runner container, once started: forwarders run in it.
    runner: OnceLock<String>,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    /// Container id -> its bindings, with the host port each got.
    bindings: HashMap<String, Vec<(Published, u16)>>,
    /// Host port -> the forwarder listening on it.
    listening: HashMap<u16, Forwarder>,
    /// Networks the runner was connected to for a forwarder (by id).
    joined: HashSet<String>,
    next_free: u16,
}

struct Forwarder {
    container: String,
    pid: String,
}

impl Ports {
    pub fn runner(&self) -> Option<&str> {
        self.runner.get().map(String::as_str)
    }

    pub fn set_runner(&self, id: &str) {
        let _ = self.runner.set(id.to_string());
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records container `id`'s bindings; `exposed` are its exposed ports when it was
    /// created with `-P`. Ports without a host port get free ones.
    pub fn created(&self, id: &str, mut ports: Vec<Published>, exposed: &[(u16, String)]) {
        ports.extend(exposed.iter().map(|(port, proto)| Published {
            host_ip: "0.0.0.0".into(),
            host_port: None,
            port: *port,
            proto: proto.clone(),
        }));
        if ports.is_empty() {
            return;
        }
        let mut table = self.table();
        let mut taken: HashSet<u16> = table
            .bindings
            .values()
            .flatten()
            .map(|(_, port)| *port)
            .collect();
        let mut chosen = Vec::new();
        for published in ports {
            let port = match published.host_port {
                Some(port) => port,
                None => {
                    let mut next = table.next_free.max(FIRST_FREE);
                    while taken.contains(&next) {
                        next = next.checked_add(1).unwrap_or(FIRST_FREE);
                    }
                    table.next_free = next.saturating_add(1);
                    next
                }
            };
            taken.insert(port);
            chosen.push((published, port));
        }
        table.bindings.insert(id.to_string(), chosen);
    }

    /// Before container `id` starts: its host ports must be free (a forwarder whose container
    /// has stopped gives its port up). `Err` is the engine's own message for a port in use.
    pub async fn check_free(&self, docker: &Docker, id: &str) -> Result<(), String> {
        let held: Vec<(u16, String)> = {
            let table = self.table();
            let Some(bindings) = table.bindings.get(id) else {
                return Ok(());
            };
            bindings
                .iter()
                .filter(|(p, _)| p.proto == "tcp")
                .filter_map(|(_, port)| {
                    let f = table.listening.get(port)?;
                    (f.container != id).then(|| (*port, f.container.clone()))
                })
                .collect()
        };
        for (port, owner) in held {
            if running(docker, &owner).await {
                let name = container_name(docker, id).await;
                return Err(format!(
                    "driver failed programming external connectivity on endpoint {name}: Bind for 0.0.0.0:{port} failed: port is already allocated"
                ));
            }
            self.stop_port(docker, port).await;
        }
        Ok(())
    }

    /// Container `id` has started: a forwarder for each of its TCP ports.
    pub async fn started(&self, docker: &Docker, id: &str) -> Result<(), String> {
        let Some(runner) = self.runner.get() else {
            return Ok(());
        };
        let bindings = match self.table().bindings.get(id) {
            Some(b) => b.clone(),
            None => return Ok(()),
        };
        let Some(ip) = self.reach(docker, runner, id).await? else {
            // `--network none` and the like: nothing to forward to, as on the engine.
            return Ok(());
        };
        for (published, port) in bindings.iter().filter(|(p, _)| p.proto == "tcp") {
            self.stop_port(docker, *port).await;
            let script = forwarder_script(*port, &ip, published.port);
            let pid = exec(docker, runner, &script).await?;
            self.table().listening.insert(
                *port,
                Forwarder {
                    container: id.to_string(),
                    pid: pid.trim().to_string(),
                },
            );
        }
        Ok(())
    }

    /// The container's address on a network the runner is on (joining one if needed).
    async fn reach(
        &self,
        docker: &Docker,
        runner: &str,
        id: &str,
    ) -> Result<Option<String>, String> {
        let inspected = docker
            .inspect_container(id, None)
            .await
            .map_err(|e| format!("inspecting container {id}: {e}"))?;
        let networks = inspected
            .network_settings
            .and_then(|n| n.networks)
            .unwrap_or_default();
        let mut candidates: Vec<(String, String, String)> = networks
            .into_iter()
            .filter_map(|(name, endpoint)| {
                let ip = endpoint.ip_address.filter(|ip| !ip.is_empty())?;
                Some((name, endpoint.network_id.unwrap_or_default(), ip))
            })
            .collect();
        // The default bridge first: the runner is on it already.
        candidates.sort_by_key(|(name, _, _)| name != "bridge");
        let Some((name, network_id, ip)) = candidates.into_iter().next() else {
            return Ok(None);
        };
        if name != "bridge" && !self.table().joined.contains(&network_id) {
            let request = bollard::models::NetworkConnectRequest {
                container: runner.to_string(),
                ..Default::default()
            };
            docker
                .connect_network(&network_id, request)
                .await
                .map_err(|e| format!("connecting the runner to network {name}: {e}"))?;
            self.table().joined.insert(network_id);
        }
        Ok(Some(ip))
    }

    /// Container `id` has stopped (or is being removed): its forwarders stop.
    pub async fn stopped(&self, docker: &Docker, id: &str) {
        let ports: Vec<u16> = self
            .table()
            .listening
            .iter()
            .filter(|(_, f)| f.container == id)
            .map(|(port, _)| *port)
            .collect();
        for port in ports {
            self.stop_port(docker, port).await;
        }
    }

    /// Container `id` is gone: its bindings are forgotten.
    pub async fn removed(&self, docker: &Docker, id: &str) {
        self.stopped(docker, id).await;
        self.table().bindings.remove(id);
    }

    async fn stop_port(&self, docker: &Docker, port: u16) {
        let forwarder = self.table().listening.remove(&port);
        if let (Some(f), Some(runner)) = (forwarder, self.runner.get()) {
            let _ = exec(docker, runner, &format!("kill {} 2>/dev/null; true", f.pid)).await;
        }
    }

    /// Before network `network` (id or name) is removed: the runner leaves it, if it joined
    /// it for a forwarder, so the engine does not refuse with "active endpoints".
    pub async fn leave_network(&self, docker: &Docker, network: &str) {
        let Some(runner) = self.runner.get() else {
            return;
        };
        let id = docker
            .inspect_network(
                network,
                None::<bollard::query_parameters::InspectNetworkOptions>,
            )
            .await
            .ok()
            .and_then(|n| n.id);
        let Some(id) = id.filter(|id| self.table().joined.remove(id)) else {
            return;
        };
        let request = bollard::models::NetworkDisconnectRequest {
            container: runner.to_string(),
            force: Some(true),
        };
        let _ = docker.disconnect_network(&id, request).await;
    }

    /// A `GET /containers/json` answer with the session's bindings in each `Ports`.
    pub fn patch_list(&self, list: &mut Value) {
        let table = self.table();
        for container in list.as_array_mut().into_iter().flatten() {
            let Some(id) = container.get("Id").and_then(Value::as_str) else {
                continue;
            };
            let Some(bindings) = table.bindings.get(id) else {
                continue;
            };
            let live: Vec<&(Published, u16)> = bindings
                .iter()
                .filter(|(_, port)| table.listening.get(port).is_some_and(|f| f.container == id))
                .collect();
            let Some(ports) = container.get_mut("Ports").and_then(Value::as_array_mut) else {
                continue;
            };
            for (published, port) in live {
                ports.retain(|p| {
                    !(p.get("PrivatePort").and_then(Value::as_u64) == Some(published.port.into())
                        && p.get("Type").and_then(Value::as_str) == Some(&published.proto)
                        && p.get("PublicPort").is_none())
                });
                ports.push(json!({
                    "IP": published.host_ip,
                    "PrivatePort": published.port,
                    "PublicPort": port,
                    "Type": published.proto,
                }));
            }
        }
    }

    /// A `GET /containers/{id}/json` answer with the bindings in `HostConfig.PortBindings`
    /// and, while forwarded, `NetworkSettings.Ports`.
    pub fn patch_inspect(&self, inspected: &mut Value) {
        let table = self.table();
        let Some(id) = inspected
            .get("Id")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        let Some(bindings) = table.bindings.get(&id) else {
            return;
        };
        let mut requested = serde_json::Map::new();
        let mut live = serde_json::Map::new();
        for (published, port) in bindings {
            let key = format!("{}/{}", published.port, published.proto);
            let asked = published
                .host_port
                .map(|p| p.to_string())
                .unwrap_or_default();
            push(
                &mut requested,
                &key,
                json!({"HostIp": published.host_ip, "HostPort": asked}),
            );
            if table.listening.get(port).is_some_and(|f| f.container == id) {
                let bound = json!({"HostIp": published.host_ip, "HostPort": port.to_string()});
                push(&mut live, &key, bound);
            }
        }
        if let Some(host) = inspected
            .get_mut("HostConfig")
            .and_then(Value::as_object_mut)
        {
            host.insert("PortBindings".into(), Value::Object(requested));
        }
        if let Some(ports) = inspected
            .pointer_mut("/NetworkSettings/Ports")
            .and_then(Value::as_object_mut)
        {
            for (key, bound) in live {
                ports.insert(key, bound);
            }
        }
    }
}

fn push(map: &mut serde_json::Map<String, Value>, key: &str, value: Value) {
    if let Some(Value::Array(items)) = map.get_mut(key) {
        items.push(value);
    } else {
        map.insert(key.to_string(), json!([value]));
    }
}

/// How the forwarder connects a client to the container (`$0` busybox, `$1` address, `$2`
/// port). A refused connection is tried again for up to 5 s: verify types a lesson's `curl`
/// the instant `docker run -d` returns, long before any reader could, and a server that
/// needs a moment to listen would otherwise fail the lesson on a race readers never see.
/// (A refused connect ends `nc` before it reads the client's request, so nothing is lost.)
/// The limit is by the clock: a connect to a container that has gone can itself take seconds.
const CONNECT: &str = r#"end=$(($("$0" date +%s) + 5)); until "$0" nc "$1" "$2"; do [ "$("$0" date +%s)" -lt "$end" ] || exit 1; "$0" sleep 0.1; done"#;

/// The shell script that starts a forwarder from `port` in the runner to `ip:to`, prints its
/// pid and returns once it listens.
fn forwarder_script(port: u16, ip: &str, to: u16) -> String {
    format!(
        r#"b=$(command -v busybox) || {{ echo "the runner has no busybox to forward port {port} with" >&2; exit 3; }}
"$b" nc -ll -p {port} -e "$b" sh -c '{CONNECT}' "$b" {ip} {to} </dev/null >/dev/null 2>&1 &
echo $!
i=0
until grep -Eq ':{port:04X} [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 250 ] || {{ echo "the forwarder for port {port} did not start listening" >&2; exit 4; }}
  sleep 0.02
done"#
    )
}

/// Runs `script` in the runner and returns its output (an error with it on a non-zero exit).
async fn exec(docker: &Docker, runner: &str, script: &str) -> Result<String, String> {
    let config = ExecConfig {
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        ..Default::default()
    };
    let fail = |e: bollard::errors::Error| format!("forwarding a port in the runner: {e}");
    let id = docker.create_exec(runner, config).await.map_err(fail)?.id;
    let started = docker
        .start_exec(&id, Some(StartExecOptions::default()))
        .await
        .map_err(fail)?;
    let mut text = String::new();
    if let StartExecResults::Attached { mut output, .. } = started {
        while let Some(Ok(chunk)) = output.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
        }
    }
    let exit = docker
        .inspect_exec(&id)
        .await
        .ok()
        .and_then(|e| e.exit_code)
        .unwrap_or(-1);
    if exit == 0 {
        Ok(text)
    } else {
        Err(format!("forwarding a port in the runner: {}", text.trim()))
    }
}

async fn running(docker: &Docker, id: &str) -> bool {
    docker
        .inspect_container(id, None)
        .await
        .ok()
        .and_then(|c| c.state?.running)
        .unwrap_or(false)
}

async fn container_name(docker: &Docker, id: &str) -> String {
    docker
        .inspect_container(id, None)
        .await
        .ok()
        .and_then(|c| c.name)
        .map_or_else(|| id.to_string(), |n| n.trim_start_matches('/').to_string())
}
