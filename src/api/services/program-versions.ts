import { rulebookAt } from '../../core/rulebook/index.js';

/**
 * Where a loaded rulebook version stands at an instant: `in-force` (the one a score asked then is
 * computed under), `scheduled` (its `effectiveFrom` is still to come and it will be in force from
 * then), `superseded` (it scores only as-ofs before now, if any: a later version has taken over, or
 * overtakes it before its date comes).
 */
export type VersionStatus = 'in-force' | 'scheduled' | 'superseded';

interface Versioned {
  readonly version: number;
  readonly effectiveFrom: number;
}

/**
 * Each version of one program with its status at `now`, by the rule scoring uses (`rulebookAt`:
 * the highest version whose effectiveFrom is at or before the as-of, else the earliest). Shared by
 * `GET /v1/programs` and `credence program list`, so both name the same version.
 *
 * @example
 * versionStatuses([{ version: 1, effectiveFrom: 0 }, { version: 2, effectiveFrom: tomorrow }], now)
 * // { inForce: 1, statuses: Map { 1 => 'in-force', 2 => 'scheduled' } }
 */
export function versionStatuses(
  versions: readonly Versioned[],
  now: number,
): { inForce: number | undefined; statuses: Map<number, VersionStatus> } {
  const inForce = rulebookAt(versions, now)?.version;
  const statuses = new Map<number, VersionStatus>();
  for (const v of versions) {
    if (v.version === inForce) statuses.set(v.version, 'in-force');
    else if (v.effectiveFrom > now && rulebookAt(versions, v.effectiveFrom)?.version === v.version)
      statuses.set(v.version, 'scheduled');
    else statuses.set(v.version, 'superseded');
  }
  return { inForce, statuses };
}
