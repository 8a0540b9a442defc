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
 * each with the file, the line, the path (`rules[3].points`) and the reason, in file order; the
 * error's code is the gravest of theirs (a special-category refusal before a context refusal
 * before a plain error).
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
 * Optional keys no later check depends on: without them a rule still reads the same events,
 * fields, dimensions and flags (a rule without `cap` is uncapped, without `when` always applies),
 * so leaving one out raises no problem the author did not write. Not `retain`, `legalBasis`,
 * `dimensions`, `fields` and the like: the later checks read them, and without them they would
 * report problems that are not there.
 */
const DROPPABLE = new Set([
  'cap',
  'decay',
  'when',
  'dimension',
  'description',
  'minFacts',
  'every',
  'limit',
  'effectiveFrom',
  'disputes',
  'inquiries',
]);

/** The path to leave out for a schema problem, or undefined when none can be left out safely. */
function dropFor(p: ErrorDetail): (string | number)[] | undefined {
  if (!p.path) return undefined;
  const segs = pathSegments(p.path);
  if (p.reason === UNKNOWN_KEY) return segs;
  for (let i = segs.length - 1; i >= 0; i--) {
    const seg = segs[i];
    if (typeof seg === 'string' && DROPPABLE.has(seg)) return segs.slice(0, i + 1);
  }
  return undefined;
}

/**
 * The semantic problems of a file whose schema problems are all keys the format does not know
 * (a misspelt `dimensoin:`) or values of optional keys no later check reads (`cap: { max: -20 }`),
 * so the author sees them in the same run. The file without those keys says what the later
 * checks would say once they are fixed. Any other schema problem (a key missing, an event's
 * fields of the wrong type) leaves values the later checks read in doubt, and they wait for it to
 * be fixed.
 */
function laterProblems(
  value: unknown,
  schema: readonly ErrorDetail[],
  text: string,
  opts: CompileOptions,
): ErrorDetail[] {
  const drops = schema.map(dropFor);
  if (drops.some((d) => d === undefined)) return [];
  const copy = structuredClone(value);
  for (const d of drops) removeAt(copy, d as (string | number)[]);
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
