import { Type } from 'typebox';
import { type ApiContext, type ApiInstance, actorOf, principalOf } from '../../context.js';
import { AUTH_ERRORS, bearer, errors } from '../../schemas/common.js';

/** Refused facts named one by one in the audit entry of a batch (the import record has them all). */
const MAX_LOGGED = 100;

export const MAX_BATCH = 10_000;
/** 10,000 facts of a few hundred bytes each, with room to spare. */
export const FACTS_BODY_LIMIT = 16 * 1024 * 1024;

const FactResult = Type.Object({
  index: Type.Integer(),
  source: Type.Optional(Type.String()),
  id: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  code: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});

const Counts = Type.Object({
  facts: Type.Integer(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
});

const Fact = Type.Unknown({
  description:
    'A fact {id, source, type, occurredAt, subject, data} or a retraction {id, source, retracts, occurredAt} (DESIGN.md); each one is validated on its own',
  examples: [
    {
      id: 'tb-000123',
      source: 'shop',
      type: 'purchase.completed',
      occurredAt: '2026-03-01T10:00:00Z',
      subject: { national_id: '11010519491231002X' },
      data: { amount: 120.5, items: 2 },
    },
  ],
});

/** POST /v1/facts and GET /v1/imports/:importId. */
export function factsRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.post(
    '/v1/facts',
    {
      bodyLimit: FACTS_BODY_LIMIT,
      config: { auth: { roles: ['furnisher'], scope: 'facts:write' } },
      schema: {
        tags: ['furnisher'],
        summary: 'Send a batch of facts (up to 10,000)',
        description:
          'One transaction per batch, a result per fact (accepted, duplicate or rejected with code, field and reason). Idempotent: re-sending a fact under the same source and id is a duplicate, a different body under it a conflict. Facts must name the source of the key; consent facts (credence.opt_in/opt_out) need the consent:write scope (an enrolment desk). The body may be sent with Content-Encoding gzip or deflate; at most 16 MiB once expanded (413 beyond).',
        security: bearer,
        body: Type.Object({ facts: Type.Array(Fact, { minItems: 1, maxItems: MAX_BATCH }) }),
        response: {
          200: Type.Object({
            importId: Type.String(),
            receivedAt: Type.String(),
            counts: Counts,
            results: Type.Array(FactResult),
          }),
          ...errors(...AUTH_ERRORS, 413, 415),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const now = ctx.clock();
      // The write is audited with its import record, in the facts' own transaction. Facts refused to
      // this key (another source's, a consent change without consent:write) are refusals like any
      // 403: in the audit log as auth.refused too, not only in the import record.
      const receipt = await ctx.ingest.submit(
        req.body.facts,
        { keyId: p.keyId, source: p.source, consent: p.scopes.includes('consent:write') },
        now,
        (r) => {
          const at = ctx.clock();
          const ingested = {
            at,
            actor: actorOf(p),
            action: 'facts.ingest',
            detail: { importId: r.importId, source: p.source, ...r.counts },
          };
          const forbidden = r.results.filter((x) => x.code === 'CREDENCE_E_FORBIDDEN');
          if (forbidden.length === 0) return [ingested];
          return [
            ingested,
            {
              at,
              actor: actorOf(p),
              action: 'auth.refused',
              detail: {
                method: req.method,
                route: '/v1/facts',
                code: 'CREDENCE_E_FORBIDDEN',
                reason: `${forbidden.length} of ${r.counts.facts} facts refused to this key`,
                importId: r.importId,
                facts: forbidden.slice(0, MAX_LOGGED).map((x) => ({
                  index: x.index,
                  source: x.source ?? null,
                  id: x.id ?? null,
                  field: x.field ?? null,
                  reason: x.reason ?? null,
                })),
                ...(forbidden.length > MAX_LOGGED ? { more: forbidden.length - MAX_LOGGED } : {}),
                ip: req.ip,
              },
            },
          ];
        },
      );
      return {
        ...receipt,
        results: [...receipt.results],
        receivedAt: new Date(receipt.receivedAt).toISOString(),
      };
    },
  );

  app.get(
    '/v1/imports/:importId',
    {
      config: { auth: { roles: ['furnisher'], scope: 'facts:read' } },
      schema: {
        tags: ['furnisher'],
        summary: 'The status of an import: counts and every rejected fact',
        security: bearer,
        params: Type.Object({ importId: Type.String({ maxLength: 100 }) }),
        response: {
          200: Type.Object({
            importId: Type.String(),
            source: Type.Union([Type.String(), Type.Null()]),
            receivedAt: Type.String(),
            status: Type.String(),
            counts: Counts,
            rejections: Type.Array(FactResult),
          }),
          ...errors(...AUTH_ERRORS, 404),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const s = ctx.ingest.status(req.params.importId, p.keyId);
      return { ...s, rejections: [...s.rejections], receivedAt: new Date(s.receivedAt).toISOString() };
    },
  );
}
