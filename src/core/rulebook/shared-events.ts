import { CredenceError, type ErrorDetail } from '../errors/index.js';
import { inFileOrder, loadYaml } from './load.js';
import type { CompiledRulebook } from './types.js';

/**
 * Event types a rulebook declares that another loaded program declares too, with a field of a
 * different type. A fact of a type several programs declare must carry every program's fields
 * (it feeds each of them), so such a pair makes every fact of that type refused, for both
 * programs: loading the second one would silently stop the first one's furnishers.
 *
 * @example
 * sharedEventConflicts(pb, [pa]) // [{ path: "events['shop.buy'].fields.amount", reason: '…' }]
 */
export function sharedEventConflicts(
  rb: CompiledRulebook,
  others: readonly CompiledRulebook[],
): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const [type, def] of Object.entries(rb.events)) {
    for (const [field, ftype] of Object.entries(def.fields)) {
      for (const other of others) {
        if (other.program === rb.program) continue;
        const theirs = other.events[type]?.fields[field];
        if (theirs === undefined || theirs === ftype) continue;
        out.push({
          code: 'CREDENCE_E_RULEBOOK_INVALID',
          path: `events['${type}'].fields.${field}`,
          reason: `field "${field}" of ${type} is ${ftype} here, but program ${other.program} (v${other.version}) declares it ${theirs}: a fact of ${type} feeds every program that declares it, and none could be both`,
        });
      }
    }
  }
  return out;
}

/**
 * Refuses a rulebook whose event types clash with those of the other loaded programs (their
 * active versions), each problem with the file, line, path and reason.
 */
export function checkSharedEvents(
  text: string,
  file: string,
  rb: CompiledRulebook,
  others: readonly CompiledRulebook[],
): void {
  const problems = sharedEventConflicts(rb, others);
  if (problems.length > 0) refuseRulebook(text, file, problems);
}

/** Throws CREDENCE_E_RULEBOOK_INVALID with these problems, each placed at its line of `text`. */
export function refuseRulebook(text: string, file: string, problems: readonly ErrorDetail[]): never {
  const loaded = loadYaml(text, file);
  const n = problems.length;
  throw new CredenceError(
    'CREDENCE_E_RULEBOOK_INVALID',
    `${file} is not a valid rulebook (${n} problem${n === 1 ? '' : 's'})`,
    { file },
    inFileOrder(
      problems.map((p) => {
        const at = p.path === undefined ? undefined : loaded.positionOf(p.path);
        return { ...p, file, line: at?.line, ...(at ? { column: at.column } : {}) };
      }),
    ),
  );
}
