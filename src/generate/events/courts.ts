import type { Prng } from '../prng.js';
import { amount, DAY, type Timeline } from './timeline.js';

const COURTS = [
  "Rongcheng People's Court",
  "Weihai Intermediate People's Court",
  "Huancui District People's Court",
];
const REGISTER = 'Weihai Enforcement Debtor Register';

// DOMAIN: the listing grounds, as the stable codes the court source mapping gives them.
const LISTING_GROUNDS = [
  'refuses-to-perform',
  'obstructs-enforcement',
  'evades-enforcement',
  'breaks-asset-reporting',
  'breaks-consumption-restriction',
  'breaks-settlement',
];
function caseCode(r: Prng, at: number, kind: string): string {
  // Case codes as courts write them: (year) court code, kind, number.
  return `(${new Date(at).getUTCFullYear()})Lu1082${kind}${r.between(100, 9999)}`;
}

/** A court case: a finding, perhaps a listing as dishonest debtor, perhaps its removal later. */
function courtCase(r: Prng, t: Timeline, at: number, type: string, listP: number): void {
  const court = r.pick(COURTS);
  const c = caseCode(r, at, type === 'court.judgment_unpaid' ? 'Zhi' : 'Minchu');
  t.add(
    at,
    'court',
    type,
    { court, case: c, amount: amount(r, 2000, 200000) },
    type === 'court.judgment_unpaid',
  );
  if (type === 'court.judgment_unpaid') debtorRegister(r, t, at);
  if (!r.chance(listP)) return;
  const listedAt = at + r.between(30, 120) * DAY;
  if (
    !t.add(listedAt, 'court', 'court.blacklist_listed', { court, case: c, ground: r.pick(LISTING_GROUNDS) })
  )
    return;
  // Part of the obligation performed: the entry is updated, and stays.
  if (r.chance(0.25)) {
    t.add(listedAt + r.between(10, 90) * DAY, 'court', 'court.blacklist_updated', { court, case: c });
  }
  // DOMAIN: deleted early once the obligation is performed; otherwise the two-year term runs on.
  if (r.chance(0.45)) {
    t.add(listedAt + r.between(91, 240) * DAY, 'court', 'court.blacklist_removed', { court, case: c });
  }
}

/** An unpaid judgment entered in the public debtor register; deleted for some once they pay. */
function debtorRegister(r: Prng, t: Timeline, judgedAt: number): void {
  if (!r.chance(0.4)) return;
  const at = judgedAt + r.between(20, 90) * DAY;
  const entry = {
    register: REGISTER,
    file: `DR-${new Date(at).getUTCFullYear()}-${r.between(10000, 99999)}`,
  };
  if (!t.add(at, 'debtor-register', 'registry.debtor_listed', entry)) return;
  // Registers keep an entry three years (beyond any span here) unless the debt is paid.
  if (r.chance(0.35))
    t.add(at + r.between(30, 300) * DAY, 'debtor-register', 'registry.debtor_removed', entry);
}

/** Court findings (some after a bank default), listings and removals, regulator penalties. */
export function courts(r: Prng, t: Timeline, defaultedAt: number | undefined): void {
  const { start, end } = t.span;
  const anyTime = (): number => start + r.next() * (end - start);
  if (defaultedAt !== undefined && r.chance(0.5)) {
    courtCase(r, t, defaultedAt + r.between(40, 150) * DAY, 'court.judgment_unpaid', 0.6);
  }
  // Private disputes that reach a court, unrelated to the bank.
  if (r.chance(0.012)) courtCase(r, t, anyTime(), 'court.judgment_unpaid', 0.5);
  if (r.chance(0.01)) courtCase(r, t, anyTime(), 'court.breach_found', 0.3);
  if (r.chance(0.005)) courtCase(r, t, anyTime(), 'court.private_loan_breach', 0.2);
  if (r.chance(0.003)) courtCase(r, t, anyTime(), 'court.fee_arrears', 0.2);
  // A few repeat offenders with a run of cases: the pilots' lowest grades (C, D) are rare, not empty.
  if (r.chance(0.008)) {
    const cases = r.between(4, 14);
    for (let i = 0; i < cases; i++) {
      const type = r.pick([
        'court.judgment_unpaid',
        'court.breach_found',
        'court.fee_arrears',
        'court.private_loan_breach',
      ]);
      courtCase(r, t, anyTime(), type, 0.3);
    }
  }
  if (r.chance(0.003)) {
    const at = anyTime();
    t.add(at, 'market-regulator', 'regulator.penalty', {
      authority: 'Rongcheng Market Supervision Administration',
      case: `RC-MSA-${new Date(at).getUTCFullYear()}-${r.between(1000, 9999)}`,
      offence: r.pick(['commercial-fraud', 'counterfeit-goods', 'pyramid-selling', 'illegal-fundraising']),
    });
  }
}
