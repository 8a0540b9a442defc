import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countFacts, line, MARKETPLACE, makeWorld, type World } from './cli.js';

// The hard line's words were read in some forms only: `data.smoker` and `strike.joined` were
// refused while `data.smoking_status` was stored and a rulebook declaring `strikes.joined` loaded.
describe('the hard line reads smoking, sit-ins, strikes and body mass index in every form (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('refuses such a fact field at ingest and such an event type at program load', () => {
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
      input: `${purchase('a', { smoking_status: 'daily' })}\n${purchase('b', { body_mass_index: 31 })}\n`,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('<stdin>:1 data.smoking_status:');
    expect(r.stderr).toContain('<stdin>:2 data.body_mass_index:');
    expect(r.stderr.match(/CREDENCE_E_FACT_PROHIBITED/g)).toHaveLength(2);
    expect(countFacts(w.db)).toBe(0);

    const file = join(w.dir, 'strikes.yaml');
    writeFileSync(
      file,
      `program: strikes
name: Strikes
enrollment: opt-out
scale: { min: 0, max: 1000, base: 500 }
tiers: [{ id: a, min: 0 }]
events:
  strikes.joined: { category: contract, fields: { days: number } }
rules:
  - { id: r, on: strikes.joined, points: -10, reason: { code: S1, text: "Joined strikes" } }
`,
    );
    const load = w.run(['program', 'load', file]);
    expect(load.code).toBe(6);
    expect(load.stderr).toContain("events['strikes.joined']");
    expect(load.stderr).toContain('CREDENCE_E_RULEBOOK_PROHIBITED');
  });
});
