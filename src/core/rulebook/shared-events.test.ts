import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';
import { checkSharedEvents, sharedEventConflicts } from './shared-events.js';

// A fact of a type several programs declare must carry every program's fields, each of its
// declared type. Two programs that declare the same field of the same type differently can never
// both be fed: loading the second must be refused, naming the field and the other program.

type Fields = Record<string, 'number' | 'string' | 'boolean'>;
const arbFields: fc.Arbitrary<Fields> = fc.dictionary(
  fc.constantFrom('amount', 'shop', 'late'),
  fc.constantFrom('number' as const, 'string' as const, 'boolean' as const),
  { maxKeys: 3 },
);
const arbEvents = fc.dictionary(fc.constantFrom('shop.buy', 'pay.done', 'court.case'), arbFields, {
  minKeys: 1,
  maxKeys: 3,
});

function yaml(program: string, events: Record<string, Fields>): string {
  const lines = [
    `program: ${program}`,
    `name: ${program}`,
    'enrollment: opt-out',
    'scale: { min: 0, max: 100, base: 50 }',
    'tiers: [{ id: A, min: 0 }]',
    'events:',
  ];
  for (const [type, fields] of Object.entries(events)) {
    const fs = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
    lines.push(`  ${type}: { category: commerce, fields: { ${fs.join(', ')} } }`);
  }
  return `${lines.join('\n')}\n`;
}

describe('event types shared between programs', () => {
  it('conflict exactly where a shared type has a shared field of another type', () => {
    fc.assert(
      fc.property(arbEvents, arbEvents, (a, b) => {
        const pa = compileRulebook(yaml('pa', a), { file: 'pa.yaml' });
        const pb = compileRulebook(yaml('pb', b), { file: 'pb.yaml' });
        const want: string[] = [];
        for (const [type, fields] of Object.entries(b))
          for (const [field, t] of Object.entries(fields)) {
            const theirs = a[type]?.[field];
            if (theirs !== undefined && theirs !== t) want.push(`events['${type}'].fields.${field}`);
          }
        expect(sharedEventConflicts(pb, [pa]).map((d) => d.path)).toEqual(want);
        // A program never conflicts with its own earlier version.
        const pa2 = compileRulebook(yaml('pa', b), { file: 'pa2.yaml', version: 2 });
        expect(sharedEventConflicts(pa2, [pa])).toEqual([]);
      }),
    );
  });

  it('a refusal names the file, the line, the field and the other program', () => {
    const text = yaml('pb', { 'shop.buy': { amount: 'string' } });
    const pa = compileRulebook(yaml('pa', { 'shop.buy': { amount: 'number' } }), { file: 'pa.yaml' });
    const pb = compileRulebook(text, { file: 'pb.yaml' });
    let e: unknown;
    try {
      checkSharedEvents(text, 'pb.yaml', pb, [pa]);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(CredenceError);
    expect((e as CredenceError).code).toBe('CREDENCE_E_RULEBOOK_INVALID');
    expect((e as CredenceError).details).toEqual([
      expect.objectContaining({
        file: 'pb.yaml',
        line: 7,
        path: "events['shop.buy'].fields.amount",
        reason: expect.stringMatching(/is string here, but program pa \(v1\) declares it number/),
      }),
    ]);
  });
});
