import { describe, expect, it } from 'vitest';
import { toProfile } from '../profile.js';
import { defaultModel } from './model.js';
import { PairScorer, TermFrequencies } from './scorer.js';

const profile = (fields: Record<string, string>) => toProfile({ record_id: 'x', ...fields });
const nameNotes = (scorer: PairScorer, a: Record<string, string>, b: Record<string, string>) =>
  scorer
    .evidence(profile(a), profile(b))
    .filter((e) => e.field === 'given_name' || e.field === 'surname')
    .map((e) => ({ field: e.field, weight: e.weight, detail: e.detail }));

describe('name frequencies', () => {
  const names: Record<string, string>[] = [
    { full_name: '王伟' },
    { surname: 'Wang', given_name: 'Wei' },
    { full_name: 'WANG Wei' },
    { full_name: '王伟' },
    { full_name: '王芳' },
    { full_name: '李伟' },
    { full_name: '欧阳娜' },
    { surname: 'Zhou', given_name: 'Lan' },
  ];
  const tf = new TermFrequencies();
  for (const n of names) tf.add(profile(n));

  it('count a Chinese name and its pinyin under one key', () => {
    expect(tf.total).toBe(names.length);
    expect(tf.surname.get('wang')).toBe(5);
    expect(tf.given.get('wei')).toBe(5);
    expect(tf.surname.get('ouyang')).toBe(1);
  });

  it('weigh an exact match of the commonest name less than of a rare one, and say its share', () => {
    const model = { ...defaultModel(), tf: tf.toJSON() };
    const scorer = new PairScorer(model, TermFrequencies.from(model.tf));
    const common = nameNotes(scorer, { full_name: '王伟' }, { surname: 'Wang', given_name: 'Wei' });
    const rare = nameNotes(scorer, { full_name: '欧阳娜' }, { full_name: '欧阳娜' });
    expect(common.map((e) => e.detail)).toEqual([
      expect.stringContaining('term frequency 62.50%'),
      expect.stringContaining('term frequency 62.50%'),
    ]);
    for (const i of [0, 1]) expect(common[i]?.weight).toBeLessThan(rare[i]?.weight as number);
  });

  it('are not read as 0 % where the model counts none (ingest): the weight is the average one', () => {
    // explain-link in ingest read "wang vs wang; term frequency 0.00%, +0" for the commonest name.
    const scorer = new PairScorer(defaultModel(), new TermFrequencies());
    for (const e of nameNotes(scorer, { full_name: '王伟' }, { full_name: '王伟' })) {
      expect(e.detail).not.toMatch(/%/);
      expect(e.detail).toContain('no name frequencies');
    }
  });
});
