import type { App } from '../../app.js';
import { CredenceError, type ErrorCode } from '../../core/errors/index.js';
import {
  type EntryFactReader,
  openEntryFactReader,
  scanSourceFacts,
} from '../../store/sqlite/sqlite-source-facts.js';
import type { FactRef } from '../../store/store.js';
import { lineHash } from '../canonical.js';
import type { LineChunk, SourceLine } from '../jsonl-reader.js';
import type { IngestPipeline } from '../pipeline.js';
import { isRejection, type Rejection, validateLine } from '../validate.js';
import { openCsv } from './csv-reader.js';
import { type Mapping, mappingColumns, type RegisterMapping } from './load-mapping.js';
import {
  type EntryRow,
  isRefusal,
  type MappedFact,
  mapEntryRow,
  mapEventRow,
  mapGridRow,
} from './map-row.js';
import { deltaFacts, deriveEntryStates, type EntryState, SnapshotDiff } from './register-diff.js';
import { cellValue, type Header, headerOf, parseWhen, type RowRefusal } from './row-values.js';

export interface ImportOptions {
  readonly mapping: Mapping;
  readonly file: string;
  /** The source the facts are recorded under (default: the mapping's). */
  readonly source?: string;
  /** Register mappings: snapshot or delta (default: the mapping's mode). */
  readonly mode?: 'snapshot' | 'delta';
  /** Register snapshots: the snapshot's date (default: the latest value of the mapping's asOf column). */
  readonly asOf?: number;
  readonly dryRun?: boolean;
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
  /** Facts the rows called for, in all and by event type. */
  facts: number;
  factsByType: Record<string, number>;
  /** New facts stored (in a dry run: that would be). */
  accepted: number;
  /** Facts already stored (a re-import). */
  duplicates: number;
  refused: number;
  subjectsCreated: number;
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
  const unknown = m.types.filter((t) => !app.programs.catalog.types.has(t));
  if (unknown.length > 0) {
    throw new CredenceError(
      'CREDENCE_E_MAPPING_INVALID',
      `${m.file}: no loaded program declares ${unknown.map((t) => `"${t}"`).join(', ')} (load a program that does, e.g. \`credence program load examples/programs/city-civic.yaml\`)`,
      { file: m.file, path: 'types' },
    );
  }
}

function checkHeader(m: Mapping, header: Header, file: string, mode: string): void {
  const want = mappingColumns(m);
  if (m.shape === 'register' && mode === 'delta' && m.action) want.push(m.action.column);
  const missing = want.filter((c) => !header.has(c));
  if (missing.length > 0) {
    throw new CredenceError(
      'CREDENCE_E_ROW_INVALID',
      `${file}: the header lacks column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that ${m.file} reads`,
      { file, line: 1 },
      missing.map((c) => ({
        code: 'CREDENCE_E_ROW_INVALID',
        file,
        line: 1,
        field: c,
        reason: 'missing column',
      })),
    );
  }
}

