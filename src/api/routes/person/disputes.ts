import { Type } from 'typebox';
import { mergedIds } from '../../../app.js';
import { type ApiContext, type ApiInstance, audit } from '../../context.js';
import { AUTH_ERRORS, bearer, errors } from '../../schemas/common.js';
import { DisputeBody } from '../../schemas/dispute.js';
import { disputeView } from '../../services/dispute-service.js';
import { selfOf } from './self.js';

/** Disputes by the person: open one on a fact of their file, list their own. */
export function personDisputeRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.post(
    '/v1/me/disputes',
    {
      config: { auth: { roles: ['person'], scope: 'self:write' } },
      schema: {
        tags: ['person'],
        summary: 'Dispute a fact in your file',
        description:
          'The fact is marked while under review (the program decides whether it still counts meanwhile); an operator must resolve it within 20 days (the PBoC deadline, within the 30 of the FCRA). Upheld: the fact is retracted. Rejected: it counts again.',
        security: bearer,
        body: Type.Object({
          source: Type.String({ minLength: 1, maxLength: 200 }),
          factId: Type.String({ minLength: 1, maxLength: 200 }),
          reason: Type.String({ minLength: 1, maxLength: 2000 }),
        }),
        response: { 200: DisputeBody, ...errors(...AUTH_ERRORS, 404) },
      },
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      const d = await ctx.disputes.open(
        subject,
        req.body.source,
        req.body.factId,
        req.body.reason,
        ctx.clock(),
      );
      await audit(ctx, req, {
        action: 'dispute.open',
        subject,
        detail: { dispute: d.id, fact: `${d.source}/${d.factId}` },
      });
      return disputeView(d);
    },
  );

  app.get(
    '/v1/me/disputes',
    {
      config: { auth: { roles: ['person'], scope: 'self:read' } },
      schema: {
        tags: ['person'],
        summary: 'Your disputes and their deadlines',
        security: bearer,
        response: { 200: Type.Object({ disputes: Type.Array(DisputeBody) }), ...errors(...AUTH_ERRORS) },
      },
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      // Those opened under an id since merged into theirs are theirs too.
      const subjects = [subject, ...(await mergedIds(ctx.app, subject))];
      const disputes = ctx.disputes.list({ subjects }, ctx.clock());
      await audit(ctx, req, { action: 'disputes.read', subject, detail: { count: disputes.length } });
      return { disputes: disputes.map(disputeView) };
    },
  );
}
