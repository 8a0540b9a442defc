import type { ErrorDetail } from '../errors/index.js';
import { compileFactPoints, compileFactPredicate } from './cel.js';
import { failWith } from './compile-valid.js';
import type { CompiledRulebook } from './types.js';

/**
 * Compiles every rule's CEL (`when`, `points`) of a stored version, which `compileRulebookSpec`
 * leaves to each rule's first fact, and throws every problem (CREDENCE_E_CEL, naming `file` and
 * the rule's path). Why: an expression a stricter checker or a CEL upgrade now refuses would
 * otherwise be found by whichever fact first reaches it, mid-ingest, and stop every program; found
 * here, its version withholds its own program (`ProgramSet.withheld`).
 *
 * @example
 * checkStoredExpressions(rb, 'notes v2') // throws: rules[0].when: "fact.tag > 5" found no matching overload …
 */
export function checkStoredExpressions(rb: CompiledRulebook, file: string): void {
  const problems: ErrorDetail[] = [];
  rb.rules.forEach((r, i) => {
    const fields = rb.events[r.on]?.fields ?? {};
    const path = `rules[${i}]`;
    if (r.whenText !== undefined) {
      const c = compileFactPredicate(fields, r.whenText, r.on);
      if (!c.ok)
        problems.push({
          code: 'CREDENCE_E_CEL',
          path: `${path}.when`,
          reason: `"${r.whenText}" ${c.reason}`,
        });
    }
    // A number written as the points is no expression.
    if (r.pointsText.trim() !== '' && !Number.isFinite(Number(r.pointsText))) {
      const c = compileFactPoints(fields, r.pointsText, r.on);
      if (!c.ok)
        problems.push({
          code: 'CREDENCE_E_CEL',
          path: `${path}.points`,
          reason: `"${r.pointsText}" ${c.reason}`,
        });
    }
  });
  if (problems.length > 0)
    failWith(file, { value: undefined, lineOf: () => undefined, positionOf: () => undefined }, problems);
}
