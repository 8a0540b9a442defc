export {
  ALLOWED_CATEGORIES,
  CATEGORY_WORDS,
  type Category,
  SPECIAL_CATEGORIES,
  type SpecialCategory,
} from './categories.js';
export { type CompileOptions, compileRulebook, RESERVED_TYPE_PREFIX } from './compile.js';
export { compileRulebookSpec } from './compile-spec.js';
export { compileStoredRulebook } from './compile-stored.js';
export { specialCategoryOf } from './names.js';
export { contextProblems, specialCategoryProblems } from './policy.js';
export { RulebookSchema, type RulebookSource } from './schema.js';
export { checkSharedEvents, refuseRulebook, sharedEventConflicts } from './shared-events.js';
export { rulebookSpecJson } from './spec-json.js';
export { StoredFactsCheck } from './stored-facts.js';
export type * from './types.js';
export { rulebookAt } from './versions.js';
