// One slice of a parallel audit verification, in a worker thread (see SqliteAuditLog.verify).
import { parentPort, workerData } from 'node:worker_threads';
import { checkRange } from '../audit-range.js';
import { openRowBySeq, sealedRows } from './sealed-rows.js';

const { path, from, to, sqlFrom, sqlTo, headSeq } = workerData as {
  path: string;
  from: number;
  to: number;
  sqlFrom: number;
  sqlTo: number;
  headSeq: number;
};
const rows = sealedRows(path, sqlFrom, sqlTo);
const rowBySeq = openRowBySeq(path);
try {
  parentPort?.postMessage(checkRange(rows, from, to, headSeq, rowBySeq.get));
} finally {
  rows.close();
  rowBySeq.close();
}
