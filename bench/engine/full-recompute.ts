/**
 * Issue #2, item 3: a full recompute of every person under one rulebook — for each person,
 * the ledger from all their facts and the score at one as-of — with wall time and peak RSS.
 * People are generated one at a time and dropped after scoring, as a recompute pages through
 * a store; generation time is measured separately and reported beside the engine's time.
 *
 * `--path public` (default) times the public `scorePerson`; `--path bulk` times sort +
 * `buildLedger` + `evaluateScore` (the same outcome without PersonState's per-insert upkeep),
 * after checking both give the same outcome on the first 2000 people.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ScoringFact } from '../../src/core/facts/fact.js';
import { compareFacts } from '../../src/core/facts/fact.js';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import type { CompiledRulebook } from '../../src/core/rulebook/types.js';
import { buildLedger, evaluateScore, type ScoreOutcome, scorePerson } from '../../src/core/scoring/index.js';
import { benchGenerator, readRulebook, recomputeRulebookPath, TO } from './bench-data.js';
import { fmtRate, header, intArg, saveResult } from './report.js';
import { cpuMs, nowMs } from './stats.js';

function bulkScore(rb: CompiledRulebook, facts: readonly ScoringFact[], asOf: number): ScoreOutcome {
  const sorted = facts.filter((f) => f.at <= asOf).sort(compareFacts);
  return evaluateScore(rb, sorted, buildLedger(rb, sorted), asOf, []).outcome;
}

function main(): void {
  const bulk = process.argv.includes('bulk');
  header(`Full recompute (issue #2, item 3)${bulk ? ' — bulk path' : ''}`);
  const path = recomputeRulebookPath();
  const rb = readRulebook(path);
  const compiled = compileRulebook(rb.text, { file: path });
  const gen = benchGenerator(rb.spec);
  const n = intArg('people', 1_000_000);
  const asOf = TO;
  console.log(
    `input: ${path}, ${n} people × 10–30 facts (mean 20), scored at ${new Date(asOf).toISOString()}`,
  );
  const score = bulk
    ? (p: readonly ScoringFact[]) => bulkScore(compiled, p, asOf)
    : (p: readonly ScoringFact[]) => scorePerson(compiled, p, asOf, []);
  let agrees = true;
  if (bulk) {
    for (let i = 0; i < Math.min(n, 2000) && agrees; i++) {
      const p = gen.person(i);
      agrees = isDeepStrictEqual(bulkScore(compiled, p, asOf), scorePerson(compiled, p, asOf, []));
    }
    console.log(`bulk path gives scorePerson's outcome on the first 2000 people: ${agrees ? 'yes' : 'NO'}`);
  }

  let genMs = 0;
  let scoreMs = 0;
  let facts = 0;
  let scored = 0;
  let scoreSum = 0;
  const tiers = new Map<string, number>();
  const c0 = cpuMs();
  const t0 = nowMs();
  for (let i = 0; i < n; i++) {
    const a = nowMs();
    const p = gen.person(i);
    const b = nowMs();
    const outcome = score(p);
    scoreMs += nowMs() - b;
    genMs += b - a;
    facts += p.length;
    if (outcome.status === 'scored') {
      scored++;
      scoreSum += outcome.score;
      tiers.set(outcome.tier, (tiers.get(outcome.tier) ?? 0) + 1);
    }
    if (i > 0 && i % 200_000 === 0) {
      console.log(`  ${i} people, ${((nowMs() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const wallMs = nowMs() - t0;
  const cpuTotalMs = cpuMs() - c0;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  const result = {
    path: bulk ? 'sort + buildLedger + evaluateScore' : 'scorePerson',
    agrees,
    rulebook: path,
    people: n,
    facts,
    wallSeconds: wallMs / 1000,
    cpuSeconds: cpuTotalMs / 1000,
    engineSeconds: scoreMs / 1000,
    generationSeconds: genMs / 1000,
    factsPerSecEngine: facts / (scoreMs / 1000),
    maxRssMiB,
    scored,
    meanScore: scored > 0 ? scoreSum / scored : 0,
    tiers: Object.fromEntries([...tiers].sort()),
    targets: {
      wallUnder60s: wallMs < 60_000,
      cpuUnder60s: cpuTotalMs < 60_000,
      engineUnder60s: scoreMs < 60_000,
      rssUnder2GiB: maxRssMiB < 2048,
    },
  };
  console.log(
    `wall ${result.wallSeconds.toFixed(1)} s, CPU ${result.cpuSeconds.toFixed(1)} s; of the wall time ` +
      `${result.path} ${result.engineSeconds.toFixed(1)} s (${fmtRate(result.factsPerSecEngine)} facts), ` +
      `generating facts ${result.generationSeconds.toFixed(1)} s`,
  );
  console.log(`peak RSS ${maxRssMiB.toFixed(0)} MiB (process.resourceUsage().maxRSS)`);
  console.log(
    `scored ${scored} of ${n}, mean score ${result.meanScore.toFixed(1)}, tiers ${JSON.stringify(result.tiers)}`,
  );
  console.log(
    `targets: wall < 60 s ${result.targets.wallUnder60s ? 'met' : 'MISSED'} ` +
      `(CPU time, i.e. on an idle core: ${result.targets.cpuUnder60s ? 'met' : 'MISSED'}; ` +
      `engine part of the wall time: ${result.targets.engineUnder60s ? 'met' : 'MISSED'}); ` +
      `peak RSS < 2 GiB ${result.targets.rssUnder2GiB ? 'met' : 'MISSED'}`,
  );
  saveResult(bulk ? 'full-recompute-bulk' : 'full-recompute', result);
  if (!agrees) process.exitCode = 1;
}

main();
