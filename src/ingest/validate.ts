import type { ErrorCode } from '../core/errors/index.js';
import type { FieldValue, Subject } from '../core/facts/fact.js';
import { formatInstant, isDuration, parseDuration, tryParseInstant } from '../core/time/index.js';
import { CONSENT_TYPES, type EventCatalog } from './event-catalog.js';
import { inexactNumber, MAX_FACT_DEPTH, nestedDeeperThan, repeatedKey } from './json-keys.js';
import type { SourceLine } from './jsonl-reader.js';
import type { ProgramSet } from './program-set.js';
import { hasIdentifier } from './resolve/identifiers.js';
import { specialFactField, specialSource, specialType } from './special-fields.js';

/** The longest line a fact may be (1 Mi characters). */
export const MAX_LINE_CHARS = 1 << 20;

interface Common {
  readonly line: SourceLine;
  /** `source/id`. */
  readonly key: string;
  readonly source: string;
  readonly id: string;
  readonly at: number;
  /** The parsed fact, for that canonical comparison. */
  readonly value: Readonly<Record<string, unknown>>;
}

export interface ParsedFact extends Common {
  readonly kind: 'fact';
  readonly type: string;
  readonly subject: Subject;
  readonly data: Readonly<Record<string, FieldValue>>;
  readonly programs: readonly string[];
}

export interface ParsedConsent extends Common {
  readonly kind: 'consent';
  readonly type: string;
  readonly subject: Subject;
  readonly data: Readonly<Record<string, FieldValue>>;
  readonly program: string;
  readonly action: 'opt-in' | 'opt-out';
}

export interface ParsedRetraction extends Common {
  readonly kind: 'retraction';
  readonly retracts: string;
}

export type ParsedLine = ParsedFact | ParsedConsent | ParsedRetraction;

/** A refused line: where, which field, why, and the line as sent (for `--rejects`). */
export interface Rejection {
  readonly file: string;
  readonly line: number;
  readonly code: ErrorCode;
  readonly field?: string;
  readonly reason: string;
  readonly text: string;
}

export type LineVerdict = ParsedLine | Rejection;

export function isRejection(v: LineVerdict): v is Rejection {
  return (v as Rejection).reason !== undefined;
}

const describe = (v: unknown): string =>
  v === undefined
    ? 'nothing'
    : v === null
      ? 'null'
      : Array.isArray(v)
        ? 'an array'
        : typeof v === 'string'
          ? `the string ${JSON.stringify(v)}`
          : `${typeof v} ${JSON.stringify(v)}`;

// A top-level function, not a closure per line: validation runs for every line of every file.
function refuse(line: SourceLine, code: ErrorCode, reason: string, field?: string): Rejection {
  return {
    file: line.file,
    line: line.line,
    code,
    reason,
    text: line.text,
    ...(field !== undefined ? { field } : {}),
  };
}

/** A fact nested past `MAX_FACT_DEPTH`: read recursively (validation, export), it would overflow the stack. */
export function deepRefusal(line: SourceLine): Rejection {
  return refuse(
    line,
    'CREDENCE_E_FACT_INVALID',
    `the fact is nested more than ${MAX_FACT_DEPTH} levels deep; a fact is a few levels deep`,
  );
}

/**
 * Parses and validates one line against the loaded programs' event types. Never throws:
 * a bad line comes back as a `Rejection` naming the field and the reason.
 *
 * @example
 * validateLine({ file: 'f.jsonl', line: 3, text: '{"id":1}' }, catalog) // Rejection, field "id"
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Whether a source or id is refused as one no fact can name the same way twice: spaces around it
 * (`" shop"` would be a second `shop`) or a control character. A furnisher key's source is held
 * to the same rule, or every fact it sent would be refused.
 */
export const unnameable = (text: string): boolean => text.trim() !== text || CONTROL.test(text);
// Sources repeat (a few per file): each name is checked once.
const sourcesSeen = new Set<string>();

// Characters a terminal does not show (controls, zero-width and format characters, line
// separators), as JSON.parse's message quotes the one it stopped at.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to name
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;

