import { Type } from 'typebox';
import { CredenceError, isCredenceError } from '../../../core/errors/index.js';
import type { IdentityChange } from '../../../ingest/resolve/identity-ops.js';
import { type ApiContext, type ApiInstance, audit } from '../../context.js';
import { AUTH_ERRORS, bearer, errors } from '../../schemas/common.js';
import { ReviewChangeBody, ReviewItemBody } from '../../schemas/identity-review.js';
import { byText, Next, PAGE_MOST, pageQuery, pageRead } from '../../schemas/page.js';
import { nonCandidate } from '../../services/review-candidate.js';

const admin = { auth: { roles: ['operator'] as const, scope: 'identity:admin' as const } };

/** The identity review queue: matches between the thresholds, waiting for a person to decide. */
export function identityRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.get(
    '/v1/identity/reviews',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Records waiting for an operator: same person or not?',
        description:
          'By recordId, up to `limit` (default and most 10,000) after the record `after`; `next`, when the queue goes on, is the `after` of the next page.',
        security: bearer,
        querystring: Type.Object(pageQuery('The recordId of the last review read (next of the page before)')),
        response: {
          200: Type.Object({ reviews: Type.Array(ReviewItemBody), next: Next }),
          ...errors(...AUTH_ERRORS),
        },
      },
      // Sent as the identity module builds it: the schema describes the queue, never trims it.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const { after } = req.query;
      const limit = req.query.limit ?? PAGE_MOST;
      // By record id, so that a page starts where the one before ended. The persisted queue reads
      // only the page (and one item more, to know whether more follow); a queue without
      // `reviewPage` is read whole, in no order of its own, and cut.
      const rows = ctx.identity?.reviewPage
        ? await ctx.identity.reviewPage(after, limit + 1)
        : [...((await ctx.identity?.reviewQueue()) ?? [])]
            .sort((a, b) => byText(a.recordId, b.recordId))
            .filter((r) => after === undefined || byText(r.recordId, after) > 0)
            .slice(0, limit + 1);
      const { page: reviews, next } = pageRead(rows, limit, (r) => r.recordId);
      await audit(ctx, req, {
        action: 'identity.reviews.read',
        detail: { count: reviews.length, ...(after !== undefined ? { after } : {}) },
      });
      return { reviews, ...(next !== undefined ? { next } : {}) };
    },
  );

  const decide = async (
    recordId: string,
    body: { verdict: 'same' | 'different'; subjectId: string; note?: string | undefined },
  ): Promise<IdentityChange> => {
    // The one item, not the queue restored from every record (a queue without `reviewItem` is).
    const item = ctx.identity?.reviewItem
      ? await ctx.identity.reviewItem(recordId)
      : ((await ctx.identity?.reviewQueue()) ?? []).find((r) => r.recordId === recordId);
    if (!ctx.identity || !item) {
      throw new CredenceError('CREDENCE_E_NOT_FOUND', `no record "${recordId}" awaits review`, {
        field: 'recordId',
      });
    }
    // A verdict is about the record and one of the persons it was found to resemble: anyone else
    // would take the record's facts (a court judgment) on an operator's typo.
    const notCandidate = nonCandidate(item, body.subjectId, 'subjectId');
    if (notCandidate) throw notCandidate;
    return ctx.identity.decideReview(recordId, body.verdict, body.subjectId, body.note);
  };

  app.post(
    '/v1/identity/reviews/:recordId',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Decide a review: the record is the same person as a candidate, or a different one',
        security: bearer,
        params: Type.Object({ recordId: Type.String({ maxLength: 200 }) }),
        body: Type.Object({
          verdict: Type.Union([Type.Literal('same'), Type.Literal('different')]),
          subjectId: Type.String({ minLength: 1, maxLength: 200 }),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: {
          200: Type.Object({
            decided: Type.Boolean(),
            result: ReviewChangeBody,
          }),
          // 409: the identity module refuses the verdict (two different valid resident IDs, people
          // declared different before).
          ...errors(...AUTH_ERRORS, 400, 404, 409),
        },
      },
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const result = await decide(req.params.recordId, req.body).catch(async (e: unknown) => {
        // A refused decision is recorded as `credence identity decide` records one.
        if (isCredenceError(e)) {
          await audit(ctx, req, {
            action: 'identity.refused',
            subject: req.body.subjectId,
            detail: {
              command: 'decide',
              record: req.params.recordId,
              verdict: req.body.verdict,
              subject: req.body.subjectId,
              note: req.body.note ?? null,
              code: e.code,
              reason: e.message,
            },
          });
        }
        throw e;
      });
      // As `credence identity decide` records it: under the person the record is with now, with the
      // note and what moved.
      await audit(ctx, req, {
        action: 'identity.review',
        subject: result.subjectId,
        detail: {
          record: req.params.recordId,
          verdict: req.body.verdict,
          subject: req.body.subjectId,
          note: req.body.note ?? null,
          affected: result.affected,
          movedRecords: result.movedRecords,
          movedFacts: result.movedFacts,
        },
      });
      return { decided: true, result };
    },
  );
}
