import { describe, expect, it } from 'vitest';
import { ScreenIndex } from './screen-index.js';
import type { ListedPerson } from './types.js';

const listed: ListedPerson[] = [
  { subjectId: 'P-li', names: ['李娜'], dob: '1982-02-21', sex: 'F', flags: ['dishonest-debtor'] },
  { subjectId: 'P-wang', names: ['王建华'], flags: ['dishonest-debtor'] },
];
const ix = new ScreenIndex(listed);

describe("screening: names too long to be a person's", () => {
  it('a name too long to be a person’s is refused, saying why', () => {
    for (const name of [
      'a'.repeat(500),
      '王'.repeat(500),
      Array.from({ length: 100 }, () => 'Wang').join(' '),
    ]) {
      const r = ix.search({ name });
      expect(r.candidates, name.slice(0, 10)).toEqual([]);
      expect(r.refused, name.slice(0, 10)).toMatch(/too long/);
    }
    // Short in characters, but more parts than any person's name has (each character is one).
    expect(ix.search({ name: '王'.repeat(150) }).refused).toMatch(/150 parts, at most 24/);
    expect(ix.search({ name: 'Li Na '.repeat(20) }).refused).toMatch(/40 parts/);
    expect(ix.search({ name: 'a'.repeat(500) }).refused).toMatch(/500 characters, at most 200/);
    // A long real name is not refused.
    const picasso =
      'Pablo Diego José Francisco de Paula Juan Nepomuceno María de los Remedios Cipriano de la Santísima Trinidad Ruiz y Picasso';
    expect(ix.search({ name: picasso }).refused).toBeUndefined();
  });

  it('a listed name too long to be a person’s does not stop the index from being built or searched', () => {
    const more = new ScreenIndex([
      ...listed,
      { subjectId: 'P-long', names: ['王'.repeat(300)], flags: ['x'] },
    ]);
    expect(more.search({ name: '李娜' }).candidates.map((c) => c.subjectId)).toEqual(['P-li']);
  });
});
