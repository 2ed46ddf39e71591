#!/usr/bin/env bash
# Build-speed benchmark: coursebook against Hugo and mdBook on the same synthetic course,
# and what search costs coursebook and mdBook (build time, index size, first-query payload).
# Run with --help for usage. Writes only under $BENCH_DIR, plus bench/results.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/build-speed.sh [options]

Generates a synthetic Docker course (about 6 KB of Markdown per lesson, 100 lessons
per module, fixed seed) in coursebook, Hugo and mdBook layouts, then times a full
build with each installed tool: one warm-up run, then the median wall time and
peak RSS of 3 runs, deleting the output folder before every run.

Then, for search (coursebook and mdBook; Hugo has no built-in search):
  - build time with search off and on, same corpus: coursebook as generated (search is on
    by default) and a copy with `search = false` under [build] in book.toml; mdBook as
    generated ([output.html.search] enable = false) and a copy with `enable = true`.
    One warm-up each, then --runs runs alternating off and on; median wall time, peak RSS.
  - size of the search output: coursebook's public/pagefind/, mdBook's searchindex*.js.
  - first-query payload: bench/search_payload.mjs serves the built site over HTTP (no
    compression), opens the lesson in the middle of the course in headless Chromium,
    presses "/", types each --queries query and waits for the results, and adds up the
    body bytes of every request made from the key press on, plus search scripts the page
    had already fetched while loading (mdBook loads elasticlunr, mark and searcher up front).
    Needs node 18+, Chromium and playwright-core, which is installed into $BENCH_DIR/node
    with `npm install playwright-core` (no browser download) if missing.

Prints a Markdown report and writes it to bench/results.md: a build-speed section and a
Search section. A run that does only one part (--search-only, --no-search) rewrites its own
section and keeps the other one from the existing file.

Options:
  --sizes N,M,...    Lesson counts to benchmark (default: 1000,10000)
  --quick            Same as --sizes 200,1000
  --runs N           Timed runs per tool and size, after the warm-up (default: 3)
  --slow SECS        A tool whose warm-up build takes longer than SECS gets a single
                     timed run instead of --runs, so a peer that scales badly (mdBook
                     at 10,000 chapters) does not take hours (default: 120; 0 = never)
  --skip PEER,...    Leave out hugo and/or mdbook even when installed
  --search-only      Only the search part (no Hugo, no build-speed table)
  --no-search        Only the build-speed table, as before the search part existed
  --queries Q,...    Queries typed for the first-query payload (default: docker volume,seccomp)
  --install-peers    Install missing peers: Hugo with `apt-get install -y hugo`,
                     mdBook with `cargo install mdbook --locked` (under nice -n 19;
                     takes several minutes on 2 cores)
  -h, --help         Show this help

Environment:
  BENCH_DIR    Work folder for corpora and logs (default: /tmp/coursebook-bench). A tmpfs
               (e.g. /dev/shm/coursebook-bench) measures the tools rather than the disk:
               on ext4 without a journal, files created soon after many deletions (each
               run deletes the previous output) cost seconds of system time per build.
  COURSEBOOK   coursebook binary (default: <repo>/target/release/coursebook;
               build it first with `cargo build --release`)
  CHROMIUM     Browser for the payload measurement (default: /usr/bin/chromium;
               Debian package `chromium`)

Peers not on PATH are skipped with the reason printed. /usr/bin/time (Debian
package `time`) is installed with apt-get if missing. Without node or Chromium the
payload measurement is skipped (and says why); search build times are still taken.
EOF
}

orig_args="$*"
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/coursebook-bench}
COURSEBOOK=${COURSEBOOK:-$REPO/target/release/coursebook}
RESULTS="$SCRIPT_DIR/results.md"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# Everything from this line on in results.md is the Search section.
SEARCH_MARK='<!-- search section: written by bench/build-speed.sh (rerun alone with --search-only) -->'

