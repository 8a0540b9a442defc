import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countFacts, line, MARKETPLACE, makeWorld, type World } from './cli.js';

// QA stored a fact with `data.extra.cathedral_visits` and loaded a rule picking out
// `fact.venue == 'St Mary Cathedral'`: the hard line's words had churches, mosques and temples,
// but no cathedral, chapel or pastor.
describe('the hard line reads places of worship and clergy beyond church, mosque and temple (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('refuses such a fact field at ingest and such a compared value at program load', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const purchase = (id: string, extra: Record<string, unknown>) =>
      line({
        id,
        source: 'shop',
        type: 'purchase.completed',
        occurredAt: '2026-03-01T10:00:00Z',
        subject: { phone: '+8613800138000' },
        data: { amount: 10, items: 1, ...extra },
      });
    const r = w.run(['ingest', '-'], {
      input: `${purchase('a', { extra: { cathedral_visits: 3 } })}\n${purchase('b', { pastor_name: 'x' })}\n`,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('<stdin>:1 data.extra.cathedral_visits:');
    expect(r.stderr).toContain('<stdin>:2 data.pastor_name:');
    expect(r.stderr.match(/CREDENCE_E_FACT_PROHIBITED/g)).toHaveLength(2);
    expect(countFacts(w.db)).toBe(0);

    const file = join(w.dir, 'venues.yaml');
    writeFileSync(
      file,
      `program: venues
name: Venues
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  visit.made: { category: commerce, fields: { venue: string } }
rules:
  - { id: r, on: visit.made, when: "fact.venue == 'St Mary Cathedral'", points: 5, reason: { code: V1, text: "Visits" } }
`,
    );
    const load = w.run(['program', 'load', file]);
    expect(load.code).toBe(6);
    expect(load.stderr).toContain('rules[0].when');
    expect(load.stderr).toContain('"St Mary Cathedral"');
    expect(load.stderr).toContain('CREDENCE_E_RULEBOOK_PROHIBITED');
  });
});
