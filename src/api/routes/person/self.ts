import type { FastifyRequest } from 'fastify';
import { CredenceError } from '../../../core/errors/index.js';
import { type ApiContext, principalOf } from '../../context.js';
import { AUTH_ERRORS } from '../../schemas/common.js';

/**
 * What every person route may refuse: those of any key, and 409 CREDENCE_E_SUBJECT_AMBIGUOUS when
 * the token's id was merged into a person split since and nothing of the id's can be followed (it
 * was filed by id alone, with no record: `selfOf`).
 */
export const SELF_ERRORS = [...AUTH_ERRORS, 409] as const;

/**
 * The person a person token is for, as they are now: whoever holds the records it was issued
 * over, where a split touched its id's family (`PersonFileService.tokenPerson`, the inquiry
 * list's rule), so a token from before a merge and a split of the merged person reads the file
 * of the one who holds its records, and never that of whoever its id's merges lead to. Otherwise
 * its id as merges leave it: a token issued for an id since merged into another acts for the
 * merged person (their facts, consents and scores moved there), so its opt-out keeps the merged
 * person out and its file is the person's whole file.
 */
export async function selfOf(ctx: ApiContext, req: FastifyRequest): Promise<string> {
  const p = principalOf(req);
  const s = p.subject;
  if (s === null) throw new CredenceError('CREDENCE_E_FORBIDDEN', 'this key is not a person token');
  return (await ctx.files.tokenPerson(s, p.keyId)) ?? ctx.scores.resolveSubject(s);
}
