import type Database from 'better-sqlite3';
import { type App, mergedIds } from '../../app.js';
import type { AuditEntry, AuditLog } from '../../audit/index.js';
import type { CompiledRulebook } from '../../core/rulebook/types.js';
import type { ScoreOutcome } from '../../core/scoring/types.js';
import { formatInstant } from '../../core/time/index.js';
import type { MergeStep } from '../../identity/merge-chain.js';
import { CONSENT_TYPES } from '../../ingest/event-catalog.js';
import { isRefusedVersion } from '../../ingest/program-set.js';
import type { StoredFact } from '../../store/store.js';
import type { Authenticator } from '../auth/index.js';
import { type DisputeService, type DisputeView, heldFactKeys } from './dispute-service.js';
import { scoresAsOfNow } from './file-scores.js';
import { type IdentityDecisionView, identityHistoryOf, linkOrigins } from './identity-history.js';
import { INQUIRY_ACTIONS, SCORE_SENT_ACTIONS } from './inquiry-actions.js';
import { inquiryRanges, tokenPerson, tokensActingFor } from './inquiry-ranges.js';
import { type InquiryWords, NO_WORDS, rulebookWords } from './inquiry-words.js';
import { anyDisputeView, type LinkDisputeView, listAllDisputes } from './link-dispute-service.js';
import type { ProgramHolder } from './program-holder.js';

/**
 * The same instant twelve calendar months earlier (UTC): the window of "scores sent in the last 12
 * months". 365 days fell a day short across a 29 February.
 */
export function twelveMonthsBefore(now: number): number {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.getTime();
}

/**
 * The inquiries that sent a score in the twelve months before `now` (GDPR Art. 15 / Schufa: the
 * scores sent in the last 12 months). A `not-scored` answer sent none.
 */
export function scoresSentOf<T extends Inquiry>(inquiries: readonly T[], now: number): T[] {
  const since = twelveMonthsBefore(now);
  return inquiries.filter(
    (i) =>
      i.at >= since &&
      (SCORE_SENT_ACTIONS as readonly string[]).includes(i.action) &&
      i.sent.status === 'scored',
  );
}

export interface Inquiry {
  readonly seq: number;
  readonly at: number;
  /** The relying party's name, and its key id. */
  readonly who: string;
  readonly keyId: string | null;
  readonly purpose: string | null;
  readonly action: string;
  readonly program: string | null;
  /** What was sent: status, score, tier, or the decision (its `asOf` as ISO 8601 text). */
  readonly sent: Readonly<Record<string, unknown>>;
  /** The inquiry in one plain sentence: who asked what, for which purpose, what they were told. */
  readonly what: string;
}

/** An inquiry as the person reads it over the API: its date as ISO 8601 text. */
export type InquiryView = Omit<Inquiry, 'at'> & { readonly at: string };

export function inquiryView(i: Inquiry): InquiryView {
  return { ...i, at: formatInstant(i.at) };
}

/** A stored fact as the person's copy shows it (dates, here and in the whole copy, as ISO 8601 text). */
export interface CopiedFact {
  readonly source: string;
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly storedAt: string;
  readonly data: unknown;
  /** The person as the furnisher named them with this fact (identifiers, address, ...). */
  readonly subject?: unknown;
  /** Whatever else the line carried beside `data` and `subject` (stored as sent, so shown). */
  readonly sent?: Readonly<Record<string, unknown>>;
}

// What every fact line has and the copy shows in its own fields.
const FACT_KEYS = new Set(['id', 'source', 'type', 'occurredAt', 'subject', 'data', 'retracts']);

/** The fields of a stored line beyond its id, source, type, time, subject and data, if any. */
export function sentBeside(body: Record<string, unknown>): { sent?: Record<string, unknown> } {
  const rest = Object.fromEntries(Object.entries(body).filter(([k]) => !FACT_KEYS.has(k)));
  return Object.keys(rest).length > 0 ? { sent: rest } : {};
}

