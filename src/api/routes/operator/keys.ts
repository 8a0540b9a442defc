import { type Static, Type } from 'typebox';
import { ChainAppender } from '../../../audit/sqlite/chain-append.js';
import { CredenceError } from '../../../core/errors/index.js';
import { formatInstant } from '../../../core/time/index.js';
import { unnameable } from '../../../ingest/validate.js';
import { type Principal, ROLES, SCOPES } from '../../auth/index.js';
import { type ApiContext, type ApiInstance, auditInput } from '../../context.js';
import { AUTH_ERRORS, bearer, errors, NOT_BLANK } from '../../schemas/common.js';
import { badCursor, byText, Next, PAGE_MOST, pageQuery, pageRead } from '../../schemas/page.js';
import { IdempotencyHeaders, IdempotentWrites } from '../../services/idempotent-writes.js';
import { sourceFacts } from '../../sqlite/source-summary.js';

const admin = { auth: { roles: ['operator'] as const, scope: 'keys:admin' as const } };

const Key = Type.Object({
  keyId: Type.String(),
  role: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  purposes: Type.Array(Type.String()),
  source: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.String(), Type.Null()]),
  rate: Type.Number(),
  createdAt: Type.Optional(Type.Number()),
  revokedAt: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
});

const Issued = Type.Object({ token: Type.String(), key: Key });

const keyView = <K extends Principal>(k: K) => ({ ...k, scopes: [...k.scopes], purposes: [...k.purposes] });

/**
 * A furnisher key's source must be one its facts can name: ingest refuses a source with spaces
 * around it or a control character, so a key bound to one had every fact it sent refused.
 */
function sourceFactsCanName(source: string | undefined): void {
  if (source === undefined || !unnameable(source)) return;
  throw new CredenceError(
    'CREDENCE_E_USAGE',
    `source ${JSON.stringify(source)} must have no spaces around it and no control characters: no fact could name it`,
    { field: 'source' },
  );
}

