#!/usr/bin/env bash
# 10M facts streamed from one file through the real binary; reports wall time and peak RSS.
#   bash bench/ingest/stream-10m.sh [PEOPLE]   (463000 people ≈ 10M lines, ≈ 2.6 GB)
#   INGEST_ARGS="--max-identity-records none" bash bench/ingest/stream-10m.sh   (the identity engine unbounded;
#   the default holds 300,000 records)
set -euo pipefail
cd "$(dirname "$0")/../.."
people="${1:-463000}"
out=bench/out
mkdir -p "$out"
facts="$out/facts-$people.jsonl"
db="$out/stream.db"
[ -s "$facts" ] || node bin/credence.js generate --people "$people" > "$facts"
echo "lines: $(wc -l < "$facts"), bytes: $(stat -c %s "$facts")"
rm -f "$db" "$db-wal" "$db-shm"
node bin/credence.js init --db "$db" > /dev/null
for p in examples/programs/*.yaml; do node bin/credence.js program load "$p" --db "$db" > /dev/null; done
/usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KB' \
  node bin/credence.js ingest "$facts" --db "$db" --json ${INGEST_ARGS:-}
