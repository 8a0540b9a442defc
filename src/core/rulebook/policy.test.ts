import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';
import { specialCategoryOf } from './names.js';

const head = `program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 50 }, { id: B, min: 0 }]
`;

function refuse(text: string): CredenceError {
  try {
    compileRulebook(text, { file: 'p.yaml' });
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

// One case per special category, each named the way a real rulebook might.
const CASES: Array<[string, string, string]> = [
  ['political', 'protest.attended', 'protests'],
  ['political', 'petition.signed', 'petitions'],
  ['political', 'demonstration.joined', 'demonstrations'],
  ['religion', 'church.attendance', 'religious worship'],
  ['ethnicity', 'ethnicity.recorded', 'ethnic origin'],
  ['health', 'hospital.admission', 'hospital treatment'],
  ['health', 'medical.diagnosis', 'medical data'],
  ['sex-life', 'dating.app_used', 'sex life'],
  ['sex-life', 'sexual_orientation.declared', 'sex life or orientation'],
  ['trade-union', 'trade_union.joined', 'trade-union membership'],
  ['biometric', 'fingerprint.scanned', 'fingerprints'],
  ['genetic', 'dna.test_result', 'DNA'],
  // Names that passed before: plainly about health, unions, parties and orientation.
  ['health', 'therapy.session', 'medical treatment'],
  ['health', 'blood_pressure.reported', 'health'],
  ['health', 'pharmacy.purchase', 'medical treatment'],
  ['trade-union', 'union.meeting_attended', 'trade-union membership'],
  ['political', 'party.joined', 'party membership'],
  ['sex-life', 'pride.march_attended', 'sexual orientation'],
  // Names that passed a later review: orientations, faiths, their places and texts, peoples,
  // medical staff and tests, union joining, communist party and ballots, prints of the body.
  ['sex-life', 'homosexual.reported', 'sexual orientation'],
  ['sex-life', 'bisexual_partner.declared', 'sexual orientation'],
  ['sex-life', 'sex_worker.listed', 'sex life'],
  ['religion', 'muslim.verified', 'religion'],
  ['religion', 'christian.registered', 'religion'],
  ['religion', 'bible.purchase', 'religion'],
  ['religion', 'quran.study', 'religion'],
  ['religion', 'halal.order', 'religion'],
  ['religion', 'hajj.travel', 'religion'],
  ['religion', 'sermon.attended', 'religion'],
  ['ethnicity', 'uyghur.registered', 'ethnic origin'],
  ['ethnicity', 'skin_colour.noted', 'racial origin'],
  ['health', 'doctor.visited', 'medical treatment'],
  ['health', 'oncology.referral', 'medical treatment'],
  ['health', 'dementia.assessed', 'health'],
  ['health', 'sick_leave.taken', 'health'],
  ['health', 'maternity.leave', 'pregnancy'],
  ['trade-union', 'union.joined', 'trade-union membership'],
  ['trade-union', 'workers.unionized', 'trade-union membership'],
  ['political', 'communist_party.dues_paid', 'party membership'],
  ['political', 'ballot.cast', 'voting'],
  ['political', 'referendum.signed', 'voting'],
  ['biometric', 'voice_print.enrolled', 'voice prints'],
  ['biometric', 'palm_print.scanned', 'palm prints'],
  ['genetic', 'genotype.reported', 'genetics'],
];

describe('the hard line: special-category data', () => {
  it.each(CASES)('refuses an event type named for %s data (%s)', (category, type, what) => {
    const e = refuse(`${head}events:\n  ${type}: { category: legal }\n`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details[0]?.path).toBe(`events['${type}']`);
    expect(e.details[0]?.reason).toContain(type);
    expect(e.details[0]?.reason).toContain(what);
    expect(e.details[0]?.reason).toContain(category);
  });

  it.each([
    'political',
    'religion',
    'ethnicity',
    'health',
    'sex-life',
    'trade-union',
    'biometric',
    'genetic',
  ])('refuses declaring the special category %s', (category) => {
    const e = refuse(`${head}events:\n  some.event: { category: ${category} }\n`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details[0]?.path).toBe("events['some.event'].category");
    expect(e.details[0]?.reason).toMatch(/special-category/);
  });

  it('refuses special-category fields, rules, flags and dimensions, listing each', () => {
    const e = refuse(`${head}dimensions: [religiosity]
events:
  shop.purchase: { category: commerce, fields: { amount: number, bought_at_mosque: boolean } }
rules:
  - { id: protest-penalty, on: shop.purchase, points: -1, reason: { code: X, text: Purchases } }
flags:
  - { id: genetic-risk, set: shop.purchase, reason: { code: Y, text: Risk } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        "events['shop.purchase'].fields.bought_at_mosque",
        'dimensions[0]',
        'rules[0].id',
        'flags[0].id',
      ]),
    );
  });

  it('does not refuse ordinary names that merely contain such letters', () => {
    for (const name of [
      'unionpay.payment',
      'template.used',
      'account.activity',
      'media.purchase',
      'raceway.ticket',
      'surge.pricing',
      'ride.surge_fee',
      'credit.rehabilitation',
      'order.cancellation',
      'late-return-strikes',
      'party.supplies_purchased',
      'rabbit.food_purchased',
      'doctoral.fee_paid',
      'loan.syndicated',
      'union_pay.payment',
      'credit_union.loan_repaid',
      'hearing_aids.rental',
    ]) {
      expect(specialCategoryOf(name), name).toBeUndefined();
    }
  });

  it('reads names whole: acronyms in camelCase, accents, full-width and look-alike letters, other scripts', () => {
    // Field names are ASCII; dimensions and reason texts are free text a person reads, so
    // letters that only look Latin, accents and the Chinese words of the pilots count too.
    for (const [name, word] of [
      ['HIVStatus', 'hiv'],
      ['DNAResult', 'dna'],
      ['religión', 'religion'],
      ['Ｐｒｏｔｅｓｔｓ', 'protests'],
      ['prоtest', 'protest'], // a Cyrillic о
      ['Religiöse Gemeinschaft', 'religiose'],
      ['参加抗议活动', '抗议'],
      ['上访记录', '上访'],
      ['宗教', '宗教'],
      ['工会会员', '工会'],
    ] as const) {
      expect(specialCategoryOf(name)?.word, name).toBe(word);
    }
    const e = refuse(`${head}dimensions: [信仰]
events:
  shop.purchase: { category: commerce, fields: { amount: number }, description: "Donations at the mosque" }
rules:
  - { id: buy, on: shop.purchase, points: 1, reason: { code: X, text: "Teilnahme an Demonstrationen" } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    // In file order (docs/rulebook.md, Errors): the dimension is written above the event.
    expect(e.details.map((d) => d.path)).toEqual([
      'dimensions[0]',
      "events['shop.purchase'].description",
      'rules[0].reason.text',
    ]);
  });

  it('refuses a program whose own id, name or description says what it scores', () => {
    const e = refuse(`program: protest-watch
name: Petitioner conduct score
description: Ranks residents by their religious observance.
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 50 }, { id: B, min: 0 }]
events:
  shop.purchase: { category: commerce, fields: { amount: number } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => d.path)).toEqual(['program', 'name', 'description']);
  });

  it('refuses rule expressions that pick special-category facts out by a quoted value', () => {
    // A declared field with neutral name (merchant, topic) can carry the category in its value:
    // the CEL string literals a rule compares it with are names the rulebook uses.
    const e = refuse(`${head}events:
  donation.made: { category: payment, fields: { recipient: string, amount: number } }
rules:
  - id: donation
    on: donation.made
    when: "fact.recipient in ['Tianjin Church', 'city food bank']"
    points: 'fact.recipient == "Communist Party" ? 5 : 1'
    reason: { code: X, text: Donations }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => [d.path, d.reason])).toEqual([
      ['rules[0].when', expect.stringContaining('"Tianjin Church"')],
      ['rules[0].points', expect.stringContaining('"Communist Party"')],
    ]);
  });

  it('reads a quoted value as CEL does: escapes decoded, pieces joined by + or split across calls', () => {
    // 'Ch\x75rch' is "Church" to CEL; 'Tianjin Chur' + 'ch' too; a prefix and a suffix test pick
    // out "Mosque" as surely as == does. Each passed the check when it read the quotes' raw text.
    const e = refuse(`${head}events:
  donation.made: { category: payment, fields: { recipient: string, amount: number } }
rules:
  - { id: d1, on: donation.made, when: "fact.recipient == 'Tianjin Ch\\\\x75rch'", points: 1, reason: { code: X, text: a } }
  - { id: d2, on: donation.made, when: "fact.recipient == 'Tianjin Chur' + 'ch'", points: 1, reason: { code: X, text: a } }
  - { id: d3, on: donation.made, when: "fact.recipient.startsWith('Mos') && fact.recipient.endsWith('que')", points: 1, reason: { code: X, text: a } }
  - { id: d4, on: donation.made, when: "fact.recipient == '\\\\u0054emple fund'", points: 1, reason: { code: X, text: a } }
  - { id: d5, on: donation.made, when: "fact.recipient == r'Synagogue' || fact.recipient == '''Imam'''", points: 1, reason: { code: X, text: a } }
  - { id: d6, on: donation.made, when: "fact.recipient in ['city food bank', 'library']", points: 1, reason: { code: X, text: a } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => [d.path, d.reason])).toEqual([
      ['rules[0].when', expect.stringContaining('"Tianjin Church"')],
      ['rules[1].when', expect.stringContaining('"Tianjin Church"')],
      ['rules[2].when', expect.stringContaining('"Mosque"')],
      ['rules[3].when', expect.stringContaining('"Temple fund"')],
      ['rules[4].when', expect.stringContaining('"Synagogue"')],
      ['rules[4].when', expect.stringContaining('"Imam"')],
    ]);
  });

  it('reads a piece of a word that a string function or a pattern matches a fact value with', () => {
    // contains('hurch') picks out churches as surely as == 'Church'; a pattern '[Mm]osque' too.
    const e = refuse(`${head}events:
  donation.made: { category: payment, fields: { recipient: string, amount: number } }
rules:
  - { id: d1, on: donation.made, when: "fact.recipient.contains('hurch')", points: 1, reason: { code: X, text: a } }
  - { id: d2, on: donation.made, when: "fact.recipient.matches('[Mm]osque')", points: 1, reason: { code: X, text: a } }
  - { id: d3, on: donation.made, when: "fact.recipient.endsWith('ospital')", points: 1, reason: { code: X, text: a } }
  - { id: d4, on: donation.made, when: "fact.recipient.contains('wealth') || fact.recipient.startsWith('capital')", points: 1, reason: { code: X, text: a } }
  - { id: d5, on: donation.made, when: "fact.recipient.contains('test') && fact.recipient == 'otest'", points: 1, reason: { code: X, text: a } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => [d.path, d.reason])).toEqual([
      ['rules[0].when', expect.stringContaining('"hurch", part of "church"')],
      ['rules[1].when', expect.stringContaining('"osque", part of "mosque"')],
      ['rules[2].when', expect.stringContaining('"ospital", part of "hospital"')],
    ]);
  });

  it('reads a pattern past its syntax: a one-letter class, a group, an optional or repeated letter, a wildcard', () => {
    // Each spelled its word to anyone reading it and passed: no run of five letters was left.
    const patterns = [
      'pr[o]test',
      'pro(te)st',
      'chur?ch',
      'protes+t',
      'm(o)s{1}que',
      'p.r.o.t.e.s.t',
      'hosp\\\\\\\\.ital',
    ];
    const e = refuse(`${head}events:
  note.made: { category: commerce, fields: { text: string } }
rules:
${patterns.map((p, i) => `  - { id: n${i}, on: note.made, when: "fact.text.matches('${p}')", points: 1, reason: { code: X, text: a } }`).join('\n')}
  - { id: ok1, on: note.made, when: "fact.text.matches('^INV-[0-9]+$') || fact.text.matches('late|early|on.time')", points: 1, reason: { code: X, text: a } }
  - { id: ok2, on: note.made, when: "fact.text.matches('(?i)^refund\\\\\\\\s+due$') || fact.text.matches('pro|test')", points: 1, reason: { code: X, text: a } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => d.path)).toEqual(patterns.map((_, i) => `rules[${i}].when`));
    // A word written a letter at a time is read as written (`p.r.o.t.e.s.t` is the word apart).
    expect(e.details.map((d) => /picks out facts by "([a-z.]+)"/.exec(d.reason)?.[1])).toEqual([
      'protest',
      'protest',
      'church',
      'protest',
      'mosque',
      'p.r.o.t.e.s.t',
      'hospital',
    ]);
  });

  it('refuses a rule expression that names a special-category field of the fact', () => {
    // has() type-checks on an undeclared field: the name is in the rule all the same.
    const e = refuse(`${head}events:
  donation.made: { category: payment, fields: { recipient: string, amount: number } }
rules:
  - { id: d1, on: donation.made, when: "has(fact.religion)", points: 1, reason: { code: X, text: a } }
  - { id: d2, on: donation.made, points: "fact.amount > 1.0 && !has(fact.party_member) ? 1 : 0", reason: { code: X, text: a } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => [d.path, d.reason])).toEqual([
      ['rules[0].when', expect.stringContaining('reads fact.religion')],
      ['rules[1].points', expect.stringContaining('reads fact.party_member')],
    ]);
  });

  it('refuses rule, inactivity and flag descriptions and reason codes named for special-category data', () => {
    // A reason code is sent to relying parties with every key factor; a description is the
    // published text of the rule. "Sunday tithe at church" says what a neutral "gift" rule scores.
    const e = refuse(`${head}events:
  gift.made: { category: payment, fields: { amount: number } }
rules:
  - { id: gift, on: gift.made, points: 1, description: "Each Sunday tithe at church", reason: { code: G1, text: Gifts } }
  - { id: gift2, on: gift.made, points: 1, reason: { code: UNION-DUES, text: Gifts } }
inactivity:
  - { id: quiet, of: [gift.made], after: P30D, points: -1, description: "No mosque visit for a month", reason: { code: Q1, text: Quiet } }
flags:
  - { id: giver, set: gift.made, description: "Marks protesters", reason: { code: PROTEST_1, text: Flagged } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => d.path)).toEqual([
      'rules[0].description',
      'rules[1].reason.code',
      'inactivity[0].description',
      // In file order: the flag's description is written before its reason.
      'flags[0].description',
      'flags[0].reason.code',
    ]);
  });

  it('refuses privileges, restrictions and tiers named for special-category data', () => {
    // What a relying party asks for by id and what the person reads as a reason they hold or not:
    // a "churchgoer-discount" says what it rewards, whatever it reads.
    const e = refuse(`program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: union-member, min: 50 }, { id: B, min: 0 }]
events:
  shop.purchase: { category: commerce, fields: { amount: number } }
privileges:
  - { id: churchgoer-discount, context: commerce, when: "score >= 60" }
  - { id: fast-lane, context: commerce, when: "score >= 70", description: "For residents who never join protests" }
restrictions:
  - { id: trade-union-surcharge, context: commerce, when: "score < 10", legalBasis: "a cited order" }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e.details.map((d) => d.path)).toEqual([
      'tiers[0].id',
      'privileges[0].id',
      'privileges[1].description',
      'restrictions[0].id',
    ]);
  });

  it('refuses an unknown category that is not special with a plain error', () => {
    const e = refuse(`${head}events:\n  some.event: { category: lifestyle }\n`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_INVALID');
    expect(e.details[0]?.reason).toMatch(/not one of: commerce/);
  });
});

const ctxHead = `${head}dimensions: [money, law]
events:
  shop.purchase: { category: commerce, fields: { amount: number } }
  court.listed: { category: legal, fields: { case: string } }
  court.removed: { category: legal, fields: { case: string } }
rules:
  - { id: buy, on: shop.purchase, points: 1, dimension: money, reason: { code: M, text: Buys } }
  - { id: listed, on: court.listed, points: -10, dimension: law, reason: { code: L, text: Listed } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [case], reason: { code: D, text: Debtor } }
`;

describe('the context rule for restrictions', () => {
  it('refuses a legal restriction that reads a commerce-fed score without a legal basis', () => {
    const e = refuse(`${ctxHead}restrictions:\n  - { id: no-travel, context: legal, when: "score < 40" }\n`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_CONTEXT');
    expect(e.details[0]?.path).toBe('restrictions[0].when');
    expect(e.details[0]?.reason).toMatch(/reads the score, which is fed by commerce data/);
  });

  it('refuses a commerce restriction that reads a court flag or a legal dimension', () => {
    const e = refuse(`${ctxHead}restrictions:
  - { id: no-credit, context: commerce, when: "'debtor' in flags" }
  - { id: no-bnpl, context: commerce, when: "dimensions.law < 0.0" }
  - { id: no-any, context: commerce, when: "size(flags) > 0" }
`);
    expect(e.details.map((d) => d.path)).toEqual([
      'restrictions[0].when',
      'restrictions[1].when',
      'restrictions[2].when',
    ]);
    expect(e.details[0]?.reason).toMatch(/flag "debtor", which is fed by legal data/);
    expect(e.details[1]?.reason).toMatch(/dimension "law", which is fed by legal data/);
  });

  it('accepts restrictions that read their own context, or cite a legal basis', () => {
    const rb = compileRulebook(`${ctxHead}restrictions:
  - { id: no-travel, context: legal, when: "'debtor' in flags && dimensions.law < 0.0" }
  - { id: no-loans, context: commerce, when: "score < 40", legalBasis: "Consumer credit act s.12" }
`);
    expect(rb.restrictions.map((r) => r.id)).toEqual(['no-travel', 'no-loans']);
  });

  it('lets privileges (benefits) read any context', () => {
    const rb = compileRulebook(
      `${ctxHead}privileges:\n  - { id: perk, context: commerce, when: "score >= 60 && !('debtor' in flags)" }\n`,
    );
    expect(rb.privileges[0]?.reads).toMatchObject({ score: true, flags: ['debtor'] });
  });
});
