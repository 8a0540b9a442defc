import { CredenceError } from '../../core/errors/index.js';
import {
  type EntryFactReader,
  openEntryFactReader,
  scanSourceFacts,
} from '../../store/sqlite/sqlite-source-facts.js';
import type { SourceLine } from '../jsonl-reader.js';
import { assertUtf8, type CsvRow, openCsv } from './csv-reader.js';
import { GridMonths, openGridFactReader } from './grid-months.js';
import type { Mapping, RegisterMapping } from './load-mapping.js';
import {
  type EntryRow,
  entryKeyOf,
  isRefusal,
  type MappedFact,
  mapEntryRow,
  mapEventRow,
  mapGridRow,
} from './map-row.js';
import {
  foldStoredKey,
  keyWordTables,
  mappingColumns,
  readColumns,
  storedKeyForms,
} from './mapping-columns.js';
import {
  deltaFacts,
  deriveEntryStates,
  type EntryState,
  type RetentionCutoffs,
  SnapshotDiff,
} from './register-diff.js';
import { cellValue, foldWord, type Header, headerOf, parseWhen, type RowRefusal } from './row-values.js';

export type ImportMode = 'events' | 'snapshot' | 'delta' | 'grid';

const PART_ROWS = 1000;

/** What `mapFile` reads: plain data, so it can be handed to a worker thread. */
export interface MapFileOptions {
  readonly mapping: Mapping;
  readonly file: string;
  readonly source: string;
  readonly mode: ImportMode;
  /** Register snapshots: the snapshot's date (default: the latest value of the asOf column). */
  readonly asOf?: number;
  /** The database register entries are read from (their stored facts). */
  readonly dbPath: string;
  /**
   * Register files: each type's retention cutoff at the import's start. A row whose listing ingest
   * will refuse as past retention gives that listing alone (no removal, no change of its entry).
   */
  readonly retention?: RetentionCutoffs;
  /**
   * Snapshots: make every removal the file calls for, however many (the operator has checked the
   * list did shrink so). Otherwise one that would remove more than the mapping's `maxRemovalShare`
   * of the listed entries (and more than `MASS_REMOVAL_MIN`) removes none.
   */
  readonly allowMassRemoval?: boolean;
}

/** A snapshot removing this many entries or fewer is never taken for a cut file (small lists). */
export const MASS_REMOVAL_MIN = 10;

/**
 * One piece of a mapped file: the facts of a run of rows as the JSON lines ingest reads, with
 * the rows' refusals in file order. The first part of a snapshot only dates it.
 */
export type MappedPart =
  | { readonly asOf: number }
  | {
      readonly lines: readonly SourceLine[];
      /** Bytes of the file read so far. */
      readonly bytes: number;
      readonly rows: number;
      readonly skipped: number;
      /** Register snapshots: rows whose entry was already past its deletion date (nothing stored). */
      readonly pastDeletion?: number;
      /**
       * Rows read and accepted that called for no fact: a register entry as already held, a delta
       * update that changes nothing, a repayment grid of months with nothing to report.
       */
      readonly unchanged?: number;
      /** Rows refused (each once, whatever its refusals): the rows' side of the summary's arithmetic. */
      readonly rowsRefused?: number;
      readonly refusals: readonly RowRefusal[];
      readonly factsByType: Readonly<Record<string, number>>;
    };

/**
 * The header of a file as the mapping reads it: each column the mapping names at the position the
 * header has it, written exactly, else (as values are matched) ignoring case and full width when
 * only one header column is that name (`Phone`, `ＮＡＴＩＯＮＡＬ_ＩＤ`). Refuses a header that has a
 * column the mapping reads twice, or written two such ways (which one is meant cannot be told),
 * and one that lacks a column the mapping requires.
 */
/**
 * Why a header read as one cell lacks every column, when it holds another common delimiter (an
 * Excel export in a locale whose decimal comma makes it write `;`, or a tab-separated file).
 */
