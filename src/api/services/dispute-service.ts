import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { App } from '../../app.js';
import type { AuditInput } from '../../audit/index.js';
import { ChainAppender } from '../../audit/sqlite/chain-append.js';
import { CredenceError } from '../../core/errors/index.js';
import { DAY_MS, formatInstant } from '../../core/time/index.js';
import { CONSENT_TYPES } from '../../ingest/event-catalog.js';
import { closeDisputeRow } from '../../store/sqlite/dispute-close.js';
import type { DisputeClose } from '../../store/store.js';
import { byText } from '../schemas/page.js';
import { DataWatch } from './data-watch.js';
import type { ImportReceipt, IngestService } from './ingest-service.js';

/**
 * Reinvestigation deadline: 20 days, the PBoC's for an objection, which also meets the US FCRA's 30
 * (a 30-day deadline would let an answer on day 25 break the PBoC's rule).
 */
export const DISPUTE_DAYS = 20;

export interface Dispute {
  readonly id: string;
  readonly kind: 'fact';
  readonly subject: string;
  readonly source: string;
  readonly factId: string;
  readonly reason: string;
  readonly openedAt: number;
  readonly dueAt: number;
  /** `withdrawn`: the person who opened it closed it before the operator answered. */
  readonly status: 'open' | 'upheld' | 'rejected' | 'withdrawn';
  /** When it was answered or withdrawn. */
  readonly resolvedAt: number | null;
  readonly note: string | null;
  /** Open past its deadline. */
  readonly overdue: boolean;
}

/** A dispute as the API sends it: its dates as ISO 8601 text. */
export type DisputeView = Omit<Dispute, 'openedAt' | 'dueAt' | 'resolvedAt'> & {
  readonly openedAt: string;
  readonly dueAt: string;
  readonly resolvedAt: string | null;
};

export function disputeView(d: Dispute): DisputeView {
  return {
    ...d,
    openedAt: formatInstant(d.openedAt),
    dueAt: formatInstant(d.dueAt),
    resolvedAt: d.resolvedAt === null ? null : formatInstant(d.resolvedAt),
  };
}

/**
 * Whether a dispute held its fact at instant `t`: from its opening (inclusive) until it was
 * resolved (exclusive), on with no end while it is open. An as-of replay marks a fact as it stood
 * then, so a dispute opened today leaves a score of last month as it was; one rejected since
 * still marks the stretch it was open. (Upheld, the fact is retracted, which takes it out of
 * every replay: DESIGN.md, "as if it had never been sent".) A closed dispute whose resolution
 * time was never recorded is placed nowhere.
 */
export function disputeHeldAt(
  d: { readonly openedAt: number; readonly resolvedAt: number | null; readonly status: Dispute['status'] },
  t: number,
): boolean {
  if (t < d.openedAt) return false;
  return d.status === 'open' || (d.resolvedAt !== null && t < d.resolvedAt);
}

/** When a dispute marked its fact: `[from, until)`, `until` infinite while it is open. */
export interface DisputeSpan {
  readonly id: string;
  readonly from: number;
  until: number;
}

export interface DisputeFilter {
  readonly subjects?: readonly string[];
  readonly status?: Dispute['status'];
  /**
   * Fact keys (`source/id`) the person holds now: their fact disputes are theirs too, whoever
   * opened them (a dispute is of the fact, and a merge or split moves the fact). Only fact
   * disputes; with `subjects`, the first of them is the person asking (see `listDisputes`).
   */
  readonly facts?: readonly string[];
}

/**
 * What a person sees for the reason of a dispute of a fact of theirs opened under an id that is
 * not theirs (before a split moved the fact to them): the words are the opener's.
 */
export const REASON_WITHHELD =
  "(opened under another person's id before the fact was moved to you: its reason is not shown)";

/** The rows of a dispute table (fact or link disputes) that pass `filter`, by deadline. */
export function selectDisputes(db: Database.Database, table: string, filter: DisputeFilter): unknown[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.subjects !== undefined) {
    where.push(`subject IN (${filter.subjects.map(() => '?').join(', ') || 'NULL'})`);
    args.push(...filter.subjects);
  }
  if (filter.status !== undefined) {
    where.push('status = ?');
    args.push(filter.status);
  }
  const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  return db.prepare(`SELECT * FROM ${table}${clause} ORDER BY due_at, id`).all(...args);
}

