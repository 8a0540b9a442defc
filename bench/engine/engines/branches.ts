import { type ASTNode, parse } from '@marcbachmann/cel-js';
import type { RuleSpec } from '../rulebook-spec.js';

/** One comparison of a fact field with a literal: the unit json-rules-engine and zen can express. */
export interface Atom {
  readonly field: string;
  readonly op: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
  readonly value: number | string | boolean | readonly string[];
}

/** A rule as mutually exclusive branches: when all atoms hold, the rule gives `points`. */
export interface Branch {
  readonly atoms: readonly Atom[];
  readonly points: number;
}

const NEGATE: Record<Atom['op'], Atom['op']> = {
  '==': '!=',
  '!=': '==',
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
  in: 'not in',
  'not in': 'in',
};

/**
 * Rewrites a rule's `when` (a conjunction) and `points` (a number or nested ternaries) as
 * branches, for the engines that have no expression language of their own. Covers the
 * subset the bench rulebook is written in; anything else is refused loudly, never guessed.
 *
 * @example
 * ruleBranches(rule) // "a >= 100.0 ? 2 : 1" → [{atoms:[a>=100], points:2}, {atoms:[a<100], points:1}]
 */
export function ruleBranches(rule: RuleSpec): Branch[] {
  const when = rule.whenText === undefined ? [] : conjunction(parse(rule.whenText).ast, rule);
  const points = Number(rule.pointsText);
  const tree = Number.isFinite(points)
    ? [{ atoms: [], points }]
    : pointBranches(parse(rule.pointsText).ast, rule);
  return tree.map((b) => ({ atoms: [...when, ...b.atoms], points: b.points }));
}

function fail(rule: RuleSpec, what: string): never {
  throw new Error(
    `bench translator: rule ${rule.id}: ${what} is outside the subset json-rules-engine/zen get`,
  );
}

function conjunction(n: ASTNode, rule: RuleSpec): Atom[] {
  if (n.op === '&&') {
    const [l, r] = n.args as [ASTNode, ASTNode];
    return [...conjunction(l, rule), ...conjunction(r, rule)];
  }
  return [atom(n, rule)];
}

function field(n: ASTNode, rule: RuleSpec): string {
  const args = n.args as unknown[];
  const target = args[0] as ASTNode;
  if (n.op !== '.' || target.op !== 'id' || target.args !== 'fact') fail(rule, `operand at ${n.start}`);
  return args[1] as string;
}

function literal(n: ASTNode, rule: RuleSpec): number | string | boolean | string[] {
  if (n.op === 'value') {
    const v = n.args;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  }
  if (n.op === '-_') return -(literal(n.args as ASTNode, rule) as number);
  if (n.op === 'list') return (n.args as ASTNode[]).map((x) => literal(x, rule) as string);
  return fail(rule, `literal at ${n.start}`);
}

function atom(n: ASTNode, rule: RuleSpec): Atom {
  if (n.op === '.') return { field: field(n, rule), op: '==', value: true };
  if (n.op === '!_') {
    const a = atom(n.args as ASTNode, rule);
    return { ...a, op: NEGATE[a.op] };
  }
  const ops = ['==', '!=', '<', '<=', '>', '>=', 'in'];
  if (!ops.includes(n.op)) fail(rule, `operator ${n.op}`);
  const [l, r] = n.args as [ASTNode, ASTNode];
  return { field: field(l, rule), op: n.op as Atom['op'], value: literal(r, rule) };
}

function pointBranches(n: ASTNode, rule: RuleSpec): Branch[] {
  if (n.op === '?:') {
    const [c, a, b] = n.args as [ASTNode, ASTNode, ASTNode];
    const cond = atom(c, rule);
    const not = { ...cond, op: NEGATE[cond.op] };
    return [
      ...pointBranches(a, rule).map((x) => ({ atoms: [cond, ...x.atoms], points: x.points })),
      ...pointBranches(b, rule).map((x) => ({ atoms: [not, ...x.atoms], points: x.points })),
    ];
  }
  const v = literal(n, rule);
  if (typeof v !== 'number') fail(rule, 'points that are not a number');
  return [{ atoms: [], points: v }];
}
