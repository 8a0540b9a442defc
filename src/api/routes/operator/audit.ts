import { Type } from 'typebox';
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
        security: bearer,
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            entries: Type.Integer(),
            head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
            problem: Type.Optional(
              Type.Object({ kind: Type.String(), seq: Type.Integer(), reason: Type.String() }),
            ),
          }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async (req) => {
      const report = await ctx.audit.verify();
      await audit(ctx, req, { action: 'audit.verify', detail: { ok: report.ok, entries: report.entries } });
      return report;
    },
  );
}
