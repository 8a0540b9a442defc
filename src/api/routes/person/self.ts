import type { FastifyRequest } from 'fastify';
import { CredenceError } from '../../../core/errors/index.js';
import { type ApiContext, principalOf } from '../../context.js';
import { AUTH_ERRORS } from '../../schemas/common.js';

/**
 * What every person route may refuse: those of any key, and 409 CREDENCE_E_SUBJECT_AMBIGUOUS when
 * the token's id was merged into a person split since (`selfOf`).
 */
export const SELF_ERRORS = [...AUTH_ERRORS, 409] as const;

/**
 * The person a person token is for, as they are now: a token issued for an id since merged into
 * another acts for the merged person (their facts, consents and scores moved there), so its
 * opt-out keeps the merged person out and its file is the person's whole file. A token issued for
 * an id whose own records a split took since acts for the person who holds them, not for whoever
 * the id names now (`PersonFileService.tokenPerson`).
 */
export async function selfOf(ctx: ApiContext, req: FastifyRequest): Promise<string> {
  const p = principalOf(req);
  const s = p.subject;
  if (s === null) throw new CredenceError('CREDENCE_E_FORBIDDEN', 'this key is not a person token');
  const person = await ctx.scores.resolveSubject(s);
  return person === s ? ctx.files.tokenPerson(s, p.keyId) : person;
}
