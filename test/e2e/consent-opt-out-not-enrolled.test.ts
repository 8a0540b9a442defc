import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CIVIC, MARKETPLACE, makeWorld, type World } from './cli.js';

// `credence consent P --program city-civic --opt-out` of a person who never joined that opt-in
// program said "ledger and cached score deleted", as any opt-out did: there was none to delete.
// The opt-out is recorded (their reason there turns from not-enrolled to opted-out); the words
// and `wasEnrolled` say they were not in it.
let w: World;
let subject: string;
beforeAll(() => {
  w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
  const facts = join(w.dir, 'facts.jsonl');
  writeFileSync(
    facts,
    `${JSON.stringify({
      id: 'tx-1',
      source: 'pay',
      type: 'payment.completed',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      subject: { phone: '+8613800138000' },
      data: { amount: 10, counterparty: 'shop', on_time: true },
    })}\n`,
  );
  expect(w.run(['ingest', facts]).code).toBe(0);
  subject = w.json<{ subject: string }>(['score', '+8613800138000', '--program', 'marketplace']).subject;
});
afterAll(() => w.dispose());

describe('credence consent --opt-out of a program the person is not in (real binary)', () => {
  it('records it and says they were not enrolled, nothing deleted', () => {
    const r = w.run(['consent', subject, '--program', 'city-civic', '--opt-out']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${subject} was not in city-civic`);
    expect(r.stdout).not.toContain('ledger and cached score deleted');
    const s = w.json<{ reason: string }>(['score', subject, '--program', 'city-civic']);
    expect(s.reason).toBe('opted-out');
  });

  it('--json: wasEnrolled false there, true for a program they were in', () => {
    const at = new Date(Date.now() - 1000).toISOString();
    const civic = w.json<{ recorded: boolean; wasEnrolled: boolean }>([
      'consent',
      subject,
      '--program',
      'city-civic',
      '--opt-out',
      '--at',
      at,
    ]);
    expect(civic).toMatchObject({ recorded: true, wasEnrolled: false });
    const market = w.json<{ recorded: boolean; wasEnrolled: boolean }>([
      'consent',
      subject,
      '--program',
      'marketplace',
      '--opt-out',
      '--at',
      at,
    ]);
    expect(market).toMatchObject({ recorded: true, wasEnrolled: true });
    // The same command again: already recorded, and still judged without itself.
    const again = w.json<{ recorded: boolean; wasEnrolled: boolean }>([
      'consent',
      subject,
      '--program',
      'marketplace',
      '--opt-out',
      '--at',
      at,
    ]);
    expect(again).toMatchObject({ recorded: false, wasEnrolled: true });
  });
});
