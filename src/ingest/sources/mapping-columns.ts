// Apart from load-mapping.ts so that mapping a file (on its own thread) does not load the YAML parser.
import type { Column, Mapping } from './load-mapping.js';

/** Every column a mapping reads, so a file's header can be checked before any row is mapped. */
export function mappingColumns(m: Mapping): string[] {
  const cols = new Set<string>();
  const add = (c: Column | undefined): void => {
    // With fallbacks, only the first column is required to exist in the header.
    if (c && c.columns.length > 0 && !c.optional) cols.add(c.columns[0] as string);
  };
  for (const c of Object.values(m.data)) add(c);
  if (m.skip) cols.add(m.skip.column);
  if (m.shape === 'events') {
    add(m.id);
    add(m.type);
    add(m.at);
  } else if (m.shape === 'register') {
    for (const k of m.key) cols.add(k);
    add(m.listed.at);
    if (m.mode === 'delta' && m.action) cols.add(m.action.column);
  } else {
    for (const k of m.key) cols.add(k);
    cols.add(m.column);
    add(m.lastMonth);
    add(m.amount);
  }
  return [...cols];
}

/**
 * Every column a mapping may read, optional ones and fallbacks included: a header that repeats
 * one of them leaves the mapping to guess which cell the furnisher meant.
 */
export function readColumns(m: Mapping): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown, depth: number): void => {
    if (depth > 8 || typeof x !== 'object' || x === null || x instanceof Set) return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(x)) {
      if ((k === 'columns' || k === 'key') && Array.isArray(v)) {
        for (const c of v) if (typeof c === 'string') out.add(c);
      } else if (k === 'column' && typeof v === 'string') out.add(v);
      else walk(v, depth + 1);
    }
  };
  walk(m, 0);
  return out;
}
