import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type Database from 'better-sqlite3';
import Fastify, {
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type onRequestHookHandler,
  type preValidationHookHandler,
} from 'fastify';
import type { App } from '../app.js';
import type { AuditLog } from '../audit/index.js';
import { CredenceError, isCredenceError } from '../core/errors/index.js';
import { inexactNumber, repeatedKeyAt } from '../ingest/json-keys.js';
import type { ProgramSet } from '../ingest/program-set.js';
import { decideReview } from '../ingest/resolve/identity-ops.js';
import { IdentityResolver } from '../ingest/resolve/identity-resolver.js';
import {
  Authenticator,
  bearerToken,
  FailedAuthLimiter,
  type FailedAuthLimits,
  type Principal,
  parseKeyToken,
  RateLimiter,
  type Scope,
  SqliteKeyStore,
} from './auth/index.js';
import {
  type ApiContext,
  type ApiInstance,
  actorOf,
  type IdentityReview,
  type RouteAuth,
} from './context.js';
import { answerClientError, errorBody, REFUSAL_CODES, sendError, toHttpError } from './errors.js';
import { listForValueGuard } from './list-for-value.js';
import { decodedBody, jsonFault, lineColumn, utf8Body } from './request-body.js';
import { registerRoutes } from './routes/index.js';
import { ErrorBody } from './schemas/common.js';
import { DataWatch } from './services/data-watch.js';
import { DisputeService } from './services/dispute-service.js';
import { IngestService, type WriteWatch } from './services/ingest-service.js';
import { LinkDisputeService } from './services/link-dispute-service.js';
import { PersonFileService } from './services/person-file-service.js';
import { ProgramHolder } from './services/program-holder.js';
import { ProgramService } from './services/program-service.js';
import { reviewItem, reviewPage } from './services/review-page.js';
import { ScoreService } from './services/score-service.js';
import { ScreenService } from './services/screen-service.js';

export interface ApiDeps {
  /** The composition root's app: the store and the loaded programs. */
  readonly app: App;
  readonly audit: AuditLog;
  /**
   * The API's own connection (keys, disputes, imports, drafts), see `openApiDb`. The audit log
   * should share it: its `data_version` then moves only when facts are written elsewhere.
   */
  readonly db: Database.Database;
  /** The only clock the server reads. */
  readonly clock?: () => number;
  readonly logger?: FastifyServerOptions['logger'];
  readonly identity?: IdentityReview;
  /** Failed authentications allowed per client address and per key id (default `FAILED_AUTH_LIMITS`). */
  readonly failedAuth?: FailedAuthLimits;
  /**
   * Writes by anyone but the server's own ingest (`ForeignWrites`, see `openApi`). Without it the
   * ingest pipeline is started afresh after every commit `data_version` shows, its own included.
   */
  readonly writes?: WriteWatch;
  /** Fastify's `trustProxy`: which proxies' `X-Forwarded-For` gives the client address. */
  readonly trustProxy?: TrustProxy;
}

/** Proxies whose `X-Forwarded-For` is believed: addresses or CIDR ranges, or a number of hops. */
export type TrustProxy = readonly string[] | number;

/** Default body limit; POST /v1/facts has its own (10,000 facts). */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Builds the HTTP API from injected services (no socket: tests call `server.inject`, `serve`
 * calls `listen`). Every route declares its role and scope; one hook checks the key, the rate and
 * the scope; one handler maps errors to HTTP.
 *
 * @example
 * const { server } = await buildApi({ app, audit, db });
 * const res = await server.inject({ method: 'GET', url: '/health' });
 */
