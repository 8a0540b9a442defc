import type { LedgerDelta, LedgerEntry } from '../core/scoring/index.js';
import type { LedgerKey, LedgerRow } from '../store/store.js';

interface PairChanges {
  readonly subject: string;
  readonly program: string;
  cleared: boolean;
  readonly upserts: Map<string, LedgerEntry>;
  readonly deletes: Map<string, LedgerEntry>;
}

const entryKey = (e: LedgerEntry): string => `${e.factKey}\u0000${e.ruleId}`;

/**
 * The ledger changes of one batch, per person and program, folded so that the last change to
 * an entry wins: what the batch's transaction writes.
 */
export class PendingLedger {
  readonly #pairs = new Map<string, PairChanges>();

  #pair(subject: string, program: string): PairChanges {
    const k = `${subject}\u0000${program}`;
    let p = this.#pairs.get(k);
    if (!p) {
      p = { subject, program, cleared: false, upserts: new Map(), deletes: new Map() };
      this.#pairs.set(k, p);
    }
    return p;
  }

  /** Marks a pair touched even when its ledger did not change (its score may have). */
  touch(subject: string, program: string): void {
    this.#pair(subject, program);
  }

  apply(subject: string, program: string, d: LedgerDelta): void {
    const p = this.#pair(subject, program);
    for (const e of d.removed) {
      const k = entryKey(e);
      p.upserts.delete(k);
      p.deletes.set(k, e);
    }
    for (const list of [d.added, d.changed]) {
      for (const e of list) {
        const k = entryKey(e);
        p.deletes.delete(k);
        p.upserts.set(k, e);
      }
    }
  }

  /** The pair's stored ledger is dropped and replaced by `entries` (consent changes, rebuilds). */
  replace(subject: string, program: string, entries: readonly LedgerEntry[]): void {
    const p = this.#pair(subject, program);
    p.cleared = true;
    p.deletes.clear();
    p.upserts.clear();
    for (const e of entries) p.upserts.set(entryKey(e), e);
  }

  get pairs(): IterableIterator<PairChanges> {
    return this.#pairs.values();
  }

  rows(): { clear: { subject: string; program: string }[]; deletes: LedgerKey[]; upserts: LedgerRow[] } {
    const clear: { subject: string; program: string }[] = [];
    const deletes: LedgerKey[] = [];
    const upserts: LedgerRow[] = [];
    for (const p of this.#pairs.values()) {
      if (p.cleared) clear.push({ subject: p.subject, program: p.program });
      for (const e of p.deletes.values()) {
        deletes.push({ subject: p.subject, program: p.program, factKey: e.factKey, ruleId: e.ruleId });
      }
      for (const e of p.upserts.values()) upserts.push(toLedgerRow(p.subject, p.program, e));
    }
    return { clear, deletes, upserts };
  }
}

export function toLedgerRow(subject: string, program: string, e: LedgerEntry): LedgerRow {
  return {
    subject,
    program,
    factKey: e.factKey,
    ruleId: e.ruleId,
    at: e.at,
    points: e.points,
    raw: e.raw,
    dimension: e.dimension ?? null,
    reasonCode: e.reason.code,
  };
}
