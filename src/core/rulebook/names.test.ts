import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPECIAL_STEMS, specialCategoryOf, specialPieceOf, specialStemOf } from './names.js';

// The plain definition the stem pattern must agree with: the first stem of the table, in order,
// that the word starts with.
function firstStem(word: string) {
  for (const [stem, category, what] of SPECIAL_STEMS) {
    if (word.startsWith(stem)) return { category, word, what };
  }
  return undefined;
}

describe('specialStemOf', () => {
  const stems = SPECIAL_STEMS.map(([stem]) => stem);

  it('finds, for every stem with any ending, the first stem of the table the word starts with', () => {
    for (const stem of stems) {
      for (const word of [stem, `${stem}s`, `${stem}ing`, `x${stem}`, stem.slice(0, -1)]) {
        expect(specialStemOf(word), word).toEqual(firstStem(word));
      }
    }
    // Stems that are prefixes of one another: the earlier one in the table wins.
    expect(specialStemOf('rallies')).toEqual(firstStem('rallies'));
    expect(specialStemOf('voters')?.what).toBe('voting');
  });

  it('agrees with the plain loop on generated words', () => {
    const word = fc
      .tuple(fc.constantFrom('', ...stems), fc.stringMatching(/^[a-z]{0,8}$/))
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(word, (w) => {
        expect(specialStemOf(w)).toEqual(firstStem(w));
      }),
      { numRuns: 2000 },
    );
  });

  it('is the last step of specialCategoryOf', () => {
    expect(specialCategoryOf('attendedProtests')).toEqual({
      category: 'political',
      word: 'protests',
      what: 'protests',
    });
    expect(specialCategoryOf('unionpay.payment')).toBeUndefined();
  });
});

