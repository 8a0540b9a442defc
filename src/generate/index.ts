export {
  DEFAULT_DAYS,
  DEFAULT_END,
  DEFAULT_SEED,
  type GeneratedFact,
  type GeneratedInput,
  type GeneratedPerson,
  type GeneratedRetraction,
  type GenerateOptions,
  generateFacts,
  generateJsonl,
  generatePopulation,
  recentEnd,
  toJsonLine,
} from './generate-facts.js';
export { NAME_TABLES, type NamePart, typo } from './names.js';
export { mrzCheckDigit, type Passport, td3Mrz } from './passport.js';
export { type Engagement, MAX_PEOPLE, makePerson, type SyntheticPerson } from './person.js';
export { cumulative, mixSeed, Prng } from './prng.js';
export { hasValidCheckChar, residentId, residentIdCheckChar } from './resident-id.js';
export { type GeneratedSubject, SOURCES, type SourceId, subjectFor } from './sources.js';
export { generateJsonlWithTruth, TRUTH_HEADER } from './truth.js';
export { writeLines } from './write-lines.js';
