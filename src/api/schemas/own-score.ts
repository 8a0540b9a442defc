import { type TArrayOptions, type TSchema, Type } from 'typebox';
import { Range, ReasonLine } from './common.js';

/** Closed objects: the description lists every field the answer carries (a test holds it to that). */
const closed = { additionalProperties: false } as const;
/** An array whose static type is read-only, as the answers the services build (same JSON schema). */
const List = <T extends TSchema>(items: T, options?: TArrayOptions) =>
  Type.Immutable(Type.Array(items, options));
const Instant = (description: string) =>
  Type.String({ description: `ISO 8601 instant (UTC): ${description}` });
const Projection = Type.Optional(
  Type.Literal(true, {
    description: 'asOf is later than now: a projection from the facts known now (none still to come)',
  }),
);
const Points = Type.Record(Type.String(), Type.Number());
const Holds = Type.Record(Type.String(), Type.Boolean());

const common = {
  program: Type.String(),
  version: Type.Integer({ description: 'The rulebook version in force at asOf' }),
  asOf: Instant('the instant scored'),
};

/** A score of one's own: what a relying party would be told, and all behind it. */
const Scored = Type.Object(
  {
    status: Type.Literal('scored'),
    ...common,
    score: Type.Number(),
    scale: Type.Object({ ...Range.properties, base: Type.Number() }, closed),
    tier: Type.String(),
    dimensions: Points,
    reasons: List(ReasonLine, { description: 'Grouped by reason code; key factors lead' }),
    keyFactors: List(ReasonLine, { description: 'Up to four, largest negative first' }),
    flags: List(Type.String()),
    privileges: Holds,
    restrictions: Holds,
    factsCounted: Type.Integer(),
  },
  closed,
);

/** No score exists (opted out, not enrolled, too few facts): the reason, and `why` in words. */
const NotScored = Type.Object(
  {
    status: Type.Literal('not-scored'),
    ...common,
    reason: Type.Union([
      Type.Literal('opted-out'),
      Type.Literal('not-enrolled'),
      Type.Literal('insufficient-data'),
    ]),
    why: Type.String({ description: 'Why no score exists, in words you can act on' }),
  },
  closed,
);

/** `GET /v1/me/scores/{program}`: one's own score, or why none exists. */
export const OwnScoreBody = Type.Union([
  Type.Object({ ...Scored.properties, projection: Projection }, closed),
  Type.Object({ ...NotScored.properties, projection: Projection }, closed),
]);

/** `GET /v1/me/explanations/{program}`: every point, counterfactuals, privileges and restrictions. */
export const ExplanationBody = Type.Object(
  {
    outcome: Type.Union([Scored, NotScored]),
    enrolment: Type.String({ description: 'enrolled, opted-in, opted-out or not-enrolled' }),
    rulebook: Type.Object({ program: Type.String(), name: Type.String(), version: Type.Integer() }, closed),
    base: Type.Number(),
    total: Type.Optional(
      Type.Object(
        {
          points: Type.Number({ description: 'The points listed in contributions, added up (two decimals)' }),
          sum: Type.Number({ description: 'base + points' }),
          score: Type.Number(),
          what: Type.String({
            description:
              "How the base and the points make the score, in words: rounded, or held at the scale's lowest or highest score",
          }),
        },
        { ...closed, description: 'When scored: how the points listed make the score' },
      ),
    ),
    contributions: List(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('rule'), Type.Literal('inactivity')]),
          ruleId: Type.String(),
          factKey: Type.Optional(Type.String({ description: 'source/id of the fact' })),
          factId: Type.Optional(Type.String()),
          source: Type.Optional(Type.String()),
          type: Type.Optional(Type.String()),
          occurredAt: Type.Optional(Instant("the fact's time")),
          raw: Type.Number({ description: "What counts after the rule's cap, before points fade with age" }),
          uncapped: Type.Optional(
            Type.Number({
              description: 'What the rule gave before its cap, only when the cap took some of it',
            }),
          ),
          points: Type.Number({ description: 'What it adds to the score at asOf' }),
          dimension: Type.Optional(Type.String()),
          reason: Type.Object({ code: Type.String(), text: Type.String() }, closed),
          version: Type.Integer({ description: 'The rulebook version that gave it' }),
          category: Type.Union([Type.String(), Type.Null()], {
            description: 'The data category it comes from',
          }),
          rule: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
            description: 'The rule as the rulebook writes it (condition, points, cap, decay)',
          }),
          what: Type.String({
            description:
              'The point in words: what it is for, the fact it comes from (what, from whom, when), what it counts now and why less than at first, and its rule',
          }),
        },
        closed,
      ),
    ),
    counterfactuals: List(
      Type.Object(
        {
          code: Type.String(),
          text: Type.String(),
          points: Type.Number(),
          without: Type.Number({ description: "The score without this reason's points" }),
          what: Type.String({
            description: 'In words: what the score would be without this reason, against the score',
          }),
        },
        closed,
      ),
    ),
    policies: List(
      Type.Object(
        {
          id: Type.String(),
          kind: Type.Union([Type.Literal('privilege'), Type.Literal('restriction')]),
          context: Type.String(),
          holds: Type.Boolean(),
          when: Type.String({ description: 'The condition, as the rulebook writes it' }),
          because: List(Type.String(), { description: 'Each part of the condition, met or not' }),
          legalBasis: Type.Optional(Type.String()),
          description: Type.Optional(Type.String()),
        },
        closed,
      ),
    ),
    flags: List(
      Type.Object(
        {
          id: Type.String(),
          text: Type.String(),
          setBy: Type.Optional(Type.String({ description: 'The fact that set it (source/id)' })),
        },
        closed,
      ),
    ),
    underDispute: List(
      Type.Object(
        {
          factKey: Type.String(),
          type: Type.String(),
          occurredAt: Instant("the fact's time"),
          dispute: Type.Union([Type.String(), Type.Null()], { description: 'The dispute open at asOf' }),
          counts: Type.Boolean({ description: 'Whether it still counts while disputed' }),
          note: Type.String(),
        },
        closed,
      ),
      { description: 'Your facts under dispute at asOf' },
    ),
    projection: Projection,
  },
  closed,
);
