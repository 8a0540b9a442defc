import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRulebook } from '../core/rulebook/index.js';
import { eventCatalog } from './event-catalog.js';
import { inexactNumber } from './json-keys.js';
import { isRejection, validateLine } from './validate.js';

const file = new URL('../../examples/programs/marketplace.yaml', import.meta.url);
const catalog = eventCatalog([compileRulebook(readFileSync(file, 'utf8'), { file: file.pathname })]);

const line = (subject: string, amount: string) =>
  `{"id":"p1","source":"pay","type":"payment.completed","occurredAt":"2026-03-01T10:00:00Z","subject":${subject},"data":{"amount":${amount}}}`;

const verdict = (text: string) => validateLine({ file: 'f.jsonl', line: 7, text }, catalog);

// Integers JSON.parse cannot hold: past 2^53, not a multiple of the spacing of doubles there.
const unsafe = fc
  .bigInt({ min: 2n ** 53n + 1n, max: 10n ** 22n })
  .filter((n) => BigInt(Number(n)) !== n)
  .map((n) => n.toString());

describe('a number with more digits than JSON.parse keeps', () => {
  it('sent as an ID is refused on its line, naming the field and the digits as written', () => {
    fc.assert(
      fc.property(unsafe, fc.constantFrom('national_id', 'account', 'other_id'), (digits, field) => {
        const v = verdict(line(`{"${field}":${digits}}`, '10'));
        expect(isRejection(v)).toBe(true);
        if (!isRejection(v)) return;
        expect(v.line).toBe(7);
        expect(v.field).toBe(`subject.${field}`);
        expect(v.reason).toContain(digits);
        expect(v.reason).toContain(BigInt(Number(digits)).toString());
        expect(v.reason).toContain('as a string');
      }),
    );
  });

  it('is refused in data and in arrays too, and only outside strings', () => {
    fc.assert(
      fc.property(unsafe, (digits) => {
        const v = verdict(line('{"phone":"+8613800138000"}', digits));
        expect(isRejection(v) && v.field).toBe('data.amount');
        // The same digits in a string are text, kept exactly.
        expect(inexactNumber(`{"a":"${digits}","b":[1,"x"]}`, { a: digits, b: [1, 'x'] })).toBeUndefined();
        expect(inexactNumber(`{"b":[1,${digits}]}`, JSON.parse(`{"b":[1,${digits}]}`))?.path).toBe('b[1]');
      }),
    );
  });

  it('is not refused when JSON.parse holds it exactly, nor as a fraction or an exponent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n }), (n) => {
        const text = `{"a":${n}}`;
        expect(inexactNumber(text, JSON.parse(text))).toBeUndefined();
      }),
    );
    for (const text of ['{"a":1.10105194912310021}', '{"a":110105194912310021e-5}', '{"a":1e25}']) {
      expect(inexactNumber(text, JSON.parse(text))).toBeUndefined();
    }
    expect(isRejection(verdict(line('{"phone":"+8613800138000"}', '12.5')))).toBe(false);
  });

  it('is found wherever JSON puts a number (after a colon, comma or bracket, with any spaces), and never in a string', () => {
    // Any JSON around it, the digits as a number at one of the places a number can stand, or as a
    // string; formatted compact or with JSON's whitespace between tokens.
    const where = fc.constantFrom('member', 'first', 'later', 'nested');
    fc.assert(
      fc.property(
        unsafe,
        fc.jsonValue({ maxDepth: 2 }),
        where,
        fc.boolean(),
        fc.constantFrom('', ' ', '\n\t '),
        (digits, other, at, asString, ws) => {
          const v = asString ? JSON.stringify(digits) : digits;
          const o = JSON.stringify(other);
          const body = {
            member: `{${ws}"x"${ws}:${ws}${v}${ws},${ws}"o"${ws}:${ws}${o}${ws}}`,
            first: `{"a":[${ws}${v}${ws},${ws}${o}]}`,
            later: `{"a":[${o},${ws}${v}${ws}]}`,
            nested: `{"o":${o},"d":{"e":[[${ws}${v}]]}}`,
          }[at];
          const found = inexactNumber(body, JSON.parse(body));
          expect(found === undefined).toBe(asString);
          if (found) expect(found.literal).toBe(digits);
        },
      ),
    );
  });
});
