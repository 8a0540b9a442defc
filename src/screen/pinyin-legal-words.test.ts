import { describe, expect, it } from 'vitest';
import { nameTokens } from './name-tokens.js';
import { ScreenIndex } from './screen-index.js';

describe('screening: youxian alone is a given name, not a legal form', () => {
  it('Zhang Youxian (张有贤) is a person, listed and asked for in pinyin or characters', () => {
    expect(nameTokens('Zhang Youxian')).toEqual({
      tokens: ['zhang', 'you', 'xian'],
      organisation: false,
      chinese: true,
    });
    const ix = new ScreenIndex([{ subjectId: 'P-zhang', names: ['Zhang Youxian'], flags: ['x'] }]);
    for (const name of ['张有贤', 'Zhang Youxian', 'Youxian ZHANG'])
      expect(
        ix.search({ name }).candidates.map((c) => c.subjectId),
        name,
      ).toEqual(['P-zhang']);
  });

  it('有限 before 公司 (or 责任公司) is still the legal form, in pinyin too', () => {
    for (const name of [
      'Huawei Jishu Youxian Gongsi',
      'Jianhua Keji Youxiangongsi',
      'Jianhua Youxian Zeren Gongsi',
    ])
      expect(nameTokens(name).organisation, name).toBe(true);
  });
});
