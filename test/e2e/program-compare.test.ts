import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEntries, dumpDatabase, line, makeWorld, ok, type World } from './cli.js';

// `credence program compare` scores everyone under a candidate rulebook beside the version in
// force, for an operator or auditor to judge a change before loading it. What it reports for
// each person must be what loading the candidate would then answer (checked here against
// `credence score` after a real load), it stores nothing but its audit entries, it never scores
// a person who opted out, and a candidate the hard line refuses is refused before anyone's file
// is read.
const rulebook = (o: { sale: number; minFacts: number; perkAt: number }) => `program: shopper
name: Shopper ${o.sale}
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers:
  - { id: gold, min: 520 }
  - { id: plain, min: 0 }
dimensions: [d]
minFacts: ${o.minFacts}
events:
  shop.sale: { category: commerce, fields: { amount: number } }
  court.listed: { category: legal, fields: { case: string } }
  court.removed: { category: legal, fields: { case: string } }
rules:
  - { id: sale, on: shop.sale, points: ${o.sale}, dimension: d, reason: { code: S1, text: "Sales" } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [case], reason: { code: L1, text: "Listed" } }
privileges:
  - { id: no-deposit, context: commerce, when: "score >= ${o.perkAt} && !('debtor' in flags)" }
`;

const AS_OF = '2026-06-01T00:00:00Z';
const PHONES = ['+8613800138001', '+8613800138002', '+8613800138003', '+8613800138004'];

interface Report {
  people: number;
  baseline: Record<string, number | string>;
  candidate: Record<string, number | string>;
  tiers: { from: string; to: string; people: number }[];
  privileges: { name: string; baseline: number; candidate: number; gained: number; lost: number }[];
  largest: {
    subject: string;
    baseline: string;
    candidate: string;
    baselineScore: number | null;
    candidateScore: number | null;
    gained: { kind: string; name: string }[];
    lost: { kind: string; name: string }[];
  }[];
}

interface Score {
  subject: string;
  status: string;
  score?: number;
  tier?: string;
  reason?: string;
}

const auditActions = (db: string): { action: string; subject: string | null }[] =>
  auditEntries(db).map((e) => ({ action: e.action, subject: e.subject }));

