import type { ConsentEvent } from '../consent/consent.js';
import { consentVerdict } from '../consent/consent.js';
import { compareFacts, type ScoringFact } from '../facts/fact.js';
import type { CompiledRulebook } from '../rulebook/types.js';
import { type Explanation, explainEvaluation } from './explain.js';
import {
  capAward,
  capWalkStart,
  capWalkStep,
  entry,
  evaluateFact,
  ledgerFromHits,
  type RuleHit,
} from './ledger.js';
import { deletionInstants, pastRetention } from './retention.js';
import { buildScoreView, type Evaluation, evaluateScore, type ScoreView } from './score.js';
import type { LedgerEntry, ScoreOutcome } from './types.js';

/** What an insert or retraction changed in the ledger, for a store to persist. */
export interface LedgerDelta {
  readonly added: readonly LedgerEntry[];
  /** Entries of capped rules whose awarded points moved because a fact landed before them. */
  readonly changed: readonly LedgerEntry[];
  readonly removed: readonly LedgerEntry[];
}

const EMPTY: LedgerDelta = { added: [], changed: [], removed: [] };

/** The facts a query at some as-of may use, when not all held are, with their ledger and view. */
interface SubsetView {
  /** What decides the subset: the opt-out floor and, per event type, how many facts are past retention. */
  readonly key: string;
  readonly kept: readonly ScoringFact[];
  readonly ledger: readonly LedgerEntry[];
  view: ScoreView | undefined;
}

function entryKey(e: LedgerEntry): string {
  return `${e.factKey}\u0000${e.ruleId}`;
}

/**
 * One person's facts and ledger in one program, kept in memory and updated one fact at a time.
 * Each fact's rules are evaluated once, when it arrives; caps are re-allocated in application
 * order, so a late fact that lands before earlier-applied ones gives exactly what a full
 * recomputation gives (a property test holds it to that).
 *
 * @example
 * const s = new PersonState(rb);
 * s.insert(fact);
 * s.score(Date.parse('2026-11-01T00:00:00Z'), []);
 */
export class PersonState {
  readonly #rb: CompiledRulebook;
  readonly #facts: ScoringFact[] = [];
  readonly #keys = new Set<string>();
  readonly #hits = new Map<string, readonly RuleHit[]>();
  #ledger: LedgerEntry[] | undefined = [];
  /** Flat arrays for score queries; dropped on every change. */
  #view: ScoreView | undefined;
  /**
   * For a person who re-joined after an opt-out, or whose facts are partly past retention at the
   * as-of asked: the facts that count, their ledger and view, kept for the last subset asked
   * (queries mostly repeat one); dropped on every change.
   */
  #subset: SubsetView | undefined;
  /**
   * When each held fact with a retention period is past it (`at + retain`), ascending; undefined
   * until needed, and on every change.
   */
  #deletions: Float64Array | undefined;