export async function buildApi(deps: ApiDeps): Promise<{ server: ApiInstance; ctx: ApiContext }> {
  const clock = deps.clock ?? Date.now;
  // Commits by any other connection, this process's writer thread or another process (the CLI):
  // what the services hold in memory is dropped or read again when it moves.
  const dataVersion = deps.db.prepare('PRAGMA data_version').pluck();
  const watch = new DataWatch(() => dataVersion.get() as number);
  const programs = new ProgramHolder(deps.app.programs as ProgramSet, { watch, db: deps.db });
  const auth = new Authenticator(new SqliteKeyStore(deps.db), clock, watch);
  const ingest = new IngestService(
    deps.app,
    programs,
    deps.db,
    deps.audit,
    clock,
    deps.writes ?? dataVersionWrites(watch),
    watch,
  );
  const disputes = new DisputeService(deps.app, ingest, deps.db, watch);
  const scores = new ScoreService(deps.app, programs, disputes, watch);
  const ctx: ApiContext = {
    app: deps.app,
    db: deps.db,
    programs,
    audit: deps.audit,
    auth,
    rate: new RateLimiter(),
    failedAuth: new FailedAuthLimiter(deps.failedAuth),
    clock,
    ingest,
    disputes,
    linkDisputes: new LinkDisputeService(deps.app, programs, ingest, deps.db),
    scores,
    screen: new ScreenService(deps.app, programs, watch, deps.db),
    files: new PersonFileService(deps.app, deps.audit, auth, disputes, deps.db, programs, scores),
    programService: new ProgramService(deps.app, programs, ingest, deps.db),
    identity: deps.identity ?? persistedIdentityReview(deps.app, programs, ingest, deps.db),
  };

  const server = Fastify({
    logger: deps.logger ?? false,
    // Behind a reverse proxy every request comes from the proxy's address: the failed-auth limit
    // (per client address) and the audit log's `ip` would lump all clients together. Only the
    // proxies named are believed; anyone else's X-Forwarded-For is ignored.
    ...(deps.trustProxy !== undefined ? { trustProxy: trustProxyOption(deps.trustProxy) } : {}),
    bodyLimit: BODY_LIMIT,
    // A request Node's parser refuses is answered with the catalogue's body too (errors.ts).
    clientErrorHandler: answerClientError,
    // The router's own limit on a path parameter (100 by default) refused a 102-character e-mail as
    // `{subject}` (documented up to 200) before the route was found, naming no field. Each route's
    // schema bounds its parameters (at most 200) and names the one over; the router only stops
    // what no route could take.
    routerOptions: { maxParamLength: 1000 },
    // Only the documented methods: Fastify's implicit HEAD of every GET read personal data (a whole
    // file, an inquiry) on a route neither /openapi.json nor the authorization matrix lists.
    // `GET /health` keeps its HEAD, for uptime monitors.
    exposeHeadRoutes: false,
    // Ids a client may send must never reach the log as anything but text.
    requestIdHeader: false,
    // Every problem of a request at once (docs/api.md: a detail per problem), not the first: a
    // client with two misspelt fields would otherwise learn of them one resend at a time. The
    // error count stays small: the only lists a schema checks item by item are bounded (purposes
    // 50, scopes 20), and the facts of POST /v1/facts are judged one by one by ingest, not here.
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
    // Errors the router raises before any route or hook runs (a path that is not valid
    // percent-encoding) skip the error handler: they get the catalogue's body here.
    frameworkErrors: (err, req, reply) => {
      const { status, body } = toHttpError(err, req);
      sendError(reply, status, body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Bodies are JSON only: Fastify's built-in text/plain parser would hand a route a string, which
  // then failed the body schema as a 400 instead of the documented 415.
  server.removeContentTypeParser('text/plain');
  // JSON.parse rounds an integer literal past 2^53 (an ID or account number sent as a number:
  // 110105194912310021 reads as 110105194912310020), so it would be stored and read as someone
  // else's. The body's text is checked before it is lost, as `credence ingest` checks each line;
  // the request is refused whole, naming where (the default parser's protections kept).
  const parseJson = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = typeof body === 'string' ? body : utf8Body(req.headers['content-type'], body);
    } catch (e) {
      return done(e as Error, undefined);
    }
    // Clients label every POST application/json, a body or not: an empty one is no body. A route
    // that reads none takes it so; one that reads a body is told it is missing, by name.
    if (text.trim() === '') {
      if (req.routeOptions.schema?.body === undefined) return done(null, undefined);
      const reason = 'the request body is empty: send the JSON object this route reads (see /docs)';
      return done(
        new CredenceError('CREDENCE_E_USAGE', reason, { field: 'body' }, [
          { code: 'CREDENCE_E_USAGE', path: 'body', reason },
        ]),
        undefined,
      );
    }
    parseJson(req, text, (err, value) => {
      if (err && (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        // Fastify's words name neither the fault nor where it is; a batch of 10,000 facts is
        // thousands of lines.
        const reason = `the request body is not valid JSON: ${jsonFault(text)}`;
        return done(
          new CredenceError('CREDENCE_E_USAGE', reason, {}, [
            { code: 'CREDENCE_E_USAGE', reason, path: 'body' },
          ]),
          undefined,
        );
      }
      if (err) return done(err, undefined);
      // JSON.parse keeps the last of a key named twice; another reader of the same body (a proxy
      // that checked it) may keep the first, and `credence ingest` refuses such a fact.
      const twice = repeatedKeyAt(text, value);
      if (twice !== undefined) {
        const field = twice.path === '' ? 'body' : `body.${twice.path}`;
        const name = twice.path.slice(twice.path.lastIndexOf('.') + 1);
        const where = twice.at < 0 ? '' : `, at ${lineColumn(text, twice.at)}`;
        const reason = `${twice.path === '' ? 'a key' : `"${name}"`} appears twice in one object${where}${
          twice.path === '' ? ' (written two ways)' : ''
        }: send each key once (only the last would be read)`;
        return done(
          new CredenceError('CREDENCE_E_USAGE', `${field}: ${reason}`, { field }, [
            { code: 'CREDENCE_E_USAGE', path: field, reason },
          ]),
          undefined,
        );
      }
      const inexact = inexactNumber(text, value);
      if (inexact === undefined) return done(null, value);
      const field = inexact.path === '' ? 'body' : `body.${inexact.path}`;
      const reason = `the number ${inexact.literal} has more digits than a JSON number holds exactly (it reads as ${inexact.read}): send an ID, account or card number as a string ("${inexact.literal}")`;
      done(
        new CredenceError('CREDENCE_E_USAGE', `${field}: ${reason}`, { field }, [
          { code: 'CREDENCE_E_USAGE', path: field, reason },
        ]),
        undefined,
      );
    });
  });

  // A compressed body (Content-Encoding gzip or deflate) is read as the JSON it holds, within the
  // route's limit; another encoding is refused by name (src/api/request-body.ts).
  server.addHook('preParsing', async (req, _reply, payload) => decodedBody(req, payload));

  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credence API',
        version: '0.1.0',
        description:
          "Furnishers send facts, relying parties ask for decisions with a declared purpose, persons see and contest their file, operators run programs. Every read of a person's data is recorded in a hash-chained audit log the person can see.",
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: cred_<role>_<key id><secret>' },
        },
      },
      tags: [
        { name: 'furnisher', description: 'Send facts (role furnisher)' },
        {
          name: 'relying-party',
          description: 'Scores and decisions, always with a purpose (role relying-party)',
        },
        { name: 'person', description: 'Your own file, consent and disputes (a person token)' },
        {
          name: 'operator',
          description: 'Programs, disputes, identity review, sources and keys (role operator)',
        },
        { name: 'meta', description: 'Health and this description' },
      ],
    },
  });

  // A field a route does not read is refused by name, not ignored: a misspelt `asof` was answered
  // as of now, a screening `dateOfBirth` screened without the date. (Each object's own fields
  // only: a fact inside a batch is judged by ingest, field by field.)
  // A documented route that reads no query field at all refuses one too: `POST /v1/facts?dryRun=1`
  // stored the batch, `GET /v1/sources?since=…` answered every source as if filtered.
  server.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema) return;
    const response = schema.response as Record<string, unknown> | undefined;
    if (schema.querystring === undefined && schema.hide !== true) {
      schema.querystring = { type: 'object', properties: {} };
      if (response) response['400'] ??= ErrorBody;
    }
    // Every route that reads a body refuses one that is not JSON (415) or over its limit (413),
    // before its own schema is read: its description says so, whatever the route declares.
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (response && methods.some((m) => m === 'POST' || m === 'DELETE')) {
      for (const status of ['413', '415']) response[status] ??= ErrorBody;
      // A route that reads no body refuses one with fields, naming them, as the others refuse a
      // field they do not read: `…/activate` with {"effectiveFrom": …} activated at once, the
      // date ignored. No body, or `{}`, is what such a route takes.
      if (schema.body === undefined && schema.hide !== true) {
        const refuse: preValidationHookHandler = (req, _reply, done) => done(unreadBody(req.body));
        const own = route.preValidation;
        route.preValidation = own === undefined ? [refuse] : [refuse, ...(Array.isArray(own) ? own : [own])];
      }
    }
    // A GET's body is never read: a relying party that put its purpose there was told to "state
    // the purpose", which it had. Refused by name, pointing at the query string.
    if (response && methods.includes('GET') && schema.hide !== true) {
      const refuse: preValidationHookHandler = (req, _reply, done) => done(getBody(req.headers));
      const own = route.preValidation;
      route.preValidation = own === undefined ? [refuse] : [refuse, ...(Array.isArray(own) ? own : [own])];
      response['400'] ??= ErrorBody;
    }
    // A list, or a value of another JSON type, where a body field takes one value is refused, not
    // coerced into it (list-for-value.ts).
    const oneValue = listForValueGuard(schema.body);
    if (oneValue !== undefined) {
      const own = route.preValidation;
      route.preValidation =
        own === undefined ? [oneValue] : [...(Array.isArray(own) ? own : [own]), oneValue];
    }
    for (const part of ['body', 'querystring'] as const) {
      const s = schema[part] as { type?: unknown; additionalProperties?: unknown } | undefined;
      if (s?.type === 'object' && s.additionalProperties === undefined)
        schema[part] = { ...s, additionalProperties: false };
    }
  });

  // The key check is attached to each route that declares `config.auth` (its needs captured once,
  // not read through `req.routeOptions`, which builds an object per access), as a callback hook:
  // a cached key is checked without a promise per request.
  server.addHook('onRoute', (route) => {
    const need = (route.config as { auth?: RouteAuth } | undefined)?.auth;
    if (!need) return;
    const check: onRequestHookHandler = (req, reply, done) => {
      const hit = auth.cached(req.headers.authorization);
      if (hit) return done(admit(req, hit, need));
      authenticateLimited(req, reply).then(
        (p) => done(admit(req, p, need)),
        (e: Error) => done(e),
      );
    };
    const own = route.onRequest;
    route.onRequest = own === undefined ? [check] : [check, ...(Array.isArray(own) ? own : [own])];
  });

  /**
   * A token not in the cache, verified under the failed-authentication limit (per client address
   * and per key id), so guessing secrets — or making the server run scrypt for someone else's key
   * id — is as slow as the limit. A request without credentials guesses nothing and is answered
   * 401 as before; a token verified before in this process (its cache time up) is exempt, so those
   * failing beside a key's holder never lock the holder out. Valid cached keys never come here.
   */
  const inFlight = new Map<string, Promise<Principal>>();
  /** The `Retry-After` of a refusal by the failed-authentication limit, for each request it answers. */
  const retryAfter = new WeakMap<object, number>();
  const authenticateLimited = async (req: FastifyRequest, reply: FastifyReply): Promise<Principal> => {
    const header = req.headers.authorization;
    if (header === undefined || header === '' || auth.verifiedBefore(header)) {
      return auth.authenticate(header);
    }
    // The same token sent again while its first verification runs (a client's first burst of
    // concurrent requests) waits for that verification: it guesses nothing new, so it spends no
    // attempt. Reserving one each, a relying party's first 21 concurrent requests were refused as
    // "too many failed authentications" with a valid key.
    let verified = inFlight.get(header);
    if (verified === undefined) {
      verified = verifyLimited(req.ip, header);
      inFlight.set(header, verified);
      const settled = (): void => {
        inFlight.delete(header);
      };
      verified.then(settled, settled);
    }
    try {
      return await verified;
    } catch (e) {
      const wait = typeof e === 'object' && e !== null ? retryAfter.get(e) : undefined;
      if (wait !== undefined) reply.header('retry-after', String(wait));
      throw e;
    }
  };
  const verifyLimited = async (ip: string, header: string): Promise<Principal> => {
    const keyId = presentedKeyId(header);
    const wait = ctx.failedAuth.reserve(ip, keyId, clock());
    if (wait > 0) {
      const refused = new CredenceError(
        'CREDENCE_E_RATE_LIMITED',
        `too many failed authentications from this client or for this key id; retry after ${wait} s`,
        { field: 'authorization' },
      );
      retryAfter.set(refused, wait);
      throw refused;
    }
    let good = true;
    try {
      return await auth.authenticate(header);
    } catch (e) {
      // Only a refused credential counts: a failure of the key store is not the client's guess.
      good = !(isCredenceError(e) && e.code === 'CREDENCE_E_UNAUTHENTICATED');
      throw e;
    } finally {
      ctx.failedAuth.settle(ip, keyId, good, !good && keyId !== undefined && auth.keyExists(keyId));
    }
  };

  /** The rate and role checks once the key is known; an error to refuse with, else undefined. */
  const admit = (
    req: FastifyRequest,
    p: Principal,
    need: { roles: readonly string[]; scope: Scope },
  ): CredenceError | undefined => {
    req.principal = p;
    if (!ctx.rate.take(p.keyId, p.rate, clock())) {
      return new CredenceError(
        'CREDENCE_E_RATE_LIMITED',
        `key ${p.keyId} is over its limit of ${p.rate} requests per second; retry after ${ctx.rate.retryAfter(p.keyId, p.rate)} s`,
      );
    }
    if (!need.roles.includes(p.role)) {
      return new CredenceError(
        'CREDENCE_E_FORBIDDEN',
        `${/^[aeiou]/.test(p.role) ? 'an' : 'a'} ${p.role} key cannot call this route (it is for: ${need.roles.join(', ')})`,
      );
    }
    if (!p.scopes.includes(need.scope)) {
      return new CredenceError('CREDENCE_E_FORBIDDEN', `this key lacks the scope ${need.scope}`);
    }
    return undefined;
  };

  server.setErrorHandler(async (err, req, reply) => {
    const { status, body } = toHttpError(err, req);
    const code = body.error.code as Parameters<typeof REFUSAL_CODES.has>[0];
    if (code === 'CREDENCE_E_SUBJECT_AMBIGUOUS') await logAmbiguous(ctx, clock, err, req, body.error.message);
    if (REFUSAL_CODES.has(code)) {
      try {
        await ctx.audit.append({
          at: clock(),
          actor: req.principal ? actorOf(req.principal) : 'anonymous',
          action: 'auth.refused',
          detail: {
            method: req.method,
            route: req.routeOptions.url ?? req.url.split('?')[0],
            code,
            reason: body.error.message,
            ip: req.ip,
            // Who the refused credential claimed to be (never verified): a run of failures
            // against one key shows in the log even when they come from many addresses.
            ...(req.principal ? {} : presentedIdDetail(req.headers.authorization)),
          },
        });
      } catch (e) {
        req.log.error({ err: e }, 'cannot record a refusal in the audit log');
      }
      if (code === 'CREDENCE_E_RATE_LIMITED' && req.principal) {
        reply.header('retry-after', String(ctx.rate.retryAfter(req.principal.keyId, req.principal.rate)));
      }
    }
    return sendError(reply, status, body);
  });

  server.setNotFoundHandler(async (req, reply) =>
    sendError(
      reply,
      404,
      errorBody(
        new CredenceError(
          'CREDENCE_E_NOT_FOUND',
          `no route ${req.method} ${req.url.split('?')[0]} (see /docs)`,
        ),
      ),
    ),
  );

  registerRoutes(server, ctx);
  await server.ready();
  return { server, ctx };
}

