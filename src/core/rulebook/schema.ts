import { type Static, Type } from 'typebox';
import { ALLOWED_CATEGORIES } from './categories.js';
import { MAX_POINTS } from './limits.js';

// One schema serves three purposes: runtime validation at load, the TypeScript type of a
// rulebook source, and schema/rulebook.schema.json that editors use while people type.

const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'An identifier' });
/** The form of an ISO 8601 duration, as the schema checks it (the error says so in words). */
export const DURATION_PATTERN =
  '^P(?!$)(\\d+(\\.\\d+)?Y)?(\\d+(\\.\\d+)?M)?(\\d+(\\.\\d+)?W)?(\\d+(\\.\\d+)?D)?(T(?=\\d)(\\d+(\\.\\d+)?H)?(\\d+(\\.\\d+)?M)?(\\d+(\\.\\d+)?S)?)?$';
const Duration = Type.String({
  pattern: DURATION_PATTERN,
  description: 'An ISO 8601 duration such as P30D or P3Y (a year is 365 days, a month 30)',
});
const Points = Type.Number({ minimum: -MAX_POINTS, maximum: MAX_POINTS });
const Cel = Type.String({ minLength: 1, description: 'A CEL expression' });
const ReasonSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, description: 'A stable reason code shown to the person, e.g. C01' }),
    text: Type.String({ minLength: 1, description: 'Plain words shown to the person' }),
  },
  { additionalProperties: false },
);

const EventSchema = Type.Object(
  {
    category: Type.Enum([...ALLOWED_CATEGORIES], {
      description: 'The context the data comes from, from a closed list',
    }),
    fields: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
        Type.Enum(['number', 'string', 'boolean']),
      ),
    ),
    retain: Type.Optional(Duration),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const DecaySchema = Type.Union([
  Type.Object({ expires: Duration }, { additionalProperties: false }),
  Type.Object({ halfLife: Duration }, { additionalProperties: false }),
]);

const RuleSchema = Type.Object(
  {
    id: Id,
    on: Type.String({ minLength: 1, description: 'The event type this rule reads' }),
    when: Type.Optional(Cel),
    points: Type.Union([Points, Cel], { description: 'A number or a CEL expression over fact' }),
    dimension: Type.Optional(Type.String()),
    reason: ReasonSchema,
    decay: Type.Optional(DecaySchema),
    cap: Type.Optional(
      Type.Object(
        { max: Type.Number({ exclusiveMinimum: 0 }), per: Duration },
        { additionalProperties: false },
      ),
    ),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const InactivitySchema = Type.Object(
  {
    id: Id,
    of: Type.Array(Type.String(), { minItems: 1 }),
    after: Duration,
    points: Points,
    every: Type.Optional(Duration),
    limit: Type.Optional(Type.Number()),
    dimension: Type.Optional(Type.String()),
    reason: ReasonSchema,
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const FlagSchema = Type.Object(
  {
    id: Id,
    set: Type.String({ minLength: 1 }),
    clear: Type.Optional(Type.String({ minLength: 1 })),
    key: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
    reason: ReasonSchema,
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const PolicySchema = Type.Object(
  {
    id: Id,
    context: Type.String({ minLength: 1 }),
    when: Cel,
    legalBasis: Type.Optional(Type.String({ minLength: 1 })),
    purposes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description:
          'The purposes a relying party may ask about this policy under; other purposes are refused (CREDENCE_E_PURPOSE). None declared: any of the key’s purposes',
      }),
    ),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const RulebookSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    program: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'The program id' }),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    effectiveFrom: Type.Optional(
      Type.String({ description: 'When this version starts to apply (ISO date or date-time)' }),
    ),
    enrollment: Type.Enum(['opt-in', 'opt-out']),
    scale: Type.Object({ min: Points, max: Points, base: Points }, { additionalProperties: false }),
    tiers: Type.Array(Type.Object({ id: Id, min: Type.Number() }, { additionalProperties: false }), {
      minItems: 1,
      description: 'Highest first; a score gets the first tier whose min it reaches',
    }),
    dimensions: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    minFacts: Type.Optional(Type.Integer({ minimum: 0 })),
    disputes: Type.Optional(
      Type.Object(
        { suspend: Type.Boolean({ description: 'A disputed fact stops counting while under review' }) },
        { additionalProperties: false },
      ),
    ),
    inquiries: Type.Optional(
      Type.Object(
        {
          authorisation: Type.Enum(['required', 'none'], {
            description:
              "required: a relying party's score or decision query must name the person's authorisation it holds (PBoC: third-party queries need the person's written consent)",
          }),
        },
        { additionalProperties: false },
      ),
    ),
    events: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$' }), EventSchema),
    rules: Type.Optional(Type.Array(RuleSchema)),
    inactivity: Type.Optional(Type.Array(InactivitySchema)),
    flags: Type.Optional(Type.Array(FlagSchema)),
    privileges: Type.Optional(Type.Array(PolicySchema)),
    restrictions: Type.Optional(Type.Array(PolicySchema)),
  },
  {
    additionalProperties: false,
    $id: 'https://credence.dev/schema/rulebook.schema.json',
    title: 'Credence rulebook',
  },
);

export type RulebookSource = Static<typeof RulebookSchema>;
