import { type CompileOptions, compileValid, failWith } from './compile-valid.js';
import { loadYaml } from './load.js';
import { specialCategoryProblems } from './policy.js';
import type { RulebookSource } from './schema.js';
import type { CompiledRulebook } from './types.js';

/**
 * Compiles a rulebook that was validated when it was loaded (a stored version): the same result
 * as `compileRulebook`, without loading the schema validator, so a one-shot command such as
 * `credence score` starts fast. The hard line is checked again all the same.
 *
 * @example
 * const rb = compileStoredRulebook(row.yaml, { file: 'marketplace v2', version: 2 });
 */
export function compileStoredRulebook(text: string, opts: CompileOptions = {}): CompiledRulebook {
  const file = opts.file ?? '<rulebook>';
  const loaded = loadYaml(text, file);
  const fail = (problems: Parameters<typeof failWith>[2]): never => failWith(file, loaded, problems);
  const prohibited = specialCategoryProblems(loaded.value);
  if (prohibited.length > 0) fail(prohibited);
  return compileValid(loaded.value as RulebookSource, text, opts, fail);
}