/**
 * A refusal for an identifier several people hold told the caller that it names more than one
 * person: one `subject.ambiguous` entry per holder, filed under them (so `audit list --subject`
 * finds it) and naming the caller, the route and the purpose stated — never the other holders,
 * whose ids stay out of every entry as they stay out of the answer. Not an inquiry: nothing about
 * any one person was sent.
 */
async function logAmbiguous(
  ctx: ApiContext,
  clock: () => number,
  err: unknown,
  req: FastifyRequest,
  reason: string,
): Promise<void> {
  const subjects = (err as { subjects?: unknown }).subjects;
  if (!Array.isArray(subjects) || subjects.length === 0) return;
  const asked = { ...(req.query as object), ...(req.body as object) } as { purpose?: unknown };
  // A purpose the key holds (checked before the person was looked up), else none.
  const purpose =
    typeof asked.purpose === 'string' && req.principal?.purposes.includes(asked.purpose)
      ? asked.purpose
      : undefined;
  try {
    await ctx.audit.appendMany(
      subjects.map((subject) => ({
        at: clock(),
        actor: req.principal ? actorOf(req.principal) : 'anonymous',
        action: 'subject.ambiguous',
        subject: String(subject),
        ...(purpose !== undefined ? { purpose } : {}),
        detail: {
          method: req.method,
          route: req.routeOptions.url ?? req.url.split('?')[0],
          code: 'CREDENCE_E_SUBJECT_AMBIGUOUS',
          reason,
          people: subjects.length,
        },
      })),
    );
  } catch (e) {
    req.log.error({ err: e }, 'cannot record a refusal in the audit log');
  }
}

