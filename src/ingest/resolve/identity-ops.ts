import { CredenceError } from '../../core/errors/index.js';
import type { Subject } from '../../core/facts/fact.js';
import type { MergeResult, ReviewItem, SplitResult } from '../../identity/index.js';
import type {
  BatchRecord,
  CommitBatch,
  ConsentRow,
  IdentityWrites,
  LedgerRow,
  PersonProgram,
  ScoreRow,
  Store,
  StoredFact,
} from '../../store/store.js';
import { CONSENT_TYPES } from '../event-catalog.js';
import { loadEntry } from '../person-cache.js';
import { scoreRow, toLedgerRow } from '../pipeline.js';
import type { ProgramSet } from '../program-set.js';
import { subjectIdentifiers } from './identifiers.js';
import { IdentityResolver, type IdentityResolverOptions, recordIdOf } from './identity-resolver.js';

/** What an operator action did, for the CLI and the API. */
export interface IdentityChange {
  readonly kind: 'merge' | 'split' | 'review';
  readonly subjectId: string;
  /** Persons whose facts changed (rescored). */
  readonly affected: readonly string[];
  readonly movedRecords: readonly string[];
  readonly movedFacts: number;
}

function consentRows(subject: string, facts: readonly StoredFact[]): ConsentRow[] {
  const out: ConsentRow[] = [];
  for (const f of facts) {
    const action = CONSENT_TYPES[f.type];
    if (!action) continue;
    const program = (JSON.parse(f.body) as { data?: { program?: string } }).data?.program;
    if (program !== undefined)
      out.push({ subject, program, action, at: f.at, factKey: `${f.source}/${f.id}` });
  }
  return out;
}

/**
 * Ledgers and cached scores of these people re-derived from the facts given for each (as they
 * will be after the move): every program's old rows are cleared first.
 */
export function rederive(
  programs: ProgramSet,
  people: ReadonlyMap<string, readonly StoredFact[]>,
): Pick<CommitBatch, 'clearLedgers' | 'ledgerUpserts' | 'scores'> {
  const clearLedgers: PersonProgram[] = [];
  const ledgerUpserts: LedgerRow[] = [];
  const scores: ScoreRow[] = [];
  for (const [subject, facts] of people) {
    for (const rb of programs.active) clearLedgers.push({ subject, program: rb.program });
    const entry = loadEntry(subject, facts, consentRows(subject, facts), programs.active);
    for (const [program, state] of entry.states) {
      if (!state) continue;
      for (const e of state.ledger) ledgerUpserts.push(toLedgerRow(subject, program, e));
      const row = scoreRow(subject, state, entry);
      if (row) scores.push(row);
    }
  }
  return { clearLedgers, ledgerUpserts, scores };
}

/**
 * Moves the facts of persons merged during ingest to their survivor and rescores everyone
 * involved, in one transaction. Safe to repeat: the queue is emptied with the move.
 */
export async function settleIdentityMoves(
  store: Store,
  programs: ProgramSet,
  resolver: IdentityResolver,
): Promise<string[]> {
  const moves = [...resolver.queuedMoves];
  if (moves.length === 0) return [];
  const final = new Map<string, string>();
  for (const m of moves) final.set(m.from, m.to);
  const target = (s: string): string => {
    let x = s;
    for (let i = 0; i < 1000 && final.has(x); i++) x = final.get(x) as string;
    return x;
  };
  const involved = [...new Set(moves.flatMap((m) => [m.from, m.to]))];
  const facts = await store.personFacts(involved);
  const people = new Map<string, StoredFact[]>();
  for (const s of involved) people.set(s, []);
  for (const s of involved) (people.get(target(s)) as StoredFact[]).push(...(facts.get(s) ?? []));
  await store.commit({
    identity: { subjectMoves: moves.map((m) => ({ ...m, facts: true })), movesSettled: true },
    ...rederive(programs, people),
  });
  resolver.movesSettled();
  return involved;
}

