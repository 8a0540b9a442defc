/**
 * Where does our engine's time go? Runs the lead's buildLedger over the same facts with the
 * rules' functions swapped — as compiled (cel-js check + cel-to-js), the cel-js interpreter with
 * a typed or a `dyn` fact, hand-written closures — each variant in its own process so their
 * JIT feedback does not mix, so the gap to hand-written code splits into (a) rule evaluation
 * and (b) the engine's own bookkeeping. Diagnostic, for the engine's owner; `--only <id>`
 * runs one variant, which is also the entry point for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir=bench/out/engine/prof dist-bench/bench/engine/ledger-breakdown.js --only as-is
 *   node dist-bench/bench/engine/profile-summary.js bench/out/engine/prof
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Environment } from '@marcbachmann/cel-js';
import type { FieldValue, ScoringFact } from '../../src/core/facts/fact.js';
import type { CompiledRule, CompiledRulebook } from '../../src/core/rulebook/types.js';
import { buildLedger } from '../../src/core/scoring/index.js';
import { BENCH_RULEBOOK, benchGenerator, readRulebook } from './bench-data.js';
import { handwrittenEngine } from './engines/handwritten.js';
import { HAND_RULES } from './engines/handwritten-rules.js';
import { oursEngine } from './engines/ours.js';
import { fmtRate, gc, header, intArg, OUT_DIR, saveResult } from './report.js';
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

/** Variants by id; each is built only in the process that measures it. */
function variantsOf(rb: CompiledRulebook, hand: ReturnType<typeof handwrittenEngine>) {
  const over = (rb2: CompiledRulebook) => (f: readonly ScoringFact[]) => buildLedger(rb2, f);
  return {
    'as-is': { name: 'buildLedger, rules as src/core/rulebook compiles them', make: () => over(rb) },
    'typed-interpreter': {
      name: 'buildLedger, cel-js interpreter, `fact` typed by a schema',
      make: () => over(withFunctions(rb, interpreter(rb, true))),
    },
    'dyn-interpreter': {
      name: 'buildLedger, cel-js interpreter, `fact: dyn`',
      make: () => over(withFunctions(rb, interpreter(rb, false))),
    },
    'hand-buildledger': {
      name: 'buildLedger, hand-written closures',
      make: () => over(withFunctions(rb, handFns)),
    },
    'hand-book': {
      name: 'hand-written closures + bench LedgerBook',
      make: () => (f: readonly ScoringFact[]) => (hand.kind === 'sync' ? hand.ledger(f) : []),
    },
  } as const;
}

interface Row {
  id: string;
  name: string;
  ms: number;
  factsPerSec: number;
  nsPerFact: number;
  raw: number;
}

/** Measures one variant in this process (its own JIT feedback: buildLedger stays monomorphic). */
function measureOne(id: string): Row {
  const rb = readRulebook(BENCH_RULEBOOK);
  const people = benchGenerator(rb.spec).people(intArg('facts', 500_000));
  const facts = people.reduce((a, p) => a + p.length, 0);
  const ours = oursEngine(rb.text, rb.path);
  const all = variantsOf(ours.rb, handwrittenEngine(rb.spec));
  const v = all[id as keyof typeof all];
  if (!v) throw new Error(`no variant ${id}; one of ${Object.keys(all).join(', ')}`);
  const ledger = v.make();
  const times: number[] = [];
  let raw = 0;
  for (let k = 0; k < intArg('rounds', 3) + 1; k++) {
    gc();
    raw = 0;
    const t0 = cpuMs();
    for (const p of people) for (const e of ledger(p)) raw += e.raw;
    if (k > 0) times.push(cpuMs() - t0); // the first pass warms up
  }
  const ms = median(times);
  return { id, name: v.name, ms, factsPerSec: facts / (ms / 1000), nsPerFact: (ms * 1e6) / facts, raw };
}

function main(): void {
  const onlyAt = process.argv.indexOf('--only');
  if (onlyAt >= 0) {
    const id = process.argv[onlyAt + 1] ?? '';
    const row = measureOne(id);
    saveResult(`ledger-breakdown-${id}`, row);
    console.log(
      `${row.name}: ${fmtRate(row.factsPerSec)} (${row.nsPerFact.toFixed(0)} ns/fact), raw total ${row.raw}`,
    );
    return;
  }
  header('Where buildLedger spends its time (diagnostic)');
  const facts = intArg('facts', 500_000);
  const rounds = intArg('rounds', 3);
  console.log(
    `~${facts} facts of the bench rulebook; each variant in its own process (same core); median of ${rounds} rounds after one warm-up pass; process CPU time\n`,
  );
  const ids = ['as-is', 'typed-interpreter', 'dyn-interpreter', 'hand-buildledger', 'hand-book'];
  const rows: Row[] = [];
  const self = fileURLToPath(import.meta.url);
  for (const id of ids) {
    const r = spawnSync(
      process.execPath,
      [self, '--only', id, '--facts', String(facts), '--rounds', String(rounds)],
      {
        stdio: 'inherit',
        env: process.env,
      },
    );
    if (r.status !== 0) throw new Error(`variant ${id} failed`);
    rows.push(JSON.parse(readFileSync(join(OUT_DIR, `ledger-breakdown-${id}.json`), 'utf8')) as Row);
  }
  const same = rows.every((r) => r.raw === rows[0]?.raw);
  console.log(`all variants award the same points: ${same ? 'yes' : 'NO'}`);
  saveResult('ledger-breakdown', { facts, rows, same });
  if (!same) process.exitCode = 1;
}

main();
