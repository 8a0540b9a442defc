import type { ApiContext, ApiInstance } from '../../context.js';
import { renderDocs } from './render-docs.js';

/** /openapi.json (OpenAPI 3.1) and /docs (the same, as one readable page, no external assets). */
export function docsRoutes(app: ApiInstance, _ctx: ApiContext): void {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  let html: string | undefined;
  app.get('/docs', { schema: { hide: true } }, async (_req, reply) => {
    html ??= renderDocs(app.swagger() as unknown as Parameters<typeof renderDocs>[0]);
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