describe('credence program compare (real binary, real SQLite file)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  function populate(): void {
    const sale = (id: string, phone: string, day: number) =>
      line({
        id,
        source: 'shop',
        type: 'shop.sale',
        occurredAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00Z`,
        subject: { phone },
        data: { amount: 10 },
      });
    const lines = [
      // P1: three sales; P2: one sale; P3: two sales, then opts out; P4: four sales and listed.
      sale('a1', PHONES[0] as string, 1),
      sale('a2', PHONES[0] as string, 2),
      sale('a3', PHONES[0] as string, 3),
      sale('b1', PHONES[1] as string, 1),
      sale('c1', PHONES[2] as string, 1),
      sale('c2', PHONES[2] as string, 2),
      ...[1, 2, 3, 4].map((d) => sale(`d${d}`, PHONES[3] as string, d)),
      line({
        id: 'l1',
        source: 'court',
        type: 'court.listed',
        occurredAt: '2026-03-05T00:00:00Z',
        subject: { phone: PHONES[3] },
        data: { case: 'K1' },
      }),
    ];
    ok(w.run(['ingest', '-'], { input: `${lines.join('\n')}\n` }));
    ok(w.run(['consent', 'P0000003', '--program', 'shopper', '--opt-out', '--at', '2026-04-01T00:00:00Z']));
  }

  it('reports for each person what loading the candidate then answers, and stores nothing', () => {
    w = makeWorld();
    const v1 = join(w.dir, 'v1.yaml');
    const v2 = join(w.dir, 'v2.yaml');
    writeFileSync(v1, rulebook({ sale: 5, minFacts: 1, perkAt: 510 }));
    writeFileSync(v2, rulebook({ sale: 8, minFacts: 2, perkAt: 530 }));
    ok(w.run(['program', 'load', v1]));
    populate();

    const people = ['P0000001', 'P0000002', 'P0000003', 'P0000004'];
    const score = (s: string): Score => w.json<Score>(['score', s, '--program', 'shopper', '--as-of', AS_OF]);
    const before = people.map(score);
    const stored = dumpDatabase(w.db);

    const r = w.json<Report>(['program', 'compare', v2, '--as-of', AS_OF, '--largest', '10']);
    // Nothing but the audit log was written.
    expect(dumpDatabase(w.db)).toEqual(stored);

    // Then load the candidate for real and ask each person's score again.
    ok(w.run(['program', 'load', v2]));
    const after = people.map(score);

    const standing = (s: Score): string =>
      s.status === 'scored' ? (s.tier as string) : `not scored (${s.reason})`;
    expect(r.people).toBe(4);
    for (const [i, subject] of people.entries()) {
      const b = before[i] as Score;
      const a = after[i] as Score;
      const cell = r.tiers.find((t) => t.from === standing(b) && t.to === standing(a));
      expect(cell, `${subject}: ${standing(b)} -> ${standing(a)}`).toBeDefined();
      const shown = r.largest.find((p) => p.subject === subject);
      if (standing(b) !== standing(a) || b.score !== a.score) {
        expect(shown, subject).toMatchObject({
          subject,
          baseline: standing(b),
          candidate: standing(a),
          baselineScore: b.score ?? null,
          candidateScore: a.score ?? null,
          change: b.score !== undefined && a.score !== undefined ? a.score - b.score : null,
        });
      } else if (shown) {
        // Listed at the same standing and score only for a privilege, restriction or flag gained or lost.
        expect(shown.gained.length + shown.lost.length, subject).toBeGreaterThan(0);
      }
    }
    const count = (list: Score[], st: string) =>
      list.filter((s) => (s.status === 'scored' ? 'scored' : s.reason) === st).length;
    for (const st of ['scored', 'opted-out', 'insufficient-data'])
      expect([r.baseline[st], r.candidate[st]], st).toEqual([count(before, st), count(after, st)]);
    // The privilege: P1 (515 -> 524) loses it at the new threshold, P4 is listed and holds none.
    const perk = r.privileges.find((p) => p.name === 'no-deposit');
    expect(perk).toMatchObject({ baseline: 1, candidate: 0, lost: 1, gained: 0 });
    // The one who loses it is listed with it.
    expect(
      r.largest.filter((p) => p.lost.some((h) => h.kind === 'privilege' && h.name === 'no-deposit')),
    ).toHaveLength(1);

    // The opted-out person is counted, never scored, never listed by name.
    expect(before[2]).toMatchObject({ status: 'not-scored', reason: 'opted-out' });
    expect(r.largest.map((p) => p.subject)).not.toContain('P0000003');

    // One entry for the run, one under each person shown.
    const logged = auditActions(w.db).filter((e) => e.action.startsWith('program.compare'));
    expect(logged[0]).toEqual({ action: 'program.compare', subject: null });
    expect(
      logged
        .slice(1)
        .map((e) => e.subject)
        .sort(),
    ).toEqual(r.largest.map((p) => p.subject).sort());
    expect(logged.slice(1).every((e) => e.action === 'program.compare.person')).toBe(true);
    ok(w.run(['audit', 'verify']));
  });

  it('refuses a candidate the hard line refuses before reading anyone, and logs nothing', () => {
    w = makeWorld();
    const v1 = join(w.dir, 'v1.yaml');
    writeFileSync(v1, rulebook({ sale: 5, minFacts: 1, perkAt: 510 }));
    ok(w.run(['program', 'load', v1]));
    populate();
    const bad = join(w.dir, 'bad.yaml');
    writeFileSync(
      bad,
      rulebook({ sale: 5, minFacts: 1, perkAt: 510 }).replace(
        'shop.sale: { category: commerce, fields: { amount: number } }',
        'shop.sale: { category: commerce, fields: { amount: number, religion: string } }',
      ),
    );
    const before = auditActions(w.db).length;
    const r = w.run(['program', 'compare', bad, '--as-of', AS_OF]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('CREDENCE_E_');
    expect(r.stderr).toMatch(/religion/);
    expect(r.stdout).toBe('');
    expect(auditActions(w.db)).toHaveLength(before);
  });

  it('names what is missing: a program never loaded, a version that does not exist, a bad --largest', () => {
    w = makeWorld();
    const v1 = join(w.dir, 'v1.yaml');
    writeFileSync(v1, rulebook({ sale: 5, minFacts: 1, perkAt: 510 }));
    const none = w.run(['program', 'compare', v1, '--as-of', AS_OF]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('CREDENCE_E_PROGRAM_NOT_FOUND');
    expect(none.stderr).toContain('"shopper"');

    ok(w.run(['program', 'load', v1]));
    const missing = w.run(['program', 'compare', v1, '--against', '7', '--as-of', AS_OF]);
    expect(missing.stderr).toContain('shopper has no version 7 (loaded: 1)');
    const largest = w.run(['program', 'compare', v1, '--largest', 'many']);
    expect(largest.code).toBe(2);
    expect(largest.stderr).toContain('--largest must be a whole number');
  });
});
