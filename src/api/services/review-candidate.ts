import { CredenceError } from '../../core/errors/index.js';

/**
 * A review is decided about its record and one of the persons it was found to resemble: a refusal
 * (CREDENCE_E_USAGE at `field`, naming the candidates) when `subjectId` is none of them, else
 * undefined. Any other person would take the record and its facts (a court judgment) on a typo.
 * Used by `POST /v1/identity/reviews/{recordId}` and `credence identity decide`.
 *
 * @example
 * const refusal = nonCandidate(item, 'P0000002', 'subjectId'); if (refusal) throw refusal;
 */
export function nonCandidate(
  item: { readonly recordId: string; readonly candidates: readonly unknown[] },
  subjectId: string,
  field: string,
): CredenceError | undefined {
  const candidates = item.candidates.map((c) => String((c as { subjectId?: unknown }).subjectId));
  if (candidates.includes(subjectId)) return undefined;
  return new CredenceError(
    'CREDENCE_E_USAGE',
    `${field} ${subjectId} is not a candidate of review ${item.recordId} (candidates: ${candidates.join(', ') || 'none'})`,
    { field },
  );
}
