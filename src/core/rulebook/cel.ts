import { type ASTNode, Environment } from '@marcbachmann/cel-js';
import { celToJs } from './cel-to-js.js';
import type { FieldType, PolicyInput, PolicyReads } from './types.js';

// CEL expressions are parsed and type-checked once, when a rulebook loads; scoring only
// calls the compiled function. Type errors (an unknown field, a string compared with a
// number) therefore surface as load errors naming the rule.

const CEL_TYPE: Record<FieldType, string> = { number: 'double', string: 'string', boolean: 'bool' };

export interface CelProblem {
  readonly reason: string;
}

export type CelResult<T> =
  | { ok: true; fn: T; ast: ASTNode; type: string; compiled: 'js' | 'interpreted' }
  | { ok: false; reason: string };

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}

// One environment per distinct field list: every rule over an event type shares it, and building
// one (registering the variable's type and its overloads) cost more than checking a rule.
const factEnvs = new Map<string, Environment>();

/** An environment where `fact` has exactly the declared fields of one event type. */
export function factEnvironment(fields: Readonly<Record<string, FieldType>>): Environment {
  const schema: Record<string, string> = {};
  for (const [name, t] of Object.entries(fields)) schema[name] = CEL_TYPE[t];
  const key = JSON.stringify(schema);
  let env = factEnvs.get(key);
  if (!env) {
    if (factEnvs.size >= 1000) factEnvs.clear();
    env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable({ name: 'fact', schema });
    factEnvs.set(key, env);
  }
  return env;
}

let policyEnv: Environment | undefined;
/** The environment privileges and restrictions are written in. */
export function policyEnvironment(): Environment {
  policyEnv ??= new Environment({ homogeneousAggregateLiterals: false })
    .registerVariable('score', 'int')
    .registerVariable('tier', 'string')
    .registerVariable('dimensions', 'map<string, double>')
    .registerVariable('flags', 'list<string>');
  return policyEnv;
}

/**
 * What is wrong with how an expression reads `fact`, if anything: a rule reads a fact only by
 * its declared fields (`fact.amount`, `fact['amount']`). The type checker lets `has()` name an
 * undeclared field, and lets a computed key or `dyn(fact)` through, which then fail on every
 * fact at scoring ("No such key"); such an expression is refused when the rulebook loads.
 */
export function factAccessProblem(
  ast: unknown,
  fields: Readonly<Record<string, FieldType>>,
  type = 'this event type',
): string | undefined {
  const isFact = (n: unknown): boolean => isNode(n) && n.op === 'id' && n.args === 'fact';
  const declared = (name: string): string | undefined =>
    Object.hasOwn(fields, name) ? undefined : `reads fact.${name}, which ${type} does not declare`;
  const walk = (n: Node): string | undefined => {
    const args = n.args as unknown[];
    if ((n.op === '.' || n.op === '.?') && Array.isArray(args) && isFact(args[0]))
      return typeof args[1] === 'string' ? declared(args[1]) : 'reads fact by a name it cannot check';
    if ((n.op === '[]' || n.op === '[?]') && Array.isArray(args) && isFact(args[0])) {
      const key = literalString(args[1]);
      return key === undefined
        ? 'reads fact by a computed key; name a declared field (fact.amount)'
        : declared(key);
    }
    if (isFact(n)) return 'uses fact as a whole; read its declared fields (fact.amount)';
    for (const c of children(n)) {
      const problem = walk(c);
      if (problem) return problem;
    }
    return undefined;
  };
  return isNode(ast) ? walk(ast) : undefined;
}

function compile(env: Environment, text: string, accept: readonly string[]) {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(text);
  } catch (e) {
    return { ok: false as const, reason: `does not parse: ${firstLine(e)}` };
  }
  // The tree just parsed is the one checked (`env.check(text)` would parse the text again).
  const checked = parsed.check();
  if (!checked.valid) {
    const why = firstLine(checked.error);
    // CEL does not mix double and int; fact numbers and dimensions are doubles, the score an int,
    // so `fact.amount / 3` fails with a message about overloads that does not say what to write.
    const mixed = /\bdouble\b/.test(why) && /\bint\b/.test(why);
    return {
      ok: false as const,
      reason: `does not type-check: ${why}${mixed ? '; CEL does not mix int and double: write 1.0 beside a double (fact numbers, dimensions) and 1 beside an int (score), or convert with double() or int()' : ''}`,
    };
  }
  const type = checked.type ?? 'dyn';
  if (!accept.includes(type)) {
    return { ok: false as const, reason: `has type ${type}, expected ${accept.join(' or ')}` };
  }
  return { ok: true as const, parsed, type };
}

