import type { FieldValue, Subject } from '../../core/facts/fact.js';
import { residentIdCheckChar, upgradeResidentId } from '../../identity/validate/resident-id.js';
import type { RegisterMapping } from './load-mapping.js';
import type { EntryRow, MappedFact } from './map-row.js';
import { foldStoredKey } from './mapping-columns.js';
import { cellValue, parseWhen, Refused, type RowRefusal } from './row-values.js';

/**
 * What Credence holds about one register entry, derived from the facts already stored for it
 * (so no table of its own is needed): whether it is listed now, who it is about, and what its
 * latest listing or update said.
 */
export interface EntryState {
  /** The person the entry's facts resolved to. */
  subject: string;
  live: boolean;
  /** Digest of the latest listed/updated content (subject and data as sent). */
  content: string;
  /** Every fact id already used for this entry (a few). */
  readonly ids: string[];
  /** The full national ID its latest listing or update named (none when masked or absent). */
  nationalId?: string;
  /** When its latest listing took effect: a snapshot dated before it cannot have held the entry. */
  listedAt?: number;
  /**
   * When its latest listing or update took effect: an older snapshot imported later says nothing
   * newer about the entry, and an update of its own (dated before it, so replayed before it) would
   * be made again on every import of that snapshot.
   */
  contentAt?: number;
  /**
   * The contents the updates dated `contentAt` gave (files of one date may give several), and the
   * content before that date: a file of the date that still shows it does not undo their change.
   */
  dayContents?: string[];
  contentBefore?: string;
  /**
   * The date of the file that made its latest listing (from the listing's id, `…#L:2025-03-01@2026-07-31~…`;
   * none for a listing stored before listings carried it), and, while no change followed it, the
   * contents every listing of that file date and instant gave: another file of that date that
   * first lists the entry otherwise is a listing too, not a change (see `listingId`).
   */
  listedOn?: string;
  listContents?: string[];
  /** The id, among those listings, that sorts last: the one whose content the entry holds. */
  listLastId?: string;
  /** When the removal that ended its latest listing takes effect (none while never removed). */
  removedAt?: number;
  /**
   * The removals stored since its latest listing (none while never removed): those dated after a
   * snapshot were scheduled by an earlier one's deletion date, which this one may have moved.
   */
  removals?: { readonly id: string; readonly at: number }[];
  /**
   * The content digest of each removal stored for the entry, by id: a delta sent again gives its
   * removal the body it was stored with (already stored), whichever form of its person it took.
   */
  storedRemovals?: Map<string, string>;
}

/** A stored fact of a register source, as the state derivation reads it. */
export interface StoredEntryFact {
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly subject: string;
  readonly body: string;
  /** The subject's national ID, when a reader leaves the body out (null when it names none). */
  readonly nationalId?: string | null;
}

interface Slim {
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly subject: string;
  readonly content: string;
  readonly nationalId: string | undefined;
  /** A removal's content digest (its person and data as stored); '' for other facts. */
  readonly removalContent: string;
}

/**
 * A full resident ID (18 characters, none masked), upper-cased, or a first-generation 15-digit one
 * as its 18-character upgrade (one person under either form); undefined otherwise.
 */
function fullNationalId(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return /^\d{17}[\dXx]$/.test(v) ? v.toUpperCase() : upgradeResidentId(v);
}

/**
 * A row naming a full ID that fails its GB 11643 check character where the entry's listing names a
 * valid one: a keying slip, not the court correcting whom the entry is about. Taken for a correction
 * it moved the listing, the flag and its bans, from the person listed to a person no one is.
 */
function slippedId(
  m: RegisterMapping,
  e: EntryRow,
  listed: string | undefined,
  named: string | undefined,
): RowRefusal | undefined {
  if (listed === undefined || named === undefined || named === listed) return undefined;
  const cols = m.subject.national_id?.columns.join(', ');
  const at = { line: e.line, ...(cols ? { column: cols } : {}) };
  // A spreadsheet keeps 15 digits of an 18-digit number: the rest is 000, which one time in eleven
  // passes the check character too (the others are refused as rows: `refuseSpreadsheetId`).
  if (named.endsWith('000') && named.slice(0, 15) === listed.slice(0, 15)) {
    return {
      ...at,
      reason: `"${named}" is the entry's ID number ${listed} with its last three digits 000, as a spreadsheet writes an ID it read as a number: not another person; the row is refused and the entry kept as listed (format the column as text in the source and export it again)`,
    };
  }
  if (residentIdCheckChar(named) === named[17] || residentIdCheckChar(listed) !== listed[17])
    return undefined;
  return {
    ...at,
    reason: `"${named}" fails its GB 11643 check character, and the entry's listing names ${listed}: a slip in the ID number, not another person; the row is refused and the entry kept as listed`,
  };
}

/** The full national ID in the subject of a fact body the importer wrote, without parsing it all. */
function nationalIdOfBody(body: string): string | undefined {
  const from = body.indexOf('"subject":{');
  if (from === -1) return undefined;
  const to = body.indexOf('},"data":', from);
  const m = /"national_id":"([^"]*)"/.exec(body.slice(from, to === -1 ? undefined : to));
  return fullNationalId(m?.[1]);
}

