import type { ASTNode } from '@marcbachmann/cel-js';
import type { FieldValue } from '../../src/core/facts/fact.js';

type Data = Readonly<Record<string, FieldValue>>;
type Fn = (d: Data) => unknown;

/**
 * A what-if for the engine's owner, not engine code: a type-checked CEL AST (from
 * @marcbachmann/cel-js) turned into nested JS closures, for the subset fact rules use —
 * literals, `fact.x`, comparisons, `&&`, `||`, `!`, ternaries and `in` a literal list. Returns
 * undefined for anything else (the caller keeps the interpreter). Sound only after the
 * library's type check, which guarantees operands of one type (so `===` is CEL's `==`).
 *
 * @example
 * closureOf(env.parse('fact.amount >= 100.0 ? 2 : 1').ast)?.({ amount: 150 }) // 2
 */
export function closureOf(n: ASTNode): Fn | undefined {
  switch (n.op) {
    case 'value': {
      const v = n.args;
      const c = typeof v === 'bigint' ? Number(v) : v;
      if (typeof c !== 'number' && typeof c !== 'string' && typeof c !== 'boolean') return undefined;
      return () => c;
    }
    case '.': {
      const [target, field] = n.args as [ASTNode, string];
      if (target.op !== 'id' || target.args !== 'fact') return undefined;
      return (d) => d[field];
    }
    case '-_': {
      const x = closureOf(n.args as ASTNode);
      return x && ((d) => -(x(d) as number));
    }
    case '!_': {
      const x = closureOf(n.args as ASTNode);
      return x && ((d) => !x(d));
    }
    case '?:': {
      const [c, a, b] = (n.args as ASTNode[]).map(closureOf);
      if (!c || !a || !b) return undefined;
      return (d) => (c(d) ? a(d) : b(d));
    }
    case 'in': {
      const [l, r] = n.args as [ASTNode, ASTNode];
      const x = closureOf(l);
      if (!x || r.op !== 'list') return undefined;
      const items = (r.args as ASTNode[]).map((i) => (i.op === 'value' ? i.args : undefined));
      if (items.some((i) => typeof i !== 'string')) return undefined;
      const set = new Set(items);
      return (d) => set.has(x(d) as string);
    }
    default:
      return binary(n);
  }
}

function binary(n: ASTNode): Fn | undefined {
  const ops = ['==', '!=', '<', '<=', '>', '>=', '&&', '||'];
  if (!ops.includes(n.op)) return undefined;
  const [l, r] = (n.args as ASTNode[]).map(closureOf);
  if (!l || !r) return undefined;
  const a = l as (d: Data) => number;
  const b = r as (d: Data) => number;
  switch (n.op) {
    case '==':
      return (d) => a(d) === b(d);
    case '!=':
      return (d) => a(d) !== b(d);
    case '<':
      return (d) => a(d) < b(d);
    case '<=':
      return (d) => a(d) <= b(d);
    case '>':
      return (d) => a(d) > b(d);
    case '>=':
      return (d) => a(d) >= b(d);
    case '&&':
      return (d) => !!a(d) && !!b(d);
    default:
      return (d) => !!a(d) || !!b(d);
  }
}
