interface Ref {
  $ref?: string;
}
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, Ref & { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, unknown>;
    responses?: Record<string, { description?: string }>;
  };
}

const esc = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** A schema as compact JSON, one line per property at most two levels in: far shorter than indent 2. */
const json = (v: unknown): string =>
  esc(JSON.stringify(v, null, 1).replace(/\n\s*/g, (m) => (m.length > 4 ? ' ' : m)));

/**
 * Who calls the API, in a few lines each, for the top of the page: which key, what they do first,
 * what is refused. The routes themselves follow, grouped by the same roles (their OpenAPI tags).
 */
const ROLES: readonly (readonly [tag: string, title: string, words: string])[] = [
  [
    'furnisher',
    'Furnishers',
    'A furnisher key (<code>cred_furnisher_…</code>) is bound to one source. <code>POST /v1/facts</code> sends up to 10,000 facts or retractions in one batch and answers a result per fact once they are stored; send the same batch again (or with an <code>Idempotency-Key</code>) and nothing is stored twice. <code>GET /v1/imports/{importId}</code> reads an import of your own source.',
  ],
  [
    'relying-party',
    'Relying parties',
    'A relying-party key (<code>cred_rp_…</code>) is issued for a list of purposes. Every score query, decision and screening states one of them as <code>purpose</code>: none, or one not on the list, is <code>403 CREDENCE_E_PURPOSE</code>, logged. Every answer about a person is an inquiry the person sees in their file. A person without a score is answered not-scored, never why. A denied decision carries what an adverse-action notice needs.',
  ],
  [
    'person',
    'Persons',
    'A person token (<code>cred_person_…</code>) reads and acts on one file only: the whole copy (<code>GET /v1/me/file</code>), every inquiry, the score and its explanation, opt-out and opt-in, disputes of a fact or of an identity link and their withdrawal.',
  ],
  [
    'operator',
    'Operators',
    'An operator key (<code>cred_operator_…</code>) runs programs (validate, load a draft, compare, activate), answers disputes (overdue ones first), works the identity review queue, issues and revokes keys, lists sources and verifies the audit log.',
  ],
];

/**
 * One self-contained HTML page from the OpenAPI document: an overview per role, the error answers
 * once, then every route grouped by role, with its parameters, body and answers. No scripts or
 * CDN assets, so it works offline.
 *
 * @example
 * renderDocs(withSharedErrors(app.swagger())) // '<!doctype html>…'
 */
export function renderDocs(doc: OpenApiDoc): string {
  const byTag = new Map<string, string[]>();
  const index = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'other';
      const id = `${method}-${path}`;
      index.set(tag, [
        ...(index.get(tag) ?? []),
        `<li><a href="#${esc(id)}"><code>${esc(method.toUpperCase())} ${esc(path)}</code></a>${op.summary ? ` — ${esc(op.summary)}` : ''}</li>`,
      ]);
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${esc(p.name)}</code> <em>${esc(p.in)}${p.required ? ', required' : ''}</em>${p.description ? ` — ${esc(p.description)}` : ''}</li>`,
        )
        .join('');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const answers: string[] = [];
      const refused: string[] = [];
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const shared = r.$ref?.startsWith('#/components/responses/') ? r.$ref.slice(23) : undefined;
        if (shared !== undefined) {
          refused.push(`<a href="#error-${esc(status)}">${esc(status)} ${esc(shared)}</a>`);
          continue;
        }
        const schema = r.content?.['application/json']?.schema;
        answers.push(
          `<details><summary>${esc(status)} ${esc(r.description ?? '')}</summary>${schema ? `<pre>${json(schema)}</pre>` : ''}</details>`,
        );
      }
      const section =
        `<section id="${esc(id)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>` +
        `${op.summary ? `<p><strong>${esc(op.summary)}</strong></p>` : ''}${op.description ? `<p>${esc(op.description)}</p>` : ''}` +
        `<p class="auth">${op.security && op.security.length > 0 ? 'Needs <code>Authorization: Bearer &lt;API key&gt;</code>' : 'No key needed'}</p>` +
        `${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}` +
        `${body ? `<details><summary>Body</summary><pre>${json(body)}</pre></details>` : ''}` +
        `<h4>Answers</h4>${answers.join('')}${refused.length > 0 ? `<p class="auth">Refusals: ${refused.join(' · ')}</p>` : ''}</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), section]);
    }
  }
  const tags = doc.tags ?? [];
  const overview = ROLES.filter(([tag]) => byTag.has(tag))
    .map(
      ([tag, title, words]) =>
        `<h3>${esc(title)}</h3><p>${words}</p><ul>${(index.get(tag) ?? []).join('')}</ul>`,
    )
    .join('');
  const others = tags
    .filter((t) => byTag.has(t.name) && !ROLES.some(([tag]) => tag === t.name))
    .map(
      (t) =>
        `<h3>${esc(t.name)}</h3><p>${esc(t.description ?? '')}</p><ul>${(index.get(t.name) ?? []).join('')}</ul>`,
    )
    .join('');
  const shared = doc.components?.responses ?? {};
  const statusOf = new Map<string, string>();
  for (const methods of Object.values(doc.paths))
    for (const op of Object.values(methods))
      for (const [status, r] of Object.entries(op.responses ?? {}))
        if (r.$ref?.startsWith('#/components/responses/')) statusOf.set(r.$ref.slice(23), status);
  const errors = Object.entries(shared)
    .map(
      ([name, r]) =>
        `<li id="error-${esc(statusOf.get(name) ?? name)}"><strong>${esc(statusOf.get(name) ?? '')} ${esc(name)}</strong> — ${esc(r.description ?? '')}</li>`,
    )
    .join('');
  const errorSchema = doc.components?.schemas?.Error;
  const sections = tags
    .filter((t) => byTag.has(t.name))
    .map(
      (t) =>
        `<h2 id="tag-${esc(t.name)}">${esc(t.name)}</h2><p>${esc(t.description ?? '')}</p>${(byTag.get(t.name) ?? []).join('')}`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
pre{background:#f5f5f5;padding:.6rem;overflow:auto;font-size:12px;white-space:pre-wrap}section{border-top:1px solid #ddd;padding:.5rem 0}
.m{font-family:monospace;padding:0 .4rem;border-radius:3px;color:#fff;background:#555}.get{background:#17804a}.post{background:#26a}.delete{background:#a33}
.auth{color:#666;font-size:13px}code{overflow-wrap:anywhere}</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Every key is sent as <code>Authorization: Bearer &lt;API key&gt;</code>; every body is JSON.</p>
<h2 id="roles">Who calls what</h2>${overview}${others}
<h2 id="errors">Errors</h2><p>Every refusal is <code>{"error":{"code","message","details"}}</code>: a stable code from the catalogue, a message naming what and where, and one detail per problem (<code>path</code>, <code>reason</code>). A route lists the statuses it may answer.</p>
<ul>${errors}</ul>${errorSchema ? `<details><summary>The error body</summary><pre>${json(errorSchema)}</pre></details>` : ''}
${sections}</body></html>`;
}
