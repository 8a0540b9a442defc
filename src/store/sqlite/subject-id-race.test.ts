import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NewFact } from '../store.js';
import { storedMeanwhile } from './sqlite-commit.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-subject-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fact = (id: string, subject: string): NewFact => ({
  source: 'shop',
  id,
  subject,
  type: 'payment.completed',
  at: 1,
  body: JSON.stringify({ id }),
  hash: `h-${id}`,
  retracts: null,
  receivedAt: 1,
});

// Two processes on one file (a server beside a CLI ingest) each number the people they create by
// their own count: both counted 0, both call their first new person P0000001.
describe('two writers that numbered a new person alike', () => {
  it('the second batch is refused whole, not stored under the first one’s person', async () => {
    const path = join(dir, 'race.db');
    const a = await openSqliteStore(path, { create: true });
    await a.migrate();
    const b = await openSqliteStore(path);
    await a.commit({ subjects: ['P0000001'], facts: [fact('a1', 'P0000001')] });
    const refused = b.commit({ subjects: ['P0000001'], facts: [fact('b1', 'P0000001')] });
    await expect(refused).rejects.toMatchObject({
      code: 'CREDENCE_E_STATE',
      message: expect.stringMatching(/person P0000001 was created meanwhile by another process/),
    });
    expect((await a.findFacts([{ source: 'shop', id: 'b1' }])).size).toBe(0);
    expect((await a.personFacts(['P0000001'])).get('P0000001')?.map((f) => f.id)).toEqual(['a1']);
    // A source's own id names one person whoever stores it first.
    await a.commit({ subjects: ['cust-7'], facts: [fact('a2', 'cust-7')] });
    await b.commit({ subjects: ['cust-7'], facts: [fact('b2', 'cust-7')] });
    expect((await a.personFacts(['cust-7'])).get('cust-7')?.map((f) => f.id)).toEqual(['a2', 'b2']);
    await a.close();
    await b.close();
  });
});

// The same race for a fact: two servers sent the same batch at once (a client retrying on the other
// one) each judged it before the other stored it. Whichever commits second must be told to judge
// it again, where it finds the fact stored (a duplicate), not fail on the file's unique index.
describe('two writers that judged the same fact as new', () => {
  it('the second batch is refused whole with a retryable refusal naming the fact', async () => {
    const path = join(dir, 'fact-race.db');
    const a = await openSqliteStore(path, { create: true });
    await a.migrate();
    const b = await openSqliteStore(path);
    await a.commit({ subjects: ['cust-1'], facts: [fact('f1', 'cust-1')] });
    const refused = b.commit({ subjects: ['cust-1'], facts: [fact('f2', 'cust-1'), fact('f1', 'cust-1')] });
    await expect(refused).rejects.toMatchObject({
      code: 'CREDENCE_E_STATE',
      details: [{ field: 'fact' }],
      message: expect.stringMatching(/fact shop\/f1 was stored meanwhile by another process/),
    });
    await expect(refused).rejects.toSatisfy(storedMeanwhile);
    // Nothing of the refused batch was stored, its other fact included.
    expect((await a.findFacts([{ source: 'shop', id: 'f2' }])).size).toBe(0);
    await a.close();
    await b.close();
  });
});
