// Parts of a seal verification on a worker thread (see `verifySealsOf`): each task is one key
// range of a sealed table, summed on this thread's own read-only connection; or SQLite's check of
// the file's tables (`integrity`), beside the sums.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { checkFileIntegrity } from './file-integrity.js';
import { sqliteNativeBinding } from './native-binding.js';
import { runSealTask, type SealTask, type SealTaskResult } from './seal-ranges.js';

const { path, tasks, integrity } = workerData as {
  path: string;
  tasks: readonly SealTask[];
  integrity?: readonly string[];
};
// SQLite caps it at its compile-time most (2 GB here); pages past it are read as before.
const MAP_BYTES = 2 ** 33;
const db = new Database(path, { fileMustExist: true, readonly: true, nativeBinding: sqliteNativeBinding() });
try {
  db.pragma('busy_timeout = 10000');
  if (integrity) {
    // SQLite's check reads every page of the file once: mapped, the reads cost no system call
    // (on the 1 M court list 9.5 s of CPU, 4 s of it in the kernel, against 6 s). The pages count
    // in this process's resident memory while mapped, which a verify can afford.
    db.pragma(`mmap_size = ${MAP_BYTES}`);
    parentPort?.postMessage(checkFileIntegrity(db, integrity));
  } else {
    const results: SealTaskResult[] = tasks.map((t) => runSealTask(db, t));
    parentPort?.postMessage(results);
  }
} finally {
  db.close();
}
