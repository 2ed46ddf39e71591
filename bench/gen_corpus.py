#!/usr/bin/env python3
"""Generate a synthetic Docker course for the build-speed benchmark.

One in-memory model of the course is written out in up to three layouts, so
every tool builds exactly the same text:

  OUT/coursebook/  book.toml + content/NNN-module/NNNN-lesson.md (TOML front matter)
  OUT/hugo/        hugo.toml + layouts/_default/* + content/NNN-module/NNNN-lesson.md
  OUT/mdbook/      book.toml + src/SUMMARY.md + src/NNN-module/NNNN-lesson.md

Each lesson is about 6 KB of Markdown: ##/### headings, a GFM table, bullet and
numbered lists, and one bash, one yaml and one dockerfile code block, plus links
to the previous lesson (with a #fragment to a heading that exists there) and to
the next one. Lessons are grouped 100 to a module.

Output is deterministic: each lesson draws from its own RNG seeded with
(seed, lesson number), so lesson 42 reads the same whether the course has 200
or 10,000 lessons, and two runs produce byte-identical trees.

Python 3 standard library only, so it runs on a fresh Debian machine.
"""

import argparse
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass, field

LESSONS_PER_MODULE = 100
COURSE_TITLE = "Docker at Scale: A Synthetic Benchmark Course"

# --- Vocabulary ------------------------------------------------------------
# Enough variety that no two lessons (or code blocks) are identical, so no
# tool can benefit from caching repeated input, while staying realistic Docker
# material for the highlighters to chew on.

