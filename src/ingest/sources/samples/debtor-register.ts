import { mixSeed, Prng } from '../../../generate/prng.js';
import { csvCell } from '../csv-reader.js';
import { residentAt } from './resident.js';

export const DEBTOR_REGISTER_COLUMNS = [
  'register',
  'file_number',
  'surname',
  'given_name',
  'date_of_birth',
  'national_id',
  'address',
  'entry_date',
  'entry_reason',
  'deletion_date',
] as const;

/** Why a debtor was entered (after the grounds of public debtor registers). */
export const ENTRY_REASONS = [
  'refused-asset-disclosure',
  'creditor-not-satisfied',
  'insolvency-refused',
] as const;

const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** The register's published snapshot date. */
export const REGISTER_AS_OF = '2026-06-30';

export interface DebtorRegisterOptions {
  readonly rows: number;
  readonly people: number;
  readonly seed?: number;
}

/**
 * A public debtor register as published: each entry with its deletion date, three years after
 * entry (the register deletes on that date; a snapshot may still show it for a few weeks, and
 * Credence then removes it in the same import).
 */
export function* debtorRegister(opts: DebtorRegisterOptions): Generator<string> {
  const seed = opts.seed ?? 1;
  yield DEBTOR_REGISTER_COLUMNS.join(',');
  const asOf = Date.parse(`${REGISTER_AS_OF}T00:00:00Z`);
  for (let k = 0; k < opts.rows; k++) {
    const r = new Prng(mixSeed(seed ^ 0x68e31da4, k));
    const p = residentAt(seed, mixSeed(seed ^ 0x1b873593, k) % opts.people, opts.people);
    // Most entries are younger than three years; about one in twenty is past its deletion date.
    const entry =
      asOf - (r.chance(0.05) ? 3 * YEAR + r.between(1, 40) * DAY : r.between(1, 3 * 365 - 1) * DAY);
    const row = [
      'Weihai enforcement court debtor register',
      `DR-${String(k + 1).padStart(7, '0')}`,
      p.surname.pinyin,
      p.givenName.pinyin,
      p.dateOfBirth,
      p.nationalId,
      p.address,
      new Date(entry).toISOString().slice(0, 10),
      r.pick(ENTRY_REASONS),
      new Date(entry + 3 * YEAR).toISOString().slice(0, 10),
    ];
    yield row.map((c) => csvCell(c)).join(',');
  }
}
