import { describe, expect, it } from 'vitest';
import { ScreenIndex } from './screen-index.js';

const ix = new ScreenIndex([
  { subjectId: 'P-li', names: ['李娜'], flags: ['dishonest-debtor'] },
  { subjectId: 'P-a', names: ['A'], flags: ['dishonest-debtor'] },
]);

describe('screening: names that identify no one are refused with the reason', () => {
  it('a name without letters says so, not that legal forms were removed', () => {
    for (const name of [
      '',
      '   ',
      '\t\n',
      '\u3000',
      '😀',
      '😀😀 😀',
      '...',
      '- -',
      '\u200b',
      '123',
      '１９８２',
    ]) {
      const r = ix.search({ name });
      expect(r.candidates, JSON.stringify(name)).toEqual([]);
      expect(r.refused, JSON.stringify(name)).toBe('the name has no letters');
    }
    expect(ix.search({ name: 'Ltd.' }).refused).toMatch(/legal form/);
    expect(ix.search({ name: 'Mr.' }).refused).toMatch(/titles are removed/);
  });

  it('a name of one letter is refused, even when a listed name is that letter', () => {
    for (const name of ['A', 'a.', 'Ａ', ' A ']) {
      const r = ix.search({ name });
      expect(r.candidates, name).toEqual([]);
      expect(r.refused, name).toMatch(/one letter/);
    }
    // One character is a whole syllable, and an emoji beside a name is no part of it.
    expect(ix.search({ name: '🙂 Li Na' }).candidates.map((c) => c.subjectId)).toEqual(['P-li']);
  });
});
