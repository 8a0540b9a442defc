import { type Static, Type } from 'typebox';
import { comparisonAuditEntries } from '../../../core/compare/index.js';
import { parseInstant } from '../../../core/time/index.js';
import { type ApiContext, type ApiInstance, audit, auditMany } from '../../context.js';
import { AUTH_ERRORS, bearer, errors, Instant } from '../../schemas/common.js';
import { IdempotencyHeaders, IdempotentWrites } from '../../services/idempotent-writes.js';

const Yaml = Type.Object({
  yaml: Type.String({ minLength: 1, maxLength: 512 * 1024, description: 'The rulebook YAML' }),
});
const Draft = Type.Object({
  id: Type.String(),
  program: Type.String(),
  name: Type.String(),
  loadedAt: Type.Number(),
  version: Type.Union([Type.Integer(), Type.Null()]),
});
const admin = { auth: { roles: ['operator'] as const, scope: 'programs:admin' as const } };

const Statuses = {
  scored: Type.Integer(),
  'opted-out': Type.Integer(),
  'not-enrolled': Type.Integer(),
  'insufficient-data': Type.Integer(),
};
const Named = Type.Array(
  Type.Object({
    name: Type.String(),
    baseline: Type.Integer({ description: 'people holding it under the version compared with' }),
    candidate: Type.Integer({ description: 'people holding it under the draft' }),
    gained: Type.Integer(),
    lost: Type.Integer(),
  }),
);
const Held = Type.Array(
  Type.Object({
    kind: Type.Union([Type.Literal('privilege'), Type.Literal('restriction'), Type.Literal('flag')]),
    name: Type.String(),
  }),
  { description: 'privileges, restrictions and flags gained (or lost) under the draft' },
);
const Comparison = Type.Object({
  program: Type.String(),
  asOf: Type.String(),
  projection: Type.Optional(Type.Literal(true)),
  enrollment: Type.Optional(
    Type.Object(
      {
        baseline: Type.Union([Type.Literal('opt-in'), Type.Literal('opt-out')]),
        candidate: Type.Union([Type.Literal('opt-in'), Type.Literal('opt-out')]),
        enrolled: Type.Integer({ description: 'people never enrolled whom the draft would score' }),
      },
      { description: 'present when the draft changes how people enter the program' },
    ),
  ),
  people: Type.Integer({
    description: "people with a fact of either rulebook's event types or a consent in the program",
  }),
  baseline: Type.Object({ version: Type.Integer(), name: Type.String(), ...Statuses }),
  candidate: Type.Object({
    draft: Type.String(),
    name: Type.String(),
    effectiveFrom: Type.Optional(
      Type.String({
        description:
          "the draft's effectiveFrom, when it has one; the draft is compared as in force at asOf all the same",
      }),
    ),
    ...Statuses,
  }),
  scores: Type.Optional(
    Type.Object({
      people: Type.Integer({ description: 'scored under both' }),
      up: Type.Integer(),
      down: Type.Integer(),
      unchanged: Type.Integer(),
      mean: Type.Number(),
      median: Type.Number(),
      p10: Type.Number(),
      p90: Type.Number(),
      min: Type.Number(),
      max: Type.Number(),
    }),
  ),
  tiers: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), people: Type.Integer() })),
  privileges: Named,
  restrictions: Named,
  flags: Named,
  reasons: Type.Array(
    Type.Object({
      code: Type.String(),
      text: Type.String(),
      baseline: Type.Number(),
      candidate: Type.Number(),
    }),
  ),
  largest: Type.Array(
    Type.Object({
      subject: Type.String(),
      baseline: Type.String(),
      candidate: Type.String(),
      baselineScore: Type.Union([Type.Number(), Type.Null()]),
      candidateScore: Type.Union([Type.Number(), Type.Null()]),
      change: Type.Union([Type.Number(), Type.Null()]),
      gained: Held,
      lost: Held,
    }),
  ),
});

