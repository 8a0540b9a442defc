import { type CompileOptions, compileValid, failWith } from './compile-valid.js';
import type { LoadedYaml } from './load.js';
import { specialCategoryProblems } from './policy.js';
import type { RulebookSource } from './schema.js';
import type { CompiledRulebook } from './types.js';

/**
 * Compiles a stored rulebook version from its spec — the YAML as parsed when it was loaded and
 * validated, kept as JSON beside the text (`rulebookSpecJson`). The same result as
 * `compileStoredRulebook(text)` without loading or running the YAML parser, which was most of
 * `credence score`'s start-up. The hard line is checked again all the same.
 *
 * Problems name their path (`rules[3].points`) but no line: they can only come from a compiler
 * stricter than the one that accepted the version, and the version is named in `opts.file`.
 * Rules' CEL compiles when each rule first meets a fact (`lazyRules`, unless `opts` says
 * `false`), so a problem there is thrown by that first evaluation.
 *
 * @example
 * const rb = compileRulebookSpec(JSON.parse(row.spec), row.yaml, { file: 'marketplace v2', version: 2 });
 */
export function compileRulebookSpec(
  spec: unknown,
  text: string,
  opts: CompileOptions = {},
): CompiledRulebook {
  const file = opts.file ?? '<rulebook>';
  const lineless: LoadedYaml = { value: spec, lineOf: () => undefined, positionOf: () => undefined };
  const fail = (problems: Parameters<typeof failWith>[2]): never => failWith(file, lineless, problems);
  const prohibited = specialCategoryProblems(spec);
  if (prohibited.length > 0) fail(prohibited);
  return compileValid(spec as RulebookSource, text, { lazyRules: true, ...opts }, fail);
}
