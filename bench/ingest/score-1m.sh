#!/usr/bin/env bash
# `credence score` on a database of 1M people: builds it once (1M people over 30 days, about 3M
# facts), then times 20 score commands on people spread over the id range.
#   bash bench/ingest/score-1m.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/../.."
people="${1:-1000000}"
out=bench/out
mkdir -p "$out"
db="$out/people-$people.db"
if [ ! -s "$db" ]; then
  facts="$out/facts-$people-30d.jsonl"
  [ -s "$facts" ] || node bin/credence.js generate --people "$people" --days 30 > "$facts"
  node bin/credence.js init --db "$db" > /dev/null
  for p in examples/programs/*.yaml; do node bin/credence.js program load "$p" --db "$db" > /dev/null; done
  node bin/credence.js ingest "$facts" --db "$db" --json
fi
# A database built by an older revision is upgraded first (init applies the missing migrations).
node bin/credence.js init --db "$db" > /dev/null
node -e "
  const D = require('better-sqlite3'); const d = new D('$db', { readonly: true });
  console.log('subjects:', d.prepare('SELECT count(*) n FROM subjects').get().n, 'facts:', d.prepare('SELECT count(*) n FROM facts').get().n);"
/usr/bin/time -f 'node -e 0: %e s wall' node -e 0
for i in $(seq 1 20); do
  id=$(printf 'P%07d' $(( (i * 48611) % people + 1 )))
  /usr/bin/time -f "%e s wall, %U s user, %M KB" node bin/credence.js score "$id" --program marketplace \
    --as-of 2026-11-01T00:00:00Z --db "$db" --json > /dev/null
done 2>&1 | sort -n | awk '{ print } END { }'
