import { readdirSync, readFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { rulebookJsonSchema } from './json-schema.js';

const root = new URL('../../../', import.meta.url);
const committed = JSON.parse(readFileSync(new URL('schema/rulebook.schema.json', root), 'utf8'));

describe('schema/rulebook.schema.json', () => {
  it('is the schema the loader validates with (run `npm run schema` after changing it)', () => {
    expect(committed).toEqual(rulebookJsonSchema());
  });

  it('validates the example programs and the DESIGN.md example, and rejects a broken one', () => {
    const { $schema: _, ...schema } = committed;
    const check = Compile(schema);
    const dir = new URL('examples/programs/', root);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files).toEqual(expect.arrayContaining(['marketplace.yaml', 'city-civic.yaml']));
    for (const f of files) {
      const doc = parse(readFileSync(new URL(f, dir), 'utf8'));
      expect(check.Check(doc), `${f}: ${JSON.stringify(check.Errors(doc)[0])}`).toBe(true);
    }
    const design = parse(readFileSync(new URL('./fixtures/design-example.yaml', import.meta.url), 'utf8'));
    expect(check.Check(design)).toBe(true);
    expect(check.Check({ ...design, tiers: 'AAA' })).toBe(false);
  });
});
