import { isCredenceError } from '../errors/index.js';
import { loadYaml } from './load.js';

/**
 * A rulebook's YAML as parsed, in JSON: what a store keeps beside the text so that opening a
 * database compiles its programs without parsing YAML (`compileRulebookSpec`). `null` when the
 * text is not YAML at all (then nothing can be compiled from it either).
 *
 * JSON holds every value a valid rulebook can carry (strings, finite numbers, booleans, null,
 * lists and string-keyed maps; the schema refuses NaN and infinities); the one value it changes,
 * -0, becomes 0, which scores alike.
 *
 * @example
 * rulebookSpecJson('program: x\nscale: { min: 0 }\n') // '{"program":"x","scale":{"min":0}}'
 */
export function rulebookSpecJson(text: string): string | null {
  try {
    return JSON.stringify(loadYaml(text, '<rulebook>').value) ?? null;
  } catch (e) {
    if (isCredenceError(e)) return null;
    throw e;
  }
}
