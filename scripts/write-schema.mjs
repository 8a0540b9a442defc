// Writes schema/rulebook.schema.json from the one TypeBox schema the loader validates with.
// Run `npm run schema`; a test fails when the committed file and the schema drift apart.
import { writeFileSync } from 'node:fs';
import { rulebookJsonSchema } from '../dist/core/rulebook/json-schema.js';

writeFileSync(
  new URL('../schema/rulebook.schema.json', import.meta.url),
  `${JSON.stringify(rulebookJsonSchema(), null, 2)}\n`,
);
