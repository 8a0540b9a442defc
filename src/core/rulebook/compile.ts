import type { ErrorDetail } from '../errors/index.js';
import { type CompileOptions, compileValid, failWith } from './compile-valid.js';
import { loadYaml, pathSegments } from './load.js';
import { specialCategoryProblems } from './policy.js';
import type { RulebookSource } from './schema.js';
import { schemaProblems } from './schema-errors.js';
import type { CompiledRulebook } from './types.js';

export { type CompileOptions, RESERVED_TYPE_PREFIX } from './compile-valid.js';

/**
 * Loads, validates and compiles a rulebook. Every problem is collected and reported at once,
 * each with the file, the line, the path (`rules[3].points`) and the reason; the first code is
 * the gravest (a special-category refusal before a context refusal before a plain error).
 *
 * @example
 * const rb = compileRulebook(readFileSync('city-civic.yaml', 'utf8'), { file: 'city-civic.yaml' });
 */
export function compileRulebook(text: string, opts: CompileOptions = {}): CompiledRulebook {
  const file = opts.file ?? '<rulebook>';
  const loaded = loadYaml(text, file);
  const fail = (problems: ErrorDetail[]): never => failWith(file, loaded, problems);

  const prohibited = specialCategoryProblems(loaded.value);
  const blocked = new Set(prohibited.map((p) => p.path));
  const schema = schemaProblems(loaded.value).filter((p) => !blocked.has(p.path));
  if (prohibited.length > 0) fail([...prohibited, ...schema]);
  if (schema.length > 0) fail([...schema, ...laterProblems(loaded.value, schema, text, opts)]);
  return compileValid(loaded.value as RulebookSource, text, opts, fail);
}

const UNKNOWN_KEY = 'is not a known key here';

/**
 * The semantic problems of a file whose only schema problems are keys the format does not know
 * (a misspelt `dimensoin:`), so the author sees them in the same run. Every later check ignores
 * such a key, so the file without them says what it would say once they are fixed. Any other
 * schema problem (a key missing, a value of the wrong type) leaves values the later checks read
 * in doubt, and they wait for it to be fixed.
 */
function laterProblems(
  value: unknown,
  schema: readonly ErrorDetail[],
  text: string,
  opts: CompileOptions,
): ErrorDetail[] {
  if (!schema.every((p) => p.reason === UNKNOWN_KEY && p.path)) return [];
  const copy = structuredClone(value);
  for (const p of schema) removeAt(copy, pathSegments(p.path as string));
  if (schemaProblems(copy).length > 0) return [];
  try {
    compileValid(copy as RulebookSource, text, opts, (problems) => {
      throw new Collected(problems);
    });
  } catch (e) {
    if (e instanceof Collected) return e.problems;
    throw e;
  }
  return [];
}

class Collected {
  constructor(readonly problems: ErrorDetail[]) {}
}

function removeAt(root: unknown, segs: readonly (string | number)[]): void {
  let node: unknown = root;
  for (const seg of segs.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string | number, unknown>)[seg];
  }
  const last = segs[segs.length - 1];
  if (typeof node === 'object' && node !== null && !Array.isArray(node) && last !== undefined)
    delete (node as Record<string | number, unknown>)[last];
}
