import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deltaFacts,
  deriveEntryStates,
  type EntryRow,
  type EntryState,
  isRefusal,
  loadMapping,
  type MappedFact,
  type RegisterMapping,
  SnapshotDiff,
  type StoredEntryFact,
} from '../../src/ingest/sources/index.js';

const ROOT = join(import.meta.dirname, '../..');
const court = (await loadMapping(
  readFileSync(join(ROOT, 'examples/sources/court.yaml'), 'utf8'),
  'court.yaml',
)) as RegisterMapping;
const register = (await loadMapping(
  readFileSync(join(ROOT, 'examples/sources/debtor-register.yaml'), 'utf8'),
  'debtor-register.yaml',
)) as RegisterMapping;
const DAY = 86_400_000;
const T0 = Date.parse('2025-01-01T00:00:00+08:00');

/**
 * A stand-in store: facts by id (a re-sent id is a duplicate, a retracted one too), subjects by
 * national id. A retracted fact is no longer read back, as the store's source scan skips it.
 */
class FakeSource {
  readonly facts = new Map<string, StoredEntryFact>();
  /** Retraction id → the id it retracts. */
  readonly retractions = new Map<string, string>();
  readonly #retracted = new Map<string, StoredEntryFact>();
  send(fs: readonly MappedFact[]): number {
    let created = 0;
    for (const f of fs) {
      if (f.retracts !== undefined) {
        const prior = this.retractions.get(f.id);
        if (prior !== undefined) {
          expect(prior, `retraction ${f.id} re-sent for another fact`).toBe(f.retracts);
          continue;
        }
        const target = this.facts.get(f.retracts);
        expect(target, `retraction ${f.id} of ${f.retracts}, not a stored fact`).toBeDefined();
        this.facts.delete(f.retracts);
        this.#retracted.set(f.retracts, target as StoredEntryFact);
        this.retractions.set(f.id, f.retracts);
        created++;
        continue;
      }
      const body = JSON.stringify({
        id: f.id,
        source: 's',
        type: f.type,
        occurredAt: new Date(f.at).toISOString(),
        subject: f.subject,
        data: f.data,
      });
      const prior = this.facts.get(f.id) ?? this.#retracted.get(f.id);
      if (prior) {
        expect(prior.body, `id ${f.id} re-sent with another body`).toBe(body);
        continue;
      }
      const subject = f.subject.subjectId ?? `S-${f.subject.national_id}`;
      this.facts.set(f.id, { id: f.id, type: f.type, at: f.at, subject, body });
      created++;
    }
    return created;
  }
  states(m: RegisterMapping): Map<string, EntryState> {
    return deriveEntryStates(m, this.facts.values());
  }
  /** Entries listed at `at`: live, or ended only by a removal dated after it. */
  liveAt(m: RegisterMapping, at: number): string[] {
    return [...this.states(m)]
      .filter(([, s]) => s.live || (s.removedAt !== undefined && s.removedAt > at))
      .map(([k]) => k)
      .sort();
  }
  live(m: RegisterMapping): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, s] of this.states(m)) if (s.live) out.set(k, s.content);
    return out;
  }
}

/** An entry of a generated list: key k, its person and a status that can change. */
const entry = (k: number, status: string, listedDay = k): EntryRow => ({
  key: `court-${k % 3}|case-${k}`,
  line: k + 2,
  action: 'listing',
  listedAt: T0 + listedDay * DAY,
  subject: { full_name: `name-${k}`, national_id: `ID${k}` },
  data: { court: `court-${k % 3}`, case: `case-${k}`, ground: 'refuses-to-perform', performance: status },
});

function importSnapshot(
  src: FakeSource,
  m: RegisterMapping,
  rows: readonly EntryRow[],
  asOf: number,
): number {
  const diff = new SnapshotDiff(m, src.states(m), asOf);
  const out: MappedFact[] = [];
  for (const r of rows) {
    const v = diff.row(r);
    if (isRefusal(v)) throw new Error(v.reason);
    out.push(...v);
  }
  out.push(...diff.finish());
  return src.send(out);
}

// A list over time: each snapshot a set of entries (by number) with a status.
const snapshots = fc.array(
  fc.dictionary(
    fc.integer({ min: 0, max: 30 }).map(String),
    fc.constantFrom('unperformed', 'partly-performed'),
    // A snapshot holding no entry removes nothing (see below): every generated one holds some.
    { minKeys: 1 },
  ),
  {
    minLength: 1,
    maxLength: 5,
  },
);
const rowsOf = (s: Record<string, string>) => Object.entries(s).map(([k, v]) => entry(Number(k), v));
const expected = (s: Record<string, string>) =>
  new Set(Object.keys(s).map((k) => `court-${Number(k) % 3}|case-${k}`));

