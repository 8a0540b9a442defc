import { Type } from 'typebox';
import { type ApiContext, type ApiInstance, audit } from '../../context.js';
import { AUTH_ERRORS, bearer, errors } from '../../schemas/common.js';
import { DisputeBody } from '../../schemas/dispute.js';
import { disputeView } from '../../services/dispute-service.js';

const admin = { auth: { roles: ['operator'] as const, scope: 'disputes:admin' as const } };

/** The dispute desk: every dispute, overdue first; resolve one. */
export function operatorDisputeRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.get(
    '/v1/disputes',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Disputes, overdue ones first (overdue: true)',
        security: bearer,
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected')]),
          ),
        }),
        response: {
          200: Type.Object({ overdue: Type.Integer(), disputes: Type.Array(DisputeBody) }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async (req) => {
      const disputes = ctx.disputes.list(req.query.status ? { status: req.query.status } : {}, ctx.clock());
      await audit(ctx, req, { action: 'disputes.list', detail: { count: disputes.length } });
      return { overdue: disputes.filter((d) => d.overdue).length, disputes: disputes.map(disputeView) };
    },
  );

  app.post(
    '/v1/disputes/:id/resolve',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Resolve a dispute: upheld (the fact is retracted) or rejected (it counts again)',
        security: bearer,
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        body: Type.Object({
          outcome: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]),
          note: Type.String({ maxLength: 2000 }),
        }),
        response: { 200: DisputeBody, ...errors(...AUTH_ERRORS, 404, 409) },
      },
    },
    async (req) => {
      const d = await ctx.disputes.resolve(req.params.id, req.body.outcome, req.body.note, ctx.clock());
      await audit(ctx, req, {
        action: 'dispute.resolve',
        subject: d.subject,
        detail: { dispute: d.id, outcome: d.status, fact: `${d.source}/${d.factId}` },
      });
      return disputeView(d);
    },
  );
}