/** The latest value of the mapping's asOf column: a snapshot's date when none is given. */
async function snapshotDate(m: RegisterMapping, file: string): Promise<number> {
  const spec = m.asOf;
  if (!spec) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${m.file} names no asOf column: give the snapshot's date with --as-of`,
      {
        field: '--as-of',
      },
    );
  }
  let header: Header | undefined;
  let latest = Number.NEGATIVE_INFINITY;
  for await (const chunk of openCsv(file, m.delimiter)) {
    for (const row of chunk.rows) {
      if (!header) {
        header = headerOf(row.cells);
        continue;
      }
      try {
        const v = cellValue(header, row.cells, spec);
        const ms = v === undefined ? undefined : parseWhen(String(v), m.timeZone);
        if (ms !== undefined && ms > latest) latest = ms;
      } catch {
        // A bad cell is refused when the row is mapped; it cannot date the snapshot.
      }
    }
  }
  if (!Number.isFinite(latest)) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${file}: no row dates the snapshot; give its date with --as-of`,
      {
        field: '--as-of',
      },
    );
  }
  return latest;
}

const toLine = (file: string, source: string, f: MappedFact): SourceLine => ({
  file,
  line: f.line,
  text: JSON.stringify({
    id: f.id,
    source,
    type: f.type,
    occurredAt: new Date(f.at).toISOString(),
    subject: f.subject,
    data: f.data,
  }),
});

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
  const m = opts.mapping;
  const source = opts.source ?? m.source;
  if (source.includes('/'))
    throw new CredenceError('CREDENCE_E_USAGE', 'a source name must not contain "/"', { field: 'SOURCE' });
  checkTypes(app, m);
  const mode = m.shape === 'register' ? (opts.mode ?? m.mode) : m.shape;
  if (opts.mode && m.shape !== 'register') {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `--mode applies to register sources; ${m.file} maps ${m.shape}`,
      { field: '--mode' },
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
  const dryRun = opts.dryRun === true || pipeline === undefined;
  const report: ImportReport = {
    source,
    file: opts.file,
    mode,
    dryRun,
    rows: 0,
    skipped: 0,
    facts: 0,
    factsByType: {},
    accepted: 0,
    duplicates: 0,
    refused: 0,
    subjectsCreated: 0,
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
    const column = r.field ? (columns.get(r.field) ?? r.field) : undefined;
    refuse({ line: r.line, ...(column ? { column } : {}), code: r.code, reason: r.reason });
  };

  let states: Map<string, EntryState> | undefined;
  let diff: SnapshotDiff | undefined;
  if (m.shape === 'register') {
    if (mode === 'snapshot') {
      const asOf = opts.asOf ?? (await snapshotDate(m, opts.file));
      report.asOf = new Date(asOf).toISOString();
      const types = [m.listed.type, m.removed.type, ...(m.updated ? [m.updated.type] : [])];
      states = deriveEntryStates(m, scanSourceFacts(app.dbPath, source, types));
      diff = new SnapshotDiff(m, states, asOf);
    } else {
      states = new Map();
    }
  }

  // Delta files: entries are looked up as their rows come (opened on first use, closed at the end).
  let entryReader: EntryFactReader | undefined;
  const file = opts.file;
  async function* facts(): AsyncGenerator<LineChunk> {
    let header: Header | undefined;
    let bytes = 0;
    for await (const chunk of openCsv(file, m.delimiter)) {
      bytes = chunk.bytes;
      let rows = chunk.rows;
      if (!header) {
        const first = rows[0];
        if (!first) continue;
        header = headerOf(first.cells);
        checkHeader(m, header, file, mode);
        rows = rows.slice(1);
      }
      const out: MappedFact[] = [];
      const entries: EntryRow[] = [];
      for (const row of rows) {
        report.rows++;
        if (m.shape === 'events') {
          const v = mapEventRow(m, header, row.line, row.cells);
          if (v === 'skip') report.skipped++;
          else if (isRefusal(v)) fromRow(v);
          else out.push(v);
        } else if (m.shape === 'grid') {
          const v = mapGridRow(m, header, row.line, row.cells);
          if (v === 'skip') report.skipped++;
          else if (isRefusal(v)) fromRow(v);
          else out.push(...v);
        } else {
          const v = mapEntryRow(m, header, row.line, row.cells, mode === 'delta' ? 'delta' : 'snapshot');
          if (v === 'skip') report.skipped++;
          else if (isRefusal(v)) fromRow(v);
          else entries.push(v);
        }
      }
      if (m.shape === 'register' && states) {
        if (diff) {
          for (const e of entries) {
            const v = diff.row(e);
            if (isRefusal(v)) fromRow(v);
            else out.push(...v);
          }
        } else {
          entryReader ??= openEntryFactReader(app.dbPath, source);
          knownEntries(entryReader, m, states, entries);
          for (const e of entries) {
            const v = deltaFacts(m, states, e);
            if (isRefusal(v)) fromRow(v);
            else out.push(...v);
          }
        }
      }
      listener.progress?.(bytes, report.rows);
      for (let i = 0; i < out.length; i += CHUNK) {
        const part = out.slice(i, i + CHUNK);
        for (const f of part) report.factsByType[f.type] = (report.factsByType[f.type] ?? 0) + 1;
        const lines = part.map((f) => toLine(file, source, f));
        report.facts += lines.length;
        yield { lines, bytes };
      }
    }
    if (!header)
      throw new CredenceError('CREDENCE_E_ROW_INVALID', `${file} is empty: a header row is needed`, { file });
    if (diff) {
      const gone = diff.finish();
      for (const f of gone) report.factsByType[f.type] = (report.factsByType[f.type] ?? 0) + 1;
      const removals = gone.map((f) => toLine(`${file} (entries no longer listed)`, source, f));
      report.facts += removals.length;
      for (let i = 0; i < removals.length; i += CHUNK) yield { lines: removals.slice(i, i + CHUNK), bytes };
    }
  }

  try {
    if (dryRun) {
      for await (const chunk of facts()) await dryRunChunk(app, chunk.lines, report, fromPipeline, listener);
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
    entryReader?.close();
  }
}

/**
 * What the store holds about the entries a chunk of delta rows names and the file has not
 * mentioned yet: their state derived from their own stored facts, as a snapshot derives it. The
 * listing alone is not enough: an entry removed by an earlier file and listed again by this one
 * would look live, and its relisting would pass for a re-sent listing (a silent duplicate).
 * Entries met earlier in the file are already in `states`, with this import's facts.
 */
function knownEntries(
  reader: EntryFactReader,
  m: RegisterMapping,
  states: Map<string, EntryState>,
  entries: readonly EntryRow[],
): void {
  const keys = new Set<string>();
  for (const e of entries) if (!states.has(e.key)) keys.add(e.key);
  if (keys.size === 0) return;
  for (const [key, st] of deriveEntryStates(m, reader.facts([...keys]))) {
    // A key holding `#` may bring in another entry's facts too: only the ones asked for count.
    if (keys.has(key)) states.set(key, st);
  }
}

/** A dry run validates each fact as ingest would and looks up which are already stored. */
async function dryRunChunk(
  app: App,
  lines: readonly SourceLine[],
  report: ImportReport,
  refuse: (r: Rejection) => void,
  listener: ImportListener,
): Promise<void> {
  const ok: { line: SourceLine; key: string; hash: string; ref: FactRef }[] = [];
  for (const line of lines) {
    const v = validateLine(line, app.programs.catalog);
    if (isRejection(v)) refuse(v);
    else ok.push({ line, key: v.key, hash: lineHash(line.text), ref: v });
  }
  const known = await app.store.findFacts(ok.map((o) => o.ref));
  const seen = new Map<string, string>();
  for (const o of ok) {
    const prior = known.get(o.key)?.hash ?? seen.get(o.key);
    if (prior === undefined) {
      seen.set(o.key, o.hash);
      report.accepted++;
      listener.wouldCreate?.(o.line);
    } else if (prior === o.hash) report.duplicates++;
    else {
      refuse({
        file: o.line.file,
        line: o.line.line,
        code: 'CREDENCE_E_FACT_CONFLICT',
        field: 'id',
        reason: `${o.ref.source} already sent a different fact with id "${o.ref.id}"`,
        text: o.line.text,
      });
    }
  }
}