function otherDelimiter(m: Mapping, names: readonly string[]): string {
  if (names.length !== 1) return '';
  const d = [';', '\t', ',', '|'].find((x) => x !== m.delimiter && (names[0] as string).includes(x));
  if (d === undefined) return '';
  const shown = JSON.stringify(d);
  return `: the header is one cell holding ${shown}, so the file looks delimited by ${shown}, and the mapping reads ${JSON.stringify(m.delimiter)} (set format: { delimiter: ${shown} } in the mapping)`;
}

function readHeader(m: Mapping, file: string, mode: string, cells: readonly string[]): Map<string, number> {
  const header = headerOf(cells);
  const names = cells.map((c) => c.trim());
  const repeated: [string, number[]][] = [];
  for (const c of readColumns(m)) {
    let positions = names.flatMap((n, i) => (n === c ? [i] : []));
    if (positions.length === 0) {
      const folded = foldWord(c);
      positions = names.flatMap((n, i) => (foldWord(n) === folded ? [i] : []));
      if (positions.length === 1) header.set(c, positions[0] as number);
    }
    if (positions.length > 1) repeated.push([c, positions]);
  }
  if (repeated.length > 0) {
    throw new CredenceError(
      'CREDENCE_E_ROW_INVALID',
      `${file}: the header repeats column${repeated.length === 1 ? '' : 's'} ${repeated.map(([c]) => c).join(', ')} that ${m.file} reads: which one is meant cannot be told`,
      { file, line: 1 },
      repeated.map(([c, positions]) => {
        const written = [...new Set(positions.map((i) => names[i] as string))];
        return {
          code: 'CREDENCE_E_ROW_INVALID' as const,
          file,
          line: 1,
          field: c,
          reason: `appears ${positions.length} times in the header (${written.length > 1 ? `${written.join(', ')}: ` : ''}columns ${positions.map((i) => i + 1).join(', ')}); keep one`,
        };
      }),
    );
  }
  const want = mappingColumns(m);
  if (m.shape === 'register' && mode === 'delta' && m.action) want.push(m.action.column);
  const missing = want.filter((c) => !header.has(c));
  if (missing.length > 0) {
    throw new CredenceError(
      'CREDENCE_E_ROW_INVALID',
      `${file}: the header lacks column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that ${m.file} reads${otherDelimiter(m, names)}`,
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
  return header;
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
  let latestLine = 0;
  let latestText = '';
  for await (const chunk of openCsv(file, m.delimiter)) {
    for (const row of chunk.rows) {
      if (!header) {
        // A file with other columns (or another delimiter) is refused for its header, as the
        // import itself would, not for lacking a date.
        header = readHeader(m, file, 'snapshot', row.cells);
        continue;
      }
      try {
        const v = cellValue(header, row.cells, spec);
        const ms = v === undefined ? undefined : parseWhen(String(v), m.timeZone, m.localTimes);
        if (ms !== undefined && ms > latest) {
          latest = ms;
          latestLine = row.line;
          latestText = String(v);
        }
      } catch {
        // A bad cell is refused when the row is mapped; it cannot date the snapshot.
      }
    }
  }
  if (!header)
    throw new CredenceError('CREDENCE_E_ROW_INVALID', `${file} is empty: a header row is needed`, { file });
  if (!Number.isFinite(latest)) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${file}: no row dates the snapshot; give its date with --as-of`,
      {
        field: '--as-of',
      },
    );
  }
  // A list cannot have been published after today: a mistyped year (2062 for 2026) would date
  // every removal of the snapshot then, and the people gone from the list would keep their flags
  // until that day (no later snapshot can remove an entry already removed). The snapshot's date
  // is the operator's to give then.
  if (latest > Date.now()) {
    const column = spec.columns[0] ?? 'asOf';
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${file}:${latestLine} column ${column}: "${latestText}" is in the future, so it cannot date the snapshot: correct the row, or give the snapshot's date with --as-of`,
      { field: '--as-of' },
    );
  }
  return latest;
}

