import { Type } from 'typebox';
import type { ApiContext, ApiInstance } from '../../context.js';

export function healthRoutes(app: ApiInstance, ctx: ApiContext): void {
  app.get(
    '/health',
    {
      exposeHeadRoute: true,
      schema: {
        tags: ['meta'],
        summary: 'Liveness and the loaded programs',
        response: { 200: Type.Object({ ok: Type.Boolean(), programs: Type.Array(Type.String()) }) },
      },
    },
    async () => ({ ok: true, programs: ctx.programs.current.ids }),
  );
}
