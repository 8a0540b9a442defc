import { Type } from 'typebox';
import { withPublishedHead } from '../../../audit/index.js';
import { type ApiContext, type ApiInstance, audit } from '../../context.js';
import { AUTH_ERRORS, bearer, errors } from '../../schemas/common.js';

/** GET /v1/audit/verify — the same check as `credence audit verify`. */
export function auditRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.get(
    '/v1/audit/verify',
    {
      config: { auth: { roles: ['operator'], scope: 'audit:read' } },
      schema: {
        tags: ['operator'],
        summary: 'Verify the audit log hash chain; names the first bad entry',
        description:
          'Walks the chain up to its head and names the first entry changed, missing or moved. A rewrite of the whole chain with its hashes recomputed is not visible from inside the file: publish head.hash, and later pass it as published; the chain has grown since, but that entry must still be in it, at or before the head (problem kind published-missing otherwise).',
        security: bearer,
        querystring: Type.Object({
          published: Type.Optional(
            Type.String({
              pattern: '^[0-9a-f]{64}$',
              description: 'head.hash of an earlier verification (published): it must still be in the chain',
            }),
          ),
        }),
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            entries: Type.Integer(),
            head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
            problem: Type.Optional(
              Type.Object({ kind: Type.String(), seq: Type.Integer(), reason: Type.String() }),
            ),
            published: Type.Optional(
              Type.Object(
                { seq: Type.Integer(), hash: Type.String() },
                { description: 'The published head asked for, and where it stands in the chain' },
              ),
            ),
          }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async (req) => {
      const published = req.query.published;
      const verified = await ctx.audit.verify();
      const report =
        published === undefined
          ? verified
          : await withPublishedHead(verified, published, (h) =>
              ctx.audit.seqOfHash !== undefined
                ? ctx.audit.seqOfHash(h)
                : ctx.audit.query({}).then((all) => all.find((e) => e.hash === h)?.seq),
            );
      await audit(ctx, req, {
        action: 'audit.verify',
        detail: { ok: report.ok, entries: report.entries, ...(published !== undefined ? { published } : {}) },
      });
      return report;
    },
  );
}
