export { ALLOWED_CATEGORIES, type Category, SPECIAL_CATEGORIES, type SpecialCategory } from './categories.js';
export { type CompileOptions, compileRulebook, RESERVED_TYPE_PREFIX } from './compile.js';
export { compileStoredRulebook } from './compile-stored.js';
export { specialCategoryOf } from './names.js';
export { contextProblems, specialCategoryProblems } from './policy.js';
export { RulebookSchema, type RulebookSource } from './schema.js';
export type * from './types.js';
export { rulebookAt } from './versions.js';
