import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

// QA loaded an empty file, a list and two versions in one file: the first two were told "must be
// object" and the last "please use YAML.parseAllDocuments()", the YAML library's advice to a programmer.
describe('program load of a file that is not one rulebook mapping (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const load = (name: string, text: string) => {
    const file = join(w.dir, name);
    writeFileSync(file, text);
    return w.run(['program', 'load', file]);
  };

  it('says what the file is and what a rulebook is, naming the file and line, and stores nothing', () => {
    w = makeWorld();
    const empty = load('empty.yaml', '');
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('empty.yaml (top level): the file is empty; a rulebook is a YAML mapping');
    expect(empty.stderr).not.toContain('must be object');

    const list = load('list.yaml', '- program: a\n- program: b\n');
    expect(list.code).toBe(3);
    expect(list.stderr).toContain(
      'list.yaml:1:1 (top level): the file is a list; a rulebook is a YAML mapping',
    );

    const two = load('two.yaml', 'program: a\nname: A\n---\nprogram: b\nname: B\n');
    expect(two.code).toBe(3);
    expect(two.stderr).toContain('two.yaml:3:1 YAML: a "---" line here starts a second document');
    expect(two.stderr).not.toContain('parseAllDocuments');

    expect(w.run(['program', 'list']).stdout).not.toMatch(/\bv1\b/);
  });
});
