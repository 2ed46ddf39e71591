//! Verify: runs the snippets lessons tag with `{verify}` in containers, through the Docker
//! Engine API, and reports which still work.
//!
//! [`snippets`] finds and checks the tags; [`expect`] reads `console` transcripts and matches
//! output; [`engine`] talks to the engine. Snippets without a `session` run in parallel, each
//! in a fresh container; the blocks of one session run in order in one shared container.

pub mod build;
pub mod engine;
pub mod expect;
pub mod proxy;
pub mod report;
pub mod results;
pub mod runner;
pub mod session;
pub mod snippets;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::Semaphore;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use session::{Runner, Unit};
use snippets::Snippet;

#[derive(Debug, Clone, clap::Args)]
pub struct VerifyOptions {
    /// The course folder, holding `book.toml` and `content/`
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Snippets run at once (default: twice the number of cores)
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Only lessons whose path contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub lesson: Option<String>,
    /// Run every snippet, even those that passed before and have not changed
    #[arg(long)]
    pub no_cache: bool,
    /// Also write the results as JUnit XML (one test case per snippet)
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Also write the results as JSON
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Only snippets whose text contains TEXT (with the rest of their session)
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Run shard K of N (1/3, 2/3, 3/3): a stable split of the snippets for CI matrices
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// List the selected snippets (lesson:line) instead of running them
    #[arg(long)]
    pub list: bool,
    /// Pull images the engine does not have (by default a missing image is an error: nothing
    /// is downloaded unless you ask)
    #[arg(long)]
    pub pull: bool,
}

/// Parses `K/N` for `--shard`.
pub fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not K/N, such as 1/3"))?;
    let (k, n): (u32, u32) = (
        k.trim()
            .parse()
            .map_err(|_| format!("`{k}` is not a number"))?,
        n.trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a number"))?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n} does not exist: K goes from 1 to N"));
    }
    Ok((k, n))
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Pass,
    Fail,
    Timeout,
    Oom,
    Error,
    Skip,
}

