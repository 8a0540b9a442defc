import { consentVerdict } from '../core/consent/index.js';
import { CredenceError, isCredenceError } from '../core/errors/index.js';
import type { ScoringFact, Subject } from '../core/facts/fact.js';
import { evaluateFact, type PersonState, type RuleHit } from '../core/scoring/index.js';

import { tryParseInstant } from '../core/time/index.js';
import type {
  BatchRecord,
  ConsentRow,
  FactRef,
  KnownFact,
  NewFact,
  ScoreRow,
  Store,
} from '../store/store.js';
import { lineHash, sameFact } from './canonical.js';
import type { LineChunk, SourceLine } from './jsonl-reader.js';
import { NO_COUNTS } from './no-counts.js';
import { PendingLedger, toLedgerRow } from './pending-ledger.js';
import {
  buildState,
  consentEvents,
  factAdmitted,
  loadEntry,
  PersonCache,
  type PersonEntry,
} from './person-cache.js';
import { type ProgramSet, type ProgramVersions, versionsOf } from './program-set.js';
import type { SubjectResolver } from './resolve/index.js';
import {
  consentTakesEffect,
  inFutureRefusal,
  isRejection,
  type ParsedLine,
  pastRetentionRefusal,
  type Rejection,
  retentionAt,
  validateLine,
} from './validate.js';

/** A fact on its way into a program state, with its rule hits when evaluated already. */
type NewStateFact = { readonly fact: ScoringFact; readonly hits?: readonly RuleHit[] };

const OPT_OUT = 'credence.opt_out';
const OPT_IN = 'credence.opt_in';

export interface IngestOptions {
  /** Lines per transaction. */
  readonly batchSize?: number;
  /** Facts held in memory across batches before the least recently touched people are dropped. */
  readonly budgetFacts?: number;
  /**
   * The ingest clock: `received_at` (storage date in a person's file), and what a fact is judged
   * against (one past its retention, or dated ahead of it, is refused); scores never read it.
   */
  readonly now: () => number;
}

export interface IngestCounts {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  retractions: number;
  consents: number;
  subjectsCreated: number;
}

export interface IngestListener {
  rejected?(r: Rejection): void;
  /** A line that repeats a fact already stored or earlier in the batch (same source, id and body). */
  duplicate?(line: SourceLine): void;
  /** After each committed batch. */
  committed?(c: Readonly<IngestCounts>, bytes: number): void;
  /**
   * What the batch's own transaction stores beside its rows (`CommitBatch.record`: a batch sent
   * over HTTP, its import and audit entry), asked once the batch is judged and just before it is
   * committed, with its refusals in line order (`rejected` hears them only after the commit). Not
   * asked when the batch stores nothing: every line refused, or already stored.
   */
  recordOf?(refused: readonly Rejection[]): BatchRecord | undefined;
}

const DEFAULT_BATCH = 5000;
// About 2 KB of heap per fact held (fact, hits, ledger entries, indexes): ~100 MB at the default.
// The identity engine's records share the heap, so the cache stays small: at 50,000 facts, people
// evicted and reloaded cost no measurable CPU on the 215,769-line bench (150,000 did not run faster)
// and the process held ~90 MB less.
const DEFAULT_BUDGET = 50_000;

/**
 * The ingest pipeline: validate, deduplicate on (source, id), resolve, score, persist. Work is
 * done per batch of lines: two or three batched reads, then one transaction that holds the facts
 * with their ledger changes, consents and cached scores, so a crash loses at most the open batch
 * and a re-run skips what was stored. People's scoring states stay in memory between batches
 * (bounded by `budgetFacts`), so a late fact recomputes only the person it touches.
 *
 * @example
 * const p = new IngestPipeline(store, programs, new ExactResolver(store), { now: Date.now });
 * await p.ingest(openJsonLines('facts.jsonl'));
 */
export class IngestPipeline {
  readonly #store: Store;
  readonly #programs: ProgramSet;
  readonly #resolver: SubjectResolver;
  readonly #cache: PersonCache;
  readonly #batchSize: number;
  readonly #now: () => number;
  #consentSubjects: Set<string> | undefined;
  #stopped = false;
  readonly counts: IngestCounts = { ...NO_COUNTS };

