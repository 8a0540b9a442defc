import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRulebook } from '../core/rulebook/index.js';
import { eventCatalog } from './event-catalog.js';
import { isRejection, MAX_LINE_CHARS, validateLine } from './validate.js';

const file = new URL('../../examples/programs/marketplace.yaml', import.meta.url);
const catalog = eventCatalog([compileRulebook(readFileSync(file, 'utf8'), { file: file.pathname })]);

const payment = (amount: string, occurredAt = '2026-03-01T10:00:00Z') =>
  `{"id":"p1","source":"pay","type":"payment.completed","occurredAt":"${occurredAt}","subject":{"phone":"+8613800138000"},"data":{"amount":${amount}}}`;

const reason = (text: string): string | undefined => {
  const v = validateLine({ file: 'f.jsonl', line: 1, text }, catalog);
  return isRejection(v) ? `${v.field}: ${v.reason}` : undefined;
};

describe('validateLine', () => {
  it('accepts a well-formed fact', () => {
    expect(reason(payment('12.5'))).toBeUndefined();
  });

  it('refuses a source with spaces around it or a control character, every time it is sent', () => {
    const withSource = (src: string) =>
      payment('1').replace('"source":"pay"', `"source":${JSON.stringify(src)}`);
    for (const bad of [' pay', 'pay ', 'pay\u0000x', 'pay\tx', '\u007fpay']) {
      for (let i = 0; i < 2; i++) {
        expect(reason(withSource(bad))).toBe(
          `source: must have no spaces around it and no control characters, got ${JSON.stringify(bad)}`,
        );
      }
    }
    // Spaces inside a name, and any other text, are names like any other.
    for (const good of ['pay', 'city pay', '支付', 'pay-2']) expect(reason(withSource(good))).toBeUndefined();
  });

  it('refuses a line longer than a fact may be, and takes one just within it', () => {
    const padded = (n: number) => {
      const base = payment('1');
      return `${base.slice(0, -1)},"note":"${'x'.repeat(n - base.length - 10)}"}`;
    };
    expect(padded(MAX_LINE_CHARS).length).toBe(MAX_LINE_CHARS);
    expect(reason(padded(MAX_LINE_CHARS))).toBeUndefined();
    expect(reason(padded(MAX_LINE_CHARS + 1))).toBe(
      `undefined: the line holds ${MAX_LINE_CHARS + 1} characters, more than the ${MAX_LINE_CHARS} a fact may take`,
    );
  });

  // JSON.parse reads 1e400 as Infinity, which JSON.stringify then printed as null.
  it('names a number too large to hold as what it is, not "number null"', () => {
    expect(reason(payment('1e400'))).toBe(
      'data.amount: must be a finite number, got a number too large to hold (Infinity)',
    );
    expect(reason(payment('-1e400'))).toBe(
      'data.amount: must be a finite number, got a number too large to hold (-Infinity)',
    );
  });

  it('refuses a line that was not UTF-8 (decoded with replacement characters)', () => {
    const gbk = Buffer.concat([
      Buffer.from(
        '{"id":"g1","source":"pay","type":"payment.completed","occurredAt":"2026-03-01T10:00:00Z","subject":{"phone":"+8613800138000","full_name":"',
      ),
      Buffer.from([0xcd, 0xf5, 0xc0, 0xf6]),
      Buffer.from('"},"data":{"amount":1}}'),
    ]).toString('utf8');
    expect(reason(gbk)).toMatch(/: not UTF-8 text: save the file as UTF-8 and send it again$/);
  });

  it('says a consent fact without data.program is missing it (not "got undefined undefined")', () => {
    const optOut = (data: string) =>
      `{"id":"o1","source":"desk","type":"credence.opt_out","occurredAt":"2026-03-01T10:00:00Z","subject":{"phone":"+8613800138000"}${data}}`;
    expect(reason(optOut(',"data":{}'))).toBe('data.program: must name a program, got nothing');
    expect(reason(optOut(''))).toBe('data.program: must name a program, got nothing');
  });

  // A date alone has no zone: read as UTC midnight, a furnisher at +08:00 would have every fact
  // dated eight hours late (an --as-of may be a day; an occurredAt must be an instant).
  it('refuses an occurredAt that is a date without a time and zone', () => {
    expect(reason(payment('1', '2026-03-01'))).toBe(
      'occurredAt: must be an ISO 8601 instant with a time zone (e.g. 2026-03-01T10:00:00Z), got the string "2026-03-01"',
    );
    expect(reason('{"id":"r1","source":"pay","retracts":"p1","occurredAt":"2026-03-01"}')).toMatch(
      /^occurredAt: must be an ISO 8601 instant with a time zone/,
    );
    expect(reason(payment('1', '2026-03-01T10:00:00+08:00'))).toBeUndefined();
  });

  it('refuses an id or source of only spaces as empty', () => {
    expect(reason(payment('1').replace('"id":"p1"', '"id":" "'))).toBe(
      'id: must be a non-empty string, got the string " "',
    );
    expect(reason(payment('1').replace('"source":"pay"', '"source":"\\t"'))).toMatch(
      /^source: must be a non-empty string/,
    );
  });

  it('refuses an occurredAt that is not a day of the calendar', () => {
    expect(reason(payment('1', '2026-02-30T10:00:00Z'))).toMatch(/^occurredAt: must be an ISO 8601 instant/);
  });
});

describe('a key sent twice in one object', () => {
  // JSON.parse keeps the last, so what was validated was not what the line (the stored body) says:
  // a first `data` holding `religion` passed the hard line and was stored verbatim.
  it('is refused, naming the key, wherever it is', () => {
    const smuggled = `${payment('5').slice(0, -1)},"data":{"amount":5}}`.replace(
      '"data":{"amount":5}',
      '"data":{"religion":"x"}',
    );
    expect(reason(smuggled)).toMatch(/^data: .*"data" appears twice in one object/);
    expect(reason(payment('5').replace('"phone"', '"phone":"+1","phone"'))).toMatch(/^subject\.phone: /);
    expect(reason(payment('5').replace('"amount":5', '"amount":"lots","amount":5'))).toMatch(
      /^data\.amount: /,
    );
    // The same name in different objects, in arrays or inside strings is no repeat.
    expect(
      reason(
        payment('5').replace('"amount":5', '"amount":5,"note":"\\"amount\\": 1","tags":[{"a":1},{"a":2}]'),
      ),
    ).toBeUndefined();
  });
});

describe('a fact nested thousands deep', () => {
  it('is refused as invalid, not a stack overflow that stops the file', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(reason(payment('5').replace('"amount":5', `"amount":5,"x":${deep}`))).toMatch(
      /nested more than 64 levels deep/,
    );
    const ok = `${'['.repeat(60)}${']'.repeat(60)}`;
    expect(reason(payment('5').replace('"amount":5', `"amount":5,"x":${ok}`))).toBeUndefined();
  });
});
