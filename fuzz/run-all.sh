#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 120) each, one after the other, on its corpus
# in fuzz/corpus/<target>, and prints a Markdown table: target, executions, exec/s, corpus
# size, crashes (inputs left in fuzz/artifacts/<target>/). See fuzz/README.md.
# Usage: fuzz/run-all.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter markdown quiz book_toml mojibake console mermaid_prepare proxy_request)
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none --fuzz-dir . >/dev/null 2>&1 || cargo fuzz build -s none --fuzz-dir .
echo "| Target | Seconds | Executions | Exec/s | Corpus | Crashes |"
echo "|---|---:|---:|---:|---:|---:|"
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log=$(mktemp)
  cargo fuzz run -s none --fuzz-dir . "$target" -- -max_total_time="$seconds" \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$log" 2>&1 || true
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  corpus=$(find "corpus/$target" -type f | wc -l)
  crashes=$(find "artifacts/$target" -type f | wc -l)
  echo "| $target | $seconds | $runs | $speed | $corpus | $crashes |"
  if [ "$crashes" -gt 0 ]; then grep -m1 -A3 "panicked\|ERROR: libFuzzer" "$log" >&2 || true; fi
  rm -f "$log"
done
