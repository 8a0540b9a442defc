// A delta of DELTA rows over a court list of ROWS rows (issue #5: 10 k rows in under 1 s), the real
// binary on a real SQLite file. The listed database takes minutes to build, so it is built once
// into DIR and reused; each run imports the delta into a fresh copy of it, so every run starts
// from the same state. `node -e 0` is measured in the same run, interleaved, as the baseline.
// Run `npm run build` first. CREDENCE_ROOT=DIR[,DIR…] runs the builds in those directories instead,
// interleaved run by run, so revisions built apart are compared on the same database and load.
// By default the delta is the delta file's first DELTA rows, which are updates and removals of
// listed entries (new listings come last in the file). DELTA_SPREAD=1 takes DELTA rows spread
// evenly over the whole file instead, new listings included: those are new people to the identity
// engine, which is then restored from the store first (see BENCHMARKS.md).
//   node bench/furnishers/delta-bench.mjs [rows=1000000] [delta=10000] [runs=5] [dir=/tmp/delta-bench]
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { courtListDelta, courtListSnapshot } from '../../dist/ingest/sources/samples/index.js';
import { writeCsv } from './write-csv.mjs';

const HERE = resolve(import.meta.dirname, '../..');
const ROOTS = process.env.CREDENCE_ROOT
  ? process.env.CREDENCE_ROOT.split(',').map((d) => resolve(d))
  : [HERE];
const ROOT = ROOTS[0];
const rows = Number(process.argv[2] ?? 1_000_000);
const deltaRows = Number(process.argv[3] ?? 10_000);
const runs = Number(process.argv[4] ?? 5);
const dir = process.argv[5] ?? '/tmp/delta-bench';
const opts = { rows, people: rows * 2, seed: 7 };
const base = join(dir, `listed-${rows}.db`);
const spread = process.env.DELTA_SPREAD === '1';
const deltaCsv = join(dir, `delta-${rows}-${deltaRows}${spread ? '-spread' : ''}.csv`);
const copy = join(dir, 'run.db');

// Wall time from here, CPU (user + system of the child and its threads) from /usr/bin/time: the
// machine is shared, and CPU is what the wall time would be with nothing else running.
function timed(argv) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', ...argv], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  const cpu = m ? Number(m[1]) + Number(m[2]) : Number.NaN;
  return { wall, cpu, out: r.stdout };
}

const cliIn = (root, ...args) => timed([process.execPath, join(root, 'bin/credence.js'), ...args]);
const cli = (...args) => cliIn(ROOT, ...args);

function removeDb(path) {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
}

async function setUp() {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(base)) {
    const snap = join(dir, `court-${rows}.csv`);
    const building = join(dir, 'building.db');
    removeDb(building);
    await writeCsv(snap, courtListSnapshot(opts, 1));
    cli('init', '--db', building);
    cli('program', 'load', join(ROOT, 'examples/programs/city-civic.yaml'), '--db', building);
    const r = cli('import', 'court', snap, '--json', '--db', building);
    console.error(`built ${base}: ${r.wall.toFixed(1)} s wall, ${r.cpu.toFixed(1)} s CPU`);
    // `credence import` closed it, so the WAL is checkpointed; a copy of the main file is the state.
    if (existsSync(`${building}-wal`)) throw new Error('the built database still has a WAL');
    renameSync(building, base);
    rmSync(snap, { force: true });
  }
  if (!existsSync(deltaCsv))
    await writeCsv(deltaCsv, spread ? spreadRows(courtListDelta(opts)) : courtListDelta(opts), deltaRows);
}

/** The header, then `deltaRows` rows taken at even steps over all of `lines`' rows. */
function* spreadRows(lines) {
  const [header, ...all] = lines;
  yield header;
  const step = all.length / deltaRows;
  for (let i = 0; i < deltaRows && Math.floor(i * step) < all.length; i++) yield all[Math.floor(i * step)];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const r3 = (x) => Math.round(x * 1000) / 1000;

await setUp();
const load = [loadavg()[0]];
const bare = [];
const byRoot = ROOTS.map(() => []);
let summary;
for (let i = 0; i < runs; i++) {
  bare.push(timed([process.execPath, '-e', '0']));
  ROOTS.forEach((root, k) => {
    removeDb(copy);
    copyFileSync(base, copy);
    // The copy's pages are still dirty in the page cache: the import's checkpoint would have to
    // write them all out with its own (its fsync took 0.5 s instead of 0.2). A database at rest has none.
    const fd = openSync(copy, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    const r = cliIn(root, 'import', 'court', deltaCsv, '--mode', 'delta', '--db', copy, '--json');
    byRoot[k].push(r);
    const j = JSON.parse(r.out);
    const s = {
      rows: j.rows,
      facts: j.facts,
      accepted: j.accepted,
      duplicates: j.duplicates,
      refused: j.refused,
    };
    if (summary && JSON.stringify(s) !== JSON.stringify(summary))
      throw new Error(`${root} imported ${JSON.stringify(s)}, not ${JSON.stringify(summary)}`);
    summary = s;
  });
  load.push(loadavg()[0]);
}
removeDb(copy);
const med = (list, k) => r3(median(list.map((x) => x[k])));
const bareWall = median(bare.map((x) => x.wall));
const bareCpu = median(bare.map((x) => x.cpu));
const result = {
  bench: 'furnishers/delta',
  command: `${spread ? 'DELTA_SPREAD=1 ' : ''}node bench/furnishers/delta-bench.mjs ${rows} ${deltaRows} ${runs}`,
  node: process.version,
  listedRows: rows,
  delta: summary,
  runs,
  bareNode: { wall: r3(bareWall), cpu: r3(bareCpu) },
  builds: ROOTS.map((root, k) => {
    const list = byRoot[k];
    return {
      build: root,
      wall: { median: med(list, 'wall'), all: list.map((x) => r3(x.wall)) },
      cpu: { median: med(list, 'cpu'), all: list.map((x) => r3(x.cpu)) },
      ratio: { wall: r3(med(list, 'wall') / bareWall), cpu: r3(med(list, 'cpu') / bareCpu) },
    };
  }),
  loadAverage1m: load.map((x) => Math.round(x * 100) / 100),
};
mkdirSync(join(HERE, 'bench/out/furnishers'), { recursive: true });
writeFileSync(
  join(HERE, `bench/out/furnishers/delta${spread ? '-spread' : ''}.json`),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result, null, 2));