/** `key#L:2024-03-05`: the entry key, then what happened and when. */
export function entryFactId(key: string, kind: 'L' | 'U' | 'R', when: string): string {
  return `${key}#${kind}:${when}`;
}

/** The entry key of a register fact id, or undefined for an id of another form. */
export function entryKeyOf(id: string): string | undefined {
  const i = id.lastIndexOf('#');
  if (i <= 0) return undefined;
  const tag = id.slice(i + 1, i + 3);
  return tag === 'L:' || tag === 'U:' || tag === 'R:' ? id.slice(0, i) : undefined;
}

/**
 * The id of a new entry's listing: its registration date, the date of the file that listed it and
 * its content (`court|case#L:2025-03-01@2026-07-31~1uhhdtp`). Two files of one date that each first
 * list the entry with another content (one shows it unperformed, the other partly performed) then
 * store one listing each, whichever came first, and the entry holds the content of the one whose id
 * sorts last: the same facts, flags and content in any order. Without the file's date the second
 * file could not tell a listing of its own date from one a month old, and stored its content as a
 * change, so the order of the files decided which content the listing held.
 */
export function listingId(key: string, listed: string, fileDay: string, content: string): string {
  return `${entryFactId(key, 'L', listed)}@${fileDay}~${hash6(content)}`;
}

/** The file date a listing's id carries (`listingId`), or undefined for an id of the older forms. */
export function listedOnOf(id: string): string | undefined {
  return /#L:[^@~#]+@([^~#]+)~[^~#]+$/.exec(id)?.[1];
}

/** Whether a listing of file date `on` at `at` is another of the listings the entry's latest is. */
function sameFileListing(st: EntryState, on: string | undefined, at: number): boolean {
  return (
    on !== undefined && st.live && st.listContents !== undefined && st.listedOn === on && st.listedAt === at
  );
}

/**
 * What the content comparison sees: the entry's subject and data as the importer writes them
 * (`"subject":{…},"data":{…}`, the tail of every fact body it sends), so a stored fact's content
 * is a slice of its body, with no parsing. Key order follows the mapping, the same on both sides.
 */
export function contentOf(subject: Subject, data: Readonly<Record<string, FieldValue>>): string {
  const text = JSON.stringify({ subject, data });
  return digest(text, 1, text.length - 1);
}

/** The content digest of a fact body the importer wrote (see `contentOf`). */
export function contentOfBody(body: string): string {
  const i = body.indexOf('"subject":');
  return i === -1 ? '' : digest(body, i, body.length - 1);
}

/**
 * 64 bits of two FNV-1a passes over `text[from, to)`: entry states keep this instead of the
 * content, so a million entries fit in memory.
 */
function digest(text: string, from: number, to: number): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36).padStart(7, '0');
}

/** A day in the mapping's time zone (`2024-03-05`), or the full instant when not a midnight there. */
export function whenText(ms: number, timeZone: string): string {
  const key = `${timeZone}${ms}`;
  let text = textCache.get(key);
  if (text === undefined) {
    if (textCache.size > 100_000) textCache.clear();
    text = whenTextUncached(ms, timeZone);
    textCache.set(key, text);
  }
  return text;
}

const textCache = new Map<string, string>();

function whenTextUncached(ms: number, timeZone: string): string {
  const off =
    timeZone === 'Z'
      ? 0
      : (timeZone.startsWith('-') ? -1 : 1) *
        (Number(timeZone.slice(1, 3)) * 60 + Number(timeZone.slice(4, 6))) *
        60_000;
  const local = new Date(ms + off).toISOString();
  return local.slice(11, 23) === '00:00:00.000' ? local.slice(0, 10) : new Date(ms).toISOString();
}

/**
 * Replays a source's stored register facts into entry states, in time order: a listing makes the
 * entry live, an update changes its content, a removal ends it.
 */
export function deriveEntryStates(
  m: RegisterMapping,
  facts: Iterable<StoredEntryFact>,
): Map<string, EntryState> {
  // Bodies are reduced to their content digest as they stream by, so they are never all held.
  const byKey = new Map<string, Slim[]>();
  for (const f of facts) {
    const stored = entryKeyOf(f.id);
    if (stored === undefined) continue;
    const key = foldStoredKey(m, stored);
    const removal = f.type === m.removed.type;
    const content = removal ? '' : contentOfBody(f.body);
    const nationalId = removal
      ? undefined
      : f.nationalId !== undefined
        ? fullNationalId(f.nationalId)
        : nationalIdOfBody(f.body);
    const removalContent = removal ? contentOfBody(f.body) : '';
    const slim: Slim = {
      id: f.id,
      type: f.type,
      at: f.at,
      subject: f.subject,
      content,
      nationalId,
      removalContent,
    };
    const list = byKey.get(key);
    if (list) list.push(slim);
    else byKey.set(key, [slim]);
  }
  const out = new Map<string, EntryState>();
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const st: EntryState = { subject: (list[0] as Slim).subject, live: false, content: '', ids: [] };
    for (const f of list) {
      st.ids.push(f.id);
      if (f.type === m.removed.type) {
        // The removal that ended the latest listing: a later one (a deletion date scheduled
        // before the entry left the list early) does not move it.
        if (st.live || st.removedAt === undefined) st.removedAt = f.at;
        st.live = false;
        st.removals ??= [];
        st.removals.push({ id: f.id, at: f.at });
        st.storedRemovals ??= new Map();
        st.storedRemovals.set(f.id, f.removalContent);
      } else if (f.type === m.listed.type || f.type === m.updated?.type) {
        if (f.type === m.listed.type) {
          const on = listedOnOf(f.id);
          if (sameFileListing(st, on, f.at)) st.listContents?.push(f.content);
          else {
            st.live = true;
            st.listedAt = f.at;
            st.removals = undefined;
            st.dayContents = undefined;
            st.contentBefore = undefined;
            st.listedOn = on;
            st.listContents = on === undefined ? undefined : [f.content];
          }
          st.subject = f.subject;
          st.nationalId = f.nationalId;
          st.listLastId = f.id;
        } else if (st.dayContents !== undefined && st.contentAt === f.at) st.dayContents.push(f.content);
        else {
          st.contentBefore = st.content;
          st.dayContents = [f.content];
        }
        if (f.type !== m.listed.type) st.listContents = undefined;
        st.content = f.content;
        st.contentAt = f.at;
        st.nationalId = f.nationalId ?? st.nationalId;
      }
    }
    out.set(key, st);
  }
  return out;
}