  constructor(rb: CompiledRulebook, facts: readonly ScoringFact[] = []) {
    this.#rb = rb;
    // Bulk load: sort once and build the ledger once, on first use (inserting one by one
    // would re-allocate caps after every capped fact).
    for (const f of [...facts].sort(compareFacts)) {
      if (this.#keys.has(f.key)) continue;
      this.#keys.add(f.key);
      this.#facts.push(f);
      this.#hits.set(f.key, evaluateFact(rb, f));
    }
    this.#ledger = undefined;
  }

  get rulebook(): CompiledRulebook {
    return this.#rb;
  }

  /** Facts in application order. */
  get facts(): readonly ScoringFact[] {
    return this.#facts;
  }

  get ledger(): readonly LedgerEntry[] {
    this.#ledger ??= ledgerFromHits(this.#facts, (f) => this.#hits.get(f.key) ?? []);
    return this.#ledger;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /**
   * Adds a fact; a fact already held (same source and id) changes nothing. `given` is the fact's
   * `evaluateFact` by this state's rulebook, when the caller has it already (ingest evaluates
   * before it resolves the person, so that a fact no rule can score is refused alone).
   */
  insert(f: ScoringFact, given?: readonly RuleHit[]): LedgerDelta {
    if (this.#keys.has(f.key)) return EMPTY;
    const hits = given ?? evaluateFact(this.#rb, f);
    this.#view = undefined;
    this.#subset = undefined;
    this.#deletions = undefined;
    const facts = this.#facts;
    // Facts mostly arrive in order: check the end before searching.
    let i = facts.length;
    const last = facts[i - 1];
    if (last && compareFacts(last, f) > 0) {
      let lo = 0;
      let hi = facts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareFacts(facts[mid] as ScoringFact, f) < 0) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    if (i === facts.length && this.#ledger) {
      // The common case, a fact after all others: append its entries. A capped rule's award
      // depends only on the rule's earlier entries in the window, summed walking back exactly as
      // the full computation sums them, so both give the same bits.
      facts.push(f);
      this.#keys.add(f.key);
      this.#hits.set(f.key, hits);
      if (hits.length === 0) return EMPTY;
      const ledger = this.#ledger;
      const added: LedgerEntry[] = [];
      for (const hit of hits) {
        const cap = hit.rule.cap;
        let raw = hit.points;
        if (cap) {
          const walk = capWalkStart();
          for (let k = ledger.length - 1; k >= 0; k--) {
            const e = ledger[k] as LedgerEntry;
            if (e.at <= f.at - cap.perMs) break;
            if (e.ruleId === hit.rule.id) capWalkStep(walk, e.at, e.raw);
          }
          raw = capAward(hit.points, cap.max, walk);
        }
        added.push(entry(f, hit, raw));
      }
      ledger.push(...added);
      return { added, changed: [], removed: [] };
    }
    // A late fact: later awards of its capped rules may move; re-derive and report what moved.
    const cappedIds = new Set(hits.filter((h) => h.rule.cap).map((h) => h.rule.id));
    const before = cappedIds.size > 0 ? this.#cappedRaw(cappedIds) : undefined;
    facts.splice(i, 0, f);
    this.#keys.add(f.key);
    this.#hits.set(f.key, hits);
    if (hits.length === 0) return EMPTY;
    this.#ledger = undefined;
    const ledger = this.ledger;
    const added = ledger.filter((e) => e.factKey === f.key);
    const changed = before
      ? ledger.filter(
          (e) => e.factKey !== f.key && before.has(entryKey(e)) && before.get(entryKey(e)) !== e.raw,
        )
      : [];
    return { added, changed, removed: [] };
  }

  /**
   * Adds several facts at once, as `insert` one after the other would, with one delta: the
   * entries of the new facts as they end, and the earlier entries of capped rules that moved.
   * Facts that land before others re-derive the ledger once for the lot, not once each: a batch
   * of facts about one person all dated alike (ids in any order) re-derived it, caps and all, for
   * every fact, so a few thousand of them held ingest, or a server's facts route, for minutes.
   */
  insertMany(
    items: readonly { readonly fact: ScoringFact; readonly hits?: readonly RuleHit[] }[],
  ): LedgerDelta {
    if (items.length === 1) {
      const only = items[0] as { fact: ScoringFact; hits?: readonly RuleHit[] };
      return this.insert(only.fact, only.hits);
    }
    const fresh: { fact: ScoringFact; hits: readonly RuleHit[] }[] = [];
    const seen = new Set<string>();
    for (const { fact, hits } of items) {
      if (this.#keys.has(fact.key) || seen.has(fact.key)) continue;
      seen.add(fact.key);
      fresh.push({ fact, hits: hits ?? evaluateFact(this.#rb, fact) });
    }
    if (fresh.length === 0) return EMPTY;
    fresh.sort((a, b) => compareFacts(a.fact, b.fact));
    const last = this.#facts.at(-1);
    if (this.#ledger && (!last || compareFacts(last, (fresh[0] as { fact: ScoringFact }).fact) < 0)) {
      // All after every fact held, in order: each appends, as `insert` does.
      const added: LedgerEntry[] = [];
      for (const { fact, hits } of fresh) added.push(...this.insert(fact, hits).added);
      return added.length === 0 ? EMPTY : { added, changed: [], removed: [] };
    }
    const cappedIds = new Set<string>();
    for (const { hits } of fresh) for (const h of hits) if (h.rule.cap) cappedIds.add(h.rule.id);
    const before = cappedIds.size > 0 ? this.#cappedRaw(cappedIds) : undefined;
    this.#view = undefined;
    this.#subset = undefined;
    this.#deletions = undefined;
    for (const { fact, hits } of fresh) {
      this.#keys.add(fact.key);
      this.#hits.set(fact.key, hits);
    }
    // Two sorted runs merged: the facts held and the new ones.
    const held = this.#facts;
    const merged: ScoringFact[] = new Array(held.length + fresh.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < merged.length; k++) {
      const a = held[i];
      const b = fresh[j]?.fact;
      if (b === undefined || (a !== undefined && compareFacts(a, b) < 0)) {
        merged[k] = a as ScoringFact;
        i++;
      } else {
        merged[k] = b;
        j++;
      }
    }
    held.length = 0;
    for (const f of merged) held.push(f);
    this.#ledger = undefined;
    const ledger = this.ledger;
    const added = ledger.filter((e) => seen.has(e.factKey));
    const changed = before
      ? ledger.filter(
          (e) => !seen.has(e.factKey) && before.has(entryKey(e)) && before.get(entryKey(e)) !== e.raw,
        )
      : [];
    return added.length === 0 && changed.length === 0 ? EMPTY : { added, changed, removed: [] };
  }

  /** Removes a fact as if it had never been sent (a retraction or an upheld dispute). */
  retract(key: string): LedgerDelta {
    if (!this.#keys.has(key)) return EMPTY;
    this.#view = undefined;
    this.#subset = undefined;
    this.#deletions = undefined;
    const old = this.ledger;
    const removed = old.filter((e) => e.factKey === key);
    const ruleIds = new Set(removed.filter((e) => this.#capOf(e.ruleId) !== undefined).map((e) => e.ruleId));
    const before = ruleIds.size > 0 ? this.#cappedRaw(ruleIds) : undefined;
    const i = this.#facts.findIndex((f) => f.key === key);
    this.#facts.splice(i, 1);
    this.#keys.delete(key);
    this.#hits.delete(key);
    this.#ledger = undefined;
    const ledger = this.ledger;
    const changed = before
      ? ledger.filter((e) => before.has(entryKey(e)) && before.get(entryKey(e)) !== e.raw)
      : [];
    return { added: [], changed, removed };
  }

  /** Replaces a fact's dispute mark (which may suspend it), keeping its place. */
  setDisputed(key: string, disputed: boolean): void {
    const i = this.#facts.findIndex((f) => f.key === key);
    const f = this.#facts[i];
    if (!f || (f.disputed === true) === disputed) return;
    this.retract(key);
    this.insert({ ...f, disputed });
  }

  score(asOf: number, consent: readonly ConsentEvent[]): ScoreOutcome {
    return this.evaluate(asOf, consent, false).outcome;
  }

  explain(asOf: number, consent: readonly ConsentEvent[]): Explanation {
    const verdict = consentVerdict(this.#rb.enrollment, consent, asOf);
    const subset = verdict.scorable ? this.#subsetAt(asOf, verdict.factsAfter) : undefined;
    const facts = subset?.kept ?? this.#facts;
    const ledger = subset?.ledger ?? this.ledger;
    return explainEvaluation(this.#rb, evaluateScore(this.#rb, facts, ledger, asOf, consent, true), facts);
  }

  evaluate(asOf: number, consent: readonly ConsentEvent[], detail: boolean): Evaluation {
    const verdict = consentVerdict(this.#rb.enrollment, consent, asOf);
    const subset = verdict.scorable ? this.#subsetAt(asOf, verdict.factsAfter) : undefined;
    if (subset) {
      if (detail) return evaluateScore(this.#rb, subset.kept, subset.ledger, asOf, consent, true);
      subset.view ??= buildScoreView(this.#rb, subset.kept, subset.ledger);
      return evaluateScore(this.#rb, subset.kept, subset.ledger, asOf, consent, false, subset.view);
    }
    if (detail) return evaluateScore(this.#rb, this.#facts, this.ledger, asOf, consent, true);
    this.#view ??= buildScoreView(this.#rb, this.#facts, this.ledger);
    return evaluateScore(this.#rb, this.#facts, this.ledger, asOf, consent, false, this.#view);
  }

  /**
   * The facts that count at `asOf` when they are not all those held: a person who re-joined after
   * an opt-out (the earlier facts are outside the program, caps included), or one with facts past
   * their type's retention at as-of (scored as if purge had deleted them, caps included). Undefined
   * when every held fact may count, the common case, known without a pass over the facts.
   */
  #subsetAt(asOf: number, factsAfter: number | undefined): SubsetView | undefined {
    const first = this.#facts[0];
    const rejoined = factsAfter !== undefined && first !== undefined && first.at <= factsAfter;
    this.#deletions ??= deletionInstants(this.#rb, this.#facts);
    const deletions = this.#deletions;
    const retention = deletions.length > 0 && asOf > (deletions[0] as number);
    if (!rejoined && !retention) return undefined;
    const floor = rejoined ? (factsAfter as number) : Number.NEGATIVE_INFINITY;
    // The facts past retention at as-of are those whose deletion instant is before it: how many
    // there are decides which (a binary search, not a pass over the facts per query).
    let gone = 0;
    if (retention) {
      let hi = deletions.length;
      while (gone < hi) {
        const mid = (gone + hi) >>> 1;
        if ((deletions[mid] as number) < asOf) gone = mid + 1;
        else hi = mid;
      }
    }
    const key = `${floor}|${gone}`;
    let s = this.#subset;
    if (s?.key !== key) {
      // Built once per subset, not per query (it was the slowest path of a score).
      const kept = this.#facts.filter(
        (f) => f.at > floor && !(retention && pastRetention(this.#rb, f, asOf)),
      );
      const ledger = ledgerFromHits(kept, (f) => this.#hits.get(f.key) ?? []);
      s = { key, kept, ledger, view: undefined };
      this.#subset = s;
    }
    return s;
  }

  #capOf(ruleId: string) {
    return this.#rb.rules.find((r) => r.id === ruleId)?.cap;
  }

  #cappedRaw(ruleIds: Set<string>): Map<string, number> {
    const m = new Map<string, number>();
    for (const e of this.ledger) if (ruleIds.has(e.ruleId)) m.set(entryKey(e), e.raw);
    return m;
  }
}
