import { CredenceError } from '../../../core/errors/index.js';
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
    throw new CredenceError(
      'CREDENCE_E_PURPOSE',
      `purpose "${purpose}" is not permitted for this key (permitted: ${p.purposes.join(', ') || 'none'})`,
      { field: 'purpose' },
    );
  }
  return purpose;
}
