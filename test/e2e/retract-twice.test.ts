import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, payment, type World } from './cli.js';

const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };
const line = (o: object) => JSON.stringify(o);
const retraction = (id: string, retracts: string, day: number) =>
  line({ id, source: 'pay', retracts, occurredAt: `2026-03-0${day}T10:00:00Z` });

// A fact is retracted once (docs/errors.md, CREDENCE_E_RETRACTION_REPEATED). A second retraction
// under another id was stored and counted, and the person's file named two retractions of one
// fact ("retracted by pay/r1, pay/r2"), one of which undid nothing.
describe('a fact retracted twice (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('refuses the second retraction, in the same file or a later one, naming the first', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const first = [
      payment('p1', '2026-03-01T10:00:00Z', WEI, 50),
      payment('p2', '2026-03-02T10:00:00Z', WEI, 50),
      retraction('r1', 'p1', 3),
      retraction('r1b', 'p1', 4),
    ];
    const a = join(w.dir, 'a.jsonl');
    writeFileSync(a, `${first.join('\n')}\n`);
    const ra = w.run(['ingest', a, '--json']);
    expect(ra.code).toBe(5);
    expect(JSON.parse(ra.stdout)).toMatchObject({ accepted: 3, rejected: 1, retractions: 1 });
    expect(ra.stderr.trim()).toMatch(
      /a\.jsonl:4 retracts: pay's fact "p1" was already retracted \(by pay\/r1\): a fact is retracted once \[CREDENCE_E_RETRACTION_REPEATED\]$/,
    );

    const second = [retraction('r1', 'p1', 3), retraction('r2', 'p1', 5), retraction('r3', 'p2', 5)];
    const b = join(w.dir, 'b.jsonl');
    writeFileSync(b, `${second.join('\n')}\n`);
    const rb = w.run(['ingest', b, '--json']);
    expect(JSON.parse(rb.stdout)).toMatchObject({ accepted: 1, duplicates: 1, rejected: 1, retractions: 1 });
    expect(rb.stderr.trim()).toMatch(
      /b\.jsonl:2 retracts: pay's fact "p1" was already retracted: a fact is retracted once \[CREDENCE_E_RETRACTION_REPEATED\]$/,
    );

    const file = w.json<{ retractions: { id: string; retracts: string }[] }>(['export', WEI.national_id]);
    expect(file.retractions.map((r) => [r.id, r.retracts])).toEqual([
      ['r1', 'p1'],
      ['r3', 'p2'],
    ]);
  });
});
