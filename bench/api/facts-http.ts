/**
 * Facts over HTTP in batches of 1,000: a generated population's facts POSTed to /v1/facts (one
 * furnisher key per source, as each furnisher would), `--concurrency` batches in flight.
 * The server runs in its own process on both cores (`--cpu 0` pins it to core 0): it writes each
 * batch on a second thread while judging the next, and this client only posts bodies built before
 * the clock starts (its own CPU time is reported beside the server's).
 *
 * Usage: node …/facts-http.js [--people 5000] [--batch 1000] [--concurrency 2] [--cpu 0]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createIngest, openApp } from '../../src/app.js';
import { generateJsonl, recentEnd } from '../../src/generate/index.js';
import { benchDb, machine, ROOT } from './bench-world.js';
import { cpuOf, startChild, stopChild } from './child.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '5000' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '2' },
    cpu: { type: 'string' },
  },
});
const people = Number(values.people);
const size = Number(values.batch);

const db = join(ROOT, 'bench/out/api/facts-http.db');
mkdirSync(join(ROOT, 'bench/out/api'), { recursive: true });
await benchDb(db, 0);

// Bodies are built before the clock starts: the bench measures the server, not JSON.stringify here.
const bySource = new Map<string, unknown[]>();
let total = 0;
// The server stores facts as of its own clock, and refuses one already past its retention: the
// year of facts ends today (midnight UTC), not at the generator's fixed DEFAULT_END.
const FACTS_END = recentEnd();
// 364 days up to today, as `credence generate` does: a 365th day's wallet balances are a year old
// by the time of day the bench runs, and were refused (6 of 107,653 facts).
for (const line of generateJsonl({ people, days: 364, seed: 13, end: FACTS_END })) {
  const f = JSON.parse(line) as { source: string };
  const list = bySource.get(f.source) ?? [];
  list.push(f);
  bySource.set(f.source, list);
  total++;
}
const server = await startChild<{ url: string; furnishers: Record<string, string> }>(
  join(import.meta.dirname, 'api-child.js'),
  [db, '18093'],
  values.cpu,
);
const { child, info } = server;
const jobs: { token: string; body: string; n: number }[] = [];
for (const [source, facts] of bySource) {
  for (let i = 0; i < facts.length; i += size) {
    const chunk = facts.slice(i, i + size);
    jobs.push({
      token: info.furnishers[source] as string,
      body: JSON.stringify({ facts: chunk }),
      n: chunk.length,
    });
  }
}

let next = 0;
let accepted = 0;
const reasons = new Map<string, number>();
let rejected = 0;
const latencies: number[] = [];
const worker = async (): Promise<void> => {
  while (next < jobs.length) {
    const job = jobs[next++] as (typeof jobs)[number];
    const t = performance.now();
    const res = await fetch(`${info.url}/v1/facts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' },
      body: job.body,
    });
    const r = (await res.json()) as {
      counts?: { accepted: number; rejected: number };
      results?: { status: string; code?: string; reason?: string }[];
    };
    for (const x of r.results ?? []) {
      if (x.status === 'rejected') reasons.set(x.code ?? '?', (reasons.get(x.code ?? '?') ?? 0) + 1);
    }
    latencies.push(performance.now() - t);
    if (res.status !== 200 || !r.counts)
      throw new Error(`batch refused: ${res.status} ${JSON.stringify(r).slice(0, 300)}`);
    accepted += r.counts.accepted;
    rejected += r.counts.rejected;
  }
};
const cpu0 = await cpuOf(server);
const client0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
const seconds = (performance.now() - t0) / 1000;
const serverCpuSeconds = ((await cpuOf(server)) - cpu0) / 1e6;
const client = process.cpuUsage(client0);
const clientCpuSeconds = (client.user + client.system) / 1e6;
await stopChild(child);

// The same facts, same batches, through the ingest pipeline alone (no HTTP) in this process, in
// a fresh database: what HTTP adds is the server's CPU time per fact minus this one's.
const pipeDb = join(ROOT, 'bench/out/api/facts-pipeline.db');
await benchDb(pipeDb, 0);
const pipeApp = await openApp(pipeDb);
const pipeline = createIngest(pipeApp, { batchSize: 10_000 });
const pipeBatches = jobs.map((j) =>
  (JSON.parse(j.body) as { facts: unknown[] }).facts.map((f, k) => ({
    file: 'bench',
    line: k + 1,
    text: JSON.stringify(f),
  })),
);
const pc0 = process.cpuUsage();
const pt0 = performance.now();
for (const b of pipeBatches) await pipeline.ingestBatch(b);
const pipeSeconds = (performance.now() - pt0) / 1000;
const pc = process.cpuUsage(pc0);
const pipeCpuSeconds = (pc.user + pc.system) / 1e6;
await pipeApp.close();

latencies.sort((a, b) => a - b);
const report = {
  bench: 'facts-http',
  command: `node bench/out/api/dist/bench/api/facts-http.js --people ${people} --batch ${size} --concurrency ${values.concurrency}${values.cpu !== undefined ? ` --cpu ${values.cpu}` : ''}`,
  serverPinnedTo: values.cpu ?? null,
  machine: await machine(),
  loadAverage: (await import('node:os')).loadavg()[0],
  facts: total,
  batches: jobs.length,
  accepted,
  rejected,
  rejectedBy: Object.fromEntries(reasons),
  seconds,
  factsPerSecond: total / seconds,
  serverCpuSeconds,
  clientCpuSeconds,
  factsPerServerCpuSecond: total / serverCpuSeconds,
  pipelineAlone: {
    seconds: pipeSeconds,
    cpuSeconds: pipeCpuSeconds,
    factsPerSecond: total / pipeSeconds,
    factsPerCpuSecond: total / pipeCpuSeconds,
    accepted: pipeline.counts.accepted,
  },
  /** Server CPU per fact over HTTP ÷ pipeline CPU per fact: 1.0 would mean HTTP costs nothing. */
  httpCpuFactor: serverCpuSeconds / pipeCpuSeconds,
  batchP50ms: latencies[Math.floor(latencies.length * 0.5)],
  batchP99ms: latencies[Math.floor(latencies.length * 0.99)],
};
writeFileSync(join(ROOT, 'bench/out/api/facts-http.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `${total} facts in ${jobs.length} batches of ≤${size}: ${seconds.toFixed(2)} s, ${report.factsPerSecond.toFixed(0)} facts/s (accepted ${accepted}, rejected ${rejected}); batch p50 ${report.batchP50ms?.toFixed(1)} ms p99 ${report.batchP99ms?.toFixed(1)} ms (load average ${report.loadAverage?.toFixed(1)})\n` +
    `server CPU ${serverCpuSeconds.toFixed(2)} s, client CPU ${clientCpuSeconds.toFixed(2)} s (${report.factsPerServerCpuSecond.toFixed(0)} facts per CPU-second); pipeline alone ${pipeSeconds.toFixed(2)} s wall, ${pipeCpuSeconds.toFixed(2)} s CPU (${report.pipelineAlone.factsPerCpuSecond.toFixed(0)} facts per CPU-second, accepted ${pipeline.counts.accepted}); HTTP CPU factor ${report.httpCpuFactor.toFixed(2)}\n`,
);
