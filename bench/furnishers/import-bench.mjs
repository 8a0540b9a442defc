// Import throughput of `credence import` (the real binary, a real SQLite file):
//   1. a court-list snapshot of ROWS rows into a fresh database (city-civic loaded);
//   2. the same snapshot again (a no-op re-import);
//   3. a delta of DELTA rows (listings, updates, removals) on top.
// Run `npm run build` first.   taskset -c 1 node bench/furnishers/import-bench.mjs [rows=1000000] [delta=10000]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { courtListDelta, courtListSnapshot } from '../../dist/ingest/sources/samples/index.js';
import { writeCsv } from './write-csv.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const rows = Number(process.argv[2] ?? 1_000_000);
const deltaRows = Number(process.argv[3] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'credence-import-bench-'));
const db = join(dir, 'bench.db');
const opts = { rows, people: rows * 2, seed: 7 };

// The machine is shared: CPU time (user + system, from /usr/bin/time) is what wall time would be
// on an idle core; wall time is reported beside it.
function cli(args) {
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'CPU %U %S', process.execPath, join(ROOT, 'bin/credence.js'), ...args, '--db', db],
    {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`credence ${args.join(' ')}: ${r.stderr}`);
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  const cpu = m ? Number(m[1]) + Number(m[2]) : Number.NaN;
  return { seconds: Math.round(seconds * 1000) / 1000, cpu: Math.round(cpu * 100) / 100, out: r.stdout };
}

try {
  const snap = join(dir, 'court.csv');
  const delta = join(dir, 'court-delta.csv');
  await writeCsv(snap, courtListSnapshot(opts, 1));
  await writeCsv(delta, courtListDelta(opts), deltaRows);
  cli(['init']);
  cli(['program', 'load', join(ROOT, 'examples/programs/city-civic.yaml')]);
  const first = cli(['import', 'court', snap, '--json']);
  const again = cli(['import', 'court', snap, '--json']);
  const d = cli(['import', 'court', delta, '--mode', 'delta', '--json']);
  const pick = (r) => {
    const j = JSON.parse(r.out);
    return {
      cpuSeconds: r.cpu,
      wallSeconds: r.seconds,
      importSeconds: j.seconds,
      rows: j.rows,
      facts: j.facts,
      accepted: j.accepted,
      duplicates: j.duplicates,
      refused: j.refused,
    };
  };
  const result = {
    bench: 'furnishers/import',
    command: `taskset -c 1 node bench/furnishers/import-bench.mjs ${rows} ${deltaRows}`,
    node: process.version,
    snapshotBytes: statSync(snap).size,
    snapshot: pick(first),
    reimport: pick(again),
    delta: pick(d),
  };
  mkdirSync(join(ROOT, 'bench/out/furnishers'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/out/furnishers/import.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
