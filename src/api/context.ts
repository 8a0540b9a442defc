import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type Database from 'better-sqlite3';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { App } from '../app.js';
import type { AuditInput, AuditLog } from '../audit/index.js';
import { CredenceError } from '../core/errors/index.js';
import type { ReviewItem } from '../identity/resolver-types.js';
import type { IdentityChange } from '../ingest/resolve/identity-ops.js';
import type { Authenticator, FailedAuthLimiter, Principal, RateLimiter, Role, Scope } from './auth/index.js';
import type { DisputeService } from './services/dispute-service.js';
import type { IngestService } from './services/ingest-service.js';
import { INQUIRY_ACTIONS } from './services/inquiry-actions.js';
import type { LinkDisputeService } from './services/link-dispute-service.js';
import type { PersonFileService } from './services/person-file-service.js';
import type { ProgramHolder } from './services/program-holder.js';
import type { ProgramService } from './services/program-service.js';
import type { ScoreService } from './services/score-service.js';
import type { ScreenService } from './services/screen-service.js';

/** What a route needs: who may call it and with which scope. */
export interface RouteAuth {
  readonly roles: readonly Role[];
  readonly scope: Scope;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

type ReviewQueueItem = ReviewItem;

/**
 * The identity module's review queue. By default the persisted one that ingest fills (read from
 * the store on each call, decisions committed with their fact moves and rescoring).
 */
export interface IdentityReview {
  reviewQueue(): ReviewQueueItem[] | Promise<ReviewQueueItem[]>;
  /**
   * Up to `limit` items of the queue by record id after the record `after`, read without the
   * rest of the queue; without it, a page is cut from `reviewQueue`.
   */
  reviewPage?(after: string | undefined, limit: number): Promise<ReviewQueueItem[]>;
  /** The item open on a record, read alone; without it, found in `reviewQueue`. */
  reviewItem?(recordId: string): Promise<ReviewQueueItem | undefined>;
  decideReview(
    recordId: string,
    verdict: 'same' | 'different',
    subjectId: string,
    note?: string,
  ): IdentityChange | Promise<IdentityChange>;
}

/** Everything the routes call: the same application services the CLI uses, and the clock. */
export interface ApiContext {
  readonly app: App;
  readonly db: Database.Database;
  readonly programs: ProgramHolder;
  readonly audit: AuditLog;
  readonly auth: Authenticator;
  readonly rate: RateLimiter;
  /** Failed authentications per client address and per key id. */
  readonly failedAuth: FailedAuthLimiter;
  readonly clock: () => number;
  readonly ingest: IngestService;
  readonly scores: ScoreService;
  readonly screen: ScreenService;
  readonly disputes: DisputeService;
  /** Disputes of identity links ("this record is not me"). */
  readonly linkDisputes: LinkDisputeService;
  readonly files: PersonFileService;
  readonly programService: ProgramService;
  readonly identity: IdentityReview | undefined;
}

export type ApiInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The caller, set by the auth hook on every route that has `config.auth`. */
export function principalOf(req: FastifyRequest): Principal {
  const p = req.principal;
  if (!p) throw new CredenceError('CREDENCE_E_UNAUTHENTICATED', 'this route needs an API key');
  return p;
}

/** The audit actor of a principal. */
export function actorOf(p: Principal): string {
  return `key:${p.keyId}`;
}

const INQUIRIES: ReadonlySet<string> = new Set(INQUIRY_ACTIONS);

/**
 * The audit input of a request: the clock read now, the caller's key as the actor. An inquiry also
 * keeps the key's name (`who`): the person is told who asked from the sealed entry, so a key row
 * renamed or deleted later (by hand in the file) cannot change or hide it.
 */
export function auditInput(
  ctx: ApiContext,
  req: FastifyRequest,
  e: Omit<AuditInput, 'at' | 'actor'>,
): AuditInput {
  const p = req.principal;
  // Field by field: spreading `e` after two fields took V8's slow object-copy path on every request.
  return {
    at: ctx.clock(),
    actor: p ? actorOf(p) : 'anonymous',
    action: e.action,
    subject: e.subject,
    purpose: e.purpose,
    detail: p && INQUIRIES.has(e.action) ? { ...e.detail, who: p.name } : e.detail,
  };
}

/**
 * `audit` with a callback: `done` runs once the entry is committed (or with the error when it was
 * not stored), so the caller answers from it. Without a promise per request when the log groups
 * commits behind a callback (`appendThen`), else through `append`.
 */
export function auditThen(
  ctx: ApiContext,
  req: FastifyRequest,
  e: Omit<AuditInput, 'at' | 'actor'>,
  done: (err: Error | null) => void,
): void {
  const input = auditInput(ctx, req, e);
  if (ctx.audit.appendThen) ctx.audit.appendThen(input, done);
  else ctx.audit.append(input).then(() => done(null), done);
}

/** Appends several entries in one transaction, in order (a read of many people's data). */
export function auditMany(
  ctx: ApiContext,
  req: FastifyRequest,
  entries: readonly Omit<AuditInput, 'at' | 'actor'>[],
): Promise<unknown> {
  return ctx.audit.appendMany(entries.map((e) => auditInput(ctx, req, e)));
}

/** Appends to the audit log; awaited before the response, so no answered read goes unrecorded. */
export function audit(
  ctx: ApiContext,
  req: FastifyRequest,
  e: Omit<AuditInput, 'at' | 'actor'>,
): Promise<unknown> {
  return ctx.audit.append(auditInput(ctx, req, e));
}
