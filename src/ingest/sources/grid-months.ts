import Database from 'better-sqlite3';
import { residentIdCheckChar, upgradeResidentId } from '../../identity/validate/resident-id.js';
import { sqliteNativeBinding } from '../../store/sqlite/native-binding.js';
import type { MappedFact } from './map-row.js';
import type { RowRefusal } from './row-values.js';

// A bureau's file repeats 23 months of each account's grid every month, and what it says of a
// month may change: the bureau corrects a month (an objection upheld, an overdue reported late),
// or the person's columns change (a date of birth filled in, a name corrected). Each month's fact
// had one id (`lender|account#YYYY-MM`), so either change made every repeated month a conflict
// (CREDENCE_E_FACT_CONFLICT, exit 5) on every later file, and a corrected month could never be
// stored: a retracted id is spent. So a month is compared by what it says (type, date, data and
// the person's ID numbers), not by the text of its line:
// - what it said before: the stored fact is sent again as it was stored (already stored);
// - something else: the month's new version is stored under an id naming the file's last month
//   (`…#2026-09~2026-11`, the November file's word on September), then the version it replaces is
//   retracted. A crash between the two leaves both; run again, the one that says what the file
//   says is kept and the other retracted;
// - but a version a newer file stored (its last month later than this file's) stands: last
//   month's file imported again after this month's changes nothing this month's corrected.

/** A stored fact of one grid account: a month's version, or a retraction of one. */
export interface GridFactRow {
  readonly id: string;
  readonly type: string | null;
  readonly body: string;
  readonly retracts: string | null;
}

/** Reads the stored facts of grid accounts by key; `close` when the import is done. */
export interface GridFactReader {
  /** Every fact of the source whose id is `key#…` for one of these keys, retracted or not. */
  facts(keys: readonly string[]): GridFactRow[];
  close(): void;
}

/**
 * A month's facts, and retractions, all have ids starting with the account's key and `#`: one
 * index range per account. Its own read-only connection (WAL lets it read while the store writes),
 * as the register readers of src/store/sqlite/sqlite-source-facts.ts.
 *
 * Wanted on the store port as `sourceFactsByPrefix?(source, prefixes): Promise<GridFactRow[]>`.
 */
export function openGridFactReader(dbPath: string, source: string): GridFactReader {
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  db.pragma('busy_timeout = 10000');
  // '$' follows '#': the range is every id that starts with `key#`.
  // What was stored when the import began: the facts this import stores come later in `seq`.
  const upTo = (db.prepare('SELECT COALESCE(MAX(seq), 0) FROM facts').pluck().get() as number) ?? 0;
  const stmt = db.prepare(
    'SELECT id, type, body, retracts FROM facts WHERE source = ? AND id >= ? AND id < ? AND seq <= ?',
  );
  const read = db.transaction((keys: readonly string[]) => {
    const out: GridFactRow[] = [];
    for (const k of keys) out.push(...(stmt.all(source, `${k}#`, `${k}$`, upTo) as GridFactRow[]));
    return out;
  });
  return { facts: (keys) => (keys.length === 0 ? [] : read(keys)), close: () => db.close() };
}

/** A stored version of a month: its id, its line, what it says and the last month of the file that sent it. */
interface Version {
  readonly id: string;
  readonly body: string;
  readonly says: string;
  /** `YYYY-MM`; undefined for the month's first version (its file is not known). */
  readonly fileMonth: string | undefined;
}

/** One month of an account as stored: its unretracted versions, and every id it has used. */
interface MonthState {
  live: Version[];
  readonly used: Set<string>;
}

/**
 * The base id of a month's fact (`key#2026-09~2026-11` → `key#2026-09`) and the last month of the
 * file that corrected it (none for the base); undefined for an id that is no month's.
 */
function versionOf(id: string): { base: string; fileMonth: string | undefined } | undefined {
  const m = /^(.*#\d{4}-\d{2})(?:~(\d{4}-\d{2})(?:\.\d+)?)?$/.exec(id);
  return m ? { base: m[1] as string, fileMonth: m[2] } : undefined;
}

/** What a month says, whoever sends it: its type, date, data and the person's ID numbers. */
function saysOf(type: string, at: number, subject: Record<string, unknown>, data: unknown): string {
  const id = (v: unknown) => (typeof v === 'string' ? v.replace(/\s+/g, '').toUpperCase() : null);
  return JSON.stringify([
    type,
    at,
    id(subject.national_id),
    id(subject.passport_number),
    id(subject.subjectId),
    sorted(data),
  ]);
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sorted(o[k])]),
  );
}