describe('pinyin names', () => {
  it('reads the pinyin of the special categories as the Chinese words they spell', () => {
    // The pilots' own systems name things in pinyin: "abnormal petitioning" (非正常上访) was a
    // deduction in municipal schemes. `shangfang.recorded` passed where `上访` and `petition` did not.
    const cases: Array<[string, string]> = [
      ['shangfang.recorded', 'political'],
      ['feizhengchang_shangfang', 'political'],
      ['xinfangCount', 'political'],
      ['dangyuan.status', 'political'],
      ['zongjiao_huodong', 'religion'],
      ['jiaohui.donation', 'religion'],
      ['minzu', 'ethnicity'],
      ['jibing.reported', 'health'],
      ['canjiStatus', 'health'],
      ['gonghui.member', 'trade-union'],
      ['zhiwen.scan', 'biometric'],
      ['jiyin.test', 'genetic'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
    // Syllables of everyday words stay ordinary: a quarter (jidu), willingness (yiyuan), a city.
    for (const name of ['jidu.report', 'yiyuan', 'xinyang.branch', 'shiwei.office', 'zhifubao.payment'])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});

describe('invisible characters', () => {
  it('reads a name as it shows: zero-width and other format characters are not word breaks', () => {
    // `reli\u200bgion` shows as "religion" and split into "reli" and "gion", neither a special word.
    for (const name of [
      'reli\u200bgion',
      'reli\u00adgion',
      'rel\u2060igion',
      'pro\u200dtest',
      '\ufeffhospital',
      '上\u200b访',
    ])
      expect(specialCategoryOf(name), JSON.stringify(name)).toBeDefined();
    expect(specialCategoryOf('pay\u200bment')).toBeUndefined();
  });
});

describe('names a furnisher and a rulebook review found passing (session 13)', () => {
  it('reads ethnic groups, party affiliation, medical history, and such words in German, French and Spanish', () => {
    const cases: Array<[string, string]> = [
      ['回族', 'ethnicity'],
      ['民族_汉族', 'ethnicity'],
      ['党籍', 'political'],
      ['民主党派', 'political'],
      ['共青团员', 'political'],
      ['血型', 'health'],
      ['既往病史', 'health'],
      ['体检结果', 'health'],
      ['乙肝携带', 'health'],
      ['salud', 'health'],
      ['santé', 'health'],
      ['huelga', 'trade-union'],
      ['syndicat', 'trade-union'],
      ['Konfession', 'religion'],
      ['etnia', 'ethnicity'],
      ['raza', 'ethnicity'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
    for (const name of [
      'syndicated_loan',
      'loan.syndicate',
      'vertragspartei',
      'contract_party',
      'group_buy.member',
    ])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});

describe('names a review found passing', () => {
  it('reads faiths, movements, party membership and industrial action that the lists missed', () => {
    // Each loaded as a rulebook's name (`credence program load`): a Falun Gong practice, alms to a
    // mosque (zakat) or a church (tithe), a Party member, a strike (罢工, "general strike").
    const cases: Array<[string, string]> = [
      ['falun_gong.practised', 'religion'],
      ['法轮功', 'religion'],
      ['zakat.paid', 'religion'],
      ['tithe.paid', 'religion'],
      ['tithing', 'religion'],
      ['dalai_lama.photo', 'religion'],
      ['ccp_member', 'political'],
      ['cpcMember', 'political'],
      ['hunger_strike', 'political'],
      ['general_strike.joined', 'trade-union'],
      ['罢工', 'trade-union'],
      ['drug_test.failed', 'health'],
      ['organ_donor', 'health'],
      ['strike.joined', 'trade-union'],
      ['wentOnStrike', 'trade-union'],
      ['strike_pay.received', 'trade-union'],
      ['industrial_action', 'trade-union'],
      ['walkout.joined', 'trade-union'],
      ['sit-in.attended', 'political'],
      ['bmi.measured', 'health'],
      ['smoker', 'health'],
      ['obesity.flag', 'health'],
      ['body_weight', 'health'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
    // Everyday words stay ordinary: a strike price, a credit rehabilitation, a lama-less llama.
    for (const name of [
      'strike.price',
      'credit.rehabilitation',
      'llama.rental',
      'member.since',
      'test.drive',
      'strike.missed',
      'sit.down',
      'weight.kg',
      'smoke.detector',
    ])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});

// QA found the forms the review's words did not cover: an ingest took `data.smoking_status`, and
// rulebooks declaring `smoking.reported`, `strikes.joined`, `staff.sit_ins` and
// `body_mass_index.reported` loaded, where `smoker`, `strike.joined`, `sit-in` and `bmi` were refused.
describe('plurals and spellings of the review’s words', () => {
  it('reads smoking, sit-ins, strikes joined and body mass index as what they are', () => {
    const cases: [string, string][] = [
      ['smoking.reported', 'health'],
      ['smoking_status', 'health'],
      ['staff.sit_ins', 'political'],
      ['sitin.attended', 'political'],
      ['strikes.joined', 'trade-union'],
      ['joinedStrikes', 'trade-union'],
      ['member.strike_days', 'trade-union'],
      ['strike_action.taken', 'trade-union'],
      ['body_mass_index.reported', 'health'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
    // A strike alone is still a count or a price, and a sit a sit.
    for (const name of ['strikes.count', 'strike.missed', 'sit.down', 'mass.transit', 'price.index'])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});

// QA stored a fact with `data.extra.cathedral_visits` and loaded rulebooks naming chapels,
// pastors, hepatitis, opioids, eating disorders, Marxists and voice samples: the lists had no such words.
describe('places of worship, clergy, conditions and movements a later QA found passing', () => {
  it('reads them as their categories', () => {
    const cases: [string, string][] = [
      ['cathedral_visits', 'religion'],
      ['chapel.attended', 'religion'],
      ['baptism.recorded', 'religion'],
      ['pastor.visit', 'religion'],
      ['monk.alms', 'religion'],
      ['pagoda.donation', 'religion'],
      ['holy_communion', 'religion'],
      ['protestant.member', 'religion'],
      ['hepatitis_b', 'health'],
      ['asthma.inhaler', 'health'],
      ['opioid.prescribed', 'health'],
      ['eating_disorder', 'health'],
      ['bipolar_disorder', 'health'],
      ['deaf.since', 'health'],
      ['porn.subscription', 'sex-life'],
      ['marxist.reading', 'political'],
      ['kmt.member', 'political'],
      ['shop_steward', 'trade-union'],
      ['voice_sample', 'biometric'],
      ['gypsy.camp', 'ethnicity'],
      ['23andme.kit', 'genetic'],
      ['iglesia.donation', 'religion'],
      ['eglise', 'religion'],
      ['moschee.spende', 'religion'],
      ['synagoge', 'religion'],
      ['krankenhaus.aufenthalt', 'health'],
      ['hopital.sejour', 'health'],
      ['schwangerschaft', 'health'],
      ['embarazada', 'health'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
    // Protesters still protest: the faith's stem only takes words that start with it.
    expect(specialCategoryOf('protesters.counted')?.category).toBe('political');
    // Everyday words around them stay ordinary, as names and as pieces a rule's contains() reads.
    for (const name of [
      'paris.trip',
      'angel.investor',
      'polar.fleece',
      'press.release',
      'spice.order',
      'condo.rent',
    ])
      expect(specialCategoryOf(name), name).toBeUndefined();
    for (const piece of [
      'Paris',
      'angel',
      'polar',
      'press',
      'spice',
      'condo',
      'origin',
      'method',
      'mission',
      'ladies',
    ])
      expect(specialPieceOf(piece), piece).toBeUndefined();
    expect(specialPieceOf('athedral')?.whole).toBe('cathedral');
  });
});