TOPICS = [
    "Networking", "Volumes", "Bind Mounts", "Image Layers", "Multi-stage Builds",
    "Healthchecks", "Compose Profiles", "Registries", "Build Cache", "BuildKit Secrets",
    "Resource Limits", "Logging Drivers", "Restart Policies", "Environment Variables",
    "Rootless Containers", "Capabilities", "Seccomp Profiles", "Image Tagging",
    "Container Inspection", "Port Publishing", "DNS and Service Discovery",
    "Init Processes", "Signals and Shutdown", "Buildx and Multi-arch", "SBOMs",
    "Image Scanning", "Overlay Networks", "Tmpfs Mounts", "Compose Watch",
    "Dockerignore Files",
]
APPS = [
    "notekeeper", "ledger", "pixelapi", "mailrelay", "inventory", "chatops",
    "geofence", "billing", "thumbnailer", "searchd", "scheduler", "webhooks",
    "metricsd", "authgate", "cartservice", "feedreader",
]
MODULE_THEMES = [
    "Foundations", "Working with Containers", "Building Images", "Networking and Data",
    "Compose", "Security", "Observability", "Production Patterns", "CI Pipelines",
    "Troubleshooting",
]
STACKS = [
    # (base image family, versions, install step, start command)
    ("python", ["3.10-slim", "3.11-slim", "3.12-slim", "3.13-slim"],
     "RUN pip install --no-cache-dir -r requirements.txt", 'CMD ["python", "-m", "{app}", "--port", "{port}"]'),
    ("node", ["18-alpine", "20-alpine", "22-alpine"],
     "RUN npm ci --omit=dev", 'CMD ["node", "server.js", "--port={port}"]'),
    ("golang", ["1.21-bookworm", "1.22-bookworm", "1.23-alpine"],
     "RUN go build -trimpath -o /out/{app} ./cmd/{app}", 'ENTRYPOINT ["/usr/local/bin/{app}", "-listen", ":{port}"]'),
]
OPTIONS = [
    ("`--memory`", "unlimited", "Hard cap on the container's memory; the OOM killer fires past it"),
    ("`--cpus`", "all cores", "CPU time the container may use, as a fraction of cores"),
    ("`--restart`", "`no`", "What the daemon does when the main process exits"),
    ("`--read-only`", "off", "Mounts the root file system read-only"),
    ("`--network`", "`bridge`", "Which network the container joins first"),
    ("`--pids-limit`", "unlimited", "Maximum number of processes inside the container"),
    ("`--log-driver`", "`json-file`", "Where stdout and stderr of the container go"),
    ("`--user`", "image default", "UID and GID the main process runs as"),
    ("`--cap-drop`", "none", "Linux capabilities removed from the default set"),
    ("`--health-interval`", "30s", "Time between two runs of the healthcheck"),
    ("`--stop-timeout`", "10", "Seconds between SIGTERM and SIGKILL on `docker stop`"),
    ("`--init`", "off", "Runs a tiny init as PID 1 to reap zombies and forward signals"),
    ("`--tmpfs`", "none", "Mounts an in-memory file system at the given path"),
    ("`--ulimit`", "daemon default", "Per-process resource limits such as open files"),
]
SENTENCES = [
    "In this lesson the {app} service is the running example, and every command works on a stock Docker Engine.",
    "{topic} is one of those features that looks simple in a demo and hides a surprising amount of machinery.",
    "When {app} moved to containers, the team found that most incidents traced back to a misunderstanding of {topic_l}.",
    "The daemon keeps its state under /var/lib/docker, and you will look inside it more than once in this lesson.",
    "A container is an ordinary process with a restricted view of the system, so the usual Linux tools still apply.",
    "Try each command yourself: reading output is not the same as watching it scroll past in your own terminal.",
    "The defaults are chosen for a laptop, not for a server that runs {n} containers around the clock.",
    "If something goes wrong, `docker inspect` and `docker logs` answer nine questions out of ten.",
    "Compose describes the same settings declaratively, which makes them reviewable in a pull request.",
    "Keep an eye on image size: the {base} base adds about {mb} MB before your own code is copied in.",
    "Port {port} is used throughout so that it does not collide with anything from earlier lessons.",
    "Production teams usually pin image versions by digest, because tags such as `latest` move.",
    "The kernel, not Docker, enforces every limit you set here; Docker only writes the settings down.",
    "Remember that each `RUN` instruction creates a layer, and layers are cached by the exact instruction text.",
    "Most of what you learn about {topic_l} carries over unchanged to Podman and to Kubernetes.",
    "You can clean up everything this lesson creates with a single `docker compose down --volumes`.",
    "On Docker Desktop the same commands run inside a small Linux VM, so some paths differ.",
    "A good habit is to give every container a name, so that logs and metrics stay readable.",
]
BULLETS = [
    "Containers share the host kernel, so {topic_l} settings are enforced by Linux itself",
    "Name every resource after the app (`{app}-{n}`) so cleanup is one filter away",
    "Pin `{base}` to a digest in production builds",
    "Publish only the ports you need; {port} is the only one {app} exposes",
    "Prefer named volumes to bind mounts for data that must outlive the container",
    "Set a memory limit of about {mem} MiB and watch `docker stats` while load-testing",
    "Drop every capability and add back only `NET_BIND_SERVICE` if you really need it",
    "Use `--init` or `tini` when the main process does not reap its children",
    "Healthchecks turn a running container into a ready one for Compose's `depends_on`",
    "Keep build secrets out of layers with `RUN --mount=type=secret`",
    "Log to stdout and stderr and let the logging driver decide where lines go",
    "Order Dockerfile instructions from least to most frequently changed",
]
STEPS = [
    "Create a working folder named `{app}-{n}` and change into it.",
    "Write the Dockerfile shown below and build it with `docker build -t {app}:{tag} .`.",
    "Start the stack with `docker compose up -d` and wait for the healthcheck to pass.",
    "Open http://localhost:{port}/ in a browser and confirm the service answers.",
    "Run `docker stats --no-stream` and note the memory column for `{app}-web`.",
    "Stop the database with `docker compose stop db` and watch how {app} reacts.",
    "Inspect the network with `docker network inspect {app}-net-{n}`.",
    "Remove everything with `docker compose down --volumes` when you are done.",
    "Rebuild after changing one source file and count how many layers were reused.",
]
COMMANDS = [
    "docker network create {app}-net-{n}",
    "docker volume create {app}-data-{n}",
    "docker build --pull -t {registry}/{app}:{tag} --build-arg VERSION={tag} .",
    "docker run -d --name {app}-db --network {app}-net-{n} -e POSTGRES_PASSWORD={pw} postgres:{pg}",
    "docker run -d --name {app}-web --network {app}-net-{n} -p {port}:{port} --memory {mem}m {registry}/{app}:{tag}",
    "docker logs --tail {k} --follow {app}-web",
    "docker exec -it {app}-web sh -c 'wget -qO- http://localhost:{port}/healthz'",
    "docker inspect --format '{{{{.State.Health.Status}}}}' {app}-web",
    "docker stats --no-stream {app}-web {app}-db",
    "docker image ls --filter reference='{registry}/{app}' --format '{{{{.Tag}}}} {{{{.Size}}}}'",
    "docker compose -p {app}{n} up -d --wait",
    "for i in $(seq 1 {k}); do curl -fsS http://localhost:{port}/items/$i >/dev/null; done",
    "docker system df --verbose | head -n {k}",
    "docker rm -f {app}-web {app}-db && docker network rm {app}-net-{n}",
]
REGISTRIES = ["registry.example.com", "ghcr.io/example", "docker.io/example", "harbor.internal:5000"]


