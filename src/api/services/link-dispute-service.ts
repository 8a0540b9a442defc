import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type App, currentPerson } from '../../app.js';
import type { AuditInput } from '../../audit/index.js';
import { ChainAppender } from '../../audit/sqlite/chain-append.js';
import { CredenceError } from '../../core/errors/index.js';
import { DAY_MS, formatInstant } from '../../core/time/index.js';
import { type IdentityChange, splitRecords } from '../../ingest/resolve/identity-ops.js';
import { closeDisputeRow } from '../../store/sqlite/dispute-close.js';
import type { DisputeClose } from '../../store/store.js';
import { byText } from '../schemas/page.js';
import {
  DISPUTE_DAYS,
  type Dispute,
  type DisputeFilter,
  type DisputeView,
  disputeView,
  listDisputes,
  selectDisputes,
} from './dispute-service.js';
import type { IngestService } from './ingest-service.js';
import type { ProgramHolder } from './program-holder.js';

/** A person's dispute of an identity link: "this record is not me". */
export interface LinkDispute {
  readonly id: string;
  readonly kind: 'link';
  /** Who disputed it (the person's id then). */
  readonly subject: string;
  /** The person record whose link to them is disputed (`identityLinks[].record` in their file). */
  readonly record: string;
  readonly reason: string;
  readonly openedAt: number;
  readonly dueAt: number;
  /** `withdrawn`: the person who opened it closed it before the operator answered. */
  readonly status: 'open' | 'upheld' | 'rejected' | 'withdrawn';
  readonly resolvedAt: number | null;
  readonly note: string | null;
  readonly overdue: boolean;
  /** Upheld: the facts that left the person with the record. */
  readonly movedFacts: number | null;
  /** Upheld: the person the record was split off to (null when it had left them already). */
  readonly splitTo: string | null;
}

/** A link dispute as the API sends it; `splitTo` only to operators (it names another person). */
export type LinkDisputeView = Omit<LinkDispute, 'openedAt' | 'dueAt' | 'resolvedAt' | 'splitTo'> & {
  readonly openedAt: string;
  readonly dueAt: string;
  readonly resolvedAt: string | null;
  readonly splitTo?: string | null;
};

export function linkDisputeView(d: LinkDispute, audience: 'person' | 'operator'): LinkDisputeView {
  const { splitTo, ...rest } = d;
  return {
    ...rest,
    openedAt: formatInstant(d.openedAt),
    dueAt: formatInstant(d.dueAt),
    resolvedAt: d.resolvedAt === null ? null : formatInstant(d.resolvedAt),
    ...(audience === 'operator' ? { splitTo } : {}),
  };
}

interface LinkDisputeRow {
  id: string;
  subject: string;
  record_id: string;
  reason: string;
  opened_at: number;
  due_at: number;
  status: LinkDispute['status'];
  resolved_at: number | null;
  note: string | null;
  moved_facts: number | null;
  split_to: string | null;
}

export function toLinkDispute(r: LinkDisputeRow, now: number): LinkDispute {
  return {
    id: r.id,
    kind: 'link',
    subject: r.subject,
    record: r.record_id,
    reason: r.reason,
    openedAt: r.opened_at,
    dueAt: r.due_at,
    status: r.status,
    resolvedAt: r.resolved_at,
    note: r.note,
    overdue: r.status === 'open' && now > r.due_at,
    movedFacts: r.moved_facts,
    splitTo: r.split_to,
  };
}

/** Link disputes on a connection (the table may be missing in a file the API never opened). */
export function listLinkDisputes(db: Database.Database, filter: DisputeFilter, now: number): LinkDispute[] {
  const has = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'api_link_disputes'")
    .get();
  if (!has) return [];
  const rows = selectDisputes(db, 'api_link_disputes', filter) as LinkDisputeRow[];
  return rows.map((r) => toLinkDispute(r, now));
}

export type AnyDispute = Dispute | LinkDispute;

/**
 * Disputes of both kinds, in the desk's order: overdue ones first, then by deadline (and id), as
 * fact disputes alone are listed.
 */
export function listAllDisputes(db: Database.Database, filter: DisputeFilter, now: number): AnyDispute[] {
  const all: AnyDispute[] = [...listDisputes(db, filter, now), ...listLinkDisputes(db, filter, now)];
  all.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt - b.dueAt || byText(a.id, b.id));
  return all;
}

