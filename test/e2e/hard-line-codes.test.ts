import { afterAll, describe, expect, it } from 'vitest';
import { countFacts, line, MARKETPLACE, makeWorld } from './cli.js';

const w = makeWorld({ programs: [MARKETPLACE] });
afterAll(() => w.dispose());

const fact = (id: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  line({
    id,
    source: 'pay',
    type: 'payment.completed',
    occurredAt: '2026-03-01T10:00:00Z',
    subject: { phone: '+8613800138000' },
    data: { amount: 10, ...data },
    ...extra,
  });

describe('a fact whose code value names special-category data (real binary)', () => {
  // Only names were read: `"category": "religious_donation"` was stored, where a field named
  // `religion` is refused. A furnisher's code classifies the fact; a merchant's name does not.
  it('is refused, CREDENCE_E_FACT_PROHIBITED, naming the field and the word; names and free text are stored', () => {
    const lines = [
      fact('a', { category: 'religious_donation' }),
      fact('b', { reason: 'protest' }),
      fact('c', { union: 'dues' }, {}),
      fact('d', { tags: ['grocery', 'union-dues'] }),
      fact('e', { kind: 'RELIGIOUS_DONATION' }),
      fact('f', { kind: 'partyDues' }),
      fact('g', { reason: '上访' }),
      fact('h', { merchant: 'Temple St Bakery' }),
      fact('i', { merchant: 'St-Marys-Hospital', note: 'joined the protest' }),
      fact('j', { category: 'grocery', reason: 'late_fee', merchant: '协和医院' }),
      fact('k', { amount: 5 }, { subject: { phone: '+8613800138001', surname: 'church' } }),
    ];
    const r = w.run(['ingest', '-'], { input: `${lines.join('\n')}\n` });
    expect(r.code).toBe(3);
    const refusals = r.stderr.trim().split('\n');
    expect(refusals[0]).toMatch(
      /^<stdin>:1 data\.category: the code "religious_donation" names religion \("religious"\).*\[CREDENCE_E_FACT_PROHIBITED\]$/,
    );
    expect(refusals[1]).toMatch(
      /^<stdin>:2 data\.reason: the code "protest" .*\[CREDENCE_E_FACT_PROHIBITED\]$/,
    );
    expect(refusals[2]).toMatch(
      /^<stdin>:3 data\.union: the code "dues" after its field "union" names .*\("union dues"\).*\[CREDENCE_E_FACT_PROHIBITED\]$/,
    );
    expect(refusals[3]).toMatch(/^<stdin>:4 data\.tags\[1\]: the code "union-dues" .*\(trade-union\)/);
    expect(refusals[4]).toMatch(/^<stdin>:5 data\.kind: the code "RELIGIOUS_DONATION" /);
    expect(refusals[5]).toMatch(/^<stdin>:6 data\.kind: the code "partyDues" .*\(political\)/);
    expect(refusals[6]).toMatch(/^<stdin>:7 data\.reason: the code "上访" .*\(political\)/);
    expect(refusals).toHaveLength(7);
    expect(countFacts(w.db)).toBe(4);
  });
});
