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

/** A stand-in store: facts by id (a re-sent id is a duplicate), subjects by national id. */
class FakeSource {
  readonly facts = new Map<string, StoredEntryFact>();
  send(fs: readonly MappedFact[]): number {
    let created = 0;
    for (const f of fs) {
      const body = JSON.stringify({
        id: f.id,
        source: 's',
        type: f.type,
        occurredAt: new Date(f.at).toISOString(),
        subject: f.subject,
        data: f.data,
      });
      const prior = this.facts.get(f.id);
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
    importSnapshot(src, court, [], T0 + 130 * DAY);
    expect(src.live(court).size).toBe(0);
    expect(importSnapshot(src, court, [entry(1, 'unperformed')], T0 + 160 * DAY)).toBe(1);
    expect(src.live(court).size).toBe(1);
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

  it('an entry whose deletion date has passed is removed in the same import, dated by that date', () => {
    const src = new FakeSource();
    importSnapshot(src, register, [withDeletion(1, 500), withDeletion(2, 500)], T0 + 100 * DAY);
    expect(src.liveAt(register, T0 + 100 * DAY)).toEqual(['R|F1', 'R|F2']);
    // Later snapshot still shows both, but entry 2's deletion date (day 200) has passed.
    const before = src.facts.size;
    importSnapshot(src, register, [withDeletion(1, 500), withDeletion(2, 200)], T0 + 300 * DAY);
    expect(src.liveAt(register, T0 + 300 * DAY)).toEqual(['R|F1']);
    const removal = [...src.facts.values()].slice(before).find((f) => f.type === 'registry.debtor_removed');
    expect(removal?.at).toBe(T0 + 200 * DAY);
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

  it('an entry already past its deletion date is never stored', () => {
    const src = new FakeSource();
    expect(importSnapshot(src, register, [withDeletion(1, 50)], T0 + 100 * DAY)).toBe(0);
    expect(src.facts.size).toBe(0);
  });
});
