import { describe, expect, it } from 'vitest';
import { ScreenIndex } from './screen-index.js';

describe('screening: a listed name that carries a legal form', () => {
  it('is an organisation: a person sharing its other words is not it', () => {
    const ix = new ScreenIndex([
      { subjectId: 'O-emma', names: ['Emma LLC'], flags: ['x'] },
      { subjectId: 'O-jianhua', names: ['建华有限公司'], flags: ['x'] },
      { subjectId: 'O-daniels', names: ['Daniels Holdings Ltd'], flags: ['x'] },
      { subjectId: 'P-emma', names: ['Emma Daniels'], flags: ['x'] },
    ]);
    const ids = (name: string) => ix.search({ name }).candidates.map((c) => c.subjectId);
    expect(ids('Emma')).toEqual([]);
    expect(ids('Jian Hua')).toEqual([]);
    expect(ids('Jianhua')).toEqual([]);
    expect(ids('Daniels')).toEqual([]);
    expect(ids('Emma Daniels')).toEqual(['P-emma']);
  });

  it('does not hide the person whose other spelling is a name', () => {
    const ix = new ScreenIndex([{ subjectId: 'P-li', names: ['李娜有限公司', '李娜'], flags: ['x'] }]);
    const c = ix.search({ name: 'Li Na' }).candidates;
    expect(c.map((x) => [x.subjectId, x.listedName])).toEqual([['P-li', '李娜']]);
  });
});