sizes=1000,10000
runs=3
slow=120
skip=""
install_peers=0
do_main=1 do_search=1
queries="docker volume,seccomp"
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
    --search-only) do_main=0 do_search=1 ;;
    --no-search) do_main=1 do_search=0 ;;
    --queries) queries=${2:?--queries needs a value, e.g. "docker volume,seccomp"}; shift ;;
    --queries=*) queries=${1#*=} ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "--sizes must look like 1000,10000" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive number" >&2; exit 2; }
[[ -z $skip || $skip =~ ^(hugo|mdbook)(,(hugo|mdbook))?$ ]] || { echo "--skip takes hugo, mdbook or hugo,mdbook" >&2; exit 2; }
[[ $slow =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "--slow must be a number of seconds" >&2; exit 2; }
# Quotes would need escaping in the page and in the report; commas separate queries.
[[ -n $queries && $queries != *[\"\'\`\|]* ]] || { echo "--queries must be non-empty and hold no quotes or |" >&2; exit 2; }
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
  if ((do_main)) && ! command -v hugo >/dev/null; then
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
elif ((!do_main)); then skip_reason[hugo]="not part of --search-only (Hugo has no built-in search)"
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

# The search part: coursebook and mdBook (Hugo has no search of its own). The payload
# measurement drives a real browser; without one it is skipped, and the report says why.
search_tools=()
payload_skip=""
if ((do_search)); then
  for t in coursebook mdbook; do
    [[ " ${tools[*]} " == *" $t "* ]] && search_tools+=("$t")
  done
  if ! command -v node >/dev/null; then
    payload_skip="node is not installed (apt-get install nodejs npm)"
  elif ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)'; then
    payload_skip="node 18 or newer is needed; found $(node --version)"
  elif [[ ! -x $CHROMIUM ]]; then
    payload_skip="no browser at $CHROMIUM (apt-get install chromium, or set CHROMIUM)"
  fi
  # playwright-core only: it drives the browser that is already installed, and downloads none.
  mkdir -p "$BENCH_DIR"
  NODE_DIR="$(cd "$BENCH_DIR" && pwd)/node"
  if [[ -z $payload_skip && ! -f $NODE_DIR/node_modules/playwright-core/package.json ]]; then
    if ! command -v npm >/dev/null; then
      payload_skip="npm is needed to install playwright-core (apt-get install npm)"
    else
      log "installing playwright-core into $NODE_DIR"
      mkdir -p "$NODE_DIR"
      if ! (cd "$NODE_DIR" && npm install --no-audit --no-fund playwright-core >"$BENCH_DIR/npm-playwright.log" 2>&1); then
        tail -n 20 "$BENCH_DIR/npm-playwright.log" >&2
        payload_skip="npm install playwright-core failed (see $BENCH_DIR/npm-playwright.log)"
      fi
    fi
  fi
  if [[ -n $payload_skip ]]; then
    log "skipping the first-query payload: $payload_skip"
  else
    playwright_version=$(node -p "require('$NODE_DIR/node_modules/playwright-core/package.json').version")
    chromium_version=$("$CHROMIUM" --version 2>/dev/null | tail -n 1 || true)
  fi
fi

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
  # The load around every build, so the report can say how busy the machine got.
  cut -d' ' -f1 /proc/loadavg >>"$LOAD_SAMPLES" 2>/dev/null || true
  tf=$(mktemp)
  if ! /usr/bin/time -f '%e %M' -o "$tf" "${cmd[@]}" >"$logf" 2>&1; then
    echo "${display[$tool]} failed on $dir; last lines of $logf:" >&2
    tail -n 20 "$logf" >&2
    rm -f "$tf"
    return 1
  fi
  cut -d' ' -f1 /proc/loadavg >>"$LOAD_SAMPLES" 2>/dev/null || true
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

# --- Search -------------------------------------------------------------------

# Makes $3 a copy of the sources in layout folder $2 (not its build output) whose book.toml
# differs in one key: coursebook's copy gets search off, mdBook's gets search on.
search_variant() {
  local tool=$1 from=$2 to=$3
  rm -rf "$to"
  mkdir -p "$to"
  case $tool in
    coursebook)
      cp -r "$from/content" "$to/"
      # Any search key already under [build] goes, so the table never holds it twice.
      sed '/^\[build\]/,/^\[/ {/^search[[:space:]]*=/d}' "$from/book.toml" >"$to/book.toml"
      if grep -q '^\[build\]' "$to/book.toml"; then
        sed -i '/^\[build\]/a search = false' "$to/book.toml"
      else
        printf '\n[build]\nsearch = false\n' >>"$to/book.toml"
      fi
      ;;
    mdbook)
      cp -r "$from/src" "$to/"
      sed '/^\[output\.html\.search\]/,/^\[/ s/^enable = false/enable = true/' "$from/book.toml" >"$to/book.toml"
      if ! awk '/^\[/ {t = $0} t == "[output.html.search]" && /^enable = true/ {f = 1} END {exit !f}' "$to/book.toml"; then
        echo "cannot turn mdBook's search on in $to/book.toml (expected [output.html.search] enable = false)" >&2
        return 1
      fi
      ;;
  esac
}

# Times tool $1 on the same course with search off (folder $2) and on (folder $3): a
# warm-up of each, then runs alternating off and on, so drift in the machine's load hits
# both alike. Prints "off_s off_rss_kb on_s on_rss_kb runs warnings_on warmup_off_s warmup_on_s".
time_search_pair() {
  local tool=$1 off=$2 on=$3 w_off w_on pair_runs=$runs r res s m warnings
  local -a s_off=() s_on=() m_off=() m_on=()
  log "${display[$tool]}: warm-up builds, search off and on"
  w_off=$(time_build "$off" "$tool" "$corpus/$tool-search-off-warmup.log") || return 1
  w_on=$(time_build "$on" "$tool" "$corpus/$tool-search-on-warmup.log") || return 1
  log "${display[$tool]}: warm-up ${w_off%% *}s off, ${w_on%% *}s on"
  warnings=$(count_warnings "$tool" "$corpus/$tool-search-on-warmup.log")
  ((warnings > 0)) && log "${display[$tool]} printed $warnings warning(s) with search on; see $corpus/$tool-search-on-warmup.log"
  if awk -v a="${w_off%% *}" -v b="${w_on%% *}" -v l="$slow" 'BEGIN {exit !(l > 0 && (a > l || b > l))}'; then
    pair_runs=1
    log "${display[$tool]}: a warm-up took over --slow $slow s: timing a single run of each"
  fi
  # Off first, on last: the search-on output is the one left for the payload measurement.
  for ((r = 1; r <= pair_runs; r++)); do
    res=$(time_build "$off" "$tool" "$corpus/$tool-search-off-run$r.log") || return 1
    read -r s m <<<"$res"
    s_off+=("$s") m_off+=("$m")
    res=$(time_build "$on" "$tool" "$corpus/$tool-search-on-run$r.log") || return 1
    read -r s m <<<"$res"
    s_on+=("$s") m_on+=("$m")
    log "${display[$tool]}: run $r/$pair_runs: ${s_off[-1]}s off, ${s_on[-1]}s on"
  done
  echo "$(printf '%s\n' "${s_off[@]}" | median) $(printf '%s\n' "${m_off[@]}" | median)" \
    "$(printf '%s\n' "${s_on[@]}" | median) $(printf '%s\n' "${m_on[@]}" | median) $pair_runs $warnings" \
    "${w_off%% *} ${w_on%% *}"
}

# Size of a pagefind/ folder: "all_bytes all_files http_bytes http_files". The http part
# leaves out the NAME.js copy of each data file NAME, which only a page opened from
# file:// loads (browsers refuse fetch there).
pagefind_sizes() {
  find "$1" -type f -printf '%s %P\n' | awk '
    {size[$2] = $1; all += $1; n++}
    END {
      for (f in size) if (!(f ~ /\.js$/ && (substr(f, 1, length(f) - 3) in size))) {hb += size[f]; hn++}
      print all + 0, n + 0, hb + 0, hn + 0
    }'
}

kb() { awk -v b="$1" 'BEGIN {printf "%.0f", b / 1024}'; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }

# search_payload.mjs's breakdown ("kind files bytes; ...", largest first) as
# "kind ×files N KB, ..." for the four largest groups.
fmt_breakdown() {
  printf '%s' "$1" | awk -v RS='; ' 'NF >= 3 && NR <= 4 {
    bytes = $NF; files = $(NF - 1); $NF = ""; $(NF - 1) = ""; sub(/ +$/, ""); sub(/^pagefind /, "")
    out = out (out ? ", " : "") $0 (files > 1 ? " ×" files : "") " " sprintf("%.0f", bytes / 1024) " KB"
  } END {print out}'
}

# Bytes of a breakdown that any query fetches: everything but index chunks and fragments
# (which depend on the query's words and its results).
fixed_bytes() {
  printf '%s' "$1" | awk -v RS='; ' 'NF >= 3 && !/index chunks|fragments|searchindex/ {s += $NF} END {print s + 0}'
}

mkdir -p "$BENCH_DIR"
LOAD_SAMPLES="$BENCH_DIR/load-samples.txt"
: >"$LOAD_SAMPLES"
rows=()
ratios=()
search_rows=() size_rows=() payload_rows=() search_notes=() target_lines=()
layouts=$(IFS=,; echo "${tools[*]}")
main_tools=()
((do_main)) && main_tools=("${tools[@]}")
IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  corpus="$BENCH_DIR/corpus-$n"
  log "generating $n lessons into $corpus ($layouts)"
  python3 "$SCRIPT_DIR/gen_corpus.py" --lessons "$n" --out "$corpus" --layouts "$layouts"
  declare -A pps=()
  for tool in "${main_tools[@]}"; do
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
  ((do_search)) || continue
  for tool in "${search_tools[@]}"; do
    # coursebook builds search by default; mdBook's generated book.toml turns it off.
    case $tool in
      coursebook) on=$corpus/coursebook off=$corpus/coursebook-search-off out=$on/public
        search_variant coursebook "$on" "$off" ;;
      mdbook) off=$corpus/mdbook on=$corpus/mdbook-search-on out=$on/book
        search_variant mdbook "$off" "$on" ;;
    esac
    if ! res=$(time_search_pair "$tool" "$off" "$on"); then
      [[ $tool == coursebook ]] && exit 1
      search_rows+=("| ${display[$tool]} | ${version[$tool]} | $(thousands "$n") | failed | | | | |")
      continue
    fi
    read -r s_off m_off s_on m_on pair_runs warnings w_off w_on <<<"$res"
    note=""
    if ((pair_runs < runs)); then
      note=" (1 run)"
      search_notes+=("- ${display[$tool]}, $(thousands "$n") lessons: one timed build of each; the warm-ups took $w_off s off and $w_on s on.")
    fi
    ratio=$(awk -v a="$s_on" -v b="$s_off" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
    pct=$(awk -v a="$s_on" -v b="$s_off" 'BEGIN {printf "%+.0f%%", (b > 0) ? (a / b - 1) * 100 : 0}')
    search_rows+=("| ${display[$tool]} | ${version[$tool]} | $(thousands "$n") | $(printf '%.2f' "$s_off")$note | $(printf '%.2f' "$s_on")$note | ${ratio} ($pct) | $((m_off / 1024)) | $((m_on / 1024)) |")
    if ((warnings > 0)); then
      first_warning=$(grep -m 1 -E "$(case $tool in coursebook) echo '^warning' ;; mdbook) echo 'WARN' ;; esac)" "$corpus/$tool-search-on-warmup.log" | sed 's/^ *//')
      search_notes+=("- ${display[$tool]} printed $warnings warning(s) with search on at $(thousands "$n") lessons, the first: \`$first_warning\`.")
    fi
    if [[ $tool == coursebook ]]; then
      verdict=$(awk -v r="$ratio" 'BEGIN {print (r < 1.30) ? "met" : "missed"}')
      target_lines+=("- Build, $(thousands "$n") lessons: search on takes ${s_on} s against ${s_off} s off, ${ratio}x ($pct; target: under +30%): **${verdict}**.")
    fi

    # What the search output weighs on disk.
    case $tool in
      coursebook)
        read -r all_b all_n http_b http_n <<<"$(pagefind_sizes "$out/pagefind")"
        size_rows+=("| coursebook | $(thousands "$n") | \`public/pagefind/\`, all of it | $(thousands "$all_n") | $(mb "$all_b") |")
        size_rows+=("| coursebook | $(thousands "$n") | of which fetched over HTTP (without the \`.js\` copies for file://) | $(thousands "$http_n") | $(mb "$http_b") |")
        ;;
      mdbook)
        idx_b=0 idx_names=()
        for f in "$out"/searchindex*; do
          [[ -f $f ]] || continue
          idx_b=$((idx_b + $(stat -c %s "$f"))) idx_names+=("$(basename "$f")")
        done
        names="no searchindex written"
        # shellcheck disable=SC2016  # the backticks are Markdown, not a command
        ((${#idx_names[@]})) && names=$(printf '`book/%s`, ' "${idx_names[@]}") && names=${names%, }
        size_rows+=("| mdBook | $(thousands "$n") | $names | ${#idx_names[@]} | $(mb "$idx_b") |")
        ;;
    esac

    # What a reader's browser fetches for the first query, on the lesson in the middle.
    [[ -z $payload_skip ]] || continue
    mid=$(((n + 1) / 2))
    page=$(cd "$out" && find . -type f -name "*-$mid.html" | sed 's|^\./||' | sort | head -n 1)
    if [[ -z $page ]]; then
      log "no page for lesson $mid under $out: payload not measured"
      payload_rows+=("| ${display[$tool]} | $(thousands "$n") | | no page for lesson $mid | | | | |")
      continue
    fi
    IFS=, read -r -a query_list <<<"$queries"
    for q in "${query_list[@]}"; do
      if [[ $tool == coursebook ]]; then
        # How common the query is: lessons whose Markdown holds every word (any case, as part
        # of a longer word too, roughly as Pagefind's stemming and prefix matching find them).
        read -r -a words <<<"$q"
        hits=$(cd "$corpus/coursebook/content" && { grep -rliF -- "${words[0]}" . || true; } | sort)
        for w in "${words[@]:1}"; do
          hits=$(cd "$corpus/coursebook/content" || exit 1
            printf '%s\n' "$hits" | sed '/^$/d' | xargs -r grep -liF -- "$w" | sort || true)
        done
        search_notes+=("- \"$q\": $(thousands "$(printf '%s\n' "$hits" | sed '/^$/d' | grep -vc '_index\.md$' || true)") of $(thousands "$n") lessons hold every word of it.")
      fi
      slug=$(printf '%s' "$q" | tr -cs 'A-Za-z0-9' '-')
      json="$corpus/search-payload-$tool-$slug.json"
      log "${display[$tool]}: first query \"$q\" on $page"
      if ! line=$(node "$SCRIPT_DIR/search_payload.mjs" --tool "$tool" --root "$out" --page "$page" --query "$q" \
        --out "$json" --playwright "$NODE_DIR" --chromium "$CHROMIUM"); then
        payload_rows+=("| ${display[$tool]} | $(thousands "$n") | $q | failed (see the log above) | | | | |")
        continue
      fi
      IFS=$'\t' read -r payload reqs _after preloaded _headers ms results cross gz breakdown <<<"$line"
      log "${display[$tool]}: \"$q\": $(kb "$payload") KB in $reqs requests, results after $ms ms"
      payload_rows+=("| ${display[$tool]} | $(thousands "$n") | $q | $(thousands "$(kb "$payload")") | $reqs | $(thousands "$(kb "$gz")") | $(thousands "$ms") | $(fmt_breakdown "$breakdown") |")
      [[ $q == "${query_list[0]}" ]] && ((preloaded > 0)) && search_notes+=("- ${display[$tool]}, $(thousands "$n") lessons: $(kb "$preloaded") KB of each payload are search scripts the page fetched while loading, before the key press.")
      [[ $cross == "$payload" ]] || search_notes+=("- ${display[$tool]}, $(thousands "$n") lessons, \"$q\": the browser's Resource Timing adds up to $cross bytes, the server counted $payload (see $json).")
      if [[ $tool == coursebook ]]; then
        fixed=$(fixed_bytes "$breakdown")
        verdict=$(awk -v b="$payload" 'BEGIN {print (b < 150 * 1024) ? "under" : "over"}')
        [[ $n == 10000 ]] && verdict=$(awk -v b="$payload" 'BEGIN {print (b < 150 * 1024) ? "**met**" : "**missed**"}')
        target_lines+=("- First query \"$q\", $(thousands "$n") lessons: $(kb "$payload") KB in $reqs requests (target: under 150 KB at 10,000 lessons): $verdict. $(kb "$fixed") KB of it is fetched whatever the query (JS, wasm, pf_meta, filters, entry); the rest is index chunks and result fragments ($results). Largest parts: $(fmt_breakdown "$breakdown").")
      fi
    done
  done
done

# --- Report -------------------------------------------------------------------
load_end=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
load_max=$(sort -g "$LOAD_SAMPLES" 2>/dev/null | tail -n 1)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
# shellcheck disable=SC1091  # os-release is a plain KEY=value file on every Debian
# The file system matters: every tool deletes and recreates thousands of files per run, and
# on ext4 without a journal each file created within a minute of many deletions pays a scan
# of the recently deleted inodes (seconds of system time per build at 1,000 lessons).
fs=$(stat -f -c %T "$BENCH_DIR" 2>/dev/null || echo "unknown")
machine="$(nproc) cores (${cpu:-unknown CPU}), ${mem:-unknown memory}, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"); corpora and outputs on ${fs/ext2\/ext3/ext4} (\$BENCH_DIR)."
generated_on=$(date -u '+%Y-%m-%d %H:%M UTC')
# The part of results.md this run does not redo is kept: the build-speed section is
# everything before SEARCH_MARK, the Search section everything from it on.
old_main="" old_search=""
if [[ -f $RESULTS ]]; then
  old_main=$(awk -v m="$SEARCH_MARK" '$0 == m {exit} {print}' "$RESULTS")
  old_search=$(awk -v m="$SEARCH_MARK" '$0 == m {f = 1} f {print}' "$RESULTS")
fi
main_report=$old_main
((do_main)) && main_report=$(
  echo "# coursebook build speed"
  echo
  echo "Generated by \`bench/build-speed.sh --sizes $sizes${skip:+ --skip $skip}\` on $generated_on:"
  echo "$machine"
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
  echo "  does no highlighting."
  echo "- Each tool builds with its defaults, except mdBook's search index and print page, which"
  echo "  are turned off (left on, they add an all-pages index and a 60 MB single page). coursebook's"
  echo "  defaults include full-text search (\`public/pagefind/\`) and \`print.html\`; Hugo builds"
  echo "  neither. The Search section times coursebook and mdBook with search off and on."
  for t in hugo mdbook; do
    [[ -n ${skip_reason[$t]:-} ]] && echo "- ${display[$t]} not measured: ${skip_reason[$t]}."
  done
  echo "- 1-minute load average: $load_start at the start, $load_end at the end, ${load_max:-?} at the"
  echo "  highest seen just before or after a build (on $(nproc) cores; anything near or above the"
  echo "  core count means other work competed with the builds)."
  echo "- Warnings: lines the tool printed as warnings during the warm-up build (0 expected)."
)
search_report=$old_search
((do_search)) && search_report=$(
  echo "$SEARCH_MARK"
  echo "## Search"
  echo
  echo "Generated by \`bench/build-speed.sh${orig_args:+ $orig_args}\` on $generated_on:"
  echo "$machine"
  if [[ -z $payload_skip ]]; then
    echo "Payload measured in ${chromium_version:-Chromium} (headless), driven by playwright-core $playwright_version."
  fi
  echo
  echo "### Build time, search off and on"
  echo
  echo "| Tool | Version | Lessons | Search off s | Search on s | On/off | Peak RSS off MB | Peak RSS on MB |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  ((${#search_rows[@]})) && printf '%s\n' "${search_rows[@]}"
  echo
  echo "### Search output on disk"
  echo
  echo "| Tool | Lessons | Files | Count | MB |"
  echo "|---|---:|---|---:|---:|"
  ((${#size_rows[@]})) && printf '%s\n' "${size_rows[@]}"
  echo
  echo "### First query: bytes the browser fetches"
  echo
  if [[ -n $payload_skip ]]; then
    echo "Not measured: $payload_skip."
  else
    echo "| Tool | Lessons | Query | Payload KB | Requests | If gzipped KB | Key to results ms | Largest parts |"
    echo "|---|---:|---|---:|---:|---:|---:|---|"
    ((${#payload_rows[@]})) && printf '%s\n' "${payload_rows[@]}"
  fi
  echo
  if ((${#target_lines[@]})); then
    echo "### Against the targets (coursebook)"
    echo
    printf '%s\n' "${target_lines[@]}"
    echo
  fi
  echo "Notes:"
  echo "- Build time: same corpus as above, built with search off and on; one warm-up of each, then"
  echo "  $runs run(s) of each, alternating off and on (1 where marked: a warm-up took over $slow s); median wall"
  echo "  time and peak RSS. coursebook: as generated (search on by default) and a copy with"
  echo "  \`search = false\` under \`[build]\` in book.toml. mdBook: as generated"
  echo "  (\`[output.html.search] enable = false\`) and a copy with \`enable = true\`; its print page"
  echo "  stays off in both. On/off = median on / median off, with the share search adds."
  echo "- coursebook writes every Pagefind data file twice: as itself, fetched over HTTP, and as a"
  echo "  \`NAME.js\` script holding it in base64, loaded instead when the page is opened from file://."
  echo "- Payload: bench/search_payload.mjs serves the built site from a plain static server on"
  echo "  127.0.0.1 (Content-Length on every answer, no compression, cacheable for an hour), opens the"
  echo "  lesson in the middle of the course in a fresh headless Chromium context, waits for the page"
  echo "  to load and the network to be quiet for 1 s, presses \"/\", types the query into the search"
  echo "  box once it has focus, waits until the results for it are shown (coursebook:"
  echo "  \`.search-status\` reads \"N results for ...\", after \`data()\` of the first 10 results;"
  echo "  mdBook: \`#mdbook-searchresults-header\` reads \"N search results for ...\") and for the network"
  echo "  to be quiet for 1 s again. Payload = body bytes the server sent for every request made"
  echo "  from the key press on (Pagefind fetches from a Web Worker; the server sees those too),"
  echo "  plus search scripts the page fetched while loading: mdBook puts elasticlunr, mark and"
  echo "  searcher in a \`<script>\` tag on every page and fetches only its searchindex on the key press;"
  echo "  coursebook fetches nothing for search before the key press. HTTP headers are not counted"
  echo "  (about 150 bytes a request). The browser's Resource Timing entries (page and worker,"
  echo "  \`encodedBodySize\`) are added up as a cross-check; a mismatch is listed below. Every"
  echo "  request, with its size and time, is in \`\$BENCH_DIR/corpus-N/search-payload-TOOL-QUERY.json\`."
  echo "- KB = 1,024 bytes. \"If gzipped\" is a what-if: the same files compressed with gzip -6, as a"
  echo "  host that compresses every answer would send them (Pagefind's data files are gzip inside"
  echo "  already, so mostly its JS shrinks; mdBook's index is JavaScript text and shrinks a lot)."
  echo "- Key to results: from the key press to the results being shown, over localhost (no network"
  echo "  latency), on this machine; indicative only."
  echo "- Queries are typed in one go (no pause between keys), so each tool searches once, for the"
  echo "  whole query."
  ((${#search_notes[@]})) && printf '%s\n' "${search_notes[@]}"
  if [[ -n ${skip_reason[mdbook]:-} ]]; then echo "- mdBook not measured: ${skip_reason[mdbook]}."; fi
  echo "- 1-minute load average: $load_start at the start, $load_end at the end, ${load_max:-?} at the"
  echo "  highest seen just before or after a build (on $(nproc) cores; the builds themselves add up to"
  echo "  about 1 for a single-threaded tool, 2 for coursebook; more means other work competed)."
)
if ((do_main)); then printf '%s\n' "$main_report"; fi
if ((do_search)); then printf '%s\n' "$search_report"; fi
{
  if [[ -n $main_report ]]; then printf '%s\n' "$main_report"; fi
  if [[ -n $main_report && -n $search_report ]]; then echo; fi
  if [[ -n $search_report ]]; then printf '%s\n' "$search_report"; fi
} >"$RESULTS"
log "written to $RESULTS; corpora and logs are in $BENCH_DIR"
