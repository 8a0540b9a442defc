import { type Static, Type } from 'typebox';

/** The kinds of furnisher Credence knows (issue #5). */
export const SOURCE_KINDS = ['platform', 'court', 'registry', 'bureau', 'kyc'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

const Name = Type.String({ minLength: 1 });

/**
 * Where a value comes from: a column name, a constant, or a column with a value table, a type
 * and a fallback column. `values` translates what the file says into what Credence stores
 * (`男` → `M`); a value missing from the table is refused, never guessed.
 */
export const ColumnSpecSchema = Type.Union([
  Name,
  Type.Object(
    {
      column: Type.Optional(Type.Union([Name, Type.Array(Name, { minItems: 1 })])),
      const: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
      type: Type.Optional(
        Type.Union([Type.Literal('string'), Type.Literal('number'), Type.Literal('boolean')]),
      ),
      values: Type.Optional(
        Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
      ),
      optional: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);
export type ColumnSpec = Static<typeof ColumnSpecSchema>;

const Fields = Type.Record(Name, ColumnSpecSchema);

/** One fact per row: platform exports (payments, orders, rides). */
const EventsSchema = Type.Object(
  {
    id: ColumnSpecSchema,
    type: ColumnSpecSchema,
    at: ColumnSpecSchema,
    /** Extra data fields per event type, on top of the shared `data`. */
    dataByType: Type.Optional(Type.Record(Name, Fields)),
  },
  { additionalProperties: false },
);

/** Entries of a list or register: listed, updated, removed; snapshots or deltas. */
const RegisterSchema = Type.Object(
  {
    /** Columns that identify an entry (for the court list: court and case code). */
    key: Type.Array(Name, { minItems: 1 }),
    mode: Type.Optional(Type.Union([Type.Literal('snapshot'), Type.Literal('delta')])),
    listed: Type.Object({ type: Name, at: ColumnSpecSchema }, { additionalProperties: false }),
    updated: Type.Optional(
      Type.Object({ type: Name, at: Type.Optional(ColumnSpecSchema) }, { additionalProperties: false }),
    ),
    removed: Type.Object(
      { type: Name, at: Type.Optional(ColumnSpecSchema) },
      { additionalProperties: false },
    ),
    /** The entry's own deletion date: once reached, the entry is removed in the same import. */
    deletion: Type.Optional(ColumnSpecSchema),
    /** The column whose latest value dates a snapshot (unless `--as-of` is given). */
    asOf: Type.Optional(ColumnSpecSchema),
    /** Delta files: the column saying what happened to the entry. */
    action: Type.Optional(
      Type.Object(
        {
          column: Name,
          listing: Type.Array(Type.String(), { minItems: 1 }),
          update: Type.Array(Type.String(), { minItems: 1 }),
          removal: Type.Array(Type.String(), { minItems: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Data fields of the entry that are sent with the removal too (the flag's key). */
    removalData: Type.Optional(Type.Array(Name)),
    /**
     * Snapshots: the largest share of the entries listed before a snapshot that it may remove
     * (default 0.25); one that would remove more (and more than ten) removes none, since a file cut
     * at a line break looks whole. 1 lets any snapshot remove what it no longer holds.
     */
    maxRemovalShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

/** Credit-bureau account files with a repayment grid: one fact per month of the grid. */
const GridSchema = Type.Object(
  {
    /** Columns that identify an account (lender and account number). */
    key: Type.Array(Name, { minItems: 1 }),
    /** The grid: one status character per month, oldest first. */
    column: Name,
    /** `YYYY-MM` of the grid's last character. */
    lastMonth: ColumnSpecSchema,
    /** The instalment amount, sent with each month's fact. */
    amount: ColumnSpecSchema,
    /** Day of the month a monthly fact is dated (default 28, so every month has it). */
    day: Type.Optional(Type.Integer({ minimum: 1, maximum: 28 })),
    /** Event types per kind of month. */
    types: Type.Object(
      {
        normal: Name,
        overdue: Name,
        settled: Name,
        defaulted: Name,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** A source's mapping: its registration (id, kind, permitted types) and how its file's columns become facts. */
export const MappingSchema = Type.Object(
  {
    source: Name,
    kind: Type.Union(SOURCE_KINDS.map((k) => Type.Literal(k))),
    description: Type.Optional(Type.String()),
    format: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(Type.Literal('csv')),
          delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
          /** Offset of dates without a time, e.g. `+08:00` for Chinese lists (default `Z`). */
          timeZone: Type.Optional(Type.String({ pattern: '^(Z|[+-]\\d{2}:\\d{2})$' })),
          /**
           * Columns of a fixed width (`{ account_no: 12 }`): a value of another length is refused. An
           * identifier of digits read by a spreadsheet as a number loses its leading zeros
           * (`007123` → `7123`), and only its declared width tells it from a shorter one.
           */
          widths: Type.Optional(Type.Record(Name, Type.Integer({ minimum: 1, maximum: 256 }))),
        },
        { additionalProperties: false },
      ),
    ),
    /** Event types this source may send. */
    types: Type.Array(Name, { minItems: 1 }),
    /** Rows to leave out (not refused): e.g. organisations on a list of people. */
    skip: Type.Optional(
      Type.Object(
        { column: Name, values: Type.Array(Type.String(), { minItems: 1 }) },
        { additionalProperties: false },
      ),
    ),
    subject: Fields,
    data: Type.Optional(Fields),
    events: Type.Optional(EventsSchema),
    register: Type.Optional(RegisterSchema),
    grid: Type.Optional(GridSchema),
  },
  { additionalProperties: false },
);
export type MappingSource = Static<typeof MappingSchema>;