/**
 * Disputes on a database connection, overdue ones first, then by deadline: the dispute desk's
 * order, and the person's (`credence export` reads them read-only from the same file).
 */
export function listDisputes(db: Database.Database, filter: DisputeFilter, now: number): Dispute[] {
  let rows = selectDisputes(db, 'api_disputes', filter) as DisputeRow[];
  if (filter.facts !== undefined) rows = stillTheirs(db, rows, filter.facts, filter.subjects ?? []);
  if (filter.facts !== undefined && filter.facts.length > 0) {
    const seen = new Set(rows.map((r) => r.id));
    const ids = filter.subjects ?? [];
    for (const r of disputesOfFacts(db, filter.facts, filter.status)) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      rows.push(seenBy(r, ids));
    }
    rows.sort((a, b) => a.due_at - b.due_at || byText(a.id, b.id));
  }
  const out = rows.map((r) => toDispute(r, now));
  return [...out.filter((d) => d.overdue), ...out.filter((d) => !d.overdue)];
}

/**
 * A person's view (`facts` given): disputes opened under an id of theirs, less those whose fact a
 * split has since filed under someone else. The dispute went with the fact: its holder sees it and
 * may withdraw it (`DisputeService.withdraw`), and its status and the operator's note are about
 * that person's fact now. A dispute whose fact is no longer stored (purged) stays the opener's.
 */
