import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type App, createIngest } from '../../app.js';
import type { AuditInput, AuditLog } from '../../audit/index.js';
import type { ErrorCode } from '../../core/errors/index.js';
import { CredenceError } from '../../core/errors/index.js';
import { nestedDeeperThan } from '../../ingest/json-keys.js';
import type { SourceLine } from '../../ingest/jsonl-reader.js';
import type { IngestPipeline } from '../../ingest/pipeline.js';
import { deepRefusal, type Rejection } from '../../ingest/validate.js';
import { INSERT_IMPORT, importArgs } from '../../store/sqlite/batch-record.js';
import { closeDisputeRow } from '../../store/sqlite/dispute-close.js';
import { storedMeanwhile } from '../../store/sqlite/sqlite-commit.js';
import type { BatchRecord, ImportRecord } from '../../store/store.js';
import type { DataWatch } from './data-watch.js';
import type { ProgramHolder } from './program-holder.js';
import { SerialQueue } from './serial-queue.js';

/** What became of one fact of a batch. */
export interface FactResult {
  readonly index: number;
  readonly source?: string;
  readonly id?: string;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly code?: ErrorCode;
  readonly field?: string;
  readonly reason?: string;
}

export interface ImportReceipt {
  readonly importId: string;
  readonly receivedAt: number;
  readonly counts: {
    readonly facts: number;
    readonly accepted: number;
    readonly duplicates: number;
    readonly rejected: number;
  };
  readonly results: readonly FactResult[];
}

/** The audit entries that record a batch, worded from its receipt, in order. */
export type BatchEntries = (r: ImportReceipt) => readonly AuditInput[] | undefined;

/**
 * What else a batch's transaction stores, worded from its receipt: the fact dispute its retraction
 * answers (`BatchRecord.dispute`).
 */
export type BatchAlso = (r: ImportReceipt) => Pick<BatchRecord, 'dispute'> | undefined;

/** Who sends a batch: the key, the one source it may name (none: any), and whether it may change consent. */
interface Submitter {
  readonly keyId: string;
  readonly source: string | null;
  readonly consent?: boolean;
}

/** A judged batch: its receipt, its refusals, and whether its row and entry went with its commit. */
interface Judged {
  readonly receipt: ImportReceipt;
  readonly rejections: FactResult[];
  readonly recorded: boolean;
}

/** The import's row as `api_imports` keeps it. */
function importRecord(r: ImportReceipt, by: Submitter, rejections: readonly FactResult[]): ImportRecord {
  return {
    id: r.importId,
    keyId: by.keyId,
    source: by.source,
    receivedAt: r.receivedAt,
    lines: r.counts.facts,
    accepted: r.counts.accepted,
    duplicates: r.counts.duplicates,
    rejected: r.counts.rejected,
    rejections: JSON.stringify(rejections),
  };
}

export interface ImportStatus {
  readonly importId: string;
  readonly keyId: string;
  readonly source: string | null;
  readonly receivedAt: number;
  readonly status: 'committed';
  readonly counts: ImportReceipt['counts'];
  readonly rejections: readonly FactResult[];
}

interface ImportRow {
  id: string;
  key_id: string;
  source: string | null;
  received_at: number;
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejections: string;
}

/**
 * Whether anyone but the server's own ingest changed what the pipeline holds since `clear`:
 * `ForeignWrites` (triggers that skip the server's writer), else `data_version` (which every
 * commit moves, the server's own batches included).
 */
export interface WriteWatch {
  written(): boolean;
  clear(): void;
}

/** Event types only Credence writes (consent changes); furnishers may not send them. */
export const RESERVED_PREFIX = 'credence.';

/**
 * How often a batch is judged when other processes keep storing its person ids or facts first
 * (`storedMeanwhile`).
 */
const STORED_MEANWHILE_ATTEMPTS = 5;

/** The source Credence's own facts (consent changes) carry. */
export const CREDENCE_SOURCE = 'credence';

const refOf = (v: unknown): { source?: string; id?: string } => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
  const o = v as Record<string, unknown>;
  return {
    ...(typeof o.source === 'string' ? { source: o.source } : {}),
    ...(typeof o.id === 'string' ? { id: o.id } : {}),
  };
};

/**
 * Facts over HTTP through the same ingest pipeline as `credence ingest`: one batch, one
 * transaction, a result per fact. Batches run one at a time (the pipeline holds state between
 * awaits). Re-sending a batch is a no-op per fact (`duplicate`), so a client may retry freely.
 *
 * @example
 * const r = await ingest.submit([fact], { keyId: 'k1', source: 'shop' }, Date.now());
 */
