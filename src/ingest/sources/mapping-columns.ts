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
