// Reads what each source has furnished off the server's event loop (see source-summary.ts).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { sqliteNativeBinding } from '../../store/sqlite/native-binding.js';
import { readSourceFacts } from './source-summary.js';

const { path, after, most } = workerData as { path: string; after: string; most: number };
try {
  const db = new Database(path, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  try {
    db.pragma('busy_timeout = 10000');
    parentPort?.postMessage({ ok: readSourceFacts(db, after, most) });
  } finally {
    db.close();
  }
} catch (e) {
  parentPort?.postMessage({ error: (e as Error).message });
}
