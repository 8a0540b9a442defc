import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// The harness of the hard-line tests of rule expressions: a one-rule rulebook around a `when`,
// and what compiling it throws.

/** A one-rule rulebook whose rule holds `when` over an event with a number and a text field. */
export const book = (when: string) => `program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 50 }, { id: B, min: 0 }]
events:
  pay.done: { category: payment, fields: { amount: number, comment: string } }
rules:
  - { id: r0, on: pay.done, when: ${JSON.stringify(when)}, points: -5, reason: { code: A0, text: a } }
`;

/** The CredenceError compiling `text` throws, or undefined when it loads. */
export function outcome(text: string): CredenceError | undefined {
  try {
    compileRulebook(text, { file: 'p.yaml' });
    return undefined;
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
}
