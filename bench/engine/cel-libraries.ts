/**
 * Issue #2, item 1: which CEL library? Compile time, evaluation rate and compile-time type
 * checking of @marcbachmann/cel-js and @bufbuild/cel on the bench rulebook's own expressions,
 * against hand-written closures measured in the same process.
 */
import { pathToFileURL } from 'node:url';
import { parse as bufParse, CelScalar, celEnv, isCelError, listType, mapType, plan } from '@bufbuild/cel';
import { Environment } from '@marcbachmann/cel-js';
import type { FieldValue, ScoringFact } from '../../src/core/facts/fact.js';
import { compileFactPoints, compileFactPredicate } from '../../src/core/rulebook/cel.js';
import type { FieldType } from '../../src/core/rulebook/types.js';
import { BENCH_RULEBOOK, benchGenerator, REPO_ROOT, readRulebook } from './bench-data.js';
import { HAND_RULES } from './engines/handwritten-rules.js';
import { fmtRate, gc, header, intArg, saveResult } from './report.js';
import type { RuleSpec } from './rulebook-spec.js';
import { cpuMs, median } from './stats.js';

type Data = Readonly<Record<string, FieldValue>>;
/** A rule made runnable by one library: `when` and `points` (undefined when a constant). */
interface Runnable {
  readonly rule: RuleSpec;
  readonly when?: (d: Data) => boolean;
  readonly points: (d: Data) => number;
}
interface Library {
  readonly name: string;
  /** What one compile does, for the report. */
  readonly compileDoes: string;
  compile(rule: RuleSpec, fields: Readonly<Record<string, string>>): Runnable;
}

const MARC_TYPE: Record<string, string> = { number: 'double', string: 'string', boolean: 'bool' };
const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));

/** As src/core/rulebook/cel.ts uses it: `fact` declared with the event type's fields. */
function marcLibrary(): Library {
  const envs = new Map<string, Environment>();
  const envFor = (type: string, fields: Readonly<Record<string, string>>): Environment => {
    let env = envs.get(type);
    if (!env) {
      const schema: Record<string, string> = {};
      for (const [k, t] of Object.entries(fields)) schema[k] = MARC_TYPE[t] as string;
      env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable({
        name: 'fact',
        schema,
      });
      envs.set(type, env);
    }
    return env;
  };
  const build = (env: Environment, text: string) => {
    const p = env.parse(text);
    const c = env.check(text);
    if (!c.valid) throw new Error(`${text}: ${c.error?.message}`);
    return p;
  };
  return {
    name: '@marcbachmann/cel-js',
    compileDoes: 'env.parse(text) + env.check(text) (type check), env per event type reused',
    compile(rule, fields) {
      const env = envFor(rule.on, fields);
      const constant = Number(rule.pointsText);
      const w = rule.whenText === undefined ? undefined : build(env, rule.whenText);
      const p = Number.isFinite(constant) ? undefined : build(env, rule.pointsText);
      return {
        rule,
        ...(w ? { when: (d: Data) => w({ fact: d }) === true } : {}),
        points: p ? (d: Data) => num(p({ fact: d })) : () => constant,
      };
    },
  };
}

/** @bufbuild/cel: `fact` as map<string, dyn> (typed fields need a protobuf message type). */
function bufLibrary(): Library {
  const env = celEnv({ variables: { fact: mapType(CelScalar.STRING, CelScalar.DYN) } });
  const build = (text: string) => {
    const f = plan(env, bufParse(text));
    return (d: Data) => {
      const v = f({ fact: d as Record<string, FieldValue> });
      if (isCelError(v)) throw v;
      return v;
    };
  };
  return {
    name: '@bufbuild/cel',
    compileDoes: 'plan(env, parse(text)) (no type check is available, see below)',
    compile(rule) {
      const constant = Number(rule.pointsText);
      const w = rule.whenText === undefined ? undefined : build(rule.whenText);
      const p = Number.isFinite(constant) ? undefined : build(rule.pointsText);
      return {
        rule,
        ...(w ? { when: (d: Data) => w(d) === true } : {}),
        points: p ? (d: Data) => num(p(d)) : () => constant,
      };
    },
  };
}