/** A stored fact as a person's copy of their file shows it (the API's and `credence export`'s). */
export function copiedFact(x: StoredFact): CopiedFact {
  // The line is stored as sent: a copy of everything held shows all of it, not only `data`.
  const body = JSON.parse(x.body) as Record<string, unknown> & { data?: unknown; subject?: unknown };
  return {
    source: x.source,
    id: x.id,
    type: x.type,
    occurredAt: formatInstant(x.at),
    storedAt: formatInstant(x.receivedAt),
    data: body.data ?? {},
    ...(body.subject !== undefined ? { subject: body.subject } : {}),
    ...sentBeside(body),
  };
}

/** A person record linked to the person, as resolution decided it, field by field. */
export interface IdentityLink {
  readonly record: string;
  /** The record as furnished (its canonical columns). */
  readonly fields: Readonly<Record<string, string>>;
  /** `new`, `deterministic`, `probabilistic` or `review`. */
  readonly decision: string;
  readonly confidence: number;
  readonly matchedRecord: string | null;
  /** Per field: outcome and weight (and what was compared). */
  readonly evidence: readonly unknown[];
  /** Under an open dispute of theirs ("this record is not me"). */
  readonly disputed: boolean;
  /** Why the record is taken to be them, in one plain sentence. */
  readonly what: string;
}

export interface PersonFileCopy {
  readonly subject: string;
  readonly generatedAt: string;
  readonly facts: readonly (CopiedFact & { disputed: boolean })[];
  /** Facts a retraction undid: still stored, so still part of the copy, each with what undid it. */
  readonly retractedFacts: readonly (CopiedFact & { retractedBy: string[] })[];
  readonly retractions: readonly {
    source: string;
    id: string;
    retracts: string;
    occurredAt: string;
    storedAt: string;
    /** What else the retraction's line carried (a note, a reason), if anything. */
    sent?: Readonly<Record<string, unknown>>;
  }[];
  /** The strong identifiers that name the person. */
  readonly identifiers: readonly { kind: string; value: string }[];
  /** Each person record linked to them, with the evidence identity resolution stored for the link. */
  readonly identityLinks: readonly IdentityLink[];
  readonly consents: readonly { program: string; action: string; at: string; recordedBy: string }[];
  readonly ledgers: readonly {
    program: string;
    factKey: string;
    ruleId: string;
    at: string;
    points: number;
    raw: number;
    dimension: string | null;
    reasonCode: string;
    /** The reason in words, as the rulebook in force at the fact words it (null if none is). */
    reason: string | null;
    /** The line in one sentence: what the rule gave for the fact and, when its cap cut it, what counts. */
    what: string;
  }[];
  readonly scores: readonly {
    program: string;
    version: number;
    asOf: string;
    status: string;
    score: number | null;
    tier: string | null;
    /** Why there is no score (opted-out, not-enrolled, insufficient-data, rulebook-refused). */
    reason: string | null;
  }[];
  readonly scoresSent: readonly InquiryView[];
  readonly inquiries: readonly InquiryView[];
  /** Disputes of facts and of identity links (`kind`). */
  readonly disputes: readonly (DisputeView | LinkDisputeView)[];
  /** Merges, splits and review verdicts about them, in words, never naming another person. */
  readonly identityDecisions: readonly IdentityDecisionView[];
  /** Every person token issued for them: whoever holds one reads and changes their file as them. */
  readonly tokens: readonly PersonToken[];
}

