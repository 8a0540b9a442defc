import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type OpenedApi, openApi } from '../../src/api/index.js';
import { createIngest, initDatabase, openApp } from '../../src/app.js';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { DEFAULT_END, generateJsonl } from '../../src/generate/index.js';
import { type IdentityChange, mergePersons, splitRecords } from '../../src/ingest/resolve/identity-ops.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const PROGRAM_FILES = ['marketplace.yaml', 'city-civic.yaml'].map((f) =>
  join(ROOT, 'examples/programs', f),
);

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly headers: Record<string, unknown>;
}

export interface ApiWorld {
  readonly dir: string;
  readonly db: string;
  readonly api: OpenedApi;
  /** The server's clock; tests move it. */
  readonly clock: { now: number };
  readonly keys: {
    operator: string;
    furnisher: string;
    rp: string;
    /** A relying party allowed only `marketing`. */
    rpMarketing: string;
    person: string;
    personSubject: string;
    other: string;
    otherSubject: string;
  };
  /** The generated facts the world was built from (JSON objects). */
  readonly facts: Record<string, unknown>[];
  call(
    method: string,
    url: string,
    key?: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  dispose(): Promise<void>;
}

/**
 * A real world for route tests: a SQLite file in a temp dir, both example programs, a generated
 * population ingested through the ingest pipeline, the API built over it and one key per role.
 */
export async function makeApiWorld(opts: { people?: number; rate?: number } = {}): Promise<ApiWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'credence-api-'));
  const db = join(dir, 'credence.db');
  await initDatabase(db);
  const app = await openApp(db);
  for (const file of PROGRAM_FILES) {
    const text = readFileSync(file, 'utf8');
    const rb = compileRulebook(text, { file });
    await app.store.addRulebook({
      program: rb.program,
      name: rb.name,
      yaml: text,
      effectiveFrom: rb.effectiveFrom,
      loadedAt: 0,
    });
  }
  await app.close();
  const lines = [...generateJsonl({ people: opts.people ?? 40, days: 200, seed: 7, end: DEFAULT_END })];
  const seeded = await openApp(db);
  // Ingested at the generator's end, where the server's clock starts: not before the facts (a fact
  // dated ahead of the ingest clock is refused).
  await createIngest(seeded, { now: () => Date.parse(DEFAULT_END) }).ingestBatch(
    lines.map((text, i) => ({ file: 'seed.jsonl', line: i + 1, text: text.trim() })),
  );
  await seeded.close();

  const clock = { now: Date.parse(DEFAULT_END) };
  const api = await openApi(db, { clock: () => clock.now });
  const rate = opts.rate ?? 100_000;
  const auth = api.ctx.auth;
  const [s1, s2] = await api.ctx.app.store.subjectsPage('', 2);
  const keys = {
    operator: (await auth.issue({ role: 'operator', name: 'Ops', rate })).token,
    furnisher: (await auth.issue({ role: 'furnisher', name: 'Shop Ltd', source: 'shop', rate })).token,
    rp: (
      await auth.issue({ role: 'relying-party', name: 'Acme Rentals', purposes: ['tenancy', 'credit'], rate })
    ).token,
    rpMarketing: (await auth.issue({ role: 'relying-party', name: 'AdCo', purposes: ['marketing'], rate }))
      .token,
    person: (await auth.issue({ role: 'person', name: 'Person one', subject: s1 as string, rate })).token,
    personSubject: s1 as string,
    other: (await auth.issue({ role: 'person', name: 'Person two', subject: s2 as string, rate })).token,
    otherSubject: s2 as string,
  };
  const call: ApiWorld['call'] = async (method, url, key, body, headers = {}) => {
    const res = await api.server.inject({
      method: method as 'GET',
      url,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      ...(body !== undefined ? { payload: body as string } : {}),
    });
    let parsed: unknown = res.body;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      // HTML or empty
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };
  return {
    dir,
    db,
    api,
    clock,
    keys,
    facts: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    call,
    async dispose() {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every documented route from /openapi.json, with its path parameters filled in. */
export async function documentedRoutes(
  w: ApiWorld,
): Promise<{ method: string; path: string; url: string; secured: boolean }[]> {
  const doc = (await w.call('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  const out = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const url = path
        .replace('{subject}', w.keys.personSubject)
        .replace('{program}', 'marketplace')
        .replace(/\{[^}]+\}/g, 'x');
      out.push({ method: method.toUpperCase(), path, url, secured: (op.security ?? []).length > 0 });
    }
  }
  return out;
}

/** A purchase the world's furnisher (source `shop`) sends about `subject`. */
export const shopFact = (id: string, subject: object) => ({
  id,
  source: 'shop',
  type: 'purchase.completed',
  occurredAt: '2026-10-01T00:00:00Z',
  subject,
  data: { amount: 1, items: 1 },
});

/**
 * Two people one identifier names: one's national_id "SHOP:AMB77" (a weak id, kept as typed), the
 * other's account "shop:amb77". Asked as `shop:AMB77`, both answer. Returns who holds which.
 */
export async function twoPeopleOneIdentifier(
  w: ApiWorld,
): Promise<{ identifier: string; nationalIdHolder: string; accountHolder: string }> {
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [
      shopFact('amb-1', { given_name: 'Qiang', surname: 'Sun', national_id: 'SHOP:AMB77' }),
      shopFact('amb-2', { given_name: 'Lei', surname: 'Wu', account: 'shop:amb77' }),
    ],
  });
  if (sent.body?.counts?.accepted !== 2)
    throw new Error(`the two facts were not both taken: ${JSON.stringify(sent.body)}`);
  const store = w.api.ctx.app.store;
  const accounts = await store.subjectsByIdentifierValue('shop:amb77', ['account']);
  const ids = await store.subjectsByIdentifierValue('SHOP:AMB77', ['national_id']);
  const [accountHolder, nationalIdHolder] = [accounts[0], ids[0]];
  if (
    accounts.length !== 1 ||
    ids.length !== 1 ||
    !accountHolder ||
    !nationalIdHolder ||
    accountHolder === nationalIdHolder
  ) {
    throw new Error('the identifier does not name two people');
  }
  return { identifier: 'shop:AMB77', nationalIdHolder, accountHolder };
}

