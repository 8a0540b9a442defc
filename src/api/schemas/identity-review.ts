import { Type } from 'typebox';

/** Closed objects: the description lists every field the answer carries (a test holds it to that). */
const closed = { additionalProperties: false } as const;

/** One field compared between a record and a candidate person, and what it weighed. */
const Evidence = Type.Object(
  {
    field: Type.String({ description: 'A person-record field (given_name, national_id, phone, ...)' }),
    outcome: Type.String({
      description: 'exact, close, differs, missing, conflict, masked-consistent, day-month-swap, ...',
    }),
    weight: Type.Number({ description: 'Its weight in the match (log-likelihood ratio)' }),
    detail: Type.Optional(Type.String({ description: 'What was compared, in words' })),
  },
  closed,
);

/** A record waiting for an operator: the provisional person it was given and who it may be. */
export const ReviewItemBody = Type.Object(
  {
    recordId: Type.String({
      description: 'The person record (decide it with POST /v1/identity/reviews/{recordId})',
    }),
    subjectId: Type.String({ description: 'The provisional person the record was given' }),
    candidates: Type.Array(
      Type.Object(
        {
          subjectId: Type.String({
            description: 'A person the record may be (name it as subjectId to decide)',
          }),
          confidence: Type.Number({ description: 'Probability of the match, 0 to 1' }),
          evidence: Type.Array(Evidence),
        },
        closed,
      ),
    ),
  },
  closed,
);

/** What a review decision changed: who the record is with now, who was rescored, what moved. */
export const ReviewChangeBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('review'), Type.Literal('merge'), Type.Literal('split')], {
      description: 'review: a decision of the review queue',
    }),
    subjectId: Type.String({ description: 'The person the record is with now' }),
    affected: Type.Immutable(
      Type.Array(Type.String(), { description: 'People whose facts changed (rescored)' }),
    ),
    movedRecords: Type.Immutable(Type.Array(Type.String())),
    movedFacts: Type.Integer(),
  },
  closed,
);