async function loaded(store: Store, programs: ProgramSet): Promise<IdentityResolver> {
  const r = new IdentityResolver(store);
  await r.load();
  await settleIdentityMoves(store, programs, r);
  return r;
}

async function commitMerge(
  store: Store,
  programs: ProgramSet,
  r: IdentityResolver,
  m: MergeResult,
  extra: IdentityWrites,
): Promise<IdentityChange> {
  const involved = [m.subjectId, ...m.absorbed];
  const facts = await store.personFacts(involved);
  const people = new Map<string, StoredFact[]>();
  for (const s of involved) people.set(s, []);
  for (const s of involved) (people.get(m.subjectId) as StoredFact[]).push(...(facts.get(s) ?? []));
  const ops = r.operatorWrites(m.movedRecords);
  await store.commit({
    subjects: ops.subjects,
    identity: {
      ...extra,
      ...ops.identity,
      subjectMoves: m.absorbed.map((from) => ({ from, to: m.subjectId, facts: true })),
    },
    ...rederive(programs, people),
  });
  const moved = m.absorbed.reduce((n, s) => n + (facts.get(s)?.length ?? 0), 0);
  return {
    kind: 'merge',
    subjectId: m.subjectId,
    affected: involved,
    movedRecords: m.movedRecords,
    movedFacts: moved,
  };
}

/**
 * An operator merges two persons: the older id survives, the other's records and facts move to
 * it, both are rescored, and the decision is recorded; all in one transaction.
 *
 * @example
 * await mergePersons(app.store, app.programs, 'P0000001', 'P0000002', 'same passport holder')
 */
export async function mergePersons(
  store: Store,
  programs: ProgramSet,
  a: string,
  b: string,
  note?: string,
): Promise<IdentityChange> {
  const r = await loaded(store, programs);
  return commitMerge(store, programs, r, r.resolver.merge(a, b, note), {});
}

/**
 * The person ids a split takes away: those that first named only records now moving (a person
 * merged in earlier, whose records are split off again). A fact sent naming such an id (a
 * consent, a source that knew the person) belongs to the records that go: an opt-out left behind
 * let the person who gave it be scored again under their new id. An id that also first named a
 * record staying, or the remaining person's own id, stays.
 */
async function leavingIds(
  store: Store,
  keptRecords: readonly string[],
  movedRecords: readonly string[],
  from: string,
): Promise<Set<string>> {
  const firstNamed = async (rid: string): Promise<string | undefined> => {
    const rec = await store.identityRecord(rid);
    return rec ? (JSON.parse(rec.link) as { subjectId?: string }).subjectId : undefined;
  };
  const out = new Set<string>();
  for (const rid of movedRecords) {
    const id = await firstNamed(rid);
    if (id !== undefined && id !== from) out.add(id);
  }
  if (out.size > 0) for (const rid of keptRecords) out.delete((await firstNamed(rid)) ?? '');
  return out;
}

/**
 * An operator splits records off their person into a new one: the facts sent with those
 * records move with them, both persons are rescored, and they are kept apart from then on.
 * `recordOf`, when given, words what the split's own transaction stores beside it (a server's
 * link dispute answered by it, with its audit entries), from the change about to be committed.
 *
 * @example
 * await splitRecords(app.store, app.programs, ['R3f…'], 'different people, same name')
 */