function storedSays(body: string): string | undefined {
  try {
    const f = JSON.parse(body) as { type?: string; occurredAt?: string; subject?: unknown; data?: unknown };
    if (typeof f.type !== 'string' || typeof f.occurredAt !== 'string') return undefined;
    const subject =
      typeof f.subject === 'object' && f.subject !== null ? (f.subject as Record<string, unknown>) : {};
    return saysOf(f.type, Date.parse(f.occurredAt), subject, f.data ?? {});
  } catch {
    return undefined;
  }
}

/** A month's fact as the import sends it: what the row mapped, or the stored line sent again. */
export type GridOut = { readonly fact: MappedFact } | { readonly stored: string; readonly fact: MappedFact };

/**
 * The months an import sends for grid rows, against what the database held when the import began
 * (the reader sees no fact this import stores, so a row's outcome never depends on how far the
 * writer has got). An account given again in the same file with another grid is refused, naming
 * the row that gave it first: which one is the bureau's cannot be told. Memory: one small entry
 * per account of the file; what is stored is read and dropped part by part.
 */
export class GridMonths {
  /** Accounts of the file so far: key → the line that gave it and a digest of what its months say. */
  readonly #accounts = new Map<string, { line: number; digest: number }>();

  /** `column` names the grid's column in refusals; `idColumn` the person's ID number column(s). */
  constructor(
    readonly reader: GridFactReader,
    readonly column: string,
    readonly idColumn?: string,
  ) {}

