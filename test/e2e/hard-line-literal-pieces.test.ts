import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorld } from './cli.js';

// A rule's quoted string spelled as one special word in pieces — case changes, `_`, `-`, `.` or a
// space between them — loaded, while the word written whole was refused: `fact.tag == 'pro_test'`
// picks out the facts a furnisher tags `pro_test` as surely as `'protest'` would.
const rulebook = (literals: readonly string[]) => `program: notes
name: Notes
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  order.noted: { category: commerce, fields: { tag: string, amount: number } }
rules:
${literals
  .map(
    (l, i) =>
      `  - { id: r${i}, on: order.noted, when: ${JSON.stringify(`fact.tag == '${l}'`)}, points: -1, reason: { code: N${i}, text: "Order note" } }`,
  )
  .join('\n')}
`;

const w = makeWorld();
afterAll(() => w.dispose());

const load = (name: string, literals: readonly string[]) => {
  const file = join(w.dir, `${name}.yaml`);
  writeFileSync(file, rulebook(literals));
  return w.run(['program', 'load', file]);
};

describe('credence program load reads a rule literal written in pieces as the word it spells (real binary)', () => {
  it('refuses each, naming the rule, the literal and the word', () => {
    const spelled: Array<[string, string]> = [
      ['ProTest', 'political'],
      ['pro_test', 'political'],
      ['PRO-TEST', 'political'],
      ['pro.test', 'political'],
      ['Pro Test', 'political'],
      ['reli_gion', 'religion'],
      ['MosQue', 'religion'],
      ['hos-pital', 'health'],
      ['sur_gery', 'health'],
      ['ethnic_ity', 'ethnicity'],
    ];
    const r = load(
      'spelled',
      spelled.map(([l]) => l),
    );
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toContain(`(${spelled.length} problems)`);
    spelled.forEach(([literal, category], i) => {
      expect(r.stderr).toContain(`rules[${i}].when: rule "r${i}" picks out facts by "${literal}"`);
      expect(r.stderr).toMatch(
        new RegExp(
          `rule "r${i}" picks out facts by "${literal}"[^\\n]*special-category data \\(${category}\\)`,
        ),
      );
    });
  });

  it('still loads ordinary codes whose pieces are words, joined or not', () => {
    const r = load('ordinary', [
      'surge_rate',
      'temp.level',
      'past_or_present',
      'bankruptcy.petition_filed',
      'shareholder.vote',
      'credit.health',
      'rally_car',
      'race.entry',
      'late_fee',
      'in_come',
      'mass_age',
      'ProDuct',
      'Can_Cel',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

// A fact's value written as a code is read the same way at the door (docs/policy.md, "Codes are
// checked too"): `"tag": "pro_test"` was stored while `"tag": "protest"` was refused.
describe('credence ingest reads a code written in pieces as the word it spells (real binary)', () => {
  it('refuses the fact naming the field, and takes ordinary codes', () => {
    const notes = load('codes', ['late']);
    expect(notes.code, notes.stderr).toBe(0);
    const fact = (id: string, tag: string) =>
      JSON.stringify({
        id,
        source: 'shop',
        type: 'order.noted',
        occurredAt: '2026-03-01T10:00:00Z',
        subject: { phone: '+8613800138000' },
        data: { tag, amount: 1 },
      });
    const r = w.run(['ingest', '-'], {
      input: `${fact('c1', 'pro_test')}\n${fact('c2', 'proTest')}\n${fact('c3', 'surge_rate')}\n${fact('c4', 'past_or_present')}\n`,
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('2 accepted');
    expect(r.stderr).toMatch(
      /<stdin>:1 data\.tag: this code names protests \("pro_test"\)[^\n]*CREDENCE_E_FACT_PROHIBITED/,
    );
    expect(r.stderr).toMatch(/<stdin>:2 data\.tag: this code names protests \("proTest"\)/);
  });
});
