import type { FastifyRequest } from 'fastify';
import { CredenceError } from '../../../core/errors/index.js';
import { followMerges, type MergeStep } from '../../../identity/merge-chain.js';
import { type ApiContext, principalOf } from '../../context.js';
import { AUTH_ERRORS } from '../../schemas/common.js';
import { holdsOwnRecord } from '../../services/inquiry-ranges.js';

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
  return (await selfRead(ctx, req)).person;
}

/**
 * `selfOf`, with the identity decision log when deciding the person read it (a token whose id
 * holds no record of its own), for the person's file to use rather than read it again.
 */
export async function selfRead(
  ctx: ApiContext,
  req: FastifyRequest,
): Promise<{ person: string; decisions?: readonly MergeStep[] }> {
  const p = principalOf(req);
  const s = p.subject;
  if (s === null) throw new CredenceError('CREDENCE_E_FORBIDDEN', 'this key is not a person token');
  // The common case, one indexed read: the id holds a record first linked to it, so it is theirs.
  if (holdsOwnRecord(ctx.db, s)) return { person: s };
  const decisions = await ctx.files.decisions();
  const byRecords = await ctx.files.tokenPerson(s, p.keyId, decisions);
  if (byRecords !== undefined) return { person: byRecords, decisions };
  const merged = followMerges(s, decisions);
  if (merged.current !== s && merged.splitSince.length === 0) return { person: merged.current, decisions };
  // Not merged away, or nothing to follow across a split: as any other route names a person
  // (refused 409 without naming the others, or 404).
  return { person: await ctx.scores.resolveSubject(s), decisions };
}
