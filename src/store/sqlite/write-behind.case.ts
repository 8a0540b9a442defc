import type { Store } from '../store.js';
import { WriteBehindStore } from '../write-behind.js';
import { SqliteWriter } from './sqlite-writer.js';

/** The writer thread for a test's database file (a file database always has one). */
export function writerFor(path: string): SqliteWriter {
  const writer = SqliteWriter.start(path);
  if (!writer) throw new Error(`no writer thread for ${path} (is dist/ built?)`);
  return writer;
}

/** Runs `fn` over `store` committing one batch behind on a writer thread, as the CLI does. */
export async function behindWriter<T>(store: Store, path: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const behind = new WriteBehindStore(store, writerFor(path));
  try {
    return await fn(behind);
  } finally {
    await behind.detach();
  }
}
