import type { ErrorDetail } from '../errors/index.js';
import { type CompileOptions, compileValid, failWith } from './compile-valid.js';
import { loadYaml } from './load.js';
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
  if (prohibited.length > 0 || schema.length > 0) fail([...prohibited, ...schema]);
  return compileValid(loaded.value as RulebookSource, text, opts, fail);
}