function stillTheirs(
  db: Database.Database,
  rows: DisputeRow[],
  facts: readonly string[],
  subjects: readonly string[],
): DisputeRow[] {
  const held = new Set(facts);
  const away = rows.filter((r) => !held.has(`${r.source}/${r.fact_id}`));
  // An API database apart from the store's (no `facts`) cannot tell: every row kept.
  if (away.length === 0 || !db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'facts'").get()) return rows;
  const holder = db.prepare('SELECT subject FROM facts WHERE source = ? AND id = ?').pluck();
  const gone = new Set(
    away
      .filter((r) => {
        const s = holder.get(r.source, r.fact_id) as string | undefined;
        return s !== undefined && !subjects.includes(s);
      })
      .map((r) => r.id),
  );
  return gone.size === 0 ? rows : rows.filter((r) => !gone.has(r.id));
}

/** The keys (`source/id`) of the facts a person's file holds, retracted ones too. */
export function heldFactKeys(file: {
  readonly facts: readonly { source: string; id: string }[];
  readonly retractedFacts?: readonly { source: string; id: string }[];
}): string[] {
  return [...file.facts, ...(file.retractedFacts ?? [])].map((f) => `${f.source}/${f.id}`);
}

/** Every dispute (of `status`, if given) of these facts (`source/id`), through `api_disputes_fact`. */
function disputesOfFacts(
  db: Database.Database,
  facts: readonly string[],
  status: Dispute['status'] | undefined,
): DisputeRow[] {
  const out: DisputeRow[] = [];
  const keep = (r: DisputeRow) => status === undefined || r.status === status;
  const indexed = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'api_disputes_fact'")
    .get();
  if (!indexed) {
    // A file no server has opened since the index came (`credence export` reads it as it is): one
    // pass over the table, not one per fact.
    const wanted = new Set(facts);
    for (const r of db.prepare('SELECT * FROM api_disputes').iterate() as Iterable<DisputeRow>)
      if (wanted.has(`${r.source}/${r.fact_id}`) && keep(r)) out.push(r);
    return out;
  }
  const of = db.prepare('SELECT * FROM api_disputes WHERE source = ? AND fact_id = ?');
  for (const key of facts) {
    const slash = key.indexOf('/');
    for (const r of of.all(key.slice(0, slash), key.slice(slash + 1)) as DisputeRow[])
      if (keep(r)) out.push(r);
  }
  return out;
}

/**
 * A dispute row as the person with `ids` sees it: one opened under an id of theirs as it is; one
 * opened under another's (a split moved the fact to them since) about them, the opener's words
 * withheld (`REASON_WITHHELD`).
 */
function seenBy(r: DisputeRow, ids: readonly string[]): DisputeRow {
  if (ids.length === 0 || ids.includes(r.subject)) return r;
  return { ...r, subject: ids[0] as string, reason: REASON_WITHHELD };
}

interface DisputeRow {
  id: string;
  subject: string;
  source: string;
  fact_id: string;
  reason: string;
  opened_at: number;
  due_at: number;
  status: Dispute['status'];
  resolved_at: number | null;
  note: string | null;
}

/**
 * Disputes of facts by the person they are about. While open, the fact is marked and counts or
 * not as its program's `disputes.suspend` says; upheld, it is retracted through ingest as its
 * source would retract it; rejected, it counts again.
 *
 * @example
 * const { dispute } = await disputes.open('P0000001', 'court', 'c-03', 'paid in full', Date.now());
 */
export class DisputeService {
  readonly #app: App;
  readonly #ingest: IngestService;
  readonly #db: Database.Database;
  /**
   * Fact keys (`source/id`) under open dispute, with how many open disputes name each; read on
   * every score, so kept in memory. Keyed by the fact, not by who disputed it: a merge or split
   * moves the fact to another person, and the mark goes with it.
   */
  readonly #open = new Map<string, number>();
  /**
   * Every dispute of a fact (open or closed), by fact key, with when it marked the fact: as-of
   * scores mark a fact as it stood at that instant, not as it stands now.
   */
  readonly #spans = new Map<string, DisputeSpan[]>();
  #generation = 0;

  /** Moves whenever a dispute mark is set or lifted (caches of scores depend on the marks). */
  get generation(): number {
    this.#sync();
    return this.#generation;
  }

  /**
   * Answers and withdrawals under way in this server, by dispute: the next one for the same dispute
   * waits for it (`#oneAtATime`), then finds the dispute closed.
   */
  readonly #closing = new Map<string, Promise<unknown>>();
  /** `api_dispute_version.n` when the marks were last read (undefined: a file without it). */
  #version: number | undefined;
  readonly #readVersion: Database.Statement | undefined;
  /** The same version, asked of SQLite at most once per turn of the event loop. */
  readonly #versionWatch: DataWatch | undefined;
  /** `PRAGMA data_version` on `db` (the server's watch), and the reading the marks were checked at. */
  readonly #commits: DataWatch | undefined;
  #commitsSeen: number | undefined;

  /**
   * `commits` is the server's watch over `PRAGMA data_version` on `db`: it moves when another
   * connection commits, so the dispute table's version is read only after it moved (this server's
   * own writes read the marks again themselves).
   */
  constructor(app: App, ingest: IngestService, db: Database.Database, commits?: DataWatch) {
    this.#app = app;
    this.#ingest = ingest;
    this.#db = db;
    this.#commits = commits;
    // Read before the marks: a commit after this reading moves it, and is read at the next sync.
    this.#commitsSeen = commits?.read();
    const counted = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'api_dispute_version'")
      .get();
    this.#readVersion = counted
      ? db.prepare('SELECT n FROM api_dispute_version WHERE id = 1').pluck()
      : undefined;
    const read = this.#readVersion;
    this.#versionWatch = read ? new DataWatch(() => read.get() as number) : undefined;
    this.#load();
  }

  /**
   * Reads the marks and spans again from `api_disputes`, with the version they are read at (one
   * snapshot). The maps are refilled in place (callers may hold them).
   */
  #load(): void {
    const { version, rows } = this.#db.transaction(() => ({
      version: this.#readVersion?.get() as number | undefined,
      rows: this.#db.prepare('SELECT * FROM api_disputes').all() as DisputeRow[],
    }))();
    this.#open.clear();
    this.#spans.clear();
    for (const r of rows) {
      const key = `${r.source}/${r.fact_id}`;
      // An upheld dispute's row is closed in its retraction's transaction: never upheld over a
      // fact that still counts.
      if (r.status === 'open') this.#open.set(key, (this.#open.get(key) ?? 0) + 1);
      const d = toDispute(r, 0);
      // A closed dispute without a recorded resolution marks nothing (see `disputeHeldAt`).
      const until = d.status === 'open' ? Number.POSITIVE_INFINITY : (d.resolvedAt ?? d.openedAt);
      this.#addSpan(key, { id: d.id, from: d.openedAt, until });
    }
    this.#version = version;
    this.#generation++;
  }

  /**
   * Reads the marks again when `api_disputes` was written since (by this server or any other
   * writer on the file: two servers on one file each hold the marks): one single-row read, at most
   * once per turn of the event loop (`DataWatch.turn`). The score route asks for the marks several
   * times a request; a read each time was about 20 µs of a request's 65 (bench/api/score-inject.ts).
   * Once a turn still sees a write another server committed before the request arrived. The
   * counter only grows: a turn's reading older than the marks (this server wrote and read them
   * again since) is no reason to read them once more.
   */
  #sync(): void {
    // Nothing committed by another connection since the last check (the score route's turn has
    // read data_version already): the table cannot have changed but by this server's own writes.
    if (this.#commits) {
      const seen = this.#commits.turn();
      if (seen === this.#commitsSeen) return;
      this.#commitsSeen = seen;
    }
    const now = this.#versionWatch?.turn();
    if (now !== undefined && now > (this.#version ?? -1)) this.#load();
  }

  #addSpan(key: string, span: DisputeSpan): void {
    const list = this.#spans.get(key);
    if (list === undefined) this.#spans.set(key, [span]);
    else list.push(span);
  }

  /**
   * Every dispute of a fact by fact key (`source/id`), with when it marked the fact, whoever the
   * fact is about now: what as-of scores mark facts by.
   */
  spans(): ReadonlyMap<string, readonly DisputeSpan[]> {
    this.#sync();
    return this.#spans;
  }

  /** Fact keys (`source/id`) under open dispute, whoever the fact is about now. */
  openKeys(): ReadonlyMap<string, number> {
    this.#sync();
    return this.#open;
  }

  /**
   * Opens a dispute of a fact of the person's, or answers the open one the fact has: one open
   * dispute per fact, whoever opened it (under an id merged into theirs since, or before a split
   * moved the fact to them). `ids`: the ids that name the person (theirs first, then those merged
   * into it), whose disputes are shown whole. `created: false`: the fact's open dispute, unchanged
   * (the reason given now was not stored). `entry`, when given, words the `dispute.open` entry,
   * stored in the row's transaction: a dispute is never held without the entry of its opening.
   */
  async open(
    subject: string,
    source: string,
    factId: string,
    reason: string,
    now: number,
    ids: readonly string[] = [subject],
    entry?: (d: Dispute, created: boolean) => AuditInput,
  ): Promise<{ dispute: Dispute; created: boolean }> {
    const facts = (await this.#app.store.personFacts([subject])).get(subject) ?? [];
    const fact = facts.find((f) => f.source === source && f.id === factId);
    if (!fact) {
      // Held under this person but not among the facts that count: a fact since retracted (the
      // file lists it under retractedFacts) or a retraction. Another person's is just not found.
      const held = (await this.#app.store.findFacts([{ source, id: factId }])).values().next().value;
      const why =
        held?.subject !== subject
          ? `no fact ${source}/${factId} in your file`
          : held.type === null
            ? `${source}/${factId} is a retraction, not a fact: it only undoes ${source}/${held.retracts ?? '?'}`
            : !held.retracted
              ? `no fact ${source}/${factId} in your file`
              : `${source}/${factId} was retracted: it no longer counts anywhere, so there is nothing to dispute (your file lists it under retractedFacts)`;
      throw new CredenceError('CREDENCE_E_NOT_FOUND', why, { field: 'factId' });
    }
    // A consent record is the person's choice, not a furnished fact (the file lists it under
    // consents): upholding a dispute would retract it as if it had never been made, so an opt-out
    // would bring back the ledger and the scores of the time it covered. It is changed instead.
    if (CONSENT_TYPES[fact.type] !== undefined) {
      throw new CredenceError(
        'CREDENCE_E_CONSENT_INVALID',
        `${source}/${factId} records a consent change, not a fact about you: change your consent with POST /v1/me/consent`,
        { field: 'factId' },
      );
    }
    // The look for an open or closed dispute of the fact and the insert, in one IMMEDIATE
    // transaction: another server on the same file cannot open a second one in between (and the
    // partial unique index api_disputes_open_fact refuses one, see oneOpenDisputeEach).
    const mine = ids.includes(subject) ? ids : [subject, ...ids];
    const taken = this.#db
      .transaction(() => {
        const t = this.#openRow(subject, mine, source, factId, reason, now);
        if (entry)
          new ChainAppender(this.#db).append([entry(toDispute(seenBy(t.row, mine), now), t.created)]);
        return t;
      })
      .immediate();
    if (taken.created) this.#load();
    return { dispute: toDispute(seenBy(taken.row, mine), now), created: taken.created };
  }

  /**
   * The fact's open dispute, or a new one stored (refused after a closed one). By the fact, not by
   * who opened it: disputes keyed by person let the person a merge made open a second dispute of
   * a fact disputed under an id merged into theirs, and a rejected or withdrawn one be opened
   * again the same way.
   */
  #openRow(
    subject: string,
    ids: readonly string[],
    source: string,
    factId: string,
    reason: string,
    now: number,
  ): { row: DisputeRow; created: boolean } {
    const existing = this.#db
      .prepare("SELECT * FROM api_disputes WHERE source = ? AND fact_id = ? AND status = 'open'")
      .get(source, factId) as DisputeRow | undefined;
    if (existing) return { row: existing, created: false };
    // A new dispute would suspend the fact again (`disputes.suspend`): after each rejection, a
    // fact a court or a lender stands by would stop counting for as long as the person kept
    // disputing it. Once rejected, the fact is corrected only by its source.
    const rejected = this.#db
      .prepare(
        "SELECT * FROM api_disputes WHERE source = ? AND fact_id = ? AND status = 'rejected' ORDER BY resolved_at DESC LIMIT 1",
      )
      .get(source, factId) as DisputeRow | undefined;
    if (rejected) {
      // The operator's note answers the opener: not shown to a person a split moved the fact to.
      const note = rejected.note && ids.includes(rejected.subject) ? `: "${rejected.note}"` : '';
      throw new CredenceError(
        'CREDENCE_E_STATE',
        `${source}/${factId} was disputed and the dispute was rejected (dispute ${rejected.id}, ${new Date(
          rejected.resolved_at ?? rejected.opened_at,
        ).toISOString()}${note}); a new dispute does not suspend it again: ask ${source}, the source of the fact, to correct or retract it`,
        { field: 'factId' },
      );
    }
    // Withdrawn and opened again, a dispute would suspend the fact anew with a new deadline each
    // time, before the operator could answer: the same endless suspension as disputing again after
    // a rejection. A withdrawal is final for the fact.
    const withdrawn = this.#db
      .prepare(
        "SELECT * FROM api_disputes WHERE source = ? AND fact_id = ? AND status = 'withdrawn' ORDER BY resolved_at DESC LIMIT 1",
      )
      .get(source, factId) as DisputeRow | undefined;
    if (withdrawn) {
      const who = ids.includes(withdrawn.subject) ? 'you withdrew the dispute' : 'the dispute was withdrawn';
      throw new CredenceError(
        'CREDENCE_E_STATE',
        `${source}/${factId} was disputed and ${who} (dispute ${withdrawn.id}, ${new Date(
          withdrawn.resolved_at ?? withdrawn.opened_at,
        ).toISOString()}); a new dispute does not suspend it again: ask ${source}, the source of the fact, to correct or retract it`,
        { field: 'factId' },
      );
    }
    const row: DisputeRow = {
      id: randomUUID(),
      subject,
      source,
      fact_id: factId,
      reason,
      opened_at: now,
      due_at: now + DISPUTE_DAYS * DAY_MS,
      status: 'open',
      resolved_at: null,
      note: null,
    };
    this.#db
      .prepare(
        `INSERT INTO api_disputes (id, subject, source, fact_id, reason, opened_at, due_at, status, resolved_at, note)
         VALUES (@id, @subject, @source, @fact_id, @reason, @opened_at, @due_at, @status, @resolved_at, @note)`,
      )
      .run(row);
    return { row, created: true };
  }

  get(id: string, now: number): Dispute {
    const r = this.#db.prepare('SELECT * FROM api_disputes WHERE id = ?').get(id) as DisputeRow | undefined;
    if (!r) throw new CredenceError('CREDENCE_E_NOT_FOUND', `no dispute "${id}"`, { field: 'id' });
    return toDispute(r, now);
  }

  /**
   * Disputes, overdue ones first, then by deadline. `subjects`: those opened by any of these ids
   * (a person and the ids since merged into theirs).
   */
  list(filter: DisputeFilter, now: number): Dispute[] {
    return listDisputes(this.#db, filter, now);
  }

  /**
   * Closes a dispute. Upheld: the source's fact is retracted (a retraction `dispute-<id>` of that
   * source goes through ingest, so ledgers and scores follow). Rejected: the mark is lifted.
   * `entry` words the `dispute.resolve` audit entry from the answered dispute.
   *
   * One write: the row's move from `open` to the outcome and its entry are stored in one
   * transaction, an upheld one's in its retraction's batch (`BatchRecord.dispute`). Written as
   * three (the row claimed, the retraction, the entry), a server killed between them left the
   * dispute upheld with no entry, or upheld while its fact kept counting. The move is refused
   * when the row is no longer open (`closeDisputeRow`), so of two answers sent at once from two
   * servers on one file the second stores nothing and is 409; in this server the second waits for
   * the first and finds the dispute closed, so the first sent is the one taken.
   */
  resolve(
    id: string,
    outcome: 'upheld' | 'rejected',
    note: string,
    now: number,
    entry: (d: Dispute) => AuditInput,
  ): Promise<Dispute> {
    return this.#oneAtATime(id, async () => {
      const d = this.get(id, now);
      if (d.status !== 'open') {
        throw new CredenceError('CREDENCE_E_STATE', `dispute ${id} was already ${d.status}`, { field: 'id' });
      }
      const close: DisputeClose = { id, status: outcome, resolvedAt: now, note };
      const e = entry({ ...d, status: outcome, resolvedAt: now, note, overdue: false });
      try {
        if (outcome === 'upheld' && (await this.#stillCounts(d))) await this.#retract(d, now, close, e);
        else
          this.#db
            .transaction(() => {
              closeDisputeRow(this.#db, close);
              new ChainAppender(this.#db).append([e]);
            })
            .immediate();
      } finally {
        // Another server may have closed it meanwhile, and the marks follow the row either way.
        this.#load();
      }
      return this.get(id, now);
    });
  }

  /**
   * Runs `task` once every answer or withdrawal of dispute `id` this server is running has ended:
   * two sent at once are taken in the order they came, the second finding the dispute closed.
   */
  async #oneAtATime<T>(id: string, task: () => Promise<T>): Promise<T> {
    const before = this.#closing.get(id);
    const run = (async () => {
      await before?.catch(() => undefined);
      return task();
    })();
    this.#closing.set(id, run);
    try {
      return await run;
    } finally {
      if (this.#closing.get(id) === run) this.#closing.delete(id);
    }
  }

  /**
   * The person whose fact is disputed withdraws the dispute before the operator answers: the mark
   * is lifted from now on (an as-of replay still marks the stretch it was open, as for a rejected
   * one), the fact counts again, and it cannot be disputed again (`open`). `subjects`: the ids that
   * name the person (theirs first, then those merged into it). A dispute is of the fact, so it is
   * the person who holds the fact now who may withdraw it, whoever opened it (under an id merged
   * into theirs, or before a split moved the fact to them); one whose fact a split moved to
   * someone else is no longer theirs, though an id of theirs opened it. Only a dispute whose fact
   * is no longer stored (purged) is judged by who opened it. Anyone else's is not found, as one
   * that does not exist. Claimed like an answer (the row leaves `open` in one statement), so of a
   * withdrawal and an answer sent at once the second is 409. `entry`, when given, words the
   * `dispute.withdraw` entry, stored in the withdrawal's transaction.
   */
  withdraw(
    id: string,
    subjects: readonly string[],
    now: number,
    entry?: (d: Dispute) => AuditInput,
  ): Promise<Dispute | undefined> {
    return this.#oneAtATime(id, () => this.#withdraw(id, subjects, now, entry));
  }

  async #withdraw(
    id: string,
    subjects: readonly string[],
    now: number,
    entry: ((d: Dispute) => AuditInput) | undefined,
  ): Promise<Dispute | undefined> {
    const r = this.#db.prepare('SELECT * FROM api_disputes WHERE id = ?').get(id) as DisputeRow | undefined;
    if (r === undefined) return undefined;
    const key = `${r.source}/${r.fact_id}`;
    const holder = (await this.#app.store.findFacts([{ source: r.source, id: r.fact_id }])).get(key)?.subject;
    if (!subjects.includes(holder ?? r.subject)) return undefined;
    const claimed = this.#db
      .transaction(() => {
        const c = this.#db
          .prepare(
            "UPDATE api_disputes SET status = 'withdrawn', resolved_at = ? WHERE id = ? AND status = 'open'",
          )
          .run(now, id);
        if (c.changes > 0 && entry)
          new ChainAppender(this.#db).append([entry(toDispute(seenBy(this.#row(id), subjects), now))]);
        return c;
      })
      .immediate();
    if (claimed.changes === 0) {
      throw new CredenceError(
        'CREDENCE_E_STATE',
        `dispute ${id} is no longer open: it was ${this.get(id, now).status}`,
        { field: 'id' },
      );
    }
    this.#load();
    return toDispute(seenBy(this.#row(id), subjects), now);
  }

  #row(id: string): DisputeRow {
    return this.#db.prepare('SELECT * FROM api_disputes WHERE id = ?').get(id) as DisputeRow;
  }

  /**
   * The upheld dispute's retraction of its fact, stored with the dispute's row closed (`close`) and
   * its entry in the retraction's batch, or none of them (a retraction refused stores neither).
   */
  async #retract(d: Dispute, now: number, close: DisputeClose, entry: AuditInput): Promise<void> {
    const taken = (r: ImportReceipt) => r.results[0]?.status !== 'rejected';
    const receipt = await this.#ingest.submit(
      [{ id: `dispute-${d.id}`, source: d.source, retracts: d.factId, occurredAt: formatInstant(now) }],
      { keyId: 'system', source: null },
      now,
      (r) => (taken(r) ? [entry] : undefined),
      (r) => (taken(r) ? { dispute: close } : undefined),
    );
    const r = receipt.results[0];
    if (r?.status === 'rejected') {
      throw new CredenceError(
        r.code ?? 'CREDENCE_E_INTERNAL',
        `cannot retract ${d.source}/${d.factId}: ${r.reason}`,
      );
    }
  }

  /**
   * Whether the disputed fact is still stored and not retracted: one deleted since under its
   * retention period (`credence purge`), or retracted by its source meanwhile, leaves an upheld
   * dispute nothing to retract.
   */
  async #stillCounts(d: Dispute): Promise<boolean> {
    const key = `${d.source}/${d.factId}`;
    const known = (await this.#app.store.findFacts([{ source: d.source, id: d.factId }])).get(key);
    return known !== undefined && !known.retracted;
  }
}

export function toDispute(r: DisputeRow, now: number): Dispute {
  return {
    id: r.id,
    kind: 'fact',
    subject: r.subject,
    source: r.source,
    factId: r.fact_id,
    reason: r.reason,
    openedAt: r.opened_at,
    dueAt: r.due_at,
    status: r.status,
    resolvedAt: r.resolved_at,
    note: r.note,
    overdue: r.status === 'open' && now > r.due_at,
  };
}