/**
 * The entries a delta file names on more than one row, with how many rows name each. A delta's
 * rows are changes with their own dates, and files list them newest first as often as oldest
 * first: an entry's rows are applied in time order (see `byTime`), once all of them are read.
 */
async function repeatedEntries(m: RegisterMapping, file: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let header: Header | undefined;
  for await (const chunk of openCsv(file, m.delimiter)) {
    for (const row of chunk.rows) {
      if (!header) {
        header = readHeader(m, file, 'delta', row.cells);
        continue;
      }
      const key = entryKeyOf(m, header, row.cells);
      if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of counts) if (n < 2) counts.delete(key);
  return counts;
}

/**
 * A row whose cells cannot be told apart: a quoted cell never closed (it holds the rest of the
 * file), or more cells than the header with text beyond its last column (a cell holding the
 * delimiter without quotes: every cell after it stands under the next column), or fewer cells
 * than the header in the row the file ends in with no line break (a file cut short). An empty cell
 * after the last column is only a trailing delimiter.
 */
function garbledRow(row: CsvRow, header: Header, width: number): RowRefusal | undefined {
  if (row.unclosed !== undefined) {
    const name = [...header].find(([, i]) => i === row.unclosed)?.[0];
    return {
      line: row.line,
      ...(name ? { column: name } : {}),
      reason:
        'a quote opened in this cell is never closed, so it holds the rest of the file: close or double the quote',
    };
  }
  if (row.unterminated && row.cells.length < width) {
    // Read as it stands, its missing cells would be empty and its last one cut (`464` of `464.64`).
    const name = [...header].find(([, i]) => i === row.cells.length - 1)?.[0];
    return {
      line: row.line,
      ...(name ? { column: name } : {}),
      reason: `has ${row.cells.length} cells, and the header ${width}, and the file ends in it with no line break: the file was cut short here (export it again)`,
    };
  }
  if (row.cells.length > width && row.cells.slice(width).some((c) => c.trim().length > 0)) {
    return {
      line: row.line,
      reason: `has ${row.cells.length} cells, and the header ${width}: a cell holding the delimiter without quotes moves every cell after it to the next column (quote such a cell)`,
    };
  }
  return undefined;
}

/**
 * A refused row with fewer cells than the header, whole (a line break ends it): its missing cells
 * were read as empty, so the reason alone (`column amount: is empty`) names a cell the furnisher's
 * file may well hold. A line break typed into a cell the export did not quote splits its row in
 * two such lines; the reason says so. (An export may also leave out a row's trailing empty cells,
 * so a short row is not refused for being short.)
 */
function shortRowNote(row: CsvRow, width: number, v: RowRefusal): RowRefusal {
  if (row.unterminated || row.cells.length >= width) return v;
  return {
    ...v,
    reason: `${v.reason} (the row has ${row.cells.length} cells, and the header ${width}: a line break in a cell without quotes splits its row in two; quote such a cell)`,
  };
}

const ACTION_RANK: Readonly<Record<EntryRow['action'], number>> = { listing: 0, update: 1, removal: 2 };

/**
 * The order an entry's delta rows take effect in: by their date (a listing's change date, else its
 * registration), a listing before an update before a removal on the same day (a removal on a
 * relisting's own day stands, as `deriveEntryStates` orders them), then as the file has them.
 */
function byTime(a: EntryRow, b: EntryRow): number {
  return (
    (a.at ?? a.listedAt) - (b.at ?? b.listedAt) ||
    ACTION_RANK[a.action] - ACTION_RANK[b.action] ||
    a.line - b.line
  );
}

const toLine = (file: string, source: string, f: MappedFact): SourceLine => ({
  file,
  line: f.line,
  text: JSON.stringify(
    f.retracts === undefined
      ? {
          id: f.id,
          source,
          type: f.type,
          occurredAt: new Date(f.at).toISOString(),
          subject: f.subject,
          data: f.data,
        }
      : { id: f.id, source, retracts: f.retracts, occurredAt: new Date(f.at).toISOString() },
  ),
  ...(f.scheduled ? { scheduled: true as const } : {}),
});

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
  spellings: OtherSpellings,
): void {
  const keys = new Set<string>();
  for (const e of entries) if (!states.has(e.key)) keys.add(e.key);
  if (keys.size === 0) return;
  // A set: an ID number's lower-case form (storedKeyForms) may be an older spelling too.
  const forms = new Set(
    [...keys].flatMap((k) => [...storedKeyForms(m, k), ...olderSpellings(reader, m, spellings, k)]),
  );
  for (const [key, st] of deriveEntryStates(m, reader.facts([...forms]))) {
    // A key holding `#` may bring in another entry's facts too: only the ones asked for count.
    if (keys.has(key)) states.set(key, st);
  }
}

