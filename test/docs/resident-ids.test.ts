import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateResidentId } from '../../src/identity/validate/resident-id.js';
import { ROOT } from '../e2e/cli.js';

// A newcomer copies the example facts: a resident ID there that fails its check character is kept
// as an untrusted identifier and `credence score` refuses it (the README's `…451X`, copied from the
// design text, should have ended in 4).
const files = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe.each(files)('%s', (file) => {
  it('every national_id in an example passes its check character', () => {
    const ids = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/"national_id"\s*:\s*"([^"]*)"/g)].map(
      (m) => m[1] as string,
    );
    for (const id of ids)
      expect({ id, problems: validateResidentId(id).problems }).toEqual({ id, problems: [] });
  });
});
