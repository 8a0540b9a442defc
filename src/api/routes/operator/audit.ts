import { Type } from 'typebox';
import { withPublishedHead } from '../../../audit/index.js';
import { verifySealsOf } from '../../../store/sqlite/seals-file.js';
import { type ApiContext, type ApiInstance, audit } from '../../context.js';
import { AUTH_ERRORS, bearer, errors, HEAD_HASH } from '../../schemas/common.js';
import { checkDisputesAgainstLog } from '../../services/dispute-log-check.js';

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
          'Walks the chain up to its head and names the first entry changed, missing or moved, and holds the dispute tables (outside the chain) to it (disputes), and the facts, consent rows, rulebooks, point lines, cached scores and identifiers to their seals (seals). A rewrite of the whole chain with its hashes recomputed is not visible from inside the file: publish head.hash, and later pass it as published; the chain has grown since, but that entry must still be in it, at or before the head (problem kind published-missing otherwise).',
        security: bearer,
        querystring: Type.Object({
          published: Type.Optional(
            Type.String({
              pattern: HEAD_HASH,
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
            disputes: Type.Object(
              {
                ok: Type.Boolean(),
                disputes: Type.Integer({ description: 'Disputes held (of facts and of links)' }),
                problems: Type.Array(
                  Type.Object({
                    dispute: Type.String(),
                    seq: Type.Optional(Type.Integer()),
                    reason: Type.String(),
                  }),
                  { description: 'The first 100 disagreements between the dispute tables and the log' },
                ),
              },
              {
                description:
                  'The dispute tables, kept outside the chain, held to it: each dispute opened and closed as its entries say, each entry naming a dispute held in that state',
              },
            ),
            seals: Type.Optional(
              Type.Object(
                {
                  ok: Type.Boolean(),
                  facts: Type.Optional(Type.Integer({ description: 'Facts checked against their seal' })),
                  consents: Type.Optional(
                    Type.Integer({ description: 'Consent rows checked against their facts' }),
                  ),
                  rulebooks: Type.Optional(Type.Integer({ description: 'Rulebook versions checked' })),
                  derived: Type.Optional(
                    Type.Object(
                      {
                        ledger: Type.Optional(Type.Integer()),
                        scores: Type.Optional(Type.Integer()),
                        identifiers: Type.Optional(Type.Integer()),
                        fact_subjects: Type.Optional(Type.Integer()),
                        api_keys: Type.Optional(Type.Integer()),
                        subjects: Type.Optional(Type.Integer()),
                        identity_records: Type.Optional(Type.Integer()),
                        identity_reviews: Type.Optional(Type.Integer()),
                        identity_decisions: Type.Optional(Type.Integer()),
                        identity_state: Type.Optional(Type.Integer()),
                        identity_moves: Type.Optional(Type.Integer()),
                        identity_keys: Type.Optional(Type.Integer()),
                      },
                      {
                        description:
                          'Rows checked against their seals: point lines, cached scores, identifiers (which person each ID number, phone or account names), fact_subjects (the person each fact is filed under), api_keys (who may read and write what), subjects (the person ids handed out) and the identity engine tables (identity_records: the person each record links to and why; identity_reviews, identity_decisions: the operator merges and splits, identity_state, identity_moves, identity_keys: the index the candidates of a new record are read by); a table sealed by a later migration than the file has is absent',
                      },
                    ),
                  ),
                  path: Type.Optional(
                    Type.String({ description: 'Where the first problem is: a table, row or audit entry' }),
                  ),
                  reason: Type.Optional(Type.String()),
                },
                {
                  description:
                    'The tables outside the chain held to their seals and to the checkpoints the chain holds (facts, consent rows, rulebooks, point lines, cached scores; docs/api.md, "What lies outside the chain is held to it"); absent for a database without seals',
                },
              ),
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
      const disputes = await checkDisputesAgainstLog(ctx.db, ctx.audit);
      // On connections of its own (worker threads for a large file); a memory database has no file.
      const sealed = report.ok && !ctx.db.memory ? await verifySealsOf(ctx.db.name) : undefined;
      const seals =
        sealed === undefined
          ? undefined
          : sealed.ok
            ? {
                ok: true,
                facts: sealed.facts,
                consents: sealed.consents,
                rulebooks: sealed.rulebooks,
                derived: sealed.derived,
              }
            : { ok: false, path: sealed.path, reason: sealed.reason };
      const ok = report.ok && disputes.ok && (seals?.ok ?? true);
      await audit(ctx, req, {
        action: 'audit.verify',
        detail: {
          ok,
          entries: report.entries,
          ...(published !== undefined ? { published } : {}),
          ...(disputes.ok ? {} : { disputeProblems: disputes.problems.length }),
          ...(seals && !seals.ok ? { sealProblem: seals.path } : {}),
        },
      });
      return {
        ...report,
        ok,
        disputes: { ...disputes, problems: [...disputes.problems] },
        ...(seals ? { seals } : {}),
      };
    },
  );
}
