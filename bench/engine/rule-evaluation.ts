/**
 * Issue #2, item 2: facts scored per second on one core by our compiled engine, against the
 * same 50 rules in json-rules-engine, as zen decision tables and as hand-written TypeScript,
 * in one run, over the same generated facts. Every engine must produce the same ledger
 * totals (checked, printed) or the run fails.
 */
import type { ScoringFact } from '../../src/core/facts/fact.js';
import type { LedgerEntry } from '../../src/core/scoring/types.js';
import { BENCH_RULEBOOK, benchGenerator, readRulebook } from './bench-data.js';
import type { LedgerEngine } from './engines/engine.js';
import { handwrittenEngine } from './engines/handwritten.js';
import { jsonRulesEngine } from './engines/json-rules.js';
import { oursEngine } from './engines/ours.js';
import { zenTablesEngine } from './engines/zen-tables.js';
import { fmtRate, gc, header, intArg, saveResult } from './report.js';
import { cpuMs, median, nowMs } from './stats.js';

interface Totals {
  raw: number;
  entries: number;
}

interface Measured {
  engine: string;
  measures: string;
  facts: number;
  people: number;
  /** Process CPU time (the rates' basis) and wall time, medians of the rounds. */
  ms: number;
  wallMs: number;
  factsPerSec: number;
  totals: Totals;
}

function add(t: Totals, ledger: readonly LedgerEntry[]): void {
  t.entries += ledger.length;
  for (const e of ledger) t.raw += e.raw;
}

/**
 * Runs the engine over everyone, repeating whole passes until at least `minMs` of CPU time
 * has gone by, so short runs are not dominated by GC work left over from earlier phases.
 * Returns the time per pass.
 */
async function run(
  engine: LedgerEngine,
  people: readonly ScoringFact[][],
  minMs = 0,
): Promise<{ ms: number; wallMs: number; totals: Totals; passes: number }> {
  let totals = { raw: 0, entries: 0 };
  let passes = 0;
  const c0 = cpuMs();
  const t0 = nowMs();
  do {
    totals = { raw: 0, entries: 0 };
    if (engine.kind === 'sync') for (const p of people) add(totals, engine.ledger(p));
    else for (const p of people) add(totals, await engine.ledger(p));
    passes++;
  } while (cpuMs() - c0 < minMs);
  return { ms: (cpuMs() - c0) / passes, wallMs: (nowMs() - t0) / passes, totals, passes };
}

/** Per-person agreement with the reference engine; names the first person and rule that differ. */
async function agreement(
  ref: LedgerEngine,
  other: LedgerEngine,
  people: readonly ScoringFact[][],
): Promise<string> {
  for (let i = 0; i < people.length; i++) {
    const p = people[i] as ScoringFact[];
    const a = ref.kind === 'sync' ? ref.ledger(p) : await ref.ledger(p);
    const b = other.kind === 'sync' ? other.ledger(p) : await other.ledger(p);
    const sig = (l: readonly LedgerEntry[]) => l.map((e) => `${e.factKey}:${e.ruleId}:${e.points}:${e.raw}`);
    const sa = sig(a);
    const sb = sig(b);
    if (sa.length !== sb.length || sa.some((x, k) => x !== sb[k])) {
      const first = sa.find((x, k) => x !== sb[k]) ?? sb.find((x, k) => x !== sa[k]);
      return `person ${i}: ${ref.name} has ${sa.length} entries, ${other.name} ${sb.length}; first difference at ${first}`;
    }
  }
  return '';
}

/** The first people whose facts add up to `n` (the bench generates people in the same order). */
function prefix(people: readonly ScoringFact[][], n: number): ScoringFact[][] {
  const out: ScoringFact[][] = [];
  let count = 0;
  for (const p of people) {
    if (count >= n) break;
    out.push(p);
    count += p.length;
  }
  return out;
}

const countFacts = (people: readonly ScoringFact[][]) => people.reduce((a, p) => a + p.length, 0);

