import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toInquiry } from '../../src/api/services/person-file-service.js';
import type { AuditEntry } from '../../src/audit/index.js';
import { type ApiWorld, makeApiWorld } from './api-world.js';

// The sentence a person reads about an inquiry ("Acme Rentals asked for your score in marketplace
// ...") named the program by its id, which the person never chose and may not recognise; the
// rulebook gives each program a name. It now says the name, in the API's list, the file (its
// inquiries and scores sent) and `credence export` (text and JSON); the `program` field keeps the
// id. The id stands in only where no name is known.
const ROOT = join(import.meta.dirname, '../..');
let w: ApiWorld;
beforeAll(async () => {
  w = await makeApiWorld({ people: 3 });
});
afterAll(async () => w.dispose());

const nameOf = (program: string) => w.api.ctx.programs.current.get(program)?.name as string;

describe('an inquiry names its program by name', () => {
  it('in the list, the file and the export', async () => {
    const subject = w.keys.personSubject;
    const score = await w.call(
      'GET',
      `/v1/persons/${subject}/score?program=marketplace&purpose=credit`,
      w.keys.rp,
    );
    expect(score.status).toBe(200);
    const decision = await w.call('POST', '/v1/decisions', w.keys.rp, {
      subject,
      program: 'city-civic',
      policy: w.api.ctx.programs.at('city-civic', w.clock.now).privileges[0]?.id,
      purpose: 'tenancy',
    });
    expect(decision.status).toBe(200);
    const names = { marketplace: nameOf('marketplace'), 'city-civic': nameOf('city-civic') };
    expect(names.marketplace).not.toBe('');
    expect(names['city-civic']).not.toBe('');

    const check = (list: { program: string; what: string }[]) => {
      expect(list.map((i) => i.program)).toEqual(['marketplace', 'city-civic']);
      for (const i of list) {
        expect(i.what).toContain(` in "${names[i.program as keyof typeof names]}"`);
        expect(i.what).not.toContain(` in ${i.program}`);
      }
    };
    check((await w.call('GET', '/v1/me/inquiries', w.keys.person)).body.inquiries);
    const file = (await w.call('GET', '/v1/me/file', w.keys.person)).body;
    check(file.inquiries);
    expect(file.scoresSent.map((i: { what: string }) => i.what)).toEqual(
      file.inquiries
        .filter((i: { seq: number }) => file.scoresSent.some((s: { seq: number }) => s.seq === i.seq))
        .map((i: { what: string }) => i.what),
    );
    expect(file.scoresSent[0].what).toContain(`in "${names.marketplace}"`);

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin/credence.js'), ...args, '--db', w.db], {
        encoding: 'utf8',
      });
    const json = cli('export', subject, '--json');
    expect(json.status, json.stderr).toBe(0);
    check(JSON.parse(json.stdout).inquiries);
    const text = cli('export', subject);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Acme Rentals asked for your score in "${names.marketplace}"`);
  });

  it('by its id where no name is known', () => {
    const e: AuditEntry = {
      seq: 1,
      at: 0,
      actor: 'key:k1',
      action: 'score.query',
      subject: 'P1',
      purpose: 'credit',
      detail: JSON.stringify({ program: 'gone', status: 'scored', score: 600 }),
      prevHash: '',
      hash: '',
    };
    expect(toInquiry(e, new Map([['k1', 'Acme']])).what).toBe(
      'Acme asked for your score in "gone", for the purpose "credit". They were told: 600.',
    );
  });
});
