import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/cli.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// Passports print the holder's sex as M, F or X (ICAO 9303: unspecified). A relying party copying
// it from a passport was refused for X; it is taken as no sex given (nothing to compare), by the
// API and by `credence screen --sex`. Another letter is still refused, naming the field.

let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 5 });
});
afterAll(() => w.dispose());

const screen = (extra: Record<string, unknown>) =>
  w.call('POST', '/v1/screen', w.keys.rp, { name: 'Wang Wei', purpose: 'tenancy', ...extra });

describe('screening with sex X, as passports print unspecified', () => {
  it('POST /v1/screen takes X as no sex given and still refuses another letter', async () => {
    const none = await screen({});
    const x = await screen({ sex: 'X' });
    expect(x.status, JSON.stringify(x.body)).toBe(200);
    expect(x.body).toEqual(none.body);
    const q = await screen({ sex: 'Q' });
    expect(q.status).toBe(400);
    expect(JSON.stringify(q.body.error)).toContain('sex');
  });

  it('credence screen --sex X answers as without --sex; --sex Q is a usage error', () => {
    const args = ['screen', '--name', 'Wang Wei', '--json', '--db', w.db];
    const none = runCli(args, { cwd: w.dir });
    const x = runCli([...args, '--sex', 'X'], { cwd: w.dir });
    expect(x.code, x.stderr).toBe(0);
    // As of each run's own clock: the rest is the same answer.
    const answer = (out: string) => ({ ...JSON.parse(out), asOf: undefined });
    expect(answer(x.stdout)).toEqual(answer(none.stdout));
    const q = runCli([...args, '--sex', 'Q'], { cwd: w.dir });
    expect(q.code).toBe(2);
    expect(q.stderr).toContain('--sex must be M, F or X');
  });
});
