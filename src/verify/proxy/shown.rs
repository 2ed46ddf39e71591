//! Shown: the engine's answers as the lesson would see them on the author's machine. The
//! proxy maps image names (`[verify.images]`) and labels what a lesson builds; neither should
//! change the lesson's output. So `docker ps` and `docker inspect` show the image name the
//! lesson used, and a build's steps show its own `FROM` lines and are numbered without the
//! `LABEL` steps the classic builder adds for the proxy's labels.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

/// The image name each container was created with, where the proxy mapped it.
#[derive(Default)]
pub struct Names {
    by_container: Mutex<HashMap<String, String>>,
}

impl Names {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.by_container
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn record(&self, container: &str, asked: &str) {
        self.map().insert(container.to_string(), asked.to_string());
    }

    /// `GET /containers/json`: each container's `Image` as the lesson named it.
    pub fn patch_list(&self, list: &mut Value) {
        let names = self.map();
        for container in list.as_array_mut().into_iter().flatten() {
            let asked = container
                .get("Id")
                .and_then(Value::as_str)
                .and_then(|id| names.get(id));
            if let (Some(asked), Some(map)) = (asked, container.as_object_mut()) {
                map.insert("Image".into(), Value::String(asked.clone()));
            }
        }
    }

    /// `GET /containers/{id}/json`: `Config.Image` as the lesson named it.
    pub fn patch_inspect(&self, inspected: &mut Value) {
        let names = self.map();
        let asked = inspected
            .get("Id")
            .and_then(Value::as_str)
            .and_then(|id| names.get(id))
            .cloned();
        if let (Some(asked), Some(config)) = (
            asked,
            inspected.get_mut("Config").and_then(Value::as_object_mut),
        ) {
            config.insert("Image".into(), Value::String(asked));
        }
    }
}

/// What a build's output must not show: the `FROM` lines as mapped (`(mapped, as written)`,
/// in order) and the proxy's labels (one `LABEL` step each).
pub struct Build {
    pub froms: Vec<(String, String)>,
    pub label_keys: Vec<String>,
}

impl Build {
    /// The engine's build answer (JSON lines) as the lesson would have seen it.
    pub fn rewrite(&self, body: &[u8]) -> Vec<u8> {
        let mut froms = self.froms.iter();
        let mut skipping = false;
        let mut out = Vec::with_capacity(body.len());
        for line in body.split(|&b| b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let Ok(mut message) = serde_json::from_slice::<Value>(line) else {
                out.extend_from_slice(line);
                out.push(b'\n');
                continue;
            };
            if let Some(text) = message.get("stream").and_then(Value::as_str) {
                let shown = self.stream(text, &mut froms, &mut skipping);
                if shown.is_empty() {
                    continue;
                }
                message["stream"] = Value::String(shown);
            }
            out.extend_from_slice(message.to_string().as_bytes());
            out.push(b'\n');
        }
        out
    }

    fn stream<'a>(
        &self,
        text: &str,
        froms: &mut impl Iterator<Item = &'a (String, String)>,
        skipping: &mut bool,
    ) -> String {
        let mut shown = String::new();
        for line in text.split_inclusive('\n') {
            if let Some((step, total, instruction)) = step(line) {
                let ours = instruction.starts_with("LABEL ")
                    && self
                        .label_keys
                        .iter()
                        .any(|k| instruction[6..].trim_start().starts_with(k.as_str()));
                *skipping = ours;
                if ours {
                    continue;
                }
                let mut instruction = instruction.to_string();
                if instruction.to_ascii_uppercase().starts_with("FROM ")
                    && let Some((mapped, written)) = froms.next()
                    && instruction.trim_end() == mapped.trim_end()
                {
                    instruction = written.clone();
                }
                let total = total.saturating_sub(self.label_keys.len());
                let end = if line.ends_with('\n') { "\n" } else { "" };
                shown.push_str(&format!(
                    "Step {step}/{total} : {}{end}",
                    instruction.trim_end()
                ));
                continue;
            }
            if line.starts_with("Successfully built ") {
                *skipping = false;
            }
            if !*skipping {
                shown.push_str(line);
            }
        }
        shown
    }
}

