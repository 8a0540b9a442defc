import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type App, createIngest } from '../../app.js';
import type { ErrorCode } from '../../core/errors/index.js';
import { CredenceError } from '../../core/errors/index.js';
import type { SourceLine } from '../../ingest/jsonl-reader.js';
import type { IngestPipeline } from '../../ingest/pipeline.js';
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

/** Event types only Credence writes (consent changes); furnishers may not send them. */
export const RESERVED_PREFIX = 'credence.';

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
  readonly #app: App;
  readonly #queue = new SerialQueue();
  #pipeline: IngestPipeline;
  readonly #insertImport: Database.Statement;
  readonly #getImport: Database.Statement;

  constructor(app: App, programs: ProgramHolder, db: Database.Database) {
    this.#app = app;
    this.#pipeline = this.#newPipeline(programs);
    programs.onChange(() => {
      this.#pipeline = this.#newPipeline(programs);
    });
    this.#insertImport = db.prepare(
      `INSERT INTO api_imports (id, key_id, source, received_at, lines, accepted, duplicates, rejected, rejections)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#getImport = db.prepare('SELECT * FROM api_imports WHERE id = ?');
  }

  #newPipeline(programs: ProgramHolder): IngestPipeline {
    return createIngest({ ...this.#app, programs: programs.current }, { batchSize: 10_000 });
  }

  /** Runs a task in the ingest queue (program activation re-derives ledgers there). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#queue.run(task);
  }

  /**
   * Ingests one batch. `source`, when given (a furnisher key), is the only source the facts may
   * name; a fact naming another is refused and the rest of the batch goes on.
   */
  submit(
    facts: readonly unknown[],
    by: { readonly keyId: string; readonly source: string | null; readonly consent?: boolean },
    now: number,
  ): Promise<ImportReceipt> {
    return this.#queue.run(() => this.#submit(facts, by, now));
  }

  async #submit(
    facts: readonly unknown[],
    by: { readonly keyId: string; readonly source: string | null; readonly consent?: boolean },
    now: number,
  ): Promise<ImportReceipt> {
    const importId = randomUUID();
    const results: (FactResult | undefined)[] = new Array(facts.length);
    const lines: SourceLine[] = [];
    const refs: { source: string; id: string }[] = [];
    facts.forEach((f, i) => {
      const ref = refOf(f);
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
      lines.push({ file: `import ${importId}`, line: i + 1, text: JSON.stringify(f) ?? 'null' });
      if (ref.source !== undefined && ref.id !== undefined) refs.push({ source: ref.source, id: ref.id });
    });
    const known = await this.#app.store.findFacts(refs);
    await this.#pipeline.ingestBatch(lines, {
      rejected: (r) => {
        const i = r.line - 1;
        results[i] = {
          index: i,
          ...refOf(facts[i]),
          status: 'rejected',
          code: r.code,
          ...(r.field !== undefined ? { field: r.field } : {}),
          reason: r.reason,
        };
      },
    });
    const seen = new Set<string>();
    for (const line of lines) {
      const i = line.line - 1;
      if (results[i]) continue;
      const ref = refOf(facts[i]);
      const key = `${ref.source}/${ref.id}`;
      results[i] = { index: i, ...ref, status: known.has(key) || seen.has(key) ? 'duplicate' : 'accepted' };
      seen.add(key);
    }
    const done = results as FactResult[];
    const counts = {
      facts: facts.length,
      accepted: done.filter((r) => r.status === 'accepted').length,
      duplicates: done.filter((r) => r.status === 'duplicate').length,
      rejected: done.filter((r) => r.status === 'rejected').length,
    };
    this.#insertImport.run(
      importId,
      by.keyId,
      by.source,
      now,
      counts.facts,
      counts.accepted,
      counts.duplicates,
      counts.rejected,
      JSON.stringify(done.filter((r) => r.status === 'rejected')),
    );
    return { importId, receivedAt: now, counts, results: done };
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