/** What Credence ships: cel-js parses and type-checks, src/core/rulebook/cel-to-js.ts compiles. */
function credenceLibrary(): Library {
  return {
    name: 'Credence: cel-js check + cel-to-js',
    compileDoes:
      'compileFactPredicate/compileFactPoints of src/core/rulebook/cel.ts (env, parse, check, JS codegen)',
    compile(rule, fields) {
      const f = fields as Readonly<Record<string, FieldType>>;
      const constant = Number(rule.pointsText);
      const w = rule.whenText === undefined ? undefined : compileFactPredicate(f, rule.whenText);
      const p = Number.isFinite(constant) ? undefined : compileFactPoints(f, rule.pointsText);
      if ((w && !w.ok) || (p && !p.ok)) throw new Error(`rule ${rule.id} does not compile`);
      const when = w?.ok ? w.fn : undefined;
      const points = p?.ok ? p.fn : undefined;
      return { rule, ...(when ? { when } : {}), points: points ?? (() => constant) };
    },
  };
}

function handLibrary(): Library {
  return {
    name: 'hand-written closures (baseline)',
    compileDoes: 'nothing (already code)',
    compile(rule) {
      const h = HAND_RULES[rule.id];
      if (!h) throw new Error(`no hand-written rule ${rule.id}`);
      return { rule, ...(h.when ? { when: h.when } : {}), points: h.points };
    },
  };
}

/** Evaluates every rule of each fact's type; returns rule evaluations and the points total. */
function evaluateAll(byType: ReadonlyMap<string, readonly Runnable[]>, facts: readonly ScoringFact[]) {
  let evaluations = 0;
  let total = 0;
  for (const f of facts) {
    const rules = byType.get(f.type);
    if (!rules) continue;
    for (const r of rules) {
      evaluations++;
      if (r.when && !r.when(f.data)) continue;
      total += r.points(f.data);
    }
  }
  return { evaluations, total };
}

interface TypeCase {
  readonly what: string;
  readonly text: string;
  readonly expect: 'bool' | 'number';
}
const TYPE_CASES: readonly TypeCase[] = [
  { what: 'unknown field of the declared type', text: 'fact.amonut > 0.0', expect: 'bool' },
  { what: 'number field compared with a string', text: "fact.amount > 'x'", expect: 'bool' },
  { what: 'string field compared with a number', text: 'fact.channel == 1.0', expect: 'bool' },
  { what: 'boolean field used as a number', text: 'fact.recurring > 0.0', expect: 'bool' },
  { what: 'undeclared variable', text: 'user.age > 18.0', expect: 'bool' },
  { what: '`when` that is not a boolean', text: 'fact.amount', expect: 'bool' },
  {
    what: '`points` ternary mixing string and int',
    text: "fact.amount >= 100.0 ? 'two' : 1",
    expect: 'number',
  },
];

async function typeChecks() {
  const fields = { amount: 'double', channel: 'string', merchant_tier: 'string', recurring: 'bool' };
  const marcEnv = new Environment({ homogeneousAggregateLiterals: false }).registerVariable({
    name: 'fact',
    schema: fields,
  });
  const bufEnv = celEnv({
    variables: {
      fact: mapType(CelScalar.STRING, CelScalar.DYN),
      flags: listType(CelScalar.STRING),
      score: CelScalar.INT,
    },
  });
  // @bufbuild/cel 0.6.1 has a checker, but does not export it; reach it by path to show what it does.
  const checkerUrl = pathToFileURL(`${REPO_ROOT}node_modules/@bufbuild/cel/dist/esm/check.js`).href;
  const { check: bufCheck } = (await import(checkerUrl)) as { check: (env: unknown, e: unknown) => unknown };
  const sample = { amount: 120.5, channel: 'app', merchant_tier: 'gold', recurring: true };
  const accept = { bool: ['bool'], number: ['int', 'double', 'uint'] };
  return TYPE_CASES.map((c) => {
    const m = marcEnv.check(c.text);
    const marcCaught = !m.valid || !accept[c.expect].includes(m.type ?? 'dyn');
    const marc = m.valid
      ? marcCaught
        ? `load error: has type ${m.type}`
        : 'not caught'
      : `load error: ${firstLine(m.error)}`;
    let buf: string;
    try {
      const parsed = bufParse(c.text);
      let checker: string;
      try {
        bufCheck(bufEnv, parsed);
        checker = 'internal checker accepts it';
      } catch (e) {
        checker = `internal checker: ${firstLine(e)}`;
      }
      const v = plan(bufEnv, parsed)({ fact: sample, flags: [], score: 0n });
      const runtime = isCelError(v) ? `error at evaluation: ${firstLine(v)}` : `evaluates to ${String(v)}`;
      buf = `compiles (plan); ${runtime}; ${checker}`;
    } catch (e) {
      buf = `load error: ${firstLine(e)}`;
    }
    return { what: c.what, text: c.text, marcCaught, marc, buf };
  });
}