describe('register snapshots (pure)', () => {
  it('after each snapshot exactly its entries are live, and re-importing it creates nothing', () => {
    fc.assert(
      fc.property(snapshots, (list) => {
        const src = new FakeSource();
        list.forEach((s, i) => {
          const asOf = T0 + (100 + i * 30) * DAY;
          importSnapshot(src, court, rowsOf(s), asOf);
          expect(new Set(src.live(court).keys())).toEqual(expected(s));
          expect(importSnapshot(src, court, rowsOf(s), asOf)).toBe(0);
        });
      }),
    );
  });

  it('a delta from one snapshot to the next gives the same live entries and contents as the snapshot', () => {
    fc.assert(
      fc.property(snapshots, snapshots, (a, b) => {
        const s1 = a[0] as Record<string, string>;
        const s2 = b[0] as Record<string, string>;
        const viaSnapshots = new FakeSource();
        importSnapshot(viaSnapshots, court, rowsOf(s1), T0 + 100 * DAY);
        importSnapshot(viaSnapshots, court, rowsOf(s2), T0 + 130 * DAY);

        const viaDelta = new FakeSource();
        importSnapshot(viaDelta, court, rowsOf(s1), T0 + 100 * DAY);
        const states = viaDelta.states(court);
        const delta: EntryRow[] = [];
        for (const r of rowsOf(s2)) {
          const before = s1[r.key.split('case-')[1] as string];
          if (before === undefined) delta.push(r);
          else if (before !== r.data.performance) delta.push({ ...r, action: 'update', at: T0 + 120 * DAY });
        }
        for (const r of rowsOf(s1))
          if (!((r.key.split('case-')[1] as string) in s2))
            delta.push({ ...r, action: 'removal', at: T0 + 125 * DAY });
        const out: MappedFact[] = [];
        for (const r of delta) {
          const v = deltaFacts(court, states, r);
          if (isRefusal(v)) throw new Error(v.reason);
          out.push(...v);
        }
        viaDelta.send(out);
        expect(viaDelta.live(court)).toEqual(viaSnapshots.live(court));
        // And the same delta again creates nothing.
        const again: MappedFact[] = [];
        for (const r of delta) again.push(...(deltaFacts(court, viaDelta.states(court), r) as MappedFact[]));
        expect(viaDelta.send(again)).toBe(0);
      }),
    );
  });

  it('a removed entry listed again later gets a new listing (not a duplicate of the old one)', () => {
    const src = new FakeSource();
    importSnapshot(src, court, [entry(1, 'unperformed')], T0 + 100 * DAY);
    importSnapshot(src, court, [entry(2, 'unperformed')], T0 + 130 * DAY);
    expect([...src.live(court).keys()]).toEqual(['court-2|case-2']);
    const both = [entry(1, 'unperformed'), entry(2, 'unperformed')];
    expect(importSnapshot(src, court, both, T0 + 160 * DAY)).toBe(1);
    expect(src.live(court).size).toBe(2);
  });

  it('a snapshot that holds no entry removes nothing, and says how many removals it withheld', () => {
    // A header alone is a truncated export far more often than a list emptied overnight; taken
    // at its word it removed every entry (and the next full list relisted them as of its date).
    const src = new FakeSource();
    importSnapshot(src, court, [entry(1, 'unperformed'), entry(2, 'unperformed')], T0 + 100 * DAY);
    const diff = new SnapshotDiff(court, src.states(court), T0 + 130 * DAY);
    expect(diff.finish()).toEqual([]);
    expect(diff.withheld).toEqual({ line: 1, removals: 2, why: 'the snapshot holds no entry' });
    expect(src.live(court).size).toBe(2);
  });
});

describe('register deltas', () => {
  const delta = (src: FakeSource, rows: readonly EntryRow[]): number => {
    const states = src.states(court);
    const out: MappedFact[] = [];
    for (const r of rows) {
      const v = deltaFacts(court, states, r);
      if (isRefusal(v)) throw new Error(v.reason);
      out.push(...v);
    }
    return src.send(out);
  };
  const listed = entry(1, 'unperformed');
  const removed: EntryRow = { ...listed, action: 'removal', at: T0 + 40 * DAY };
  const back: EntryRow = { ...listed, at: T0 + 70 * DAY };

  it('an entry removed and listed again under its old registration date is live again, dated by the change', () => {
    for (const files of [[[listed, removed, back]], [[listed], [removed], [back]]]) {
      const src = new FakeSource();
      for (const rows of files) delta(src, rows);
      expect(src.live(court).size).toBe(1);
      const listings = [...src.facts.values()].filter((f) => f.type === court.listed.type);
      expect(listings.map((f) => f.at).sort((a, b) => a - b)).toEqual([listed.listedAt, T0 + 70 * DAY]);
      // Every file again, in the same order: nothing new.
      for (const rows of files) expect(delta(src, rows)).toBe(0);
    }
  });

  it('a listing dated before the removal is that listing sent again (an older file imported late): nothing new', () => {
    const src = new FakeSource();
    const dated: EntryRow = { ...listed, at: listed.listedAt };
    delta(src, [dated]);
    delta(src, [removed]);
    expect(delta(src, [dated])).toBe(0);
    expect(src.live(court).size).toBe(0);
    expect(delta(src, [back])).toBe(1);
    expect(src.live(court).size).toBe(1);
  });

  it('a relisting without its change date is refused with the column to fill in', () => {
    const src = new FakeSource();
    delta(src, [listed, removed]);
    const v = deltaFacts(court, src.states(court), listed);
    expect(isRefusal(v) && v.reason).toMatch(/was removed; listing it again needs the date/);
    expect(isRefusal(v) && v.column).toBe('changed_on');
  });
});

