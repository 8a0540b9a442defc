/**
 * Where does our engine's time go? Runs the lead's buildLedger over the same facts with the
 * rules' compiled functions swapped, in one process, so the gap to hand-written code splits
 * into (a) CEL evaluation and (b) the engine's own bookkeeping. Diagnostic, for the engine's
 * owner; also the entry point for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir=bench/out/engine/prof dist-bench/bench/engine/ledger-breakdown.js --only as-is
 *   node dist-bench/bench/engine/profile-summary.js bench/out/engine/prof
 */
import { Environment } from '@marcbachmann/cel-js';
import type { FieldValue, ScoringFact } from '../../src/core/facts/fact.js';
import type { CompiledRule, CompiledRulebook } from '../../src/core/rulebook/types.js';
import { buildLedger } from '../../src/core/scoring/index.js';
import { BENCH_RULEBOOK, benchGenerator, readRulebook } from './bench-data.js';
import { closureOf } from './cel-closures.js';
import { handwrittenEngine } from './engines/handwritten.js';
import { HAND_RULES } from './engines/handwritten-rules.js';
import { oursEngine } from './engines/ours.js';
import { fmtRate, gc, header, intArg, saveResult } from './report.js';
import { cpuMs, median } from './stats.js';

type Data = Readonly<Record<string, FieldValue>>;

/** The same rulebook with each rule's `when`/`points` replaced. */
function withFunctions(
  rb: CompiledRulebook,
  swap: (r: CompiledRule) => Pick<CompiledRule, 'when' | 'points'>,
): CompiledRulebook {
  const rules = rb.rules.map((r) => ({ ...r, ...swap(r) }));
  const rulesByType = new Map<string, CompiledRule[]>();
  for (const r of rules) rulesByType.set(r.on, [...(rulesByType.get(r.on) ?? []), r]);
  return { ...rb, rules, rulesByType };
}

/** CEL parsed in an environment where `fact` is `dyn`: no per-evaluation schema wrapper. */
function dynCel(r: CompiledRule): Pick<CompiledRule, 'when' | 'points'> {
  const env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable('fact', 'dyn');
  const w = r.whenText === undefined ? undefined : env.parse(r.whenText);
  const constant = Number(r.pointsText);
  const p = Number.isFinite(constant) ? undefined : env.parse(r.pointsText);
  return {
    ...(w ? { when: (d: Data) => w({ fact: d }) === true } : {}),
    points: p
      ? (d: Data) => {
          const v = p({ fact: d });
          return typeof v === 'bigint' ? Number(v) : (v as number);
        }
      : () => constant,
  } as Pick<CompiledRule, 'when' | 'points'>;
}

/** CEL compiled to closures (cel-closures.ts) after the typed check, the interpreter as fallback. */
function closureCel(r: CompiledRule): Pick<CompiledRule, 'when' | 'points'> {
  const env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable('fact', 'dyn');
  const fallback = dynCel(r);
  const w = r.whenText === undefined ? undefined : closureOf(env.parse(r.whenText).ast);
  const constant = Number(r.pointsText);
  const p = Number.isFinite(constant) ? undefined : closureOf(env.parse(r.pointsText).ast);
  if ((r.whenText !== undefined && !w) || (!Number.isFinite(constant) && !p)) return fallback;
  return {
    ...(w ? { when: (d: Data) => w(d) === true } : {}),
    points: p ? (p as (d: Data) => number) : () => constant,
  } as Pick<CompiledRule, 'when' | 'points'>;
}

function handFns(r: CompiledRule): Pick<CompiledRule, 'when' | 'points'> {
  const h = HAND_RULES[r.id];
  if (!h) throw new Error(`no hand-written rule ${r.id}`);
  return { ...(h.when ? { when: h.when } : {}), points: h.points } as Pick<CompiledRule, 'when' | 'points'>;
}

async function main(): Promise<void> {
  header('Where buildLedger spends its time (diagnostic)');
  const rb = readRulebook(BENCH_RULEBOOK);
  const people = benchGenerator(rb.spec).people(intArg('facts', 500_000));
  const facts = people.reduce((a, p) => a + p.length, 0);
  const ours = oursEngine(rb.text, rb.path);
  const hand = handwrittenEngine(rb.spec);
  const variants: { name: string; ledger: (f: readonly ScoringFact[]) => readonly { raw: number }[] }[] = [
    {
      name: 'as-is: buildLedger, CEL with typed `fact` (src/core/rulebook/cel.ts)',
      ledger: (f) => buildLedger(ours.rb, f),
    },
    {
      name: 'buildLedger, CEL parsed with `fact: dyn` (type-checked separately)',
      ledger: (
        (rb2) => (f: readonly ScoringFact[]) =>
          buildLedger(rb2, f)
      )(withFunctions(ours.rb, dynCel)),
    },
    {
      name: 'buildLedger, CEL compiled to JS closures (bench/engine/cel-closures.ts)',
      ledger: (
        (rb2) => (f: readonly ScoringFact[]) =>
          buildLedger(rb2, f)
      )(withFunctions(ours.rb, closureCel)),
    },
    {
      name: 'buildLedger, hand-written closures instead of CEL',
      ledger: (
        (rb2) => (f: readonly ScoringFact[]) =>
          buildLedger(rb2, f)
      )(withFunctions(ours.rb, handFns)),
    },
    {
      name: 'hand-written closures + bench LedgerBook',
      ledger: (f) => (hand.kind === 'sync' ? hand.ledger(f) : []),
    },
  ];
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const chosen = only ? variants.filter((v) => v.name.startsWith(only)) : variants;
  const times = new Map<string, number[]>(chosen.map((v) => [v.name, []]));
  const totals = new Map<string, number>();
  for (let k = 0; k < intArg('rounds', 3); k++) {
    for (const v of chosen) {
      gc();
      let raw = 0;
      const t0 = cpuMs();
      for (const p of people) for (const e of v.ledger(p)) raw += e.raw;
      times.get(v.name)?.push(cpuMs() - t0);
      totals.set(v.name, raw);
    }
  }
  console.log(`${facts} facts, ${people.length} people; median of rounds, process CPU time\n`);
  const rows = chosen.map((v) => {
    const ms = median(times.get(v.name) ?? []);
    return {
      name: v.name,
      ms,
      factsPerSec: facts / (ms / 1000),
      nsPerFact: (ms * 1e6) / facts,
      raw: totals.get(v.name),
    };
  });
  for (const r of rows) {
    console.log(
      `${r.name}: ${fmtRate(r.factsPerSec)} (${r.nsPerFact.toFixed(0)} ns/fact), raw total ${r.raw}`,
    );
  }
  saveResult(only ? 'ledger-breakdown-partial' : 'ledger-breakdown', { facts, rows });
}

await main();