/** Either kind as the API sends it to `audience`. */
export function anyDisputeView(
  d: AnyDispute,
  audience: 'person' | 'operator',
): DisputeView | LinkDisputeView {
  return d.kind === 'link' ? linkDisputeView(d, audience) : disputeView(d);
}

/**
 * Disputes of identity links by the person they link to ("this record is not me"). While open,
 * nothing changes: the record's facts keep counting (see docs/api.md, §Disputes). Upheld, the
 * record is split off the person with the operator's split (`splitRecords`: its facts move to a
 * new person, both are rescored, and the two are kept apart, so the record is not linked back).
 * Rejected, the link stays.
 *
 * @example
 * const d = await links.open('P0000001', ['P0000001'], 'R3f…', 'that phone was never mine', Date.now());
 */
export class LinkDisputeService {
  readonly #app: App;
  readonly #programs: ProgramHolder;
  readonly #ingest: IngestService;
  readonly #db: Database.Database;

  constructor(app: App, programs: ProgramHolder, ingest: IngestService, db: Database.Database) {
    this.#app = app;
    this.#programs = programs;
    this.#ingest = ingest;
    this.#db = db;
  }

  /**
   * Opens a dispute of the link between `subject` (the person as they are now) and `record`.
   * `ids`: the ids that name them (theirs and those merged into it), whose open disputes of the
   * record are the same dispute: it is returned, not opened twice. `entry`, when given, words the
   * `dispute.open` entry, stored in the row's transaction.
   */
  async open(
    subject: string,
    ids: readonly string[],
    record: string,
    reason: string,
    now: number,
    entry?: (d: LinkDispute, created: boolean) => AuditInput,
  ): Promise<{ dispute: LinkDispute; created: boolean }> {
    const links = await this.#app.store.identityRecordsOf(subject);
    // The same answer whether the record is someone else's or does not exist: a dispute must
    // not tell a person who else a record belongs to.
    if (!links.some((l) => l.recordId === record)) {
      throw new CredenceError(
        'CREDENCE_E_NOT_FOUND',
        `no identity link to record "${record}" in your file (see identityLinks[].record in GET /v1/me/file)`,
        { field: 'record' },
      );
    }
    // The look for an open dispute and the insert in one IMMEDIATE transaction: another server on
    // the same file cannot open a second one in between (and the partial unique index
    // api_link_disputes_one_open refuses one, see oneOpenDisputeEach).
    return this.#db
      .transaction(() => {
        const t = this.#openRow(subject, ids, record, reason, now);
        if (entry) new ChainAppender(this.#db).append([entry(t.dispute, t.created)]);
        return t;
      })
      .immediate();
  }

  #openRow(
    subject: string,
    ids: readonly string[],
    record: string,
    reason: string,
    now: number,
  ): { dispute: LinkDispute; created: boolean } {
    const existing = this.#db
      .prepare(
        `SELECT * FROM api_link_disputes WHERE record_id = ? AND status = 'open'
           AND subject IN (${ids.map(() => '?').join(', ')})`,
      )
      .get(record, ...ids) as LinkDisputeRow | undefined;
    if (existing) return { dispute: toLinkDispute(existing, now), created: false };
    const row: LinkDisputeRow = {
      id: randomUUID(),
      subject,
      record_id: record,
      reason,
      opened_at: now,
      due_at: now + DISPUTE_DAYS * DAY_MS,
      status: 'open',
      resolved_at: null,
      note: null,
      moved_facts: null,
      split_to: null,
    };
    this.#db
      .prepare(
        `INSERT INTO api_link_disputes
           (id, subject, record_id, reason, opened_at, due_at, status, resolved_at, note, moved_facts, split_to)
         VALUES (@id, @subject, @record_id, @reason, @opened_at, @due_at, @status, @resolved_at, @note,
                 @moved_facts, @split_to)`,
      )
      .run(row);
    return { dispute: toLinkDispute(row, now), created: true };
  }

  /** The link dispute with this id, if there is one. */
  find(id: string, now: number): LinkDispute | undefined {
    const r = this.#db.prepare('SELECT * FROM api_link_disputes WHERE id = ?').get(id) as
      | LinkDisputeRow
      | undefined;
    return r ? toLinkDispute(r, now) : undefined;
  }

