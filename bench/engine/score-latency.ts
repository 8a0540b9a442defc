/**
 * Issue #2, item 4: latency of one person's score from in-memory state,
 * `PersonState.score(asOf, consent)`, over many people and as-of values; p50/p99/p999.
 * Each call is timed alone with process.hrtime; the timer's own cost is measured and shown.
 */
import type { ConsentEvent } from '../../src/core/consent/index.js';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { PersonState } from '../../src/core/scoring/index.js';
import {
  BENCH_RULEBOOK,
  benchGenerator,
  FROM,
  readRulebook,
  recomputeRulebookPath,
  SEED,
  TO,
} from './bench-data.js';
import { prng } from './prng.js';
import { gc, header, intArg, saveResult } from './report.js';
import { median, quantile } from './stats.js';

const YEAR = 365 * 86_400_000;

function measure(path: string, people: number, samples: number) {
  const rb = readRulebook(path);
  const compiled = compileRulebook(rb.text, { file: path });
  const gen = benchGenerator(rb.spec);
  const states: PersonState[] = [];
  let facts = 0;
  for (let i = 0; i < people; i++) {
    const s = new PersonState(compiled, gen.person(i));
    void s.ledger; // built once, as a service holding state would have it
    facts += s.facts.length;
    states.push(s);
  }
  // One person in fifty carries a consent history (opted in, once opted out and back).
  const consents: ConsentEvent[][] = states.map((_, i) =>
    i % 50 === 0
      ? [{ action: 'opt-in', at: FROM - YEAR }]
      : i % 50 === 1
        ? [
            { action: 'opt-out', at: FROM + YEAR },
            { action: 'opt-in', at: FROM + YEAR + 86_400_000 },
          ]
        : [],
  );
  const r = prng(SEED + 4);
  const pick = () => {
    const i = Math.floor(r() * people);
    // As-of anywhere from the first facts to a year after the last (decay, inactivity).
    return { i, asOf: FROM + Math.floor(r() * (TO - FROM + YEAR)) };
  };
  let sink = 0;
  for (let k = 0; k < 20_000; k++) {
    const { i, asOf } = pick();
    const o = (states[i] as PersonState).score(asOf, consents[i] as ConsentEvent[]);
    sink += o.status === 'scored' ? o.score : 0;
  }
  gc();
  const lat = new Float64Array(samples);
  const overhead = new Float64Array(samples);
  for (let k = 0; k < samples; k++) {
    const { i, asOf } = pick();
    const s = states[i] as PersonState;
    const c = consents[i] as ConsentEvent[];
    const t0 = process.hrtime.bigint();
    const o = s.score(asOf, c);
    const t1 = process.hrtime.bigint();
    lat[k] = Number(t1 - t0) / 1000;
    sink += o.status === 'scored' ? o.score : 0;
  }
  for (let k = 0; k < samples; k++) {
    const t0 = process.hrtime.bigint();
    const t1 = process.hrtime.bigint();
    overhead[k] = Number(t1 - t0) / 1000;
  }
  // The machine is shared: a burst of other work inflates the tail of whatever block it hits.
  // The p99 of each of ten consecutive blocks, and their median, show how steady the tail is.
  const blocks = 10;
  const size = Math.floor(samples / blocks);
  const blockP99 = Array.from({ length: blocks }, (_, b) =>
    quantile(lat.slice(b * size, (b + 1) * size).sort(), 0.99),
  );
  lat.sort();
  overhead.sort();
  return {
    blockP99us: blockP99,
    medianBlockP99us: median(blockP99),
    rulebook: path,
    people,
    facts,
    samples,
    p50us: quantile(lat, 0.5),
    p99us: quantile(lat, 0.99),
    p999us: quantile(lat, 0.999),
    maxUs: lat[lat.length - 1] as number,
    timerP50us: quantile(overhead, 0.5),
    sink,
  };
}

function main(): void {
  header('One person’s score from in-memory state (issue #2, item 4)');
  const people = intArg('people', 20_000);
  const samples = intArg('samples', 200_000);
  const paths = [...new Set([BENCH_RULEBOOK, recomputeRulebookPath()])];
  const rows = paths.map((p) => measure(p, people, samples));
  console.log(
    `${people} people in memory (10–30 facts each), ${samples} timed calls at random (person, as-of)`,
  );
  console.log(
    'rulebook | p50 µs | p99 µs | p999 µs | max µs | p99 of 10 blocks (min–median–max) | target p99 < 20 µs',
  );
  for (const r of rows) {
    const b = [...r.blockP99us].sort((x, y) => x - y);
    console.log(
      `${r.rulebook} | ${r.p50us.toFixed(2)} | ${r.p99us.toFixed(2)} | ${r.p999us.toFixed(2)} | ${r.maxUs.toFixed(0)} | ` +
        `${b[0]?.toFixed(1)}–${r.medianBlockP99us.toFixed(1)}–${b.at(-1)?.toFixed(1)} | ${r.p99us < 20 ? 'met' : 'MISSED'}`,
    );
  }
  console.log(`(timer pair alone: p50 ${rows[0]?.timerP50us.toFixed(3)} µs, included in the figures above)`);
  saveResult('score-latency', { rows });
}

main();
