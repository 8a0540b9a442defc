import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, type World } from './cli.js';

// A privilege or restriction is refused when its id, description, context or legal basis names
// special-category data, but the purposes it may be asked under were not read: a rulebook whose
// deposit-free bike is asked "for" religion or a trade-union check loaded (and was validated over
// the API), so a relying party's decisions about a person's faith or union were answered by name.
describe('the hard line reads the purposes a policy may be asked under (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const withPurposes = (purposes: string) =>
    readFileSync(MARKETPLACE, 'utf8').replace(
      /(- id: deposit-free-bike\n {4}context: commerce\n)/,
      `$1    purposes: ${purposes}\n`,
    );

  it('refuses such a purpose at program load, naming each with its line; nothing is loaded', () => {
    w = makeWorld();
    const file = join(w.dir, 'marketplace.yaml');
    writeFileSync(file, withPurposes('[tenancy, religion, trade-union-check]'));
    const r = w.run(['program', 'load', file]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(r.stderr).toMatch(
      /marketplace\.yaml:\d+:\d+ privileges\[0\]\.purposes\[1\]: privilege purpose "religion"/,
    );
    expect(r.stderr).toMatch(
      /marketplace\.yaml:\d+:\d+ privileges\[0\]\.purposes\[2\]: privilege purpose "trade-union-check"/,
    );
    expect(r.stderr).not.toContain('purposes[0]');
    expect(w.run(['program', 'list']).stdout).not.toContain('marketplace');
  });

  it('loads ordinary purposes', () => {
    w = makeWorld();
    const file = join(w.dir, 'marketplace.yaml');
    writeFileSync(file, withPurposes('[tenancy, rental]'));
    expect(w.run(['program', 'load', file]).code).toBe(0);
  });
});
