import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

// V8 grows its heap lazily up to a limit sized from the machine's memory (4 GB here), so a long
// ingest whose live data is bounded still grows past a gigabyte of garbage. A full collection
// when the heap passes a ceiling keeps the process near its live size; it costs a few tens of
// milliseconds every few hundred thousand lines.
//
// The ceiling follows the live size: once what survives a collection is itself near the floor
// (the identity engine's records grow with the people seen), a fixed ceiling would collect after
// every batch — at 700,000 records that was 59 % of an ingest's time. Collecting only when the
// heap has grown by half since the last collection keeps the cost per line bounded and the heap
// within one and a half times its live size.
let gc: (() => void) | undefined;
let liveAfterLast = 0;

function collector(): () => void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  return gc;
}

/**
 * Collects garbage when the heap in use has grown past `floorMb` and past one and a half times what the last
 * collection left (checked after each batch).
 */
export function keepHeapUnder(floorMb: number): void {
  const used = v8.getHeapStatistics().used_heap_size;
  if (!shouldCollect(used, floorMb * 2 ** 20, liveAfterLast)) return;
  collector()();
  liveAfterLast = v8.getHeapStatistics().used_heap_size;
}

/** Whether a heap with `used` bytes in use is collected, given the floor and what the last collection left. */
export function shouldCollect(used: number, floor: number, liveAfterLast: number): boolean {
  return used > floor && used > 1.5 * liveAfterLast;
}