/** A key as `personTokens` reads it (the API's key list, or the `api_keys` rows of a file). */
export interface IssuedKey {
  readonly keyId: string;
  readonly name: string;
  readonly role: string;
  readonly subject: string | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/**
 * The person tokens issued for any of `ids` (the person's id and ids merged into it), oldest first,
 * each with how often and when last it was used on their file (the audit entries filed under them
 * with it as the actor): a token the operator issued to someone else reads the whole file as the
 * person, and the person is owed the knowledge that it exists. Shared by the API's copy of the
 * file and `credence export`.
 */
export async function personTokens(
  keys: readonly IssuedKey[],
  ids: readonly string[],
  entriesAbout: (subject: string) => Promise<readonly AuditEntry[]>,
  currentKeyId?: string,
): Promise<PersonToken[]> {
  const theirs = keys
    .filter((k) => k.role === 'person' && k.subject !== null && ids.includes(k.subject))
    .sort((a, b) => a.createdAt - b.createdAt || (a.keyId < b.keyId ? -1 : 1));
  if (theirs.length === 0) return [];
  const used = new Map<string, { n: number; last: number }>();
  for (const s of ids) {
    for (const e of await entriesAbout(s)) {
      if (!e.actor.startsWith('key:')) continue;
      const u = used.get(e.actor) ?? { n: 0, last: e.at };
      u.n++;
      u.last = Math.max(u.last, e.at);
      used.set(e.actor, u);
    }
  }
  return theirs.map((k) => {
    const u = used.get(`key:${k.keyId}`);
    return {
      keyId: k.keyId,
      name: k.name,
      createdAt: formatInstant(k.createdAt),
      revokedAt: k.revokedAt === null ? null : formatInstant(k.revokedAt),
      current: k.keyId === currentKeyId,
      uses: u?.n ?? 0,
      lastUsedAt: u === undefined ? null : formatInstant(u.last),
    };
  });
}

/** A person token issued for the person (or an id since merged into theirs), as their file lists it. */
export interface PersonToken {
  readonly keyId: string;
  /** The name the operator gave it when issuing it. */
  readonly name: string;
  readonly createdAt: string;
  /** When it was revoked, or null while it works. */
  readonly revokedAt: string | null;
  /** The token this copy was asked with. */
  readonly current: boolean;
  /** How many recorded reads and changes of the file were made with it (this one not yet counted). */
  readonly uses: number;
  readonly lastUsedAt: string | null;
}

/**
 * A person's whole file (GDPR Art. 15): facts with source and storage date, identity links with
 * their evidence, consents, ledgers, cached scores, the scores sent to relying parties in the
 * last 12 months and every inquiry, read from the audit log.
 *
 * @example
 * const copy = await files.copy('P0000001', Date.now());
 */
export class PersonFileService {
  readonly #app: App;
  readonly #audit: AuditLog;
  readonly #auth: Authenticator;
  readonly #disputes: DisputeService;
  readonly #db: Database.Database;
  readonly #programs: ProgramHolder;
  /** Scores as of an instant, as GET /v1/me/scores gives them: the copy's `scores` (file-scores.ts). */
  readonly #scores: { score(subject: string, program: string, asOf: number): Promise<ScoreOutcome> };

  constructor(
    app: App,
    audit: AuditLog,
    auth: Authenticator,
    disputes: DisputeService,
    db: Database.Database,
    programs: ProgramHolder,
    scores: { score(subject: string, program: string, asOf: number): Promise<ScoreOutcome> },
  ) {
    this.#app = app;
    this.#audit = audit;
    this.#auth = auth;
    this.#disputes = disputes;
    this.#db = db;
    this.#programs = programs;
    this.#scores = scores;
  }

  /**
   * The text of a ledger line's reason: its rule's (or inactivity rule's) in the version the stored
   * ledger is derived with, the program's latest (loading a version re-derives the ledgers).
   */
  #reasonText(program: string, ruleId: string, code: string): string | null {
    let rb: CompiledRulebook | undefined;
    try {
      rb = this.#programs.current.get(program);
    } catch (e) {
      // A stored version refused when compiled (the hard line, a check of this build) compiles no more; its lines are still held,
      // so they are still in the person's copy, with their code (as `credence export` shows them).
      if (isRefusedVersion(e)) return null;
      throw e;
    }
    if (!rb) return null;
    const rule = rb.rules.find((r) => r.id === ruleId) ?? rb.inactivity.find((r) => r.id === ruleId);
    return rule?.reason.code === code ? rule.reason.text : null;
  }