/** A message with each invisible character written as its code point (`\u0000`). */
function visible(message: string): string {
  return message.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JSON.parse's message, with the invisible character it quotes or stopped at named: a NUL or a
 * zero-width space pasted into a line is otherwise refused for a character no one can see.
 */
function jsonFailure(e: Error, text: string): string {
  const message = visible(e.message);
  const at = /at position (\d+)/.exec(e.message);
  const c = at ? text[Number(at[1])] : undefined;
  INVISIBLE.lastIndex = 0;
  return c !== undefined && INVISIBLE.test(c)
    ? `${message} (${visible(c)}, a character that does not show)`
    : message;
}

export function validateLine(line: SourceLine, catalog: EventCatalog): LineVerdict {
  // A fact is a few hundred characters; a line of megabytes is a mistake (a whole export on one
  // line) or an attack on the store, and would be kept for good.
  if (line.text.length > MAX_LINE_CHARS) {
    return refuse(
      line,
      'CREDENCE_E_FACT_INVALID',
      `the line holds ${line.text.length} characters, more than the ${MAX_LINE_CHARS} a fact may take`,
    );
  }
  let value: unknown = line.value;
  if (value !== undefined && nestedDeeperThan(value)) return deepRefusal(line);
  if (value === undefined) {
    // A line in another encoding (GBK, Latin-1) was decoded with replacement characters: its
    // names would be stored garbled.
    if (line.text.includes('\uFFFD'))
      return refuse(line, 'CREDENCE_E_FACT_JSON', 'not UTF-8 text: save the file as UTF-8 and send it again');
    try {
      value = JSON.parse(line.text);
    } catch (e) {
      return refuse(line, 'CREDENCE_E_FACT_JSON', `not valid JSON: ${jsonFailure(e as Error, line.text)}`);
    }
    if (nestedDeeperThan(value)) return deepRefusal(line);
    // An ID or account number sent as a JSON number past 2^53 is rounded by JSON.parse: it would
    // be stored as written and read as someone else's.
    const inexact = inexactNumber(line.text, value);
    if (inexact !== undefined) {
      return refuse(
        line,
        'CREDENCE_E_FACT_INVALID',
        `the number ${inexact.literal} has more digits than a JSON number holds exactly (it reads as ${inexact.read}): send an ID, account or card number as a string ("${inexact.literal}")`,
        ...(inexact.path === '' ? [] : [inexact.path]),
      );
    }
    // The line is the stored body: a key named twice would keep, unvalidated, what JSON.parse dropped.
    const twice = repeatedKey(line.text, value);
    if (twice !== undefined) {
      const name = twice.slice(twice.lastIndexOf('.') + 1);
      return refuse(
        line,
        'CREDENCE_E_FACT_JSON',
        twice === ''
          ? 'a key appears twice in one object (written two ways): send each key once'
          : `"${name}" appears twice in one object: send each key once (only the last would be read, both would be stored)`,
        ...(twice === '' ? [] : [twice]),
      );
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return refuse(line, 'CREDENCE_E_FACT_INVALID', `a fact must be a JSON object, got ${describe(value)}`);
  }
  const o = value as Record<string, unknown>;
  for (const field of ['id', 'source'] as const) {
    const v = o[field];
    if (v === undefined) return refuse(line, 'CREDENCE_E_FACT_INVALID', `missing field "${field}"`, field);
    // Only spaces is as empty as nothing: `" "` would be an id no one can read back or retract.
    if (typeof v !== 'string' || v.trim().length === 0) {
      return refuse(line, 'CREDENCE_E_FACT_INVALID', `must be a non-empty string, got ${describe(v)}`, field);
    }
  }
  const source = o.source as string;
  const id = o.id as string;
  if (source.includes('/')) return refuse(line, 'CREDENCE_E_FACT_INVALID', 'must not contain "/"', 'source');
  if (!sourcesSeen.has(source)) {
    // `" shop"` or `"shop\u0000x"` would be a source of its own that reads as `shop`: the same
    // facts sent under it are stored and scored twice. As `credence import` refuses such a name.
    if (unnameable(source)) {
      return refuse(
        line,
        'CREDENCE_E_FACT_INVALID',
        `must have no spaces around it and no control characters, got ${JSON.stringify(source)}`,
        'source',
      );
    }
    if (sourcesSeen.size < 10_000) sourcesSeen.add(source);
  }
  // The same for an id: `"p1 "` beside `"p1"` is a second fact that reads as the first, so a
  // re-sent payment with a padded id counted twice, and retracting "p1" left it standing.
  if (unnameable(id)) {
    return refuse(
      line,
      'CREDENCE_E_FACT_INVALID',
      `must have no spaces around it and no control characters, got ${JSON.stringify(id)}`,
      'id',
    );
  }
  const specialSourceReason = specialSource(source);
  if (specialSourceReason) return refuse(line, 'CREDENCE_E_FACT_PROHIBITED', specialSourceReason, 'source');
  const special = specialFactField(o);
  if (special) return refuse(line, 'CREDENCE_E_FACT_PROHIBITED', special.reason, special.field);
  if (o.occurredAt === undefined)
    return refuse(line, 'CREDENCE_E_FACT_INVALID', 'missing field "occurredAt"', 'occurredAt');
  // A date alone (which parseInstant takes as UTC midnight, for --as-of) names no instant: from a
  // furnisher at +08:00 it would date the fact eight hours late.
  const dateOnly = typeof o.occurredAt === 'string' && o.occurredAt.length === 10;
  const at = dateOnly ? undefined : tryParseInstant(o.occurredAt);
  if (at === undefined) {
    return refuse(
      line,
      'CREDENCE_E_FACT_INVALID',
      `must be an ISO 8601 instant with a time zone (e.g. 2026-03-01T10:00:00Z), got ${describe(o.occurredAt)}`,
      'occurredAt',
    );
  }
  const key = `${source}/${id}`;

  if (o.retracts !== undefined) {
    if (typeof o.retracts !== 'string' || o.retracts.length === 0) {
      return refuse(
        line,
        'CREDENCE_E_FACT_INVALID',
        `must be a non-empty string, got ${describe(o.retracts)}`,
        'retracts',
      );
    }
    if (o.type !== undefined) {
      return refuse(
        line,
        'CREDENCE_E_FACT_INVALID',
        'a retraction carries no "type"; send either a fact or a retraction',
        'type',
      );
    }
    if (o.retracts === id)
      return refuse(line, 'CREDENCE_E_FACT_INVALID', 'a retraction cannot retract itself', 'retracts');
    return {
      kind: 'retraction',
      line,
      key,
      source,
      id,
      at,
      retracts: o.retracts,
      value: o,
    };
  }

  if (o.type === undefined) return refuse(line, 'CREDENCE_E_FACT_INVALID', 'missing field "type"', 'type');
  if (typeof o.type !== 'string' || o.type.length === 0) {
    return refuse(
      line,
      'CREDENCE_E_FACT_INVALID',
      `must be a non-empty string, got ${describe(o.type)}`,
      'type',
    );
  }
  const type = o.type;
  const consent = CONSENT_TYPES[type];
  const use = catalog.types.get(type);
  if (!consent && !use) {
    const specialTypeReason = specialType(type);
    if (specialTypeReason) return refuse(line, 'CREDENCE_E_FACT_PROHIBITED', specialTypeReason, 'type');
    return refuse(
      line,
      'CREDENCE_E_FACT_UNKNOWN_TYPE',
      catalog.withheld?.get(type) ?? `no loaded program declares the event type "${type}"`,
      'type',
    );
  }

  if (o.subject === undefined)
    return refuse(line, 'CREDENCE_E_FACT_INVALID', 'missing field "subject"', 'subject');
  if (o.subject === null || typeof o.subject !== 'object' || Array.isArray(o.subject)) {
    return refuse(
      line,
      'CREDENCE_E_FACT_INVALID',
      `must be an object, got ${describe(o.subject)}`,
      'subject',
    );
  }
  const subject = o.subject as Record<string, unknown>;
  for (const k in subject) {
    const v = subject[k];
    if (typeof v !== 'string') {
      return refuse(line, 'CREDENCE_E_FACT_INVALID', `must be a string, got ${describe(v)}`, `subject.${k}`);
    }
  }
  if (subject.subjectId === '')
    return refuse(line, 'CREDENCE_E_FACT_INVALID', 'must not be empty', 'subject.subjectId');
  if (subject.subjectId === undefined && !hasIdentifier(subject as Subject)) {
    return refuse(
      line,
      'CREDENCE_E_SUBJECT_UNRESOLVED',
      'the subject carries neither a subjectId nor an identifier (national_id, passport_number, phone, account, email, other_id)',
      'subject',
    );
  }

  const rawData = o.data ?? {};
  if (rawData === null || typeof rawData !== 'object' || Array.isArray(rawData)) {
    return refuse(line, 'CREDENCE_E_FACT_INVALID', `must be an object, got ${describe(rawData)}`, 'data');
  }
  const data = rawData as Record<string, FieldValue>;

  if (consent) {
    const program = data.program;
    if (typeof program !== 'string' || program.length === 0) {
      return refuse(
        line,
        'CREDENCE_E_FACT_INVALID',
        `must name a program, got ${describe(program)}`,
        'data.program',
      );
    }
    if (!catalog.programs.has(program)) {
      return refuse(line, 'CREDENCE_E_FACT_INVALID', `no program "${program}" is loaded`, 'data.program');
    }
    return {
      kind: 'consent',
      line,
      key,
      source,
      id,
      at,
      type,
      subject: subject as Subject,
      data,
      program,
      action: consent,
      value: o,
    };
  }

  const u = use as NonNullable<typeof use>;
  for (const decl of u.fields) {
    for (const name in decl.fields) {
      const ftype = decl.fields[name] as string;
      const v = data[name];
      if (v === undefined || v === null) {
        return refuse(
          line,
          'CREDENCE_E_FACT_INVALID',
          `missing field "${name}" (${ftype}, declared by ${decl.program})`,
          `data.${name}`,
        );
      }
      if (typeof v !== ftype || (ftype === 'number' && !Number.isFinite(v))) {
        return refuse(
          line,
          'CREDENCE_E_FACT_INVALID',
          typeof v === 'number' && !Number.isFinite(v)
            ? `must be a finite number, got a number too large to hold (${v})`
            : `must be a ${ftype}, got ${describe(v)}`,
          `data.${name}`,
        );
      }
    }
  }
  return {
    kind: 'fact',
    line,
    key,
    source,
    id,
    at,
    type,
    subject: subject as Subject,
    data,
    programs: u.programs,
    value: o,
  };
}

/** How long the rulebooks in force keep an event type: the longest `retain` of those declaring it. */
export interface TypeRetention {
  readonly type: string;
  readonly retainMs: number;
  /** The period as written (`P3Y`), and the program that gives it. */
  readonly retain: string;
  readonly program: string;
}

/**
 * Each event type's retention at `asOf`, by the rulebook version in force then (as scoring and
 * `credence purge` read it); a program with no version in force yet by its newest. A type declared
 * by several programs is kept as long as the longest of their periods; a type any program keeps
 * without a period is never past retention and is left out. The one rule purge deletes by and
 * ingest refuses by, so ingest never stores what a purge at the same instant would delete.
 *
 * @example
 * retentionAt(programs, Date.now()).get('payment.completed') // { retainMs: 94608000000, retain: 'P3Y', program: 'marketplace', ... }
 */
export function retentionAt(
  programs: Pick<ProgramSet, 'ids' | 'at' | 'get' | 'withheldRetention'>,
  asOf: number,
): Map<string, TypeRetention> {
  const longest = new Map<string, TypeRetention | null>();
  for (const program of programs.ids) {
    // A withheld program's refused version compiles no more: its periods are read as stored, so
    // its facts are kept no shorter (nor longer) while it scores no one.
    const held = programs.withheldRetention(program, asOf);
    const rb = held ? undefined : (programs.at(program, asOf) ?? programs.get(program));
    const events = held ? withheldEvents(held) : rb?.events;
    if (!events) continue;
    for (const [type, def] of Object.entries(events)) {
      const had = longest.get(type);
      if (had === null) continue;
      if (def.retainMs === undefined) longest.set(type, null);
      else if (had === undefined || def.retainMs > had.retainMs)
        longest.set(type, {
          type,
          retainMs: def.retainMs,
          retain: def.retain ?? `${def.retainMs} ms`,
          program,
        });
    }
  }
  const out = new Map<string, TypeRetention>();
  for (const [type, r] of longest) if (r) out.set(type, r);
  return out;
}

/** A withheld program's periods as `retentionAt` reads a compiled version's; one not a duration keeps for good. */
function withheldEvents(
  held: ReadonlyMap<string, string | undefined>,
): Record<string, { retain?: string; retainMs?: number }> {
  const out: Record<string, { retain?: string; retainMs?: number }> = {};
  for (const [type, retain] of held)
    out[type] = retain && isDuration(retain) ? { retain, retainMs: parseDuration(retain) } : {};
  return out;
}

/**
 * A fact already past its type's retention at `now` (`retentionAt`), refused: a purge at that
 * instant would delete it at once and no score as of now counts it, so storing it (and the person
 * data it carries) would serve no purpose. Undefined for a fact within retention.
 */
export function pastRetentionRefusal(
  fact: ParsedFact,
  retention: ReadonlyMap<string, TypeRetention>,
  now: number,
): Rejection | undefined {
  const r = retention.get(fact.type);
  if (r === undefined) return undefined;
  const cutoff = now - r.retainMs;
  if (!(fact.at < cutoff)) return undefined;
  return refuse(
    fact.line,
    'CREDENCE_E_FACT_PAST_RETENTION',
    `occurred ${formatInstant(fact.at)}, before ${formatInstant(cutoff)}: "${fact.type}" is kept ${r.retain} (${r.program}), so a purge now would delete it at once`,
    'occurredAt',
  );
}

/**
 * How far past the ingest clock a fact's `occurredAt` may lie: the clock skew allowed between a
 * furnisher's machine and Credence's. Five minutes (Kerberos's default) covers a clock drifting
 * unsynchronised for weeks; a local time sent as UTC from east of Greenwich (the smallest such
 * error is a quarter of an hour, China's is eight hours) and a mistyped year are far past it. Not
 * an option: the bound is what "has happened" means, the same for every surface and every
 * furnisher; one whose clock is further off has a clock to fix, not a tolerance to widen.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * When a consent change takes effect: its date, except an opt-out dated ahead beyond the clock
 * skew (the one change `inFutureRefusal` lets through, as refused it would be lost), which takes
 * effect when it was received. Taken at its date, it outweighed every opt-in the person gave
 * before that date: a desk's typo "2099" kept them out for 73 years, and nothing could undo it
 * (an opt-out cannot be retracted). The fact keeps its date; only its effect is placed in time.
 */
export function consentTakesEffect(at: number, receivedAt: number): number {
  return at > receivedAt + MAX_CLOCK_SKEW_MS ? receivedAt : at;
}

/**
 * A fact dated later than `now` plus `MAX_CLOCK_SKEW_MS`, refused: a fact records something that
 * has happened, and one dated ahead (a wrong clock, a typo "2062", a plant) would sit unseen and
 * start counting on its date. A retraction is checked the same way (its date is when the
 * correction was made, as the person's file shows it). An opt-out never is: refused, it would be
 * lost, and the person scored against their word (the hard line); recorded, it takes effect when
 * it was received (`consentTakesEffect`). An opt-in is checked: dated
 * ahead, it would overtake an opt-out the person gives before that date. Undefined when in time.
 */
export function inFutureRefusal(p: ParsedLine, now: number): Rejection | undefined {
  if (!(p.at > now + MAX_CLOCK_SKEW_MS)) return undefined;
  if (p.kind === 'consent' && p.action === 'opt-out') return undefined;
  return refuse(
    p.line,
    'CREDENCE_E_FACT_IN_FUTURE',
    `occurred ${formatInstant(p.at)}, later than now (${formatInstant(now)}) by more than the ${MAX_CLOCK_SKEW_MS / 60_000} minutes allowed for clock skew: a fact records what has happened; correct the date (or the sending clock) and send it again`,
    'occurredAt',
  );
}
