import type { ApiContext, ApiInstance } from '../../context.js';
import { withSharedErrors } from './openapi-components.js';
import { renderDocs } from './render-docs.js';

/** /openapi.json (OpenAPI 3.1) and /docs (the same, as one readable page, no external assets). */
export function docsRoutes(app: ApiInstance, _ctx: ApiContext): void {
  // Built once, when first asked: every route is registered by then.
  let doc: ReturnType<typeof app.swagger> | undefined;
  const described = () => {
    doc ??= withSharedErrors(app.swagger());
    return doc;
  };
  // Each also with a trailing slash, which a browser's completion or a pasted link adds: the API's
  // own routes stay exact (a trailing slash there is a 404, as the OpenAPI description says).
  for (const path of ['/openapi.json', '/openapi.json/'])
    app.get(path, { schema: { hide: true } }, async () => described());
  let html: string | undefined;
  for (const path of ['/docs', '/docs/'])
    app.get(path, { schema: { hide: true } }, async (_req, reply) => {
      html ??= renderDocs(described() as unknown as Parameters<typeof renderDocs>[0]);
      return reply.type('text/html; charset=utf-8').send(html);
    });
}
