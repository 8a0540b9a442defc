/**
 * Runs every engine benchmark of issue #2, each in its own process (clean peak RSS, no JIT or
 * heap state carried between benches), pinned to one core with taskset when it is available,
 * then prints a summary of the figures.
 *
 *   npm run bench:engine                      # the full run (several minutes)
 *   npm run bench:engine -- --quick           # small sizes, a smoke test of the harness
 *   npm run bench:engine -- --only rule-evaluation
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './bench-data.js';
import { machine, OUT_DIR, revision } from './report.js';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const core = process.env.CREDENCE_BENCH_CORE ?? '1';
const pin = spawnSync('taskset', ['-c', core, 'true']).status === 0;
const here = fileURLToPath(new URL('.', import.meta.url));

const steps: { name: string; file: string; args: string[]; quickArgs: string[] }[] = [
  {
    name: 'cel-libraries',
    file: 'cel-libraries.js',
    args: [],
    quickArgs: ['--facts', '50000', '--rounds', '3'],
  },
  {
    name: 'rule-evaluation',
    file: 'rule-evaluation.js',
    args: [],
    quickArgs: ['--facts', '100000', '--subset', '10000', '--rounds', '1'],
  },
  {
    name: 'ledger-breakdown',
    file: 'ledger-breakdown.js',
    args: [],
    quickArgs: ['--facts', '100000', '--rounds', '1'],
  },
  { name: 'full-recompute', file: 'full-recompute.js', args: [], quickArgs: ['--people', '20000'] },
  {
    name: 'full-recompute-bulk',
    file: 'full-recompute.js',
    args: ['--path', 'bulk'],
    quickArgs: ['--people', '20000', '--path', 'bulk'],
  },
  {
    name: 'score-latency',
    file: 'score-latency.js',
    args: [],
    quickArgs: ['--people', '5000', '--samples', '50000'],
  },
];

console.log(`# Credence engine benchmarks${quick ? ' (quick sizes: not the published figures)' : ''}`);
console.log(`machine: ${machine()}`);
const rev = revision();
console.log(`revision: ${rev} (compiled just before this run)`);
console.log(
  pin ? `each bench pinned to core ${core} (taskset)` : 'taskset not available: benches not pinned',
);
const failed: string[] = [];
for (const s of steps.filter((x) => !only || x.name === only)) {
  rmSync(join(REPO_ROOT, OUT_DIR, `${s.name}.json`), { force: true });
  const nodeArgs = [join(here, s.file).replace(REPO_ROOT, ''), ...(quick ? s.quickArgs : s.args)];
  const [cmd, args] = pin
    ? ['taskset', ['-c', core, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const r = spawnSync(cmd, args, {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, CREDENCE_BENCH_REVISION: rev, ...(pin ? { CREDENCE_BENCH_PINNED: core } : {}) },
  });
  if (r.status !== 0) failed.push(`${s.name} (exit ${r.status ?? r.signal})`);
}

const read = (name: string): unknown => {
  const f = join(REPO_ROOT, OUT_DIR, `${name}.json`);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
};
console.log(`\n# Summary (figures also in ${OUT_DIR}/*.json)`);
const rule = read('rule-evaluation') as
  | { verdicts: { what: string; ratio: number; target: string; pass: boolean }[] }
  | undefined;
for (const v of rule?.verdicts ?? [])
  console.log(`- ${v.what}: ${v.ratio.toFixed(1)}× (target ${v.target}: ${v.pass ? 'met' : 'MISSED'})`);
for (const name of ['full-recompute', 'full-recompute-bulk']) {
  const r = read(name) as
    | {
        path: string;
        people: number;
        wallSeconds: number;
        cpuSeconds: number;
        engineSeconds: number;
        maxRssMiB: number;
      }
    | undefined;
  if (r) {
    console.log(
      `- full recompute via ${r.path}, ${r.people} people: wall ${r.wallSeconds.toFixed(1)} s ` +
        `(CPU ${r.cpuSeconds.toFixed(1)} s, engine part ${r.engineSeconds.toFixed(1)} s; ` +
        `target < 60 s: ${r.wallSeconds < 60 ? 'met' : 'MISSED'}), ` +
        `peak RSS ${r.maxRssMiB.toFixed(0)} MiB (target < 2048: ${r.maxRssMiB < 2048 ? 'met' : 'MISSED'})`,
    );
  }
}
const lat = read('score-latency') as
  | { rows: { rulebook: string; p50us: number; p99us: number; p999us: number }[] }
  | undefined;
for (const r of lat?.rows ?? []) {
  console.log(
    `- PersonState.score, ${r.rulebook}: p50 ${r.p50us.toFixed(1)} µs, p99 ${r.p99us.toFixed(1)} µs, ` +
      `p999 ${r.p999us.toFixed(1)} µs (target p99 < 20 µs: ${r.p99us < 20 ? 'met' : 'MISSED'})`,
  );
}
if (failed.length > 0) {
  console.log(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
