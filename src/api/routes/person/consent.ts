import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CredenceError } from '../../../core/errors/index.js';
import { enrolledAt } from '../../../ingest/program-set.js';
import { type ApiContext, type ApiInstance, audit, auditInput } from '../../context.js';
import { bearer, errors } from '../../schemas/common.js';
import { CREDENCE_SOURCE } from '../../services/ingest-service.js';
import { SELF_ERRORS, selfOf } from './self.js';

/** How far ahead of the clock a previous change may lie and still be followed, not overtaken. */
const SAME_INSTANT_MS = 1000;

/** POST /v1/me/consent — opt out (the program's ledger is deleted) or back in. */
export function consentRoutes(app: ApiInstance, ctx: ApiContext): void {
  // One person's changes one after another (in this process), so of the same change sent several
  // times at once only the first is recorded and the others find it standing.
  const inTurn = new Map<string, Promise<unknown>>();
  const oneAtATime = async <T>(subject: string, task: () => Promise<T>): Promise<T> => {
    const before = inTurn.get(subject) ?? Promise.resolve();
    const run = before.then(task, task);
    inTurn.set(subject, run);
    try {
      return await run;
    } finally {
      if (inTurn.get(subject) === run) inTurn.delete(subject);
    }
  };

  app.post(
    '/v1/me/consent',
    {
      config: { auth: { roles: ['person'], scope: 'self:write' } },
      schema: {
        tags: ['person'],
        summary: 'Opt out of a program, or opt in',
        description:
          'Opting out deletes your ledger in the program, and every query about you answers not-scored, as of any date: dates before the opt-out too (no score of that time is kept). Opting back in scores only what happens after it. Each change is recorded as a consent fact, like any other.',
        security: bearer,
        body: Type.Object({
          program: Type.String({ minLength: 1, maxLength: 100 }),
          action: Type.Union([Type.Literal('opt-out'), Type.Literal('opt-in')]),
        }),
        response: {
          200: Type.Object({
            program: Type.String(),
            action: Type.String(),
            at: Type.String(),
            factId: Type.String(),
            unchanged: Type.Boolean({
              description:
                'true: your consent was already this (the change sent again); nothing new is recorded, and at and factId are those of the standing change',
            }),
            wasEnrolled: Type.Optional(
              Type.Boolean({
                description:
                  'An opt-out that is recorded: whether you were in the program when it came. false: you were not (an opt-in program you had not joined, or one you had left): nothing of yours was scored there and no ledger was deleted; the opt-out is recorded all the same, and your reason there reads opted-out',
              }),
            ),
          }),
          ...errors(...SELF_ERRORS, 404, 422),
        },
      },
    },
    async (req) => {
      const subject = await selfOf(ctx, req);
      return oneAtATime(subject, () => change(req, subject));
    },
  );

  const change = async (
    req: FastifyRequest<{ Body: { program: string; action: 'opt-out' | 'opt-in' } }>,
    subject: string,
  ) => {
    const clock = ctx.clock();
    // The program must be loaded, not compiled: an opt-out of a program withheld for a version
    // the hard line now refuses is recorded all the same.
    if (!ctx.programs.current.ids.includes(req.body.program)) ctx.programs.at(req.body.program, clock);
    // The same change sent again (a retry, a double click) finds the one standing: its last
    // recorded change in the program, already in effect, is this one.
    const rows = ((await ctx.app.store.personConsents([subject])).get(subject) ?? []).filter(
      (r) => r.program === req.body.program,
    );
    const standing = rows.at(-1);
    if (standing !== undefined && standing.at <= clock && standing.action === req.body.action) {
      await audit(ctx, req, {
        action: 'consent.change',
        subject,
        detail: {
          program: req.body.program,
          action: req.body.action,
          fact: standing.factKey,
          unchanged: true,
        },
      });
      return {
        program: req.body.program,
        action: req.body.action,
        at: new Date(standing.at).toISOString(),
        factId: standing.factKey.slice(standing.factKey.indexOf('/') + 1),
        unchanged: true,
      };
    }
    // Changes at one instant count as an opt-out (the safe reading of a tie), so a change made
    // in the same millisecond as the person's previous one is recorded a millisecond after it:
    // an opt-in right after an opt-out takes effect, as the answer says. A change in effect
    // further ahead (one dated within the clock skew; an opt-out dated beyond it takes effect
    // when received, `consentTakesEffect`) is left to take effect when it comes.
    const previous = (await ctx.scores.person(subject)).consents.get(req.body.program) ?? [];
    // Whether the person was in the program when an opt-out came: one of an opt-in program they
    // never joined records their wish, yet deletes nothing and changes no score, and the answer
    // says so. Unknown (left out) for a program withheld, whose enrolment is not compiled.
    const wasEnrolled =
      req.body.action === 'opt-out'
        ? enrolledAt(ctx.programs.current, req.body.program, previous, clock)
        : undefined;
    const last = previous.reduce((m, e) => Math.max(m, e.at), Number.NEGATIVE_INFINITY);
    const now = last >= clock && last < clock + SAME_INSTANT_MS ? last + 1 : clock;
    const factId = `consent-${randomUUID()}`;
    const receipt = await ctx.ingest.submit(
      [
        {
          id: factId,
          source: CREDENCE_SOURCE,
          type: req.body.action === 'opt-out' ? 'credence.opt_out' : 'credence.opt_in',
          occurredAt: new Date(now).toISOString(),
          subject: { subjectId: subject },
          data: { program: req.body.program },
        },
      ],
      { keyId: req.principal?.keyId ?? 'system', source: null },
      clock,
      // Stored with the consent fact, in its transaction: a server killed after the commit leaves
      // both (a change that takes effect is always in the log) or neither (the person sends it again).
      (done) =>
        done.results[0]?.status === 'rejected'
          ? undefined
          : [
              auditInput(ctx, req, {
                action: 'consent.change',
                subject,
                detail: {
                  program: req.body.program,
                  action: req.body.action,
                  fact: `${CREDENCE_SOURCE}/${factId}`,
                },
              }),
            ],
    );
    const r = receipt.results[0];
    if (r?.status === 'rejected') {
      throw new CredenceError(
        r.code ?? 'CREDENCE_E_CONSENT_INVALID',
        r.reason ?? 'the consent change was refused',
        {
          field: r.field ?? 'program',
        },
      );
    }
    return {
      program: req.body.program,
      action: req.body.action,
      at: new Date(now).toISOString(),
      factId,
      unchanged: false,
      ...(wasEnrolled !== undefined ? { wasEnrolled } : {}),
    };
  };
}