/// `Step 3/6 : RUN make` as (3, 6, `RUN make`).
fn step(line: &str) -> Option<(usize, usize, &str)> {
    let rest = line.strip_prefix("Step ")?;
    let (numbers, instruction) = rest.split_once(" : ")?;
    let (step, total) = numbers.split_once('/')?;
    Some((step.parse().ok()?, total.parse().ok()?, instruction))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_steps_are_hidden_and_from_lines_shown_as_written() {
        let engine = [
            r#"{"stream":"Step 1/4 : FROM local/busybox\n"}"#,
            r#"{"stream":" ---\u003e 7173fe755585\n"}"#,
            r#"{"stream":"Step 2/4 : RUN echo hi\n"}"#,
            r#"{"stream":" ---\u003e Running in 6f22\n"}"#,
            r#"{"stream":"hi\n"}"#,
            r#"{"stream":" ---\u003e 6482e6ba2b20\n"}"#,
            r#"{"stream":"Step 3/4 : LABEL dev.coursebook.host=vm\n"}"#,
            r#"{"stream":" ---\u003e Running in ff9e\n"}"#,
            r#"{"stream":"Removing intermediate container ff9e\n"}"#,
            r#"{"stream":" ---\u003e 317427420935\n"}"#,
            r#"{"stream":"Step 4/4 : LABEL dev.coursebook.verify=1-2\n"}"#,
            r#"{"stream":" ---\u003e cb68a00c48da\n"}"#,
            r#"{"aux":{"ID":"sha256:cb68"}}"#,
            r#"{"stream":"Successfully built cb68a00c48da\n"}"#,
        ]
        .join("\n");
        let build = Build {
            froms: vec![("FROM local/busybox".into(), "FROM busybox".into())],
            label_keys: vec!["dev.coursebook.host".into(), "dev.coursebook.verify".into()],
        };
        let shown = String::from_utf8(build.rewrite(engine.as_bytes())).unwrap();
        let text: String = shown
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|v| v.get("stream")?.as_str().map(str::to_string))
            .collect();
        assert_eq!(
            text,
            "Step 1/2 : FROM busybox\n ---> 7173fe755585\nStep 2/2 : RUN echo hi\n ---> Running in 6f22\nhi\n ---> 6482e6ba2b20\nSuccessfully built cb68a00c48da\n"
        );
        assert!(shown.contains(r#""aux""#), "other messages pass: {shown}");
    }
}

/// An answer that lists or inspects objects, and what it must not show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Patch {
    Containers,
    Container,
    Images,
    Image,
    History,
    Volumes,
    Volume,
    Networks,
    Network,
}

/// Removes the proxy's labels (`keys`) from an answer: a label map left empty reads as the
/// engine shows an object that never had labels.
pub fn strip_labels(patch: Patch, value: &mut Value, keys: &[String]) {
    let strip = |labels: Option<&mut Value>, empty: Value| {
        if let Some(labels) = labels
            && let Some(map) = labels.as_object_mut()
        {
            let had = !map.is_empty();
            map.retain(|k, _| !keys.contains(k));
            if had && map.is_empty() {
                *labels = empty;
            }
        }
    };
    let items: Vec<&mut Value> = match patch {
        Patch::Containers | Patch::Images | Patch::Networks => {
            value.as_array_mut().into_iter().flatten().collect()
        }
        Patch::Volumes => value
            .get_mut("Volumes")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .collect(),
        _ => vec![value],
    };
    for item in items {
        match patch {
            Patch::Containers => strip(item.get_mut("Labels"), Value::Object(Default::default())),
            Patch::Container => strip(
                item.pointer_mut("/Config/Labels"),
                Value::Object(Default::default()),
            ),
            Patch::Image => {
                strip(item.pointer_mut("/Config/Labels"), Value::Null);
                strip(item.pointer_mut("/ContainerConfig/Labels"), Value::Null);
            }
            Patch::History => {}
            _ => strip(item.get_mut("Labels"), Value::Null),
        }
    }
    if patch == Patch::History
        && let Some(rows) = value.as_array_mut()
    {
        rows.retain(|row| {
            let by = row.get("CreatedBy").and_then(Value::as_str).unwrap_or("");
            !by.split("LABEL ").skip(1).any(|rest| {
                keys.iter()
                    .any(|k| rest.trim_start().starts_with(k.as_str()))
            })
        });
    }
}
