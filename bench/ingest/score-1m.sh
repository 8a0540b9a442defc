#!/usr/bin/env bash
# `credence score` on a database of 1M people: builds it once (1M people over 30 days, about 3M
# facts), then times 20 score commands on people spread over the id range, each paired with a
# bare `node -e 0` (same core, same moment), and prints medians and their ratio.
#   bash bench/ingest/score-1m.sh [PEOPLE]                 (BUILD=ingest to build through the pipeline)
# By default the database is seeded by bench/cli/seed-people.mjs (plain SQL, exact-identifier
# resolution; minutes) rather than `credence ingest` (the identity engine: over three hours on the
# shared machine); a score call reads the same rows either way.
set -euo pipefail
cd "$(dirname "$0")/../.."
people="${1:-1000000}"
core="${CREDENCE_BENCH_CORE:-1}"
out=bench/out
mkdir -p "$out"
db="$out/people-$people.db"
if [ ! -s "$db" ]; then
  facts="$out/facts-$people-30d.jsonl"
  [ -s "$facts" ] || node bin/credence.js generate --people "$people" --days 30 > "$facts"
  node bin/credence.js init --db "$db" > /dev/null
  for p in examples/programs/*.yaml; do node bin/credence.js program load "$p" --db "$db" > /dev/null; done
  if [ "${BUILD:-seed}" = ingest ]; then
    node bin/credence.js ingest "$facts" --db "$db" --json
  else
    node bench/cli/seed-people.mjs "$facts" "$db"
  fi
fi
# A database built by an older revision is upgraded first (init applies the missing migrations).
node bin/credence.js init --db "$db" > /dev/null
node -e "
  const D = require('better-sqlite3'); const d = new D('$db', { readonly: true });
  console.log('subjects:', d.prepare('SELECT count(*) n FROM subjects').get().n, 'facts:', d.prepare('SELECT max(seq) n FROM facts').get().n);"
samples=$(mktemp)
TIMEFORMAT='%3R %3U %3S'
for i in $(seq 1 20); do
  id=$(printf 'P%07d' $(( (i * 48611) % people + 1 )))
  t=$({ time taskset -c "$core" node -e 0; } 2>&1)
  echo "node $t" >> "$samples"
  t=$({ time taskset -c "$core" node bin/credence.js score "$id" --program marketplace \
    --as-of 2026-11-01T00:00:00Z --db "$db" --json > /dev/null; } 2>&1)
  echo "score $t" >> "$samples"
done
med() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
echo "$(uptime | sed 's/.*load/load/'), core $core"
for n in node score; do
  wall=$(awk -v n=$n '$1 == n { print $2 }' "$samples" | med)
  cpu=$(awk -v n=$n '$1 == n { print $3 + $4 }' "$samples" | med)
  echo "$n: wall median ${wall}s, CPU (user+sys) median ${cpu}s"
done
awk '$1 == "node" { n[++i] = $3 + $4 } $1 == "score" { s[++j] = $3 + $4 } END {
  for (k = 1; k <= i; k++) r[k] = s[k] / n[k]; asort(r); print "CPU ratio score / node -e 0 (paired, median):", r[int((i + 1) / 2)] }' "$samples"
rm -f "$samples"