/**
 * An id merged into a person who was split since, so it names no one person now: two people (by
 * phone) merged, then the survivor's own record split off again. Returns the merged-away id
 * (`absorbed`) and the survivor's.
 */
export async function mergedThenSplit(w: ApiWorld): Promise<{ absorbed: string; survivor: string }> {
  const sent = await w.call('POST', '/v1/facts', w.keys.furnisher, {
    facts: [
      shopFact('m-1', { given_name: 'Fang', surname: 'Gao', phone: '+8613900000001' }),
      shopFact('m-2', { given_name: 'Yan', surname: 'Lu', phone: '+8613900000002' }),
    ],
  });
  if (sent.body?.counts?.accepted !== 2)
    throw new Error(`the two facts were not both taken: ${JSON.stringify(sent.body)}`);
  const store = w.api.ctx.app.store;
  const programs = w.api.ctx.programs.current;
  const held = await store.findFacts([
    { source: 'shop', id: 'm-1' },
    { source: 'shop', id: 'm-2' },
  ]);
  const a = held.get('shop/m-1')?.subject as string;
  const b = held.get('shop/m-2')?.subject as string;
  const merged = await mergePersons(store, programs, a, b, 'same person');
  const own = (await store.identityRecordsOf(merged.subjectId)).find(
    (r) => (JSON.parse(r.link) as { subjectId?: string }).subjectId === merged.subjectId,
  );
  if (own === undefined) throw new Error(`no record of ${merged.subjectId} is its own`);
  await splitRecords(store, programs, [own.recordId], 'different people');
  return { absorbed: merged.subjectId === a ? b : a, survivor: merged.subjectId };
}

/** As `credence identity merge|split` records its change in the audit log (inquiries and tokens follow them). */
async function loggedChange(w: ApiWorld, c: IdentityChange): Promise<IdentityChange> {
  await w.api.ctx.audit.append({
    at: w.clock.now,
    actor: 'cli:test',
    action: `identity.${c.kind}`,
    subject: c.subjectId,
    detail: { affected: c.affected, movedRecords: c.movedRecords, movedFacts: c.movedFacts },
  });
  return c;
}

/** Merges two people as the operator's command does, with its audit entry. */
export const mergeLogged = async (w: ApiWorld, a: string, b: string): Promise<IdentityChange> =>
  loggedChange(w, await mergePersons(w.api.ctx.app.store, w.api.ctx.programs.current, a, b, 'same'));

/** Splits one record off its person as the operator's command does, with its audit entry. */
export const splitLogged = async (w: ApiWorld, record: string): Promise<IdentityChange> =>
  loggedChange(w, await splitRecords(w.api.ctx.app.store, w.api.ctx.programs.current, [record], 'different'));

/**
 * An example program's rulebook with one part of its text replaced (`PROGRAM_FILES[file]`). Throws
 * when the part is not in it: an example edited since would otherwise leave the test testing the
 * example as it is.
 */
export function exampleWith(
  file: 0 | 1,
  part: string | RegExp,
  by: string | ((match: string, ...groups: string[]) => string),
): string {
  const text = readFileSync(PROGRAM_FILES[file] as string, 'utf8');
  const edited = typeof by === 'string' ? text.replace(part, by) : text.replace(part, by);
  if (edited === text) throw new Error(`${PROGRAM_FILES[file]} holds no ${String(part)}`);
  return edited;
}

/** Loads a rulebook as a draft and puts it in force, as the operator does; the version it became. */
export async function activateRulebook(w: ApiWorld, yaml: string): Promise<number> {
  const draft = await w.call('POST', '/v1/programs/drafts', w.keys.operator, { yaml });
  if (draft.status !== 200) throw new Error(`draft refused: ${JSON.stringify(draft.body)}`);
  const on = await w.call('POST', `/v1/programs/drafts/${draft.body.id}/activate`, w.keys.operator);
  if (on.status !== 200) throw new Error(`activation refused: ${JSON.stringify(on.body)}`);
  return on.body.version as number;
}
