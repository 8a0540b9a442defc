import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// The law a restriction cites is shown to the person with it, as its description and id are, and
// says what the restriction punishes: one under "Religious Affairs Regulations" or an "assembly and
// demonstration law" loaded, its when reading only a flag.

const book = (legalBasis: string) => `program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers: [{ id: A, min: 0 }]
events:
  court.listed: { category: legal, fields: { case: string } }
flags:
  - { id: f, set: court.listed, reason: { code: L1, text: l } }
restrictions:
  - { id: no-travel, context: legal, when: "'f' in flags", legalBasis: ${JSON.stringify(legalBasis)} }
`;

function refusal(text: string): CredenceError | undefined {
  try {
    compileRulebook(text, { file: 'p.yaml' });
    return undefined;
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
}

describe('a restriction legal basis is read by the hard line', () => {
  it('refuses one named for special-category data, at its path', () => {
    for (const basis of [
      'Religious Affairs Regulations art. 41',
      'Law on Assembly, Procession and Demonstration',
      '宗教事务条例',
    ]) {
      const e = refusal(book(basis));
      expect(e?.code, basis).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
      expect(e?.details[0]?.path).toBe('restrictions[0].legalBasis');
      expect(e?.details[0]?.reason).toMatch(/^restriction legal basis ".*" is named for /);
    }
  });

  it('keeps an ordinary one', () => {
    expect(refusal(book('court consumption-restriction order'))).toBeUndefined();
    expect(refusal(book('2016 joint-punishment memorandum on dishonest judgment debtors'))).toBeUndefined();
  });
});
