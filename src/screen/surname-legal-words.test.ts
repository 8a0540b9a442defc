import { describe, expect, it } from 'vitest';
import { nameTokens } from './name-tokens.js';
import { ScreenIndex } from './screen-index.js';

// Some legal-form words are people's names too: Co (許, a Chinese-Filipino surname), Sa (Sá), Se
// (Pak Se Ri), Ike. Read as legal forms, `Jose Co` was an organisation: listed, he was filed under
// no name and never found; asked for, the query was refused. Written as a company writes them
// (`Co.`, `& Co`, `S.A.`, `SA` in capitals after a name in mixed case), they stay legal forms.
describe('screening: legal-form words that are names', () => {
  const ix = new ScreenIndex([
    { subjectId: 'P-co', names: ['Jose Co'], flags: ['dishonest-debtor'] },
    { subjectId: 'P-sa', names: ['MARIA SA'], flags: ['dishonest-debtor'] },
    { subjectId: 'P-se', names: ['Pak Se Ri'], flags: ['dishonest-debtor'] },
    { subjectId: 'P-ike', names: ['Ike Turner'], flags: ['dishonest-debtor'] },
  ]);
  const ids = (name: string) => ix.search({ name }).candidates.map((c) => c.subjectId);

  it('is a name part written as names are, listed or asked for', () => {
    expect(nameTokens('Jose Co')).toMatchObject({ tokens: ['jose', 'co'], organisation: false });
    expect(ids('Jose Co')).toEqual(['P-co']);
    expect(ids('Co Jose')).toEqual(['P-co']);
    expect(ids('JOSE CO')).toEqual(['P-co']);
    expect(ids('Maria Sa')).toEqual(['P-sa']);
    expect(ids('Pak Se Ri')).toEqual(['P-se']);
    expect(ids('Ike Turner')).toEqual(['P-ike']);
  });

  it('is a legal form written as a company writes it', () => {
    for (const name of [
      'Jose Co.',
      'Jose & Co',
      'Jose CO',
      'Maria S.A.',
      'Maria SA',
      'EMMA DANIELS SA',
      'Turner I.K.E.',
      'GmbH & Co. KG',
      'Jose Co., Ltd.',
    ]) {
      const r = ix.search({ name });
      expect([name, r.organisation, r.candidates]).toEqual([name, true, []]);
    }
  });
});