@dataclass
class Lesson:
    number: int          # 1-based, across the whole course
    local: int           # 1-based, within its module
    slug: str            # file stem, e.g. 0007-networking-ledger
    title: str
    description: str
    duration: int
    anchor_heading: str  # a heading that exists in this lesson; the next lesson links to it
    body: str = ""       # Markdown with @@LINK(number#fragment|text)@@ placeholders


@dataclass
class Module:
    number: int
    slug: str
    title: str
    description: str
    lessons: list = field(default_factory=list)


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def github_slug(text):
    """Heading id as GitHub, Hugo ("github" style), mdBook and coursebook compute it.

    Headings are kept to letters, digits, spaces and hyphens, where all four tools agree.
    """
    return "".join("-" if c == " " else c for c in text.lower() if c.isalnum() or c in " -_")


def build_model(n_lessons, seed):
    modules = []
    for i in range(n_lessons):
        number = i + 1
        m_index, local = divmod(i, LESSONS_PER_MODULE)
        if local == 0:
            theme = MODULE_THEMES[m_index % len(MODULE_THEMES)]
            title = f"Module {m_index + 1}: {theme}"
            modules.append(Module(m_index + 1, f"{m_index + 1:03d}-{slugify(theme)}-{m_index + 1}", title,
                                  f"Lessons {number} to {min(number + LESSONS_PER_MODULE - 1, n_lessons)} "
                                  f"of the course, on {theme.lower()}."))
        rng = random.Random(f"{seed}:{number}")
        topic = rng.choice(TOPICS)
        app = rng.choice(APPS)
        lesson = Lesson(
            number=number,
            local=local + 1,
            slug=f"{local + 1:04d}-{slugify(topic)}-{app}-{number}",
            title=f"Lesson {number}: {topic} for {app}",
            description=f"What {topic.lower()} means for the {app} stack, with a lab you can run in "
                        f"{rng.randint(10, 40)} minutes.",
            duration=rng.choice([10, 15, 20, 25, 30, 40, 45]),
            anchor_heading=f"Hands-on lab {number}",
        )
        lesson.body = lesson_body(lesson, topic, app, rng, n_lessons)
        modules[-1].lessons.append(lesson)
    return modules


def lesson_body(lesson, topic, app, rng, n_lessons):
    stack, versions, install, start = rng.choice(STACKS)
    v = dict(
        app=app, topic=topic, topic_l=topic.lower(), n=lesson.number,
        port=rng.randint(3000, 9999), mem=rng.choice([128, 256, 384, 512, 768, 1024]),
        base=f"{stack}:{rng.choice(versions)}", mb=rng.randint(40, 900),
        tag=f"{rng.randint(1, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        registry=rng.choice(REGISTRIES), pg=rng.choice(["14", "15", "16", "17"]),
        pw=f"s3cret{rng.randint(100, 999)}", k=rng.randint(5, 200), uid=rng.randint(1000, 1999),
        interval=rng.choice([5, 10, 15, 30]), level=rng.choice(["debug", "info", "warn"]),
        workers=rng.randint(1, 16),
    )

    def para(k):
        return " ".join(s.format(**v) for s in rng.sample(SENTENCES, k))

    def bullets(k):
        return "\n".join("- " + s.format(**v) for s in rng.sample(BULLETS, k))

    lab = lesson.anchor_heading
    out = []
    out.append(f"{para(4)} Jump straight to the [lab](#{github_slug(lab)}) if you have done this before.\n")
    out.append(f"## Why {topic.lower()} matters for {app}\n\n{para(5)}\n\n{bullets(5)}\n")
    out.append(f"### How the engine handles it\n\n{para(4)}\n\n"
               + "\n".join(f"{i}. {s.format(**v)}" for i, s in enumerate(rng.sample(STEPS, 3), 1)) + "\n")
    steps = rng.sample(STEPS, 5)
    out.append(f"## {lab}\n\n{para(2)}\n\n"
               + "\n".join(f"{i}. {s.format(**v)}" for i, s in enumerate(steps, 1)) + "\n")
    cmds = [c.format(**v) for c in rng.sample(COMMANDS, rng.randint(6, 8))]
    out.append("### Run the commands\n\n```bash\n# lesson " + str(lesson.number) + ": " + topic.lower()
               + "\nset -euo pipefail\n" + "\n".join(cmds) + "\n```\n")
    out.append("### The compose file\n\n" + para(1) + "\n\n```yaml\n" + compose_yaml(v, rng) + "```\n")
    out.append("### The Dockerfile\n\n" + para(1) + "\n\n```dockerfile\n"
               + dockerfile(v, stack, install, start, rng) + "```\n")
    rows = rng.sample(OPTIONS, rng.randint(5, 7))
    table = "| Option | Default | What it changes | Value in this lab |\n|---|---|---|---:|\n" + "\n".join(
        f"| {o} | {d} | {w} | {rng.randint(1, 4096)} |" for o, d, w in rows)
    out.append(f"## Options at a glance\n\n{para(1)}\n\n{table}\n")
    out.append(f"## Troubleshooting {topic.lower()}\n\n{para(3)}\n\n{bullets(3)}\n")
    out.append(f"## Summary\n\n{para(3)}\n")
    nav = []
    if lesson.number > 1:
        prev_lab = github_slug(f"Hands-on lab {lesson.number - 1}")
        nav.append(f"**Previous:** @@LINK({lesson.number - 1}#{prev_lab}|the lab of lesson {lesson.number - 1})@@")
    if lesson.number < n_lessons:
        nav.append(f"**Next:** @@LINK({lesson.number + 1}|lesson {lesson.number + 1})@@")
    if nav:
        out.append(" · ".join(nav) + "\n")
    return "\n".join(out)


