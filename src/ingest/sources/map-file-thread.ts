import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { credenceErrorFromWire, type WireError } from '../../core/errors/index.js';
import { workerFileBeside } from '../../threads/worker-file.js';
import { type MapFileOptions, type MappedPart, mapFile } from './map-file.js';

type Reply = { done: true } | { part: MappedPart } | { error: WireError };

// Under this size a file is mapped in this thread: starting the worker and its modules costs
// about 0.1 s of CPU, more than mapping a few thousand rows (a 2-row import paid 0.13 s more).
const SMALL_FILE = 256 * 1024;

function small(path: string): boolean {
  try {
    return statSync(path).size < SMALL_FILE;
  } catch {
    return true; // reading it will say why it cannot be read
  }
}

// Parts the worker may map ahead of the caller (a batch of 2,000 lines takes two parts of 1,000
// rows: with one part ahead, the pipeline waited for every other one).
const AHEAD = 4;

/** The parts of a file being mapped; `stop` ends the mapping early (an import that failed). */
export interface FileMapping extends AsyncIterable<MappedPart> {
  stop(): Promise<void>;
}

/**
 * `mapFile` on a worker thread, started at once and kept a few parts ahead of the caller: the CSV
 * is read and mapped, and register entries looked up, while the caller loads the ingest pipeline
 * and then ingests the part before (the main thread judges, a second thread writes; on two cores
 * this one shares the writer's). Without a worker file or a database file, or for a small file,
 * the same generator runs in this thread when iterated.
 *
 * @example
 * const parts = mapFileAhead(opts);
 * for await (const part of parts) ...
 */
export function mapFileAhead(o: MapFileOptions): FileMapping {
  const file =
    o.dbPath === ':memory:' || small(o.file)
      ? undefined
      : workerFileBeside(import.meta.url, 'map-file-worker.js');
  if (!file) {
    const parts = mapFile(o);
    return { [Symbol.asyncIterator]: () => parts, stop: async () => void (await parts.return(undefined)) };
  }
  const worker = new Worker(file, { workerData: o });
  // Listen from the start: a reply that comes while the caller is still loading would be lost.
  const replies: Reply[] = [];
  const inbox: Inbox = { replies, wake: undefined, failure: undefined };
  worker.on('message', (r: Reply) => {
    replies.push(r);
    inbox.wake?.();
  });
  worker.on('error', (e) => {
    inbox.failure = e;
    inbox.wake?.();
  });
  worker.on('exit', (code) => {
    inbox.failure ??= new Error(`the file-mapping thread stopped (exit ${code})`);
    inbox.wake?.();
  });
  for (let i = 0; i < AHEAD; i++) worker.postMessage('next');
  const parts = fromWorker(worker, inbox);
  return { [Symbol.asyncIterator]: () => parts, stop: async () => void (await worker.terminate()) };
}

interface Inbox {
  readonly replies: Reply[];
  wake: (() => void) | undefined;
  failure: Error | undefined;
}

async function* fromWorker(worker: Worker, inbox: Inbox): AsyncGenerator<MappedPart> {
  const next = async (): Promise<Reply> => {
    while (inbox.replies.length === 0) {
      if (inbox.failure) throw inbox.failure;
      await new Promise<void>((resolve) => {
        inbox.wake = resolve;
      });
      inbox.wake = undefined;
    }
    return inbox.replies.shift() as Reply;
  };
  try {
    for (;;) {
      const r = await next();
      if ('done' in r) return;
      if ('error' in r) {
        const e = r.error;
        throw credenceErrorFromWire(e) ?? new Error(e.stack ?? e.message);
      }
      // Ask for another part before handing this one over: the worker maps while we ingest.
      worker.postMessage('next');
      yield r.part;
    }
  } finally {
    await worker.terminate();
  }
}