  /**
   * The person who opened a link dispute withdraws it before the operator answers: nothing
   * changes (the link stood while it was open), and the record can be disputed again later, as
   * after any closed link dispute. `subjects`: the ids that name the person; another's dispute
   * is not found. Taken in the ingest queue, as answers are, so an answer and a withdrawal sent at
   * once are taken one after the other (the second is 409). `entry`, when given, words the
   * `dispute.withdraw` entry, stored in the withdrawal's transaction.
   */
  async withdraw(
    id: string,
    subjects: readonly string[],
    now: number,
    entry?: (d: LinkDispute) => AuditInput,
  ): Promise<LinkDispute | undefined> {
    return this.#ingest.exclusive(async () => {
      const d = this.find(id, now);
      if (d === undefined || !subjects.includes(d.subject)) return undefined;
      const claimed = this.#db
        .transaction(() => {
          const c = this.#db
            .prepare(
              "UPDATE api_link_disputes SET status = 'withdrawn', resolved_at = ? WHERE id = ? AND status = 'open'",
            )
            .run(now, id);
          if (c.changes > 0 && entry)
            new ChainAppender(this.#db).append([entry(this.find(id, now) as LinkDispute)]);
          return c;
        })
        .immediate();
      if (claimed.changes === 0) {
        throw new CredenceError(
          'CREDENCE_E_STATE',
          `dispute ${id} is no longer open: it was ${this.find(id, now)?.status ?? d.status}`,
          { field: 'id' },
        );
      }
      return this.find(id, now) as LinkDispute;
    });
  }

  /**
   * Closes a link dispute. Upheld: the record is split off the person it links to now, if that is
   * still the person who disputed it (followed through merges); a record that left
   * them meanwhile (another operator split) is not moved again. Rejected: nothing changes.
   * `entries` words the audit entries of the answer from the dispute (as it was, open) and the
   * split made, if any.
   *
   * One write: the row's move from open, the split and the entries are stored in the split's
   * transaction (`BatchRecord.dispute`), or, with no split, the row and the entries in one. Written
   * apart, a server killed between them left a record split off a person, or a dispute answered,
   * with no entry saying so. The row moves only from open (`closeDisputeRow`): an answer another
   * server committed meanwhile refuses this one whole (409).
   */
  async resolve(
    id: string,
    outcome: 'upheld' | 'rejected',
    note: string,
    now: number,
    entries: (d: LinkDispute, change: IdentityChange | null) => readonly AuditInput[],
  ): Promise<{ dispute: LinkDispute; change: IdentityChange | null }> {
    // The whole of it in the ingest queue, every batch stored first: a split moves facts between
    // people the pipeline may hold in memory (it is dropped after), and two answers to the same
    // dispute sent at once are taken one after the other (the second finds it closed).
    const change = await this.#ingest.exclusive(async () => {
      const d = this.find(id, now);
      if (!d) throw new CredenceError('CREDENCE_E_NOT_FOUND', `no dispute "${id}"`, { field: 'id' });
      if (d.status !== 'open') {
        throw new CredenceError('CREDENCE_E_STATE', `dispute ${id} was already ${d.status}`, { field: 'id' });
      }
      const close = (c: IdentityChange | null): DisputeClose => ({
        id,
        kind: 'link',
        status: outcome,
        resolvedAt: now,
        note,
        movedFacts: outcome === 'upheld' ? (c?.movedFacts ?? 0) : null,
        splitTo: c?.subjectId ?? null,
      });
      if (outcome === 'upheld') {
        const holder = (await this.#app.store.identityRecordSubjects([d.record])).get(d.record);
        if (holder !== undefined && holder === (await currentPerson(this.#app, d.subject, 'id'))) {
          return splitRecords(
            this.#app.store,
            this.#programs.current,
            [d.record],
            `link dispute ${d.id} upheld${note ? `: ${note}` : ''}`,
            (c) => ({ dispute: close(c), audit: entries(d, c) }),
          );
        }
      }
      this.#db
        .transaction(() => {
          closeDisputeRow(this.#db, close(null));
          new ChainAppender(this.#db).append(entries(d, null));
        })
        .immediate();
      return null;
    });
    // Read once the split is stored (a write-behind store commits it when the queue lets go).
    return { dispute: this.find(id, now) as LinkDispute, change };
  }
}