async function main(): Promise<void> {
  header('Rule evaluation: facts scored per second (issue #2, item 2)');
  const total = intArg('facts', 1_000_000);
  const subsetSize = intArg('subset', 40_000);
  const rounds = intArg('rounds', 3);
  const rb = readRulebook(BENCH_RULEBOOK);
  const t0 = nowMs();
  const people = benchGenerator(rb.spec).people(total);
  const genMs = nowMs() - t0;
  const subset = prefix(people, subsetSize);
  console.log(
    `input: ${BENCH_RULEBOOK} (${rb.spec.rules.length} rules, ${rb.spec.rulesByType.size} scored event types); ` +
      `${countFacts(people)} facts of ${people.length} people (10–30 each) generated in ${(genMs / 1000).toFixed(1)} s; ` +
      `slow engines on the first ${countFacts(subset)} facts (${subset.length} people)`,
  );

  const ours = oursEngine(rb.text, rb.path);
  const hand = handwrittenEngine(rb.spec);
  const jre = jsonRulesEngine(rb.spec);
  const zen = zenTablesEngine(rb.spec);
  const all: LedgerEngine[] = [ours, hand, jre, zen];

  // 1. Same job: every engine's ledger equals ours, entry by entry, on the subset.
  const disagreements: string[] = [];
  for (const e of all.slice(1)) {
    const d = await agreement(ours, e, subset);
    if (d) disagreements.push(d);
  }
  console.log(`ledgers identical entry by entry on the subset: ${disagreements.length === 0 ? 'yes' : 'NO'}`);
  for (const d of disagreements) console.log(`  ${d}`);

  // 2. Timing. Warm up each engine, then interleave rounds so drift hits all alike.
  const warm = prefix(people, 20_000);
  for (const e of all) await run(e, e.kind === 'sync' ? warm : warm.slice(0, 100));
  const results: Measured[] = [];
  const measure = async (e: LedgerEngine, set: readonly ScoringFact[][], n: number): Promise<Measured> => {
    const times: number[] = [];
    const walls: number[] = [];
    let totals: Totals = { raw: 0, entries: 0 };
    for (let k = 0; k < n; k++) {
      gc();
      const r = await run(e, set, 1000);
      times.push(r.ms);
      walls.push(r.wallMs);
      totals = r.totals;
    }
    const ms = median(times);
    const facts = countFacts(set);
    return {
      engine: e.name,
      measures: e.measures,
      facts,
      people: set.length,
      ms,
      wallMs: median(walls),
      factsPerSec: facts / (ms / 1000),
      totals,
    };
  };
  const fullOurs: number[] = [];
  const fullHand: number[] = [];
  const wallOurs: number[] = [];
  const wallHand: number[] = [];
  let oursFull: Measured | undefined;
  let handFull: Measured | undefined;
  for (let k = 0; k < rounds; k++) {
    oursFull = await measure(ours, people, 1);
    handFull = await measure(hand, people, 1);
    fullOurs.push(oursFull.ms);
    fullHand.push(handFull.ms);
    wallOurs.push(oursFull.wallMs);
    wallHand.push(handFull.wallMs);
  }
  if (!oursFull || !handFull) throw new Error('no rounds');
  oursFull.ms = median(fullOurs);
  oursFull.wallMs = median(wallOurs);
  oursFull.factsPerSec = oursFull.facts / (oursFull.ms / 1000);
  handFull.ms = median(fullHand);
  handFull.wallMs = median(wallHand);
  handFull.factsPerSec = handFull.facts / (handFull.ms / 1000);
  const oursSub = await measure(ours, subset, 3);
  const jreSub = await measure(jre, subset, 1);
  const zenSub = await measure(zen, subset, 1);
  zen.dispose();
  results.push(oursFull, handFull, oursSub, jreSub, zenSub);

  const sameFull =
    oursFull.totals.raw === handFull.totals.raw && oursFull.totals.entries === handFull.totals.entries;
  const sameSub = [jreSub, zenSub].every(
    (m) => m.totals.raw === oursSub.totals.raw && m.totals.entries === oursSub.totals.entries,
  );
  console.log('\nengine | facts | CPU time | wall time | facts/s (CPU) | totals (raw points; entries)');
  for (const m of results) {
    console.log(
      `${m.engine} | ${m.facts} | ${(m.ms / 1000).toFixed(2)} s | ${(m.wallMs / 1000).toFixed(2)} s | ` +
        `${fmtRate(m.factsPerSec)} | ${m.totals.raw}; ${m.totals.entries}`,
    );
  }
  console.log(
    '(medians of the rounds; rates from process CPU time, so other load on the machine does not count)',
  );
  console.log(
    `totals equal: full set ours = hand-written: ${sameFull ? 'yes' : 'NO'}; subset all four: ${sameSub ? 'yes' : 'NO'}`,
  );

  const vsHand = handFull.factsPerSec / oursFull.factsPerSec;
  const vsJre = oursSub.factsPerSec / jreSub.factsPerSec;
  const vsZen = oursSub.factsPerSec / zenSub.factsPerSec;
  const verdicts = [
    {
      what: 'ours vs json-rules-engine (same subset)',
      ratio: vsJre,
      target: '≥ 50× faster',
      pass: vsJre >= 50,
    },
    {
      what: 'ours vs zen decision tables (same subset)',
      ratio: vsZen,
      target: '≥ 2× faster',
      pass: vsZen >= 2,
    },
    {
      what: `hand-written vs ours (${oursFull.facts} facts)`,
      ratio: vsHand,
      target: 'ours within 3×',
      pass: vsHand <= 3,
    },
  ];
  console.log('');
  for (const v of verdicts) {
    console.log(`${v.what}: ${v.ratio.toFixed(1)}× — target ${v.target}: ${v.pass ? 'met' : 'MISSED'}`);
  }
  console.log('\nwhat each timed path includes:');
  for (const e of all) console.log(`- ${e.name}: ${e.measures}`);
  saveResult('rule-evaluation', {
    results,
    verdicts,
    disagreements,
    sameFull,
    sameSub,
    generatedFacts: countFacts(people),
    people: people.length,
  });
  if (disagreements.length > 0 || !sameFull || !sameSub) process.exitCode = 1;
}

await main();
