import { Type } from 'typebox';
import { type ApiContext, type ApiInstance, audit, auditInput } from '../../context.js';
import { AUTH_ERRORS, bearer, errors } from '../../schemas/common.js';
import { DisputeBody } from '../../schemas/dispute.js';
import { badCursor, Next, PAGE_MOST, pageQuery, pageRead } from '../../schemas/page.js';
import { readDesk } from '../../services/dispute-desk.js';
import { disputeView } from '../../services/dispute-service.js';
import { type AnyDispute, anyDisputeView, linkDisputeView } from '../../services/link-dispute-service.js';

const admin = { auth: { roles: ['operator'] as const, scope: 'disputes:admin' as const } };

/**
 * Where a page of the desk ends: the instant the first page was read (the desk is ordered as it
 * stood then, so a dispute passing its deadline between two pages does not jump ahead of the pages
 * already read), and the last dispute's place in that order (overdue then, deadline, id).
 */
interface DeskCursor {
  readonly at: number;
  readonly overdue: boolean;
  readonly dueAt: number;
  readonly id: string;
}

const deskCursor = (at: number, d: AnyDispute): string =>
  Buffer.from(JSON.stringify([at, d.overdue ? 1 : 0, d.dueAt, d.id])).toString('base64url');

function readDeskCursor(text: string): DeskCursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor of this list');
  }
  if (
    !Array.isArray(v) ||
    v.length !== 4 ||
    !Number.isSafeInteger(v[0]) ||
    (v[1] !== 0 && v[1] !== 1) ||
    !Number.isSafeInteger(v[2]) ||
    typeof v[3] !== 'string'
  ) {
    throw badCursor('not a cursor of this list');
  }
  return { at: v[0] as number, overdue: v[1] === 1, dueAt: v[2] as number, id: v[3] as string };
}

/** The dispute desk: every dispute (of facts and of identity links), overdue first; resolve one. */
export function operatorDisputeRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.get(
    '/v1/disputes',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Disputes of facts and of identity links, overdue ones first (overdue: true)',
        description:
          'Overdue first, then by deadline; up to `limit` (default and most 10,000) after `after`, the `next` of the page before (a cursor: the pages after the first keep the order the desk had when the first was read). `overdue` counts the whole list.',
        security: bearer,
        querystring: Type.Object({
          ...pageQuery('The next of the page before (a cursor)'),
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
          200: Type.Object({ overdue: Type.Integer(), disputes: Type.Array(DisputeBody), next: Next }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async (req) => {
      const now = ctx.clock();
      const cursor = req.query.after === undefined ? undefined : readDeskCursor(req.query.after);
      // Ordered as the desk stood at the first page; each dispute still says whether it is overdue now.
      const at = cursor?.at ?? now;
      const limit = req.query.limit ?? PAGE_MOST;
      // Only the page is read (and one dispute more, to know whether more follow).
      const desk = readDesk(
        ctx.db,
        { status: req.query.status, kind: req.query.kind },
        at,
        now,
        cursor,
        limit + 1,
      );
      const { page, next } = pageRead(desk.disputes, limit, (d) => deskCursor(at, d));
      const overdueNow = (d: AnyDispute): AnyDispute =>
        at === now ? d : { ...d, overdue: d.status === 'open' && now > d.dueAt };
      await audit(ctx, req, {
        action: 'disputes.list',
        detail: { count: page.length, ...(req.query.after !== undefined ? { after: req.query.after } : {}) },
      });
      return {
        overdue: desk.overdue,
        disputes: page.map((d) => anyDisputeView(overdueNow(d), 'operator')),
        ...(next !== undefined ? { next } : {}),
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
        // The entries are stored with the answer, in its transaction (an upheld one's, the split's).
        const { dispute: d } = await ctx.linkDisputes.resolve(
          req.params.id,
          req.body.outcome,
          req.body.note,
          now,
          (open, change) => [
            auditInput(ctx, req, {
              action: 'dispute.resolve',
              subject: open.subject,
              detail: {
                dispute: open.id,
                kind: 'link',
                outcome: req.body.outcome,
                record: open.record,
                ...(change ? { splitTo: change.subjectId, movedFacts: change.movedFacts } : {}),
              },
            }),
            // The person the record went to: why they exist, in their own trail (who disputed it
            // is not theirs to know).
            ...(change
              ? [
                  auditInput(ctx, req, {
                    action: 'identity.split',
                    subject: change.subjectId,
                    detail: { records: change.movedRecords, movedFacts: change.movedFacts, dispute: open.id },
                  }),
                ]
              : []),
          ],
        );
        return linkDisputeView(d, 'operator');
      }
      // The entry is stored with the answer, in its transaction (an upheld one's, the retraction's).
      const d = await ctx.disputes.resolve(req.params.id, req.body.outcome, req.body.note, now, (a) =>
        auditInput(ctx, req, {
          action: 'dispute.resolve',
          subject: a.subject,
          detail: { dispute: a.id, outcome: a.status, fact: `${a.source}/${a.factId}` },
        }),
      );
      return disputeView(d);
    },
  );
}