function ratioText(base: number, rate: number, isBase: boolean): string {
  if (isBase) return 'baseline';
  return base >= rate ? `${(base / rate).toFixed(1)}× slower` : `${(rate / base).toFixed(1)}× faster`;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? msg).slice(0, 110);
}

async function main(): Promise<void> {
  header('CEL library choice (issue #2, item 1)');
  const rb = readRulebook(BENCH_RULEBOOK);
  const nFacts = intArg('facts', 200_000);
  const rounds = intArg('rounds', 5);
  const facts = benchGenerator(rb.spec).people(nFacts).flat();
  const exprs = rb.spec.rules.flatMap((r) => [
    r.whenText,
    Number.isFinite(Number(r.pointsText)) ? undefined : r.pointsText,
  ]);
  const nExprs = exprs.filter((x) => x !== undefined).length;
  console.log(
    `input: ${BENCH_RULEBOOK}: ${rb.spec.rules.length} rules, ${nExprs} CEL expressions (when + non-constant points); ` +
      `${facts.length} generated facts; ${rounds} rounds, median reported; times are process CPU time`,
  );

  const libs = [handLibrary(), marcLibrary(), bufLibrary(), credenceLibrary()];
  const rows: {
    name: string;
    compileDoes: string;
    compileUsPerExpr: number;
    firstCompileUsPerExpr: number;
    evalsPerSec: number;
    total: number;
    evaluations: number;
  }[] = [];
  for (const lib of libs) {
    gc();
    const times: number[] = [];
    let compiled: Runnable[] = [];
    for (let k = 0; k < rounds * 4; k++) {
      const t0 = cpuMs();
      compiled = rb.spec.rules.map((r) => lib.compile(r, rb.spec.events[r.on]?.fields ?? {}));
      times.push(cpuMs() - t0);
    }
    const byType = new Map<string, Runnable[]>();
    for (const c of compiled) byType.set(c.rule.on, [...(byType.get(c.rule.on) ?? []), c]);
    evaluateAll(byType, facts.slice(0, 20_000)); // warm-up
    gc();
    const evalTimes: number[] = [];
    let result = { evaluations: 0, total: 0 };
    for (let k = 0; k < rounds; k++) {
      const t0 = cpuMs();
      result = evaluateAll(byType, facts);
      evalTimes.push(cpuMs() - t0);
    }
    const perExpr = (ms: number) => (nExprs === 0 ? 0 : (ms * 1000) / nExprs);
    rows.push({
      name: lib.name,
      compileDoes: lib.compileDoes,
      compileUsPerExpr: perExpr(median(times.slice(1))),
      firstCompileUsPerExpr: perExpr(times[0] as number),
      evalsPerSec: result.evaluations / (median(evalTimes) / 1000),
      total: result.total,
      evaluations: result.evaluations,
    });
  }
  const base = rows[0] as (typeof rows)[number];
  console.log(
    '\nlibrary | compile µs/expr (warm; first) | rule evaluations/s | vs hand-written | points total',
  );
  for (const r of rows) {
    const compile =
      r === base ? '—' : `${r.compileUsPerExpr.toFixed(1)}; ${r.firstCompileUsPerExpr.toFixed(1)}`;
    console.log(
      `${r.name} | ${compile} | ${fmtRate(r.evalsPerSec)} | ${ratioText(base.evalsPerSec, r.evalsPerSec, r === base)} | ${r.total}`,
    );
  }
  const agree = rows.every((r) => r.total === base.total && r.evaluations === base.evaluations);
  console.log(`all libraries award the same points: ${agree ? 'yes' : 'NO'}`);
  console.log(
    '(a rule evaluation: its `when`, then its `points` if `when` holds; constant points are not CEL)',
  );

  const checks = await typeChecks();
  console.log('\ncompile-time type checking (what a rulebook load would report)');
  for (const c of checks) {
    console.log(`- ${c.what}: \`${c.text}\`\n    marcbachmann: ${c.marc}\n    bufbuild:     ${c.buf}`);
  }
  saveResult('cel-libraries', { rows, agree, checks, facts: facts.length, rounds });
  if (!agree) process.exitCode = 1;
}

await main();