/** Fastify's option: a list of proxies as is; a number of hops as proxy-addr reads one (the nearest n). */
function trustProxyOption(t: TrustProxy): string[] | ((address: string, hop: number) => boolean) {
  if (typeof t !== 'number') return [...t];
  const hops = t;
  return (_address, hop) => hop < hops;
}

/** Every commit `data_version` shows counts as another writer's (the server's own batches too). */
function dataVersionWrites(watch: DataWatch): WriteWatch {
  let synced = watch.read();
  return {
    written: () => watch.read() !== synced,
    clear: () => {
      synced = watch.read();
    },
  };
}

/**
 * The refusal of a GET sent with a body, which Fastify never reads. Known by its Content-Length: an
 * empty one passes, and so does a chunked one (a proxy may chunk an empty GET; unread, it is not
 * known to hold anything).
 */
function getBody(headers: FastifyRequest['headers']): CredenceError | undefined {
  if (!(Number(headers['content-length'] ?? 0) > 0)) return undefined;
  const reason = 'a GET request takes no body: send its fields in the query string (?purpose=…)';
  return new CredenceError('CREDENCE_E_USAGE', reason, {}, [
    { code: 'CREDENCE_E_USAGE', reason, path: 'body' },
  ]);
}

/** The refusal of a body sent to a route that reads none (no body and `{}` pass). */
function unreadBody(body: unknown): CredenceError | undefined {
  if (body === undefined || body === null) return undefined;
  const fields = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : null;
  if (fields !== null && fields.length === 0) return undefined;
  const details =
    fields === null
      ? [{ code: 'CREDENCE_E_USAGE' as const, reason: 'this request takes no body', path: 'body' }]
      : fields.map((f) => ({
          code: 'CREDENCE_E_USAGE' as const,
          reason: 'is not a field of this request',
          path: `body.${f}`,
        }));
  return new CredenceError(
    'CREDENCE_E_USAGE',
    `the request's body is invalid: ${details.map((d) => `${d.path} ${d.reason}`).join('; ')}`,
    {},
    details,
  );
}