  constructor(store: Store, programs: ProgramSet, resolver: SubjectResolver, opts: IngestOptions) {
    this.#store = store;
    this.#programs = programs;
    this.#resolver = resolver;
    this.#cache = new PersonCache(opts.budgetFacts ?? DEFAULT_BUDGET);
    this.#batchSize = opts.batchSize ?? DEFAULT_BATCH;
    this.#now = opts.now;
  }

  /** Stops after the batch in flight is committed (Ctrl-C). */
  stop(): void {
    this.#stopped = true;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Ingests a stream of line chunks, committing every `batchSize` lines. */
  async ingest(chunks: AsyncIterable<LineChunk>, listener: IngestListener = {}): Promise<void> {
    let batch: SourceLine[] = [];
    let bytes = 0;
    for await (const chunk of chunks) {
      bytes = chunk.bytes;
      for (const line of chunk.lines) {
        batch.push(line);
        if (batch.length >= this.#batchSize) {
          await this.ingestBatch(batch, listener);
          listener.committed?.(this.counts, bytes);
          batch = [];
          if (this.#stopped) break;
        }
      }
      if (this.#stopped) break;
    }
    if (batch.length > 0 && !this.#stopped) {
      await this.ingestBatch(batch, listener);
      listener.committed?.(this.counts, bytes);
    }
    await this.flush();
  }

  /**
   * Makes every batch judged so far durable (a write-behind store commits one batch behind).
   * If one failed, the in-memory state is dropped, as for a failed batch, and the error thrown.
   */
  async flush(): Promise<void> {
    try {
      await this.#store.flush?.();
    } catch (e) {
      this.#forget();
      throw e;
    }
  }

  /** Drops every in-memory change not known to be stored; the next batch reloads what it needs. */
  #forget(): void {
    this.#cache.clear();
    this.#resolver.reset();
    this.#consentSubjects = undefined;
  }

  /** Validates, resolves, scores and commits one batch of lines in one transaction. */
  async ingestBatch(lines: readonly SourceLine[], listener: IngestListener = {}): Promise<void> {
    const c = this.counts;
    c.lines += lines.length;
    // Refusals are reported in line order once the batch is judged.
    const refused: Rejection[] = [];
    const reject = (r: Rejection): void => {
      c.rejected++;
      refused.push(r);
    };
    try {
      const recordOf = listener.recordOf?.bind(listener);
      await this.#judgeAndCommit(
        lines,
        reject,
        listener.duplicate,
        recordOf && (() => recordOf(refused.toSorted((a, b) => a.line - b.line))),
      );
    } finally {
      refused.sort((a, b) => a.line - b.line);
      for (const r of refused) listener.rejected?.(r);
    }
  }

  async #judgeAndCommit(
    lines: readonly SourceLine[],
    reject: (r: Rejection) => void,
    duplicate?: (line: SourceLine) => void,
    recordOf?: () => BatchRecord | undefined,
  ): Promise<void> {
    const c = this.counts;
    const parsed: ParsedLine[] = [];
    // A fact is judged by the rulebook versions that may score it (`catalogAt`): with a version
    // loaded that is not yet in force, not by that one alone. Most facts fall where `now` does.
    const judge = versionedValidator(this.#programs, this.#now());
    for (const line of lines) {
      const v = judge(line);
      if (isRejection(v)) reject(v);
      else parsed.push(v);
    }
    if (parsed.length === 0) return;
    this.#consentSubjects ??= await this.#store.subjectsWithConsents();

    const refs: FactRef[] = [];
    for (const p of parsed) {
      refs.push(p);
      if (p.kind === 'retraction') refs.push({ source: p.source, id: p.retracts });
    }
    const known = await this.#store.findFacts(refs);
    const toPrepare: Subject[] = [];
    for (const p of parsed) if (p.kind !== 'retraction' && !known.has(p.key)) toPrepare.push(p.subject);
    await this.#resolver.prepare(toPrepare);

    // Sequential pass in line order: duplicates, conflicts, resolution, retraction targets.
    // Accepted lines and their persons are kept side by side (no per-line copy of the parse).
    const fresh = new Map<string, number>();
    // Beside `accepted`: each fact's rule hits, one per program of its `programs` (same order).
    const acceptedHits: (readonly (readonly RuleHit[] | undefined)[] | undefined)[] = [];
    // Beside `accepted`: each fact as scoring holds it, made once for its rules and its state.
    const acceptedFacts: (ScoringFact | undefined)[] = [];
    const retractedNow = new Set<string>();
    /** Each fact retracted by a line of this batch, and that retraction's key. */
    const retractedBy = new Map<string, string>();
    const accepted: ParsedLine[] = [];
    const subjects: string[] = [];
    for (const p of parsed) {
      let hits: readonly (readonly RuleHit[] | undefined)[] | undefined;
      let sf: ScoringFact | undefined;
      const at = fresh.get(p.key);
      const prior = at !== undefined ? (accepted[at] as ParsedLine) : known.get(p.key);
      if (prior) {
        // The digest is computed only here, where a fact meets an earlier one with its key.
        const same =
          ('hash' in prior ? prior.hash : lineHash(prior.line.text)) === lineHash(p.line.text) ||
          sameFact(p.value, 'value' in prior ? prior.value : (JSON.parse(prior.body) as unknown));
        if (same) {
          c.duplicates++;
          duplicate?.(p.line);
        } else {
          reject({
            file: p.line.file,
            line: p.line.line,
            code: 'CREDENCE_E_FACT_CONFLICT',
            field: 'id',
            reason: `${p.source} already sent a different fact with id "${p.id}"${'line' in prior ? ` (line ${prior.line.line})` : ''}`,
            text: p.line.text,
          });
        }
        continue;
      }
      let subject: string;
      if (p.kind === 'retraction') {
        const targetKey = `${p.source}/${p.retracts}`;
        const ti = fresh.get(targetKey);
        const stored = ti === undefined ? known.get(targetKey) : undefined;
        const isRetraction =
          ti !== undefined
            ? (accepted[ti] as ParsedLine).kind === 'retraction'
            : stored && stored.retracts !== null;
        if ((ti === undefined && !stored) || isRetraction) {
          const found = ti !== undefined || stored !== undefined;
          reject({
            file: p.line.file,
            line: p.line.line,
            code: found ? 'CREDENCE_E_FACT_INVALID' : 'CREDENCE_E_RETRACTION_UNKNOWN',
            field: 'retracts',
            reason: found
              ? `"${p.retracts}" is itself a retraction; retract the fact instead`
              : `${p.source} never sent a fact with id "${p.retracts}"`,
            text: p.line.text,
          });
          continue;
        }
        // A fact is retracted once: a second retraction under another id could undo nothing, and
        // the file would name two retractions of one fact (docs/errors.md).
        const before = retractedBy.get(targetKey);
        if (before !== undefined || stored?.retracted === true) {
          reject({
            file: p.line.file,
            line: p.line.line,
            code: 'CREDENCE_E_RETRACTION_REPEATED',
            field: 'retracts',
            reason: `${p.source}'s fact "${p.retracts}" was already retracted${before !== undefined ? ` (by ${before})` : ''}: a fact is retracted once`,
            text: p.line.text,
          });
          continue;
        }
        const target = ti !== undefined ? (accepted[ti] as ParsedLine) : undefined;
        const optOut = target
          ? target.kind === 'consent' && target.action === 'opt-out'
          : stored?.type === OPT_OUT;
        if (optOut) {
          // The hard line: a furnisher's retraction would bring back the score of someone who
          // opted out. Only the person undoes an opt-out, by opting in again.
          reject({
            file: p.line.file,
            line: p.line.line,
            code: 'CREDENCE_E_CONSENT_INVALID',
            field: 'retracts',
            reason: `"${p.retracts}" is an opt-out, which cannot be retracted: the person opts in again (${OPT_IN}) if they choose`,
            text: p.line.text,
          });
          continue;
        }
        subject = ti !== undefined ? (subjects[ti] as string) : (stored as KnownFact).subject;
        retractedBy.set(targetKey, `${p.source}/${p.id}`);
      } else {
        // A fact's rules are evaluated before its person is resolved: a rule that cannot score it
        // (an error, non-finite points) refuses this line alone, and leaves no person behind.
        if (p.kind === 'fact') {
          sf = { key: p.key, id: p.id, source: p.source, type: p.type, at: p.at, data: p.data };
          const judged = this.#evaluate(sf, p.programs);
          if (judged instanceof CredenceError) {
            reject({
              file: p.line.file,
              line: p.line.line,
              code: judged.code,
              field: judged.details[0]?.field ?? 'data',
              reason: judged.message,
              text: p.line.text,
            });
            continue;
          }
          hits = judged;
        }
        const r = this.#resolver.resolve(p.subject, p.at);
        if (!r.ok) {
          reject({
            file: p.line.file,
            line: p.line.line,
            code: r.code,
            field: r.field,
            reason: r.reason,
            text: p.line.text,
          });
          continue;
        }
        subject = r.subject;
        if (r.created) c.subjectsCreated++;
      }
      fresh.set(p.key, accepted.length);
      accepted.push(p);
      acceptedHits.push(hits);
      acceptedFacts.push(sf);
      subjects.push(subject);
    }
    const writes = this.#resolver.take();
    if (accepted.length === 0 && writes.subjects.length === 0) return;

    const created = new Set(writes.subjects);
    try {
      await this.#loadPeople(subjects, created);
      const pending = new PendingLedger();
      const facts: NewFact[] = [];
      const consents: ConsentRow[] = [];
      const consentDeletes: string[] = [];
      const receivedAt = this.#now();
      // A person's new facts go into each program state together (`PersonState.insertMany`), when
      // the batch is judged or before their next consent change or retraction: one by one, facts
      // that land before others (a furnisher's batch about one person, all dated alike, ids in any
      // order) re-derived the person's ledger, caps and all, once per fact; 4,000 of them held a
      // server's facts route for minutes.
      const deferred = new Map<string, Map<PersonState, { program: string; items: NewStateFact[] }>>();
      const defer = (subject: string, program: string, state: PersonState, item: NewStateFact): void => {
        let bySubject = deferred.get(subject);
        if (!bySubject) {
          bySubject = new Map();
          deferred.set(subject, bySubject);
        }
        const d = bySubject.get(state);
        if (d) d.items.push(item);
        else bySubject.set(state, { program, items: [item] });
      };
      const flush = (subject: string): void => {
        const bySubject = deferred.get(subject);
        if (!bySubject) return;
        deferred.delete(subject);
        for (const [state, d] of bySubject) pending.apply(subject, d.program, state.insertMany(d.items));
      };
      for (let i = 0; i < accepted.length; i++) {
        const a = accepted[i] as ParsedLine;
        const subject = subjects[i] as string;
        const entry = this.#cache.get(subject) as PersonEntry;
        facts.push({
          source: a.source,
          id: a.id,
          subject,
          type: a.kind === 'retraction' ? null : a.type,
          at: a.at,
          body: a.line.text,
          retracts: a.kind === 'retraction' ? a.retracts : null,
          receivedAt,
        });
        c.accepted++;
        if (a.kind === 'fact') {
          const sf = acceptedFacts[i] as ScoringFact;
          entry.facts.set(a.key, sf);
          const hitsOf = acceptedHits[i];
          for (let j = 0; j < a.programs.length; j++) {
            const program = a.programs[j] as string;
            const state = entry.states.get(program);
            if (!state) continue;
            if (!factAdmitted(state.rulebook, entry, a.at)) continue;
            // The state is kept under the latest version; a type only an earlier version declares
            // is not in it, but may still move the cached score (`scoreRow`).
            if (state.rulebook.events[a.type] !== undefined) {
              // Hits evaluated above by the same (active) rulebook; otherwise the state evaluates.
              const hits = state.rulebook === this.#programs.get(program) ? hitsOf?.[j] : undefined;
              defer(subject, program, state, hits ? { fact: sf, hits } : { fact: sf });
            }
            pending.touch(subject, program);
          }
        } else if (a.kind === 'consent') {
          flush(subject);
          c.consents++;
          const at = consentTakesEffect(a.at, receivedAt);
          consents.push({
            subject: subject,
            program: a.program,
            action: a.action,
            at,
            factKey: a.key,
          });
          const list = [...consentEvents(entry, a.program), { action: a.action, at, factKey: a.key }];
          entry.consents.set(
            a.program,
            list.sort((x, y) => x.at - y.at),
          );
          this.#consentSubjects.add(subject);
          this.#resetProgram(entry, a.program, pending);
        } else {
          flush(subject);
          c.retractions++;
          const targetKey = `${a.source}/${a.retracts}`;
          if (retractedNow.has(targetKey) || known.get(targetKey)?.retracted) continue;
          retractedNow.add(targetKey);
          if (entry.facts.delete(targetKey)) {
            for (const [program, state] of entry.states) {
              if (state?.has(targetKey)) {
                pending.apply(subject, program, state.retract(targetKey));
                pending.touch(subject, program);
              }
            }
          } else {
            for (const [program, list] of entry.consents) {
              const i = list.findIndex((e) => e.factKey === targetKey);
              if (i === -1) continue;
              entry.consents.set(program, list.toSpliced(i, 1));
              consentDeletes.push(targetKey);
              this.#resetProgram(entry, program, pending);
            }
          }
        }
      }

      for (const subject of [...deferred.keys()]) flush(subject);

      const scores: ScoreRow[] = [];
      for (const p of pending.pairs) {
        const entry = this.#cache.get(p.subject) as PersonEntry;
        const state = entry.states.get(p.program);
        const row = state ? scoreRow(p.subject, state, entry) : undefined;
        if (row) scores.push(row);
        else if (!p.cleared) pending.replace(p.subject, p.program, []);
      }
      const ledger = pending.rows();
      const record = recordOf?.();
      await this.#store.commit({
        subjects: writes.subjects,
        identifiers: writes.identifiers,
        facts,
        consents,
        consentDeletes,
        clearLedgers: ledger.clear,
        ledgerDeletes: ledger.deletes,
        ledgerUpserts: ledger.upserts,
        scores,
        ...(record ? { record } : {}),
      });
    } catch (e) {
      // The transaction rolled back (with a write-behind store, maybe the previous batch's):
      // forget every in-memory change not known to be stored.
      this.#forget();
      throw e;
    }
    this.#cache.evict();
  }

  /**
   * Every active program's rule hits on a new fact, or the error that refuses it. A rulebook's own
   * failure (an expression this Credence refuses, CREDENCE_E_CEL) is not the fact's: it is thrown.
   */
  #evaluate(
    sf: ScoringFact,
    programs: readonly string[],
  ): (readonly RuleHit[] | undefined)[] | CredenceError {
    const out: (readonly RuleHit[] | undefined)[] = [];
    for (const program of programs) {
      const rb = this.#programs.get(program);
      if (!rb) {
        out.push(undefined);
        continue;
      }
      try {
        out.push(evaluateFact(rb, sf));
      } catch (e) {
        if (isCredenceError(e) && e.code === 'CREDENCE_E_FACT_INVALID') return e;
        throw e;
      }
    }
    return out;
  }

  /** Brings every person the batch touches into the cache (one read for all who are missing). */
  async #loadPeople(subjects: readonly string[], created: ReadonlySet<string>): Promise<void> {
    const missing = new Set<string>();
    for (const subject of subjects) {
      if (this.#cache.has(subject)) continue;
      if (created.has(subject)) {
        this.#cache.set(loadEntry(subject, [], [], this.#programs.active));
      } else {
        missing.add(subject);
      }
    }
    if (missing.size === 0) return;
    const people = [...missing];
    const facts = await this.#store.personFacts(people);
    const withConsents = people.filter((s) => this.#consentSubjects?.has(s));
    const consents = withConsents.length > 0 ? await this.#store.personConsents(withConsents) : new Map();
    for (const s of people) {
      this.#cache.set(loadEntry(s, facts.get(s) ?? [], consents.get(s) ?? [], this.#programs.active));
    }
  }

  /**
   * Consent changed: rebuild the program's state from the person's facts, or drop it. A withheld
   * program (`ProgramSet.withheld`) keeps none: the change is recorded, and what it kept is dropped.
   */
  #resetProgram(entry: PersonEntry, program: string, pending: PendingLedger): void {
    const rb = this.#programs.withheld.has(program) ? undefined : this.#programs.get(program);
    const state = rb ? buildState(rb, entry) : null;
    entry.states.set(program, state);
    pending.replace(entry.subject, program, state ? state.ledger : []);
  }
}

