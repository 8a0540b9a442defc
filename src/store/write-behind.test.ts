import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract } from './contract/store-contract.case.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import { SqliteWriter } from './sqlite/sqlite-writer.js';
import { writerFor } from './sqlite/write-behind.case.js';
import type { NewFact } from './store.js';
import { WriteBehindStore } from './write-behind.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-write-behind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function writeBehind(): Promise<{ store: WriteBehindStore; path: string }> {
  const path = join(dir, `w${n++}.db`);
  const inner = await openSqliteStore(path, { create: true });
  await inner.migrate();
  return { store: new WriteBehindStore(inner, writerFor(path)), path };
}

// The store contract holds when every commit is applied on the writer thread.
runStoreContract('sqlite, write-behind', async () => {
  const { store } = await writeBehind();
  return { store, dispose: () => store.close() };
});

const fact = (id: string, subject: string, extra: Partial<NewFact> = {}): NewFact => ({
  source: 'shop',
  id,
  subject,
  type: 'order.paid',
  at: 10,
  body: `{"id":"${id}"}`,
  hash: `h-${id}`,
  retracts: null,
  receivedAt: 1,
  ...extra,
});

const storedIds = (path: string): string[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT id FROM facts ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
};

describe('write-behind store', () => {
  it('shows the batch in flight to the look-ups of the next batch', async () => {
    const { store } = await writeBehind();
    await store.commit({ subjects: ['P1'], facts: [fact('a', 'P1')] });
    await store.commit({
      subjects: ['P2'],
      identifiers: [{ kind: 'phone', value: '+8613800138000', subject: 'P2' }],
      facts: [fact('b', 'P2'), fact('r', 'P1', { type: null, retracts: 'a' })],
    });
    // Whether or not the writer got to it yet, the second batch is visible.
    const known = await store.findFacts([
      { source: 'shop', id: 'a' },
      { source: 'shop', id: 'b' },
      { source: 'shop', id: 'zz' },
    ]);
    expect(known.get('shop/a')).toMatchObject({ subject: 'P1', retracted: true });
    expect(known.get('shop/b')).toMatchObject({ subject: 'P2', retracted: false, hash: 'h-b' });
    expect(known.has('shop/zz')).toBe(false);
    const ids = await store.findIdentifiers([{ kind: 'phone', value: '+8613800138000' }]);
    expect(ids.get('phone:+8613800138000')).toBe('P2');
    expect([...(await store.existingSubjects(['P1', 'P2', 'P3']))].sort()).toEqual(['P1', 'P2']);
    expect((await store.personFacts(['P2'])).get('P2')?.map((f) => f.id)).toEqual(['b']);
    await store.close();
  });

  it('reports a failed batch at the next commit, applies nothing after it, and keeps what came before', async () => {
    const { store, path } = await writeBehind();
    await store.commit({ subjects: ['P1'], facts: [fact('a', 'P1')] });
    // (source, id) is unique: a fact already stored is refused (as stored meanwhile by another
    // process, the only way a judged batch meets one), and the transaction rolls back as a whole.
    await store.commit({ facts: [fact('b', 'P1'), fact('a', 'P1')] });
    await expect(store.commit({ facts: [fact('c', 'P1')] })).rejects.toMatchObject({
      code: 'CREDENCE_E_STATE',
      message: expect.stringContaining('fact shop/a was stored meanwhile'),
    });
    await store.flush();
    expect(storedIds(path)).toEqual(['a']);
    // After the failure is reported, the store takes batches again.
    await store.commit({ facts: [fact('c', 'P1')] });
    await store.flush();
    expect(storedIds(path)).toEqual(['a', 'c']);
    await store.close();
  });

  it('settles once the batch in flight is stored, and leaves a failure for the next commit to report', async () => {
    const { store, path } = await writeBehind();
    await store.commit({ subjects: ['P1'], facts: [fact('a', 'P1')] });
    await store.settled();
    // Read on a connection of its own: what `settled` promised is in the file.
    expect(storedIds(path)).toEqual(['a']);
    await store.commit({ facts: [fact('b', 'P1'), fact('a', 'P1')] });
    await expect(store.settled()).rejects.toMatchObject({ code: 'CREDENCE_E_STATE' });
    // Still reported to the pipeline's next commit, which is refused with nothing applied.
    await expect(store.commit({ facts: [fact('c', 'P1')] })).rejects.toMatchObject({
      code: 'CREDENCE_E_STATE',
    });
    await store.settled();
    expect(storedIds(path)).toEqual(['a']);
    await store.close();
  });

  it('commits in place once the writer thread has died, after reporting the batch it lost', async () => {
    const path = join(dir, `w${n++}.db`);
    const inner = await openSqliteStore(path, { create: true });
    await inner.migrate();
    // A committer whose thread ends while writing its first batch, as a crashed worker would.
    let stopped = false;
    const dying = {
      get stopped() {
        return stopped;
      },
      commit: async () => {
        stopped = true;
        throw new Error('the database writer thread stopped (exit 1)');
      },
      close: async () => {},
    };
    const store = new WriteBehindStore(inner, dying);
    await store.commit({ subjects: ['P1'], facts: [fact('a', 'P1')] });
    await expect(store.commit({ facts: [fact('b', 'P1')] })).rejects.toThrow(/writer thread stopped/);
    // The pipeline drops its state on that error and sends its next batch, which is stored.
    await store.commit({ subjects: ['P1'], facts: [fact('c', 'P1')] });
    await store.flush();
    expect(storedIds(path)).toEqual(['c']);
    await store.close();
  });

  it('waits for a batch in flight that moves facts or identifiers before the look-ups answer', async () => {
    const path = join(dir, `w${n++}.db`);
    const inner = await openSqliteStore(path, { create: true });
    await inner.migrate();
    // The writer holds each batch until let go: the look-ups below run while the move is in flight.
    const writer = writerFor(path);
    let letGo: () => void = () => {};
    let gate = Promise.resolve();
    const held = {
      commit: async (b: Parameters<typeof writer.commit>[0]) => {
        await gate;
        return writer.commit(b);
      },
      close: () => writer.close(),
    };
    const store = new WriteBehindStore(inner, held);
    await store.commit({
      subjects: ['P1', 'P2'],
      identifiers: [{ kind: 'phone', value: '+8613800138000', subject: 'P1' }],
      facts: [fact('a', 'P1'), fact('b', 'P2')],
    });
    await store.flush();
    gate = new Promise((r) => {
      letGo = r;
    });
    // An operator's split: the fact and the phone go to a new person.
    await store.commit({
      subjects: ['P3'],
      identity: {
        factMoves: [{ source: 'shop', id: 'a', subject: 'P3' }],
        identifierMoves: [{ kind: 'phone', value: '+8613800138000', from: 'P1', to: 'P3' }],
      },
    });
    const facts = store.findFacts([{ source: 'shop', id: 'a' }]);
    const ids = store.findIdentifiers([{ kind: 'phone', value: '+8613800138000' }]);
    const people = store.existingSubjects(['P3']);
    await new Promise((r) => setTimeout(r, 20));
    letGo();
    expect((await facts).get('shop/a')?.subject).toBe('P3');
    expect((await ids).get('phone:+8613800138000')).toBe('P3');
    expect([...(await people)]).toEqual(['P3']);
    await store.close();
  });

  it('has no writer thread for an in-memory database', () => {
    expect(SqliteWriter.start(':memory:')).toBeUndefined();
  });
});
