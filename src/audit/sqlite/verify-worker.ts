// One slice of a parallel audit verification, in a worker thread (see SqliteAuditLog.verify).
import { parentPort, workerData } from 'node:worker_threads';
import { checkRange } from '../audit-range.js';
import { openRowBySeq, sealedRows } from './sealed-rows.js';
import { unindexedIn } from './subject-index-check.js';

const { path, from, to, sqlFrom, sqlTo, headSeq, indexedTo } = workerData as {
  path: string;
  from: number;
  to: number;
  sqlFrom: number;
  sqlTo: number;
  headSeq: number;
  indexedTo: number;
};
const rows = sealedRows(path, sqlFrom, sqlTo);
const rowBySeq = openRowBySeq(path);
try {
  const result = checkRange(rows, from, to, headSeq, rowBySeq.get);
  // A slice already broken reports that; its index is only checked when its entries are intact.
  const index = result.problem ? {} : unindexedIn(path, from, Math.min(to, indexedTo));
  parentPort?.postMessage({ ...result, ...index });
} finally {
  rows.close();
  rowBySeq.close();
}