/** The key id a bearer token names, when it is well formed (whether or not a key has it). */
function presentedKeyId(header: string | undefined): string | undefined {
  const token = bearerToken(header);
  return token === undefined ? undefined : parseKeyToken(token)?.keyId;
}

function presentedIdDetail(header: string | undefined): { presentedKeyId?: string } {
  const keyId = presentedKeyId(header);
  return keyId === undefined ? {} : { presentedKeyId: keyId };
}

/** The review queue ingest persists (not an in-memory resolver of the API's own). */
function persistedIdentityReview(
  app: App,
  programs: ProgramHolder,
  ingest: IngestService,
  db: Database.Database,
): IdentityReview {
  return {
    reviewQueue: async () => (await new IdentityResolver(app.store).load()).reviewQueue(),
    // A page from identity_reviews, not the resolver restored from every record.
    reviewPage: (after, limit) => reviewPage(app.store, db, after, limit),
    reviewItem: (recordId) => reviewItem(app.store, db, recordId),
    // In the ingest queue: a decision moves facts between people the pipeline may hold in memory.
    decideReview: (recordId, verdict, subjectId, note) =>
      ingest.exclusive(() =>
        decideReview(app.store, programs.current, recordId, verdict, {
          subjectId,
          ...(note ? { note } : {}),
        }),
      ),
  };
}
