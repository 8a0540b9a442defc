import { Type } from 'typebox';
import { type ApiContext, type ApiInstance, audit } from '../../context.js';
import { AUTH_ERRORS, bearer, errors } from '../../schemas/common.js';

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

/** Programs and rulebook versions: list, validate, load (a draft), activate. */
export function programRoutes(app: ApiInstance, ctx: ApiContext): void {
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
                    effectiveFrom: Type.Number(),
                    loadedAt: Type.Number(),
                    status: Type.Union([
                      Type.Literal('in-force'),
                      Type.Literal('scheduled'),
                      Type.Literal('superseded'),
                    ]),
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
        security: bearer,
        body: Yaml,
        response: { 200: Draft, ...errors(...AUTH_ERRORS, 413, 422) },
      },
    },
    async (req) => {
      const d = await ctx.programService.load(req.body.yaml, ctx.clock());
      await audit(ctx, req, { action: 'program.load', detail: { draft: d.id, program: d.program } });
      return d;
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