export class IngestService {
  readonly #clock: () => number;
  readonly #app: App;
  readonly #queue = new SerialQueue();
  readonly #programs: ProgramHolder;
  #pipeline: IngestPipeline;
  readonly #insertImport: Database.Statement;
  readonly #getImport: Database.Statement;
  readonly #db: Database.Database;
  readonly #audit: AuditLog;
  readonly #writes: WriteWatch | undefined;
  readonly #commits: DataWatch | undefined;
  /** The programs changed: the next batch starts a pipeline over the new set. */
  #programsMoved = false;

  /**
   * `app.store` may be a write-behind store (its commits applied on a writer thread): the next
   * batch is then judged while the last one is written, and each request still answers only
   * once its own batch is stored (`settled`). `writes`, when given, says when another writer
   * changed what the pipeline holds (`#sync`). `commits`, when given, is read once each batch is
   * stored, so what this process holds in memory (a person's cached score) follows the batch at once.
   */
  constructor(
    app: App,
    programs: ProgramHolder,
    db: Database.Database,
    audit: AuditLog,
    clock: () => number = Date.now,
    writes?: WriteWatch,
    commits?: DataWatch,
  ) {
    this.#clock = clock;
    this.#app = app;
    this.#db = db;
    this.#audit = audit;
    this.#programs = programs;
    this.#writes = writes;
    this.#commits = commits;
    writes?.clear();
    this.#pipeline = this.#newPipeline();
    // Replaced at the next batch, in the queue and once the last batch is stored (`#sync`): a
    // batch being judged keeps the set it started with.
    programs.onChange(() => {
      this.#programsMoved = true;
    });
    this.#insertImport = db.prepare(INSERT_IMPORT);
    this.#getImport = db.prepare('SELECT * FROM api_imports WHERE id = ?');
  }

  #newPipeline(): IngestPipeline {
    // The server clock dates what is stored, as it dates the import (`receivedAt`): one time source.
    return createIngest(
      { ...this.#app, programs: this.#programs.current },
      { batchSize: 10_000, now: this.#clock },
    );
  }

  /**
   * Runs a task in the ingest queue with every batch stored first (program activation re-derives
   * ledgers there, identity decisions move facts); the pipeline's in-memory people and resolver
   * are dropped after it, since the task may have changed what they hold.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      await this.#pipeline.flush();
      try {
        const out = await task();
        // What the task wrote through a write-behind store is stored before anyone is told.
        await this.#app.store.flush?.();
        // And read at once, as a batch's commit is (`#judgeAndStore`): a split whose entries went
        // with it is answered in the same turn, and the next request in it saw scores cached before.
        this.#commits?.read();
        return out;
      } catch (e) {
        // The task's error is the one to report; a write of it still in flight is let go.
        await this.#app.store.flush?.().catch(() => undefined);
        throw e;
      } finally {
        // The task's own writes are read by the new pipeline (it reads nothing until its first
        // batch), as anyone else's would be.
        this.#programsMoved = false;
        this.#pipeline = this.#newPipeline();
        this.#markSynced();
      }
    });
  }

  /**
   * Before a batch is judged (in the queue): when another writer changed what the pipeline holds
   * since it was started, the batch is judged by a new pipeline, once every batch before it is
   * stored. The pipeline holds people (their facts, consents and scoring states), the identity
   * engine and the next person number between batches; another process's commit — an opt-out, a
   * person created, a merge or split, a purge, a rulebook version — makes them wrong, and a fact
   * judged by them could be filed under a forgotten or absorbed person, take an id already given,
   * or store a ledger for someone who opted out. The new pipeline restores nothing up front: each
   * batch reads its people, and the engine restores only the batch's candidates when that is
   * cheaper than restoring everyone (docs/identity.md, "Scale").
   *
   * A commit that lands while a batch is being judged is seen by the next batch: the one being
   * judged read what it read before, as a batch of `credence ingest` running beside another would.
   */
  async #sync(): Promise<void> {
    if (!this.#programsMoved && !this.#writes?.written()) return;
    await this.#pipeline.flush();
    this.#markSynced();
    this.#programsMoved = false;
    this.#pipeline = this.#newPipeline();
  }

  /** What is stored now is what the pipeline reads from here on (before it reads anything). */
  #markSynced(): void {
    this.#writes?.clear();
  }