/**
 * The keys an entry's facts were stored under before 5d8a237, which kept a values word as the cell
 * spelt it (`hc` for `HC`): no index range finds every spelling, so under a mapping with such a
 * key column the source's keys are read once, and the ones stored otherwise than rows now key them
 * are indexed by the key they are now. A snapshot reads them so (foldStoredKey); a delta missed
 * them, refusing the removal of an entry never listed and leaving its flag set.
 */
function olderSpellings(
  reader: EntryFactReader,
  m: RegisterMapping,
  spellings: OtherSpellings,
  key: string,
): readonly string[] {
  if (keyWordTables(m).every((t) => t === undefined)) return [];
  if (spellings.byKey === undefined) {
    spellings.byKey = new Map();
    for (const stored of reader.keys(registerTypes(m))) {
      const now = foldStoredKey(m, stored);
      if (now === stored) continue;
      const list = spellings.byKey.get(now);
      if (list) list.push(stored);
      else spellings.byKey.set(now, [stored]);
    }
  }
  return spellings.byKey.get(key) ?? [];
}

/** A source's entry keys stored in an older spelling, by the key rows give now; read when first needed. */
interface OtherSpellings {
  byKey?: Map<string, string[]>;
}

const registerTypes = (m: RegisterMapping): string[] => [
  m.listed.type,
  m.removed.type,
  ...(m.updated ? [m.updated.type] : []),
];

function tally(facts: readonly MappedFact[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of facts) {
    const t = f.retracts === undefined ? f.type : 'retraction';
    out[t] = (out[t] ?? 0) + 1;
  }
  return out;
}

/**
 * A furnisher file through its mapping, one chunk of rows at a time: the facts each row calls
 * for (one per row, one per month of a repayment grid, or the listings, updates and removals a
 * register snapshot or delta calls for) and the rows refused. Register entries are read from the
 * database as their rows come; a snapshot ends with the removals of the entries it no longer holds.
 *
 * @example
 * for await (const part of mapFile({ mapping, file: 'court.csv', source: 'court', mode: 'delta', dbPath }))
 *   if ('lines' in part) send(part.lines);
 */
