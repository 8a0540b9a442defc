import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// A field declared as a mapping (`meta: { religion: string }`) was refused only as a wrong type,
// "[object Object]" is not one of: number, string, boolean; the special-category name inside it
// went unread, and once the type was fixed to a flat field under another name it would not be seen.

const book = (fields: string) => `program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  pay.done: { category: payment, fields: ${fields} }
`;

function refusal(text: string): CredenceError {
  try {
    compileRulebook(text, { file: 'p.yaml' });
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
  throw new Error('loaded');
}

describe('fields nested in a rulebook', () => {
  it('are read by the hard line at any depth', () => {
    for (const [fields, path] of [
      ['{ amount: number, meta: { religion: string } }', "events['pay.done'].fields.meta.religion"],
      [
        '{ amount: number, meta: { inner: { h3alth: number } } }',
        "events['pay.done'].fields.meta.inner.h3alth",
      ],
      ['{ amount: number, tags: [{ ethnicity: string }] }', "events['pay.done'].fields.tags[0].ethnicity"],
    ] as const) {
      const e = refusal(book(fields));
      expect(e.code, fields).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
      expect(e.details.map((d) => d.path)).toContain(path);
    }
  });

  it('are refused as a mapping shown as written, not as [object Object]', () => {
    const e = refusal(book('{ amount: number, meta: { note: string } }'));
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_INVALID');
    expect(e.details[0]?.path).toBe("events['pay.done'].fields.meta");
    expect(e.details[0]?.reason).toBe('a mapping {"note":"string"} is not one of: number, string, boolean');
  });
});
