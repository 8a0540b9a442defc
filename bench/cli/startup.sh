#!/usr/bin/env bash
# CLI start-up cost (issues #3 and #5): CPU time (user + system) per call of the real binary —
# `credence --version`, `credence score`, `credence import --dry-run` of a tiny delta and a real
# re-import of it (all duplicates: start-up, opening and the ingest pipeline's loading, no writes) —
# against bare `node -e 0` measured in the same run. Calls are interleaved (one of each per round)
# and pinned to one core, so a change of load hits every command alike; the ratio to `node -e 0`
# is the figure to compare across runs.
#   npx tsc -p tsconfig.build.json && bash bench/cli/startup.sh [ROUNDS]     (default 15)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-15}"
core="${CREDENCE_BENCH_CORE:-1}"
out=bench/out/cli-startup
mkdir -p "$out"
db="$out/startup.db"
delta=examples/sources/samples/court-delta-2026-07.csv
cli="node bin/credence.js"
if [ ! -s "$db" ]; then
  # 2,000 generated people over 30 days and the sample court list: small, so that what is timed
  # is start-up and opening, not the query (a person is one index look-up at any size).
  $cli init --db "$db" > /dev/null
  for p in examples/programs/*.yaml; do $cli program load "$p" --db "$db" > /dev/null; done
  $cli generate --people 2000 --days 30 --seed 3 > "$out/facts.jsonl"
  $cli ingest "$out/facts.jsonl" --db "$db" --json > /dev/null
  $cli import court examples/sources/samples/court-2026-06.csv --db "$db" --json > /dev/null || true
  $cli import court "$delta" --mode delta --db "$db" --json > /dev/null || true
fi
# A database built by an older revision is upgraded first (init applies the missing migrations).
$cli init --db "$db" > /dev/null

names=(node-e-0 version score import-dry-run import-noop)
cmds=(
  "node -e 0"
  "$cli --version"
  "$cli score P0000001 --program marketplace --as-of 2026-11-01T00:00:00Z --db $db --json"
  "$cli import court $delta --mode delta --dry-run --db $db --json"
  "$cli import court $delta --mode delta --db $db --json"
)
# Each command once, untimed: it must succeed (a refused row would still exit non-zero).
for i in "${!cmds[@]}"; do
  if ! ${cmds[$i]} > /dev/null 2> "$out/err"; then
    echo "failed: ${cmds[$i]}" >&2
    cat "$out/err" >&2
    exit 1
  fi
done

samples="$out/samples.txt"
: > "$samples"
TIMEFORMAT='%3R %3U %3S'
for r in $(seq 1 "$rounds"); do
  for i in "${!cmds[@]}"; do
    t=$({ time taskset -c "$core" ${cmds[$i]} > /dev/null 2>&1; } 2>&1)
    echo "${names[$i]} $t" >> "$samples"
  done
done

echo "rev $(git rev-parse --short HEAD 2>/dev/null || echo '(no git)')$(git diff --quiet HEAD -- src bin 2>/dev/null || echo '+dirty'), $rounds rounds, core $core, $(uptime | sed 's/.*load/load/')"
printf '%-16s %10s %10s %10s %12s\n' command 'cpu med' 'cpu min' 'wall med' 'cpu/node-e-0'
base=""
for n in "${names[@]}"; do
  cpu=$(awk -v n="$n" '$1 == n { print $3 + $4 }' "$samples" | sort -n)
  wall=$(awk -v n="$n" '$1 == n { print $2 }' "$samples" | sort -n)
  med=$(echo "$cpu" | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')
  min=$(echo "$cpu" | head -1)
  wmed=$(echo "$wall" | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')
  [ -z "$base" ] && base="$med"
  printf '%-16s %9.3fs %9.3fs %9.3fs %11.2fx\n' "$n" "$med" "$min" "$wmed" "$(awk -v a="$med" -v b="$base" 'BEGIN { print a / b }')"
done
