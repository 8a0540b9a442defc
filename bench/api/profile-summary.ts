/**
 * Sums a V8 `.cpuprofile` (from `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"`) by function
 * and by file, self time, over the busy samples; optionally only the last `--last-ms` before the
 * profile's end (the measured run of score-http ends right before the server stops, so
 * `--last-ms 10000` leaves out start-up, warm-up and first queries), and per request.
 *
 * Usage: node bench/out/api/dist/bench/api/profile-summary.js FILE.cpuprofile [--last-ms 10000] [--requests N] [--top 40] [--under REGEX]
 * `--under REGEX`: only samples with a frame matching REGEX on their stack (e.g. '#flush').
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'last-ms': { type: 'string' },
    requests: { type: 'string' },
    top: { type: 'string', default: '40' },
    under: { type: 'string' },
  },
});
const file = positionals[0];
if (!file)
  throw new Error(
    'usage: profile-summary.js FILE.cpuprofile [--last-ms N] [--requests N] [--top N] [--under REGEX]',
  );
const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const where = (f: Frame): string => f.url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/');
const name = (f: Frame): string => `${f.functionName || '(anonymous)'} ${where(f)}:${f.lineNumber + 1}`;

// Sample i lasts timeDeltas[i + 1] (µs); its time stamp is the running sum.
const at: number[] = [];
let t = p.startTime;
for (const d of p.timeDeltas) {
  t += d;
  at.push(t);
}
const end = at[at.length - 1] ?? p.startTime;
const from =
  values['last-ms'] !== undefined ? end - Number(values['last-ms']) * 1000 : Number.NEGATIVE_INFINITY;
const under = values.under !== undefined ? new RegExp(values.under) : undefined;

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let busy = 0;
let idle = 0;
for (let i = 0; i < p.samples.length; i++) {
  if ((at[i] as number) < from) continue;
  const d = p.timeDeltas[i + 1] ?? 0;
  const leaf = byId.get(p.samples[i] as number) as ProfileNode;
  if (leaf.callFrame.functionName === '(idle)') {
    idle += d;
    continue;
  }
  if (under) {
    let id: number | undefined = leaf.id;
    let hit = false;
    while (id !== undefined && !hit) {
      hit = under.test(name((byId.get(id) as ProfileNode).callFrame));
      id = parent.get(id);
    }
    if (!hit) continue;
  }
  busy += d;
  const k = name(leaf.callFrame);
  byFunction.set(k, (byFunction.get(k) ?? 0) + d);
  const f = where(leaf.callFrame) || leaf.callFrame.functionName;
  byFile.set(f, (byFile.get(f) ?? 0) + d);
}

const requests = values.requests !== undefined ? Number(values.requests) : undefined;
const top = Number(values.top);
const line = (k: string, us: number): string =>
  `${((100 * us) / busy).toFixed(2).padStart(6)} %  ${(us / 1000).toFixed(1).padStart(8)} ms${requests ? `  ${(us / requests).toFixed(2).padStart(7)} µs/req` : ''}  ${k}`;
const show = (title: string, m: Map<string, number>): void => {
  process.stdout.write(`--- ${title}\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${line(k, us)}\n`);
};
process.stdout.write(
  `busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms${requests ? `, ${(busy / requests).toFixed(1)} µs busy per request` : ''}${under ? ` (samples under ${under})` : ''}\n`,
);
show('self time by function', byFunction);
show('self time by file', byFile);