def compose_yaml(v, rng):
    extra_env = "".join(f"      FEATURE_{f}: \"{rng.choice(['on', 'off'])}\"\n"
                        for f in rng.sample(["CACHE", "METRICS", "TRACING", "AUDIT", "RATE_LIMIT"], 2))
    return (
        f"name: {v['app']}{v['n']}\n"
        "services:\n"
        "  web:\n"
        f"    image: {v['registry']}/{v['app']}:{v['tag']}\n"
        "    build:\n      context: .\n      target: runtime\n"
        f"    ports:\n      - \"{v['port']}:{v['port']}\"\n"
        "    environment:\n"
        f"      LOG_LEVEL: {v['level']}\n"
        f"      WORKERS: \"{v['workers']}\"\n"
        f"      DATABASE_URL: postgres://{v['app']}:{v['pw']}@db:5432/{v['app']}\n"
        + extra_env +
        "    depends_on:\n      db:\n        condition: service_healthy\n"
        f"    deploy:\n      resources:\n        limits:\n          memory: {v['mem']}m\n"
        "  db:\n"
        f"    image: postgres:{v['pg']}\n"
        f"    environment:\n      POSTGRES_USER: {v['app']}\n      POSTGRES_PASSWORD: {v['pw']}\n"
        f"    volumes:\n      - {v['app']}-data-{v['n']}:/var/lib/postgresql/data\n"
        "    healthcheck:\n"
        f"      test: [\"CMD\", \"pg_isready\", \"-U\", \"{v['app']}\"]\n"
        f"      interval: {v['interval']}s\n      retries: {rng.randint(3, 10)}\n"
        f"volumes:\n  {v['app']}-data-{v['n']}:\n"
    )


def dockerfile(v, stack, install, start, rng):
    copy_deps = {"python": "COPY requirements.txt .", "node": "COPY package.json package-lock.json ./",
                 "golang": "COPY go.mod go.sum ./"}[stack]
    return (
        "# syntax=docker/dockerfile:1\n"
        f"FROM {v['base']} AS build\n"
        f"ARG VERSION={v['tag']}\n"
        "WORKDIR /src\n"
        f"{copy_deps}\n"
        f"{install.format(**v)}\n"
        "COPY . .\n\n"
        f"FROM {v['base']} AS runtime\n"
        f"LABEL org.opencontainers.image.version=\"{v['tag']}\" org.opencontainers.image.title=\"{v['app']}\"\n"
        f"RUN addgroup --system --gid {v['uid']} app && adduser --system --uid {v['uid']} --ingroup app app\n"
        "COPY --from=build --chown=app:app /src /app\n"
        "WORKDIR /app\n"
        "USER app\n"
        f"ENV PORT={v['port']} WORKERS={v['workers']}\n"
        f"EXPOSE {v['port']}\n"
        f"HEALTHCHECK --interval={v['interval']}s --timeout=3s --retries={rng.randint(2, 6)} \\\n"
        f"  CMD wget -qO- http://localhost:{v['port']}/healthz || exit 1\n"
        f"{start.format(**v)}\n"
    )


