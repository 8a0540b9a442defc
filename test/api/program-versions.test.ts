import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, makeApiWorld, PROGRAM_FILES } from './api-world.js';

// The operator's listing of programs says which version is in force now (the one a score asked
// now is computed under) and which are only scheduled: a version loaded with an `effectiveFrom`
// in the future scores nobody until then, so calling it the "active" one misled the operator.

const MARKETPLACE = readFileSync(PROGRAM_FILES[0] as string, 'utf8');
const withFrom = (from: string): string =>
  MARKETPLACE.replace(/^program: marketplace$/m, `program: marketplace\neffectiveFrom: ${from}`);

interface Listed {
  program: string;
  inForce: number;
  active: number;
  versions: { version: number; effectiveFrom: number; status: string }[];
}

describe('GET /v1/programs: the version in force now and the scheduled ones', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 5 });
  });
  afterAll(() => w.dispose());

  const listed = async (): Promise<Listed> => {
    const r = await w.call('GET', '/v1/programs', w.keys.operator);
    expect(r.status).toBe(200);
    const p: Listed = r.body.programs.find((x: Listed) => x.program === 'marketplace');
    // `active`, the older name, says the same as `inForce`.
    expect(p.inForce).toBe(p.inForce);
    return p;
  };
  const scoredUnder = async (): Promise<number> => {
    const r = await w.call(
      'GET',
      `/v1/persons/${w.keys.personSubject}/score?program=marketplace&purpose=tenancy`,
      w.keys.rp,
    );
    expect(r.status).toBe(200);
    return r.body.version;
  };
  const activate = async (yaml: string): Promise<number> => {
    const d = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const a = await w.call('POST', `/v1/programs/drafts/${d.body.id}/activate`, w.keys.operator);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    return a.body.version;
  };

  it('a version effective later is scheduled; the one in force is the one scores use', async () => {
    const later = new Date(w.clock.now + 30 * 86_400_000).toISOString();
    const v2 = await activate(withFrom(later));
    expect(v2).toBe(2);
    const p = await listed();
    const now = await scoredUnder();
    expect(now).toBe(1);
    expect(p.inForce).toBe(now);
    expect(p.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'in-force'],
      [2, 'scheduled'],
    ]);
  });

  it('once its instant comes, the scheduled version is in force and the earlier one superseded', async () => {
    const saved = w.clock.now;
    try {
      w.clock.now += 31 * 86_400_000;
      const p = await listed();
      expect(p.inForce).toBe(await scoredUnder());
      expect(p.inForce).toBe(2);
      expect(p.versions.map((v) => [v.version, v.status])).toEqual([
        [1, 'superseded'],
        [2, 'in-force'],
      ]);
    } finally {
      w.clock.now = saved;
    }
  });

  it('a scheduled version that a later one overtakes before its date never comes into force', async () => {
    // v3 applies always (no effectiveFrom): it is in force now, and v2, due later, is superseded
    // by it for every as-of (the highest version in force wins).
    const v3 = await activate(MARKETPLACE);
    expect(v3).toBe(3);
    const p = await listed();
    expect(p.inForce).toBe(await scoredUnder());
    expect(p.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'in-force'],
    ]);
  });
});

describe('activating a draft whose text is the latest version already (idempotent re-load)', () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await makeApiWorld({ people: 5 });
  });
  afterAll(() => w.dispose());

  it('adds no version, re-derives nothing and says so; the audit entry says it too', async () => {
    const d = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml: MARKETPLACE });
    expect(d.status).toBe(200);
    const a = await w.call('POST', `/v1/programs/drafts/${d.body.id}/activate`, w.keys.operator);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body).toMatchObject({ version: 1, unchanged: true, rebuiltPeople: 0 });
    const p = (await w.call('GET', '/v1/programs', w.keys.operator)).body.programs.find(
      (x: Listed) => x.program === 'marketplace',
    ) as Listed;
    expect(p.versions.map((v) => v.version)).toEqual([1]);
    const [entry] = await w.api.ctx.audit.query({ actions: ['program.activate'] });
    expect(JSON.parse(entry?.detail ?? '{}')).toMatchObject({ version: 1, unchanged: true });
    // Activated once, the draft stays activated.
    expect((await w.call('POST', `/v1/programs/drafts/${d.body.id}/activate`, w.keys.operator)).status).toBe(
      409,
    );
    // A changed text is the next version.
    const changed = MARKETPLACE.replace(/^name: (.*)$/m, 'name: $1 (renamed)');
    const d2 = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml: changed });
    const a2 = await w.call('POST', `/v1/programs/drafts/${d2.body.id}/activate`, w.keys.operator);
    expect(a2.body).toMatchObject({ version: 2, unchanged: false });
  });
});
