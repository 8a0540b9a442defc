/**
 * The score route's own CPU cost, in-process and without sockets: `server.inject` of
 * `GET /v1/persons/{s}/score` against `GET /health` in the same process and run, rounds of each
 * alternating, people already in memory (the steady state of score-http). The difference is what
 * the route adds (auth, validation, scoring, the audit append, serialisation) over Fastify's
 * request cycle; neighbours on the machine disturb it far less than a socket bench.
 *
 * Usage: taskset -c 1 node bench/out/api/dist/bench/api/score-inject.js [--people 500] [--requests 20000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openApi } from '../../src/api/index.js';
import { benchDb, machine, ROOT } from './bench-world.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '500' },
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '50' },
  },
});
const people = Number(values.people);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const out = join(ROOT, 'bench/out/api');
mkdirSync(out, { recursive: true });
const path = join(out, 'score-inject.db');
const { subjects } = await benchDb(path, people);
const api = await openApi(path);
const rp = await api.ctx.auth.issue({
  role: 'relying-party',
  name: 'bench',
  purposes: ['tenancy'],
  rate: 10_000_000,
});
const headers = { authorization: `Bearer ${rp.token}` };
const urls = subjects.map(
  (_, k) =>
    `/v1/persons/${subjects[(k * 7919) % subjects.length]}/score?program=${k % 2 ? 'marketplace' : 'city-civic'}&purpose=tenancy`,
);

const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** `n` requests, `concurrency` in flight (so the audit log's group commit sees groups). */
async function round(n: number, url: (i: number) => string): Promise<number> {
  let next = 0;
  let bad = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const r = await api.server.inject({ method: 'GET', url: url(i), headers });
      if (r.statusCode !== 200 && bad++ === 0) console.error(r.statusCode, r.body.slice(0, 400));
    }
  };
  const t = cpu();
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (bad > 0) throw new Error(`${bad} answers were not 200`);
  return (cpu() - t) / n;
}

const score = (i: number): string => urls[i % urls.length] as string;
const health = (): string => '/health';
// Every person once (first queries), then warm-up of both.
await round(urls.length, score);
await round(5000, score);
await round(5000, health);
const rounds = 5;
const s: number[] = [];
const h: number[] = [];
for (let k = 0; k < rounds; k++) {
  s.push(await round(requests / rounds, score));
  h.push(await round(requests / rounds, health));
}
await api.close();
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
const report = {
  bench: 'score-inject',
  command: `taskset -c 1 node bench/out/api/dist/bench/api/score-inject.js --people ${people} --requests ${requests} --concurrency ${concurrency}`,
  machine: await machine(),
  loadAverage: loadavg()[0] ?? 0,
  scoreUs: median(s),
  healthUs: median(h),
  routeUs: median(s) - median(h),
  rounds: { score: s, health: h },
};
writeFileSync(join(out, 'score-inject.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `inject GET …/score ${report.scoreUs.toFixed(1)} µs CPU/req, GET /health ${report.healthUs.toFixed(1)} µs; the route adds ${report.routeUs.toFixed(1)} µs (medians of ${rounds} rounds, load average ${report.loadAverage.toFixed(1)})\n`,
);