# --- Layouts ---------------------------------------------------------------

LINK_RE = re.compile(r"@@LINK\((\d+)(?:#([^|]*))?\|([^)]*)\)@@")


def resolve_links(body, here, index, url_for):
    """Replace placeholders with the layout's link syntax; url_for(here, target, fragment)."""
    def sub(m):
        target = index[int(m.group(1))]
        return f"[{m.group(3)}]({url_for(here, target, m.group(2))})"
    return LINK_RE.sub(sub, body)


def relative_md(here, target, fragment):
    """A relative `.md` link, as coursebook and mdBook both resolve them."""
    (h_mod, _), (t_mod, t_lesson) = here, target
    path = f"{t_lesson.slug}.md" if h_mod is t_mod else f"../{t_mod.slug}/{t_lesson.slug}.md"
    return path + (f"#{fragment}" if fragment else "")


def hugo_relref(here, target, fragment):
    # relref (rather than a hand-made relative URL) makes Hugo resolve and
    # validate every link, the same work coursebook does; a path from the
    # content root keeps it unambiguous across 100 modules.
    t_mod, t_lesson = target
    frag = f"#{fragment}" if fragment else ""
    return f'{{{{< relref "/{t_mod.slug}/{t_lesson.slug}.md{frag}" >}}}}'


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def course_intro(modules, n_lessons):
    return (f"This synthetic course has {n_lessons} lessons in {len(modules)} modules. "
            "It exists to measure how fast static site generators build a large course.\n")


def emit_coursebook(root, modules, index, n_lessons):
    write(os.path.join(root, "book.toml"), f"[book]\ntitle = {toml_str(COURSE_TITLE)}\n")
    content = os.path.join(root, "content")
    os.makedirs(content)
    write(os.path.join(content, "_index.md"),
          f"+++\ntitle = {toml_str(COURSE_TITLE)}\n+++\n\n{course_intro(modules, n_lessons)}")
    for m in modules:
        d = os.path.join(content, m.slug)
        os.makedirs(d)
        write(os.path.join(d, "_index.md"), f"+++\ntitle = {toml_str(m.title)}\n+++\n\n{m.description}\n")
        for l in m.lessons:
            fm = (f"+++\ntitle = {toml_str(l.title)}\ndescription = {toml_str(l.description)}\n"
                  f"duration = {l.duration}\n+++\n\n")
            write(os.path.join(d, l.slug + ".md"), fm + resolve_links(l.body, (m, l), index, relative_md))


HUGO_CONFIG = """\
baseURL = "https://example.org/"
languageCode = "en"
title = {title}
# Only pages and sections, like coursebook: no taxonomies, no feeds.
disableKinds = ["taxonomy", "term", "RSS"]

[markup.highlight]
  # Highlight on the server with CSS classes, as coursebook does.
  noClasses = false

[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""

# Minimal layouts doing the same work as coursebook's theme per page: title,
# sidebar (all modules, the current module's pages), table of contents, body,
# previous/next. Nothing else (no CSS pipeline, no partial caching tricks).
HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} | {{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
</head>
<body>
<nav class="sidebar" aria-label="Course">
<a href="{{ .Site.Home.RelPermalink }}">Course overview</a>
<ol>
{{- $current := .CurrentSection }}
{{- range .Site.Sections }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{- if eq . $current }}
<ol>
{{- range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{- end }}
</ol>
{{- end }}
</li>
{{- end }}
</ol>
</nav>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

HUGO_SINGLE = """\
{{ define "main" }}
<article class="lesson">
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lede">{{ . }}</p>{{ end }}
{{ with .Params.duration }}<p class="badge">{{ . }} min</p>{{ end }}
<aside class="toc">{{ .TableOfContents }}</aside>
<div class="prose">
{{ .Content }}
</div>
<nav class="pager">
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}" rel="prev">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}" rel="next">{{ .Title }}</a>{{ end }}
</nav>
</article>
{{ end }}
"""

HUGO_LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ol>
{{- range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }} <span>{{ . }}</span>{{ end }}</li>
{{- end }}
</ol>
{{ end }}
"""


