import { describe, expect, it } from 'vitest';
import { specialCategoryOf } from './names.js';

// A special pair or stem written as one word with another says what it names all the same:
// `sex life` and `face scan` were refused while `sexlife` and `facescan` loaded, and the README's
// `city-hospital` source was refused while `cityhospital` was taken.
describe('compounds written as one word', () => {
  it('reads a special pair written without a break', () => {
    const cases: Array<[string, string]> = [
      ['sexlife.reported', 'sex-life'],
      ['facescan.done', 'biometric'],
      ['palmprint', 'biometric'],
      ['unionmember', 'trade-union'],
      ['tradeunion.dues', 'trade-union'],
      ['drugtest.failed', 'health'],
      ['sexworker', 'sex-life'],
      ['hungerstrike', 'political'],
      ['mentalhealth.check', 'health'],
      ['mental_health', 'health'],
      ['unionmembers', 'trade-union'],
      ['drugtests.failed', 'health'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
  });

  it('finds a special stem past the start of a word', () => {
    const cases: Array<[string, string]> = [
      ['cityhospital', 'health'],
      ['outpatient.therapy', 'health'],
      ['publichealth.record', 'health'],
      ['multiracial', 'ethnicity'],
      ['antiprotest', 'political'],
      ['nonprotestant', 'religion'],
      ['megachurch.visit', 'religion'],
      ['geopolitics', 'political'],
      ['epigenetic', 'genetic'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
  });

  it('leaves everyday words that hold a special word inside them alone', () => {
    for (const name of [
      'selection.made',
      'competition.entered',
      'accidental.damage',
      'devoting',
      'sprayer.rented',
      'impatient',
      'comedic',
      'generally',
      'wealth.reported',
      'stealth',
      'unionpay.payment',
      'hotel.booking.cancelled',
      'racetrack.ticket',
      'strike.price',
      'sextant',
      'stillness',
      'classmembers',
    ])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});

describe('Chinese terms in traditional characters or spaced', () => {
  it('reads traditional characters as the simplified terms', () => {
    const cases: Array<[string, string]> = [
      ['選舉', 'political'],
      ['醫院記錄', 'health'],
      ['罷工', 'trade-union'],
      ['工會會員', 'trade-union'],
      ['黨員', 'political'],
      ['同性戀', 'sex-life'],
      ['指紋', 'biometric'],
      ['遺傳', 'genetic'],
      ['教會捐款', 'religion'],
      ['上訪', 'political'],
      ['抗議', 'political'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
  });

  it('reads a term with a space or a mark between its characters', () => {
    for (const name of ['宗 教', '宗·教', '宗_教', '医　院'])
      expect(specialCategoryOf(name)?.category, name).toBeDefined();
  });

  it('leaves everyday Chinese words alone', () => {
    for (const name of ['會計', '支付 宝', '還款記錄', '購物'])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});

describe('digits written for letters', () => {
  it('reads pr0test, r3ligion, m0sque and h3alth as the words they spell', () => {
    const cases: Array<[string, string]> = [
      ['pr0test.attended', 'political'],
      ['r3ligion', 'religion'],
      ['m0sque_visit', 'religion'],
      ['h3alth.record', 'health'],
      ['p3t1tion', 'political'],
      ['d14gnosis', 'health'],
      ['c1tyh0spital', 'health'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
  });

  it('leaves codes of letters and digits alone', () => {
    for (const name of [
      'c01',
      'p2p.transfer',
      'b2b',
      'loan30d',
      'r1',
      'f10',
      'g4y',
      'x1y2',
      'amount_3m',
      'tier4',
      'v1.paid',
    ])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});

describe('pinyin written in joined syllables', () => {
  it('finds the special pinyin words inside a word', () => {
    const cases: Array<[string, string]> = [
      ['feizhengchangshangfang', 'political'],
      ['zongjiaohuodong', 'religion'],
      ['jiankangma.scanned', 'health'],
      ['canjiaxuanju', 'political'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
  });

  it('leaves everyday pinyin alone', () => {
    for (const name of ['canjiahuodong', 'zhifubaozhanghu', 'huankuanjilu', 'xinyongfen', 'jiaofeijilu'])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});