  /**
   * Ingests one batch. `source`, when given (a furnisher key), is the only source the facts may
   * name; a fact naming another is refused and the rest of the batch goes on. `record` words the
   * batch's audit entries from its receipt, in order (none when it gives none); `also`, what else
   * its transaction stores (an upheld dispute's row, with the dispute's retraction).
   *
   * The import's row and its entry are stored in the batch's own transaction, with its facts: a
   * server killed at any point leaves all three in the file or none of them (the client then sends
   * the batch again). A batch that stores nothing (every fact refused or already stored) commits
   * nothing; its row, entry and `also` are then written here once it is judged, in one transaction.
   */
  async submit(
    facts: readonly unknown[],
    by: Submitter,
    now: number,
    record?: BatchEntries,
    also?: BatchAlso,
  ): Promise<ImportReceipt> {
    const { receipt, rejections, recorded } = await this.#judgeAndStore(facts, by, now, record, also);
    if (recorded) return receipt;
    // On this connection, before the next batch is handed to the writer thread: written later, it
    // would wait for that batch's lock, blocking the loop.
    const entries = record?.(receipt) ?? [];
    const more = also?.(receipt);
    const sync = this.#audit.appendSync?.bind(this.#audit);
    this.#db.transaction(() => {
      if (more?.dispute) closeDisputeRow(this.#db, more.dispute);
      const i = importRecord(receipt, by, rejections);
      this.#insertImport.run(...importArgs(i));
      if (sync) for (const e of entries) sync(e);
    })();
    if (!sync) await this.#audit.appendMany(entries);
    return receipt;
  }

  /**
   * Judges and stores one batch, judging it again when another process writing to the file (a
   * second server, a CLI ingest) gave a person id this batch gave, or stored a fact this batch
   * judged new (the same batch sent to both servers): that batch was refused whole,
   * and the client would only be told to send it again. A new pipeline reads what is stored,
   * so the second judging numbers afresh and finds what the other process stored meanwhile
   * (duplicates). Bounded: a client still gets the 409 if the file keeps moving under it.
   */
  async #judgeAndStore(
    facts: readonly unknown[],
    by: Submitter,
    now: number,
    record: BatchEntries | undefined,
    also: BatchAlso | undefined,
  ): Promise<Judged> {
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.#queue.run(async () => {
          await this.#sync();
          return this.#submit(facts, by, now, record, also);
        });
        // Outside the queue: the next batch is judged while this one is written.
        await this.#app.store.settled?.();
        // Its commit is read now, not at the next turn of the event loop (`DataWatch.turn`): the
        // request answered next in this turn (in-process callers; the one that sent it) saw the
        // person's score cached before it, and a person who had just opted in or out was answered
        // as before the change.
        this.#commits?.read();
        return out;
      } catch (e) {
        await this.#queue.run(async () => {
          // The failure is this batch's own (reported to it by `settled`) or came to it from the
          // batch before; either way nothing after that batch was stored, and what the pipeline
          // holds (the next person number, the people it created) is wrong. The failed batch is
          // let go here: left in the store, it failed the next request too, whatever it sent
          // (a batch refused whole when its audit entry could not be written, and then its resend).
          await this.#app.store.flush?.().catch(() => undefined);
          this.#programsMoved = false;
          this.#pipeline = this.#newPipeline();
          this.#markSynced();
        });
        if (!storedMeanwhile(e) || attempt >= STORED_MEANWHILE_ATTEMPTS) throw e;
      }
    }
  }

  async #submit(
    facts: readonly unknown[],
    by: Submitter,
    now: number,
    record: BatchEntries | undefined,
    also: BatchAlso | undefined,
  ): Promise<Judged> {
    const importId = randomUUID();
    const results: (FactResult | undefined)[] = new Array(facts.length);
    const lines: SourceLine[] = [];
    // Each fact's source and id, read once for its result whatever becomes of it.
    const refs = facts.map(refOf);
    facts.forEach((f, i) => {
      const ref = refs[i] as ReturnType<typeof refOf>;
      if (by.source !== null && ref.source !== undefined && ref.source !== by.source) {
        results[i] = {
          index: i,
          ...ref,
          status: 'rejected',
          code: 'CREDENCE_E_FORBIDDEN',
          field: 'source',
          reason: `this key furnishes facts of source "${by.source}", not "${ref.source}"`,
        };
        return;
      }
      const type = (f as { type?: unknown } | null)?.type;
      if (by.source !== null && !by.consent && typeof type === 'string' && type.startsWith(RESERVED_PREFIX)) {
        results[i] = {
          index: i,
          ...ref,
          status: 'rejected',
          code: 'CREDENCE_E_FORBIDDEN',
          field: 'type',
          reason: `"${type}" records a person's consent: only a key with the consent:write scope may send it`,
        };
        return;
      }
      // Thousands of levels deep, serialising it for the stored body would overflow the stack.
      if (nestedDeeperThan(f)) {
        const r = deepRefusal({ file: `import ${importId}`, line: i + 1, text: '' });
        results[i] = { index: i, ...ref, status: 'rejected', code: r.code, reason: r.reason };
        return;
      }
      // Parsed already (the request body): validation takes the value, the text is the stored body.
      lines.push({ file: `import ${importId}`, line: i + 1, text: JSON.stringify(f) ?? 'null', value: f });
    });
    const rejected = (r: Rejection): void => {
      const i = r.line - 1;
      results[i] = {
        index: i,
        ...refs[i],
        status: 'rejected',
        code: r.code,
        ...(r.field !== undefined ? { field: r.field } : {}),
        reason: batchWords(r.code, r.reason, facts, i),
      };
    };
    // Every fact's fate is known once the batch is judged: refused, a duplicate, else accepted.
    const judged = (): Omit<Judged, 'recorded'> => {
      for (const line of lines) {
        const i = line.line - 1;
        results[i] ??= { index: i, ...refs[i], status: 'accepted' };
      }
      const done = results as FactResult[];
      const counts = {
        facts: facts.length,
        accepted: done.filter((r) => r.status === 'accepted').length,
        duplicates: done.filter((r) => r.status === 'duplicate').length,
        rejected: done.filter((r) => r.status === 'rejected').length,
      };
      return {
        receipt: { importId, receivedAt: now, counts, results: done },
        rejections: done.filter((r) => r.status === 'rejected'),
      };
    };
    let recorded: Omit<Judged, 'recorded'> | undefined;
    await this.#pipeline.ingestBatch(lines, {
      rejected,
      duplicate: (line) => {
        const i = line.line - 1;
        results[i] = { index: i, ...refs[i], status: 'duplicate' };
      },
      // Asked only when the batch stores something, right before its commit: the receipt is then
      // complete, and its row and entry go into the batch's transaction.
      recordOf: (refused) => {
        for (const r of refused) rejected(r);
        recorded = judged();
        return {
          import: importRecord(recorded.receipt, by, recorded.rejections),
          audit: record?.(recorded.receipt) ?? [],
          ...also?.(recorded.receipt),
        };
      },
    });
    // What was recorded is what is answered (the refusals heard after the commit are the same).
    return recorded ? { ...recorded, recorded: true } : { ...judged(), recorded: false };
  }

  /** A past import's receipt; a furnisher sees only its own. */
  status(importId: string, keyId: string | null): ImportStatus {
    const r = this.#getImport.get(importId) as ImportRow | undefined;
    if (!r || (keyId !== null && r.key_id !== keyId)) {
      throw new CredenceError('CREDENCE_E_NOT_FOUND', `no import "${importId}" for this key`, {
        field: 'importId',
      });
    }
    return {
      importId: r.id,
      keyId: r.key_id,
      source: r.source,
      receivedAt: r.received_at,
      status: 'committed',
      counts: { facts: r.lines, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected },
      rejections: JSON.parse(r.rejections) as FactResult[],
    };
  }
}

