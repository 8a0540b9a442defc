import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

// V8 grows its heap lazily up to a limit sized from the machine's memory (4 GB here), so a long
// ingest whose live data is bounded still grows past a gigabyte of garbage. A full collection
// when the heap passes a ceiling keeps the process near its live size; it costs a few tens of
// milliseconds every few hundred thousand lines.
let gc: (() => void) | undefined;

function collector(): () => void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  return gc;
}

/** Collects garbage when the heap has grown past `ceilingMb` (checked after each batch). */
export function keepHeapUnder(ceilingMb: number): void {
  if (process.memoryUsage().heapTotal > ceilingMb * 2 ** 20) collector()();
}
