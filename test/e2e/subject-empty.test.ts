import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, type World } from './cli.js';

let w: World;
beforeAll(() => {
  w = makeWorld({ programs: [MARKETPLACE] });
});
afterAll(() => w.dispose());

describe('an empty or all-space SUBJECT (real binary)', () => {
  // `credence score "$ID"` with ID unset exited 4 "no person """: a script read it as a person
  // Credence does not hold, not as the argument it forgot.
  it('is CREDENCE_E_USAGE (exit 2) naming SUBJECT for score, explain, export and consent', () => {
    for (const subject of ['', ' ', '\t  ']) {
      for (const args of [
        ['score', subject, '--program', 'marketplace'],
        ['explain', subject, '--program', 'marketplace'],
        ['export', subject],
        ['consent', subject, '--program', 'marketplace', '--opt-out'],
      ]) {
        const r = w.run(args);
        const what = `${args[0]} ${JSON.stringify(subject)}`;
        expect(r.code, what).toBe(2);
        expect(r.stdout, what).toBe('');
        expect(r.stderr, what).toMatch(/^error: SUBJECT is empty: [^\n]*\n {2}\[CREDENCE_E_USAGE\]\n$/);
      }
    }
  });

  it('leaves a subject with spaces around it to be looked up (exit 4 for one not held)', () => {
    const r = w.run(['score', ' P0000009 ', '--program', 'marketplace']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('[CREDENCE_E_SUBJECT_NOT_FOUND]');
  });
});
