import { mixSeed, Prng } from '../../../generate/prng.js';
import { csvCell } from '../csv-reader.js';
import { residentAt } from './resident.js';

export const BUREAU_COLUMNS = [
  'lender',
  'account_no',
  'account_type',
  'opened_on',
  'instalment',
  'name',
  'national_id',
  'date_of_birth',
  'last_month',
  'repayment_grid',
] as const;

const LENDERS = ['weihai-commercial-bank', 'rongcheng-rural-credit', 'pay-consumer-finance'] as const;

export interface BureauOptions {
  readonly rows: number;
  readonly people: number;
  readonly seed?: number;
  /** `YYYY-MM` of the grids' last month (default 2026-06). */
  readonly lastMonth?: string;
}

/**
 * A 24-month repayment grid, oldest month first, as a PBoC report prints it: mostly N, runs of
 * 1, 2, 3... when payments slip, C once settled (then `/`), now and then D, Z, G or #.
 */
export function repaymentGrid(r: Prng, months = 24): string {
  const opened = r.chance(0.3) ? r.int(months - 3) : 0;
  let out = '/'.repeat(opened);
  let overdue = 0;
  const profile = r.next();
  for (let i = opened; i < months; i++) {
    const closing = profile < 0.1 && i > opened + 6 && r.chance(0.12);
    if (closing) {
      const how = profile < 0.02 ? 'Z' : profile < 0.03 ? 'G' : 'C';
      out += how + '/'.repeat(months - i - 1);
      return out;
    }
    if (profile > 0.97 && overdue >= 3 && r.chance(0.3)) {
      out += 'D';
      overdue = 0;
      continue;
    }
    if (r.chance(0.005)) {
      out += '#';
      continue;
    }
    const slipP = profile > 0.85 ? 0.25 : 0.02;
    if (overdue > 0 ? r.chance(0.6) : r.chance(slipP)) overdue = Math.min(overdue + 1, 7);
    else overdue = 0;
    out += overdue === 0 ? 'N' : String(overdue);
  }
  return out;
}

/** Credit-bureau account files: one row per loan account with its 24-month grid. */
export function* bureauAccounts(opts: BureauOptions): Generator<string> {
  const seed = opts.seed ?? 1;
  yield BUREAU_COLUMNS.join(',');
  for (let k = 0; k < opts.rows; k++) {
    const r = new Prng(mixSeed(seed ^ 0x3c6ef372, k));
    const p = residentAt(seed, mixSeed(seed ^ 0x7f4a7c15, k) % opts.people, opts.people);
    const lender = r.pick(LENDERS);
    const grid = repaymentGrid(r);
    const row = [
      lender,
      `${lender.slice(0, 3).toUpperCase()}${String(k + 1).padStart(9, '0')}`,
      r.pick(['consumer', 'mortgage', 'credit-card']),
      `20${r.between(18, 24)}-${String(r.between(1, 12)).padStart(2, '0')}-01`,
      String(r.between(5, 60) * 100),
      p.surname.hanzi + p.givenName.hanzi,
      p.nationalId,
      p.dateOfBirth,
      opts.lastMonth ?? '2026-06',
      grid,
    ];
    yield row.map((c) => csvCell(c)).join(',');
  }
}