/**
 * The cached score: the outcome as of the person's latest fact in the program, a pure function
 * of the stored facts (the ingest clock never enters it).
 */
export function scoreRow(subject: string, state: PersonState, entry: PersonEntry): ScoreRow | undefined {
  const versions = versionsOf(state.rulebook);
  if (versions?.versioned) return scoreRowInForce(subject, state, entry, versions);
  const last = state.facts.at(-1);
  if (!last) return undefined;
  const rb = state.rulebook;
  const o = state.score(last.at, consentEvents(entry, rb.program));
  return {
    subject,
    program: rb.program,
    version: rb.version,
    asOf: last.at,
    status: o.status,
    score: o.status === 'scored' ? o.score : null,
    tier: o.status === 'scored' ? o.tier : null,
    reason: o.status === 'not-scored' ? o.reason : null,
  };
}

/**
 * `scoreRow` for a program with several versions: as of the person's latest fact of a type some
 * version declares (after their consent floor), under the version in force then — not under the
 * latest version the state is kept in, which may not be in force yet (docs/rulebook.md, "Versions").
 */
function scoreRowInForce(
  subject: string,
  state: PersonState,
  entry: PersonEntry,
  versions: ProgramVersions,
): ScoreRow | undefined {
  const latest = state.rulebook;
  const consent = consentEvents(entry, latest.program);
  const verdict = consentVerdict(latest.enrollment, consent, Number.MAX_SAFE_INTEGER);
  const floor = (verdict.scorable ? verdict.factsAfter : undefined) ?? Number.NEGATIVE_INFINITY;
  const types = versions.types();
  let asOf: number | undefined;
  for (const f of entry.facts.values()) {
    if (f.at > floor && types.has(f.type) && (asOf === undefined || f.at > asOf)) asOf = f.at;
  }
  if (asOf === undefined) return undefined;
  const rb = versions.at(asOf);
  const inForce = rb === latest ? state : buildState(rb, entry);
  if (!inForce) return undefined;
  const o = inForce.score(asOf, consent);
  return {
    subject,
    program: rb.program,
    version: rb.version,
    asOf,
    status: o.status,
    score: o.status === 'scored' ? o.score : null,
    tier: o.status === 'scored' ? o.tier : null,
    reason: o.status === 'not-scored' ? o.reason : null,
  };
}

