import { Environment } from '@marcbachmann/cel-js';
import { type AstNode, astChildren, factEnvironment, isAstNode } from './cel.js';
import type { FieldType } from './types.js';

// The word lists read what a rule writes. A rule that takes what it looks for from a value
// (`fact.comment.contains(fact.tag)`) writes nothing to read: the furnisher sends the word, and
// "protest" in a tag scores protests as surely as a quoted 'protest'. So what a rule searches text
// for, looks a value up in, or selects a field by must be written out in the rule (literals, or
// names bound to literals), where the policy can read it.

/** Functions whose argument is the text, pattern or separator searched for (CEL and its string extensions). */
const SEARCHES = new Set([
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'indexOf',
  'lastIndexOf',
  'replace',
  'split',
]);
/** Functions of text the policy reads through: a literal lower-cased is still that literal. */
const SAME_TEXT = new Set(['lowerAscii', 'upperAscii', 'trim', 'string', 'bytes', 'dyn', 'join']);
/** Comprehension macros: their first argument (two, for the two-variable forms) names a variable. */
const MACROS = new Set(['all', 'exists', 'exists_one', 'existsOne', 'map', 'filter']);
const TWO_VARIABLES = new Set(['all', 'exists', 'exists_one', 'existsOne']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
/** Types a comparison searches text by: `dyn` may hold a string. */
const TEXT_TYPES = new Set(['string', 'bytes', 'dyn']);

export type ValueFinding =
  | { readonly kind: 'search'; readonly text: string; readonly fn: string; readonly by: string }
  | { readonly kind: 'lookup'; readonly text: string; readonly by: string }
  | { readonly kind: 'select'; readonly text: string; readonly by: string }
  | { readonly kind: 'compare'; readonly text: string; readonly by: string }
  /** A word the rule builds from literals (`'pro' + 'test'`, `['pro', 'test'].join()`). */
  | { readonly kind: 'built'; readonly text: string; readonly value: string };

type Scope = ReadonlyMap<string, boolean>;
type Positioned = AstNode & { start?: number; end?: number; checkedType?: { name?: unknown } };

let parser: Environment | undefined;

const nameOf = (n: unknown): string | undefined =>
  isAstNode(n) && n.op === 'id' && typeof n.args === 'string' ? n.args : undefined;

/** The variables a comprehension or `cel.bind` introduces, and the node each ranges over. */
function binding(n: AstNode): { vars: string[]; over: AstNode; body: AstNode[] } | undefined {
  if (n.op !== 'rcall' || !Array.isArray(n.args)) return undefined;
  const [fn, target, rawArgs] = n.args as [unknown, unknown, unknown];
  const args = Array.isArray(rawArgs) ? rawArgs.filter(isAstNode) : [];
  if (fn === 'bind' && nameOf(target) === 'cel' && args.length === 3) {
    const v = nameOf(args[0]);
    return v && args[1] && args[2] ? { vars: [v], over: args[1], body: [args[2]] } : undefined;
  }
  if (typeof fn !== 'string' || !MACROS.has(fn) || !isAstNode(target) || args.length < 2) return undefined;
  const count = TWO_VARIABLES.has(fn) && args.length === 3 ? 2 : 1;
  const vars = args.slice(0, count).map(nameOf);
  if (vars.some((v) => v === undefined)) return undefined;
  return { vars: vars as string[], over: target, body: args.slice(count) };
}

/**
 * Whether a node's value is written out in the rule: literals, lists and maps of them, their
 * concatenation, a choice between them, or a variable bound to one. `fact.tag` is not.
 */
function readable(n: AstNode, scope: Scope): boolean {
  switch (n.op) {
    case 'value':
      return true;
    case 'id':
      return scope.get(String(n.args)) === true;
    case 'list':
      return astChildren(n).every((c) => readable(c, scope));
    case 'map':
      return astChildren(n).every((c) => readable(c, scope));
    case '+':
      return astChildren(n).every((c) => readable(c, scope));
    case '?:': {
      const [, yes, no] = n.args as AstNode[];
      return !!yes && !!no && readable(yes, scope) && readable(no, scope);
    }
    case 'rcall': {
      const [fn, target] = n.args as [unknown, AstNode];
      return (
        typeof fn === 'string' &&
        SAME_TEXT.has(fn) &&
        !!target &&
        astChildren(n).every((c) => readable(c, scope))
      );
    }
    case 'call': {
      const [fn] = n.args as [unknown];
      return typeof fn === 'string' && SAME_TEXT.has(fn) && astChildren(n).every((c) => readable(c, scope));
    }
    default:
      return false;
  }
}

/** The text a readable node spells, when it is one string (`'pro' + 'test'`); a choice gives each side. */
function spelled(n: AstNode): string[] {
  if (n.op === 'value') return typeof n.args === 'string' ? [n.args] : [];
  if (n.op === '+') {
    const [l, r] = n.args as AstNode[];
    if (!l || !r) return [];
    const ls = spelled(l);
    const rs = spelled(r);
    return ls.flatMap((a) => rs.map((b) => a + b)).slice(0, 16);
  }
  if (n.op === '?:') {
    const [, yes, no] = n.args as AstNode[];
    return yes && no ? [...spelled(yes), ...spelled(no)] : [];
  }
  if (n.op === 'rcall') {
    const [fn, target, args] = n.args as [string, AstNode, AstNode[]];
    if (fn === 'lowerAscii' || fn === 'upperAscii' || fn === 'trim') return spelled(target);
    if (fn === 'join' && target.op === 'list') {
      const sep = args[0] ? spelled(args[0]) : [''];
      const parts = astChildren(target).map(spelled);
      if (parts.some((p) => p.length !== 1) || sep.length !== 1) return [];
      return [parts.map((p) => p[0]).join(sep[0])];
    }
  }
  return [];
}

/**
 * Where a rule's expression takes what it searches for, looks up or selects by from a value
 * instead of from something written in the rule, and the words it builds from written pieces.
 * Given the event type's fields, a comparison of two texts neither of which is written in the rule
 * is one too: `fact.comment.split(' ').exists(w, w == fact.tag)` searches the comment for the tag.
 * An expression that does not parse has none (the compiler refuses it and says why).
 *
 * @example
 * valueFindings('fact.comment.contains(fact.tag)')
 * // [{ kind: 'search', text: 'fact.comment.contains(fact.tag)', fn: 'contains', by: 'fact.tag' }]
 */
export function valueFindings(expr: string, fields?: Readonly<Record<string, FieldType>>): ValueFinding[] {
  parser ??= new Environment();
  let ast: unknown;
  try {
    ast = parser.parse(expr).ast;
  } catch {
    return [];
  }
  // Comparisons of two values, typed only if there are any: most rules compare with a literal,
  // and a stored version's rules are checked again on every start, where building the typed
  // environment of every event type would cost what compiling rules lazily saves.
  const compared: Array<{ text: string; by: string }> = [];
  const out: ValueFinding[] = [];
  const textOf = (n: Positioned): string =>
    n.start !== undefined && n.end !== undefined ? expr.slice(n.start, n.end) : expr;
  const walk = (n: AstNode, scope: Scope, inBuilt: boolean): void => {
    const b = binding(n);
    if (b) {
      walk(b.over, scope, false);
      const inner = new Map(scope);
      for (const v of b.vars) inner.set(v, readable(b.over, scope));
      for (const x of b.body) walk(x, inner, false);
      return;
    }
    const args = n.args as unknown[];
    if ((n.op === 'rcall' || n.op === 'call') && Array.isArray(args) && typeof args[0] === 'string') {
      const fn = args[0];
      const given = (n.op === 'rcall' ? args[2] : args[1]) as unknown[];
      // The receiver form `s.contains(x)` searches for its first argument; the global form
      // `matches(s, x)` for its second.
      const sought = Array.isArray(given) ? given[n.op === 'rcall' ? 0 : 1] : undefined;
      if (SEARCHES.has(fn) && isAstNode(sought) && !readable(sought, scope)) {
        out.push({ kind: 'search', text: textOf(n), fn, by: textOf(sought) });
      }
    }
    if (n.op === 'in') {
      const [, list] = args as AstNode[];
      if (list && !readable(list, scope)) out.push({ kind: 'lookup', text: textOf(n), by: textOf(list) });
    }
    if (COMPARISONS.has(n.op)) {
      const [l, r] = args as AstNode[];
      if (l && r && !readable(l, scope) && !readable(r, scope))
        compared.push({ text: textOf(n), by: textOf(r as Positioned) });
    }
    if (n.op === '[]' || n.op === '[?]') {
      const [from, key] = args as AstNode[];
      if (from && key && !readable(key, scope) && !readable(from, scope)) {
        out.push({ kind: 'select', text: textOf(n), by: textOf(key) });
      }
    }
    const building = readable(n, scope) && n.op !== 'value' && n.op !== 'id';
    if (building && !inBuilt) {
      for (const value of spelled(n)) out.push({ kind: 'built', text: textOf(n), value });
    }
    for (const c of astChildren(n)) walk(c, scope, building || inBuilt);
  };
  if (isAstNode(ast)) walk(ast, new Map(), false);
  if (fields && compared.length > 0) out.push(...textComparisons(expr, fields, compared));
  return out;
}

/** The comparisons among `compared` (placed by their text) of which either side is text, by the checker's types. */
function textComparisons(
  expr: string,
  fields: Readonly<Record<string, FieldType>>,
  compared: ReadonlyArray<{ text: string; by: string }>,
): ValueFinding[] {
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = factEnvironment(fields).parse(expr);
  } catch {
    return [];
  }
  // An expression that does not type-check is refused by the compiler, which says why.
  if (!parsed.check().valid) return [];
  const textual = (n: unknown): boolean => {
    const t = (n as Positioned).checkedType?.name;
    return typeof t === 'string' && TEXT_TYPES.has(t);
  };
  const out: ValueFinding[] = [];
  const walk = (n: Positioned): void => {
    if (COMPARISONS.has(n.op)) {
      const [l, r] = n.args as Positioned[];
      const text = n.start !== undefined && n.end !== undefined ? expr.slice(n.start, n.end) : expr;
      const c = compared.find((x) => x.text === text);
      if (c && (textual(l) || textual(r))) out.push({ kind: 'compare', ...c });
    }
    for (const c of astChildren(n)) walk(c);
  };
  if (isAstNode(parsed.ast)) walk(parsed.ast);
  return out;
}
