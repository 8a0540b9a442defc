import type { App } from '../../app.js';
import { CredenceError, type ErrorCode } from '../../core/errors/index.js';
import { formatInstant } from '../../core/time/index.js';
import type { FactRef } from '../../store/store.js';
import { lineHash } from '../canonical.js';
import type { LineChunk, SourceLine } from '../jsonl-reader.js';
import { type IngestPipeline, versionedValidator } from '../pipeline.js';
import { specialSource } from '../special-fields.js';
import { isRejection, type Rejection, retentionAt } from '../validate.js';
import type { Mapping } from './load-mapping.js';
import { type FileMapping, mapFileAhead } from './map-file-thread.js';
import type { RowRefusal } from './row-values.js';

export interface ImportOptions {
  readonly mapping: Mapping;
  readonly file: string;
  /** The source the facts are recorded under (default: the mapping's). */
  readonly source?: string;
  /** Register mappings: snapshot or delta (default: the mapping's mode). */
  readonly mode?: 'snapshot' | 'delta';
  /** Register snapshots: the snapshot's date (default: the latest value of the mapping's asOf column). */
  readonly asOf?: number;
  /** `asOf` as the operator typed it, for messages: a date stands for midnight in the mapping's zone. */
  readonly asOfText?: string;
  readonly dryRun?: boolean;
  /** Register snapshots: make the removals even when they exceed the mapping's `maxRemovalShare`. */
  readonly allowMassRemoval?: boolean;
}

/** A refused row or fact, with the file line, the column and the reason. */
export interface ImportRefusal {
  readonly line: number;
  readonly column?: string;
  readonly code: ErrorCode;
  readonly reason: string;
}

export interface ImportReport {
  readonly source: string;
  readonly file: string;
  readonly mode: 'events' | 'snapshot' | 'delta' | 'grid';
  readonly dryRun: boolean;
  /** Snapshot date used, ISO (register snapshots only). */
  asOf?: string;
  rows: number;
  skipped: number;
  /**
   * Register snapshots with deletion dates: rows whose entry was already past its deletion date
   * at the snapshot's date, so never stored (docs/sources.md §4). Absent when there were none.
   */
  pastDeletion?: number;
  /**
   * Rows read and accepted that called for no fact (an entry as already held, a delta update that
   * changes nothing). Rows: skipped + rowsRefused + unchanged + pastDeletion + the rows that gave
   * facts.
   */
  unchanged: number;
  /** Rows refused (each once). */
  rowsRefused: number;
  /** Facts the rows called for, in all and by event type: accepted + duplicates + factsRefused. */
  facts: number;
  factsByType: Record<string, number>;
  /** New facts stored (in a dry run: that would be). */
  accepted: number;
  /** Facts already stored (a re-import). */
  duplicates: number;
  /** Facts the rows called for that ingest refused (a conflict, past retention, dated ahead). */
  factsRefused: number;
  /** Every refusal: rows refused, facts refused, and removals withheld (the exit code follows it). */
  refused: number;
  /**
   * New people (absent from a dry run: telling new people from known ones is identity resolution,
   * which a dry run does not do; 0 there would read as "nobody new").
   */
  subjectsCreated?: number;
}

export interface ImportListener {
  refused?(r: ImportRefusal): void;
  progress?(bytes: number, rows: number): void;
  /** Dry run: a fact that would be created (the first few are worth showing). */
  wouldCreate?(line: SourceLine): void;
}

// Facts are handed to the pipeline in chunks of about this many lines.
const CHUNK = 5000;

/** Where a fact field came from, to point a refusal at the file's column. */
function columnIndex(m: Mapping): Map<string, string> {
  const idx = new Map<string, string>();
  for (const [k, c] of Object.entries(m.subject))
    if (c.columns[0]) idx.set(`subject.${k}`, c.columns.join('|'));
  for (const [k, c] of Object.entries(m.data)) if (c.columns[0]) idx.set(`data.${k}`, c.columns.join('|'));
  if (m.shape === 'events') {
    for (const f of Object.values(m.dataByType))
      for (const [k, c] of Object.entries(f)) if (c.columns[0]) idx.set(`data.${k}`, c.columns.join('|'));
    if (m.id.columns[0]) idx.set('id', m.id.columns[0]);
    if (m.at.columns[0]) idx.set('occurredAt', m.at.columns[0]);
    if (m.type.columns[0]) idx.set('type', m.type.columns[0]);
  } else if (m.shape === 'register') {
    idx.set('id', m.key.join(', '));
    if (m.listed.at.columns[0]) idx.set('occurredAt', m.listed.at.columns[0]);
  } else {
    idx.set('id', `${m.key.join(', ')}, ${m.column}`);
    idx.set('occurredAt', m.column);
    idx.set('data.amount', m.amount.columns[0] ?? 'amount');
  }
  return idx;
}

