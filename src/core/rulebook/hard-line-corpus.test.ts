import { describe, expect, it } from 'vitest';
import type { SpecialCategory } from './categories.js';
import { book, outcome } from './hard-line.case.js';
import { SPECIAL_STEMS, specialCategoryOf, specialCodeOf, specialSpelledOf } from './names.js';

// The hard line's word matcher against what operators write. (a) Names, codes and literals of
// real schemes (../shared/DOMAIN.md: Sesame dimensions and perks, Rongcheng's deduction table,
// the court list's published fields, PBoC grid codes, Schufa, identity documents, the example
// programs) and ordinary words that hold a special word's letters: none may be refused in any
// place it can stand. (b) Special-category names in the forms people write them: each must be
// refused wherever it stands, naming its category and where.
//
// Decided here, where the issue was silent: volunteering and community service are not special
// categories (whether a program may score them is the context rule's question, not the hard
// line's); blood donation is health (a donor's eligibility is a health finding), and so refused.

/** Names, codes and literals a real operator writes. */
const LEGIT: readonly string[] = [
  // Sesame Credit: dimensions, bands, perks, the watch-list levels, the partners' feedback.
  'credit_history',
  'behaviour_and_preferences',
  'behaviorPreferences',
  'fulfilment_capacity',
  'fulfillmentCapacity',
  'identity_traits',
  'verified_personal_info',
  'sesame_score',
  'zhima.score_reported',
  'band_poor',
  'band_fair',
  'very_good',
  'excellent',
  'score_na',
  'deposit_free',
  'deposit-free-bike',
  'bike_share_deposit_waived',
  'hotel_deposit_free',
  'pay_after_treatment',
  'public_bike',
  'watchlist_level',
  'watch_list.hit',
  'overdue_lt_week',
  'overdue_gt_month',
  'order_overdue',
  'overdue_amount',
  'merchant_query',
  'authorised_by_sms',
  'bound_phone',
  'monthly_update',
  'inactivity_decay',
  // Rongcheng's assessment table, grades and the joint-punishment lists.
  'contract_default',
  'lending_default',
  'leasing_default',
  'insurance_default',
  'sued_in_breach',
  'breach_found',
  'bank_arrears',
  'monthly_cycle',
  'private_loan_breach',
  'illegal_fundraising',
  'illegal-fundraising',
  'court_found_unpaid_debt',
  'pyramid-selling',
  'commercial-fraud',
  'counterfeit-goods',
  'late_utility_fee',
  'public_utility_fees',
  'fee_arrears',
  'water_theft',
  'gas_theft',
  'electricity_theft',
  'stealing_water',
  'utility.equipment_damaged',
  'utility.theft_found',
  'grade_aaa',
  'AAA',
  'base_1000',
  'informed_consent',
  'violation_record',
  'joint_punishment',
  'blacklist_shared',
  'agency_penalty',
  'indicator_count',
  'personal_score',
  'dishonest-debtor',
  // The 2016 memorandum's measures and the 2020 principles.
  'flight_ban',
  'no_flights',
  'soft_sleeper',
  'high_speed_rail',
  'train_ticket',
  'luxury_hotel',
  'golf_membership',
  'public_procurement',
  'senior_post',
  'subsidy_barred',
  'travel_ban',
  'passport_number',
  'consumption_restriction',
  'credit_repair',
  'behaviour_corrected',
  'proportionality',
  'lawful_basis',
  'measure_catalogue',
  // The court list: grounds and the published entry fields.
  'able_but_refuses',
  'obstructs_enforcement',
  'sham_litigation',
  'hidden_assets',
  'asset_report_breach',
  'settlement_breach',
  'listing_term',
  'term_extended',
  'deleted_early',
  'obligation_performed',
  'province',
  'court',
  'case_code',
  'registration_date',
  'publication_date',
  'document_number',
  'issuer',
  'performance_status',
  'unperformed_part',
  'dishonest_conduct',
  'person_or_organisation',
  'correction_application',
  'court_review',
  'appeal_filed',
  'court.blacklist_listed',
  'registry.debtor_listed',
  // PBoC and Schufa.
  'repayment_grid',
  'months_overdue',
  'paid_by_guarantor',
  'settled_with_assets',
  'terminated',
  'public_record',
  'tax_arrears',
  'judgment',
  'enforcement',
  'telecom_arrears',
  'objection_mark',
  'inquiry_list',
  'inquiry_reason',
  'institution',
  'negative_info',
  'free_report',
  'third_party_query',
  'written_consent',
  'schufa_score',
  'criteria_points',
  'data_copy',
  'storage_date',
  'scores_sent',
  'settled_default_deleted',
  'residual_debt_discharge',
  // Safeguards in law.
  'rectification',
  'restriction_contested',
  'automated_decision',
  'counterfactual',
  'permissible_purpose',
  'adverse_action_notice',
  'key_factors',
  'dispute_reinvestigated',
  'unverifiable_deleted',
  // Identity documents.
  'resident_id',
  'area_code',
  'birth_date',
  'check_character',
  'mrz_check_digit',
  'document_expiry',
  'real_name_registration',
  'sim_card',
  'passport_verified',
  'wallet_verified',
  'identity.verified',
  // Municipal schemes' legitimate items.
  'traffic_violation',
  'speeding_ticket',
  'parking_fine',
  'red_light_violation',
  'tax_paid',
  'water_bill_paid',
  'electricity_bill',
  'gas_bill_paid',
  'heating_fee',
  'property_fee',
  'volunteer_hours',
  'volunteering',
  'community_service',
  // The example programs.
  'loan.repaid',
  'loan.defaulted',
  'utility.bill_paid',
  'utility.arrears_notice',
  'court.private_loan_breach',
  'regulator.penalty',
  'wallet.balance_reported',
  'food.order_completed',
  'rental.returned',
  'default-record',
  'unsettled-default',
  // Ordinary words and compounds that hold a special word's letters, or join into one.
  'surge_rate',
  'surgeRate',
  'surge-pricing',
  'past_or',
  'past_or_present',
  'past_due',
  'pastDue',
  'temp.level',
  'temp_level',
  'template_id',
  'temperature',
  'protein_bar',
  'prototype',
  'protocol_version',
  'pro_rata',
  'proForma',
  'policy_number',
  'policy.lapsed',
  'media_type',
  'selection',
  'competition_entry',
  'accidental_damage',
  'sprayer_rental',
  'credit_union',
  'unionpay',
  'strike_price',
  'rally_car',
  'product_demonstration',
  'bankruptcy_petition',
  'shareholder_vote',
  'credit_health',
  'battery_health',
  'test_drive',
  'contest',
  'con_test',
  'pasta_order',
  'pastry',
  'reliable_payer',
  'relief_payment',
  'cancel_order',
  'island_delivery',
  'buddy_referral',
  'churn_risk',
  'invoice_paid',
  'menswear',
  'insurance_claim',
  'section_code',
  'sector',
  'trace_id',
  'update_on',
  'monitor',
  'visitor',
  'editor',
  'sponsor',
  'do_not_call',
  'opt_in',
  'log_in',
  'sign_on',
  // Refused before the corpus was written: a special word beside one that makes it ordinary, a
  // credit union's member, hospitality.
  'device_fingerprint',
  'browserFingerprint',
  'tls_fingerprint',
  'vehicle_diagnostics',
  'screen_orientation',
  'good_faith_purchaser',
  'bad_faith_filing',
  'legal_opinion',
  'audit_opinion',
  'covid_forbearance',
  'covid_payment_deferral',
  'credit_union_member',
  'credit_union_fees',
  'hospitality',
  'hospitality_booking',
  'hotel.hospitality_rated',
];

