#!/usr/bin/env bash
# Build-speed benchmark: coursebook against Hugo and mdBook on the same synthetic course.
# Run with --help for usage. Writes only under $BENCH_DIR, plus bench/results.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/build-speed.sh [options]

Generates a synthetic Docker course (about 6 KB of Markdown per lesson, 100 lessons
per module, fixed seed) in coursebook, Hugo and mdBook layouts, then times a full
build with each installed tool: one warm-up run, then the median wall time and
peak RSS of 3 runs, deleting the output folder before every run.

Prints a Markdown table and writes it to bench/results.md (overwritten).

Options:
  --sizes N,M,...    Lesson counts to benchmark (default: 1000,10000)
  --quick            Same as --sizes 200,1000
  --runs N           Timed runs per tool and size, after the warm-up (default: 3)
  --slow SECS        A tool whose warm-up build takes longer than SECS gets a single
                     timed run instead of --runs, so a peer that scales badly (mdBook
                     at 10,000 chapters) does not take hours (default: 120; 0 = never)
  --skip PEER,...    Leave out hugo and/or mdbook even when installed
  --install-peers    Install missing peers: Hugo with `apt-get install -y hugo`,
                     mdBook with `cargo install mdbook --locked` (under nice -n 19;
                     takes several minutes on 2 cores)
  -h, --help         Show this help

Environment:
  BENCH_DIR    Work folder for corpora and logs (default: /tmp/coursebook-bench)
  COURSEBOOK   coursebook binary (default: <repo>/target/release/coursebook;
               build it first with `cargo build --release`)

Peers not on PATH are skipped with the reason printed. /usr/bin/time (Debian
package `time`) is installed with apt-get if missing.
EOF
}

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/coursebook-bench}
COURSEBOOK=${COURSEBOOK:-$REPO/target/release/coursebook}
RESULTS="$SCRIPT_DIR/results.md"

sizes=1000,10000
runs=3
slow=120
skip=""
install_peers=0
while (($#)); do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a value, e.g. 1000,10000}; shift ;;
    --sizes=*) sizes=${1#*=} ;;
    --quick) sizes=200,1000 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --runs=*) runs=${1#*=} ;;
    --slow) slow=${2:?--slow needs a number of seconds}; shift ;;
    --slow=*) slow=${1#*=} ;;
    --skip) skip=${2:?--skip needs hugo, mdbook or hugo,mdbook}; shift ;;
    --skip=*) skip=${1#*=} ;;
    --install-peers) install_peers=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "--sizes must look like 1000,10000" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive number" >&2; exit 2; }
