#!/usr/bin/env bash
# A court snapshot of ROWS rows imported into a fresh database by each build in turn, RUNS times,
# builds interleaved run by run (the machine is shared: compare CPU, from /usr/bin/time).
#   bash bench/furnishers/import-pair.sh ROWS RUNS BUILD_DIR [BUILD_DIR…]   (each built: npm run build)
set -euo pipefail
rows=$1; runs=$2; shift 2
here=$(cd "$(dirname "$0")/../.." && pwd)
dir=${BENCH_DIR:-/tmp/import-pair}
mkdir -p "$dir"
csv=$dir/court-$rows.csv
if [ ! -f "$csv" ]; then
  node --input-type=module -e "
    import { courtListSnapshot } from '$here/dist/ingest/sources/samples/index.js';
    import { writeCsv } from '$here/bench/furnishers/write-csv.mjs';
    await writeCsv('$csv', courtListSnapshot({ rows: $rows, people: $rows * 2, seed: 7 }, 1));"
fi
for ((i = 1; i <= runs; i++)); do
  for root in "$@"; do
    db=$dir/run.db
    rm -f "$db" "$db-wal" "$db-shm"
    node "$root/bin/credence.js" init --db "$db" >/dev/null
    node "$root/bin/credence.js" program load "$root/examples/programs/city-civic.yaml" --db "$db" >/dev/null
    /usr/bin/time -f "$root run $i: wall %e s, CPU %U+%S s, max RSS %M kB" \
      node "$root/bin/credence.js" import court "$csv" --json --db "$db" >/dev/null
  done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