/** Programs and rulebook versions: list, validate, load (a draft), activate. */
export function programRoutes(app: ApiInstance, ctx: ApiContext): void {
  const writes = new IdempotentWrites(ctx.db, ctx.clock);
  app.get(
    '/v1/programs',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Programs with their rulebook versions: the one in force now and the scheduled ones',
        description:
          'inForce (and active, its older name) is the version a score asked now is computed under: the highest whose effectiveFrom has come. Each version is in-force, scheduled (effectiveFrom still to come; in force from then) or superseded (scores only earlier as-ofs).',
        security: bearer,
        response: {
          200: Type.Object({
            programs: Type.Array(
              Type.Object({
                program: Type.String(),
                name: Type.String(),
                inForce: Type.Integer({ description: 'the version in force now' }),
                active: Type.Integer({ description: 'the same as inForce (its older name)' }),
                versions: Type.Array(
                  Type.Object({
                    version: Type.Integer(),
                    effectiveFrom: Type.Number({
                      description:
                        'epoch ms; 0 for a version without effectiveFrom (in force for every as-of)',
                    }),
                    loadedAt: Type.Number(),
                    status: Type.Union([
                      Type.Literal('in-force'),
                      Type.Literal('scheduled'),
                      Type.Literal('superseded'),
                    ]),
                    refused: Type.Optional(
                      Type.String({
                        description:
                          'only on a stored version the hard line now refuses (its word joined the lists after it was loaded): why. Its program scores no one until a corrected version replaces it',
                      }),
                    ),
                  }),
                ),
              }),
            ),
            drafts: Type.Array(Draft),
          }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async () => ({
      programs: await ctx.programService.list(ctx.clock()),
      drafts: ctx.programService.drafts(),
    }),
  );

  app.post(
    '/v1/programs/validate',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Validate a rulebook: every error at once, nothing stored',
        security: bearer,
        body: Yaml,
        response: {
          200: Type.Object({
            valid: Type.Literal(true),
            program: Type.String(),
            name: Type.String(),
            rules: Type.Integer(),
            events: Type.Integer(),
          }),
          ...errors(...AUTH_ERRORS, 413, 422),
        },
      },
    },
    async (req) => ({ valid: true as const, ...(await ctx.programService.validate(req.body.yaml)) }),
  );

  app.post(
    '/v1/programs/drafts',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Load a rulebook as a draft (validated, not yet active)',
        description:
          'With an Idempotency-Key header, a retry of the same request (same key, same body, within 24 hours) answers the first draft again and stores no second one; the same Idempotency-Key with another body is 409 CREDENCE_E_STATE.',
        security: bearer,
        headers: IdempotencyHeaders,
        body: Yaml,
        response: { 200: Draft, ...errors(...AUTH_ERRORS, 409, 413, 422) },
      },
    },
    async (req, reply) => {
      const { answer, replayed } = await writes.run<Static<typeof Draft>>(
        req,
        'POST /v1/programs/drafts',
        async (store) => {
          // The draft and the record of this answer for a retry are stored in one transaction.
          const d = await ctx.programService.load(req.body.yaml, ctx.clock(), store);
          await audit(ctx, req, { action: 'program.load', detail: { draft: d.id, program: d.program } });
          return d;
        },
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return answer;
    },
  );

  app.post(
    '/v1/programs/drafts/:draftId/compare',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary:
          'Score everyone under a draft beside the version in force, before activating it; nothing stored',
        description:
          'Who is scored on each side, how scores move, tier moves, who gains or loses each privilege, restriction and flag, the reasons whose points change, and the `largest` people whose standing moves most (each logged under their id). A person who opted out is counted, never scored. As `credence program compare` (docs/rulebook.md).',
        security: bearer,
        params: Type.Object({ draftId: Type.String({ maxLength: 100 }) }),
        body: Type.Object(
          {
            asOf: Type.Optional(Instant),
            against: Type.Optional(
              Type.Integer({
                minimum: 1,
                description: 'a loaded version instead of the one in force at asOf',
              }),
            ),
            largest: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 10 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Comparison, ...errors(...AUTH_ERRORS, 404, 422) },
      },
    },
    async (req) => {
      const now = ctx.clock();
      const b = req.body ?? {};
      const asOf = b.asOf === undefined ? now : parseInstant(b.asOf, 'body.asOf');
      const r = await ctx.programService.compare(req.params.draftId, {
        asOf,
        ...(b.against !== undefined ? { against: b.against } : {}),
        largest: b.largest ?? 10,
        now,
      });
      // Everyone's facts were read: one entry for the comparison, one under each person listed.
      await auditMany(ctx, req, comparisonAuditEntries(r, asOf, { draft: req.params.draftId }));
      return { ...r, candidate: { ...r.candidate, draft: req.params.draftId } };
    },
  );

  app.post(
    '/v1/programs/drafts/:draftId/activate',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: "Activate a draft as the program's next version (ledgers re-derived)",
        security: bearer,
        params: Type.Object({ draftId: Type.String({ maxLength: 100 }) }),
        response: {
          200: Type.Object({
            ...Draft.properties,
            rebuiltPeople: Type.Integer(),
            unchanged: Type.Boolean({
              description:
                "the draft's text is the program's latest version already: no version added, nothing re-derived",
            }),
          }),
          ...errors(...AUTH_ERRORS, 404, 409),
        },
      },
    },
    async (req) => {
      const d = await ctx.programService.activate(req.params.draftId, ctx.clock());
      await audit(ctx, req, {
        action: 'program.activate',
        detail: {
          draft: d.id,
          program: d.program,
          version: d.version,
          rebuiltPeople: d.rebuiltPeople,
          unchanged: d.unchanged,
        },
      });
      return d;
    },
  );
}
