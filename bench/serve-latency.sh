#!/usr/bin/env bash
# Save-to-reload benchmark: `coursebook serve` against `hugo server` and `mdbook serve`,
# timed in a real browser. Run with --help for usage. Writes only under $BENCH_DIR, plus
# bench/serve-results.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/serve-latency.sh [options]

Times how long a saved edit takes to show up in the browser with each tool's dev server:

  coursebook  coursebook serve --root DIR --port P
  Hugo        hugo server -p P -s DIR --bind 127.0.0.1      (from memory, fast render mode)
  mdBook      mdbook serve -n 127.0.0.1 -p P -d OUT DIR      (its default poll watcher)

on two courses: the repo's own course (coursebook only; the peers cannot read it) and the
synthetic course of bench/gen_corpus.py (--lessons lessons, in each tool's layout). For each
tool and course: start the server, wait until it serves the lesson in the middle of the
course, open that lesson in headless Chromium, then make --warmup untimed and --runs timed
edits of its Markdown file, each the original text plus one paragraph holding a unique
marker. Latency = from Date.now() in Node just before fs.writeFileSync to the first moment
the page holds the marker (performance.timeOrigin + performance.now() in the page, taken by
a MutationObserver installed before the page's own scripts, in every document the tab
loads: full reloads and in-place DOM patches alike). bench/serve_latency.mjs drives the
browser.

Works on copies under $BENCH_DIR/serve (the repo's book.toml, content/ and themes/; the
synthetic course's sources), so nothing in the repository is touched and nobody else's
server sees the edits. Each edited file is backed up and restored, and every server
started is stopped, also on error or Ctrl-C.

Prints a Markdown report and writes it to bench/serve-results.md (overwritten), or to the
file --results names.

Options:
  --runs N         Timed edits per tool and course, after the warm-up edits (default: 10)
  --warmup N       Untimed edits first (default: 2)
  --lessons N      Size of the synthetic course (default: 1000)
  --settle MS      Pause after each edit is shown, so a late second rebuild or reload lands
                   before the next edit (default: 1000)
  --timeout SECS   Give up on one edit after this long; it counts as missed (default: 60)
  --skip WHAT,...  Leave out hugo, mdbook and/or own (the repo's course)
  --results FILE   Write the report there instead of bench/serve-results.md
  -h, --help       Show this help

Environment:
  BENCH_DIR    Work folder (default: /tmp/coursebook-bench); the synthetic course is read
               from (or generated into) $BENCH_DIR/corpus-N, as bench/build-speed.sh does;
               playwright-core is installed into $BENCH_DIR/node with
               `npm install playwright-core` (no browser download)
  COURSEBOOK   coursebook binary (default: <repo>/target/release/coursebook;
               build it first with `cargo build --release`)
  CHROMIUM     Browser (default: /usr/bin/chromium; Debian package `chromium`)

Peers not on PATH (hugo: `apt-get install hugo`; mdbook: `cargo install mdbook --locked`,
~/.cargo/bin is searched too) are skipped with the reason printed.
EOF
}

# EPOCHREALTIME and printf %f must use a decimal point whatever the user's locale.
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/coursebook-bench}
COURSEBOOK=${COURSEBOOK:-$REPO/target/release/coursebook}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
RESULTS="$SCRIPT_DIR/serve-results.md"
DRIVER="$SCRIPT_DIR/serve_latency.mjs"

runs=10
warmup=2
lessons=1000
settle=1000
timeout=60
skip=""
while (($#)); do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --runs=*) runs=${1#*=} ;;
    --warmup) warmup=${2:?--warmup needs a number}; shift ;;
    --warmup=*) warmup=${1#*=} ;;
    --lessons) lessons=${2:?--lessons needs a number}; shift ;;
    --lessons=*) lessons=${1#*=} ;;
    --settle) settle=${2:?--settle needs a number of milliseconds}; shift ;;
    --settle=*) settle=${1#*=} ;;
    --timeout) timeout=${2:?--timeout needs a number of seconds}; shift ;;
    --timeout=*) timeout=${1#*=} ;;
    --skip) skip=${2:?--skip needs hugo, mdbook and/or own}; shift ;;
    --results) RESULTS=${2:?--results needs a file}; shift ;;
    --skip=*) skip=${1#*=} ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for v in runs lessons timeout; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "--$v must be a positive number" >&2; exit 2; }
done
for v in warmup settle; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "--$v must be a whole number" >&2; exit 2; }
done
[[ -z $skip || $skip =~ ^(hugo|mdbook|own)(,(hugo|mdbook|own))*$ ]] \
  || { echo "--skip takes hugo, mdbook and/or own, e.g. --skip mdbook,own" >&2; exit 2; }