/**
 * Validates lines as ingest does (`validateLine`) by the rulebook versions that may score each
 * fact (`ProgramSet.catalogAt`): with a version loaded that is not yet in force, not by that one
 * alone. Most facts fall where `now` does. A valid fact already past its type's retention at
 * `now` is refused (`pastRetentionRefusal`), and so is one dated later than `now` beyond the
 * clock skew allowed (`inFutureRefusal`; never an opt-out). Shared by ingest and an import's dry run.
 */
export function versionedValidator(
  programs: ProgramSet,
  now: number,
): (line: SourceLine) => ParsedLine | Rejection {
  const judge = catalogValidator(programs, now);
  const retention = retentionAt(programs, now);
  return (line) => {
    const v = judge(line);
    if (isRejection(v)) return v;
    // A removal a register's deletion date schedules is dated ahead by design (`SourceLine.scheduled`).
    const ahead = line.scheduled ? undefined : inFutureRefusal(v, now);
    if (ahead) return ahead;
    return v.kind !== 'fact' ? v : (pastRetentionRefusal(v, retention, now) ?? v);
  };
}

function catalogValidator(programs: ProgramSet, now: number): (line: SourceLine) => ParsedLine | Rejection {
  const first = programs.catalogAt(now, now);
  return (line) => {
    const v = validateLine(line, first);
    if (!programs.versioned) return v;
    // Only a fact's type and data depend on the versions (not a consent change or a retraction).
    const at = isRejection(v)
      ? dependsOnCatalog(v)
        ? occurredAtOf(line)
        : undefined
      : v.kind === 'fact'
        ? v.at
        : undefined;
    const catalog = at === undefined ? first : programs.catalogAt(at, now);
    return catalog === first ? v : validateLine(line, catalog);
  };
}

/** Refusals that another version's event types could lift: an unknown type, a `data` field. */
function dependsOnCatalog(r: Rejection): boolean {
  return (
    r.code === 'CREDENCE_E_FACT_UNKNOWN_TYPE' ||
    (r.code === 'CREDENCE_E_FACT_INVALID' && r.field?.startsWith('data.') === true)
  );
}

/** When a refused line's fact occurred, if it says so readably (to judge it by the versions of then). */
function occurredAtOf(line: SourceLine): number | undefined {
  try {
    const o = (line.value ?? JSON.parse(line.text)) as { occurredAt?: unknown } | null;
    return o !== null && typeof o === 'object' ? tryParseInstant(o.occurredAt) : undefined;
  } catch {
    return undefined;
  }
}

export { toLedgerRow };
