/**
 * Score queries over HTTP under autocannon, against a bare node:http server returning a fixed
 * JSON body in the same run. Each server runs in its own process pinned to core 0; autocannon
 * runs here (pin this process to core 1: `taskset -c 1 node …`).
 *
 * Usage: node dist-bench/bench/api/score-http.js [--people 2000] [--seconds 10] [--connections 50]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDb, machine, ROOT } from './bench-world.js';
import { type BenchChild, cpuOf, sample, startChild, stopChild } from './child.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: autocannon ships no types
const autocannon = require('autocannon') as any;

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    cpu: { type: 'string', default: '0' },
  },
});

interface Result {
  rps: number;
  /** Server CPU time (user + system) per answered request, µs. */
  cpuPerRequestUs?: number;
  /** The server's event-loop delay during the run (ms). */
  eventLoopDelay?: { p99ms: number; maxMs: number };
  p50: number;
  p99: number;
  p999: number;
  non2xx: number;
  errors: number;
  requests: number;
}

function run(
  url: string,
  paths: string[],
  headers: Record<string, string>,
  seconds: number,
  amount?: number,
): Promise<Result> {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: Number(values.connections),
        // A fixed number of requests (every path once) instead of a duration when given.
        ...(amount !== undefined ? { amount } : { duration: seconds }),
        headers,
        requests: [
          {
            setupRequest: (req: { path: string }) => {
              req.path = paths[i++ % paths.length] as string;
              return req;
            },
          },
        ],
      },
      // biome-ignore lint/suspicious/noExplicitAny: autocannon result
      (err: Error | null, r: any) => {
        if (err) return reject(err);
        resolve({
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          p999: r.latency.p99_9 ?? r.latency.p999,
          non2xx: r.non2xx,
          errors: r.errors,
          requests: r.requests.total,
        });
      },
    );
  });
}

const db = join(ROOT, 'bench/out/api/score-http.db');
mkdirSync(join(ROOT, 'bench/out/api'), { recursive: true });
const people = Number(values.people);
const seconds = Number(values.seconds);
const t0 = performance.now();
const { subjects, facts } = await benchDb(db, people);
process.stdout.write(
  `database: ${people} people, ${facts} facts (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
);

const script = (name: string) => join(import.meta.dirname, name);
/** A measured run with the server's CPU time per request beside the rate. */
async function measured(
  server: BenchChild<{ url: string }>,
  paths: string[],
  headers: Record<string, string>,
): Promise<Result> {
  const cpu0 = await cpuOf(server);
  const r = await run(server.info.url, paths, headers, seconds);
  const after = await sample(server);
  const cpu = after.cpu - cpu0;
  return { ...r, cpuPerRequestUs: r.requests > 0 ? cpu / r.requests : 0, eventLoopDelay: after.loop };
}

const bare = await startChild<{ url: string }>(script('bare-child.js'), ['18091'], values.cpu);
await run(bare.info.url, ['/'], {}, 2);
const bareResult = await measured(bare, ['/'], {});
await stopChild(bare.child);

const api = await startChild<{ url: string; rp: string }>(script('api-child.js'), [db, '18092'], values.cpu);
// People in a fixed pseudo-random order, as relying parties ask (requests in subject order made
// consecutive audit entries land side by side in the log's by-person index: a cost real traffic
// does not get to avoid). 7919 is prime, so k * 7919 mod n visits everyone once unless n is a
// multiple of it.
const order =
  subjects.length % 7919 === 0
    ? subjects
    : subjects.map((_, k) => subjects[(k * 7919) % subjects.length] as string);
const paths = order.map(
  (s, k) => `/v1/persons/${s}/score?program=${k % 2 ? 'marketplace' : 'city-civic'}&purpose=tenancy`,
);
const headers = { authorization: `Bearer ${api.info.rp}` };
// Warm-up on a tenth of the people (the JIT compiles the hot path: otherwise the first queries
// measure V8, not the server), then every other person once: the first query per person (facts
// read from SQLite, scoring state built), which also fills the cache the measured run reads.
const warm = paths.slice(0, Math.max(1, Math.floor(paths.length / 10)));
await run(api.info.url, warm, headers, 2);
const rest = paths.slice(warm.length);
const cold0 = await cpuOf(api);
const coldRun = await run(api.info.url, rest, headers, 0, rest.length);
const cold = { ...coldRun, cpuPerRequestUs: ((await cpuOf(api)) - cold0) / Math.max(1, coldRun.requests) };
const apiResult = await measured(api, paths, headers);
await stopChild(api.child);

const ratio = apiResult.rps / bareResult.rps;
const report = {
  bench: 'score-http',
  command: `taskset -c 1 node bench/out/api/dist/bench/api/score-http.js --people ${people} --seconds ${seconds} --connections ${values.connections}`,
  machine: await machine(),
  loadAverage: (await import('node:os')).loadavg()[0],
  people,
  facts,
  connections: Number(values.connections),
  seconds,
  bare: bareResult,
  api: apiResult,
  apiFirstQueryPerPerson: cold,
  ratio,
  cpuRatio:
    apiResult.cpuPerRequestUs && bareResult.cpuPerRequestUs
      ? bareResult.cpuPerRequestUs / apiResult.cpuPerRequestUs
      : null,
};
writeFileSync(join(ROOT, 'bench/out/api/score-http.json'), `${JSON.stringify(report, null, 2)}\n`);
const row = (name: string, r: Result) =>
  `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(8)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}  server CPU ${r.cpuPerRequestUs?.toFixed(1)} µs/req${r.eventLoopDelay ? `  loop delay p99 ${r.eventLoopDelay.p99ms.toFixed(1)} ms max ${r.eventLoopDelay.maxMs.toFixed(1)} ms` : ''}`;
process.stdout.write(
  `${row('bare node:http', bareResult)}\n${row('GET …/score, 1st/person', cold)}\n${row('GET …/score (API)', apiResult)}\nAPI / bare: ${(ratio * 100).toFixed(1)}% by rate, ${((report.cpuRatio ?? 0) * 100).toFixed(1)}% by server CPU per request (load average ${report.loadAverage?.toFixed(1)})\n`,
);
