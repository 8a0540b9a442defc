import { type TArrayOptions, type TSchema, Type } from 'typebox';
import { FactDisputeBody, LinkDisputeBody } from './dispute.js';

/** Closed objects: the description lists every field the copy carries (a test holds it to that). */
const closed = { additionalProperties: false } as const;
/** An array whose static type is read-only, as the copy the service builds (the JSON schema is the same). */
const List = <T extends TSchema>(items: T, options?: TArrayOptions) =>
  Type.Immutable(Type.Array(items, options));
const When = (description: string) => Type.String({ description: `ISO 8601 instant (UTC): ${description}` });
const Sent = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Whatever else the line carried beside its own fields, as sent (present only when it did)',
});

/** One inquiry about the person, as their inquiry list and their file show it. */
export const InquiryBody = Type.Object(
  {
    seq: Type.Integer({ description: 'The audit entry it was read from' }),
    at: When('when they asked'),
    who: Type.String({ description: "The relying party's key name when it asked" }),
    keyId: Type.Union([Type.String(), Type.Null()]),
    purpose: Type.Union([Type.String(), Type.Null()]),
    action: Type.String({ description: 'score.query, decision.query or screen.query' }),
    program: Type.Union([Type.String(), Type.Null()]),
    sent: Type.Unknown({ description: 'What they were told (status, score, tier, the decision, its asOf)' }),
    what: Type.String({ description: 'who asked what, for which purpose, what they were told' }),
  },
  closed,
);

/** A fact as the person's copy shows it: what was furnished, by whom, when it happened and was stored. */
const copiedFact = {
  source: Type.String(),
  id: Type.String(),
  type: Type.String(),
  occurredAt: When('when it happened'),
  storedAt: When('when Credence stored it'),
  data: Type.Unknown({ description: "The fact's data as furnished" }),
  subject: Type.Optional(Type.Unknown({ description: 'You as the furnisher named you with this fact' })),
  sent: Type.Optional(Sent),
};

/** The person's own copy of their file (GDPR Art. 15), `GET /v1/me/file`. */
export const PersonFileBody = Type.Object(
  {
    subject: Type.String({ description: 'Your subject id' }),
    generatedAt: When('when this copy was made'),
    facts: List(
      Type.Object(
        { ...copiedFact, disputed: Type.Boolean({ description: 'Under a dispute of yours now' }) },
        closed,
      ),
      { description: 'Every fact held about you that counts (consent records are under consents)' },
    ),
    retractedFacts: List(
      Type.Object(
        {
          ...copiedFact,
          retractedBy: List(Type.String(), { description: 'The ids of the retractions that undid it' }),
        },
        closed,
      ),
      { description: 'Facts a retraction undid: still stored, counting nowhere' },
    ),
    retractions: List(
      Type.Object(
        {
          source: Type.String(),
          id: Type.String(),
          retracts: Type.String({ description: 'The id of the fact of the same source it undoes' }),
          occurredAt: When("the retraction's time"),
          storedAt: When('when Credence stored it'),
          sent: Type.Optional(Sent),
        },
        closed,
      ),
    ),
    identifiers: List(Type.Object({ kind: Type.String(), value: Type.String() }, closed), {
      description: 'The strong identifiers that name you',
    }),
    identityLinks: List(
      Type.Object(
        {
          record: Type.String({
            description: 'The person record (dispute it with POST /v1/me/link-disputes)',
          }),
          fields: Type.Record(Type.String(), Type.String(), { description: 'The record as furnished' }),
          decision: Type.String({ description: 'new, deterministic, probabilistic or review' }),
          confidence: Type.Number(),
          matchedRecord: Type.Union([Type.String(), Type.Null()]),
          evidence: List(Type.Unknown(), { description: 'Per field: what was compared, outcome, weight' }),
          disputed: Type.Boolean({ description: 'Under a dispute of yours now ("this record is not me")' }),
          what: Type.String({ description: 'Why the record is taken to be you, in one sentence' }),
        },
        closed,
      ),
    ),
    consents: List(
      Type.Object(
        {
          program: Type.String(),
          action: Type.String({ description: 'opt-in or opt-out' }),
          at: When('when it took effect'),
          recordedBy: Type.String({ description: 'The consent fact (source/id)' }),
        },
        closed,
      ),
    ),
    ledgers: List(
      Type.Object(
        {
          program: Type.String(),
          factKey: Type.String({ description: 'source/id of the fact' }),
          ruleId: Type.String(),
          at: When("the fact's time"),
          points: Type.Number({ description: 'What the rule gave for the fact' }),
          raw: Type.Number({ description: "What counts after the rule's cap, before points fade with age" }),
          dimension: Type.Union([Type.String(), Type.Null()]),
          reasonCode: Type.String(),
          reason: Type.Union([Type.String(), Type.Null()], { description: 'The reason in words' }),
          what: Type.String({ description: 'The line in one sentence' }),
        },
        closed,
      ),
    ),
    scores: List(
      Type.Object(
        {
          program: Type.String(),
          version: Type.Integer(),
          asOf: When('the instant it was computed for: the time of this copy (generatedAt)'),
          status: Type.String({ description: 'scored or not-scored' }),
          score: Type.Union([Type.Number(), Type.Null()]),
          tier: Type.Union([Type.String(), Type.Null()]),
          reason: Type.Union([Type.String(), Type.Null()], {
            description:
              'Why there is no score (not-scored): opted-out, not-enrolled, insufficient-data, or rulebook-refused (the program scores no one under its version in force); null when scored',
          }),
        },
        closed,
      ),
      {
        description:
          'Your score in each loaded program, or why you have none, as of this copy (the same as GET /v1/me/scores/{program} now), not as cached after your latest fact',
      },
    ),
    scoresSent: List(InquiryBody, {
      description: 'The answers that sent (or were decided on) a score, in the last 12 months',
    }),
    inquiries: List(InquiryBody, { description: 'Every inquiry about you: who, when, purpose' }),
    disputes: List(Type.Union([FactDisputeBody, LinkDisputeBody]), {
      description: 'Your disputes of facts and of identity links, with their deadlines',
    }),
    identityDecisions: List(
      Type.Object(
        {
          seq: Type.Integer({ description: 'Order in the identity history' }),
          kind: Type.Union([
            Type.Literal('merge'),
            Type.Literal('split'),
            Type.Literal('review'),
            Type.Literal('refused-merge'),
          ]),
          by: Type.Union([Type.Literal('operator'), Type.Literal('identity resolution')]),
          what: Type.String({ description: 'The decision in one sentence (another person is never named)' }),
          records: List(Type.String()),
          note: Type.Union([Type.String(), Type.Null()], { description: "The operator's reason, if given" }),
        },
        closed,
      ),
    ),
    tokens: List(
      Type.Object(
        {
          keyId: Type.String(),
          name: Type.String({ description: 'The name the operator gave the token' }),
          createdAt: When('when it was issued'),
          revokedAt: Type.Union([When('when it was revoked'), Type.Null()]),
          current: Type.Boolean({ description: 'The token this copy was asked with' }),
          uses: Type.Integer({
            description: 'Reads and changes of your file made with it (this request not counted)',
          }),
          lastUsedAt: Type.Union([When('when it was last used'), Type.Null()]),
        },
        closed,
      ),
      {
        description:
          'Every person token issued for you: whoever holds one reads and changes your file as you. One you do not know of is worth asking the operator about.',
      },
    ),
  },
  closed,
);
