#!/usr/bin/env bash
# Diagram-speed benchmark: coursebook's native Mermaid rendering against mermaid-cli (mmdc).
# Run with --help for usage. Writes only under $BENCH_DIR, plus bench/diagram-results.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/diagram-speed.sh [options]

Times Mermaid diagrams two ways, per diagram:

  mmdc        `mmdc -i X.mmd -o X.svg -p puppeteer.json`, one process per diagram, as a
              peer tool that shells out to mermaid-cli does (one theme). Median of --runs.
  coursebook  a one-lesson course holding the diagram --copies times (each copy made unique
              by a `%% copy i` line, so the render cache cannot help), built with an empty
              COURSEBOOK_CACHE_DIR, minus the same course with the fences turned into
              ```text; divided by --copies. That is one diagram in both themes (light and
              dark), the work a build really does. Median of --runs, runs interleaved.

Diagrams: the ```mermaid blocks of <repo>/../shared/seeds/*.txt (skipped with a message if
that folder is absent), a generated 40-node flowchart (4 subgraphs of 10 nodes, edges within
and across, some labelled) with and without an edge between two subgraphs, and the small diagrams in bench/diagrams/*.mmd.

Then the warm-cache share: the repo's own course built with a filled diagram cache against
a copy of it whose ```mermaid fences are ```text, median of --warm-runs interleaved full
builds each; the difference is the build time still spent on diagrams once cached.

Prints a Markdown report and writes it to bench/diagram-results.md (overwritten).

Options:
  --runs N         Timed runs per diagram and tool (default: 3)
  --copies N       Copies of each diagram in the coursebook lesson (default: 50)
  --warm-runs N    Timed builds per variant for the warm-cache share (default: 20)
  --skip-mmdc      Leave mermaid-cli out (coursebook columns only)
  --skip-warm      Leave the warm-cache share out
  -h, --help       Show this help

Environment:
  BENCH_DIR    Work folder (default: /tmp/coursebook-bench); mermaid-cli is installed
               into $BENCH_DIR/mmdc with
               `PUPPETEER_SKIP_DOWNLOAD=1 npm install @mermaid-js/mermaid-cli`
  COURSEBOOK   coursebook binary (default: <repo>/target/release/coursebook)
  CHROMIUM     Browser for mmdc's puppeteer (default: /usr/bin/chromium; Debian package
               `chromium`). mmdc is skipped, with the reason, if it or npm is missing.
  SEEDS_DIR    Seed files to take diagrams from (default: <repo>/../shared/seeds)
EOF
}

# EPOCHREALTIME and printf %f must use a decimal point whatever the user's locale.
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/coursebook-bench}
COURSEBOOK=${COURSEBOOK:-$REPO/target/release/coursebook}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SEEDS_DIR=${SEEDS_DIR:-$REPO/../shared/seeds}
RESULTS="$SCRIPT_DIR/diagram-results.md"
TOOL="$SCRIPT_DIR/diagram_tool.py"

runs=3
copies=50
warm_runs=20
skip_mmdc=0
skip_warm=0
while (($#)); do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --runs=*) runs=${1#*=} ;;
    --copies) copies=${2:?--copies needs a number}; shift ;;
    --copies=*) copies=${1#*=} ;;
    --warm-runs) warm_runs=${2:?--warm-runs needs a number}; shift ;;
    --warm-runs=*) warm_runs=${1#*=} ;;
    --skip-mmdc) skip_mmdc=1 ;;
    --skip-warm) skip_warm=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for v in runs copies warm_runs; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "--${v//_/-} must be a positive number" >&2; exit 2; }
done
# Work folders are deleted and recreated under BENCH_DIR: keep that away from the
# repository (and from /), so a mistyped variable cannot wipe real files.
case $BENCH_DIR in
  "$REPO"|"$REPO"/*|/|"") echo "BENCH_DIR must be outside the repository: $BENCH_DIR" >&2; exit 2 ;;
esac

log() { printf '==> %s\n' "$*" >&2; }

# --- Prerequisites ------------------------------------------------------------
command -v python3 >/dev/null || { echo "python3 is required (apt-get install python3)" >&2; exit 1; }
if [[ ! -x $COURSEBOOK ]]; then
  echo "coursebook binary not found at $COURSEBOOK" >&2
  echo "build it first (cd $REPO && cargo build --release) or set COURSEBOOK=/path/to/coursebook" >&2
  exit 1
fi
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)

load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="$load_start" -v c="$(nproc)" 'BEGIN {exit !(l + 0 > c / 2)}'; then
  log "warning: load average is $load_start on $(nproc) cores; other work will make timings noisy"
fi

cb_version=$("$COURSEBOOK" --version | awk '{print $NF}')
if rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null); then
  [[ -n $(git -C "$REPO" status --porcelain -- src Cargo.toml Cargo.lock themes 2>/dev/null) ]] && rev+="+dirty"
  cb_version+=" ($rev)"
fi

# mermaid-cli: a local npm install, driven by Debian's Chromium (puppeteer's own browser
# download is skipped: it cannot be fetched here, and Debian's is the one people have).
MMDC_DIR="$BENCH_DIR/mmdc"
MMDC="$MMDC_DIR/node_modules/.bin/mmdc"
PUPPETEER_CFG="$BENCH_DIR/puppeteer.json"
mmdc_reason=""
if ((skip_mmdc)); then
  mmdc_reason="left out with --skip-mmdc"
elif [[ ! -x $CHROMIUM ]]; then
  mmdc_reason="no browser at $CHROMIUM (apt-get install chromium, or set CHROMIUM)"
elif [[ ! -x $MMDC ]]; then
  if ! command -v npm >/dev/null; then
    mmdc_reason="npm is not installed (apt-get install npm)"
  else
    log "installing @mermaid-js/mermaid-cli into $MMDC_DIR"
    mkdir -p "$MMDC_DIR"
    if ! (cd "$MMDC_DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund \
      @mermaid-js/mermaid-cli >"$BENCH_DIR/npm-install.log" 2>&1); then
      tail -n 20 "$BENCH_DIR/npm-install.log" >&2
      mmdc_reason="npm install @mermaid-js/mermaid-cli failed (see $BENCH_DIR/npm-install.log)"
    elif [[ ! -x $MMDC ]]; then
      mmdc_reason="npm install finished but $MMDC is missing"
    fi
  fi
fi
mmdc_version=""
if [[ -z $mmdc_reason ]]; then
  cat >"$PUPPETEER_CFG" <<EOF
{"executablePath": "$CHROMIUM", "args": ["--no-sandbox","--disable-gpu","--disable-quic","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync"]}
EOF
  mmdc_version=$("$MMDC" --version 2>/dev/null | tail -n 1)
  chromium_version=$("$CHROMIUM" --version 2>/dev/null | tail -n 1 || true)
else
  log "skipping mmdc: $mmdc_reason"
fi

# --- Diagram set ----------------------------------------------------------------
DIAGRAMS="$BENCH_DIR/diagrams"
rm -rf "$DIAGRAMS"
mkdir -p "$DIAGRAMS"
names=()
seeds_note=""
if compgen -G "$SEEDS_DIR/*.txt" >/dev/null; then
  for seed in "$SEEDS_DIR"/*.txt; do
    base=$(basename "$seed" .txt)
    base=${base%%_*}
    # Every ```mermaid ... ``` block of the seed becomes seed-<prefix>-<k>.mmd.
    awk -v out="$DIAGRAMS/seed-$base-" '
      !inside && /^[[:space:]]*```mermaid[[:space:]]*$/ { inside = 1; k++; next }
      inside && /^[[:space:]]*```[[:space:]]*$/ { inside = 0; close(out k ".mmd"); next }
      inside { print > (out k ".mmd") }
    ' "$seed"
  done
  for f in "$DIAGRAMS"/seed-*.mmd; do
    [[ -e $f ]] && names+=("$(basename "$f" .mmd)")
  done
  seeds_note="${#names[@]} diagram(s) from $(find "$SEEDS_DIR" -maxdepth 1 -name '*.txt' | wc -l) seed file(s) in $SEEDS_DIR"
  log "$seeds_note"
else
  seeds_note="no seed files in $SEEDS_DIR: seed diagrams skipped"
  log "$seeds_note"
fi
# 40 nodes in 4 subgraphs of 10; the "linked" variant adds one subgraph-to-subgraph edge.
python3 "$TOOL" flowchart 4 10 >"$DIAGRAMS/flowchart-40.mmd"
python3 "$TOOL" flowchart 4 10 linked >"$DIAGRAMS/flowchart-40-linked.mmd"
names+=(flowchart-40 flowchart-40-linked)
for f in "$SCRIPT_DIR"/diagrams/*.mmd; do
  [[ -e $f ]] || continue
  cp "$f" "$DIAGRAMS/"
  names+=("$(basename "$f" .mmd)")
done

# --- Timing helpers -------------------------------------------------------------
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# Wall seconds of one command, from bash's microsecond clock (no fork for the clock), in
# $elapsed, and the CPU seconds (user + system, all threads) it used, in $cpu: the
# `times` builtin's children line, read before and after (millisecond resolution; it
# must run in this shell, not in a $(...) subshell, whose counters start at zero).
# Output goes to $1; returns the command's status.
elapsed="" cpu=""
TIMES_FILE="$BENCH_DIR/.times"
children_cpu() {
  awk 'NR == 2 {
    for (i = 1; i <= 2; i++) { split($i, a, "m"); sub(/s$/, "", a[2]); s += a[1] * 60 + a[2] }
    printf "%.3f", s }' "$TIMES_FILE"
}
timed() {
  local logf=$1 t0 t1 c0 c1 rc=0
  shift
  times >"$TIMES_FILE"
  c0=$(children_cpu)
  t0=$EPOCHREALTIME
  "$@" >"$logf" 2>&1 || rc=$?
  t1=$EPOCHREALTIME
  times >"$TIMES_FILE"
  c1=$(children_cpu)
  elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", b - a}')
  cpu=$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.3f", b - a}')
  return "$rc"
}

# One full coursebook build of course $1 into $2 with diagram cache $3 (deleted and
# recreated when $4 is "cold"). Sets $elapsed; on failure shows the log and returns 1.
cb_build() {
  local root=$1 out=$2 cache=$3 mode=$4 logf=$2.log
  rm -rf "$out"
  if [[ $mode == cold ]]; then rm -rf "$cache"; mkdir -p "$cache"; fi
  if ! COURSEBOOK_CACHE_DIR=$cache timed "$logf" "$COURSEBOOK" build --root "$root" --out "$out"; then
    echo "coursebook build of $root failed; last lines of $logf:" >&2
    tail -n 20 "$logf" >&2
    return 1
  fi
}

# A one-lesson course holding diagram $1 $copies times, in ```$3 fences, at $2.
make_course() {
  local src=$1 dir=$2 lang=$3 i
  rm -rf "$dir"
  mkdir -p "$dir/content/01-m"
  printf '[book]\ntitle = "Diagram benchmark"\n' >"$dir/book.toml"
  {
    printf '# One diagram, %d times\n' "$copies"
    for ((i = 1; i <= copies; i++)); do
      printf '\nCopy %d.\n\n```%s\n' "$i" "$lang"
      cat "$src"
      printf '%%%% copy %d\n```\n' "$i"
    done
  } >"$dir/content/01-m/01-lesson.md"
}

ms() { awk -v s="$1" 'BEGIN {printf "%.1f", s * 1000}'; }
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "" || b == "" || b <= 0) { print "n/a"; exit }
    r = a / b; printf (r >= 10) ? "%.0fx" : "%.1fx", r }'
}

# --- Per-diagram timings ----------------------------------------------------------
SVG_DIR="$BENCH_DIR/svg"
rm -rf "$SVG_DIR"
mkdir -p "$SVG_DIR"
rows=()
notes=()
declare -a ratio_values=() cb_failures=()
mmdc_warmed=0
for name in "${names[@]}"; do
  src="$DIAGRAMS/$name.mmd"
  nodes=$(python3 "$TOOL" nodes "$src")
  kind=$(awk 'NF && $1 !~ /^%%/ {print $1; exit}' "$src")

  # mermaid-cli: one process per diagram.
  mmdc_ms="" mmdc_cell="skipped" mmdc_size="? ?"
  if [[ -z $mmdc_reason ]]; then
    if ((mmdc_warmed == 0)); then
      # One untimed run first, so node's modules and Chromium are in the page cache.
      log "mmdc: warm-up run"
      timed "$SVG_DIR/warmup.log" "$MMDC" -i "$src" -o "$SVG_DIR/warmup.svg" -p "$PUPPETEER_CFG" || true
      mmdc_warmed=1
    fi
    secs=() failed=0
    for ((r = 1; r <= runs; r++)); do
      out_svg="$SVG_DIR/$name.mmdc.svg"
      rm -f "$out_svg"
      if ! timed "$SVG_DIR/$name.mmdc.log" "$MMDC" -i "$src" -o "$out_svg" -p "$PUPPETEER_CFG" \
        || [[ ! -s $out_svg ]]; then
        failed=1
        break
      fi
      secs+=("$elapsed")
      log "mmdc $name: run $r/$runs: $(ms "$elapsed") ms"
    done
    if ((failed)); then
      mmdc_cell="failed"
      why=$(grep -m1 -iE 'error|fail' "$SVG_DIR/$name.mmdc.log" || tail -n 1 "$SVG_DIR/$name.mmdc.log")
      notes+=("- mmdc failed on \`$name\`: ${why:0:200}")
      log "mmdc failed on $name; see $SVG_DIR/$name.mmdc.log"
    else
      med=$(printf '%s\n' "${secs[@]}" | median)
      mmdc_ms=$(ms "$med")
      mmdc_cell=$(printf '%.0f' "$mmdc_ms")
      mmdc_size=$(python3 "$TOOL" svg-size "$SVG_DIR/$name.mmdc.svg")
    fi
  fi

  # coursebook: copies of the diagram against copies of a text block, cold cache each run.
  work="$BENCH_DIR/per-diagram/$name"
  make_course "$src" "$work/with" mermaid
  make_course "$src" "$work/without" text
  with=() without=() with_cpu=() without_cpu=() cb_failed=0
  for ((r = 1; r <= runs; r++)); do
    if ! cb_build "$work/with" "$work/site-with" "$work/cache" cold; then cb_failed=1; break; fi
    with+=("$elapsed") with_cpu+=("$cpu")
    if ((r == 1)); then
      # Every copy must have become a rendered figure, or the timing means nothing.
      got=$(grep -o '<figure class="diagram"' "$work/site-with/m/lesson.html" | wc -l)
      if ((got != copies)); then
        log "coursebook rendered $got of $copies copies of $name; see $work/site-with.log"
        cb_failed=1
        break
      fi
      cb_size=$(python3 "$TOOL" first-svg "$work/site-with/m/lesson.html" "$SVG_DIR/$name.coursebook.svg")
    fi
    if ! cb_build "$work/without" "$work/site-without" "$work/cache" cold; then cb_failed=1; break; fi
    without+=("$elapsed") without_cpu+=("$cpu")
    log "coursebook $name: run $r/$runs: $(ms "${with[-1]}") ms with $copies diagrams, $(ms "$elapsed") ms with text blocks"
  done
  if ((cb_failed)); then
    why=$(grep -m1 -E 'error' "$work/site-with.log" || true)
    notes+=("- coursebook failed on \`$name\`: ${why:0:200}")
    cb_failures+=("$name")
    rows+=("| $name | $kind | $nodes | $mmdc_cell | failed | failed | n/a |")
    continue
  fi
  med_with=$(printf '%s\n' "${with[@]}" | median)
  med_without=$(printf '%s\n' "${without[@]}" | median)
  per=$(awk -v a="$med_with" -v b="$med_without" -v n="$copies" 'BEGIN {printf "%.6f", (a - b) / n}')
  cb_ms=$(ms "$per")
  per_cpu=$(awk -v a="$(printf '%s\n' "${with_cpu[@]}" | median)" \
    -v b="$(printf '%s\n' "${without_cpu[@]}" | median)" -v n="$copies" 'BEGIN {printf "%.6f", (a - b) / n}')
  r=$(ratio "$mmdc_ms" "$cb_ms")
  [[ $r == n/a ]] || ratio_values+=("${r%x}")
  rows+=("| $name | $kind | $nodes | $mmdc_cell | $cb_ms | $(ms "$per_cpu") | $r |")

  # Very different picture sizes hint that the two renderers laid the diagram out differently.
  read -r mw mh <<<"$mmdc_size"
  read -r cw ch <<<"$cb_size"
  if [[ $mw != "?" && $cw != "?" ]] && awk -v a="$mw" -v b="$mh" -v c="$cw" -v d="$ch" \
    'BEGIN {exit !((a > c * 1.25 || c > a * 1.25 || b > d * 1.25 || d > b * 1.25))}'; then
    notes+=("- \`$name\`: picture sizes differ by over 25%: mmdc ${mw}x${mh}, coursebook ${cw}x${ch} (SVGs in $SVG_DIR)")
  fi
done

# --- Warm-cache share on the repo's own course -------------------------------------
warm_lines=()
if ((skip_warm == 0)); then
  OWN="$BENCH_DIR/own"
  rm -rf "$OWN"
  mkdir -p "$OWN/text"
  cp "$REPO/book.toml" "$OWN/text/"
  cp -r "$REPO/content" "$OWN/text/"
  fences=$(grep -rhcE '^[[:space:]]*```mermaid[[:space:]]*$' --include='*.md' "$REPO/content" | awk '{s += $1} END {print s + 0}')
  # shellcheck disable=SC2016  # backticks and $ are sed's, not the shell's
  find "$OWN/text/content" -name '*.md' -exec sed -i -E 's/^([[:space:]]*)```mermaid[[:space:]]*$/\1```text/' {} +
  if grep -rqE '```mermaid' --include='*.md' "$OWN/text/content"; then
    log "warning: some mermaid fences in $OWN/text/content were not turned into text"
  fi
  cache="$OWN/cache"
  log "own course ($fences diagrams): cold builds"
  cold_with=() cold_without=() cold_with_cpu=() cold_without_cpu=()
  for ((r = 1; r <= runs; r++)); do
    cb_build "$REPO" "$OWN/site-mermaid" "$cache" cold
    cold_with+=("$elapsed") cold_with_cpu+=("$cpu")
    cb_build "$OWN/text" "$OWN/site-text" "$cache" cold
    cold_without+=("$elapsed") cold_without_cpu+=("$cpu")
  done
  # The last cold build of the mermaid variant filled the cache; check it did.
  cb_build "$REPO" "$OWN/site-mermaid" "$cache" cold
  cached=$(find "$cache" -name '*.svg' | wc -l)
  ((cached == 2 * fences)) || log "warning: cache holds $cached SVGs for $fences diagrams (expected $((2 * fences)))"
  log "own course: $warm_runs warm builds per variant, interleaved (ABBA)"
  warm_with=() warm_without=() warm_with_cpu=() warm_without_cpu=()
  for ((r = 1; r <= warm_runs; r++)); do
    # Alternate which variant goes first, so neither always follows the other.
    for variant in $( ((r % 2)) && echo "with text" || echo "text with"); do
      if [[ $variant == with ]]; then
        cb_build "$REPO" "$OWN/site-mermaid" "$cache" warm
        warm_with+=("$elapsed") warm_with_cpu+=("$cpu")
      else
        cb_build "$OWN/text" "$OWN/site-text" "$cache" warm
        warm_without+=("$elapsed") warm_without_cpu+=("$cpu")
      fi
    done
  done
  after=$(find "$cache" -name '*.svg' | wc -l)
  ((after == cached)) || log "warning: warm builds added $((after - cached)) SVGs to the cache"
  pages=$(grep -oE 'built [0-9]+ pages' "$OWN/site-mermaid.log" | awk '{print $2}' || true)
  med() { local -n arr=$1; printf '%s\n' "${arr[@]}" | median; }
  cw=$(med cold_with) cwo=$(med cold_without) ccw=$(med cold_with_cpu) ccwo=$(med cold_without_cpu)
  ww=$(med warm_with) wwo=$(med warm_without) cww=$(med warm_with_cpu) cwwo=$(med warm_without_cpu)
  share() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f%%", (a > 0) ? 100 * (a - b) / a : 0}'; }
  warm_share=$(share "$ww" "$wwo")
  warm_lines+=("| Cache | Builds | With diagrams ms | Fences as text ms | Diagram share | CPU with ms | CPU text ms | CPU share |")
  warm_lines+=("|---|---:|---:|---:|---:|---:|---:|---:|")
  warm_lines+=("| cold (empty) | $runs | $(ms "$cw") | $(ms "$cwo") | $(share "$cw" "$cwo") | $(ms "$ccw") | $(ms "$ccwo") | $(share "$ccw" "$ccwo") |")
  warm_lines+=("| warm (filled) | $warm_runs | $(ms "$ww") | $(ms "$wwo") | $warm_share | $(ms "$cww") | $(ms "$cwwo") | $(share "$cww" "$cwwo") |")
  warm_lines+=("")
  warm_lines+=("The repo's own course: ${pages:-?} pages, $fences mermaid diagrams. Target: under 5% of the wall time with a warm cache:")
  if awk -v s="${warm_share%\%}" 'BEGIN {exit !(s < 5)}'; then
    warm_lines+=("**met** ($warm_share).")
  else
    warm_lines+=("**not met** ($warm_share).")
  fi
fi

# --- Report -----------------------------------------------------------------------
load_end=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
summary=""
if ((${#ratio_values[@]})); then
  read -r rmin rgeo < <(printf '%s\n' "${ratio_values[@]}" \
    | awk '{if (NR == 1 || $1 < m) m = $1; s += log($1)} END {printf "%s %.0f\n", m, exp(s / NR)}')
  if awk -v m="$rmin" 'BEGIN {exit !(m >= 200)}'; then verdict="**met** by every diagram both tools rendered"
  else verdict="**not met** by every diagram both tools rendered"; fi
  summary="Target: coursebook at least 200x faster than mermaid-cli per diagram: $verdict (lowest ${rmin}x, geometric mean ${rgeo}x)."
  ((${#cb_failures[@]})) && summary+=" Not counted: ${#cb_failures[@]} diagram(s) coursebook failed to render (${cb_failures[*]})."
fi
args=""
((runs != 3)) && args+=" --runs $runs"
((copies != 50)) && args+=" --copies $copies"
((warm_runs != 20)) && args+=" --warm-runs $warm_runs"
((skip_mmdc)) && args+=" --skip-mmdc"
((skip_warm)) && args+=" --skip-warm"
report=$(
  echo "# coursebook diagram speed"
  echo
  echo "Generated by \`bench/diagram-speed.sh$args\` on $(date -u '+%Y-%m-%d %H:%M UTC'):"
  # shellcheck disable=SC1091  # os-release is a plain KEY=value file on every Debian
  echo "$(nproc) cores (${cpu:-unknown CPU}), ${mem:-unknown memory}, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")."
  echo "coursebook $cb_version; mermaid-cli ${mmdc_version:-not measured}${chromium_version:+ with $chromium_version}."
  echo
  echo "## Per diagram"
  echo
  echo "| Diagram | Type | Nodes | mmdc ms | coursebook ms | coursebook CPU ms | Ratio |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  [[ -n $summary ]] && echo "$summary" && echo
  if [[ -z $mmdc_reason ]]; then
    echo "- mmdc ms: median wall time of $runs \`mmdc -i X.mmd -o X.svg -p puppeteer.json\` runs"
    echo "  (one theme; a new Node process and headless Chromium each time, as a peer tool that"
    echo "  shells out per diagram pays), after one untimed warm-up run."
  fi
  echo "- coursebook ms: (median build of a lesson with $copies unique copies of the diagram -"
  echo "  median build of the same lesson with \`\`\`text fences) / $copies, empty diagram cache for"
  echo "  every build, $runs runs each, interleaved. That is one diagram rendered in **both** themes,"
  echo "  so the ratio undercounts coursebook's lead by about 2x. The copies sit in one page, which"
  echo "  coursebook renders on one thread: this is single-core time. CPU ms: the same difference"
  echo "  in user + system CPU time, which other work on the machine inflates less than wall time."
  echo "- Ratio: mmdc ms / coursebook ms (wall time against wall time)."
  echo "- Nodes: a rough count (flowchart nodes, participants, states, classes, entities)."
  echo "- Diagrams: $seeds_note; flowchart-40 and flowchart-40-linked generated"
  echo "  (\`bench/diagram_tool.py flowchart 4 10 [linked]\`: 40 nodes, 4 subgraphs, ~50 edges;"
  echo "  linked adds one edge from subgraph G1 to subgraph G4);"
  echo "  the rest from bench/diagrams/. Sources and both tools' SVGs are kept in $BENCH_DIR."
  [[ -n $mmdc_reason ]] && echo "- mmdc not measured: $mmdc_reason."
  ((${#notes[@]})) && printf '%s\n' "${notes[@]}"
  if ((${#warm_lines[@]})); then
    echo
    echo "## Diagram share of a build"
    echo
    printf '%s\n' "${warm_lines[@]}"
    echo
    echo "- Median wall time of full builds (\`coursebook build --root <repo> --out <tmp>\`, output"
    echo "  deleted before each), interleaved (warm: in ABBA order) with builds of a copy of"
    echo "  content/ and book.toml whose \`\`\`mermaid fences are \`\`\`text. Share = (with - without) / with."
    echo "  Cold: each build with an empty COURSEBOOK_CACHE_DIR; warm: the cache filled by an earlier"
    echo "  build. Wall time from bash's \$EPOCHREALTIME (microseconds), CPU time (user + system, all"
    echo "  threads) from \`times\` (milliseconds). A difference of a few ms is within the noise of one"
    echo "  build on a loaded machine: a negative share means no measurable cost."
  fi
  echo
  echo "1-minute load average: $load_start at the start, $load_end at the end (on $(nproc) cores;"
  echo "anything near or above the core count means other work competed with the runs)."
)
printf '%s\n' "$report"
printf '%s\n' "$report" >"$RESULTS"
log "written to $RESULTS; work files are in $BENCH_DIR"
