import { Type } from 'typebox';
import { mergedIds } from '../../../app.js';
import { CredenceError } from '../../../core/errors/index.js';
import { type ApiContext, type ApiInstance, audit, auditInput } from '../../context.js';
import { bearer, errors, NOT_BLANK } from '../../schemas/common.js';
import { DisputeBody, FactDisputeOpenedBody, LinkDisputeOpenedBody } from '../../schemas/dispute.js';
import { disputeView, heldFactKeys } from '../../services/dispute-service.js';
import { anyDisputeView, linkDisputeView, listAllDisputes } from '../../services/link-dispute-service.js';
import { NoQuery } from './file.js';
import { SELF_ERRORS, selfOf } from './self.js';

/**
 * Disputes by the person: open one on a fact of their file or on one of its identity links, list
 * their own.
 */
export function personDisputeRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.post(
    '/v1/me/disputes',
    {
      config: { auth: { roles: ['person'], scope: 'self:write' } },
      schema: {
        tags: ['person'],
        summary: 'Dispute a fact in your file',
        description:
          "The fact is marked while under review (the program decides whether it still counts meanwhile); an operator must resolve it within 20 days (the PBoC deadline, within the 30 of the FCRA), whatever its source: a court-furnished fact too (a court list's own review, 15 days, and correction, 3 working days, end by then; a challenge of the judgment itself is forwarded to the court, docs/api.md). Upheld: the fact is retracted. Rejected: it counts again. A fact already under open dispute keeps that one dispute: the answer is the open dispute, unchanged, with `alreadyOpen: true` and a `notice` saying the reason sent now was not recorded.",
        security: bearer,
        body: Type.Object({
          source: Type.String({ minLength: 1, maxLength: 200 }),
          factId: Type.String({ minLength: 1, maxLength: 200 }),
          reason: Type.String({ minLength: 1, maxLength: 2000, pattern: NOT_BLANK }),
        }),
        response: { 200: FactDisputeOpenedBody, ...errors(...SELF_ERRORS, 404, 422) },
      },
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      // One open dispute per fact: one opened under an id merged into theirs is theirs.
      const ids = [subject, ...(await mergedIds(ctx.app, subject))];
      const { dispute: d, created } = await ctx.disputes.open(
        subject,
        req.body.source,
        req.body.factId,
        req.body.reason,
        ctx.clock(),
        ids,
        // Stored in the dispute's own transaction: never a dispute without the entry of its opening.
        (o, isNew) =>
          auditInput(ctx, req, {
            action: 'dispute.open',
            subject,
            detail: { dispute: o.id, fact: `${o.source}/${o.factId}`, ...(isNew ? {} : { again: true }) },
          }),
      );
      const view = disputeView(d);
      return { ...view, ...opened(created, `${d.source}/${d.factId}`, view) };
    },
  );

  app.post(
    '/v1/me/link-disputes',
    {
      config: { auth: { roles: ['person'], scope: 'self:write' } },
      schema: {
        tags: ['person'],
        summary: 'Dispute an identity link in your file: "this record is not me"',
        description:
          'Names a person record linked to you (`identityLinks[].record` in GET /v1/me/file). While open the link stays and its facts keep counting; an operator must resolve it within 20 days, as a fact dispute. Upheld: the record is split off you with its facts (both people are rescored) and is not linked back to you again. Rejected: the link stays. A second dispute of a record already under open dispute returns the open one, unchanged, with `alreadyOpen: true` and a `notice` saying the reason sent now was not recorded. A record that is not linked to you is 404 (field `record`), whoever it belongs to.',
        security: bearer,
        body: Type.Object({
          record: Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'The record id of the link, as `identityLinks[].record` in your file',
          }),
          reason: Type.String({ minLength: 1, maxLength: 2000, pattern: NOT_BLANK }),
        }),
        response: { 200: LinkDisputeOpenedBody, ...errors(...SELF_ERRORS, 404) },
      },
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      const ids = [subject, ...(await mergedIds(ctx.app, subject))];
      const { dispute, created } = await ctx.linkDisputes.open(
        subject,
        ids,
        req.body.record,
        req.body.reason,
        ctx.clock(),
        // Stored in the dispute's own transaction, as a fact dispute's.
        (o, isNew) =>
          auditInput(ctx, req, {
            action: 'dispute.open',
            subject,
            detail: { dispute: o.id, kind: 'link', record: o.record, ...(isNew ? {} : { again: true }) },
          }),
      );
      const view = linkDisputeView(dispute, 'person');
      return { ...view, ...opened(created, `the link of record ${dispute.record}`, view) };
    },
  );

  app.post(
    '/v1/me/disputes/:id/withdraw',
    {
      config: { auth: { roles: ['person'], scope: 'self:write' } },
      schema: {
        tags: ['person'],
        summary: 'Withdraw a dispute of yours that is still open (a fact or an identity link)',
        description:
          "Closes your open dispute before the operator answers it (status withdrawn, resolvedAt now). A fact's mark is lifted: it counts again from now on as its program says (a score asked as of a time the dispute was open still treats it as disputed). A withdrawal is final for that fact: it cannot be disputed again (409), since disputing it anew would suspend it again; ask its source to correct it. A withdrawn dispute of an identity link changes nothing (the link stood meanwhile), and the record can be disputed again. A dispute of a fact you hold now is yours to withdraw, whoever opened it (under an id merged into yours, or before a split moved the fact to you); one of a fact a split moved away from you is not. A dispute that is not yours is 404, as one that does not exist; one already answered or withdrawn is 409. Takes no body.",
        security: bearer,
        params: Type.Object({
          id: Type.String({
            minLength: 1,
            maxLength: 100,
            description: 'The dispute id (`id` in GET /v1/me/disputes)',
          }),
        }),
        response: { 200: DisputeBody, ...errors(...SELF_ERRORS, 404) },
      },
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      const subjects = [subject, ...(await mergedIds(ctx.app, subject))];
      const now = ctx.clock();
      const link = ctx.linkDisputes.find(req.params.id, now);
      const d =
        link !== undefined
          ? await ctx.linkDisputes.withdraw(req.params.id, subjects, now, (l) =>
              auditInput(ctx, req, {
                action: 'dispute.withdraw',
                subject,
                detail: { dispute: l.id, kind: 'link', record: l.record },
              }),
            )
          : await ctx.disputes.withdraw(req.params.id, subjects, now, (w) =>
              auditInput(ctx, req, {
                action: 'dispute.withdraw',
                subject,
                detail: { dispute: w.id, fact: `${w.source}/${w.factId}` },
              }),
            );
      if (d === undefined) {
        // The same answer for another person's dispute as for none: ids are not to be probed.
        throw new CredenceError('CREDENCE_E_NOT_FOUND', `no dispute "${req.params.id}" of yours`, {
          field: 'id',
        });
      }
      // Its entry went with the withdrawal, in one transaction.
      return d.kind === 'link' ? linkDisputeView(d, 'person') : disputeView(d);
    },
  );

  app.get(
    '/v1/me/disputes',
    {
      config: { auth: { roles: ['person'], scope: 'self:read' } },
      schema: {
        tags: ['person'],
        summary: 'Your disputes (of facts and of identity links) and their deadlines',
        querystring: NoQuery,
        security: bearer,
        response: { 200: Type.Object({ disputes: Type.Array(DisputeBody) }), ...errors(...SELF_ERRORS) },
      },
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      // Those opened under an id since merged into theirs are theirs too, and those of the facts
      // they hold, whoever opened them (a split moved the fact to them).
      const subjects = [subject, ...(await mergedIds(ctx.app, subject))];
      const facts = heldFactKeys(await ctx.app.store.personFile(subject));
      const disputes = listAllDisputes(ctx.db, { subjects, facts }, ctx.clock());
      await audit(ctx, req, { action: 'disputes.read', subject, detail: { count: disputes.length } });
      return { disputes: disputes.map((d) => anyDisputeView(d, 'person')) };
    },
  );
}

/**
 * Says whether the dispute just asked for is a new one. Answering an open one as if it were new
 * let a person believe the reason they just gave was on file (decided: the open dispute stays as
 * it is, one per fact, and the answer says the new words were not recorded; a retry of the same
 * request gets the same answer, so it stays `200`).
 */
function opened(
  created: boolean,
  what: string,
  d: { readonly id: string; readonly openedAt: string; readonly dueAt: string },
): { alreadyOpen: boolean; notice: string | null } {
  if (created) return { alreadyOpen: false, notice: null };
  return {
    alreadyOpen: true,
    notice: `${what} was already under dispute (dispute ${d.id}, opened ${d.openedAt}, to be answered by ${d.dueAt}): this is that dispute, unchanged, and the reason you sent now was not recorded. One dispute of it stays open until the operator answers it; GET /v1/me/disputes shows its outcome.`,
  };
}