# Work folders are deleted and recreated under BENCH_DIR: keep that away from the
# repository (and from /), so a mistyped variable cannot wipe real files.
case $BENCH_DIR in
  "$REPO"|"$REPO"/*|/|"") echo "BENCH_DIR must be outside the repository: $BENCH_DIR" >&2; exit 2 ;;
esac

log() { printf '==> %s\n' "$*" >&2; }

# --- Prerequisites ------------------------------------------------------------
command -v python3 >/dev/null || { echo "python3 is required (apt-get install python3)" >&2; exit 1; }
command -v node >/dev/null || { echo "node is required (apt-get install nodejs npm)" >&2; exit 1; }
node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' \
  || { echo "node 18 or newer is required (for fetch); found $(node --version)" >&2; exit 1; }
[[ -x $CHROMIUM ]] || { echo "no browser at $CHROMIUM (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }
if [[ ! -x $COURSEBOOK ]]; then
  echo "coursebook binary not found at $COURSEBOOK" >&2
  echo "build it first (cd $REPO && cargo build --release) or set COURSEBOOK=/path/to/coursebook" >&2
  exit 1
fi
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)

# playwright-core only: it drives the browser that is already installed, and downloads none.
NODE_DIR="$BENCH_DIR/node"
if [[ ! -f $NODE_DIR/node_modules/playwright-core/package.json ]]; then
  command -v npm >/dev/null || { echo "npm is required to install playwright-core (apt-get install npm)" >&2; exit 1; }
  log "installing playwright-core into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  if ! (cd "$NODE_DIR" && npm install --no-audit --no-fund playwright-core >"$BENCH_DIR/npm-playwright.log" 2>&1); then
    tail -n 20 "$BENCH_DIR/npm-playwright.log" >&2
    echo "npm install playwright-core failed (see $BENCH_DIR/npm-playwright.log)" >&2
    exit 1
  fi
fi
playwright_version=$(node -p "require('$NODE_DIR/node_modules/playwright-core/package.json').version")
chromium_version=$("$CHROMIUM" --version 2>/dev/null | tail -n 1 || true)

load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="$load_start" -v c="$(nproc)" 'BEGIN {exit !(l + 0 > c / 2)}'; then
  log "warning: load average is $load_start on $(nproc) cores; other work will make timings noisy"
fi

# cargo installs into ~/.cargo/bin, which a fresh login shell may not have on PATH yet.
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin
[[ -d $CARGO_BIN ]] && PATH="$PATH:$CARGO_BIN"

tools=(coursebook)
declare -A skip_reason=()
if [[ ,$skip, == *,hugo,* ]]; then skip_reason[hugo]="left out with --skip"
elif command -v hugo >/dev/null; then tools+=(hugo)
else skip_reason[hugo]="hugo is not on PATH (apt-get install hugo)"; fi
if [[ ,$skip, == *,mdbook,* ]]; then skip_reason[mdbook]="left out with --skip"
elif command -v mdbook >/dev/null; then tools+=(mdbook)
else skip_reason[mdbook]="mdbook is not on PATH (cargo install mdbook --locked)"; fi
for t in hugo mdbook; do
  [[ -n ${skip_reason[$t]:-} ]] && log "skipping ${t}: ${skip_reason[$t]}"
done
own=1
[[ ,$skip, == *,own,* ]] && own=0

declare -A display=([coursebook]=coursebook [hugo]=Hugo [mdbook]=mdBook)
declare -A version
version[coursebook]=$("$COURSEBOOK" --version | awk '{print $NF}')
if rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null); then
  # Results from a dirty tree are not reproducible from the commit alone: say so.
  [[ -n $(git -C "$REPO" status --porcelain -- src Cargo.toml Cargo.lock themes 2>/dev/null) ]] && rev+="+dirty"
  version[coursebook]+=" ($rev)"
fi
[[ " ${tools[*]} " == *" hugo "* ]] && version[hugo]=$(hugo version | awk '{print $2}')
[[ " ${tools[*]} " == *" mdbook "* ]] && version[mdbook]=$(mdbook --version | awk '{print $NF}')

# --- Servers, backups and cleanup -----------------------------------------------
WORK="$BENCH_DIR/serve"
LOGS="$WORK/logs"
mkdir -p "$WORK"
rm -rf "$LOGS" "$WORK/backup" "$WORK/tmp" "$WORK/mdbook-out"
mkdir -p "$LOGS" "$WORK/backup" "$WORK/tmp"

server_pid=""
backup_file="" backup_of=""

stop_server() {
  [[ -n $server_pid ]] || return 0
  local pid=$server_pid i
  server_pid=""
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

restore_file() {
  [[ -n $backup_file ]] || return 0
  cp -p "$backup_file" "$backup_of"
  backup_file="" backup_of=""
}

cleanup() {
  local rc=$?
  stop_server
  restore_file
  # coursebook serve keeps its site in a temporary folder; TMPDIR put it under $WORK/tmp.
  rm -rf "$WORK/tmp" "$WORK/mdbook-out"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts tool $1 on course folder $2, logging to $3; sets $server_pid, $port, $started_ms.
start_server() {
  local tool=$1 dir=$2 logf=$3 cmd
  port=$(free_port)
  case $tool in
    coursebook) cmd=(env TMPDIR="$WORK/tmp" "$COURSEBOOK" serve --root "$dir" --port "$port") ;;
    hugo) cmd=(hugo server -p "$port" -s "$dir" --bind 127.0.0.1) ;;
    mdbook) cmd=(mdbook serve -n 127.0.0.1 -p "$port" -d "$WORK/mdbook-out" "$dir") ;;
  esac
  started_ms=$(($(date +%s%N) / 1000000))
  "${cmd[@]}" >"$logf" 2>&1 </dev/null &
  server_pid=$!
}

# The page a tool builds from lesson $2 (a path relative to content/ or src/).
lesson_url() {
  local tool=$1 rel=$2
  case $tool in
    # Number prefixes are dropped from every path segment: 01-m/02-x.md -> m/x.html.
    coursebook) printf '/%s' "$(printf '%s' "$rel" | sed -E 's#(^|/)[0-9]+-#\1#g; s#\.md$#.html#')" ;;
    hugo) printf '/%s/' "${rel%.md}" ;;
    mdbook) printf '/%s.html' "${rel%.md}" ;;
  esac
}

# The lesson in the middle of the course under content folder $1 (module and book index
# files are not lessons), relative to it.
middle_lesson() {
  local content=$1 list n
  list=$(cd "$content" && find . -name '*.md' ! -name '_index.md' ! -name 'README.md' ! -name 'SUMMARY.md' \
    | sed 's#^\./##' | sort)
  n=$(printf '%s\n' "$list" | grep -c .)
  printf '%s\n' "$list" | sed -n "$((n / 2 + 1))p"
}

# Runs the browser against tool $1 serving course folder $2 (label $3), editing lesson $4
# (relative to the content folder). Sets $summary to the driver's summary line.
measure() {
  local tool=$1 dir=$2 label=$3 rel=$4 content file logf url re=""
  case $tool in
    mdbook) content=$dir/src ;;
    *) content=$dir/content ;;
  esac
  file=$content/$rel
  [[ -f $file ]] || { echo "lesson $file is missing" >&2; return 1; }
  logf="$LOGS/$label-$tool.log"
  backup_file="$WORK/backup/$label-$tool.md" backup_of=$file
  cp -p "$file" "$backup_file"
  start_server "$tool" "$dir" "$logf"
  url="http://127.0.0.1:$port$(lesson_url "$tool" "$rel")"
  case $tool in
    coursebook) re='rebuilt (?<pages>[0-9]+) pages? in (?<ms>[0-9]+) ms' ;;
    hugo) re='Total in (?<ms>[0-9]+) ms' ;;
  esac
  log "${display[$tool]} on $label: $url"
  if ! summary=$(node "$DRIVER" --url "$url" --file "$file" --edits "$runs" --warmup "$warmup" \
    --settle "$settle" --timeout "$((timeout * 1000))" --pid "$server_pid" --started "$started_ms" \
    --log "$logf" ${re:+--rebuild-re "$re"} --out "$LOGS/$label-$tool.json" --label "${display[$tool]}/$label" \
    --playwright "$NODE_DIR" --chromium "$CHROMIUM"); then
    echo "measuring ${display[$tool]} on $label failed; last lines of its log ($logf):" >&2
    tail -n 15 "$logf" >&2
    summary=""
  fi
  stop_server
  restore_file
  cmp -s "$file" "$WORK/backup/$label-$tool.md" || log "warning: $file differs from its backup after restoring"
  [[ -n $summary ]]
}

# --- Courses --------------------------------------------------------------------
declare -A result=() lesson_of=() lesson_count=()
courses=()

if ((own)); then
  # A copy, not the repo's files: other people edit content/, and a restore must not undo them.
  OWN="$WORK/own"
  rm -rf "$OWN"
  mkdir -p "$OWN"
  cp "$REPO/book.toml" "$OWN/"
  cp -r "$REPO/content" "$OWN/"
  [[ -d $REPO/themes ]] && cp -r "$REPO/themes" "$OWN/"
  courses+=(own)
  lesson_of[own]=$(middle_lesson "$OWN/content")
  lesson_count[own]=$(find "$OWN/content" -name '*.md' ! -name '_index.md' | wc -l)
fi

CORPUS="$BENCH_DIR/corpus-$lessons"
missing=()
for tool in "${tools[@]}"; do
  case $tool in
    coursebook) [[ -f $CORPUS/coursebook/book.toml ]] || missing+=(coursebook) ;;
    hugo) [[ -f $CORPUS/hugo/hugo.toml ]] || missing+=(hugo) ;;
    mdbook) [[ -f $CORPUS/mdbook/src/SUMMARY.md ]] || missing+=(mdbook) ;;
  esac
done
if ((${#missing[@]})); then
  log "generating $lessons lessons into $CORPUS ($(IFS=,; echo "${missing[*]}"))"
  python3 "$SCRIPT_DIR/gen_corpus.py" --lessons "$lessons" --out "$CORPUS" --layouts "$(IFS=,; echo "${missing[*]}")"
fi
# Sources only (no earlier build output), copied so that the edits and the servers'
# output stay out of a corpus that bench/build-speed.sh (or someone's server) may be using.
SYN="$WORK/corpus-$lessons"
rm -rf "$SYN"
mkdir -p "$SYN"
for tool in "${tools[@]}"; do
  mkdir -p "$SYN/$tool"
  case $tool in
    coursebook) items=(book.toml content) ;;
    hugo) items=(hugo.toml content layouts) ;;
    mdbook) items=(book.toml src) ;;
  esac
  for item in "${items[@]}"; do cp -r "$CORPUS/$tool/$item" "$SYN/$tool/"; done
done
syn=synthetic-$lessons
courses+=("$syn")
lesson_of[$syn]=$(middle_lesson "$SYN/coursebook/content")
lesson_count[$syn]=$lessons

# --- Measurements ---------------------------------------------------------------
for course in "${courses[@]}"; do
  for tool in "${tools[@]}"; do
    if [[ $course == own ]]; then
      [[ $tool == coursebook ]] || continue
      dir=$OWN
    else
      dir=$SYN/$tool
    fi
    if measure "$tool" "$dir" "$course" "${lesson_of[$course]}"; then
      result[$course:$tool]=$summary
      log "${display[$tool]} on $course: $summary"
    else
      [[ $tool == coursebook ]] && exit 1
      result[$course:$tool]=failed
    fi
  done
done

# --- Report -------------------------------------------------------------------
thousands() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
num() { [[ $1 == - ]] && printf -- '-' || printf '%.0f' "$1"; }
rows=()
target_line=""
for course in "${courses[@]}"; do
  [[ $course == own ]] && name="repo's own" || name="synthetic"
  cb_median=""
  for tool in "${tools[@]}"; do
    [[ -n ${result[$course:$tool]:-} ]] || continue
    if [[ ${result[$course:$tool]} == failed ]]; then
      rows+=("| ${display[$tool]} | ${version[$tool]} | $name | $(thousands "${lesson_count[$course]}") | failed | | | | | | | | | |")
      continue
    fi
    read -r ready med max timed missed rb_med rb_max pages rb_per loads to_reload page_load scroll bare \
      <<<"${result[$course:$tool]}"
    edits=$timed
    ((missed > 0)) && edits="$((timed - missed)) of $timed ($missed missed)"
    ratio="1.0x"
    if [[ $tool == coursebook ]]; then
      cb_median=$med
    elif [[ -n $cb_median && $cb_median != - && $med != - ]]; then
      ratio=$(awk -v a="$med" -v b="$cb_median" 'BEGIN {r = a / b; printf (r >= 10) ? "%.0fx" : "%.1fx", r}')
    else
      ratio="n/a"
    fi
    rebuild="-"
    [[ $rb_med != - ]] && rebuild="$rb_med / $rb_max"
    [[ $tool == coursebook && $pages != - ]] && rebuild+=", $pages page$([[ $pages == 1 ]] || echo s)"
    [[ $rb_per != - ]] && rebuild+=", $rb_per per edit"
    start="-"
    [[ $ready != - ]] && start=$(awk -v m="$ready" 'BEGIN {printf "%.1f", m / 1000}')
    checks="$loads load$([[ $loads == 1 ]] || echo s) per edit, scroll kept $scroll"
    rows+=("| ${display[$tool]} | ${version[$tool]} | $name | $(thousands "${lesson_count[$course]}") | $edits | $(num "$med") | $(num "$max") | $ratio | $(num "$to_reload") | $(num "$page_load") | $(num "$bare") | $rebuild | $start | $checks |")
    if [[ $tool == coursebook && $course == "$syn" && $med != - ]]; then
      if awk -v m="$max" 'BEGIN {exit !(m < 100)}'; then verdict="**met** (every edit)"
      elif awk -v m="$med" 'BEGIN {exit !(m < 100)}'; then verdict="**met at the median only**"
      else verdict="**not met**"; fi
      target_line="Target: a one-lesson edit on the $(thousands "$lessons")-lesson course shown in under 100 ms: $verdict (median $med ms, max $max ms; the server's own rebuild: median $rb_med ms)."
    fi
  done
done

load_end=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
args=""
((runs != 10)) && args+=" --runs $runs"
((warmup != 2)) && args+=" --warmup $warmup"
((lessons != 1000)) && args+=" --lessons $lessons"
((settle != 1000)) && args+=" --settle $settle"
((timeout != 60)) && args+=" --timeout $timeout"
[[ -n $skip ]] && args+=" --skip $skip"
report=$(
  echo "# coursebook save-to-reload latency"
  echo
  echo "Generated by \`bench/serve-latency.sh$args\` on $(date -u '+%Y-%m-%d %H:%M UTC'):"
  # shellcheck disable=SC1091  # os-release is a plain KEY=value file on every Debian
  echo "$(nproc) cores (${cpu:-unknown CPU}), ${mem:-unknown memory}, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")."
  echo "${chromium_version:-Chromium} (headless), driven by playwright-core $playwright_version."
  echo
  echo "| Tool | Version | Course | Lessons | Edits | Median ms | Max ms | vs coursebook | To reload ms | Page load ms | Plain reload ms | Server rebuild ms (median / max) | Start s | Checks |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"
  printf '%s\n' "${rows[@]}"
  echo
  [[ -n $target_line ]] && echo "$target_line" && echo
  echo "Notes:"
  echo "- Latency: from \`Date.now()\` in Node just before \`fs.writeFileSync\` of the lesson to the first"
  echo "  moment the page in the browser holds the edit's marker, as \`performance.timeOrigin +"
  echo "  performance.now()\` in the page (a MutationObserver installed before the page's own scripts"
  echo "  in every document the tab loads, so a full reload and an in-place DOM patch count alike)."
  echo "  Same machine, same wall clock. Median and max of $runs timed edits after $warmup untimed ones,"
  echo "  $settle ms apart after each is shown; each edit is the original file plus one paragraph."
  echo "- vs coursebook: the tool's median / coursebook's median on the same course."
  echo "- To reload + page load = latency, split at the reloaded document's navigation start: the"
  echo "  first part is the server (file watcher, rebuild, notifying the page), the second the"
  echo "  browser fetching and parsing the page until the marker is in the DOM (medians, so they need"
  echo "  not add up exactly). Plain reload ms: the same split's second part for $runs \`location.reload()\`s"
  echo "  of the page with nothing edited, after the edits: what the browser alone costs."
  echo "- Server rebuild ms: the server's own report, from its log: coursebook's \"rebuilt N page(s) in X ms\""
  echo "  (from the batch of file events to the reload message), Hugo's \"Total in X ms\"; mdBook"
  echo "  prints no timing. Start s: from starting the server to the lesson answering 200 (first full build)."
  echo "- Checks: documents the tab loaded per edit (1 = one full reload, 0 = patched in place), and"
  echo "  edits after which the page was still at the scroll position set before them (part-way down)."
  if ((own)); then
    echo "- Repo's own course: a copy of book.toml, content/ and themes/ in $WORK/own; edited lesson"
    echo "  \`content/${lesson_of[own]}\`. The peers cannot read this course."
  fi
  echo "- Synthetic course: bench/gen_corpus.py, $lessons lessons of about 6 KB in each tool's layout,"
  echo "  copied to $SYN; edited lesson \`${lesson_of[$syn]}\` (under content/ or src/),"
  echo "  the middle of the course. Every edited file is restored from a backup afterwards."
  echo "- Servers as their users start them: \`coursebook serve --root DIR --port P\`; \`hugo server -p P"
  echo "  -s DIR --bind 127.0.0.1\` (renders to memory, fast render mode, full page reload on content"
  echo "  changes); \`mdbook serve -n 127.0.0.1 -p P -d OUT DIR\` (its default poll watcher, a full book"
  echo "  build per change). Logs and per-edit JSON: $LOGS."
  for t in hugo mdbook; do
    [[ -n ${skip_reason[$t]:-} ]] && echo "- ${display[$t]} not measured: ${skip_reason[$t]}."
  done
  echo "- 1-minute load average: $load_start at the start, $load_end at the end (on $(nproc) cores;"
  echo "  anything near or above the core count means other work competed with the runs)."
)
printf '%s\n' "$report"
printf '%s\n' "$report" >"$RESULTS"
log "written to $RESULTS; logs and per-edit JSON are in $LOGS"