export async function splitRecords(
  store: Store,
  programs: ProgramSet,
  recordIds: readonly string[],
  note?: string,
  recordOf?: (change: IdentityChange) => BatchRecord | undefined,
): Promise<IdentityChange> {
  const r = await loaded(store, programs);
  const s: SplitResult = r.resolver.split([...recordIds], note);
  const moving = new Set(s.movedRecords);
  const leaving = await leavingIds(store, r.resolver.recordsOf(s.from), s.movedRecords, s.from);
  const file = await store.personFile(s.from);
  const kept: StoredFact[] = [];
  const moved: StoredFact[] = [];
  const factMoves: { source: string; id: string; subject: string }[] = [];
  const goes = (f: StoredFact): boolean => {
    const subject = (JSON.parse(f.body) as { subject?: Subject }).subject;
    return (
      subject !== undefined &&
      (subject.subjectId === undefined ? moving.has(recordIdOf(subject)) : leaving.has(subject.subjectId))
    );
  };
  for (const f of file.facts) {
    if (goes(f)) {
      moved.push(f);
      factMoves.push({ source: f.source, id: f.id, subject: s.subjectId });
    } else kept.push(f);
  }
  // Retracted facts count nowhere but are the person's data (their export shows them): they go
  // with their records too (the store moves a moved fact's retractions with it).
  for (const f of file.retractedFacts ?? [])
    if (goes(f)) factMoves.push({ source: f.source, id: f.id, subject: s.subjectId });
  const identifierMoves: { kind: string; value: string; from: string; to: string }[] = [];
  for (const rid of s.movedRecords) {
    const rec = await store.identityRecord(rid);
    if (!rec) continue;
    for (const id of subjectIdentifiers(JSON.parse(rec.body) as Subject))
      identifierMoves.push({ ...id, from: s.from, to: s.subjectId });
  }
  const ops = r.operatorWrites(s.movedRecords);
  const change: IdentityChange = {
    kind: 'split',
    subjectId: s.subjectId,
    affected: [s.from, s.subjectId],
    movedRecords: s.movedRecords,
    movedFacts: moved.length,
  };
  const record = recordOf?.(change);
  await store.commit({
    subjects: ops.subjects,
    identity: {
      ...ops.identity,
      relink: s.movedRecords.map((recordId) => ({ recordId, subject: s.subjectId })),
      factMoves,
      identifierMoves,
    },
    ...rederive(
      programs,
      new Map([
        [s.from, kept],
        [s.subjectId, moved],
      ]),
    ),
    ...(record ? { record } : {}),
  });
  return change;
}

/**
 * An operator decides a review item: `same` merges the record's provisional person into the
 * candidate (default: the strongest one), `different` keeps them apart for good.
 *
 * @example
 * await decideReview(app.store, app.programs, 'R3f…', 'same')
 */
export async function decideReview(
  store: Store,
  programs: ProgramSet,
  recordId: string,
  verdict: 'same' | 'different',
  opts: {
    subjectId?: string;
    note?: string;
    engine?: IdentityResolverOptions;
    /** A refusal of the verdict on this item (a `--subject` none of its candidates), thrown before it is taken. */
    refuse?: (item: ReviewItem) => CredenceError | undefined;
  } = {},
): Promise<IdentityChange> {
  // Not every record restored (seconds on a large file, per decision): the engine around this
  // review only, which decides as the whole one (IdentityResolver.loadForReview).
  const r = new IdentityResolver(store, opts.engine);
  const resolver = await r.loadForReview(recordId, opts.subjectId === undefined ? [] : [opts.subjectId]);
  await r.start();
  await settleIdentityMoves(store, programs, r);
  const item = resolver?.reviewQueue().find((i) => i.recordId === recordId);
  if (!item) {
    throw new CredenceError('CREDENCE_E_NOT_FOUND', `no review is open for record ${recordId}`, {
      field: 'ITEM',
    });
  }
  const refusal = opts.refuse?.(item);
  if (refusal) throw refusal;
  const candidate = opts.subjectId ?? item.candidates[0]?.subjectId;
  if (candidate === undefined) {
    throw new CredenceError('CREDENCE_E_USAGE', `review ${recordId} has no candidate; pass --subject`, {
      field: '--subject',
    });
  }
  const m = r.resolver.decideReview(recordId, verdict, candidate, opts.note);
  const closed: IdentityWrites = { reviewsClosed: [recordId] };
  if (m) return { ...(await commitMerge(store, programs, r, m, closed)), kind: 'review' };
  const ops = r.operatorWrites();
  await store.commit({ subjects: ops.subjects, identity: { ...closed, ...ops.identity } });
  return { kind: 'review', subjectId: item.subjectId, affected: [], movedRecords: [], movedFacts: 0 };
}