/**
 * A reason the pipeline words for a file, worded for a batch: the pipeline points at the earlier
 * fact of a conflict by its line, which here is the fact's place in `facts` plus one, while the
 * results count from 0 (`index`). "(line 2)" sent a furnisher to the wrong fact. A retraction
 * sent before its fact in the same batch was told the fact was never sent, though it was, later:
 * facts are judged in order, so the retraction belongs after it.
 */
function batchWords(code: string, reason: string, facts: readonly unknown[], at: number): string {
  if (code === 'CREDENCE_E_FACT_CONFLICT') {
    return reason.replace(
      / \(line (\d+)\)$/,
      (_, line: string) => ` (facts[${Number(line) - 1}] of this batch)`,
    );
  }
  if (code !== 'CREDENCE_E_RETRACTION_UNKNOWN') return reason;
  const undo = facts[at] as { source?: unknown; retracts?: unknown };
  const later = facts.findIndex((f, k) => {
    const g = f as { source?: unknown; id?: unknown; retracts?: unknown } | null;
    return (
      k > at &&
      g !== null &&
      typeof g === 'object' &&
      g.retracts === undefined &&
      g.source === undo.source &&
      g.id === undo.retracts
    );
  });
  return later === -1
    ? reason
    : `${reason} before this retraction: it comes later, as facts[${later}] of this batch; send the retraction after the fact`;
}