[[ -z $skip || $skip =~ ^(hugo|mdbook)(,(hugo|mdbook))?$ ]] || { echo "--skip takes hugo, mdbook or hugo,mdbook" >&2; exit 2; }
[[ $slow =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "--slow must be a number of seconds" >&2; exit 2; }
# Corpora and build outputs are deleted and recreated under BENCH_DIR: keep that away from
# the repository (and from /), so a mistyped variable cannot wipe real files.
case $BENCH_DIR in
  "$REPO"|"$REPO"/*|/|"") echo "BENCH_DIR must be outside the repository: $BENCH_DIR" >&2; exit 2 ;;
esac

log() { printf '==> %s\n' "$*" >&2; }

# apt-get needs root; fall back to sudo so the script also works from a normal account.
as_root() {
  if ((EUID == 0)); then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "need root (or sudo) to run: $*" >&2; return 1
  fi
}
apt_updated=0
apt_install() {
  # A fresh machine's package lists may be empty or stale; refresh once per run.
  if ((apt_updated == 0)); then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# --- Prerequisites ------------------------------------------------------------
# GNU time, not the shell keyword: only it reports peak RSS (%M).
if [[ ! -x /usr/bin/time ]]; then
  log "installing GNU time (/usr/bin/time is missing)"
  apt_install time
fi
command -v python3 >/dev/null || { log "installing python3 (for the corpus generator)"; apt_install python3; }
if [[ ! -x $COURSEBOOK ]]; then
  echo "coursebook binary not found at $COURSEBOOK" >&2
  echo "build it first (cd $REPO && cargo build --release) or set COURSEBOOK=/path/to/coursebook" >&2
  exit 1
fi

# Other work on the machine (a compile, a test suite) skews wall times badly on a
# small machine: say so up front, and record the load in the report.
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="$load_start" -v c="$(nproc)" 'BEGIN {exit !(l + 0 > c / 2)}'; then
  log "warning: load average is $load_start on $(nproc) cores; other work will make timings noisy"
fi

# cargo installs into ~/.cargo/bin, which a fresh login shell may not have on PATH yet.
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin
[[ -d $CARGO_BIN ]] && PATH="$PATH:$CARGO_BIN"

if ((install_peers)); then
  if ! command -v hugo >/dev/null; then
    log "installing Hugo (apt-get install -y hugo)"
    apt_install hugo
  fi
  if ! command -v mdbook >/dev/null; then
    if command -v cargo >/dev/null; then
      log "installing mdBook (cargo install mdbook --locked, niced; this takes a while)"
      # Own target dir: never lock, or fill, a project's target/ if CARGO_TARGET_DIR points there.
      CARGO_TARGET_DIR="$BENCH_DIR/mdbook-target" nice -n 19 cargo install mdbook --locked
      PATH="$PATH:$CARGO_BIN"
    else
      log "cannot install mdBook: cargo is not installed (get Rust from rustup.rs or apt-get install cargo)"
    fi
  fi
fi

# Which tools take part, in table order; a skipped peer says why.
tools=(coursebook)
declare -A skip_reason=()
if [[ ,$skip, == *,hugo,* ]]; then skip_reason[hugo]="left out with --skip"
elif command -v hugo >/dev/null; then tools+=(hugo)
else skip_reason[hugo]="hugo is not on PATH (run with --install-peers, or apt-get install hugo)"; fi
if [[ ,$skip, == *,mdbook,* ]]; then skip_reason[mdbook]="left out with --skip"
elif command -v mdbook >/dev/null; then tools+=(mdbook)
else skip_reason[mdbook]="mdbook is not on PATH (run with --install-peers, or cargo install mdbook --locked)"; fi
for t in hugo mdbook; do
  [[ -n ${skip_reason[$t]:-} ]] && log "skipping ${t}: ${skip_reason[$t]}"
done

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

# --- Timing -------------------------------------------------------------------

# Runs one full build of the layout folder $1 with tool $2, logging to $3, and
# prints "seconds peak_rss_kb". On failure shows the end of the log and returns 1.
time_build() {
  local dir=$1 tool=$2 logf=$3 tf cmd out
  case $tool in
    coursebook) cmd=("$COURSEBOOK" build --root "$dir"); out=$dir/public ;;
    hugo) cmd=(hugo --source "$dir" --destination "$dir/public"); out=$dir/public ;;
    mdbook) cmd=(mdbook build "$dir"); out=$dir/book ;;
  esac
  # Every run is a full build: no tool gets to reuse or diff against earlier output.
  rm -rf "$out"
  tf=$(mktemp)
  if ! /usr/bin/time -f '%e %M' -o "$tf" "${cmd[@]}" >"$logf" 2>&1; then
    echo "${display[$tool]} failed on $dir; last lines of $logf:" >&2
    tail -n 20 "$logf" >&2
    rm -f "$tf"
    return 1
  fi
  # GNU time appends its line after anything else it had to say; the last line is ours.
  tail -n 1 "$tf"
  rm -f "$tf"
}

# Lines that are warnings in each tool's output, so the table can flag a corpus
# that a tool complained about (a silent benchmark is the expected result).
count_warnings() {
  local pattern
  case $1 in
    coursebook) pattern='^warning' ;;
    hugo) pattern='^WARN' ;;
    mdbook) pattern='WARN' ;;
  esac
  grep -cE "$pattern" "$2" || true
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
thousands() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

mkdir -p "$BENCH_DIR"
rows=()
ratios=()
layouts=$(IFS=,; echo "${tools[*]}")
IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  corpus="$BENCH_DIR/corpus-$n"
  log "generating $n lessons into $corpus ($layouts)"
  python3 "$SCRIPT_DIR/gen_corpus.py" --lessons "$n" --out "$corpus" --layouts "$layouts"
  declare -A pps=()
  for tool in "${tools[@]}"; do
    dir="$corpus/$tool"
    # The warm-up fills the page cache and any lazily built caches; its log is the
    # one kept for the warnings count, since every run sees the same input.
    warm_log="$corpus/$tool-warmup.log"
    log "${display[$tool]}: warm-up build of $n lessons"
    if ! warm=$(time_build "$dir" "$tool" "$warm_log"); then
      [[ $tool == coursebook ]] && exit 1
      rows+=("| ${display[$tool]} | ${version[$tool]} | $(thousands "$n") | failed | | | |")
      continue
    fi
    warnings=$(count_warnings "$tool" "$warm_log")
    ((warnings > 0)) && log "${display[$tool]} printed $warnings warning(s) on this corpus; see $warm_log"
    tool_runs=$runs note=""
    if awk -v s="${warm%% *}" -v l="$slow" 'BEGIN {exit !(l > 0 && s > l)}'; then
      tool_runs=1 note=" (1 run)"
      log "${display[$tool]}: warm-up took ${warm%% *}s (over --slow $slow): timing a single run"
    fi
    secs=() rss=()
    for ((r = 1; r <= tool_runs; r++)); do
      res=$(time_build "$dir" "$tool" "$corpus/$tool-run$r.log") || exit 1
      read -r s m <<<"$res"
      log "${display[$tool]}: run $r/$tool_runs: ${s}s, $((m / 1024)) MB"
      secs+=("$s") rss+=("$m")
    done
    med_s=$(printf '%s\n' "${secs[@]}" | median)
    med_rss=$(printf '%s\n' "${rss[@]}" | median)
    pps[$tool]=$(awk -v n="$n" -v s="$med_s" 'BEGIN {printf "%.0f", (s > 0) ? n / s : 0}')
    rows+=("| ${display[$tool]} | ${version[$tool]} | $(thousands "$n") | $(printf '%.2f' "$med_s")$note | $(thousands "${pps[$tool]}") | $(awk -v k="$med_rss" 'BEGIN {printf "%.0f", k / 1024}') | $warnings |")
  done
  for tool in hugo mdbook; do
    [[ -n ${pps[$tool]:-} && ${pps[$tool]} != 0 && -n ${pps[coursebook]:-} ]] || continue
    ratio=$(awk -v a="${pps[coursebook]}" -v b="${pps[$tool]}" 'BEGIN {printf "%.1f", a / b}')
    ratios+=("- coursebook is ${ratio}x ${display[$tool]}'s pages/s at $(thousands "$n") lessons")
  done
  unset pps
done

# --- Report -------------------------------------------------------------------
load_end=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
report=$(
  echo "# coursebook build speed"
  echo
  echo "Generated by \`bench/build-speed.sh --sizes $sizes${skip:+ --skip $skip}\` on $(date -u '+%Y-%m-%d %H:%M UTC'):"
  # shellcheck disable=SC1091  # os-release is a plain KEY=value file on every Debian
  echo "$(nproc) cores (${cpu:-unknown CPU}), ${mem:-unknown memory}, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")."
  echo
  echo "| Tool | Version | Lessons | Median s | Pages/s | Peak RSS MB | Warnings |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  ((${#ratios[@]})) && printf '%s\n' "${ratios[@]}" && echo
  echo "Notes:"
  echo "- Median of $runs full builds after one warm-up (a single build where marked \"1 run\":"
  echo "  warm-up over $slow s); output folder deleted before every run."
  echo "  Wall time and peak RSS from \`/usr/bin/time -f '%e %M'\`. Pages/s = lessons / median seconds"
  echo "  (module and home pages are built too but not counted, for every tool alike)."
  echo "- Same corpus for every tool: about 6 KB of Markdown per lesson, 100 lessons per module,"
  echo "  each with a table, lists and bash, yaml and dockerfile code blocks (bench/gen_corpus.py)."
  echo "- coursebook and Hugo highlight code on the server (CSS classes) and check internal links"
  echo "  (Hugo through \`relref\`). mdBook highlights in the browser (highlight.js), so its build"
  echo "  does no highlighting; its search index and print page are turned off, as coursebook has neither."
  for t in hugo mdbook; do
    [[ -n ${skip_reason[$t]:-} ]] && echo "- ${display[$t]} not measured: ${skip_reason[$t]}."
  done
  echo "- 1-minute load average: $load_start at the start, $load_end at the end (on $(nproc) cores;"
  echo "  anything near or above the core count means other work competed with the builds)."
  echo "- Warnings: lines the tool printed as warnings during the warm-up build (0 expected)."
)
printf '%s\n' "$report"
printf '%s\n' "$report" >"$RESULTS"
log "written to $RESULTS; corpora and logs are in $BENCH_DIR"
