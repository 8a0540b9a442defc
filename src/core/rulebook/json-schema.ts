import { RulebookSchema } from './schema.js';

/** The rulebook schema as plain JSON Schema (draft 2020-12), for editors and other tools. */
export function rulebookJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(RulebookSchema)) as Record<string, unknown>),
  };
}
