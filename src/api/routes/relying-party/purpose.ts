import { CredenceError } from '../../../core/errors/index.js';
import type { CompiledRulebook } from '../../../core/rulebook/index.js';
import type { Principal } from '../../auth/index.js';

/** A relying party's query must state one of the purposes its key was issued for (FCRA permissible purpose). */
export function requirePurpose(p: Principal, purpose: string | undefined): string {
  if (purpose === undefined || purpose === '') {
    throw new CredenceError(
      'CREDENCE_E_PURPOSE',
      `state the purpose of this query (permitted for this key: ${p.purposes.join(', ') || 'none'})`,
      { field: 'purpose' },
    );
  }
  if (!p.purposes.includes(purpose)) {
    const like = resembling(p.purposes, purpose);
    throw new CredenceError(
      'CREDENCE_E_PURPOSE',
      `purpose ${JSON.stringify(purpose)} is not permitted for this key (permitted: ${p.purposes.join(', ') || 'none'})` +
        (like === undefined ? '' : `; purposes are matched exactly: did you mean ${JSON.stringify(like)}?`),
      { field: 'purpose' },
    );
  }
  return purpose;
}

/**
 * The key's purpose the one sent differs from only in case or surrounding spaces. Still refused:
 * the purpose recorded in the person's inquiry is the one the key was issued for, exactly, and a
 * key may hold both "Credit" and "credit" (purposes are free text). But `"tenancy "` is hard to
 * tell from `tenancy` in a refusal, so the near miss is named.
 */
function resembling(purposes: readonly string[], sent: string): string | undefined {
  const norm = (s: string) => s.trim().toLowerCase();
  return purposes.find((q) => norm(q) === norm(sent));
}

/**
 * A program that declares `inquiries: { authorisation: required }` is asked only by a relying party
 * naming the person's authorisation it holds (its reference: the signed form, the SMS confirmation),
 * as the PBoC's third-party queries need the person's written consent. Credence cannot see the
 * paper; the reference goes into the inquiry the person reads, so a query under an authorisation
 * they never gave is theirs to contest. Checked before the person is looked up: a refusal reads
 * nothing about anyone. Returns the reference to record (trimmed), if one was given.
 */
export function requireAuthorisation(
  rb: Pick<CompiledRulebook, 'program' | 'inquiries'>,
  authorisation: string | undefined,
): string | undefined {
  const ref = authorisation?.trim();
  if (rb.inquiries?.authorisation === 'required' && !ref) {
    throw new CredenceError(
      'CREDENCE_E_FORBIDDEN',
      `program ${rb.program} is asked only with the person's authorisation: name the one you hold (authorisation)`,
      { field: 'authorisation' },
    );
  }
  return ref || undefined;
}