  /**
   * The person a person token bound to `subject` (`keyId`) is for by the records it was issued
   * over (`tokenPerson`); undefined where merges alone decide it.
   */
  async tokenPerson(
    subject: string,
    keyId: string,
    decisions?: readonly MergeStep[],
  ): Promise<string | undefined> {
    return tokenPerson(this.#db, subject, keyId, this.#audit, decisions);
  }

  /** The identity decision log (merges and splits among them), read whole. */
  async decisions(): Promise<MergeStep[]> {
    return (await this.#app.store.identityDecisions()).map((t) => JSON.parse(t) as MergeStep);
  }

  /**
   * Every inquiry about the person, oldest first: who, when, for which purpose, what was sent;
   * those made under an id since merged into theirs too (they were about this person), and across
   * a split, those that went with the records it moved (`inquiryRanges`), and no one else's.
   */
  async inquiries(
    subject: string,
    since?: number,
    page: { readonly after?: number | undefined; readonly limit?: number } = {},
    decisions?: readonly MergeStep[],
  ): Promise<Inquiry[]> {
    const entries = [];
    const ranges = await inquiryRanges(this.#db, subject, this.#audit, decisions);
    // Each range's first `limit` after the cursor: the page is the first `limit` of them all in
    // order (those past a range's end are the last of its read, so dropping them keeps that).
    for (const r of ranges) {
      const after = Math.max(page.after ?? 0, r.after ?? 0);
      const read = await this.#audit.query({
        subject: r.subject,
        actions: INQUIRY_ACTIONS,
        ...(since !== undefined ? { since } : {}),
        ...(after > 0 ? { afterSeq: after } : {}),
        ...(page.limit !== undefined ? { limit: page.limit } : {}),
      });
      entries.push(...(r.before === undefined ? read : read.filter((e) => e.seq < (r.before as number))));
    }
    entries.sort((a, b) => a.seq - b.seq);
    if (page.limit !== undefined) entries.length = Math.min(entries.length, page.limit);
    const names = new Map(this.#auth.list().map((k) => [k.keyId, k.name]));
    return entries.map((e) => toInquiry(e, names, rulebookWords(this.#programs.current)));
  }

  /**
   * The person tokens issued for any of `ids`, oldest first, each with how often and when last
   * it was used on their file (the audit entries filed under them with it as the actor): a token
   * the operator issued to someone else reads the whole file as the person, and the person is
   * owed the knowledge that it exists.
   */
  async #tokens(
    subject: string,
    ids: readonly string[],
    currentKeyId: string | undefined,
    decisions: readonly MergeStep[],
  ): Promise<PersonToken[]> {
    // Those acting for them (a token bound to an id a split took their records from, too), and
    // their uses under every id those are bound to.
    const keys = await tokensActingFor(this.#db, subject, ids, this.#auth.list(), this.#audit, decisions);
    const bound = [...new Set([...ids, ...keys.map((k) => k.subject as string)])];
    return personTokens(keys, bound, (s) => this.#audit.query({ subject: s }), currentKeyId);
  }

  /**
   * `currentKeyId`: the person token the copy is asked with (marked `current` in `tokens`). Its
   * `scores` are as of `now`, not as cached after the person's latest fact (`scoresAsOfNow`).
   */
  async copy(
    subject: string,
    now: number,
    currentKeyId?: string,
    read?: readonly MergeStep[],
  ): Promise<PersonFileCopy> {
    const f = await this.#app.store.personFile(subject);
    const scores = await scoresAsOfNow(
      f.scores,
      (program) => this.#scores.score(subject, program, now),
      now,
      {
        subject,
        programs: this.#programs.current.ids,
      },
    );
    const open = this.#disputes.openKeys();
    // The identity decision log, read once for every part that needs it (`read`: as deciding
    // whose file it is read it): the inquiries' and tokens' ids, the ids merged into theirs, the
    // history in words. It is the whole log, and a long-running service records many decisions.
    const decisions = read ?? (await this.decisions());
    const inquiries = await this.inquiries(subject, undefined, {}, decisions);
    const ids = [subject, ...(await mergedIds(this.#app, subject, decisions))];
    const disputes = listAllDisputes(this.#db, { subjects: ids, facts: heldFactKeys(f) }, now);
    const linkDisputed = new Set(
      disputes.flatMap((d) => (d.kind === 'link' && d.status === 'open' ? [d.record] : [])),
    );
    return {
      subject,
      generatedAt: formatInstant(now),
      facts: f.facts
        .filter((x) => CONSENT_TYPES[x.type] === undefined)
        .map((x) => ({ ...copiedFact(x), disputed: open.has(`${x.source}/${x.id}`) })),
      retractedFacts: (f.retractedFacts ?? []).map((x) => ({
        ...copiedFact(x),
        retractedBy: f.retractions
          .filter((r) => r.source === x.source && r.retracts === x.id)
          .map((r) => r.id),
      })),
      retractions: f.retractions.map((r) => ({
        source: r.source,
        id: r.id,
        retracts: r.retracts,
        occurredAt: formatInstant(r.at),
        storedAt: formatInstant(r.receivedAt),
        ...(r.body ? sentBeside(JSON.parse(r.body) as Record<string, unknown>) : {}),
      })),
      identifiers: f.identifiers.map((i) => ({ kind: i.kind, value: i.value })),
      // As `credence export` shows them: the evidence stored with each link, not a made-up one.
      identityLinks: (f.links ?? []).map((l) => {
        const link = JSON.parse(l.link) as { evidence?: unknown[]; matchedRecordId?: string };
        return {
          record: l.recordId,
          fields: JSON.parse(l.body) as Record<string, string>,
          decision: l.decision,
          confidence: l.confidence,
          matchedRecord: link.matchedRecordId ?? l.matched ?? null,
          evidence: link.evidence ?? [],
          disputed: linkDisputed.has(l.recordId),
          what: linkWhat(l.decision, l.confidence, link.evidence ?? []),
        };
      }),
      consents: f.consents.map((c) => ({
        program: c.program,
        action: c.action,
        at: formatInstant(c.at),
        recordedBy: c.factKey,
      })),
      ledgers: f.ledger.map((l) => ({
        program: l.program,
        factKey: l.factKey,
        ruleId: l.ruleId,
        at: formatInstant(l.at),
        points: l.points,
        raw: l.raw,
        dimension: l.dimension,
        reasonCode: l.reasonCode,
        reason: this.#reasonText(l.program, l.ruleId, l.reasonCode),
        what: ledgerWhat(this.#reasonText(l.program, l.ruleId, l.reasonCode) ?? l.ruleId, l.points, l.raw),
      })),
      scores: scores.map((s) => ({
        program: s.program,
        version: s.version,
        asOf: formatInstant(s.asOf),
        status: s.status,
        score: s.score,
        tier: s.tier,
        reason: s.reason,
      })),
      // Answers that carried (or were decided on) a score: a `not-scored` answer sent none.
      scoresSent: scoresSentOf(inquiries, now).map(inquiryView),
      inquiries: inquiries.map(inquiryView),
      disputes: disputes.map((d) => anyDisputeView(d, 'person')),
      identityDecisions: identityHistoryOf(
        decisions,
        ids,
        (f.links ?? []).map((l) => l.recordId),
        linkOrigins(f.links ?? []),
      ),
      tokens: await this.#tokens(subject, ids, currentKeyId, decisions),
    };
  }
}

/** An audit entry as the person reads it: who asked (the key's name), when, why, what was sent. */
export function toInquiry(
  e: AuditEntry,
  names: ReadonlyMap<string, string>,
  words: InquiryWords = NO_WORDS,
): Inquiry {
  const keyId = e.actor.startsWith('key:') ? e.actor.slice(4) : null;
  const detail = JSON.parse(e.detail) as Record<string, unknown>;
  // `who` is the name the key had when it asked, kept in the entry (older entries lack it).
  const { program, who: sealedWho, ...sent } = detail;
  // The audit detail keeps the instant as a number (it is hashed as stored); the person reads a date.
  if (typeof sent.asOf === 'number') sent.asOf = formatInstant(sent.asOf);
  const who =
    (typeof sealedWho === 'string' ? sealedWho : undefined) ??
    (keyId !== null ? names.get(keyId) : undefined) ??
    e.actor;
  const inProgram = typeof program === 'string' ? program : null;
  return {
    seq: e.seq,
    at: e.at,
    who,
    keyId,
    purpose: e.purpose,
    action: e.action,
    program: inProgram,
    sent,
    what: inquiryWhat(e.action, who, e.purpose, inProgram, sent, words),
  };
}

const NO_SCORE: Readonly<Record<string, string>> = {
  'opted-out': 'you had opted out',
  'not-enrolled': 'you had not opted in',
  'insufficient-data': 'too few facts counted',
};

/** A person record's fields as a person names them. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  national_id: 'national ID number',
  passport_number: 'passport number',
  passport_country: 'passport country',
  mrz: 'passport or ID card lines',
  phone: 'phone number',
  email: 'e-mail address',
  account: 'account',
  other_id: 'customer or other ID number',
  given_name: 'given name',
  surname: 'surname',
  full_name: 'full name',
  date_of_birth: 'date of birth',
  sex: 'sex',
  address: 'address',
  city: 'city',
  postcode: 'postcode',
};

/** Words in a list: `a`, `a and b`, `a, b and c`. */
function listed(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * Why a record is linked to the person, in one sentence: the resolver's decision and the details
 * that agreed, in words (the `decision`, `confidence` and `evidence` fields keep the exact terms).
 */
export function linkWhat(decision: string, confidence: number, evidence: readonly unknown[]): string {
  const agreed = [
    ...new Set(
      evidence.flatMap((e) => {
        const x = e as { field?: unknown; outcome?: unknown };
        return x.outcome === 'exact' && typeof x.field === 'string' ? [FIELD_WORDS[x.field] ?? x.field] : [];
      }),
    ),
  ];
  const notYou = ' If this record is not you, you can dispute the link.';
  switch (decision) {
    case 'new':
      return `Your file began with this record: it matched no one known before.${notYou}`;
    case 'deterministic':
      return `Linked to you automatically: ${
        agreed.length > 0
          ? `its ${listed(agreed)} ${agreed.length > 1 ? 'are' : 'is'} the same as in your file`
          : 'an identifier in it is one of yours'
      }.${notYou}`;
    case 'probabilistic':
      return `Linked to you automatically because enough details agree${
        agreed.length > 0 ? ` (${listed(agreed)})` : ''
      }; the link is judged ${certainty(confidence)} certain.${notYou}`;
    case 'review':
      return `An operator linked this record to you after reviewing it.${notYou}`;
    default:
      return `Linked to you (${decision}).${notYou}`;
  }
}

/**
 * A link's confidence as a percentage a person reads: a judged link is never said to be 100% (or
 * 0%) certain, which rounding 0.9999 said of a link made on a name and a phone number alone.
 */
function certainty(confidence: number): string {
  const pct = Math.round(confidence * 100);
  if (pct >= 100 && confidence < 1) return 'more than 99%';
  if (pct <= 0 && confidence > 0) return 'less than 1%';
  return `${pct}%`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * An instant as a person reads it in a sentence: `5 March 2026, 14:30 UTC` (seconds when there are
 * any). The fields keep the exact ISO 8601 text.
 */
export function dateInWords(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const secs = d.getUTCSeconds() !== 0 ? `:${two(d.getUTCSeconds())}` : '';
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${secs} UTC`;
}

/**
 * A ledger line as a sentence: `points` is what the rule gave for the fact, `raw` what counts after
 * the rule's cap (both before points fade with age), names a person cannot tell apart unaided.
 */
function ledgerWhat(reason: string, points: number, raw: number): string {
  const n = (x: number) => `${Math.abs(x)} point${Math.abs(x) === 1 ? '' : 's'}`;
  if (points === raw) return `${reason}: this fact ${raw < 0 ? `takes ${n(raw)} off` : `gives ${n(raw)}`}.`;
  return `${reason}: this fact would ${points < 0 ? `take ${n(points)} off` : `give ${n(points)}`}, but the rule's cap ${
    raw === 0 ? 'lets none of them count' : `lets only ${n(raw)} count`
  }.`;
}

/**
 * The key factors an answer disclosed, in words: ` The key factors sent with it: Late payments
 * (-30 points); …` — each with its text as sent, its points, and whether it was marked disputed.
 * A text that is a sentence of its own (the notice's NO_SCORE) loses its full stop, which the list
 * ends with. Empty when none were sent (entries older than the field, a score with no factor).
 */
function factorsSent(factors: unknown, how: string): string {
  if (!Array.isArray(factors) || factors.length === 0) return '';
  const words = factors.map((f) => {
    const k = f as { text?: unknown; points?: unknown; disputed?: unknown };
    const pts = typeof k.points === 'number' && k.points !== 0 ? ` (${k.points} points)` : '';
    const text = String(k.text).replace(/\.$/, '');
    return `${text}${pts}${k.disputed === true ? ' [marked as disputed by you]' : ''}`;
  });
  return ` The key factors sent ${how}: ${words.join('; ')}.`;
}

/** An inquiry as a sentence a person reads without knowing the API's action codes. */
function inquiryWhat(
  action: string,
  who: string,
  purpose: string | null,
  program: string | null,
  sent: Readonly<Record<string, unknown>>,
  words: InquiryWords,
): string {
  // The rulebook's words, the id beside them for reference (inquiry-words.ts).
  const named = (text: string | undefined, id: string) =>
    text !== undefined ? `"${text}" (${id})` : `"${id}"`;
  const why = `${purpose !== null ? `, for the purpose "${purpose}"` : ''}${
    typeof sent.authorisation === 'string'
      ? `, saying you had authorised it (their reference: ${sent.authorisation}; if you did not, you can contest it)`
      : ''
  }`;
  // The program by its rulebook's name (the inquiry's `program` field keeps the id), the id only
  // when it has none.
  const where = program !== null ? ` in "${words.program(program) ?? program}"` : '';
  const when = typeof sent.asOf === 'string' ? ` as of ${dateInWords(sent.asOf)}` : '';
  // The relying party was not told why (an opt-out is not disclosed): the person reads it here.
  const noScore = `no score exists, and not why (${NO_SCORE[String(sent.reason)] ?? String(sent.reason)})`;
  switch (action) {
    case 'score.query':
      return `${who} asked for your score${where}${when}${why}. They were told: ${
        sent.status === 'scored'
          ? `${sent.score}${sent.tier !== undefined ? `, tier ${sent.tier}` : ''}`
          : noScore
      }.${factorsSent(sent.keyFactors, 'with it')}`;
    case 'decision.query': {
      const policy = String(sent.policy);
      const asked = `${who} asked whether ${named(words.policy(program, policy), policy)} applies to you${where}${when}${why}.`;
      if (sent.status !== 'scored')
        return `${asked} They were told: ${noScore}.${factorsSent(sent.keyFactors, 'in the notice')}`;
      // The entry keeps the score the decision was made on (which is why the file lists it among
      // the scores sent); a denial's notice gave the relying party that number itself.
      const on =
        sent.score !== undefined
          ? ` It was decided on your score ${sent.score}${sent.tier !== undefined ? `, tier ${sent.tier}` : ''}${
              sent.denied === true ? ', which they were sent with the reasons for the refusal' : ''
            }.`
          : '';
      return `${asked} They were told: ${sent.holds === true ? 'it does apply' : 'it does not apply'}.${on}${factorsSent(sent.keyFactors, 'in the notice')}`;
    }
    case 'screen.query': {
      // `score` is how closely the name matched (0 to 1), not a credit score.
      const flags = Array.isArray(sent.flags)
        ? sent.flags
            .map((f) => {
              const text = words.flag(program, String(f));
              return text !== undefined ? `${text} (${String(f)})` : String(f);
            })
            .join(', ')
        : '';
      const match = typeof sent.score === 'number' ? `name match ${sent.score} out of 1` : '';
      const notes = [match, flags].filter((x) => x !== '').join('; ');
      const purposeWords = purpose !== null ? ` for the purpose "${purpose}",` : '';
      return `${who} checked a name against the lists${purposeWords} and your record came up as a possible match${notes ? ` (${notes})` : ''}.`;
    }
    default:
      return `${who}: ${action}${where}${why}.`;
  }
}
