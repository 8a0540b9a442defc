import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPECIAL_STEMS } from '../core/rulebook/names.js';
import { specialFactField } from './special-fields.js';

const fact = (data: Record<string, unknown>) => ({
  id: 'f1',
  source: 'pay',
  type: 'payment.completed',
  occurredAt: '2026-03-01T10:00:00Z',
  subject: { phone: '+8613800138000' },
  data: { amount: 1, ...data },
});

// A furnisher's code value classifies its fact (`"category": "religious_donation"`); a name or a
// sentence does not, and is not read (docs/policy.md, "What is stored all the same").
describe('code values named for special-category data', () => {
  it('refuses every special stem written as a code, in each of its cases, naming the field', () => {
    const stem = fc.constantFrom(...SPECIAL_STEMS.map(([s]) => s));
    const ordinary = fc.constantFrom('paid', 'donation', 'fee', 'visit', 'x1');
    const shape = fc.constantFrom<(a: string, b: string) => string>(
      (a, b) => `${a}_${b}`,
      (a, b) => `${b}.${a}`,
      (a, b) => `${a}-${b}`,
      (a, b) => `${a}_${b}`.toUpperCase(),
      (a, b) => `${b}${a.charAt(0).toUpperCase()}${a.slice(1)}`,
    );
    fc.assert(
      fc.property(stem, ordinary, shape, (s, o, f) => {
        const hit = specialFactField(fact({ category: f(s, o) }));
        expect(hit?.field).toBe('data.category');
      }),
    );
  });

  it('stores text with a space, capitalised names and codes of ordinary words', () => {
    const stem = fc.constantFrom(...SPECIAL_STEMS.map(([s]) => s));
    fc.assert(
      fc.property(stem, fc.constantFrom('Temple St', 'joined the', 'St Mary'), (s, before) => {
        expect(specialFactField(fact({ note: `${before} ${s}` }))).toBeUndefined();
      }),
    );
    for (const v of ['Temple St Bakery', 'St-Marys-Hospital', 'CHURCH', 'Christian', '协和医院', 'late_fee'])
      expect(specialFactField(fact({ merchant: v })), v).toBeUndefined();
    for (const v of [
      'payment.late',
      'loan.default',
      'court.judgment',
      'utility.bill',
      'credit_union',
      'unionpay',
    ])
      expect(specialFactField(fact({ kind: v })), v).toBeUndefined();
  });

  it('reads a code after its field name, and a subject identity field not at all', () => {
    expect(specialFactField(fact({ union: 'dues' }))?.field).toBe('data.union');
    expect(specialFactField(fact({ party: 'member' }))?.field).toBe('data.party');
    expect(specialFactField(fact({ union: 'pay' }))).toBeUndefined();
    expect(specialFactField({ ...fact({}), subject: { surname: 'church' } })).toBeUndefined();
    expect(specialFactField({ ...fact({}), subject: { surname: 'x', branch: 'church' } })?.field).toBe(
      'subject.branch',
    );
    expect(specialFactField(fact({ reason: '上訪' }))?.field).toBe('data.reason');
    // The pilots' own categories: the term last, or before a word for conduct.
    for (const v of ['非正常上访', '邪教组织', '宗教活动', '上访人员', '参加罢工'])
      expect(specialFactField(fact({ reason: v }))?.field, v).toBe('data.reason');
    // Names that hold a term: a hotel, a pharmacy, a hospital, a church, a long sentence.
    for (const v of [
      '民族饭店',
      '健康药房',
      '人民医院',
      '上海基督教会',
      '协和医院',
      '他说他昨天去了上访办公室然后回家',
    ])
      expect(specialFactField(fact({ merchant: v })), v).toBeUndefined();
    // Padded, or with invisible characters around it, a code is still that code.
    for (const v of [' protest', 'protest\t', '\u00a0religious_donation\u200b', ' dues '])
      expect(
        specialFactField(fact(v === ' dues ' ? { union: v } : { reason: v }))?.field,
        JSON.stringify(v),
      ).toMatch(/^data\.(reason|union)$/);
  });
});
