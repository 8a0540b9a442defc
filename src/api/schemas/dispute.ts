import { Type } from 'typebox';

const Status = Type.Union(
  [Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected'), Type.Literal('withdrawn')],
  {
    description:
      'open; upheld or rejected by the operator; withdrawn by the person before the operator answered (resolvedAt: when)',
  },
);

/** A dispute of a fact in the person's file. */
export const FactDisputeBody = Type.Object({
  id: Type.String(),
  kind: Type.Literal('fact'),
  subject: Type.String(),
  source: Type.String(),
  factId: Type.String(),
  reason: Type.String(),
  openedAt: Type.String({ description: 'ISO 8601 instant' }),
  dueAt: Type.String({ description: 'ISO 8601 instant: the reinvestigation deadline' }),
  status: Status,
  resolvedAt: Type.Union([Type.String({ description: 'ISO 8601 instant' }), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
});

/** A dispute of an identity link ("this record is not me"). */
export const LinkDisputeBody = Type.Object({
  id: Type.String(),
  kind: Type.Literal('link'),
  subject: Type.String({ description: 'The person who disputed the link' }),
  record: Type.String({ description: 'The person record whose link is disputed (`identityLinks[].record`)' }),
  reason: Type.String(),
  openedAt: Type.String({ description: 'ISO 8601 instant' }),
  dueAt: Type.String({ description: 'ISO 8601 instant: the reinvestigation deadline' }),
  status: Status,
  resolvedAt: Type.Union([Type.String({ description: 'ISO 8601 instant' }), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
  movedFacts: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Upheld: how many facts left the person with the record (0 when it had left them already)',
  }),
  splitTo: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description:
        'Operator views only: the person the record was split off to (null when nothing was split). Never shown to the disputing person.',
    }),
  ),
});

/**
 * What opening a dispute adds to it: whether the subject was already under open dispute, so the
 * reason just sent was not stored (one open dispute per fact, per person and link), in words.
 */
const Opened = {
  alreadyOpen: Type.Boolean({
    description:
      'true: it was already under open dispute, and this answer is that dispute, unchanged: the reason sent now was not recorded (`notice` says so)',
  }),
  notice: Type.Union([Type.String(), Type.Null()], {
    description: 'When `alreadyOpen`: the same in one plain sentence, to show the person; null otherwise',
  }),
};

/** The answer to POST /v1/me/disputes. */
export const FactDisputeOpenedBody = Type.Object({ ...FactDisputeBody.properties, ...Opened });

/** The answer to POST /v1/me/link-disputes. */
export const LinkDisputeOpenedBody = Type.Object({ ...LinkDisputeBody.properties, ...Opened });

/** Either kind of dispute, as the person's list and the operator's desk show them. */
export const DisputeBody = Type.Union([FactDisputeBody, LinkDisputeBody]);