/** Checks the mapping against the loaded programs before any row is read. */
function checkTypes(app: App, m: Mapping): void {
  // Any version that may score a fact from now on: in force now, or loaded for later.
  const now = Date.now();
  const known = app.programs.catalogAt(now, now).types;
  const unknown = m.types.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new CredenceError(
      'CREDENCE_E_MAPPING_INVALID',
      `${m.file}: no loaded program declares ${unknown.map((t) => `"${t}"`).join(', ')} (load a program that does, e.g. \`credence program load examples/programs/city-civic.yaml\`)`,
      { file: m.file, path: 'types' },
    );
  }
}

/**
 * Imports one furnisher file through a source mapping: rows become facts (one per row, one per
 * month of a repayment grid, or the listings, updates and removals a register snapshot or delta
 * calls for), and the facts go through the same ingest pipeline as `credence ingest`: validation,
 * deduplication on (source, id), resolution, scoring, one transaction per batch. Fact ids are
 * derived from the rows, so re-importing a file changes nothing and a crashed import, run again,
 * finishes the job. With `dryRun`, nothing is written: the report counts what would be created,
 * what is already there and what is refused.
 *
 * @example
 * const report = await importSource(app, createIngest(app), { mapping, file: 'court.csv' });
 */
export async function importSource(
  app: App,
  pipeline: IngestPipeline | undefined,
  opts: ImportOptions,
  listener: ImportListener = {},
): Promise<ImportReport> {
  return startImport(app, opts).run(pipeline, listener);
}

/** An import whose file is being mapped already; `run` ingests it, `cancel` gives it up. */
export interface ImportRun {
  run(pipeline: IngestPipeline | undefined, listener?: ImportListener): Promise<ImportReport>;
  cancel(): Promise<void>;
}

/**
 * Checks an import and starts mapping its file (on a worker thread when there is one), so that
 * the caller can load the ingest pipeline meanwhile; see `importSource`.
 *
 * @example
 * const pending = startImport(app, { mapping, file: 'court.csv' });
 * const report = await pending.run(createIngest(app));
 */