/** A special-category name as written, with its category; `pieces` when it is cut into pieces. */
type Special = readonly [string, SpecialCategory, 'pieces'?];

const SPECIAL: readonly Special[] = [
  // Political opinion or activity: protests, petitions, elections, parties, dissent.
  ['protest', 'political'],
  ['protest_attended', 'political'],
  ['attendedProtest', 'political'],
  ['protests.joined', 'political'],
  ['protester', 'political'],
  ['anti-protest', 'political'],
  ['PROTEST_FLAG', 'political'],
  ['pr0test', 'political'],
  ['prоtest', 'political'],
  ['pro_test', 'political', 'pieces'],
  ['proTest', 'political', 'pieces'],
  ['PRO-TEST', 'political', 'pieces'],
  ['p-r-o-t-e-s-t', 'political'],
  ['petition', 'political'],
  ['petition_filed', 'political'],
  ['petitioner', 'political'],
  ['peti_tion', 'political', 'pieces'],
  ['shangfang', 'political'],
  ['feizhengchangshangfang', 'political'],
  ['xin_fang', 'political'],
  ['shang4fang3', 'political'],
  ['xinfang_count', 'political'],
  ['election_vote', 'political'],
  ['voter_registration', 'political'],
  ['vote', 'political'],
  ['vo_te', 'political', 'pieces'],
  ['demonstration', 'political'],
  ['demonstr_ation', 'political', 'pieces'],
  ['political_party', 'political'],
  ['politicalOpinion', 'political'],
  ['party_member', 'political'],
  ['partyMembership', 'political'],
  ['party_dues', 'political'],
  ['dissident', 'political'],
  ['activist', 'political'],
  ['activism_score', 'political'],
  ['rally_attended', 'political'],
  ['boycott.joined', 'political'],
  ['ccp_member', 'political'],
  ['dangyuan', 'political'],
  ['kangyi', 'political'],
  ['hunger_strike', 'political'],
  ['sit_in', 'political'],
  ['ballot_cast', 'political'],
  ['referendum', 'political'],
  ['campaign_donation', 'political'],
  // Religion.
  ['religion', 'religion'],
  ['religious_donation', 'religion'],
  ['religiousDonation', 'religion'],
  ['RELIGIOUS_DONATION', 'religion'],
  ['reli_gion', 'religion', 'pieces'],
  ['religi_on', 'religion', 'pieces'],
  ['r3ligion', 'religion'],
  ['religión', 'religion'],
  ['church_attendance', 'religion'],
  ['churchgoer', 'religion'],
  ['megachurch', 'religion'],
  ['cHuRcH', 'religion'],
  ['chur_ch', 'religion', 'pieces'],
  ['mosque', 'religion'],
  ['m0sque', 'religion'],
  ['mosque-donations', 'religion'],
  ['synagogue', 'religion'],
  ['temple_visit', 'religion'],
  ['worship', 'religion'],
  ['prayer_times', 'religion'],
  ['pastor', 'religion'],
  ['pas_tor', 'religion', 'pieces'],
  ['pa_stor', 'religion', 'pieces'],
  ['pastors', 'religion'],
  ['cult_member', 'religion'],
  ['c_u_l_t', 'religion'],
  ['cu_lt', 'religion', 'pieces'],
  ['zongjiao', 'religion'],
  ['zong-jiao', 'religion'],
  ['zongjiaohuodong', 'religion'],
  ['xiejiao', 'religion'],
  ['falun_gong', 'religion'],
  ['tithe_paid', 'religion'],
  ['muslim', 'religion'],
  ['christian', 'religion'],
  ['halal_only', 'religion'],
  ['bishop', 'religion'],
  ['doctor', 'health'],
  // Ethnicity.
  ['ethnicity', 'ethnicity'],
  ['ethnic_group', 'ethnicity'],
  ['ethnicOrigin', 'ethnicity'],
  ['eth_nic', 'ethnicity', 'pieces'],
  ['race', 'ethnicity'],
  ['ra_ce', 'ethnicity', 'pieces'],
  ['racial_origin', 'ethnicity'],
  ['multiracial', 'ethnicity'],
  ['minzu', 'ethnicity'],
  ['uyghur', 'ethnicity'],
  ['uighur', 'ethnicity'],
  ['ancestry', 'ethnicity'],
  ['skin_colour', 'ethnicity'],
  ['tribe', 'ethnicity'],
  ['indigenous', 'ethnicity'],
  // Health.
  ['health', 'health'],
  ['health_status', 'health'],
  ['healthScore', 'health'],
  ['h3alth', 'health'],
  ['heal_th', 'health', 'pieces'],
  ['mentalhealth', 'health'],
  ['mental_health', 'health'],
  ['hospital', 'health'],
  ['hospital_visit', 'health'],
  ['cityhospital', 'health'],
  ['city-hospital', 'health'],
  ['hosp_ital', 'health', 'pieces'],
  ['medical_record', 'health'],
  ['medicalRecord', 'health'],
  ['diagnosis', 'health'],
  ['diagnoses', 'health'],
  ['disease', 'health'],
  ['illness', 'health'],
  ['patient_id', 'health'],
  ['outpatient', 'health'],
  ['clinic_visit', 'health'],
  ['prescription', 'health'],
  ['pregnancy', 'health'],
  ['pregnant', 'health'],
  ['disability', 'health'],
  ['therapy_session', 'health'],
  ['vaccination', 'health'],
  ['surgery', 'health'],
  ['surge_ry', 'health', 'pieces'],
  ['surgeon_fee', 'health'],
  ['surgeons', 'health'],
  ['hiv_status', 'health'],
  ['HIVStatus', 'health'],
  ['blood_donation', 'health'],
  ['blood_type', 'health'],
  ['bmi', 'health'],
  ['sick_leave', 'health'],
  ['sickleave', 'health'],
  ['rehab', 'health'],
  ['detox', 'health'],
  ['suicide_attempt', 'health'],
  ['jiankang', 'health'],
  ['yiliao', 'health'],
  ['heart_rate', 'health'],
  ['nurse', 'health'],
  ['doc_tor', 'health', 'pieces'],
  // Sex life and orientation.
  ['sexual_orientation', 'sex-life'],
  ['sexualOrientation', 'sex-life'],
  ['sex_life', 'sex-life'],
  ['sexlife', 'sex-life'],
  ['gay', 'sex-life'],
  ['ga_y', 'sex-life', 'pieces'],
  ['lgbt', 'sex-life'],
  ['lgbtq', 'sex-life'],
  ['homosexual', 'sex-life'],
  ['dating_app', 'sex-life'],
  ['transgender', 'sex-life'],
  ['gender_identity', 'sex-life'],
  ['tongxinglian', 'sex-life'],
  ['porn', 'sex-life'],
  // Trade-union membership.
  ['trade_union', 'trade-union'],
  ['tradeUnion', 'trade-union'],
  ['union_member', 'trade-union'],
  ['unionmember', 'trade-union'],
  ['unionMembers', 'trade-union'],
  ['union_members', 'trade-union'],
  ['party_members', 'political'],
  ['face_scans', 'biometric'],
  ['inpatient_stay', 'health'],
  ['hospitalised', 'health'],
  ['fingerprint_scan', 'biometric'],
  ['diagnostics', 'health'],
  ['faith', 'religion'],
  ['covid_positive', 'health'],
  ['union_member_fees', 'trade-union'],
  ['union_dues', 'trade-union'],
  ['union-dues', 'trade-union'],
  ['labor_union', 'trade-union'],
  ['unionized', 'trade-union'],
  ['gonghui', 'trade-union'],
  ['on_strike', 'trade-union'],
  ['picket', 'trade-union'],
  ['walkout', 'trade-union'],
  ['collective_bargaining', 'trade-union'],
  ['shop_steward', 'trade-union'],
  ['gewerkschaft', 'trade-union'],
  // Biometrics.
  ['biometric', 'biometric'],
  ['biometrics_template', 'biometric'],
  ['fingerprint', 'biometric'],
  ['fingerprintHash', 'biometric'],
  ['finger_print', 'biometric', 'pieces'],
  ['face_scan', 'biometric'],
  ['facescan', 'biometric'],
  ['face_id', 'biometric'],
  ['iris_scan', 'biometric'],
  ['voiceprint', 'biometric'],
  ['zhiwen', 'biometric'],
  ['renlian', 'biometric'],
  // Genetics.
  ['genetic', 'genetic'],
  ['genetic_test', 'genetic'],
  ['genetics', 'genetic'],
  ['gene_tic', 'genetic', 'pieces'],
  ['dna', 'genetic'],
  ['dna_result', 'genetic'],
  ['DNAResult', 'genetic'],
  ['genome', 'genetic'],
  ['genotype', 'genetic'],
  ['23andme', 'genetic'],
  ['jiyin', 'genetic'],
];

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EVENT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The rulebook with `name` as the event's field, or as its event type, or as a compared literal. */
const asField = (name: string) => book('true').replace('comment: string', `${name}: string`);
const asType = (name: string) => book('true').replace(/pay\.done/g, name);
const asLiteral = (name: string) => book(`fact.comment == '${name}'`);