export async function* mapFile(o: MapFileOptions): AsyncGenerator<MappedPart> {
  const { mapping: m, file, source, mode } = o;
  // Before any row: a bad byte met late would leave the rows before it imported.
  await assertUtf8(file);
  let states: Map<string, EntryState> | undefined;
  let diff: SnapshotDiff | undefined;
  let entryReader: EntryFactReader | undefined;
  const spellings: OtherSpellings = {};
  let repeated: Map<string, number> | undefined;
  // Grid months are compared with what is stored by what they say (src/ingest/sources/grid-months.ts).
  let gridMonths: GridMonths | undefined;
  if (m.shape === 'register') {
    if (mode === 'snapshot') {
      const asOf = o.asOf ?? (await snapshotDate(m, file));
      yield { asOf };
      const types = [m.listed.type, m.removed.type, ...(m.updated ? [m.updated.type] : [])];
      states = deriveEntryStates(m, scanSourceFacts(o.dbPath, source, types));
      const guard = o.allowMassRemoval ? undefined : { share: m.maxRemovalShare, min: MASS_REMOVAL_MIN };
      diff = new SnapshotDiff(m, states, asOf, o.retention, guard);
    } else {
      states = new Map();
      repeated = await repeatedEntries(m, file);
    }
  }
  // Delta rows of an entry named on several rows, held until its last row is read.
  const held = new Map<string, EntryRow[]>();
  /**
   * Counts a delta row (whatever became of it) against its entry's rows: after the entry's last
   * one, its held rows, in time order whatever order the file gave them; else none.
   */
  const rowRead = (rm: RegisterMapping, header: Header, cells: readonly string[]): EntryRow[] => {
    const key = repeated === undefined ? undefined : entryKeyOf(rm, header, cells);
    const left = key === undefined ? undefined : repeated?.get(key);
    if (key === undefined || left === undefined) return [];
    if (left > 1) {
      repeated?.set(key, left - 1);
      return [];
    }
    repeated?.delete(key);
    const rows = (held.get(key) ?? []).sort(byTime);
    held.delete(key);
    return rows;
  };

  const mapRows = (rows: readonly CsvRow[], header: Header, bytes: number, width: number): MappedPart => {
    const out: MappedFact[] = [];
    const entries: EntryRow[] = [];
    const refusals: RowRefusal[] = [];
    let skipped = 0;
    let unchanged = 0;
    for (const row of rows) {
      const garbled = garbledRow(row, header, width);
      if (garbled) {
        refusals.push(garbled);
        // Its cells stand under other columns than their own: its entry cannot be told.
        diff?.refused(row.line, undefined);
        // Still counted as its key's row, so the entry's other rows are not held for good.
        if (m.shape === 'register') entries.push(...rowRead(m, header, row.cells));
        continue;
      }
      if (m.shape === 'events') {
        const v = mapEventRow(m, header, row.line, row.cells);
        if (v === 'skip') skipped++;
        else if (isRefusal(v)) refusals.push(shortRowNote(row, width, v));
        else out.push(v);
      } else if (m.shape === 'grid') {
        const v = mapGridRow(m, header, row.line, row.cells);
        if (v === 'skip') skipped++;
        else if (isRefusal(v)) refusals.push(shortRowNote(row, width, v));
        else if (v.length === 0) unchanged++;
        else out.push(...v);
      } else {
        const v = mapEntryRow(m, header, row.line, row.cells, mode === 'delta' ? 'delta' : 'snapshot');
        if (v === 'skip') skipped++;
        else if (isRefusal(v)) {
          // A refused row is still on the list: its entry must not be taken for a removal. One the
          // file ends in, with no line break, may be where a cut-short file stopped (its last cell
          // cut): the entries after it could be any, so none is taken for removed.
          if (row.unterminated) {
            refusals.push({
              ...v,
              reason: `${v.reason} (the file ends in this row with no line break: if it was cut short, export it again)`,
            });
            diff?.refused(row.line, undefined);
          } else {
            refusals.push(shortRowNote(row, width, v));
            diff?.refused(row.line, entryKeyOf(m, header, row.cells));
          }
        } else if (repeated?.has(v.key)) held.set(v.key, [...(held.get(v.key) ?? []), v]);
        else entries.push(v);
        entries.push(...rowRead(m, header, row.cells));
      }
    }
    return registerFacts(entries, out, refusals, rows.length, skipped, bytes, unchanged);
  };

  /** The facts of a part's register entries (in `entries`' order), added to what its rows gave. */
  const registerFacts = (
    entries: readonly EntryRow[],
    out: MappedFact[],
    refusals: RowRefusal[],
    rows: number,
    skipped: number,
    bytes: number,
    unchangedRows = 0,
  ): MappedPart => {
    let unchanged = unchangedRows;
    // Each refused row once, whichever stage refused it (a row is refused by one at most).
    const rowsRefused = (): number => new Set(refusals.map((r) => r.line)).size;
    const part = (lines: SourceLine[], facts: readonly MappedFact[], pastDeletion?: number): MappedPart => ({
      lines,
      bytes,
      rows,
      skipped,
      ...(pastDeletion !== undefined ? { pastDeletion } : {}),
      unchanged,
      rowsRefused: rowsRefused(),
      refusals,
      factsByType: tally(facts),
    });
    if (m.shape === 'register' && states) {
      if (diff) {
        for (const e of entries) {
          const v = diff.row(e);
          if (isRefusal(v)) refusals.push(v);
          else if (v.length === 0) unchanged++;
          else out.push(...v);
        }
        const pastDeletion = diff.takePastDeletion();
        // A row past its deletion date gives no fact too, and is counted as such, not as unchanged.
        unchanged -= pastDeletion;
        if (pastDeletion > 0)
          return part(
            out.map((f) => toLine(file, source, f)),
            out,
            pastDeletion,
          );
      } else {
        entryReader ??= openEntryFactReader(o.dbPath, source);
        knownEntries(entryReader, m, states, entries, spellings);
        for (const e of entries) {
          const v = deltaFacts(m, states, e, o.retention);
          if (isRefusal(v)) refusals.push(v);
          else if (v.length === 0) unchanged++;
          else out.push(...v);
        }
      }
    }
    if (m.shape === 'grid' && o.dbPath !== ':memory:') {
      gridMonths ??= new GridMonths(
        openGridFactReader(o.dbPath, source),
        m.column,
        m.subject.national_id?.columns.join(', '),
      );
      const months = gridMonths.months(out);
      refusals.push(...months.refusals);
      const lines = months.out.map(
        (g): SourceLine =>
          'stored' in g ? { file, line: g.fact.line, text: g.stored } : toLine(file, source, g.fact),
      );
      return part(
        lines,
        months.out.map((g) => g.fact),
      );
    }
    return part(
      out.map((f) => toLine(file, source, f)),
      out,
    );
  };

  try {
    let header: Header | undefined;
    let width = 0;
    let bytes = 0;
    for await (const chunk of openCsv(file, m.delimiter)) {
      bytes = chunk.bytes;
      let rows = chunk.rows;
      if (!header) {
        const first = rows[0];
        if (!first) continue;
        header = readHeader(m, file, mode, first.cells);
        width = first.cells.length;
        rows = rows.slice(1);
      }
      // Parts of a thousand rows: the first reaches the pipeline soon after the start.
      for (let at = 0; at < rows.length; at += PART_ROWS) {
        yield mapRows(rows.slice(at, at + PART_ROWS), header, bytes, width);
      }
    }
    if (!header)
      throw new CredenceError('CREDENCE_E_ROW_INVALID', `${file} is empty: a header row is needed`, { file });
    // Rows still held (the file changed between the count and this read): in time order, now.
    if (held.size > 0)
      yield registerFacts(
        [...held.values()].flatMap((g) => g.sort(byTime)),
        [],
        [],
        0,
        0,
        bytes,
      );
    if (diff && m.shape === 'register') {
      const gone = diff.finish();
      const lines = gone.map((f) => toLine(`${file} (entries no longer listed)`, source, f));
      const withheld = diff.withheld;
      const refusals: RowRefusal[] = withheld
        ? [
            {
              line: withheld.line,
              column: m.key.join(', '),
              reason: `${withheld.why}, so no entry missing from this snapshot was removed (${withheld.removals} removal${withheld.removals === 1 ? '' : 's'} withheld): ${withheld.mass ? `check the file is the whole list and import it again; if the list did shrink so, import it again with --allow-mass-removal, send the removals as a delta (--mode delta), or raise register.maxRemovalShare (${m.maxRemovalShare}) in the mapping` : withheld.line === 1 ? 'import the whole list, or send the removals as a delta (--mode delta)' : 'correct the refused rows and import the snapshot again'}`,
            },
          ]
        : [];
      // The withheld removals' refusal names the last row read, not a row refused: rowsRefused 0.
      yield { lines, bytes, rows: 0, skipped: 0, rowsRefused: 0, refusals, factsByType: tally(gone) };
    }
  } finally {
    entryReader?.close();
    gridMonths?.reader.close();
  }
}
