import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

const RULEBOOK = `program: shopper
name: Shopper
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers:
  - { id: a, min: 0 }
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
  - { id: buy, on: shop.buy, points: 1, reason: { code: B, text: Purchases } }
`;

// The copy of a person's file (GDPR Art. 15) says it holds "everything Credence holds about this
// person", and every fact is stored as its line was sent. It listed only each fact's `data`: what a
// furnisher sent about the person beside it — an address and e-mail with a known subject id, a
// device and an IP address beside `data`, the reason on a retraction — was stored and never shown.
describe('credence export lists every part of each fact as it was sent (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('shows the subject and the fields sent beside data, in --json and in text', () => {
    w = makeWorld();
    const rb = join(w.dir, 'shopper.yaml');
    writeFileSync(rb, RULEBOOK);
    expect(w.run(['program', 'load', rb]).code).toBe(0);
    const first = {
      id: 'o-1',
      source: 'shop',
      type: 'shop.buy',
      occurredAt: '2026-03-01T00:00:00Z',
      subject: { phone: '+8613800138000' },
      data: { amount: 5 },
    };
    const second = {
      id: 'o-2',
      source: 'shop',
      type: 'shop.buy',
      occurredAt: '2026-03-02T00:00:00Z',
      subject: { subjectId: 'P0000001', address: '1 Quiet Lane, Rongcheng', email: 'zoe@example.com' },
      data: { amount: 7 },
      meta: { device: "Zoë's phone", ip: '10.1.2.3' },
    };
    const retraction = {
      id: 'o-3',
      source: 'shop',
      retracts: 'o-1',
      occurredAt: '2026-03-03T00:00:00Z',
      note: { by: 'desk 4', why: 'sent twice' },
    };
    const input = [first, second, retraction].map((f) => JSON.stringify(f)).join('\n');
    const ingest = w.run(['ingest', '-'], { input: `${input}\n` });
    expect(ingest.code, ingest.stderr).toBe(0);

    const x = w.json<{
      facts: { id: string; subject?: unknown; sent?: unknown; data: unknown }[];
      retractedFacts: { id: string; subject?: unknown }[];
      retractions: { id: string; sent?: unknown }[];
    }>(['export', 'P0000001']);
    const o2 = x.facts.find((f) => f.id === 'o-2');
    expect(o2?.data).toEqual({ amount: 7 });
    expect(o2?.subject).toEqual(second.subject);
    expect(o2?.sent).toEqual({ meta: second.meta });
    expect(x.retractedFacts.find((f) => f.id === 'o-1')?.subject).toEqual(first.subject);
    expect(x.retractions.find((r) => r.id === 'o-3')?.sent).toEqual({ note: retraction.note });

    const text = w.run(['export', 'P0000001']);
    expect(text.code, text.stderr).toBe(0);
    for (const shown of [
      '1 Quiet Lane, Rongcheng',
      'zoe@example.com',
      "Zoë's phone",
      '10.1.2.3',
      'sent twice',
    ])
      expect(text.stdout).toContain(shown);
  });
});