describe('registers with deletion dates', () => {
  const withDeletion = (k: number, deletionDay: number): EntryRow => ({
    ...entry(k, 'x'),
    deletionAt: T0 + deletionDay * DAY,
    data: { register: 'R', file: `F${k}`, reason: 'x' },
    key: `R|F${k}`,
  });

  const removals = (src: FakeSource) =>
    [...src.facts.values()].filter((f) => f.type === 'registry.debtor_removed').map((f) => f.at);

  it('an entry whose deletion date has passed is removed in the same import, dated by that date', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500), withDeletion(2, 500)], T0 + 100 * DAY);
    expect(src.liveAt(register, T0 + 100 * DAY)).toEqual(['R|F1', 'R|F2']);
    // Later snapshot still shows both, but entry 2's deletion date (day 200) has passed.
    const before = new Set(src.facts.keys());
    importSnapshot(src, register, [withDeletion(1, 500), withDeletion(2, 200)], T0 + 300 * DAY);
    expect(src.liveAt(register, T0 + 300 * DAY)).toEqual(['R|F1']);
    const removal = [...src.facts.values()].find(
      (f) => !before.has(f.id) && f.type === 'registry.debtor_removed',
    );
    expect(removal?.at).toBe(T0 + 200 * DAY);
    // Its removal scheduled on day 500 is retracted: one removal, on the register's date.
    expect(removals(src).sort()).toEqual([T0 + 200 * DAY, T0 + 500 * DAY]);
    expect([...src.retractions.values()]).toEqual([...before].filter((id) => id.startsWith('R|F2#R:')));
  });

  // The register publishes each entry's deletion date: the entry ends then, whether or not
  // another snapshot is imported by that day.
  it('a deletion date still ahead is a removal dated then; re-importing or a later snapshot adds nothing', () => {
    const src = new FakeSource();
    const asOf = T0 + 100 * DAY;
    expect(importSnapshot(src, register, [withDeletion(1, 500)], asOf)).toBe(2);
    const removal = [...src.facts.values()].find((f) => f.type === 'registry.debtor_removed');
    expect(removal?.at).toBe(T0 + 500 * DAY);
    expect(src.liveAt(register, asOf)).toEqual(['R|F1']);
    expect(src.liveAt(register, T0 + 500 * DAY)).toEqual([]);
    expect(importSnapshot(src, register, [withDeletion(1, 500)], asOf)).toBe(0);
    expect(importSnapshot(src, register, [withDeletion(1, 500)], T0 + 200 * DAY)).toBe(0);
    // Past its date the register still shows it (late to delete): nothing new either.
    expect(importSnapshot(src, register, [withDeletion(1, 500)], T0 + 600 * DAY)).toBe(0);
  });

  it('an entry gone from the register before its deletion date is removed as of that snapshot', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500), withDeletion(2, 500)], T0 + 100 * DAY);
    const before = src.facts.size;
    expect(importSnapshot(src, register, [withDeletion(1, 500)], T0 + 200 * DAY)).toBe(1);
    const early = [...src.facts.values()].slice(before)[0];
    expect(early).toMatchObject({ type: 'registry.debtor_removed', at: T0 + 200 * DAY });
    expect(src.liveAt(register, T0 + 250 * DAY)).toEqual(['R|F1']);
    expect(importSnapshot(src, register, [withDeletion(1, 500)], T0 + 200 * DAY)).toBe(0);
  });

  // A later snapshot that moves an entry's deletion date moves its scheduled removal: the stored
  // one is retracted and a removal dated on the new date takes its place, in the same import.

  it('a deletion date pushed back: the scheduled removal is retracted and one dated then stored', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500), withDeletion(2, 500)], T0 + 100 * DAY);
    const first = [...src.facts.keys()].find((id) => id.startsWith('R|F1#R:'));
    expect(importSnapshot(src, register, [withDeletion(1, 800), withDeletion(2, 500)], T0 + 200 * DAY)).toBe(
      2,
    );
    expect([...src.retractions.values()]).toEqual([first]);
    expect(removals(src).sort()).toEqual([T0 + 500 * DAY, T0 + 800 * DAY]);
    expect(src.liveAt(register, T0 + 600 * DAY)).toEqual(['R|F1']);
    expect(src.liveAt(register, T0 + 800 * DAY)).toEqual([]);
    // The same snapshot again, or a later one with the same date: nothing new.
    expect(importSnapshot(src, register, [withDeletion(1, 800), withDeletion(2, 500)], T0 + 200 * DAY)).toBe(
      0,
    );
    expect(importSnapshot(src, register, [withDeletion(1, 800), withDeletion(2, 500)], T0 + 300 * DAY)).toBe(
      0,
    );
  });

  it('a deletion date moved earlier, still ahead, moves the removal too', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500)], T0 + 100 * DAY);
    expect(importSnapshot(src, register, [withDeletion(1, 300)], T0 + 200 * DAY)).toBe(2);
    expect(removals(src)).toEqual([T0 + 300 * DAY]);
    expect(src.liveAt(register, T0 + 299 * DAY)).toEqual(['R|F1']);
    expect(src.liveAt(register, T0 + 300 * DAY)).toEqual([]);
  });

  it('a deletion date moved to one already passed ends the entry then, with no second removal', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500)], T0 + 100 * DAY);
    expect(importSnapshot(src, register, [withDeletion(1, 150)], T0 + 200 * DAY)).toBe(2);
    expect(removals(src)).toEqual([T0 + 150 * DAY]);
    expect(src.liveAt(register, T0 + 200 * DAY)).toEqual([]);
    expect(importSnapshot(src, register, [withDeletion(1, 150)], T0 + 200 * DAY)).toBe(0);
  });

  it('a deletion date dropped keeps the entry listed; given again, it schedules a new removal', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500)], T0 + 100 * DAY);
    const { deletionAt: _, ...undated } = withDeletion(1, 500);
    expect(importSnapshot(src, register, [undated], T0 + 200 * DAY)).toBe(1);
    expect(removals(src)).toEqual([]);
    expect(src.liveAt(register, T0 + 900 * DAY)).toEqual(['R|F1']);
    expect(importSnapshot(src, register, [undated], T0 + 200 * DAY)).toBe(0);
    // The same date as the retracted removal: a removal of its own (that id is spent).
    expect(importSnapshot(src, register, [withDeletion(1, 500)], T0 + 300 * DAY)).toBe(1);
    expect(removals(src)).toEqual([T0 + 500 * DAY]);
    expect(src.liveAt(register, T0 + 500 * DAY)).toEqual([]);
  });

  it('moved back and forth, every import stores what the register says and a re-run adds nothing', () => {
    const src = new FakeSource();
    const days = [500, 800, 500, 300, 800];
    days.forEach((d, i) => {
      const asOf = T0 + (100 + 10 * i) * DAY;
      importSnapshot(src, register, [withDeletion(1, d)], asOf);
      expect(removals(src)).toEqual([T0 + d * DAY]);
      expect(importSnapshot(src, register, [withDeletion(1, d)], asOf)).toBe(0);
    });
  });

  it('a deletion date moved away and back after it passed: the entry ends on it', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500)], T0 + 100 * DAY);
    importSnapshot(src, register, [withDeletion(1, 800)], T0 + 200 * DAY);
    expect(importSnapshot(src, register, [withDeletion(1, 500)], T0 + 600 * DAY)).toBe(2);
    expect(removals(src)).toEqual([T0 + 500 * DAY]);
    expect(src.liveAt(register, T0 + 600 * DAY)).toEqual([]);
  });

  it('a crash between the new removal and the retraction: the re-run retracts what is left', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500)], T0 + 100 * DAY);
    const d = new SnapshotDiff(register, src.states(register), T0 + 200 * DAY);
    const facts = d.row(withDeletion(1, 800));
    if (isRefusal(facts)) throw new Error(facts.reason);
    const whole = new FakeSource();
    for (const [k, v] of src.facts) whole.facts.set(k, v);
    whole.send(facts);
    // Only the facts before the retraction were committed.
    src.send(facts.filter((f) => f.retracts === undefined));
    expect(importSnapshot(src, register, [withDeletion(1, 800)], T0 + 200 * DAY)).toBe(1);
    expect([...src.facts.keys()].sort()).toEqual([...whole.facts.keys()].sort());
    expect([...src.retractions]).toEqual([...whole.retractions]);
  });

  it('an entry already past its deletion date is never stored', () => {
    const src = new FakeSource();
    expect(importSnapshot(src, register, [withDeletion(1, 50)], T0 + 100 * DAY)).toBe(0);
    expect(src.facts.size).toBe(0);
  });
});