export function startImport(app: App, opts: ImportOptions): ImportRun {
  const m = opts.mapping;
  const source = opts.source ?? m.source;
  if (source.includes('/'))
    throw new CredenceError('CREDENCE_E_USAGE', 'a source name must not contain "/"', { field: 'SOURCE' });
  // Facts are known by (source, id): " pay " would be a source of its own, and the same export
  // imported under it would store every fact again. An empty name would be refused on every row.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (source.trim() !== source || source === '' || /[\u0000-\u001f\u007f]/.test(source))
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `a source name must be non-empty, without spaces around it or control characters, got ${JSON.stringify(source)}`,
      { field: 'SOURCE' },
    );
  // The hard line: every fact of such a source would be refused at the door, once per row.
  const specialName = specialSource(source);
  if (specialName)
    throw new CredenceError(
      'CREDENCE_E_FACT_PROHIBITED',
      `no fact is imported under this source`,
      {
        field: 'SOURCE',
      },
      [{ code: 'CREDENCE_E_FACT_PROHIBITED', field: 'SOURCE', reason: specialName }],
    );
  checkTypes(app, m);
  const mode = m.shape === 'register' ? (opts.mode ?? m.mode) : m.shape;
  if (opts.mode && m.shape !== 'register') {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `--mode applies to register sources; ${m.file} maps ${m.shape}`,
      { field: '--mode' },
    );
  }
  // A delta's rows and an export's rows carry their own dates: an --as-of would date nothing.
  if (opts.asOf !== undefined && mode !== 'snapshot') {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `--as-of dates a register snapshot; ${mode === 'delta' ? "a delta's rows" : `${m.file}'s rows`} carry their own dates`,
      { field: '--as-of' },
    );
  }
  // Only a snapshot removes entries by leaving them out: the flag would say nothing elsewhere.
  if (opts.allowMassRemoval === true && mode !== 'snapshot') {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `--allow-mass-removal applies to register snapshots; ${mode === 'delta' ? 'a delta names each removal' : `${m.file} maps ${mode}`}`,
      { field: '--allow-mass-removal' },
    );
  }
  // The snapshot's removals are dated by it: dated ahead, each would be refused as a fact in the
  // future (and a removal is what lifts a flag). As a snapshot date read from the file is refused.
  if (opts.asOf !== undefined && opts.asOf > Date.now()) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `--as-of ${opts.asOfText !== undefined ? JSON.stringify(opts.asOfText) : formatInstant(opts.asOf)} is in the future, so it cannot date the snapshot: a snapshot lists what the register held on a day that has come`,
      { field: '--as-of' },
    );
  }
  if (m.shape === 'register' && mode === 'delta' && !m.action) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${m.file} names no action column, so it cannot read deltas`,
      {
        field: '--mode',
      },
    );
  }
  const file = opts.file;
  // A register row whose listing ingest will refuse as past retention gives nothing else.
  const now = Date.now();
  const retention: Record<string, number> = {};
  if (m.shape === 'register')
    for (const [type, r] of retentionAt(app.programs, now)) retention[type] = now - r.retainMs;
  const parts = mapFileAhead({
    mapping: m,
    file,
    source,
    mode,
    ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
    dbPath: app.dbPath,
    retention,
    ...(opts.allowMassRemoval ? { allowMassRemoval: true } : {}),
  });
  return {
    cancel: () => parts.stop(),
    run: (pipeline, listener = {}) => ingestParts(app, pipeline, opts, { source, mode, parts }, listener),
  };
}

async function ingestParts(
  app: App,
  pipeline: IngestPipeline | undefined,
  opts: ImportOptions,
  { source, mode, parts }: { source: string; mode: ImportReport['mode']; parts: FileMapping },
  listener: ImportListener,
): Promise<ImportReport> {
  const m = opts.mapping;
  const dryRun = opts.dryRun === true || pipeline === undefined;
  const report: ImportReport = {
    source,
    file: opts.file,
    mode,
    dryRun,
    rows: 0,
    skipped: 0,
    unchanged: 0,
    rowsRefused: 0,
    facts: 0,
    factsByType: {},
    accepted: 0,
    duplicates: 0,
    factsRefused: 0,
    refused: 0,
    ...(dryRun ? {} : { subjectsCreated: 0 }),
  };
  const columns = columnIndex(m);
  const refuse = (r: ImportRefusal): void => {
    report.refused++;
    listener.refused?.(r);
  };
  const fromRow = (r: RowRefusal): void =>
    refuse({
      line: r.line,
      ...(r.column ? { column: r.column } : {}),
      code: 'CREDENCE_E_ROW_INVALID',
      reason: r.reason,
    });
  const fromPipeline = (r: Rejection): void => {
    report.factsRefused++;
    const column = r.field ? (columns.get(r.field) ?? r.field) : undefined;
    refuse({ line: r.line, ...(column ? { column } : {}), code: r.code, reason: r.reason });
  };

  async function* facts(): AsyncGenerator<LineChunk> {
    for await (const part of parts) {
      if ('asOf' in part) {
        report.asOf = new Date(part.asOf).toISOString();
        continue;
      }
      report.rows += part.rows;
      report.skipped += part.skipped;
      report.unchanged += part.unchanged ?? 0;
      report.rowsRefused += part.rowsRefused ?? 0;
      if (part.pastDeletion) report.pastDeletion = (report.pastDeletion ?? 0) + part.pastDeletion;
      for (const r of part.refusals) fromRow(r);
      if (part.rows > 0) listener.progress?.(part.bytes, report.rows);
      for (const [t, n] of Object.entries(part.factsByType))
        report.factsByType[t] = (report.factsByType[t] ?? 0) + n;
      report.facts += part.lines.length;
      for (let i = 0; i < part.lines.length; i += CHUNK)
        yield { lines: part.lines.slice(i, i + CHUNK), bytes: part.bytes };
    }
  }

  try {
    if (dryRun) {
      // Every fact of the run so far, by key: a repeated id chunks apart is a conflict too.
      const seen: DryRunSeen = new Map();
      for await (const chunk of facts())
        await dryRunChunk(app, chunk.lines, report, fromPipeline, listener, seen);
      return report;
    }
    const p = pipeline as IngestPipeline;
    const before = { ...p.counts };
    await p.ingest(facts(), { rejected: fromPipeline });
    report.accepted = p.counts.accepted - before.accepted;
    report.duplicates = p.counts.duplicates - before.duplicates;
    report.subjectsCreated = p.counts.subjectsCreated - before.subjectsCreated;
    return report;
  } finally {
    // An interrupted or failed import stops the mapping thread too.
    await parts.stop();
  }
}

/** The facts a dry run would create so far: each key's line digest and line. */
type DryRunSeen = Map<string, { readonly hash: string; readonly line: number }>;

/**
 * A dry run validates each fact as ingest would and looks up which are already stored. A fact
 * whose id came earlier in the file with another body is refused in the words of the real
 * import, naming that line: the run's `seen` spans its chunks (it was one chunk's, so a repeat
 * 5,000 rows apart passed as new).
 */
async function dryRunChunk(
  app: App,
  lines: readonly SourceLine[],
  report: ImportReport,
  refuse: (r: Rejection) => void,
  listener: ImportListener,
  seen: DryRunSeen,
): Promise<void> {
  const ok: { line: SourceLine; key: string; hash: string; ref: FactRef }[] = [];
  const judge = versionedValidator(app.programs, Date.now());
  for (const line of lines) {
    const v = judge(line);
    if (isRejection(v)) refuse(v);
    else ok.push({ line, key: v.key, hash: lineHash(line.text), ref: v });
  }
  const known = await app.store.findFacts(ok.map((o) => o.ref));
  for (const o of ok) {
    const earlier = seen.get(o.key);
    const prior = known.get(o.key)?.hash ?? earlier?.hash;
    if (prior === undefined) {
      seen.set(o.key, { hash: o.hash, line: o.line.line });
      report.accepted++;
      listener.wouldCreate?.(o.line);
    } else if (prior === o.hash) report.duplicates++;
    else {
      refuse({
        file: o.line.file,
        line: o.line.line,
        code: 'CREDENCE_E_FACT_CONFLICT',
        field: 'id',
        reason: `${o.ref.source} already sent a different fact with id "${o.ref.id}"${known.has(o.key) || earlier === undefined ? '' : ` (line ${earlier.line})`}`,
        text: o.line.text,
      });
    }
  }
}
