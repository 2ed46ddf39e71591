#!/usr/bin/env bash
# Snippet-verification benchmark: `coursebook verify` against plain `docker run` loops on the
# same synthetic snippets. Run with --help for usage. Writes only under $BENCH_DIR, plus
# bench/verify-results.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/verify-speed.sh [options]

Generates a synthetic course of one-line `sh {verify}` snippets (`echo hello N`, 10 per
lesson) and measures, side by side on the same engine:

  a  coursebook verify --no-cache          one fresh container per snippet
  b  coursebook verify --no-cache          the same snippets tagged session=lesson: one
                                           container per lesson, its blocks run in it in order
  c  a shell loop of docker run --rm       one container per snippet, one at a time
  d  xargs -P N docker run --rm            the same, N at a time
  e  coursebook verify                     again, nothing changed: every snippet cached

The docker run commands get the limits coursebook gives its containers (no network, 256 MiB
memory and swap, 1 CPU, 256 processes), so both sides ask the engine for the same thing.
Then a profile of one container's life through the Engine API (curl on the socket): the
calls coursebook makes for an independent snippet (create, start, exec, inspect, remove)
against a container that runs the snippet as its own command (create, start, wait,
remove), and an exec in a container that is already running (a session's later blocks).

Prints a Markdown report and writes it to bench/verify-results.md (overwritten; a section
headed "## Findings" in the old file is kept, below the new numbers).

Options:
  --snippets N     Snippets in the course (default: 200)
  --per-lesson N   Snippets per lesson, so per session in (b) (default: 10)
  --parallel N     docker run commands at once in (d) (default: 8)
  --jobs N         Passed to coursebook verify --jobs (default: coursebook's own, twice the
                   number of cores)
  --runs N         Rounds of (a) to (e); each figure is the median (default: 1)
  --profile N      Containers per lifecycle in the API profile (default: 20; 0 = no profile)
  --image NAME     Image to run in (default: local/busybox; scripts/test makes it)
  -h, --help       Show this help

Environment:
  BENCH_DIR    Work folder (default: /tmp/coursebook-bench); the course is generated into
               $BENCH_DIR/verify-N, verify's cache is kept in $BENCH_DIR/verify-N/cache
  COURSEBOOK   coursebook binary (default: <repo>/target/release/coursebook;
               build it first with `cargo build --release`)
  DOCKER_HOST  As for docker and coursebook (the profile needs the local socket)
EOF
}

# EPOCHREALTIME and printf %f must use a decimal point whatever the user's locale.
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/coursebook-bench}
COURSEBOOK=${COURSEBOOK:-$REPO/target/release/coursebook}
RESULTS="$SCRIPT_DIR/verify-results.md"

