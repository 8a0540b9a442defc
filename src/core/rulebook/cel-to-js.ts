import type { FieldType } from './types.js';

// A small compiler from the type-checked CEL syntax tree to a JavaScript function, for the
// part of CEL that rulebooks use (literals, fields, arithmetic, comparisons, logic, ternaries,
// membership, size and a few string methods). Parsing and type checking stay with the CEL
// library; anything outside this subset returns undefined and runs on the library's
// interpreter instead. Why: the interpreter converts each fact into a typed map on every call,
// which made rule evaluation 3–4× slower than the same rules written as TypeScript functions.
// A property test (cel-to-js.test.ts) holds both paths to the same answers.

type JsType = 'double' | 'int' | 'string' | 'bool' | 'list';

interface Emitted {
  readonly code: string;
  readonly type: JsType;
}

type AstNode = { op: string; args: unknown };

/** What the expression's variables are: one fact's fields, or the policy inputs. */
export type CelScope = { kind: 'fact'; fields: Readonly<Record<string, FieldType>> } | { kind: 'policy' };

const FIELD_TYPE: Record<FieldType, JsType> = { number: 'double', string: 'string', boolean: 'bool' };
const COMPARE: Record<string, string> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '===',
  '!=': '!==',
};
const NUMERIC = new Set<JsType>(['double', 'int']);

function isNode(x: unknown): x is AstNode {
  return typeof x === 'object' && x !== null && 'op' in x && 'args' in x;
}

function literal(v: unknown): Emitted | undefined {
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
    return { code: `(${String(v)})`, type: 'int' };
  }
  if (typeof v === 'number')
    return Number.isFinite(v) ? { code: `(${JSON.stringify(v)})`, type: 'double' } : undefined;
  if (typeof v === 'string') return { code: JSON.stringify(v), type: 'string' };
  if (typeof v === 'boolean') return { code: String(v), type: 'bool' };
  return undefined;
}

