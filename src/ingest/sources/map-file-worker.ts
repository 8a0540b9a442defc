/**
 * The worker thread that maps a furnisher file (`mapFile`) while the main thread ingests what it
 * has already sent. Each `next` message is answered, in order, with the next part,
 * `{ done: true }` at the end, or `{ error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorToWire } from '../../core/errors/index.js';
import { type MapFileOptions, mapFile } from './map-file.js';

const port = parentPort;
if (!port) throw new Error('map-file-worker runs as a worker thread');
const parts = mapFile(workerData as MapFileOptions);

port.on('message', () => {
  parts.next().then(
    (r) => port.postMessage(r.done ? { done: true } : { part: r.value }),
    (e: unknown) => port.postMessage({ error: errorToWire(e) }),
  );
});
