import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CITY_CIVIC, line, MARKETPLACE, makeWorld, ok, payment, type World } from './cli.js';

// `credence explain` for a person with too few facts printed "not scored (insufficient-data)" and
// the enrolment, and nothing else: the person learnt neither what the program asks for nor what
// they have. It now says which minimum the rulebook sets (read here from the rulebook file), how
// many of their facts count at as-of and why each of the others does not.
const needed = (parse(readFileSync(MARKETPLACE, 'utf8')) as { minFacts: number }).minFacts;
const WEI = { national_id: '11010519491231002X', phone: '+8613800138000' };
const AS_OF = ['--as-of', '2026-03-01T00:00:00Z'];

describe('credence explain says why there is not enough data (real binary)', () => {
  let w: World;
  beforeAll(() => {
    w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    const facts = [
      payment('w1', '2026-01-02T10:00:00Z', WEI, 80),
      // After as-of: not counted then.
      payment('w2', '2026-04-02T10:00:00Z', WEI, 80),
      // Of a kind the marketplace does not read (city-civic's).
      line({
        id: 'c1',
        source: 'court',
        type: 'court.fee_arrears',
        occurredAt: '2026-02-01T00:00:00Z',
        subject: { national_id: WEI.national_id },
        data: { court: 'x', case: 'y', amount: 10 },
      }),
    ];
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, `${facts.join('\n')}\n`);
    ok(w.run(['ingest', file]));
  });
  afterAll(() => w.dispose());

  it('the text names the minimum, what counts and why the rest does not', () => {
    expect(needed).toBeGreaterThan(1);
    const out = ok(w.run(['explain', 'P0000001', '--program', 'marketplace', ...AS_OF])).stdout;
    expect(out).toContain('insufficient');
    expect(out).toContain(`needs at least ${needed} facts that count`);
    expect(out).toContain('as of 2026-03-01 you have 1.');
    expect(out).toMatch(/1 is of kinds this program does not read \(court\.fee_arrears\)/);
    expect(out).toMatch(/1 is dated after 2026-03-01/);
  });

  it('--json carries the same words and the tally', () => {
    const x = w.json<{ why: string; factTally: Record<string, unknown> }>([
      'explain',
      'P0000001',
      '--program',
      'marketplace',
      ...AS_OF,
    ]);
    expect(x.why).toContain(`needs at least ${needed} facts`);
    expect(x.factTally).toMatchObject({ needed, counted: 1, later: 1, otherKinds: 1 });
  });
});
