import { Type } from 'typebox';

export const DisputeBody = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  source: Type.String(),
  factId: Type.String(),
  reason: Type.String(),
  openedAt: Type.String({ description: 'ISO 8601 instant' }),
  dueAt: Type.String({ description: 'ISO 8601 instant: the reinvestigation deadline' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected')]),
  resolvedAt: Type.Union([Type.String({ description: 'ISO 8601 instant' }), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
});