impl Status {
    pub fn label(&self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Timeout => "TIMEOUT",
            Status::Oom => "OOM",
            Status::Error => "ERROR",
            Status::Skip => "SKIP",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub snippet: String,
    pub status: Status,
    pub detail: String,
    /// The lesson line a failure points at when it is not the block's first line (the
    /// instruction of a Dockerfile step that failed).
    pub line: Option<usize>,
    /// Time spent running it (0 when cached or skipped).
    pub seconds: f64,
}

/// How a run ended.
pub enum Verdict {
    /// Every snippet passed or was skipped.
    Passed,
    /// Some snippet failed (exit 1).
    Failed,
    /// The tags are wrong (exit 1): fix the lessons.
    Content(Vec<Diagnostic>),
    /// The machine is not ready: no engine, a missing image (exit 2).
    Environment(String),
}

const DEFAULT_IMAGE: &str = "busybox";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const WORKDIR: &str = "/work";

pub fn run(opts: &VerifyOptions) -> anyhow::Result<Verdict> {
    let config = match Config::load(&opts.root) {
        Ok(config) => config,
        Err(problems) => return Ok(Verdict::Content(problems)),
    };
    let found = Diagnostics::default();
    let Some(course) = content::load(&config.content_path(&opts.root), &opts.root, &found) else {
        return Ok(Verdict::Content(found.into_sorted()));
    };
    let mut all = Vec::new();
    let mut problems = found.into_sorted();
    // Every page: lessons, and the course's and modules' index pages.
    for page in course.pages() {
        if opts
            .lesson
            .as_ref()
            .is_some_and(|l| !page.display.to_string_lossy().contains(l.as_str()))
        {
            continue;
        }
        let (snippets, bad) = snippets::extract(page);
        all.extend(snippets);
        problems.extend(bad);
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Ok(Verdict::Content(problems));
    }
    let units = select(units(all, &config), opts);
    if opts.list {
        for unit in &units {
            for s in &unit.snippets {
                println!("{}", s.name());
            }
        }
        return Ok(Verdict::Passed);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run_units(units, opts, &config))
}

/// Applies `--filter` and `--shard`. A session is never split: its blocks depend on each
/// other. Shards go by a hash of the lesson and the unit's first line, so adding a lesson
/// moves only that lesson's snippets.
fn select(units: Vec<Unit>, opts: &VerifyOptions) -> Vec<Unit> {
    units
        .into_iter()
        .filter(|u| {
            opts.filter
                .as_ref()
                .is_none_or(|f| u.snippets.iter().any(|s| s.code.contains(f.as_str())))
        })
        .filter(|u| {
            opts.shard.is_none_or(|(k, n)| {
                let first = &u.snippets[0];
                let key = match &first.session {
                    Some(session) => format!("{}:{session}", first.path.display()),
                    None => first.name(),
                };
                let hash = crate::slug::stable_hash(&key);
                hash % n == k - 1
            })
        })
        .collect()
}

fn units(all: Vec<Snippet>, config: &Config) -> Vec<Unit> {
    let mut sessions: BTreeMap<(PathBuf, String), usize> = BTreeMap::new();
    let mut units: Vec<Unit> = Vec::new();
    let image_of = |s: &Snippet| {
        let named = s
            .image
            .as_deref()
            .or(config.verify.image.as_deref())
            .unwrap_or(DEFAULT_IMAGE);
        config.verify.image(named)
    };
    for s in all {
        if let Some(name) = &s.session {
            let key = (s.path.clone(), name.clone());
            if let Some(&i) = sessions.get(&key) {
                let unit = &mut units[i];
                unit.net |= s.net;
                unit.docker |= s.docker;
                unit.env.extend(s.env.iter().cloned());
                unit.snippets.push(s);
                continue;
            }
            sessions.insert(key, units.len());
        }
        units.push(Unit {
            image: image_of(&s),
            docker: s.docker,
            net: s.net,
            env: s.env.clone(),
            workdir: s.workdir.clone().unwrap_or_else(|| WORKDIR.to_string()),
            snippets: vec![s],
        });
    }
    units
}

async fn run_units(
    units: Vec<Unit>,
    opts: &VerifyOptions,
    config: &Config,
) -> anyhow::Result<Verdict> {
    let started = Instant::now();
    let docker = match engine::connect().await {
        Ok(docker) => docker,
        Err(e) => {
            return Ok(Verdict::Environment(format!(
                "cannot reach the Docker engine: {e:#}\n  help: start it (`dockerd`, Docker Desktop), or point DOCKER_HOST at one"
            )));
        }
    };
    let run = engine::run_id();
    let swept = engine::sweep(&docker).await;
    if swept > 0 {
        eprintln!("removed {swept} container(s) left by an earlier run");
    }
    crate::output::remove_abandoned_scratch(session::SANDBOX_PREFIX);
    // Every image must be here before anything runs: one clear error, not many failures.
    let mut checked: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut missing: Vec<(String, String)> = Vec::new();
    // Each unit's images, read from its blocks once: checked here, part of its cache keys below.
    let needs: Vec<Vec<(String, String)>> =
        units.iter().map(|u| needed_images(u, config)).collect();
    for (image, place) in needs.iter().flatten() {
        if checked.contains_key(image) {
            continue;
        }
        let mut id = engine::image_id(&docker, image).await;
        if id.is_none() && opts.pull {
            eprintln!("pulling {image}");
            if let Err(e) = engine::pull(&docker, image).await {
                return Ok(Verdict::Environment(format!(
                    "could not pull `{image}` (first used at {place}): {e:#}"
                )));
            }
            id = engine::image_id(&docker, image).await;
        }
        if id.is_none() {
            missing.push((image.clone(), place.clone()));
        }
        checked.insert(image.clone(), id);
    }
    if let Some((first, _)) = missing.first() {
        let list: Vec<String> = missing
            .iter()
            .map(|(image, place)| {
                format!("image `{image}` is not on this engine (first used at {place})")
            })
            .collect();
        return Ok(Verdict::Environment(format!(
            "{}\n  help: load it (`docker load`, `docker import`), pull it with `coursebook verify --pull`, or map the name to an image you have in book.toml:\n        [verify.images]\n        \"{first}\" = \"local/your-image\"",
            list.join("\n"),
        )));
    }

    // `{verify docker}` blocks run in a runner: the base image with this machine's docker CLI.
    let runner_image = if units
        .iter()
        .any(|u| u.docker && u.snippets.iter().any(|s| s.skip.is_none()))
    {
        match runner::ensure(&docker, &runner_base(config)).await {
            Ok(id) => Some(id),
            Err(e) => return Ok(Verdict::Environment(format!("{e:#}"))),
        }
    } else {
        None
    };
    let total: usize = units.iter().map(|u| u.snippets.len()).sum();
    let bar = progress(total);
    let tally = Arc::new(Tally::default());
    let timeout = config
        .verify
        .timeout
        .as_deref()
        .and_then(snippets::parse_duration)
        .unwrap_or(DEFAULT_TIMEOUT);
    let jobs = opts.jobs.unwrap_or_else(|| {
        2 * std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
    });
    let slots = Arc::new(Semaphore::new(jobs.max(1)));
    // Docker sessions run one at a time: lessons name their containers, networks and volumes
    // (`--name web`), and names are engine-wide, so two sessions using `web` at once would
    // collide where the reader's single terminal never does.
    let docker_turn = Arc::new(Semaphore::new(1));
    let mut tasks = tokio::task::JoinSet::new();
    let mut results: Vec<(usize, Vec<Outcome>)> = Vec::new();
    // What each snippet's result is recorded under, for the site's badges.
    let mut records: BTreeMap<String, (String, String)> = BTreeMap::new();
    for unit in &units {
        for s in &unit.snippets {
            if s.lang != "quiz" {
                records.insert(s.name(), (results::key(&s.lang, &s.code), ran_on(unit, s)));
            }
        }
    }
    for (order, (unit, needed)) in units.into_iter().zip(needs).enumerate() {
        let image_ids: Vec<String> = needed
            .into_iter()
            .filter_map(|(image, _)| checked.get(&image).cloned().flatten())
            .collect();
        let keys = cache_keys(&unit, &image_ids.join(","), timeout);
        // A unit whose every block passed before, unchanged, on the same image, is not run.
        if !opts.no_cache
            && keys
                .iter()
                .all(|k| k.as_ref().is_none_or(|k| passed_before(k)))
        {
            let outcomes: Vec<Outcome> = unit.snippets.iter().map(cached_outcome).collect();
            tally.add(&bar, &outcomes);
            results.push((order, outcomes));
            continue;
        }
        let (docker, run, slots, bar, images) = (
            docker.clone(),
            run.clone(),
            Arc::clone(&slots),
            bar.clone(),
            config.verify.images.clone(),
        );
        let tally = Arc::clone(&tally);
        let runner_image = runner_image.clone();
        let docker_turn = unit.docker.then(|| Arc::clone(&docker_turn));
        tasks.spawn(async move {
            let _turn = match docker_turn {
                Some(turn) => Some(turn.acquire_owned().await),
                None => None,
            };
            let _slot = slots.acquire_owned().await;
            let runner = Runner {
                docker: &docker,
                run: &run,
                timeout,
                images: &images,
                runner: runner_image.as_deref(),
            };
            let outcomes = runner.run_unit(unit).await;
            for (outcome, key) in outcomes.iter().zip(&keys) {
                if outcome.status == Status::Pass
                    && let Some(key) = key
                {
                    remember_pass(key);
                }
            }
            tally.add(&bar, &outcomes);
            (order, outcomes)
        });
    }
    loop {
        tokio::select! {
            next = tasks.join_next() => match next {
                Some(Ok(done)) => results.push(done),
                Some(Err(e)) => anyhow::bail!("a verify task failed: {e}"),
                None => break,
            },
            _ = tokio::signal::ctrl_c() => {
                bar.finish_and_clear();
                tasks.abort_all();
                engine::remove_run(&docker, &run).await;
                session::remove_sandbox_dirs();
                eprintln!("interrupted: removed this run's containers");
                std::process::exit(130);
            }
        }
    }
    bar.finish_and_clear();
    results.sort_by_key(|(order, _)| *order);
    let outcomes: Vec<Outcome> = results.into_iter().flat_map(|(_, o)| o).collect();
    let elapsed = started.elapsed();
    if let Some(path) = &opts.junit {
        std::fs::write(path, report::junit(&outcomes, elapsed))
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    if let Some(path) = &opts.json {
        std::fs::write(path, report::json(&outcomes, elapsed))
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    let full = opts.lesson.is_none() && opts.filter.is_none() && opts.shard.is_none();
    save_results(&opts.root, &outcomes, &records, full);
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        print!("{}", report::github_annotations(&outcomes));
    }
    Ok(report(&outcomes, elapsed))
}

/// The image `{verify docker}` runners are made from (`[verify] runner`, mapped).
fn runner_base(config: &Config) -> String {
    config
        .verify
        .image(config.verify.runner.as_deref().unwrap_or("debian:bookworm"))
}

/// The image a block ran on, as its badge names it: the unit's, or the one its session built.
fn ran_on(unit: &Unit, s: &Snippet) -> String {
    match (&s.kind, &s.built) {
        _ if s.docker => "a docker sandbox".into(),
        (snippets::Kind::Output(tag), _) | (_, Some(tag)) => tag.clone(),
        _ if s.is_dockerfile() => s.tag.clone().unwrap_or_else(|| unit.image.clone()),
        _ => unit.image.clone(),
    }
}

/// Records this run's results with the course (`.coursebook/verify-results.json`) for the
/// site's badges. Skipped blocks are not recorded; a run of part of the course keeps the
/// rest's records. Best effort: a failure is a warning, the run's verdict stands.
fn save_results(
    root: &std::path::Path,
    outcomes: &[Outcome],
    records: &BTreeMap<String, (String, String)>,
    full: bool,
) {
    let today = results::today();
    let list = outcomes
        .iter()
        .filter(|o| o.status != Status::Skip)
        .filter_map(|o| {
            let (key, image) = records.get(&o.snippet)?;
            let record = results::Record {
                status: o.status.label().to_lowercase(),
                date: today.clone(),
                image: image.clone(),
            };
            Some((key.clone(), record, o.detail == "cached"))
        })
        .collect();
    if let Err(e) = results::save(root, list, full) {
        eprintln!(
            "warning: could not record the results in {}: {e}",
            results::file(root).display()
        );
    }
}

/// The images a unit needs the engine to have, each with the first lesson line that names
/// it: the image its container runs (when a block runs in it), and the images its Dockerfiles
/// start `FROM`, mapped by `[verify.images]`, except those the session builds itself.
fn needed_images(unit: &Unit, config: &Config) -> Vec<(String, String)> {
    let mut needed: Vec<(String, String)> = Vec::new();
    let mut tags: Vec<&str> = Vec::new();
    let runs = |s: &&Snippet| s.skip.is_none();
    if unit.docker {
        needed.push((runner_base(config), unit.snippets[0].name()));
    } else if unit
        .snippets
        .iter()
        .filter(runs)
        .any(|s| s.built.is_none() && !matches!(s.kind, snippets::Kind::Output(_)))
    {
        needed.push((unit.image.clone(), unit.snippets[0].name()));
    }
    for s in unit.snippets.iter().filter(runs) {
        if s.is_dockerfile() {
            for (line, image) in build::base_images(&s.code) {
                if tags.contains(&image.as_str()) {
                    continue;
                }
                let image = config.verify.image(&image);
                if !needed.iter().any(|(n, _)| *n == image) {
                    needed.push((image, format!("{}:{}", s.path.display(), s.line + line)));
                }
            }
            tags.extend(s.tag.as_deref());
        }
    }
    needed
}

fn cached_outcome(s: &Snippet) -> Outcome {
    match &s.skip {
        Some(reason) => Outcome {
            snippet: s.name(),
            status: Status::Skip,
            detail: reason.clone(),
            line: None,
            seconds: 0.0,
        },
        None => Outcome {
            snippet: s.name(),
            status: Status::Pass,
            detail: "cached".into(),
            line: None,
            seconds: 0.0,
        },
    }
}

/// Each block's cache key (`None` for skipped blocks): the tool's version, the image's id, the
/// container's settings, and the block with every block before it in its session, so an edit
/// to an earlier block reruns the later ones.
fn cache_keys(unit: &Unit, image_id: &str, timeout: Duration) -> Vec<Option<String>> {
    use std::hash::{Hash, Hasher};
    let mut state = std::hash::DefaultHasher::new();
    (
        env!("CARGO_PKG_VERSION"),
        image_id,
        &unit.image,
        unit.net,
        &unit.env,
        &unit.workdir,
        timeout,
    )
        .hash(&mut state);
    unit.snippets
        .iter()
        .map(|s| {
            (&s.lang, &s.code, format!("{:?}", s.kind), s.exit, s.timeout).hash(&mut state);
            s.skip.is_none().then(|| format!("{:016x}", state.finish()))
        })
        .collect()
}

fn passed_before(key: &str) -> bool {
    crate::cache::dir("verify").is_some_and(|d| d.join(key).is_file())
}

/// Best effort: a cache that cannot be written only costs a rerun.
fn remember_pass(key: &str) {
    if let Some(dir) = crate::cache::dir("verify")
        && std::fs::create_dir_all(&dir).is_ok()
    {
        let _ = std::fs::write(dir.join(key), b"pass\n");
    }
}

fn report(outcomes: &[Outcome], elapsed: Duration) -> Verdict {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for o in outcomes {
        *counts.entry(o.status.label()).or_default() += 1;
        match o.status {
            Status::Pass if o.detail == "cached" => eprintln!("PASS    {} (cached)", o.snippet),
            Status::Pass => eprintln!("PASS    {}", o.snippet),
            Status::Skip => eprintln!("SKIP    {} ({})", o.snippet, o.detail),
            _ => eprintln!(
                "{:<7} {}\n{}",
                o.status.label(),
                o.snippet,
                indent(&o.detail)
            ),
        }
    }
    let summary = summary(&counts);
    eprintln!(
        "verified {} snippet{} in {:.1}s: {}",
        outcomes.len(),
        if outcomes.len() == 1 { "" } else { "s" },
        elapsed.as_secs_f64(),
        if summary.is_empty() {
            "nothing tagged".to_string()
        } else {
            summary.join(", ")
        }
    );
    if outcomes
        .iter()
        .all(|o| matches!(o.status, Status::Pass | Status::Skip))
    {
        Verdict::Passed
    } else {
        Verdict::Failed
    }
}

pub(crate) fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn human(d: Duration) -> String {
    if d.as_secs() >= 60 && d.as_secs().is_multiple_of(60) {
        format!("{} min", d.as_secs() / 60)
    } else {
        format!("{} s", d.as_secs_f64())
    }
}

/// "3 pass, 1 fail", in a fixed order.
fn summary(counts: &BTreeMap<&str, usize>) -> Vec<String> {
    ["PASS", "FAIL", "TIMEOUT", "OOM", "ERROR", "SKIP"]
        .iter()
        .filter_map(|k| counts.get(k).map(|n| format!("{n} {}", k.to_lowercase())))
        .collect()
}

/// Running counts for the progress bar, so a failure shows while the rest still run.
#[derive(Default)]
struct Tally {
    counts: std::sync::Mutex<BTreeMap<&'static str, usize>>,
}

impl Tally {
    fn add(&self, bar: &ProgressBar, outcomes: &[Outcome]) {
        let Ok(mut counts) = self.counts.lock() else {
            return;
        };
        for o in outcomes {
            *counts.entry(o.status.label()).or_default() += 1;
        }
        bar.set_message(summary(&counts).join(", "));
        bar.inc(outcomes.len() as u64);
    }
}

fn progress(total: usize) -> ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} verifying {pos}/{len} snippets {wide_bar} {elapsed} {msg}",
    ) {
        bar.set_style(style);
    }
    bar
}
