import { PERSON_FIELDS, type PersonRecord } from './types.js';

const FIELDS = new Set<string>(PERSON_FIELDS);

/**
 * A fact's `subject` object as a person record (canonical fields only; `subjectId` and
 * unknown keys are left out).
 *
 * @example
 * subjectToRecord({ phone: '+8613800138000', given_name: 'Wei' }, 'shop/tb-1')
 * // { record_id: 'shop/tb-1', phone: '+8613800138000', given_name: 'Wei' }
 */
export function subjectToRecord(subject: Record<string, string | undefined>, recordId: string): PersonRecord {
  const r: PersonRecord = { record_id: recordId };
  for (const [k, v] of Object.entries(subject)) {
    if (k === 'record_id' || !FIELDS.has(k) || v === undefined || v === '') continue;
    (r as unknown as Record<string, string>)[k] = String(v);
  }
  return r;
}

/** The event type whose MRZ binds an account's phone or handle to the document holder. */
export const KYC_EVENT_TYPE = 'kyc.document_verified';

/**
 * The person record of a `kyc.document_verified` fact: the account's phone or platform handle
 * from `subject`, the passport from the MRZ (in `data.mrz` or `subject.mrz`, lines separated
 * by newlines). Resolving it binds the phone and handle to the passport holder: the handle is
 * a strong key, and a phone that arrives with a valid MRZ becomes one too.
 *
 * @example
 * kycRecord({ id: 'k1', source: 'wallet', type: 'kyc.document_verified',
 *   subject: { account: 'wallet:anna', phone: '+46701234567' }, data: { mrz: 'P<UTO…\nL898…' } })
 */
export function kycRecord(fact: {
  id: string;
  source: string;
  type: string;
  subject: Record<string, string | undefined>;
  data: Record<string, unknown>;
}): PersonRecord | undefined {
  if (fact.type !== KYC_EVENT_TYPE) return undefined;
  const r = subjectToRecord(fact.subject, `${fact.source}/${fact.id}`);
  const mrz = typeof fact.data.mrz === 'string' ? fact.data.mrz : r.mrz;
  if (mrz) r.mrz = mrz;
  return r;
}
