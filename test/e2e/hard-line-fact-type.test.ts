import { afterAll, describe, expect, it } from 'vitest';
import { CITY_CIVIC, countFacts, line, MARKETPLACE, makeWorld } from './cli.js';

const w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
afterAll(() => w.dispose());

const fact = (id: string, type: string, data: Record<string, unknown> = { amount: 10 }) =>
  line({
    id,
    source: 'pay',
    type,
    occurredAt: '2026-03-01T10:00:00Z',
    subject: { phone: '+8613800138000' },
    data,
  });

describe('a fact whose event type or field names special-category data (real binary)', () => {
  // A fact of type `religion.service_attended` was refused as an unknown type, as if loading a
  // program that declares it would let it in, where no program may ever declare it: the hard line
  // says so. And `relıgion` (a dotless ı) was stored where `religion` is refused.
  it('is refused as the hard line, CREDENCE_E_FACT_PROHIBITED, naming the word; nothing is stored', () => {
    const lines = [
      fact('a', 'religion.service_attended'),
      fact('b', 'health.clinic_visit'),
      fact('c', 'protest.joined'),
      fact('d', 'union.dues_paid'),
      fact('e', 'payment.completed', { amount: 10, 'rel\u0131gion': 'x' }),
      fact('f', 'no.such_type'),
    ];
    const r = w.run(['ingest', '-'], { input: `${lines.join('\n')}\n` });
    expect(r.code).toBe(3);
    const refusals = r.stderr.trim().split('\n');
    expect(refusals).toHaveLength(6);
    expect(refusals[0]).toMatch(
      /^<stdin>:1 type: "religion\.service_attended" names .*\("religion"\).*\[CREDENCE_E_FACT_PROHIBITED\]$/,
    );
    expect(refusals[1]).toMatch(/^<stdin>:2 type: "health\.clinic_visit" .*\[CREDENCE_E_FACT_PROHIBITED\]$/);
    expect(refusals[2]).toMatch(/^<stdin>:3 type: "protest\.joined" .*\[CREDENCE_E_FACT_PROHIBITED\]$/);
    expect(refusals[3]).toMatch(/^<stdin>:4 type: "union\.dues_paid" .*\[CREDENCE_E_FACT_PROHIBITED\]$/);
    expect(refusals[4]).toMatch(/^<stdin>:5 data\.rel\u0131gion: .*\[CREDENCE_E_FACT_PROHIBITED\]$/);
    // An ordinary unknown type is still just unknown.
    expect(refusals[5]).toMatch(
      /^<stdin>:6 type: no loaded program declares the event type "no\.such_type" \[CREDENCE_E_FACT_UNKNOWN_TYPE\]$/,
    );
    expect(countFacts(w.db)).toBe(0);
  });
});
