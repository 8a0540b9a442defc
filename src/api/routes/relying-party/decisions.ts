import { Type } from 'typebox';
import { CredenceError } from '../../../core/errors/index.js';
import { type ApiContext, type ApiInstance, audit, principalOf } from '../../context.js';
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
} from '../../schemas/common.js';
import { adverseActionNotice, notScoredNotice } from './adverse-action.js';
import { requireAuthorisation, requirePurpose } from './purpose.js';

const Notice = Type.Object({
  keyFactors: Type.Array(KeyFactor, { maxItems: 4 }),
  score: Type.Optional(Type.Number({ description: 'Absent when the person is not scored' })),
  range: Range,
  scoredAt: Type.String(),
  source: Type.Object({
    provider: Type.String(),
    program: Type.String(),
    version: Type.Integer(),
    furnishers: Type.Array(Type.String()),
  }),
  because: Type.Array(Type.String()),
  dispute: Type.Object({ how: Type.String(), deadlineDays: Type.Integer() }),
});

/** POST /v1/decisions — does this privilege or restriction hold for the person? */
export function decisionRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.post(
    '/v1/decisions',
    {
      config: { auth: { roles: ['relying-party'], scope: 'decisions:read' } },
      schema: {
        tags: ['relying-party'],
        summary: 'Does a privilege or restriction hold for a person?',
        description:
          'Answers holds true/false for a privilege or restriction of the program. The purpose must be one the key holds and, when the policy declares purposes, one of those (else 403 CREDENCE_E_PURPOSE naming purpose and policy). A denial (a privilege that does not hold, or a restriction that does) carries an adverse-action notice: up to four key factors, the score, its range and date, the source, and how to dispute. A person who is not scored (opted out, not enrolled, too few facts: which one is not said, so an opt-out is not disclosed) gets status not-scored and holds null: decide without a score; asked for a privilege, the answer carries the notice to give should you decline (key factor NO_SCORE, no score).',
        security: bearer,
        body: Type.Object({
          subject: Type.String({ minLength: 1, maxLength: 200 }),
          program: Type.String({ minLength: 1, maxLength: 100 }),
          policy: Type.String({ minLength: 1, maxLength: 100, description: 'A privilege or restriction id' }),
          purpose: Purpose,
          asOf: Type.Optional(PastInstant),
          authorisation: Type.Optional(Authorisation),
        }),
        response: {
          200: Type.Object({
            subject: Type.String(),
            program: Type.String(),
            version: Type.Integer(),
            policy: Type.String(),
            kind: Type.Union([Type.Literal('privilege'), Type.Literal('restriction')]),
            asOf: Type.String(),
            status: Type.Union([Type.Literal('scored'), Type.Literal('not-scored')]),
            holds: Type.Union([Type.Boolean(), Type.Null()]),
            denied: Type.Boolean(),
            notice: Type.Optional(Notice),
          }),
          // 409: a subject two people hold (CREDENCE_E_SUBJECT_AMBIGUOUS).
          ...errors(...AUTH_ERRORS, 404, 409, 422),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const b = req.body;
      const purpose = requirePurpose(p, b.purpose);
      const asOf = decisionAsOf(b.asOf, ctx.clock());
      const rb = ctx.scores.rulebook(b.program, asOf);
      const policy = [...rb.privileges, ...rb.restrictions].find((x) => x.id === b.policy);
      if (!policy) {
        const known = [...rb.privileges, ...rb.restrictions].map((x) => x.id);
        throw new CredenceError(
          'CREDENCE_E_NOT_FOUND',
          `program ${rb.program} has no privilege or restriction "${b.policy}" (it has: ${known.join(', ') || 'none'})`,
          { field: 'policy' },
        );
      }
      // Asked under a purpose the policy is not for: refused before the person is looked up.
      if (policy.purposes !== undefined && !policy.purposes.includes(purpose)) {
        throw new CredenceError(
          'CREDENCE_E_PURPOSE',
          `purpose "${purpose}" is not one ${policy.kind} "${policy.id}" of program ${rb.program} may be asked under (it may be asked under: ${policy.purposes.join(', ')})`,
          { field: 'purpose' },
        );
      }
      const authorisation = requireAuthorisation(rb, b.authorisation);
      const by = authorisation !== undefined ? { authorisation } : {};
      const subject = await ctx.scores.resolveSubject(b.subject);
      const o = await ctx.scores.score(subject, b.program, asOf);
      const common = {
        subject,
        program: rb.program,
        version: rb.version,
        policy: policy.id,
        kind: policy.kind,
        asOf: new Date(asOf).toISOString(),
      };
      if (o.status !== 'scored') {
        // A privilege cannot be shown to hold without a score: should the relying party decline,
        // the person is owed the notice all the same (why, from whom, how to contest), with no score.
        const notice = policy.kind === 'privilege' ? notScoredNotice(rb, o) : undefined;
        await audit(ctx, req, {
          action: 'decision.query',
          subject,
          purpose,
          detail: {
            program: rb.program,
            policy: policy.id,
            asOf,
            ...by,
            status: o.status,
            reason: o.reason,
            holds: null,
            // What the notice disclosed (the one NO_SCORE factor), as sent.
            ...(notice ? { keyFactors: notice.keyFactors } : {}),
          },
        });
        return {
          ...common,
          status: o.status,
          holds: null,
          denied: false,
          ...(notice ? { notice } : {}),
        };
      }
      const holds =
        (policy.kind === 'privilege' ? o.privileges[policy.id] : o.restrictions[policy.id]) === true;
      const denied = policy.kind === 'privilege' ? !holds : holds;
      let notice: ReturnType<typeof adverseActionNotice> | undefined;
      if (denied) {
        const ex = await ctx.scores.explain(subject, b.program, asOf);
        const because = ex.policies.find((x) => x.id === policy.id)?.because ?? [];
        // Marked as at as-of: a factor resting on a fact the person disputes then says so.
        const facts = await ctx.scores.factsAt(subject, asOf);
        notice = adverseActionNotice(rb, o, ex, policy, because, facts);
      }
      await audit(ctx, req, {
        action: 'decision.query',
        subject,
        purpose,
        detail: {
          program: rb.program,
          policy: policy.id,
          // The date the decision was asked for, as a score query's entry keeps it: the person
          // sees which date they were judged on.
          asOf,
          ...by,
          status: o.status,
          score: o.score,
          tier: o.tier,
          holds,
          denied,
          // The key factors the notice disclosed, as sent: the person sees what was told about them.
          ...(notice ? { keyFactors: notice.keyFactors } : {}),
        },
      });
      return { ...common, status: o.status, holds, denied, ...(notice ? { notice } : {}) };
    },
  );
}
