/**
 * The one catalogue of Credence's error codes. Every refusal the CLI, the API
 * or ingest can produce has a stable code here, with its HTTP status and CLI
 * exit code; `docs/errors.md` documents each one and a test keeps them in step.
 *
 * Exit codes: 1 general failure, 2 usage, 3 invalid input (bad file or fact),
 * 4 not found, 5 conflict, 6 refused by policy (the hard line), 7 unauthorised.
 */
export const errorCatalogue = {
  CREDENCE_E_USAGE: { status: 400, exit: 2, message: 'The command or request is malformed' },
  CREDENCE_E_INTERNAL: { status: 500, exit: 1, message: 'An internal error occurred' },
  CREDENCE_E_RULEBOOK_INVALID: { status: 422, exit: 3, message: 'The rulebook is invalid' },
  CREDENCE_E_RULEBOOK_PROHIBITED: {
    status: 422,
    exit: 6,
    message: 'The rulebook scores special-category data, which Credence never does',
  },
  CREDENCE_E_RULEBOOK_CONTEXT: {
    status: 422,
    exit: 6,
    message: 'A restriction reads data from another context without a legal basis',
  },
  CREDENCE_E_CEL: { status: 422, exit: 3, message: 'A rule expression does not compile or type-check' },
  CREDENCE_E_FACT_INVALID: { status: 422, exit: 3, message: 'The fact is invalid' },
  CREDENCE_E_FACT_JSON: { status: 400, exit: 3, message: 'The line is not valid JSON' },
  CREDENCE_E_FACT_PROHIBITED: {
    status: 422,
    exit: 3,
    message: 'A field or the source of the fact names special-category data: such a fact is never stored',
  },
  CREDENCE_E_FACT_UNKNOWN_TYPE: {
    status: 422,
    exit: 3,
    message: 'No loaded program declares this event type',
  },
  CREDENCE_E_FACT_CONFLICT: {
    status: 409,
    exit: 5,
    message: 'A different fact was already sent under this source and id',
  },
  CREDENCE_E_FACT_PAST_RETENTION: {
    status: 422,
    exit: 3,
    message: "The fact is older than its event type's retention period",
  },
  CREDENCE_E_FACT_IN_FUTURE: {
    status: 422,
    exit: 3,
    message: 'The fact is dated later than now: a fact records what has happened',
  },
  CREDENCE_E_RETRACTION_UNKNOWN: {
    status: 422,
    exit: 3,
    message: 'The retraction names a fact this source never sent',
  },
  CREDENCE_E_RETRACTION_REPEATED: {
    status: 409,
    exit: 5,
    message: 'The fact the retraction names was already retracted',
  },
  CREDENCE_E_PROGRAM_NOT_FOUND: { status: 404, exit: 4, message: 'No such program' },
  CREDENCE_E_SUBJECT_NOT_FOUND: { status: 404, exit: 4, message: 'No such person' },
  CREDENCE_E_SUBJECT_AMBIGUOUS: {
    status: 409,
    exit: 5,
    message: 'The identifier names more than one person',
  },
  CREDENCE_E_SUBJECT_UNRESOLVED: {
    status: 422,
    exit: 3,
    message: 'The fact carries no identifier that can name a person',
  },
  CREDENCE_E_CONSENT_INVALID: { status: 422, exit: 3, message: 'The consent change is not valid' },
  CREDENCE_E_DB: { status: 500, exit: 1, message: 'The database could not be opened or is not initialised' },
  CREDENCE_E_IO: { status: 500, exit: 1, message: 'A file could not be read or written' },
  CREDENCE_E_ID_INVALID: { status: 422, exit: 3, message: 'The identity document or number is invalid' },
  CREDENCE_E_MAPPING_INVALID: { status: 422, exit: 3, message: 'The source mapping is invalid' },
  CREDENCE_E_ROW_INVALID: { status: 422, exit: 3, message: 'The source row is invalid' },
  CREDENCE_E_UNAUTHENTICATED: { status: 401, exit: 7, message: 'Missing or unknown credentials' },
  CREDENCE_E_FORBIDDEN: { status: 403, exit: 7, message: 'The credentials do not allow this' },
  CREDENCE_E_PURPOSE: {
    status: 403,
    exit: 7,
    message: "The stated purpose is not among the key's permitted purposes",
  },
  CREDENCE_E_AS_OF_FUTURE: {
    status: 422,
    exit: 2,
    message: 'A score or decision cannot be asked for an instant later than now',
  },
  CREDENCE_E_RATE_LIMITED: { status: 429, exit: 1, message: 'Too many requests' },
  CREDENCE_E_NOT_FOUND: { status: 404, exit: 4, message: 'Not found' },
  CREDENCE_E_AUDIT_BROKEN: { status: 500, exit: 8, message: 'The audit log has been altered' },
  CREDENCE_E_IDENTITY_CONFLICT: {
    status: 409,
    exit: 5,
    message: 'The strong identifiers conflict: these records belong to different people',
  },
  CREDENCE_E_RECORD_CONFLICT: {
    status: 409,
    exit: 5,
    message: 'A different record was already resolved under this record_id',
  },
  CREDENCE_E_TOO_LARGE: { status: 413, exit: 3, message: 'The request body is too large' },
  CREDENCE_E_MEDIA_TYPE: { status: 415, exit: 3, message: 'The request body must be application/json' },
  CREDENCE_E_STATE: { status: 409, exit: 5, message: 'The request conflicts with the current state' },
} as const satisfies Record<string, { status: number; exit: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