  /**
   * A row naming a full resident ID that fails its GB 11643 check character where a stored month
   * of its account names a valid one: a keying slip, not the bureau correcting whom the account is
   * about. Taken for a correction, it retracted every stored month and stored them again for a
   * person no one is, so the borrower's overdue months left their file. As the register sources
   * do (register-diff.ts), the row is refused and its months kept as stored.
   */
  #slip(row: readonly MappedFact[], states: Map<string, MonthState>): RowRefusal | undefined {
    const first = row[0];
    if (!first) return undefined;
    const named = fullId((first.subject as Record<string, unknown>).national_id);
    if (named === undefined) return undefined;
    const valid = residentIdCheckChar(named) === named[17];
    // 15 digits, then 000: a spreadsheet read the ID as a number. One time in eleven that passes
    // the check character too, and was taken for the bureau naming another person.
    const spreadsheet = /^\d{15}000$/.test(named);
    if (valid && !spreadsheet) return undefined;
    for (const f of row) {
      for (const v of states.get(f.id)?.live ?? []) {
        const stored = fullId(nationalIdOf(v.body));
        if (valid) {
          if (stored !== undefined && stored !== named && stored.slice(0, 15) === named.slice(0, 15)) {
            return {
              line: first.line,
              ...(this.idColumn ? { column: this.idColumn } : {}),
              reason: `"${named}" is the ID number the account's stored months name, ${stored}, with its last three digits 000, as a spreadsheet writes an ID it read as a number: not another person; the row is refused and the account's months kept as stored (format the column as text in the source and export it again)`,
            };
          }
          continue;
        }
        if (stored !== undefined && stored !== named && residentIdCheckChar(stored) === stored[17]) {
          return {
            line: first.line,
            ...(this.idColumn ? { column: this.idColumn } : {}),
            reason: `"${named}" fails its GB 11643 check character, and the account's stored months name ${stored}: a slip in the ID number, not another person; the row is refused and the account's months kept as stored`,
          };
        }
      }
    }
    return undefined;
  }

  /** What the database holds of the months these facts name. */
  #load(facts: readonly MappedFact[]): Map<string, MonthState> {
    const states = new Map<string, MonthState>();
    const keys = new Set<string>();
    for (const f of facts) {
      if (states.has(f.id)) continue;
      keys.add(f.id.slice(0, f.id.lastIndexOf('#')));
      states.set(f.id, { live: [], used: new Set() });
    }
    if (keys.size === 0) return states;
    const rows = this.reader.facts([...keys]);
    const retracted = new Set<string>();
    for (const r of rows) if (r.retracts !== null) retracted.add(r.retracts);
    for (const r of rows) {
      if (r.retracts !== null || r.type === null) continue;
      const v = versionOf(r.id);
      // A key holding `#` may bring in another account's months: only the ones asked for count.
      const st = v && states.get(v.base);
      if (!v || !st) continue;
      st.used.add(r.id);
      const says = storedSays(r.body);
      if (!retracted.has(r.id) && says !== undefined)
        st.live.push({ id: r.id, body: r.body, says, fileMonth: v.fileMonth });
    }
    return states;
  }

  /**
   * The facts to send for one part's grid months (each row's months together, as the mapper gives
   * them): each month as stored when it says the same, a new version and the retraction of the one
   * it replaces when it says something else; and the rows refused as repeating an account otherwise.
   */
  months(facts: readonly MappedFact[]): { out: GridOut[]; refusals: RowRefusal[] } {
    const out: GridOut[] = [];
    const refusals: RowRefusal[] = [];
    const kept: MappedFact[] = [];
    const rows: MappedFact[][] = [];
    for (let i = 0; i < facts.length; ) {
      const first = facts[i] as MappedFact;
      const account = first.id.slice(0, first.id.lastIndexOf('#'));
      let j = i;
      let digest = 0x811c9dc5;
      while (j < facts.length && (facts[j] as MappedFact).line === first.line) {
        const f = facts[j] as MappedFact;
        digest = fnv1a(
          digest,
          `${f.id}\u0000${saysOf(f.type, f.at, f.subject as Record<string, unknown>, f.data)}`,
        );
        j++;
      }
      const seen = this.#accounts.get(account);
      if (seen === undefined) this.#accounts.set(account, { line: first.line, digest });
      if (seen !== undefined && seen.digest !== digest) {
        refusals.push({
          line: first.line,
          column: this.column,
          reason: `account "${account}" is given again with another grid (line ${seen.line}): which one is the bureau's cannot be told, so this row is left out`,
        });
      } else rows.push(facts.slice(i, j));
      i = j;
    }
    const states = this.#load(rows.flat());
    for (const row of rows) {
      const slip = this.#slip(row, states);
      if (slip) refusals.push(slip);
      else kept.push(...row);
    }
    for (const f of kept) {
      const says = saysOf(f.type, f.at, f.subject as Record<string, unknown>, f.data);
      const st = states.get(f.id) ?? { live: [], used: new Set<string>() };
      const fileMonth = f.gridLastMonth;
      // A newer file's word on the month stands; else what this file says, if already stored.
      const newer = st.live
        .filter((v) => fileMonth !== undefined && v.fileMonth !== undefined && v.fileMonth > fileMonth)
        .sort((a, b) => (a.id < b.id ? 1 : -1))[0];
      const same = newer ?? st.live.find((v) => v.says === says);
      if (same) out.push({ stored: same.body, fact: f });
      else if (st.used.size === 0 || fileMonth === undefined) out.push({ fact: f });
      else {
        let id = `${f.id}~${fileMonth}`;
        for (let k = 2; st.used.has(id); k++) id = `${f.id}~${fileMonth}.${k}`;
        out.push({ fact: { ...f, id } });
      }
      // Every other version still standing is replaced, after the one that replaces it is sent.
      for (const v of st.live) {
        if (v === same) continue;
        out.push({
          fact: {
            id: `${v.id}~retracted`,
            type: f.type,
            at: f.at,
            subject: f.subject,
            data: {},
            line: f.line,
            retracts: v.id,
          },
        });
      }
    }
    return { out, refusals };
  }
}

/** A full resident ID (18 characters), upper-cased, or a 15-digit one as its upgrade; else undefined. */
function fullId(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const id = v.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return /^\d{17}[\dX]$/.test(id) ? id : upgradeResidentId(id);
}

function nationalIdOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { subject?: { national_id?: unknown } }).subject?.national_id;
  } catch {
    return undefined;
  }
}

/** 32-bit FNV-1a of a string, continued from `h`. */
function fnv1a(h: number, text: string): number {
  let x = h;
  for (let i = 0; i < text.length; i++) {
    x ^= text.charCodeAt(i);
    x = Math.imul(x, 0x01000193) >>> 0;
  }
  return x;
}