/**
 * The compiled JavaScript, and the interpreter when it throws: an error (a field the fact lacks,
 * an overflow) is where the two could part - CEL's && and || absorb an error the other side
 * decides, and its messages are its own - so the interpreter, the reference, answers those cases.
 * The common case pays a try block and nothing else.
 */
function orInterpreted<T>(js: (d: object) => T, interpreted: (d: object) => T): (d: object) => T {
  return (data) => {
    try {
      return js(data);
    } catch {
      return interpreted(data);
    }
  };
}

/** Compiles a rule's `when` over one fact. */
export function compileFactPredicate(
  fields: Readonly<Record<string, FieldType>>,
  text: string,
  type?: string,
): CelResult<(data: object) => boolean> {
  const r = compile(factEnvironment(fields), text, ['bool']);
  if (!r.ok) return r;
  const p = r.parsed;
  const misread = factAccessProblem(p.ast, fields, type);
  if (misread) return { ok: false, reason: misread };
  const interpreted = (data: object): boolean => p({ fact: data }) === true;
  const js = celToJs(p.ast, { kind: 'fact', fields }) as ((d: object) => boolean) | undefined;
  if (js) return { ok: true, fn: orInterpreted(js, interpreted), ast: p.ast, type: r.type, compiled: 'js' };
  return {
    ok: true,
    fn: interpreted,
    ast: p.ast,
    type: r.type,
    compiled: 'interpreted',
  };
}

/** Compiles a rule's `points` over one fact; CEL ints arrive as BigInt and leave as numbers. */
export function compileFactPoints(
  fields: Readonly<Record<string, FieldType>>,
  text: string,
  type?: string,
): CelResult<(data: object) => number> {
  const r = compile(factEnvironment(fields), text, ['int', 'double', 'uint']);
  if (!r.ok) return r;
  const p = r.parsed;
  const misread = factAccessProblem(p.ast, fields, type);
  if (misread) return { ok: false, reason: misread };
  const interpreted = (data: object): number => {
    const v = p({ fact: data });
    // int is a bigint; uint an object whose valueOf() is one (the checker accepts both).
    return typeof v === 'number' ? v : Number(typeof v === 'object' && v !== null ? v.valueOf() : v);
  };
  const js = celToJs(p.ast, { kind: 'fact', fields }) as ((d: object) => number) | undefined;
  if (js) return { ok: true, fn: orInterpreted(js, interpreted), ast: p.ast, type: r.type, compiled: 'js' };
  return {
    ok: true,
    fn: interpreted,
    ast: p.ast,
    type: r.type,
    compiled: 'interpreted',
  };
}

/** Compiles a privilege's or restriction's `when` over score, tier, dimensions and flags. */
export function compilePolicy(text: string): CelResult<(input: PolicyInput) => boolean> {
  const r = compile(policyEnvironment(), text, ['bool']);
  if (!r.ok) return r;
  const p = r.parsed;
  const js = celToJs(p.ast, { kind: 'policy' }) as ((i: PolicyInput) => boolean) | undefined;
  if (js) return { ok: true, fn: js, ast: p.ast, type: r.type, compiled: 'js' };
  return {
    ok: true,
    fn: (input) => p(celPolicyContext(input)) === true,
    ast: p.ast,
    type: r.type,
    compiled: 'interpreted',
  };
}

export function celPolicyContext(input: PolicyInput): Record<string, unknown> {
  return {
    score: BigInt(Math.round(input.score)),
    tier: input.tier,
    dimensions: input.dimensions,
    flags: input.flags,
  };
}