/** Sources and their credentials: issue, list and revoke API keys. */
export function keyRoutes(app: ApiInstance, ctx: ApiContext): void {
  const writes = new IdempotentWrites(ctx.db, ctx.clock);
  app.get(
    '/v1/keys',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Every API key (never the token: only its hash is stored)',
        description:
          'Oldest first (then by keyId), up to `limit` (default and most 10,000) after the key whose keyId is `after`; `next`, when the list goes on, is the `after` of the next page.',
        security: bearer,
        querystring: Type.Object(pageQuery('The keyId of the last key read (next of the page before)')),
        response: { 200: Type.Object({ keys: Type.Array(Key), next: Next }), ...errors(...AUTH_ERRORS) },
      },
    },
    async (req) => {
      // Keys are revoked, never deleted: the key named by `after` is still there to say where the
      // page starts. Only the page is read (and one key more, to know whether more follow).
      const { after } = req.query;
      const limit = req.query.limit ?? PAGE_MOST;
      const rows = ctx.auth.page(after, limit + 1);
      if (rows === undefined) throw badCursor(`no key "${after}"`);
      const { page, next } = pageRead(rows, limit, (k) => k.keyId);
      return { keys: page.map(keyView), ...(next !== undefined ? { next } : {}) };
    },
  );

  app.get(
    '/v1/sources',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary:
          'Every source that furnished facts (over the API or with credence ingest/import) or holds a key: its keys, fact counts and when it last furnished',
        description:
          'In name order, up to `limit` (default and most 10,000) after the source named `after`; `next`, when the list goes on, is the `after` of the next page.',
        security: bearer,
        querystring: Type.Object(pageQuery('The name of the last source read (next of the page before)')),
        response: {
          200: Type.Object({
            sources: Type.Array(
              Type.Object({
                source: Type.String(),
                keyed: Type.Boolean({
                  description:
                    'An unrevoked furnisher key is bound to it: it can send facts over the API. False for a source only ever imported with the CLI, or whose keys are all revoked.',
                }),
                keys: Type.Array(
                  Type.Object({ keyId: Type.String(), name: Type.String(), active: Type.Boolean() }),
                ),
                facts: Type.Integer({
                  description: 'Facts stored from it, however they came; retractions not counted',
                }),
                retractions: Type.Integer({
                  description: 'Retractions stored in its name (including upheld disputes of its facts)',
                }),
                lastReceivedAt: Type.Union([Type.String(), Type.Null()], {
                  description:
                    'When its last fact or retraction was stored (ISO 8601, UTC); null when it has none',
                }),
              }),
            ),
            next: Next,
          }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async (req) => {
      // Facts come in without a key too (`credence ingest`, `credence import`, a person's consent
      // change under `credence`): a source is listed when it furnished facts or holds a key. Only
      // the page is read from each (and one source more, to know whether more follow).
      const after = req.query.after ?? '';
      const limit = req.query.limit ?? PAGE_MOST;
      const keys = new Map(
        [...ctx.auth.sourceKeys(after, limit + 1)].map(([source, own]) => [
          source,
          own.map((k) => ({ keyId: k.keyId, name: k.name, active: k.revokedAt === null })),
        ]),
      );
      const stored = new Map((await sourceFacts(ctx.db, after, limit + 1)).map((s) => [s.source, s]));
      const names = [...new Set([...stored.keys(), ...keys.keys()])].sort(byText).slice(0, limit + 1);
      const { page, next } = pageRead(names, limit, (name) => name);
      return {
        sources: page.map((source) => {
          const own = keys.get(source) ?? [];
          const s = stored.get(source);
          return {
            source,
            keyed: own.some((k) => k.active),
            keys: own,
            facts: s?.facts ?? 0,
            retractions: s?.retractions ?? 0,
            lastReceivedAt: s === undefined ? null : formatInstant(s.lastReceivedAt),
          };
        }),
        ...(next !== undefined ? { next } : {}),
      };
    },
  );

  app.post(
    '/v1/keys',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Issue a key; the token is shown once, in this answer',
        description:
          'With an Idempotency-Key header, a retry of the same request (same key, same body, within 24 hours) answers the first answer again, the same token included, and issues no second key; the same Idempotency-Key with another body is 409 CREDENCE_E_STATE.',
        security: bearer,
        headers: IdempotencyHeaders,
        body: Type.Object({
          role: Type.Union(ROLES.map((r) => Type.Literal(r))),
          name: Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK }),
          scopes: Type.Optional(Type.Array(Type.Union(SCOPES.map((s) => Type.Literal(s))), { maxItems: 20 })),
          purposes: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }),
          ),
          source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          rate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
        }),
        response: {
          200: Issued,
          // 409: a person key's subject that two people hold (CREDENCE_E_SUBJECT_AMBIGUOUS).
          ...errors(...AUTH_ERRORS, 404, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const { answer, replayed } = await writes.run<Static<typeof Issued>>(
        req,
        'POST /v1/keys',
        async (store) => {
          sourceFactsCanName(req.body.source);
          // A person is named as on every other route, by subject id or strong identifier; the
          // token is bound to the subject id it names.
          const b =
            req.body.role === 'person' && req.body.subject !== undefined
              ? { ...req.body, subject: await ctx.scores.resolveSubject(req.body.subject) }
              : req.body;
          // The key, the record of this answer for a retry and its key.issue entry are stored in
          // one transaction: the entry appended after, a server killed in between left a working
          // key the log, where every grant is checked, never recorded.
          const issued = await ctx.auth.issue(b, (i) => {
            store({ token: i.token, key: keyView(i.key) });
            new ChainAppender(ctx.db).append([
              auditInput(ctx, req, {
                action: 'key.issue',
                ...(i.key.subject ? { subject: i.key.subject } : {}),
                // What the key may do, as granted: the log is where a grant is checked later. A
                // person token's name is left out: it is a label (the token is bound to
                // `subject`), often the person's own name, which `credence purge` forgets from the
                // key row but could never take out of the hash-chained log.
                detail: {
                  keyId: i.key.keyId,
                  role: i.key.role,
                  ...(i.key.role === 'person' ? {} : { name: i.key.name }),
                  scopes: [...i.key.scopes],
                  purposes: [...i.key.purposes],
                  source: i.key.source,
                  subject: i.key.subject,
                  rate: i.key.rate,
                },
              }),
            ]);
          });
          return { token: issued.token, key: keyView(issued.key) };
        },
      );
      // A retry answered from the first: nothing issued, nothing logged again.
      if (replayed) reply.header('idempotent-replayed', 'true');
      return answer;
    },
  );

  app.delete(
    '/v1/keys/:keyId',
    {
      config: admin,
      schema: {
        tags: ['operator'],
        summary: 'Revoke a key (refused at once, by every server on the database file)',
        security: bearer,
        params: Type.Object({ keyId: Type.String({ maxLength: 100 }) }),
        response: { 200: Type.Object({ revoked: Type.Boolean() }), ...errors(...AUTH_ERRORS, 404) },
      },
    },
    async (req) => {
      // The revocation and its key.revoke entry in one transaction, as an issue and its entry.
      const entry = () =>
        new ChainAppender(ctx.db).append([
          auditInput(ctx, req, { action: 'key.revoke', detail: { keyId: req.params.keyId } }),
        ]);
      if (!ctx.auth.revoke(req.params.keyId, entry)) {
        throw new CredenceError('CREDENCE_E_NOT_FOUND', `no active key "${req.params.keyId}"`, {
          field: 'keyId',
        });
      }
      return { revoked: true };
    },
  );
}
