interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const esc = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const json = (v: unknown): string => esc(JSON.stringify(v, null, 2));

/**
 * One self-contained HTML page from the OpenAPI document: every route grouped by role, with its
 * parameters, body and responses. No scripts or CDN assets, so it works offline.
 *
 * @example
 * renderDocs(app.swagger()) // '<!doctype html>…'
 */
export function renderDocs(doc: OpenApiDoc): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'other';
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${esc(p.name)}</code> <em>${esc(p.in)}${p.required ? ', required' : ''}</em>${p.description ? ` — ${esc(p.description)}` : ''}</li>`,
        )
        .join('');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => {
          const schema = r.content?.['application/json']?.schema;
          return `<details><summary>${esc(status)} ${esc(r.description ?? '')}</summary>${schema ? `<pre>${json(schema)}</pre>` : ''}</details>`;
        })
        .join('');
      const section =
        `<section id="${esc(`${method}-${path}`)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>` +
        `${op.summary ? `<p><strong>${esc(op.summary)}</strong></p>` : ''}${op.description ? `<p>${esc(op.description)}</p>` : ''}` +
        `<p class="auth">${op.security && op.security.length > 0 ? 'Needs <code>Authorization: Bearer &lt;API key&gt;</code>' : 'No key needed'}</p>` +
        `${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}` +
        `${body ? `<h4>Body</h4><pre>${json(body)}</pre>` : ''}` +
        `<h4>Responses</h4>${responses}</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), section]);
    }
  }
  const tags = doc.tags ?? [];
  const toc = tags
    .filter((t) => byTag.has(t.name))
    .map((t) => `<li><a href="#tag-${esc(t.name)}">${esc(t.name)}</a> — ${esc(t.description ?? '')}</li>`)
    .join('');
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
pre{background:#f5f5f5;padding:.6rem;overflow:auto;font-size:12px}section{border-top:1px solid #ddd;padding:.5rem 0}
.m{font-family:monospace;padding:0 .4rem;border-radius:3px;color:#fff;background:#555}.get{background:#17804a}.post{background:#26a}.delete{background:#a33}
.auth{color:#666;font-size:13px}code{overflow-wrap:anywhere}</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are always <code>{"error":{"code","message","details"}}</code>.</p>
<ul>${toc}</ul>${sections}</body></html>`;
}