/** What compiling `text` refused, as "path: reason" lines. */
const refusals = (text: string) =>
  (outcome(text)?.details ?? []).map((d) => `${d.path}: ${d.reason}`).join('\n');

describe('the hard line against an operator corpus', () => {
  it('holds enough of each kind', () => {
    expect(new Set(LEGIT).size).toBe(LEGIT.length);
    expect(LEGIT.length).toBeGreaterThanOrEqual(150);
    expect(new Set(SPECIAL.map(([w]) => w)).size).toBe(SPECIAL.length);
    expect(SPECIAL.length).toBeGreaterThanOrEqual(150);
  });

  it('refuses none of the legitimate names, codes or literals', () => {
    const refused: string[] = [];
    for (const name of LEGIT) {
      const places: Array<[string, string]> = [['literal', refusals(asLiteral(name))]];
      places.push(['name', specialCategoryOf(name)?.word ?? '']);
      places.push(['code', specialCodeOf(name)?.word ?? '']);
      if (FIELD.test(name)) places.push(['field', refusals(asField(name))]);
      if (EVENT.test(name)) places.push(['event type', refusals(asType(name))]);
      for (const [where, why] of places) if (why !== '') refused.push(`${name} as ${where}: ${why}`);
    }
    expect(refused).toEqual([]);
  });

  it('refuses each special-category form wherever it stands, naming its category and where', () => {
    const passed: string[] = [];
    for (const [name, category, pieces] of SPECIAL) {
      const said = new RegExp(`special-category data \\(${category}\\)`);
      const literal = refusals(asLiteral(name));
      if (!/^rules\[0\]\.when: /.test(literal) || !said.test(literal))
        passed.push(`${name} as literal: ${literal}`);
      const code = specialCodeOf(name);
      if (code?.category !== category && !/^[A-Z]/.test(name))
        passed.push(`${name} as code: ${code?.category}`);
      // A name's pieces of three letters or more are its words (`pro_test` is a field of "pro" and
      // "test"); only what a rule compares and what a furnisher codes is read across them.
      if (pieces) continue;
      if (specialCategoryOf(name)?.category !== category)
        passed.push(`${name} as name: ${specialCategoryOf(name)?.category}`);
      if (FIELD.test(name)) {
        const field = refusals(asField(name));
        if (!field.startsWith(`events['pay.done'].fields.${name}: `) || !said.test(field))
          passed.push(`${name} as field: ${field}`);
      }
      if (EVENT.test(name)) {
        const type = refusals(asType(name));
        if (!type.includes(`events['${name}']`) || !said.test(type))
          passed.push(`${name} as event type: ${type}`);
      }
    }
    expect(passed).toEqual([]);
  });
});

