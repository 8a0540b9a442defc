export { ExactResolver, GENERATED_ID, generatedSubjectId } from './exact-resolver.js';
export { IDENTIFIER_KINDS, LOOKUP_KINDS, normaliseIdentifier, subjectIdentifiers } from './identifiers.js';
export type { Resolution, ResolverWrites, SubjectResolver } from './subject-resolver.js';
