// One slice of a parallel audit verification, in a worker thread (see SqliteAuditLog.verify).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type AuditRow, checkRange } from '../audit-range.js';

const { path, from, to, sqlFrom, sqlTo, headSeq } = workerData as {
  path: string;
  from: number;
  to: number;
  sqlFrom: number;
  sqlTo: number;
  headSeq: number;
};
const db = new Database(path, { readonly: true, fileMustExist: true });
const rows = db
  .prepare(
    'SELECT seq, at, actor, action, subject, purpose, detail, prev_hash, hash FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq',
  )
  .raw()
  .iterate(sqlFrom, sqlTo) as IterableIterator<AuditRow>;
const result = checkRange(rows, from, to, headSeq);
rows.return?.();
db.close();
parentPort?.postMessage(result);
