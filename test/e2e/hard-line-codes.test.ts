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
      /^<stdin>:1 data\.category: this code names religion \("religious"\).*\[CREDENCE_E_FACT_PROHIBITED\]$/,
    );
    expect(refusals[1]).toMatch(
      /^<stdin>:2 data\.reason: this code names protests .*\[CREDENCE_E_FACT_PROHIBITED\]$/,
    );
    expect(refusals[2]).toMatch(
      /^<stdin>:3 data\.union: this code, after its field "union", names .*\("union dues"\).*\[CREDENCE_E_FACT_PROHIBITED\]$/,
    );
    expect(refusals[3]).toMatch(/^<stdin>:4 data\.tags\[1\]: this code names .*\(trade-union\)/);
    expect(refusals[4]).toMatch(/^<stdin>:5 data\.kind: this code names religion /);
    expect(refusals[5]).toMatch(/^<stdin>:6 data\.kind: this code names .*\(political\)/);
    expect(refusals[6]).toMatch(
      /^<stdin>:7 data\.reason: this code names petitions \("上访"\).*\(political\)/,
    );
    expect(refusals).toHaveLength(7);
    // The refusal names the word, not the value: an API import keeps its refusals.
    expect(r.stderr).not.toContain('religious_donation');
    expect(r.stderr).not.toContain('partyDues');
    expect(countFacts(w.db)).toBe(4);
  });
});
