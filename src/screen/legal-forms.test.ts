import { describe, expect, it } from 'vitest';
import { nameTokens } from './name-tokens.js';
import { ScreenIndex } from './screen-index.js';

// Legal-form words are never evidence, and a name that carries one names an organisation. But a
// Chinese name's pinyin is not a legal form (萨 is Sa, as in S.A.), and legal forms are written
// with dots too (S.A., L.L.C., B.V.).
describe('legal forms as furnishers and relying parties write them', () => {
  const ix = new ScreenIndex([
    { subjectId: 'P-sa', names: ['萨贝宁'], dob: '1975-01-01', flags: ['dishonest-debtor'] },
    { subjectId: 'P-lisa', names: ['李萨'], dob: '1980-01-01', flags: ['dishonest-debtor'] },
    { subjectId: 'P-emma', names: ['Emma Daniels'], flags: ['dishonest-debtor'] },
    { subjectId: 'P-wang', names: ['王建华'], flags: ['dishonest-debtor'] },
  ]);
  const ids = (name: string) => ix.search({ name }).candidates.map((c) => c.subjectId);

  it('a Chinese surname or given name whose pinyin spells a legal form is a name part', () => {
    expect(nameTokens('萨贝宁')).toMatchObject({ tokens: ['sa', 'bei', 'ning'], organisation: false });
    expect(ids('萨贝宁')).toEqual(['P-sa']);
    expect(ids('Sa Beining')).toEqual(['P-sa']);
    expect(ids('李萨')).toEqual(['P-lisa']);
    expect(ids('Li Sa')).toEqual(['P-lisa']);
    expect(ids('LI SA')).toEqual(['P-lisa']);
    // The surname was dropped from the listed name, so 贝宁 (another person) was 萨贝宁.
    expect(ids('贝宁')).toEqual([]);
    expect(ids('Bei Ning')).toEqual([]);
  });

  it('legal forms written with dots, or in capitals after a name, make an organisation', () => {
    for (const name of [
      'Emma L.L.C.',
      'Emma Daniels S.A.',
      'Emma Daniels SA',
      'EMMA DANIELS SA',
      'Wang Jianhua B.V.',
      'Wang Jianhua S.p.A.',
      'Emma Daniels e.V.',
      'Emma Daniels PC',
      'Emma Daniels Ltda',
      'Emma Daniels SL',
      '王建华商行',
    ]) {
      const r = ix.search({ name });
      expect([name, r.organisation, r.candidates]).toEqual([name, true, []]);
    }
  });

  it('initials are not legal forms', () => {
    for (const name of ['George W. Bush', 'A. S. Byatt', 'J. R. R. Tolkien'])
      expect([name, nameTokens(name).organisation]).toEqual([name, false]);
  });
});