def emit_hugo(root, modules, index, n_lessons):
    write(os.path.join(root, "hugo.toml"), HUGO_CONFIG.format(title=toml_str(COURSE_TITLE)))
    layouts = os.path.join(root, "layouts", "_default")
    os.makedirs(layouts)
    write(os.path.join(layouts, "baseof.html"), HUGO_BASEOF)
    write(os.path.join(layouts, "single.html"), HUGO_SINGLE)
    write(os.path.join(layouts, "list.html"), HUGO_LIST)
    content = os.path.join(root, "content")
    os.makedirs(content)
    write(os.path.join(content, "_index.md"),
          f"+++\ntitle = {toml_str(COURSE_TITLE)}\n+++\n\n{course_intro(modules, n_lessons)}")
    for m in modules:
        d = os.path.join(content, m.slug)
        os.makedirs(d)
        write(os.path.join(d, "_index.md"),
              f"+++\ntitle = {toml_str(m.title)}\nweight = {m.number}\n+++\n\n{m.description}\n")
        for l in m.lessons:
            # weight keeps Hugo's order numeric (it would otherwise sort by title:
            # "Lesson 10" before "Lesson 2"), matching coursebook's file-name order.
            fm = (f"+++\ntitle = {toml_str(l.title)}\ndescription = {toml_str(l.description)}\n"
                  f"duration = {l.duration}\nweight = {l.number}\n+++\n\n")
            write(os.path.join(d, l.slug + ".md"), fm + resolve_links(l.body, (m, l), index, hugo_relref))


MDBOOK_CONFIG = """\
[book]
title = {title}
language = "en"
src = "src"

# mdBook highlights code in the browser (highlight.js); the build itself does
# no highlighting. Search and the print page are off because coursebook builds
# neither: left on, they would add an all-pages index and a 60 MB single page.
[output.html.search]
enable = false

[output.html.print]
enable = false
"""


def emit_mdbook(root, modules, index, n_lessons):
    write(os.path.join(root, "book.toml"), MDBOOK_CONFIG.format(title=toml_str(COURSE_TITLE)))
    src = os.path.join(root, "src")
    os.makedirs(src)
    write(os.path.join(src, "README.md"), f"# {COURSE_TITLE}\n\n{course_intro(modules, n_lessons)}")
    summary = ["# Summary", "", "[Introduction](README.md)", ""]
    for m in modules:
        d = os.path.join(src, m.slug)
        os.makedirs(d)
        write(os.path.join(d, "README.md"), f"# {m.title}\n\n{m.description}\n")
        summary.append(f"- [{m.title}]({m.slug}/README.md)")
        for l in m.lessons:
            summary.append(f"  - [{l.title}]({m.slug}/{l.slug}.md)")
            # mdBook has no front matter: the title becomes the page's h1 and
            # the description its first paragraph.
            head = f"# {l.title}\n\n*{l.description}* ({l.duration} min)\n\n"
            write(os.path.join(d, l.slug + ".md"), head + resolve_links(l.body, (m, l), index, relative_md))
    write(os.path.join(src, "SUMMARY.md"), "\n".join(summary) + "\n")


EMITTERS = {"coursebook": emit_coursebook, "hugo": emit_hugo, "mdbook": emit_mdbook}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lessons", type=int, required=True, help="number of lessons")
    ap.add_argument("--out", required=True, help="folder to (re)create; one sub-folder per layout")
    ap.add_argument("--layouts", default="coursebook,hugo,mdbook",
                    help="comma-separated subset of: coursebook, hugo, mdbook (default: all)")
    ap.add_argument("--seed", default="coursebook-bench-1", help="RNG seed (default: %(default)s)")
    args = ap.parse_args()

    layouts = [x for x in args.layouts.split(",") if x]
    unknown = [x for x in layouts if x not in EMITTERS]
    if unknown or args.lessons < 1:
        ap.error(f"unknown layout(s) {unknown}" if unknown else "--lessons must be at least 1")

    modules = build_model(args.lessons, args.seed)
    index = {l.number: (m, l) for m in modules for l in m.lessons}
    for name in layouts:
        root = os.path.join(args.out, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        EMITTERS[name](root, modules, index, args.lessons)
    total = sum(len(l.body) for m in modules for l in m.lessons)
    print(f"generated {args.lessons} lessons in {len(modules)} modules "
          f"(avg {total / args.lessons / 1024:.1f} KB of body per lesson) -> {args.out} [{', '.join(layouts)}]",
          file=sys.stderr)


if __name__ == "__main__":
    main()