type Node = { op: string; args: unknown };
const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && 'op' in x && 'args' in x;

function children(n: Node): Node[] {
  const a = n.args;
  if (isNode(a)) return [a];
  if (!Array.isArray(a)) return [];
  const out: Node[] = [];
  for (const x of a) {
    if (isNode(x)) out.push(x);
    else if (Array.isArray(x)) for (const y of x) if (isNode(y)) out.push(y);
  }
  return out;
}

/** A literal string of a node, if it is one. */
export function literalString(n: unknown): string | undefined {
  return isNode(n) && n.op === 'value' && typeof n.args === 'string' ? n.args : undefined;
}

/** Names a dimension access `dimensions.x` / `dimensions['x']`, if the node is one. */
export function dimensionAccess(n: unknown): string | undefined {
  if (!isNode(n)) return undefined;
  const args = n.args as unknown[];
  if (
    (n.op === '.' || n.op === '.?') &&
    isNode(args[0]) &&
    args[0].op === 'id' &&
    args[0].args === 'dimensions'
  ) {
    return typeof args[1] === 'string' ? args[1] : undefined;
  }
  if (
    (n.op === '[]' || n.op === '[?]') &&
    isNode(args[0]) &&
    args[0].op === 'id' &&
    args[0].args === 'dimensions'
  ) {
    return literalString(args[1]);
  }
  return undefined;
}

/**
 * What a policy expression reads. A flag named as `'id' in flags` reads that flag only; any
 * other use of `flags` (size, a variable on the left) reads them all; likewise dimensions.
 */
export function policyReads(ast: ASTNode): PolicyReads {
  let score = false;
  let tier = false;
  let allFlags = false;
  let allDimensions = false;
  const flags = new Set<string>();
  const dimensions = new Set<string>();
  const walk = (n: Node): void => {
    if (n.op === 'in') {
      const [l, r] = n.args as [Node, Node];
      const lit = literalString(l);
      if (lit !== undefined && r.op === 'id' && r.args === 'flags') {
        flags.add(lit);
        return;
      }
    }
    const dim = dimensionAccess(n);
    if (dim !== undefined) {
      dimensions.add(dim);
      return;
    }
    if (n.op === 'id') {
      if (n.args === 'score') score = true;
      else if (n.args === 'tier') tier = true;
      else if (n.args === 'flags') allFlags = true;
      else if (n.args === 'dimensions') allDimensions = true;
      return;
    }
    for (const c of children(n)) walk(c);
  };
  walk(ast as unknown as Node);
  return { score, tier, flags: [...flags], allFlags, dimensions: [...dimensions], allDimensions };
}

const isTier = (n: unknown): boolean => isNode(n) && n.op === 'id' && n.args === 'tier';
const ORDERINGS = new Set(['<', '<=', '>', '>=']);

/**
 * How a policy expression compares `tier`: the strings it compares it with (`tier == 'AA'`,
 * `tier in ['AAA', 'AA']`), and whether it orders it (`tier >= 'A'`), which compares names letter
 * by letter, not the tiers' ranks.
 */
export function tierComparisons(ast: ASTNode): { literals: string[]; ordered: boolean } {
  const literals: string[] = [];
  let ordered = false;
  const walk = (n: Node): void => {
    const args = n.args as unknown[];
    if ((n.op === '==' || n.op === '!=') && Array.isArray(args)) {
      const [l, r] = args;
      const lit = isTier(l) ? literalString(r) : isTier(r) ? literalString(l) : undefined;
      if (lit !== undefined) literals.push(lit);
    }
    if (n.op === 'in' && Array.isArray(args) && isTier(args[0]) && isNode(args[1]) && args[1].op === 'list') {
      for (const c of children(args[1])) {
        const lit = literalString(c);
        if (lit !== undefined) literals.push(lit);
      }
    }
    if (ORDERINGS.has(n.op) && Array.isArray(args) && (isTier(args[0]) || isTier(args[1]))) ordered = true;
    for (const c of children(n)) walk(c);
  };
  walk(ast as unknown as Node);
  return { literals, ordered };
}

export { children as astChildren, isNode as isAstNode, type Node as AstNode };
