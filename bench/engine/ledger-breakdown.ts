/**
 * Where does our engine's time go? Runs the lead's buildLedger over the same facts with the
 * rules' functions swapped — as compiled (cel-js check + cel-to-js), the cel-js interpreter with
 * a typed or a `dyn` fact, hand-written closures — in one process, so the gap to hand-written
 * code splits into (a) rule evaluation and (b) the engine's own bookkeeping. Diagnostic, for
 * the engine's owner; also the entry point for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir=bench/out/engine/prof dist-bench/bench/engine/ledger-breakdown.js --only as-is
 *   node dist-bench/bench/engine/profile-summary.js bench/out/engine/prof
 */
import { Environment } from '@marcbachmann/cel-js';
import type { FieldValue, ScoringFact } from '../../src/core/facts/fact.js';
import type { CompiledRule, CompiledRulebook } from '../../src/core/rulebook/types.js';
import { buildLedger } from '../../src/core/scoring/index.js';
import { BENCH_RULEBOOK, benchGenerator, readRulebook } from './bench-data.js';
import { handwrittenEngine } from './engines/handwritten.js';
import { HAND_RULES } from './engines/handwritten-rules.js';
import { oursEngine } from './engines/ours.js';
import { fmtRate, gc, header, intArg, saveResult } from './report.js';
import { cpuMs, median } from './stats.js';

type Data = Readonly<Record<string, FieldValue>>;
type Fns = Pick<CompiledRule, 'when' | 'points'>;
const CEL_TYPE: Record<string, string> = { number: 'double', string: 'string', boolean: 'bool' };

/** The same rulebook with each rule's `when`/`points` replaced. */
function withFunctions(rb: CompiledRulebook, swap: (r: CompiledRule) => Fns): CompiledRulebook {
  const rules = rb.rules.map((r) => ({ ...r, ...swap(r) }));
  const rulesByType = new Map<string, CompiledRule[]>();
  for (const r of rules) rulesByType.set(r.on, [...(rulesByType.get(r.on) ?? []), r]);
  return { ...rb, rules, rulesByType };
}

/** The cel-js interpreter over `fact`, typed by the event's fields or declared `dyn`. */
function interpreter(rb: CompiledRulebook, typed: boolean) {
  return (r: CompiledRule): Fns => {
    const schema: Record<string, string> = {};
    for (const [k, v] of Object.entries(rb.events[r.on]?.fields ?? {})) schema[k] = CEL_TYPE[v] as string;
    const env = new Environment({ homogeneousAggregateLiterals: false });
    if (typed) env.registerVariable({ name: 'fact', schema });
    else env.registerVariable('fact', 'dyn');
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
    } as Fns;
  };
}

function handFns(r: CompiledRule): Fns {
  const h = HAND_RULES[r.id];
  if (!h) throw new Error(`no hand-written rule ${r.id}`);
  return { ...(h.when ? { when: h.when } : {}), points: h.points } as Fns;
}

function main(): void {
  header('Where buildLedger spends its time (diagnostic)');
  const rb = readRulebook(BENCH_RULEBOOK);
  const people = benchGenerator(rb.spec).people(intArg('facts', 500_000));
  const facts = people.reduce((a, p) => a + p.length, 0);
  const ours = oursEngine(rb.text, rb.path);
  const hand = handwrittenEngine(rb.spec);
  const over = (rb2: CompiledRulebook) => (f: readonly ScoringFact[]) => buildLedger(rb2, f);
  const variants: { name: string; ledger: (f: readonly ScoringFact[]) => readonly { raw: number }[] }[] = [
    { name: 'as-is: buildLedger, rules as src/core/rulebook compiles them', ledger: over(ours.rb) },
    {
      name: 'buildLedger, cel-js interpreter, `fact` typed by a schema',
      ledger: over(withFunctions(ours.rb, interpreter(ours.rb, true))),
    },
    {
      name: 'buildLedger, cel-js interpreter, `fact: dyn`',
      ledger: over(withFunctions(ours.rb, interpreter(ours.rb, false))),
    },
    { name: 'buildLedger, hand-written closures', ledger: over(withFunctions(ours.rb, handFns)) },
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
  const same = rows.every((r) => r.raw === rows[0]?.raw);
  console.log(`all variants award the same points: ${same ? 'yes' : 'NO'}`);
  saveResult(only ? 'ledger-breakdown-partial' : 'ledger-breakdown', { facts, rows, same });
  if (!same) process.exitCode = 1;
}

main();