function emit(n: unknown, scope: CelScope): Emitted | undefined {
  if (!isNode(n)) return undefined;
  const a = n.args as unknown[];
  switch (n.op) {
    case 'value':
      return literal(n.args);
    case 'id':
      if (scope.kind === 'policy') {
        if (n.args === 'score') return { code: 'i.score', type: 'int' };
        if (n.args === 'tier') return { code: 'i.tier', type: 'string' };
        if (n.args === 'flags') return { code: 'i.flags', type: 'list' };
      }
      return undefined;
    case '.':
    case '[]': {
      const [target, key] = a;
      const name = n.op === '.' ? key : isNode(key) && key.op === 'value' ? key.args : undefined;
      if (typeof name !== 'string' || !isNode(target) || target.op !== 'id') return undefined;
      if (scope.kind === 'fact' && target.args === 'fact') {
        const t = scope.fields[name];
        // A field the fact lacks (sent before a later version declared it) is an error, as in
        // the interpreter, not undefined read on: `undefined > 2` would silently be false.
        const k = JSON.stringify(name);
        return t ? { code: `(d[${k}] ?? miss(${k}))`, type: FIELD_TYPE[t] } : undefined;
      }
      if (scope.kind === 'policy' && target.args === 'dimensions') {
        return { code: `dim(i.dimensions, ${JSON.stringify(name)})`, type: 'double' };
      }
      return undefined;
    }
    case '!_': {
      const x = emit(n.args, scope);
      return x?.type === 'bool' ? { code: `(!${x.code})`, type: 'bool' } : undefined;
    }
    case '-_': {
      const x = emit(n.args, scope);
      return x && NUMERIC.has(x.type) ? { code: `(-${x.code})`, type: x.type } : undefined;
    }
    case '&&':
    case '||': {
      const l = emit(a[0], scope);
      const r = emit(a[1], scope);
      return l?.type === 'bool' && r?.type === 'bool'
        ? { code: `(${l.code} ${n.op} ${r.code})`, type: 'bool' }
        : undefined;
    }
    case '?:': {
      const c = emit(a[0], scope);
      const t = emit(a[1], scope);
      const f = emit(a[2], scope);
      if (c?.type !== 'bool' || !t || !f || t.type !== f.type) return undefined;
      return { code: `(${c.code} ? ${t.code} : ${f.code})`, type: t.type };
    }
    case 'in': {
      const x = emit(a[0], scope);
      const list = a[1];
      if (!x) return undefined;
      if (isNode(list) && list.op === 'list' && Array.isArray(list.args)) {
        const items = list.args.map((i) => emit(i, scope));
        if (items.some((i) => !i || i.type !== x.type)) return undefined;
        return { code: `[${items.map((i) => i!.code).join(', ')}].includes(${x.code})`, type: 'bool' };
      }
      const l = emit(list, scope);
      if (l?.type === 'list' && x.type === 'string')
        return { code: `${l.code}.includes(${x.code})`, type: 'bool' };
      return undefined;
    }
    case 'call': {
      const [name, callArgs] = a as [string, unknown[]];
      if (name === 'size' && callArgs.length === 1) {
        const x = emit(callArgs[0], scope);
        return x && (x.type === 'string' || x.type === 'list')
          ? { code: `${x.code}.length`, type: 'int' }
          : undefined;
      }
      if (name === 'double' && callArgs.length === 1) {
        const x = emit(callArgs[0], scope);
        return x && NUMERIC.has(x.type) ? { code: x.code, type: 'double' } : undefined;
      }
      return undefined;
    }
    case 'rcall': {
      const [name, target, callArgs] = a as [string, unknown, unknown[]];
      const t = emit(target, scope);
      const arg = callArgs.length === 1 ? emit(callArgs[0], scope) : undefined;
      if (t?.type !== 'string' || arg?.type !== 'string') return undefined;
      if (name === 'startsWith' || name === 'endsWith')
        return { code: `${t.code}.${name}(${arg.code})`, type: 'bool' };
      if (name === 'contains') return { code: `${t.code}.includes(${arg.code})`, type: 'bool' };
      return undefined;
    }
    default: {
      const l = emit(a?.[0], scope);
      const r = emit(a?.[1], scope);
      if (!l || !r) return undefined;
      const cmp = COMPARE[n.op];
      if (cmp) {
        const comparable = l.type === r.type || (NUMERIC.has(l.type) && NUMERIC.has(r.type));
        if (!comparable || l.type === 'list') return undefined;
        if (cmp !== '===' && cmp !== '!==' && l.type === 'bool') return undefined;
        return { code: `(${l.code} ${cmp} ${r.code})`, type: 'bool' };
      }
      if (l.type !== r.type) return undefined;
      if (n.op === '+' && l.type === 'string') return { code: `(${l.code} + ${r.code})`, type: 'string' };
      if (!NUMERIC.has(l.type)) return undefined;
      if (n.op === '+' || n.op === '-' || n.op === '*') {
        return l.type === 'int'
          ? { code: `int(${l.code} ${n.op} ${r.code})`, type: 'int' }
          : { code: `(${l.code} ${n.op} ${r.code})`, type: 'double' };
      }
      if (n.op === '/') {
        return l.type === 'int'
          ? { code: `idiv(${l.code}, ${r.code})`, type: 'int' }
          : { code: `(${l.code} / ${r.code})`, type: 'double' };
      }
      if (n.op === '%' && l.type === 'int') return { code: `imod(${l.code}, ${r.code})`, type: 'int' };
      return undefined;
    }
  }
}

// CEL's int is 64-bit and errors on overflow; within JavaScript's safe range the results agree,
// beyond it we refuse rather than round silently.
function int(x: number): number {
  if (!Number.isSafeInteger(x)) throw new RangeError('integer overflow');
  return x;
}
function idiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('division by zero');
  return int(Math.trunc(a / b));
}
function imod(a: number, b: number): number {
  if (b === 0) throw new RangeError('modulus by zero');
  return a % b;
}
function miss(name: string): never {
  throw new RangeError(`No such key: ${name}`);
}
function dim(dims: Readonly<Record<string, number>>, name: string): number {
  const v = dims[name];
  if (v === undefined) throw new RangeError(`no such key: ${name}`);
  return v;
}

/**
 * Compiles a type-checked CEL syntax tree to a JavaScript function of the fact's data (`d`) or
 * the policy input (`i`), or returns undefined when the tree leaves the supported subset.
 */
export function celToJs(ast: unknown, scope: CelScope): ((input: never) => unknown) | undefined {
  const e = emit(ast, scope);
  if (!e) return undefined;
  const param = scope.kind === 'fact' ? 'd' : 'i';
  const factory = new Function('int', 'idiv', 'imod', 'dim', 'miss', `return (${param}) => ${e.code};`) as (
    ...helpers: unknown[]
  ) => (input: never) => unknown;
  return factory(int, idiv, imod, dim, miss);
}