snippets=200
per_lesson=10
parallel=8
jobs=""
runs=1
profile=20
image=local/busybox
while (($#)); do
  case $1 in
    --snippets) snippets=${2:?--snippets needs a number}; shift ;;
    --snippets=*) snippets=${1#*=} ;;
    --per-lesson) per_lesson=${2:?--per-lesson needs a number}; shift ;;
    --per-lesson=*) per_lesson=${1#*=} ;;
    --parallel) parallel=${2:?--parallel needs a number}; shift ;;
    --parallel=*) parallel=${1#*=} ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift ;;
    --jobs=*) jobs=${1#*=} ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --runs=*) runs=${1#*=} ;;
    --profile) profile=${2:?--profile needs a number}; shift ;;
    --profile=*) profile=${1#*=} ;;
    --image) image=${2:?--image needs an image name}; shift ;;
    --image=*) image=${1#*=} ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for v in snippets per_lesson parallel runs; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "--${v//_/-} must be a positive number" >&2; exit 2; }
done
[[ $profile =~ ^[0-9]+$ ]] || { echo "--profile must be a whole number" >&2; exit 2; }
[[ -z $jobs || $jobs =~ ^[1-9][0-9]*$ ]] || { echo "--jobs must be a positive number" >&2; exit 2; }
# The work folder is deleted and recreated under BENCH_DIR: keep that away from the
# repository (and from /), so a mistyped variable cannot wipe real files.
case $BENCH_DIR in
  "$REPO"|"$REPO"/*|/|"") echo "BENCH_DIR must be outside the repository: $BENCH_DIR" >&2; exit 2 ;;
esac

log() { printf '==> %s\n' "$*" >&2; }

# --- Prerequisites ------------------------------------------------------------
if [[ ! -x $COURSEBOOK ]]; then
  echo "coursebook binary not found at $COURSEBOOK" >&2
  echo "build it first (cd $REPO && cargo build --release) or set COURSEBOOK=/path/to/coursebook" >&2
  exit 1
fi
command -v docker >/dev/null || { echo "docker is required (apt-get install docker.io)" >&2; exit 1; }
docker_version=$(docker version --format '{{.Server.Version}}' 2>/dev/null) \
  || { echo "the Docker engine does not answer: start dockerd (scripts/test does)" >&2; exit 1; }
docker image inspect "$image" >/dev/null 2>&1 \
  || { echo "image $image is not on the engine: scripts/test makes local/busybox (from busybox-static)" >&2; exit 1; }
SOCKET=""
if ((profile > 0)); then
  sock=${DOCKER_HOST:-unix:///var/run/docker.sock}
  if [[ $sock == unix://* ]] && [[ -S ${sock#unix://} ]] && command -v curl >/dev/null; then
    SOCKET=${sock#unix://}
  else
    log "no API profile: it needs curl and the engine's local socket ($sock)"
    profile=0
  fi
fi

load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="$load_start" -v c="$(nproc)" 'BEGIN {exit !(l + 0 > c / 2)}'; then
  log "warning: load average is $load_start on $(nproc) cores; other work will make timings noisy"
fi

version=$("$COURSEBOOK" --version | awk '{print $NF}')
if rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null); then
  # Results from a dirty tree are not reproducible from the commit alone: say so.
  [[ -n $(git -C "$REPO" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null) ]] && rev+="+dirty"
  version+=" ($rev)"
fi

# --- The course -----------------------------------------------------------------
WORK="$BENCH_DIR/verify-$snippets"
rm -rf "$WORK"
mkdir -p "$WORK/logs"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
WORK="$BENCH_DIR/verify-$snippets"
LOGS="$WORK/logs"
lessons=$(((snippets + per_lesson - 1) / per_lesson))

# Writes course $1 with each block tagged `{verify$2}` ($2 is "" or " session=s").
make_course() {
  local dir=$1 tag=$2 n=0 lesson block file fence='```'
  mkdir -p "$dir/content/01-bench"
  printf '[book]\ntitle = "Verify benchmark"\n\n[verify]\nimage = "%s"\n' "$image" >"$dir/book.toml"
  for ((lesson = 1; lesson <= lessons; lesson++)); do
    file=$(printf '%s/content/01-bench/%02d-lesson-%02d.md' "$dir" "$lesson" "$lesson")
    {
      printf '# Lesson %d\n\n' "$lesson"
      for ((block = 0; block < per_lesson && n < snippets; block++)); do
        n=$((n + 1))
        printf '%ssh {verify%s}\necho hello %d\n%s\n\n' "$fence" "$tag" "$n" "$fence"
      done
    } >"$file"
  done
}
make_course "$WORK/independent" ""
make_course "$WORK/sessions" " session=s"
for ((i = 1; i <= snippets; i++)); do echo "echo hello $i"; done >"$WORK/commands.txt"
log "$snippets snippets in $lessons lessons under $WORK"

# --- Timing -------------------------------------------------------------------
RUN_ARGS=(--rm --network none --memory 256m --memory-swap 256m --cpus 1 --pids-limit 256)
export COURSEBOOK_CACHE_DIR="$WORK/cache"

now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", b - a}'; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# Runs coursebook verify on course $1 with extra arguments, logging to $2; prints seconds.
# Fails unless every snippet passed; with "cached" as $3, unless every one was cached.
time_verify() {
  local dir=$1 logf=$2 want=$3 started secs summary
  shift 3
  started=$(now)
  if ! "$COURSEBOOK" verify --root "$dir" ${jobs:+--jobs "$jobs"} "$@" >"$logf" 2>&1; then
    echo "coursebook verify failed on $dir; last lines of $logf:" >&2
    tail -n 20 "$logf" >&2
    return 1
  fi
  secs=$(since "$started")
  summary=$(grep '^verified ' "$logf" | tail -n 1)
  [[ $summary == "verified $snippets snippets in "*": $snippets pass" ]] \
    || { echo "unexpected summary in $logf: $summary" >&2; return 1; }
  if [[ $want == cached ]] && (($(grep -c '(cached)$' "$logf") != snippets)); then
    echo "not every snippet was cached on the second run (see $logf)" >&2
    return 1
  fi
  printf '%s' "$secs"
}

time_loop() {
  local started failed=0 cmd
  started=$(now)
  while IFS= read -r cmd; do
    docker run "${RUN_ARGS[@]}" "$image" sh -c "$cmd" >>"$LOGS/loop.log" 2>&1 || failed=$((failed + 1))
  done <"$WORK/commands.txt"
  ((failed == 0)) || { echo "$failed docker run commands failed in the loop (see $LOGS/loop.log)" >&2; return 1; }
  since "$started"
}

time_xargs() {
  local started
  started=$(now)
  # Each line becomes the last argument: docker run ... sh -c 'echo hello N'.
  xargs -d '\n' -P "$parallel" -n 1 docker run "${RUN_ARGS[@]}" "$image" sh -c \
    <"$WORK/commands.txt" >>"$LOGS/xargs.log" 2>&1 \
    || { echo "some docker run commands failed under xargs (see $LOGS/xargs.log)" >&2; return 1; }
  since "$started"
}

# One untimed container first, so no method pays for a cold image or engine cache.
docker run "${RUN_ARGS[@]}" "$image" true

declare -A secs=()
for ((round = 1; round <= runs; round++)); do
  log "round $round of $runs"
  s=$(time_loop); secs[loop]+="$s "; log "c  docker run loop: $s s"
  s=$(time_xargs); secs[xargs]+="$s "; log "d  xargs -P $parallel docker run: $s s"
  s=$(time_verify "$WORK/independent" "$LOGS/verify-$round.log" all --no-cache)
  secs[verify]+="$s "; log "a  coursebook verify --no-cache: $s s"
  s=$(time_verify "$WORK/sessions" "$LOGS/sessions-$round.log" all --no-cache)
  secs[sessions]+="$s "; log "b  coursebook verify --no-cache, sessions: $s s"
  # A cold cache, filled by one full run, then the run that should find everything in it.
  rm -rf "$COURSEBOOK_CACHE_DIR"
  s=$(time_verify "$WORK/independent" "$LOGS/fill-$round.log" all)
  secs[fill]+="$s "; log "   coursebook verify, cache empty: $s s"
  s=$(time_verify "$WORK/independent" "$LOGS/cached-$round.log" cached)
  secs[cached]+="$s "; log "e  coursebook verify, nothing changed: $s s"
done

med() { tr ' ' '\n' <<<"${secs[$1]}" | grep . | median; }
rate() { awk -v n="$snippets" -v s="$1" 'BEGIN {printf "%.1f", (s > 0) ? n / s : 0}'; }

# --- Profile ------------------------------------------------------------------
# Milliseconds of each Engine API call, curl on the socket, one container at a time.
api() {
  local method=$1 path=$2 body=${3:-}
  curl -sS --unix-socket "$SOCKET" -X "$method" ${body:+-H 'Content-Type: application/json' -d "$body"} \
    -o "$WORK/api.out" -w '%{time_total}' "http://engine$path"
}
api_id() { grep -o '"Id":"[0-9a-f]*"' "$WORK/api.out" | cut -d'"' -f4; }
ms() { awk -v s="$1" 'BEGIN {printf "%.0f", s * 1000}'; }

declare -A step=()
limits='"NetworkDisabled":true,"HostConfig":{"Memory":268435456,"MemorySwap":268435456,"NanoCpus":1000000000,"PidsLimit":256,"NetworkMode":"none"}'
idle='["sh","-c","trap '"'"'exit 0'"'"' TERM INT; while :; do sleep 1; done"]'
exec_body='{"AttachStdout":true,"AttachStderr":true,"Cmd":["sh","-c","echo hello"]}'
# Adds one call's time to its step, and to $sum, the container's engine time so far.
record() {
  local m
  m=$(ms "$2")
  step[$1]+="$m "
  sum=$((sum + m))
}
if ((profile > 0)); then
  log "profiling $profile containers per lifecycle through the API"
  for ((i = 0; i < profile; i++)); do
    # coursebook's independent snippet: an idle container, the snippet as an exec in it.
    sum=0
    record cb_create "$(api POST /containers/create "{\"Image\":\"$image\",\"Cmd\":$idle,$limits}")"; id=$(api_id)
    record cb_start "$(api POST "/containers/$id/start")"
    record cb_exec_create "$(api POST "/containers/$id/exec" "$exec_body")"; ex=$(api_id)
    record cb_exec_start "$(api POST "/exec/$ex/start" '{"Detach":false,"Tty":false}')"
    record cb_exec_inspect "$(api GET "/exec/$ex/json")"
    record cb_remove "$(api DELETE "/containers/$id?force=1&v=1")"
    step[cb_total]+="$sum "
    # The snippet as the container's own command: what docker run --rm does.
    sum=0
    record run_create "$(api POST /containers/create "{\"Image\":\"$image\",\"Cmd\":[\"sh\",\"-c\",\"echo hello\"],$limits}")"; id=$(api_id)
    record run_start "$(api POST "/containers/$id/start")"
    record run_wait "$(api POST "/containers/$id/wait")"
    record run_logs "$(api GET "/containers/$id/logs?stdout=1&stderr=1")"
    record run_remove "$(api DELETE "/containers/$id?v=1")"
    step[run_total]+="$sum "
  done
  # A session's later blocks: execs in one container that is already running.
  api POST /containers/create "{\"Image\":\"$image\",\"Cmd\":$idle,$limits}" >/dev/null; id=$(api_id)
  api POST "/containers/$id/start" >/dev/null
  for ((i = 0; i < profile; i++)); do
    sum=0
    record ex_create "$(api POST "/containers/$id/exec" "$exec_body")"; ex=$(api_id)
    record ex_start "$(api POST "/exec/$ex/start" '{"Detach":false,"Tty":false}')"
    record ex_inspect "$(api GET "/exec/$ex/json")"
    step[ex_total]+="$sum "
  done
  api DELETE "/containers/$id?force=1&v=1" >/dev/null
fi
pmed() { tr ' ' '\n' <<<"${step[$1]}" | grep . | median; }

# --- Report -------------------------------------------------------------------
loop_rate=$(rate "$(med loop)")
row() {
  local label=$1 key=$2 containers=$3 s r ratio
  s=$(med "$key")
  r=$(rate "$s")
  ratio=$(awk -v a="$r" -v b="$loop_rate" 'BEGIN {printf "%.1fx", (b > 0) ? a / b : 0}')
  # Nothing runs in a cached run: a rate would only measure start-up.
  ((containers == 0)) && r="-" ratio="-"
  printf '| %s | %s | %s | %.2f | %s | %s |\n' "$label" "$snippets" "$containers" "$s" "$r" "$ratio"
}
verdict() {
  awk -v r="$1" -v t="$2" 'BEGIN {exit !(r >= t)}' && echo "**met**" || echo "**not met**"
}
verify_rate=$(rate "$(med verify)")
session_rate=$(rate "$(med sessions)")
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
load_end=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
cb_jobs=${jobs:-$((2 * $(nproc)))}
args=""
((snippets != 200)) && args+=" --snippets $snippets"
((per_lesson != 10)) && args+=" --per-lesson $per_lesson"
((parallel != 8)) && args+=" --parallel $parallel"
[[ -n $jobs ]] && args+=" --jobs $jobs"
((runs != 1)) && args+=" --runs $runs"
[[ $image != local/busybox ]] && args+=" --image $image"
report=$(
  echo "# coursebook verify speed"
  echo
  echo "Generated by \`bench/verify-speed.sh$args\` on $(date -u '+%Y-%m-%d %H:%M UTC'):"
  # shellcheck disable=SC1091  # os-release is a plain KEY=value file on every Debian
  echo "$(nproc) cores (${cpu:-unknown CPU}), ${mem:-unknown memory}, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"),"
  echo "Docker Engine $docker_version (overlay2), image \`$image\`; coursebook $version."
  echo
  echo "$snippets one-line snippets (\`echo hello N\`), $per_lesson per lesson in $lessons lessons."
  ((runs > 1)) && echo "Each figure is the median of $runs rounds."
  echo
  echo "| Method | Snippets | Containers | Seconds | Snippets/s | vs shell loop |"
  echo "|---|---:|---:|---:|---:|---:|"
  row "(a) \`coursebook verify --no-cache\` ($cb_jobs at once)" verify "$snippets"
  row "(b) the same in sessions of $per_lesson (\`session=\`)" sessions "$lessons"
  row "(c) shell loop of \`docker run --rm\`" loop "$snippets"
  row "(d) \`xargs -P $parallel docker run --rm\`" xargs "$snippets"
  row "\`coursebook verify\`, empty cache" fill "$snippets"
  row "(e) \`coursebook verify\`, nothing changed (all cached)" cached 0
  echo
  echo "Targets: independent snippets at 6/s or more: $(verdict "$verify_rate" 6) ($verify_rate/s);"
  echo "in sessions at 20/s or more: $(verdict "$session_rate" 20) ($session_rate/s)."
  echo "A second run with nothing changed takes $(printf '%.2f' "$(med cached)") s."
  if ((profile > 0)); then
    echo
    echo "## One container's life through the Engine API"
    echo
    echo "Median milliseconds of each call over $profile containers, one at a time (curl on the"
    echo "socket, so no CLI start-up in the figures), same image and limits; total = the median of"
    echo "each container's calls added up:"
    echo
    echo "| Lifecycle | create | start | run the snippet | exit code / output | remove | total |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    echo "| coursebook, independent snippet: idle container + exec | $(pmed cb_create) | $(pmed cb_start) | $(pmed cb_exec_create) + $(pmed cb_exec_start) (exec create + start) | $(pmed cb_exec_inspect) (exec inspect) | $(pmed cb_remove) (force) | $(pmed cb_total) |"
    echo "| snippet as the container's command (\`docker run\`) | $(pmed run_create) | $(pmed run_start) | $(pmed run_wait) (wait) | $(pmed run_logs) (logs) | $(pmed run_remove) | $(pmed run_total) |"
    echo "| session block: exec in a running container | | | $(pmed ex_create) + $(pmed ex_start) | $(pmed ex_inspect) | | $(pmed ex_total) |"
  fi
  echo
  echo "Notes:"
  echo "- Wall time of the whole command, from \`EPOCHREALTIME\` in bash, including"
  echo "  coursebook's start-up, course loading and engine checks. Snippets/s = $snippets / seconds;"
  echo "  vs shell loop = snippets/s over the shell loop's."
  echo "- The \`docker run\` commands get coursebook's limits (\`${RUN_ARGS[*]}\`),"
  echo "  so both sides ask the engine for the same containers. Without \`--network none\` each"
  echo "  container also gets a bridge interface, which makes it markedly slower."
  echo "- (a), (b), (e) ran against a cache folder of their own (\`COURSEBOOK_CACHE_DIR\`); (a) and (b)"
  echo "  with \`--no-cache\`; the empty-cache run fills it and (e) finds all $snippets snippets there."
  echo "- Every method is checked: all $snippets snippets pass (exit 0) or the benchmark stops."
  echo "  Logs: $LOGS."
  echo "- 1-minute load average: $load_start at the start, $load_end at the end (on $(nproc) cores;"
  echo "  anything near or above the core count means other work competed with the runs)."
)
findings=""
if [[ -f $RESULTS ]]; then
  findings=$(awk '/^## Findings/ {keep = 1} keep' "$RESULTS")
fi
printf '%s\n' "$report"
{
  printf '%s\n' "$report"
  [[ -n $findings ]] && printf '\n%s\n' "$findings"
} >"$RESULTS"
log "written to $RESULTS; logs are in $LOGS"
