import { Type } from 'typebox';
import { CredenceError } from '../../../core/errors/index.js';
import { type ApiContext, type ApiInstance, audit } from '../../context.js';
import { AUTH_ERRORS, bearer, errors, Json } from '../../schemas/common.js';

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
        security: bearer,
        response: { 200: Type.Object({ reviews: Type.Array(Json) }), ...errors(...AUTH_ERRORS) },
      },
    },
    async (req) => {
      const reviews = (await ctx.identity?.reviewQueue()) ?? [];
      await audit(ctx, req, { action: 'identity.reviews.read', detail: { count: reviews.length } });
      return { reviews };
    },
  );

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
          200: Type.Object({ decided: Type.Boolean(), result: Json }),
          ...errors(...AUTH_ERRORS, 404),
        },
      },
    },
    async (req) => {
      const queue = (await ctx.identity?.reviewQueue()) ?? [];
      if (!ctx.identity || !queue.some((r) => r.recordId === req.params.recordId)) {
        throw new CredenceError('CREDENCE_E_NOT_FOUND', `no record "${req.params.recordId}" awaits review`, {
          field: 'recordId',
        });
      }
      const result = await ctx.identity.decideReview(
        req.params.recordId,
        req.body.verdict,
        req.body.subjectId,
        req.body.note,
      );
      await audit(ctx, req, {
        action: 'identity.review',
        subject: req.body.subjectId,
        detail: { record: req.params.recordId, verdict: req.body.verdict },
      });
      return { decided: true, result: result ?? null };
    },
  );
}
