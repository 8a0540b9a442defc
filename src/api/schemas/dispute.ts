import { Type } from 'typebox';

export const DisputeBody = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  source: Type.String(),
  factId: Type.String(),
  reason: Type.String(),
  openedAt: Type.Number({ description: 'epoch ms' }),
  dueAt: Type.Number({ description: 'epoch ms: the reinvestigation deadline' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected')]),
  resolvedAt: Type.Union([Type.Number(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
});
