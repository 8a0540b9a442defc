import { type Static, Type } from 'typebox';
import type { CompiledRulebook } from '../../../core/rulebook/index.js';
import type { Scored, ScoreOutcome } from '../../../core/scoring/index.js';
import { type ApiContext, type ApiInstance, audit, auditThen, principalOf } from '../../context.js';
import {
  AUTH_ERRORS,
  Authorisation,
  bearer,
  decisionAsOf,
  errors,
  KeyFactor,
  PastInstant,
  Purpose,
  Range,
  SubjectParams,
} from '../../schemas/common.js';
import { disputedCodes, markDisputed } from './adverse-action.js';
import { requireAuthorisation, requirePurpose } from './purpose.js';

export const ScoreAnswer = Type.Object({
  subject: Type.String(),
  program: Type.String(),
  version: Type.Integer(),
  asOf: Type.String(),
  status: Type.Union([Type.Literal('scored'), Type.Literal('not-scored')]),
  score: Type.Optional(Type.Number()),
  tier: Type.Optional(Type.String()),
  range: Range,
  keyFactors: Type.Optional(Type.Array(KeyFactor)),
});

type ScoreAnswer = Static<typeof ScoreAnswer>;

const DAY_MS = 86_400_000;
let lastDay = Number.NaN;
let lastDayText = '';
let lastAsOf = Number.NaN;
let lastIso = '';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * `new Date(asOf).toISOString()`, with the date part built once per day and the time of day
 * written directly (a `Date` and its formatting per request cost more than the rest of the
 * answer's fields); requests answered in the same millisecond share the last text. Anything but
 * a whole number of ms within `Date`'s range goes to `Date` itself (same text, same RangeError).
 */
export function isoOf(asOf: number): string {
  if (asOf === lastAsOf) return lastIso;
  if (!Number.isSafeInteger(asOf) || Math.abs(asOf) > 8.64e15) return new Date(asOf).toISOString();
  const day = Math.floor(asOf / DAY_MS);
  if (day !== lastDay) {
    const iso = new Date(day * DAY_MS).toISOString();
    lastDayText = iso.slice(0, iso.indexOf('T') + 1);
    lastDay = day;
  }
  const r = asOf - day * DAY_MS;
  const ms = r % 1000;
  const s = Math.floor(r / 1000);
  lastIso = `${lastDayText}${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  lastAsOf = asOf;
  return lastIso;
}

/**
 * The audit entry of an answered score query (keys in canonical order: the log has nothing to
 * sort). It keeps the key factors sent as they were sent (`answer.keyFactors`, disputed marks
 * included): the person sees what was disclosed about them, not a recomputation.
 */
function inquiry(
  subject: string,
  purpose: string,
  asOf: number,
  o: ScoreOutcome,
  answer: ScoreAnswer,
  authorisation: string | undefined,
) {
  const by = authorisation !== undefined ? { authorisation } : {};
  return {
    action: 'score.query',
    subject,
    purpose,
    detail:
      o.status === 'scored'
        ? {
            asOf,
            ...by,
            keyFactors: answer.keyFactors ?? [],
            program: o.program,
            score: o.score,
            status: o.status,
            tier: o.tier,
            version: o.version,
          }
        : { asOf, ...by, program: o.program, reason: o.reason, status: o.status, version: o.version },
  };
}

/** The answer to a score query (sent only once its audit entry is committed). */
function answerOf(
  rb: CompiledRulebook,
  subject: string,
  asOf: number,
  o: ScoreOutcome,
  keyFactors?: ScoreAnswer['keyFactors'],
): ScoreAnswer {
  // Literal objects, not a common part spread into each answer (a copy per request).
  const range = { min: rb.scale.min, max: rb.scale.max };
  return o.status === 'scored'
    ? {
        subject,
        program: o.program,
        version: o.version,
        asOf: isoOf(asOf),
        status: o.status,
        score: o.score,
        tier: o.tier,
        range,
        // Only serialised, never changed: no copy.
        keyFactors: keyFactors ?? (o.keyFactors as ScoreAnswer['keyFactors']),
      }
    : {
        subject,
        program: o.program,
        version: o.version,
        asOf: isoOf(asOf),
        status: o.status,
        // No reason: an opted-out person reads as anyone without a score (docs/api.md).
        range,
      };
}

/**
 * The key factors with `disputed: true` on those a fact under the person's dispute at as-of makes
 * up (a program that does not suspend disputed facts counts them, and a report built on disputed
 * information must say so: US FCRA §611(c)); undefined when no fact of theirs is disputed then.
 */
async function disputedFactors(
  ctx: ApiContext,
  subject: string,
  program: string,
  asOf: number,
  o: Scored,
): Promise<ScoreAnswer['keyFactors']> {
  if (o.keyFactors.length === 0) return undefined;
  const disputed = await ctx.scores.disputedAt(subject, asOf);
  if (disputed.size === 0) return undefined;
  const ex = await ctx.scores.explain(subject, program, asOf);
  return markDisputed(o.keyFactors, disputedCodes(ex, disputed));
}

/** GET /v1/persons/:subject/score — recorded as an inquiry the person sees. */
export function scoreRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.get(
    '/v1/persons/:subject/score',
    {
      config: { auth: { roles: ['relying-party'], scope: 'scores:read' } },
      schema: {
        tags: ['relying-party'],
        summary: "A person's score in a program, for a stated purpose",
        description:
          "The purpose must be one the key was issued for, else 403. A person without a score is answered not-scored, never with a number, and without saying why: an opt-out reads as too few facts does. Every answer is an inquiry in the person's file.",
        security: bearer,
        params: SubjectParams,
        querystring: Type.Object({
          program: Type.String({ minLength: 1, maxLength: 100 }),
          purpose: Purpose,
          asOf: Type.Optional(PastInstant),
          authorisation: Type.Optional(Authorisation),
        }),
        // 409: an identifier two people hold (CREDENCE_E_SUBJECT_AMBIGUOUS).
        response: { 200: ScoreAnswer, ...errors(...AUTH_ERRORS, 404, 409, 422) },
      },
    },
    (req, reply) => {
      const p = principalOf(req);
      const purpose = requirePurpose(p, req.query.purpose);
      const asOf = decisionAsOf(req.query.asOf, ctx.clock());
      const program = req.query.program;
      // The program first: asked after the person was looked up, an unknown program answered
      // CREDENCE_E_PROGRAM_NOT_FOUND for a known identifier and CREDENCE_E_SUBJECT_NOT_FOUND for
      // an unknown one, so whether Credence holds anything about a phone or an ID number could be
      // read off without a score being asked, and without an inquiry in that person's list.
      const rb = ctx.scores.rulebook(program, asOf);
      const authorisation = requireAuthorisation(rb, req.query.authorisation);
      // People asked about before are answered from memory without a promise or a query: the
      // answer is sent from the audit log's callback once its entry is committed.
      const known = ctx.scores.knownSubject(req.params.subject);
      const cached = known !== undefined ? ctx.scores.scoreCached(known, program, asOf) : undefined;
      // A person with a fact under dispute at as-of goes the long way: their key factors are
      // checked against it (`disputedFactors`).
      if (
        known !== undefined &&
        cached !== undefined &&
        (cached.status !== 'scored' || ctx.scores.disputedCached(known, asOf)?.size === 0)
      ) {
        const answer = answerOf(rb, known, asOf, cached);
        auditThen(ctx, req, inquiry(known, purpose, asOf, cached, answer, authorisation), (err) => {
          // An entry not stored is an error answer (the error handler's), never the score.
          if (err) reply.send(err as unknown as ScoreAnswer);
          else reply.send(answer);
        });
        return;
      }
      // Otherwise the person is read from the store first; the same entry, then the same answer.
      return (async () => {
        const subject = known ?? (await ctx.scores.resolveSubject(req.params.subject));
        const o =
          ctx.scores.scoreCached(subject, program, asOf) ?? (await ctx.scores.score(subject, program, asOf));
        // The version read again: a program another process loaded meanwhile scored `o`.
        const answer = answerOf(
          ctx.scores.rulebook(program, asOf),
          subject,
          asOf,
          o,
          o.status === 'scored' ? await disputedFactors(ctx, subject, program, asOf, o) : undefined,
        );
        await audit(ctx, req, inquiry(subject, purpose, asOf, o, answer, authorisation));
        return answer;
      })();
    },
  );
}