function removalData(
  m: RegisterMapping,
  data: Readonly<Record<string, FieldValue>>,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of m.removalData) {
    const v = data[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/**
 * A removal's data field built from the entry's key alone, as a row listing the entry gives it: the
 * mapping's constant, else the key column's text read through the field's spec (its `values`
 * table, its type), folded as a row's key fields are and, from a date column, written as a date.
 * The key's text as such (`HC` for a court the mapping writes `Harbour Court`) named no listing, so
 * the removal lifted no flag. Text the spec refuses (a mapping changed since) is sent as it is.
 */
function keyFieldValue(m: RegisterMapping, field: string, text: string | undefined): FieldValue | undefined {
  const spec = m.data[field];
  if (spec?.const !== undefined) return spec.const;
  if (spec === undefined || text === undefined) return text;
  const column = spec.columns[0] as string;
  let v: FieldValue | undefined;
  try {
    v = cellValue(new Map([[column, 0]]), [text], spec);
  } catch (e) {
    if (e instanceof Refused) return text;
    throw e;
  }
  if (typeof v !== 'string') return v;
  v = v.normalize('NFKC');
  const dated = [m.listed.at, m.updated?.at, m.removed.at, m.deletion, m.asOf];
  if (spec.type === 'string' && dated.some((c) => c?.columns.includes(column))) {
    const at = parseWhen(v, m.timeZone, m.localTimes);
    if (at !== undefined) return whenText(at, m.timeZone);
  }
  return v;
}

/**
 * Whether an entry is listed at `asOf`: live, or, in a register with deletion dates, ended only by
 * a removal dated after it (its deletion date still ahead, scheduled by an earlier import).
 */
function liveAt(m: RegisterMapping, st: EntryState | undefined, asOf: number): st is EntryState {
  if (st === undefined) return false;
  return st.live || (m.deletion !== undefined && st.removedAt !== undefined && st.removedAt > asOf);
}

/**
 * Each event type's retention cutoff when the import started (epoch ms), from `retentionAt`: ingest
 * refuses a fact of that type dated before it (CREDENCE_E_FACT_PAST_RETENTION), and, its clock
 * only moving on, refuses at least those. A type kept without a period is absent.
 */
export type RetentionCutoffs = Readonly<Record<string, number>>;

/** Whether ingest will refuse `f` as past its type's retention. */
function pastRetention(
  cutoffs: RetentionCutoffs,
  f: { readonly type: string; readonly at: number },
): boolean {
  const before = cutoffs[f.type];
  return before !== undefined && f.at < before;
}

function uniqueId(st: EntryState | undefined, id: string, suffix: string): string {
  return st?.ids.includes(id) ? `${id}~${suffix}` : id;
}

/**
 * The contents updates of `at` gave the entry, when its latest content is of that date: what files
 * of one date said, whichever came first.
 */
function sameDay(st: EntryState, at: number): readonly string[] | undefined {
  return st.contentAt === at ? st.dayContents : undefined;
}

/**
 * A row of date `at` that gives the entry its content from before that date, when another file of
 * the same date changed it. On one date a change stands against a file that does not show it: the
 * file that shows no change leaves no trace when imported first, so the change must stand when it
 * comes second too, or the order of the files would decide the entry's content.
 */
function contradicts(m: RegisterMapping, e: EntryRow, at: number): RowRefusal {
  const day = whenText(at, m.timeZone);
  return {
    line: e.line,
    column: m.key.join(', '),
    reason: `entry "${e.key}" was changed on ${day} by another file of that date, and this row gives what it held before: files of one date contradict, and the change stands (it would stand had this file come first); send a file of a later date if the change was wrong`,
  };
}

/**
 * How many removals a snapshot may make: more than `min` and more than `share` of the entries
 * listed before it, and it makes none (`withheld`).
 */
export interface RemovalGuard {
  readonly share: number;
  readonly min: number;
}

/** Removals a snapshot did not make, why, and the line the refusal names. */
export interface Withheld {
  readonly line: number;
  readonly removals: number;
  readonly why: string;
  /** Withheld by the `RemovalGuard` (not for a refused row or an empty file). */
  readonly mass?: true;
}

/** `0.25` as `25%`. */
function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/**
 * Turns successive snapshots of a register into listings, updates and removals. Feed every row
 * of the new snapshot to `row`, then call `finish` for the removals of entries it no longer holds.
 * Ids are derived from the entry and the dates, so re-importing the same snapshot emits nothing
 * and a crashed import, run again, emits exactly what is missing.
 *
 * @example
 * const d = new SnapshotDiff(mapping, states, asOf);
 * for (const e of entries) facts.push(...d.row(e));
 * facts.push(...d.finish());
 */
export class SnapshotDiff {
  readonly #m: RegisterMapping;
  readonly #states: Map<string, EntryState>;
  readonly #asOf: number;
  readonly #retention: RetentionCutoffs;
  readonly #seen = new Set<string>();
  /** The first refused row whose entry could not be told, if any: no removal is then inferred. */
  #unknownRow: number | undefined;
  /**
   * The first refused row, and how many rows were accepted (or read and refused only by the rule
   * of one date's removal): a snapshot of refused rows only removes nothing.
   */
  #firstRefused: number | undefined;
  #accepted = 0;
  /** Rows of entries already past their deletion date, since `takePastDeletion` last read them. */
  #pastDeletion = 0;
  /** The last line of the snapshot read (a row's, accepted or refused): where a cut file ends. */
  #lastLine = 1;
  readonly #guard: RemovalGuard | undefined;
  #withheld: Withheld | undefined;

  constructor(
    m: RegisterMapping,
    states: Map<string, EntryState>,
    asOf: number,
    retention: RetentionCutoffs = {},
    guard?: RemovalGuard,
  ) {
    this.#m = m;
    this.#states = states;
    this.#asOf = asOf;
    this.#retention = retention;
    this.#guard = guard;
  }

  /**
   * How many rows the snapshot gave no fact because their entry was already past its deletion date
   * (never stored), since this was last asked; the import reports them, so that an entry absent
   * from the database after the import is not taken for one lost.
   */
  takePastDeletion(): number {
    const n = this.#pastDeletion;
    this.#pastDeletion = 0;
    return n;
  }

  /** The facts one row of the snapshot calls for (none when the entry is unchanged). */
  row(e: EntryRow): MappedFact[] | RowRefusal {
    const m = this.#m;
    if (e.line > this.#lastLine) this.#lastLine = e.line;
    if (this.#seen.has(e.key)) {
      return {
        line: e.line,
        column: m.key.join(', '),
        reason: `entry "${e.key}" appears twice in the snapshot`,
      };
    }
    this.#seen.add(e.key);
    const slip = slippedId(m, e, this.#states.get(e.key)?.nationalId, fullNationalId(e.subject.national_id));
    if (slip) {
      this.#firstRefused ??= e.line;
      return slip;
    }
    const tz = m.timeZone;
    // The list as of its date cannot hold an entry registered after it (a mistyped year would date
    // the listing then, and the person would hold no flag until that day). Still on the list, so
    // its entry is not removed; the row is refused.
    if (e.listedAt > this.#asOf) {
      this.#firstRefused ??= e.line;
      return {
        line: e.line,
        ...(m.listed.at.columns[0] ? { column: m.listed.at.columns[0] } : {}),
        reason: `"${whenText(e.listedAt, tz)}" is after the snapshot's date (${whenText(this.#asOf, tz)}): a list cannot hold an entry registered after it`,
      };
    }
    const st = this.#states.get(e.key);
    const deleted = e.deletionAt !== undefined && e.deletionAt <= this.#asOf;
    // Removed on this snapshot's very date (by another list of that date): two lists of one date
    // disagree. The removal stands, as a delta's on a relisting's own day does, so that whichever
    // of the two is imported first the entry ends removed; listed again at the instant of its
    // removal, which stood was left to how facts of one instant sort. The row is refused.
    if (!deleted && st !== undefined && !st.live && st.removedAt === this.#asOf) {
      // The row was read and names a known entry: it counts as a row the list gave. Counted as
      // refused, a list whose only row this is would withhold every other removal it calls for
      // ("no row accepted"), which it makes when imported before that removal: order would decide.
      this.#accepted++;
      // What the entry held that day is still news: a list of the date that changed it, imported
      // before the removal, stored the change, so one imported after stores it too (the entry stays
      // removed; replayed, the update comes after the removal and lists nothing).
      const content = contentOf(e.subject, e.data);
      const day = sameDay(st, this.#asOf);
      const stale = day !== undefined && content === st.contentBefore;
      if (m.updated && content !== st.content && day?.includes(content) !== true && !stale) {
        return [
          {
            id: `${entryFactId(e.key, 'U', whenText(this.#asOf, tz))}~${hash6(content)}`,
            type: m.updated.type,
            at: this.#asOf,
            subject: e.subject,
            data: e.data,
            line: e.line,
          },
        ];
      }
      return {
        line: e.line,
        column: m.key.join(', '),
        reason: `entry "${e.key}" was removed on ${whenText(this.#asOf, tz)}, this snapshot's own date (a list of that date did not hold it, or a delta removed it): on one date the removal stands, so it is not listed again (import a later list that holds it, or send its listing as a delta with the date it was listed again)`,
      };
    }
    this.#accepted++;
    const content = contentOf(e.subject, e.data);
    const out: MappedFact[] = [];
    let subject: Subject = e.subject;
    let moved = false;
    if (!liveAt(m, st, this.#asOf)) {
      // The register's own deletion date has passed: the entry must not be stored at all.
      if (deleted) {
        this.#pastDeletion++;
        return [];
      }
      const id =
        st === undefined
          ? listingId(e.key, whenText(e.listedAt, tz), whenText(this.#asOf, tz), content)
          : uniqueId(st, entryFactId(e.key, 'L', whenText(e.listedAt, tz)), whenText(this.#asOf, tz));
      // An entry that was removed and is back is listed again as of this snapshot, after its removal.
      const at = st ? Math.max(e.listedAt, this.#asOf) : e.listedAt;
      out.push({ id, type: m.listed.type, at, subject, data: e.data, line: e.line });
    } else if ((st.contentAt ?? Number.NEGATIVE_INFINITY) > this.#asOf) {
      // A later listing or update already says what the entry holds (this snapshot is older).
      subject = { subjectId: st.subject };
    } else {
      const now = fullNationalId(e.subject.national_id);
      if (st.nationalId !== undefined && now !== undefined && now !== st.nationalId) {
        moved = true;
        // The entry now names another person (the court corrected the ID number): an update would
        // go to the person named now and set nothing, while the one first named kept the flag. The
        // listing ends for that person just before this snapshot and is made for this one at it
        // (before, so that replayed in time order the entry is live, whoever the two turn out to be).
        const endAt = this.#asOf - 1;
        out.push({
          id: uniqueId(st, entryFactId(e.key, 'R', whenText(endAt, tz)), 'moved'),
          type: m.removed.type,
          at: endAt,
          subject: { subjectId: st.subject },
          data: removalData(m, e.data),
          line: e.line,
        });
        out.push({
          id: uniqueId(st, entryFactId(e.key, 'L', whenText(e.listedAt, tz)), whenText(this.#asOf, tz)),
          type: m.listed.type,
          at: this.#asOf,
          subject: e.subject,
          data: e.data,
          line: e.line,
        });
      } else if (sameFileListing(st, whenText(this.#asOf, tz), e.listedAt)) {
        // First listed by another file of this date: a content none of them gave is this file's
        // listing, as it would have been had this file come first (`listingId`).
        subject = { subjectId: st.subject };
        if (st.listContents?.includes(content) === false)
          out.push({
            id: listingId(e.key, whenText(e.listedAt, tz), whenText(this.#asOf, tz), content),
            type: m.listed.type,
            at: e.listedAt,
            subject: e.subject,
            data: e.data,
            line: e.line,
          });
      } else {
        subject = { subjectId: st.subject };
        const day = sameDay(st, this.#asOf);
        if (m.updated && day?.includes(content) === false && content === st.contentBefore) {
          return contradicts(m, e, this.#asOf);
        }
        if (content !== st.content && m.updated && day?.includes(content) !== true) {
          // Named by its date and content, as a delta's update is: the same change on one day, by a
          // list or by a delta, is one fact whichever came first (by date alone, the two orders
          // stored it under two ids).
          const id = uniqueId(
            st,
            `${entryFactId(e.key, 'U', whenText(this.#asOf, tz))}~${hash6(content)}`,
            'x',
          );
          out.push({
            id,
            type: m.updated.type,
            at: this.#asOf,
            subject: e.subject,
            data: e.data,
            line: e.line,
          });
        }
      }
    }
    // A listing ingest refuses as past its retention (an entry of 2023 in a register kept P3Y)
    // leaves the entry unstored: the row's other facts (the removal its deletion date schedules,
    // the end of the listing of the person first named, retractions of removals scheduled before)
    // would change what is not stored, and bring the person's names and numbers for nothing. The
    // row gives its listing alone, refused with its line and column; run again, the same.
    const listing = out.find((f) => f.type === m.listed.type);
    if (listing !== undefined && pastRetention(this.#retention, listing)) return [listing];
    // Removals an earlier import scheduled by the deletion date it was shown. (Without deletion
    // dates, one dated after this snapshot is a newer snapshot's, imported first: it stands.)
    const ahead = m.deletion === undefined ? [] : (st?.removals?.filter((r) => r.at > this.#asOf) ?? []);
    // A removal scheduled for the person first named does not end the entry for the one named now.
    const kept = deleted || moved ? undefined : ahead.find((r) => r.at === e.deletionAt);
    if (e.deletionAt !== undefined && kept === undefined) {
      // The register's own deletion date ends the entry: when it has passed, now; when it is still
      // ahead, on that date (a removal dated then, so the flag clears on time without another
      // import). A deletion already scheduled on that date by an earlier import is not sent again.
      const at = e.deletionAt;
      const id = entryFactId(e.key, 'R', whenText(at, tz));
      // A known entry's removal may have had that id before, since retracted (a date moved away
      // and back, or dropped and given again), and a retracted id is spent: it takes the snapshot's.
      out.push({
        id: st ? `${id}~${whenText(this.#asOf, tz)}` : id,
        type: m.removed.type,
        at,
        subject,
        data: removalData(m, e.data),
        line: e.line,
        scheduled: true,
      });
    }
    // The register moved or dropped the date: the removal scheduled on the old one would end the
    // entry then. Retracted after its replacement is sent, so a crash in between leaves both,
    // and the run again finds the new one kept and retracts the old.
    for (const r of ahead) {
      if (r === kept) continue;
      out.push({
        id: `${r.id}~retracted`,
        type: m.removed.type,
        at: this.#asOf,
        subject,
        data: {},
        line: e.line,
        retracts: r.id,
      });
    }
    return out;
  }

  /**
   * A row of the snapshot that was refused: its entry (when its key could be read) is still
   * listed, so it is not removed; a refused row whose entry cannot be told (an empty key, a row
   * garbled by a stray quote) could be any entry, so `finish` then removes none.
   */
  refused(line: number, key: string | undefined): void {
    this.#firstRefused ??= line;
    if (line > this.#lastLine) this.#lastLine = line;
    if (key !== undefined) this.#seen.add(key);
    else this.#unknownRow ??= line;
  }

  /**
   * Set by `finish` when removals were withheld: a refused row naming no entry, or no row of the
   * snapshot accepted at all (a file the mapping does not fit, or that holds no entry: every entry
   * would look gone), or more removals than the guard allows (a file cut at a line break).
   */
  get withheld(): Withheld | undefined {
    return this.#withheld;
  }

  /**
   * Removals of every live entry the snapshot did not hold, dated at the snapshot; none when a
   * refused row could have been any of them (see `withheld`).
   */
  finish(): MappedFact[] {
    const m = this.#m;
    const out: MappedFact[] = [];
    // A file that holds no entry at all (a header alone, or only rows left out as `skip`) is a
    // truncated or wrong export far more often than a list emptied overnight: removals then come
    // from a delta.
    const blocked =
      this.#unknownRow !== undefined
        ? { line: this.#unknownRow, why: 'a refused row names no entry' }
        : this.#accepted === 0 && this.#firstRefused !== undefined
          ? { line: this.#firstRefused, why: 'no row of the snapshot was accepted' }
          : this.#accepted === 0
            ? { line: 1, why: 'the snapshot holds no entry' }
            : undefined;
    // An entry listed after the snapshot's date (an older snapshot imported late) was not yet on
    // the list it shows: its absence removes nothing.
    const gone = (key: string, st: EntryState): boolean =>
      liveAt(m, st, this.#asOf) && !this.#seen.has(key) && !((st.listedAt ?? -Infinity) > this.#asOf);
    if (blocked) {
      let removals = 0;
      for (const [key, st] of this.#states) if (gone(key, st)) removals++;
      if (removals > 0) this.#withheld = { ...blocked, removals };
      return out;
    }
    const guard = this.#guard;
    if (guard) {
      // The entries the list held before this snapshot, and how many it no longer holds. A CSV
      // export has no row count or closing line, so a file cut at a line break reads as a shorter
      // list: every entry after the cut would be removed, lifting flags and the bans they carry.
      let listed = 0;
      let removals = 0;
      for (const [key, st] of this.#states) {
        if (!liveAt(m, st, this.#asOf) || (st.listedAt ?? -Infinity) > this.#asOf) continue;
        listed++;
        if (!this.#seen.has(key)) removals++;
      }
      if (removals > guard.min && removals > guard.share * listed) {
        this.#withheld = {
          line: this.#lastLine,
          removals,
          why: `the snapshot would remove ${removals} of the ${listed} entries listed before it (more than ${percent(guard.share)}): a list cut short ends at a line break like a whole one`,
          mass: true,
        };
        return out;
      }
    }
    for (const [key, st] of this.#states) {
      if (!gone(key, st)) continue;
      const parts = key.split('|');
      const data: Record<string, FieldValue> = {};
      m.removalData.forEach((f, i) => {
        const v = keyFieldValue(m, f, parts[m.removalKey[i] as number]);
        if (v !== undefined) data[f] = v;
      });
      const id = uniqueId(st, entryFactId(key, 'R', whenText(this.#asOf, m.timeZone)), 'x');
      out.push({
        id,
        type: m.removed.type,
        at: this.#asOf,
        subject: { subjectId: st.subject },
        data,
        line: 0,
      });
    }
    return out;
  }
}

/**
 * A delta row's facts: listings, updates and removals as the file says, each dated by its own
 * column. An update or removal of an entry never listed (neither stored nor earlier in the file)
 * is refused. Ids depend only on the row, so a re-imported delta is a no-op. A change ingest will
 * refuse as past its retention (`retention`) leaves the entry as it was: a later row of the file
 * finds it as a later file would (an entry whose listing was refused, never listed).
 */
export function deltaFacts(
  m: RegisterMapping,
  states: Map<string, EntryState>,
  e: EntryRow,
  retention: RetentionCutoffs = {},
): MappedFact[] | RowRefusal {
  const tz = m.timeZone;
  const st = states.get(e.key);
  if (e.action === 'listing') {
    // Registered after the change that listed it: a mistyped year (2062 for 2026) would date the
    // listing then, and the person would hold no flag until that day.
    if (e.at !== undefined && e.listedAt > e.at) {
      const c = m.listed.at.columns[0];
      return {
        line: e.line,
        ...(c ? { column: c } : {}),
        reason: `"${whenText(e.listedAt, tz)}" is after the listing's change date (${whenText(e.at, tz)}): an entry cannot be registered after it was listed`,
      };
    }
    const listed = whenText(e.listedAt, tz);
    const content = contentOf(e.subject, e.data);
    const fileDay = whenText(e.at ?? e.listedAt, tz);
    // A new entry's listing carries the file's date and its content (`listingId`); an entry known
    // already keeps the id its listing of that registration date was stored under, so a listing
    // sent again is that one (a duplicate), not a second listing.
    const own = listingId(e.key, listed, fileDay, content);
    const first =
      st === undefined
        ? own
        : st.ids.includes(own)
          ? own
          : (st.ids.find((i) => i.startsWith(`${entryFactId(e.key, 'L', listed)}@`)) ??
            asStored(m, st, entryFactId(e.key, 'L', listed), e.key));
    const person = fullNationalId(e.subject.national_id);
    if (
      st !== undefined &&
      !st.ids.includes(own) &&
      sameFileListing(st, fileDay, e.listedAt) &&
      (person === undefined || st.nationalId === undefined || person === st.nationalId)
    ) {
      // First listed by another file of this date with another content: this row's listing too.
      // (One naming another person is not: two listings would flag both, and a removal end one.)
      const fact: MappedFact = {
        id: own,
        type: m.listed.type,
        at: e.listedAt,
        subject: e.subject,
        data: e.data,
        line: e.line,
      };
      if (pastRetention(retention, fact)) return [fact];
      st.ids.push(own);
      st.listContents?.push(content);
      if (own > (st.listLastId ?? '')) {
        st.listLastId = own;
        st.content = content;
      }
      return [fact];
    }
    // Back on the list after a removal, under the same registration date: a new listing dated by
    // the row's change date (so it comes after the removal), not a duplicate of the first one.
    const removed = st !== undefined && !st.live && st.ids.includes(first);
    if (removed && e.at === undefined) {
      return {
        line: e.line,
        ...(m.removed.at?.columns[0] ? { column: m.removed.at.columns[0] } : {}),
        reason: `entry "${e.key}" was removed; listing it again needs the date it was relisted`,
      };
    }
    // A change date not after the removal is the listing the removal ended, sent again by an
    // older file imported late: the stored listing, so nothing new. (On the removal's own day the
    // removal stands, as the entry's state orders them: `deriveEntryStates`.)
    if (removed && st.removedAt !== undefined && (e.at as number) <= st.removedAt) {
      return [
        { id: first, type: m.listed.type, at: e.listedAt, subject: e.subject, data: e.data, line: e.line },
      ];
    }
    const relisted = removed;
    const at = relisted ? Math.max(e.listedAt, e.at as number) : e.listedAt;
    // Not uniqueId: on a re-import the stored relisting has this very id, and must be a duplicate.
    const id = relisted ? `${first}~${whenText(at, tz)}` : first;
    const fact: MappedFact = { id, type: m.listed.type, at, subject: e.subject, data: e.data, line: e.line };
    if (pastRetention(retention, fact)) return [fact];
    const next: EntryState = st ?? { subject: '', live: false, content: '', ids: [] };
    next.live = true;
    // A new listing's person is known once it is stored: until then a removal later in the file
    // names them by the row's columns (`removalSubject`). One already stored is a re-sent row.
    if (!next.ids.includes(id)) {
      next.subject = '';
      next.listedOn = listedOnOf(id);
      next.listContents = next.listedOn === undefined ? undefined : [content];
      next.listLastId = id;
    }
    next.listedAt = at;
    next.nationalId = fullNationalId(e.subject.national_id);
    next.content = content;
    next.contentAt = at;
    next.dayContents = undefined;
    next.contentBefore = undefined;
    next.ids.push(id);
    states.set(e.key, next);
    return [fact];
  }
  if (!st) {
    return {
      line: e.line,
      column: m.key.join(', '),
      reason: `entry "${e.key}" was never listed, so it cannot be ${e.action === 'update' ? 'updated' : 'removed'}`,
    };
  }
  const at = e.at as number;
  // A change dated before the listing it would change ends nothing (the listing comes after it, so
  // the flag stays set) and says what never was. One already stored is a re-sent file: a duplicate.
  const early = (id: string): RowRefusal | undefined => {
    if (st.listedAt === undefined || at >= st.listedAt || st.ids.includes(id)) return undefined;
    const c = e.action === 'update' ? m.updated?.at : m.removed.at;
    const raw = c?.columns[0];
    return {
      line: e.line,
      ...(raw ? { column: raw } : {}),
      reason: `"${whenText(at, tz)}" is before the entry was listed (${whenText(st.listedAt, tz)}): it cannot be ${e.action === 'update' ? 'updated' : 'removed'} then`,
    };
  };
  // A change after the entry's removal, with no listing again between, ends or changes a listing
  // that had already ended: a second removal, or an update of an entry no longer on the list, says
  // what never was. One already stored is a re-sent file: a duplicate.
  const ended = (id: string): RowRefusal | undefined => {
    if (st.live || st.removedAt === undefined || at <= st.removedAt || st.ids.includes(id)) return undefined;
    const c = e.action === 'update' ? m.updated?.at : m.removed.at;
    const raw = c?.columns[0];
    return {
      line: e.line,
      ...(raw ? { column: raw } : {}),
      reason: `entry "${e.key}" was removed on ${whenText(st.removedAt, tz)} and not listed again: it cannot be ${e.action === 'update' ? 'updated' : 'removed'} on ${whenText(at, tz)} (send a listing first if it is back on the list)`,
    };
  };
  // A row naming another full ID than the entry's listing would change that other person: an
  // update or removal there sets or ends nothing, and the person listed keeps the flag.
  const named = fullNationalId(e.subject.national_id);
  const another = (id: string): RowRefusal | undefined => {
    if (st.nationalId === undefined || named === undefined || named === st.nationalId || st.ids.includes(id))
      return undefined;
    const slip = slippedId(m, e, st.nationalId, named);
    if (slip) return slip;
    const cols = m.subject.national_id?.columns.join(', ');
    return {
      line: e.line,
      ...(cols ? { column: cols } : {}),
      reason: `names another person (${named}) than the entry's listing (${st.nationalId}): send the ${e.action === 'update' ? 'update' : 'removal'} with the listed person's columns, or remove the entry and list it again for this one`,
    };
  };
  if (e.action === 'update') {
    if (!m.updated) return { line: e.line, reason: 'the mapping declares no update event type' };
    const content = contentOf(e.subject, e.data);
    const id = `${entryFactId(e.key, 'U', whenText(at, tz))}~${hash6(content)}`;
    const refused = early(id) ?? ended(id) ?? another(id);
    if (refused) return refused;
    // Another file of this date changed the entry, and this row gives what it held before: the
    // change stands, as it does when this file comes first (it then leaves no trace).
    const day = sameDay(st, at);
    if (day !== undefined && !day.includes(content) && content === st.contentBefore && !st.ids.includes(id))
      return contradicts(m, e, at);
    // An update that says what the entry already holds changes nothing: no fact (stored, it was a
    // change on the person's file that changed nothing, and a later snapshot compared with it). One
    // already stored by an import before this rule stays a duplicate of itself, as a re-sent file.
    if ((content === st.content || day?.includes(content)) && !st.ids.includes(id)) return [];
    // The update carries the row's subject as sent, so the next snapshot compares like with like.
    const fact: MappedFact = { id, type: m.updated.type, at, subject: e.subject, data: e.data, line: e.line };
    if (pastRetention(retention, fact)) return [fact];
    if (day !== undefined) {
      if (!day.includes(content)) st.dayContents?.push(content);
    } else if (st.contentAt === undefined || at >= st.contentAt) {
      st.contentBefore = st.content;
      st.dayContents = [content];
      st.contentAt = at;
    }
    st.content = content;
    st.ids.push(id);
    return [fact];
  }
  const id = entryFactId(e.key, 'R', whenText(at, tz));
  // Removed already on this very date (by a list of that date that left it out, or by this file
  // sent again): the row says what the entry holds, as an update of its content does: no fact,
  // counted unchanged. Sent as a fact, it shared the stored removal's id with another body (the
  // list names the person by id, a row by its columns) and was refused as a conflict.
  if (!st.live && st.removedAt === at && st.ids.includes(id)) return [];
  const refused = early(id) ?? ended(id) ?? another(id);
  if (refused) return refused;
  const data = removalData(m, e.data);
  const fact: MappedFact = {
    id,
    type: m.removed.type,
    at,
    subject: removalSubject(st, e, id, data),
    data,
    line: e.line,
  };
  if (pastRetention(retention, fact)) return [fact];
  st.live = false;
  st.removedAt = at;
  st.ids.push(id);
  return [fact];
}

/**
 * The person a delta's removal names. The listed person by id, as a snapshot's removal names them,
 * when the entry's listing is stored: a delta and a list of one date that both remove the entry
 * share the removal's id, and the one stored first was kept, by id from a list and by the row's
 * columns from a delta, so the import order decided the stored body. The row's columns while the
 * listing is in the same file (its person is not known yet). A removal already stored keeps the
 * form it was stored with, so a delta sent again is already stored, not a conflict.
 */
function removalSubject(
  st: EntryState,
  e: EntryRow,
  id: string,
  data: Readonly<Record<string, FieldValue>>,
): Subject {
  const byId: Subject | undefined = st.subject ? { subjectId: st.subject } : undefined;
  const stored = st.storedRemovals?.get(id);
  if (stored !== undefined) {
    for (const s of [byId, e.subject]) if (s && contentOf(s, data) === stored) return s;
  }
  return byId ?? e.subject;
}

// A short, stable digest (FNV-1a) so two updates on one day get different ids.
/**
 * A fact id as the entry's stored fact spells it: a listing stored before its key was read as rows
 * are now (a values word as the cell spelt it, `hc|C-1#L:…` for `HC`) is that listing, so a delta
 * sending it again is already stored, not a second listing.
 */
function asStored(m: RegisterMapping, st: EntryState | undefined, id: string, key: string): string {
  if (st === undefined || st.ids.includes(id)) return id;
  const rest = id.slice(key.length);
  return (
    st.ids.find((s) => s.endsWith(rest) && foldStoredKey(m, s.slice(0, s.length - rest.length)) === key) ?? id
  );
}

function hash6(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
