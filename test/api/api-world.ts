import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type OpenedApi, openApi } from '../../src/api/index.js';
import { createIngest, initDatabase, openApp } from '../../src/app.js';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { DEFAULT_END, generateJsonl } from '../../src/generate/index.js';

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
