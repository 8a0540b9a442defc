// The seals' part of `credence audit verify` (facts, consent rows, rulebooks, ledger, cached
// scores recomputed from the rows) on one thread and on worker threads, interleaved run by run on
// the same database, so the ratio holds on a shared machine. Run `npm run build` first.
//   node bench/cli/seal-verify.mjs DB [workers=2] [runs=3]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { verifySealsOf } from '../../dist/store/sqlite/seals-file.js';

const db = resolve(process.argv[2] ?? '');
if (!existsSync(db)) throw new Error(`no database at ${db}`);
const workers = Number(process.argv[3] ?? 2);
const runs = Number(process.argv[4] ?? 3);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const times = { 1: [], [workers]: [] };
let rows;
for (let r = 0; r < runs; r++) {
  for (const w of [1, workers]) {
    const t0 = performance.now();
    const c0 = cpu();
    const report = await verifySealsOf(db, { workers: w });
    const wall = (performance.now() - t0) / 1000;
    if (!report?.ok) throw new Error(`verify failed: ${JSON.stringify(report)}`);
    rows = Object.values(report.derived).reduce((n, x) => n + x, report.facts);
    times[w].push(wall);
    console.error(
      `run ${r + 1}, ${w} thread(s): ${wall.toFixed(2)} s wall, ${(cpu() - c0).toFixed(2)} s CPU (this process)`,
    );
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const one = median(times[1]);
const many = median(times[workers]);
console.log(
  `${rows} sealed rows; one thread ${one.toFixed(2)} s (${((one / rows) * 1e6).toFixed(2)} µs a row), ` +
    `${workers} workers ${many.toFixed(2)} s: ${(one / many).toFixed(2)} × faster (median of ${runs}, load ${loadavg()[0].toFixed(1)})`,
);
