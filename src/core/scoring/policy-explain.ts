import {
  type AstNode,
  astChildren,
  celPolicyContext,
  dimensionAccess,
  isAstNode,
  literalString,
  policyEnvironment,
} from '../rulebook/cel.js';
import type { CompiledPolicy, PolicyInput } from '../rulebook/types.js';

const COMPARE: Record<string, (a: number | string, b: number | string) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function literal(n: AstNode): number | string | undefined {
  if (n.op === 'value') {
    const v = n.args;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number' || typeof v === 'string') return v;
  }
  if (n.op === '-_' && isAstNode(n.args)) {
    const inner = literal(n.args);
    return typeof inner === 'number' ? -inner : undefined;
  }
  return undefined;
}

function operand(n: AstNode, input: PolicyInput): { name: string; value: number | string } | undefined {
  if (n.op === 'id' && n.args === 'score') return { name: 'score', value: input.score };
  if (n.op === 'id' && n.args === 'tier') return { name: 'tier', value: input.tier };
  const dim = dimensionAccess(n);
  if (dim !== undefined) return { name: `dimension ${dim}`, value: input.dimensions[dim] ?? 0 };
  return undefined;
}

function show(v: number | string): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/**
 * Plain-words reasons why a privilege or restriction holds or not, one per condition it tests:
 * "needs score >= 650, has 612", "flag dishonest-debtor is set". Conditions it cannot read
 * this way are quoted with their outcome.
 */
export function explainPolicy(policy: CompiledPolicy, input: PolicyInput): string[] {
  const out: string[] = [];
  const walk = (n: AstNode, negated: boolean): void => {
    if (n.op === '!_' && isAstNode(n.args)) {
      walk(n.args, !negated);
      return;
    }
    if (n.op === '&&' || n.op === '||') {
      // Alternatives - an || or, under a negation, an && (not both) - are said as such: one
      // condition met is enough, and a list of plain "needs" would read as all of them needed.
      const either = (n.op === '||') !== negated;
      astChildren(n).forEach((c, i) => {
        const at = out.length;
        walk(c, negated);
        if (either && i > 0 && out[at] !== undefined) out[at] = `or ${out[at]}`;
      });
      return;
    }
    if (n.op === 'in') {
      const [l, r] = n.args as [AstNode, AstNode];
      const flag = literalString(l);
      if (flag !== undefined && r.op === 'id' && r.args === 'flags') {
        const has = input.flags.includes(flag);
        const ok = has !== negated;
        out.push(
          negated
            ? `needs no "${flag}" flag: ${has ? 'has it' : 'has none'} ${ok ? '✓' : '✗'}`
            : `needs the "${flag}" flag: ${has ? 'has it' : 'has none'} ${ok ? '✓' : '✗'}`,
        );
        return;
      }
    }
    const cmp = COMPARE[n.op];
    if (cmp) {
      const [l, r] = n.args as [AstNode, AstNode];
      let op = n.op;
      let subject = operand(l, input);
      let lit = literal(r);
      if (!subject) {
        subject = operand(r, input);
        lit = literal(l);
        op = FLIP[op] as string;
      }
      if (subject && lit !== undefined) {
        const holds = (COMPARE[op] as (a: number | string, b: number | string) => boolean)(
          subject.value,
          lit,
        );
        const ok = holds !== negated;
        out.push(
          `needs ${negated ? 'not ' : ''}${subject.name} ${op} ${show(lit)}, has ${show(subject.value)} ${ok ? '✓' : '✗'}`,
        );
        return;
      }
    }
    const expr = (n as unknown as { input?: string; range?: { start: number; end: number } }).input;
    const range = (n as unknown as { range?: { start: number; end: number } }).range;
    const text = expr && range ? expr.slice(range.start, range.end) : undefined;
    // Not put in words, but still said whether it held: the quoted condition is evaluated alone.
    const holds = text === undefined ? undefined : conditionHolds(text, input);
    if (text !== undefined && holds !== undefined) {
      const ok = holds !== negated;
      out.push(
        `needs ${negated ? 'not ' : ''}"${text}": ${holds ? 'holds' : 'does not hold'} ${ok ? '✓' : '✗'}`,
      );
      return;
    }
    out.push(`condition ${text !== undefined ? `"${text}"` : 'of the rule'} is tested as a whole`);
  };
  walk(policy.ast as AstNode, false);
  return out;
}

/** A condition of a policy (a part of its CEL, standing alone) evaluated on the input; undefined if it cannot be. */
function conditionHolds(text: string, input: PolicyInput): boolean | undefined {
  try {
    const v = policyEnvironment().parse(text)(celPolicyContext(input));
    return typeof v === 'boolean' ? v : undefined;
  } catch {
    return undefined;
  }
}
