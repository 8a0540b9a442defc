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
