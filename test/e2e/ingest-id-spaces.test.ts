import { afterAll, describe, expect, it } from 'vitest';
import { countFacts, line, MARKETPLACE, makeWorld } from './cli.js';

const w = makeWorld({ programs: [MARKETPLACE] });
afterAll(() => w.dispose());

const pay = (id: string, amount = 50) =>
  line({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: '2026-03-01T10:00:00Z',
    subject: { phone: '+8613800138000' },
    data: { amount },
  });

describe('a fact id with spaces around it or a control character (real binary)', () => {
  // `"p1 "` and `"p1\u0000"` were stored as facts of their own beside `"p1"`: the same payment
  // re-sent with a padded id counted twice, and a retraction of "p1" left the padded one standing.
  // The source was already refused for the same reason; the id now is too.
  it('is refused with its line and field; the clean id is stored once', () => {
    const r = w.run(['ingest', '-'], {
      input: `${[pay('p1'), pay('p1 '), pay(' p1'), pay('p1\u0000'), pay('p\tx'), pay('p 2')].join('\n')}\n`,
    });
    expect(r.code).toBe(3);
    const refusals = r.stderr.trim().split('\n');
    expect(refusals).toEqual([
      '<stdin>:2 id: must have no spaces around it and no control characters, got "p1 " [CREDENCE_E_FACT_INVALID]',
      '<stdin>:3 id: must have no spaces around it and no control characters, got " p1" [CREDENCE_E_FACT_INVALID]',
      '<stdin>:4 id: must have no spaces around it and no control characters, got "p1\\u0000" [CREDENCE_E_FACT_INVALID]',
      '<stdin>:5 id: must have no spaces around it and no control characters, got "p\\tx" [CREDENCE_E_FACT_INVALID]',
    ]);
    // A space inside an id is the furnisher's own spelling, kept as sent.
    expect(countFacts(w.db)).toBe(2);
  });
});
