import { describe, expect, it } from 'vitest';
import { book, outcome } from './hard-line.case.js';
import { specialCategoryOf } from './names.js';

// Hard-line QA found names that loaded as a rulebook's and were stored as a fact's field: a rehab
// stay, Party membership under its abbreviation and in Chinese, cults (which the municipal pilots
// deduct points for), party dues, suicide, a boycott, sick leave written as one word.
describe('names hard-line QA found passing', () => {
  it('reads each as its special category', () => {
    const cases: Array<[string, string]> = [
      ['rehab.admitted', 'health'],
      ['rehabCenter', 'health'],
      ['detox.stay', 'health'],
      ['ptsd', 'health'],
      ['suicide_attempt', 'health'],
      ['sickleave.days', 'health'],
      ['self-harm', 'health'],
      ['aa_meeting.attended', 'health'],
      ['ccp', 'political'],
      ['ccp.joined', 'political'],
      ['gongchandang', 'political'],
      ['共產黨', 'political'],
      ['党費', 'political'],
      ['dangfei.paid', 'political'],
      ['party_dues', 'political'],
      ['campaign_donation', 'political'],
      ['boycott.joined', 'political'],
      ['邪教', 'religion'],
      ['邪教组织', 'religion'],
      ['xiejiao', 'religion'],
      ['xiejiaozuzhi', 'religion'],
      ['cult_member', 'religion'],
      ['fa_lun_gong', 'religion'],
      ['picketing', 'trade-union'],
      ['afl_cio.dues', 'trade-union'],
      ['touch_id', 'biometric'],
      ['face_unlock', 'biometric'],
      ['维权', 'political'],
      ['訪民', 'political'],
      ['臺獨', 'political'],
      ['全能神', 'religion'],
      ['吸毒', 'health'],
      ['獻血', 'health'],
      ['计划生育', 'health'],
      ['krankmeldung', 'health'],
      ['religieux', 'religion'],
      ['tserkov', 'religion'],
      ['greve', 'trade-union'],
      ['profsoyuz', 'trade-union'],
      ['petition.filed', 'political'],
      ['heart_rate', 'health'],
      ['blood_sugar', 'health'],
      // The words that make these ordinary beside them are few: these still are special.
      ['proxy.vote', 'political'],
      ['health_service.visit', 'health'],
      ['health_account.contribution', 'health'],
      ['health.score', 'health'],
      ['demonstration.joined', 'political'],
      ['rally.attended', 'political'],
      ['race.code', 'ethnicity'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
  });

  it('leaves ordinary financial names alone', () => {
    for (const name of [
      'credit.rehabilitation',
      'payment.late',
      'loan.default',
      'court.judgment',
      'utility.bill',
      'cpc.bid',
      'sect_no',
      'voice_id',
      'marketing.tickets',
      'party.supplies_purchased',
      // A court's petition is credit and legal data, not a petition to the authorities.
      'bankruptcy.petition_filed',
      'court.petition',
      'creditor_petition',
      'shareholder.vote',
      'creditors.vote',
      'voting_rights.shares',
      'credit.health',
      'seller.health',
      'battery.health',
      'product.demonstration',
      'rally.car',
      'race.entry',
    ])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });

  it('refuses a rule that picks facts out by such a word', () => {
    for (const when of [
      "fact.comment == 'rehab'",
      "fact.comment in ['ccp', 'x']",
      "fact.comment == '邪教'",
      "fact.comment.contains('xiejiao')",
    ])
      expect(outcome(book(when))?.code, when).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(outcome(book("fact.comment == 'rehabilitation_loan'"))).toBeUndefined();
  });
});

// A special word written apart loaded as a rule's literal and passed as a fact's code: no piece
// of it was a word the lists know.
describe('special words written apart', () => {
  it('reads letters one at a time, case changes into tiny pieces and split pinyin as the word', () => {
    const cases: Array<[string, string]> = [
      ['p-r-o-t-e-s-t', 'political'],
      ['p.r.o.t.e.s.t', 'political'],
      ['c_u_l_t', 'religion'],
      ['cHuRcH', 'religion'],
      ['xin_fang', 'political'],
      ['shang-fang', 'political'],
      ['zong.jiao', 'religion'],
      ['shang4fang3', 'political'],
      ['shang4 fang3', 'political'],
      ['zong1jiao4', 'religion'],
    ];
    for (const [name, category] of cases) expect(specialCategoryOf(name)?.category, name).toBe(category);
    expect(outcome(book("fact.comment == 'p-r-o-t-e-s-t'"))?.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
  });

  it('does not join ordinary words or camelCase into special ones', () => {
    for (const name of [
      'surge_rate',
      'past_or_present',
      'temp.level',
      'a_b_c',
      'iPhone',
      'eBay',
      'getURLForId',
      'dateOfBirth',
      'isVIP',
      'xin_yong',
      'race1',
      'a1b2',
      'xin4yong4',
    ])
      expect(specialCategoryOf(name), name).toBeUndefined();
  });
});