describe('a special word cut into two pieces', () => {
  const stems = SPECIAL_STEMS.filter(([stem]) => /^[a-z]{5,}$/.test(stem));
  const TWO_LETTER = new Set(
    'an as at be by do go he if in is it me my no of on or so to up us we'.split(' '),
  );

  it('is the word however it is cut, as a literal or a code', () => {
    // Every stem at every cut, with every separator, the second piece as written and in capitals:
    // few enough to try all (a sample drew a different few each run).
    const missed: string[] = [];
    for (const [stem, category] of stems)
      for (let cut = 1; cut < stem.length; cut++)
        for (const sep of ['_', '-', '.', ' '])
          for (const second of [stem.slice(cut), stem.slice(cut).toUpperCase()]) {
            const text = `${stem.slice(0, cut)}${sep}${second}`;
            if (specialSpelledOf(text)?.category !== category) missed.push(text);
          }
    expect(missed).toEqual([]);
  });

  it('is two everyday words when one piece is an everyday two-letter word', () => {
    // Words of the corpus, three letters or more, then such a word: `past_or`, `court_of`. Only
    // words ordinary on their own: `credit_health` is legitimate, but its piece `health` alone is
    // listed, and `health_or` rightly refused (the fresh-clone check drew it once in ~100 runs).
    const everyday = [...new Set(LEGIT.flatMap((n) => n.toLowerCase().split(/[^a-z]+/)))].filter(
      (w) => w.length >= 3 && specialCategoryOf(w) === undefined,
    );
    const refused: string[] = [];
    for (const word of everyday)
      for (const two of TWO_LETTER)
        for (const text of [`${two}_${word}`, `${word}_${two}`])
          if (specialSpelledOf(text) !== undefined) refused.push(text);
    // The one phrase of the corpus's words that is refused: `union_is` joins into the stem
    // `unionis(t)`, and stems are joined whatever the cut (`religi_on`), as docs/rulebook.md says.
    expect(refused).toEqual(['union_is']);
  });
});
