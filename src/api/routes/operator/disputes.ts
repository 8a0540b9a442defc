import { Type } from 'typebox';
import { type ApiContext, type ApiInstance, audit } from '../../context.js';
import { AUTH_ERRORS, bearer, errors } from '../../schemas/common.js';
import { DisputeBody } from '../../schemas/dispute.js';
import { disputeView } from '../../services/dispute-service.js';
import { anyDisputeView, linkDisputeView, listAllDisputes } from '../../services/link-dispute-service.js';

const admin = { auth: { roles: ['operator'] as const, scope: 'disputes:admin' as const } };

/** The dispute desk: every dispute (of facts and of identity links), overdue first; resolve one. */
export function operatorDisputeRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.get(
    '/v1/disputes',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Disputes of facts and of identity links, overdue ones first (overdue: true)',
        security: bearer,
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([
              Type.Literal('open'),
              Type.Literal('upheld'),
              Type.Literal('rejected'),
              Type.Literal('withdrawn'),
            ]),
          ),
          kind: Type.Optional(Type.Union([Type.Literal('fact'), Type.Literal('link')])),
        }),
        response: {
          200: Type.Object({ overdue: Type.Integer(), disputes: Type.Array(DisputeBody) }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async (req) => {
      const all = listAllDisputes(ctx.db, req.query.status ? { status: req.query.status } : {}, ctx.clock());
      const disputes = req.query.kind ? all.filter((d) => d.kind === req.query.kind) : all;
      await audit(ctx, req, { action: 'disputes.list', detail: { count: disputes.length } });
      return {
        overdue: disputes.filter((d) => d.overdue).length,
        disputes: disputes.map((d) => anyDisputeView(d, 'operator')),
      };
    },
  );

  app.post(
    '/v1/disputes/:id/resolve',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary:
          'Resolve a dispute: upheld (a fact is retracted; a disputed identity link is undone: the record is split off the person with its facts) or rejected (nothing changes; a fact counts again)',
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
      const now = ctx.clock();
      if (ctx.linkDisputes.find(req.params.id, now)) {
        const { dispute: d, change } = await ctx.linkDisputes.resolve(
          req.params.id,
          req.body.outcome,
          req.body.note,
          now,
        );
        await audit(ctx, req, {
          action: 'dispute.resolve',
          subject: d.subject,
          detail: {
            dispute: d.id,
            kind: 'link',
            outcome: d.status,
            record: d.record,
            ...(change ? { splitTo: change.subjectId, movedFacts: change.movedFacts } : {}),
          },
        });
        // The person the record went to: why they exist, in their own trail (who disputed it is
        // not theirs to know).
        if (change) {
          await audit(ctx, req, {
            action: 'identity.split',
            subject: change.subjectId,
            detail: { records: change.movedRecords, movedFacts: change.movedFacts, dispute: d.id },
          });
        }
        return linkDisputeView(d, 'operator');
      }
      const d = await ctx.disputes.resolve(req.params.id, req.body.outcome, req.body.note, now);
      await audit(ctx, req, {
        action: 'dispute.resolve',
        subject: d.subject,
        detail: { dispute: d.id, outcome: d.status, fact: `${d.source}/${d.factId}` },
      });
      return disputeView(d);
    },
  );
}
