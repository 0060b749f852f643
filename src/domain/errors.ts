/**
 * One enum of stable machine codes with their HTTP status, one error class.
 * Every error a caller can see is a CraftError with a code from here; the HTTP
 * error handler renders it as `{code, message, details?}`. The statuses agree with
 * each operation's `x-error-codes` in schemas/craft-api.yaml (a test checks it).
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 400,
  RECIPE_INVALID: 400,
  RECIPE_SEED_INVALID: 400,
  RECIPE_LIMIT_REACHED: 400,
  RECIPE_DEPRECATED: 400,
  RECIPE_NOT_KNOWN: 400,
  GAME_SERVICE_NOT_FOUND: 400,
  ITEM_TEMPLATE_NOT_FOUND: 400,
  PROFICIENCY_TOO_LOW: 400,
  MATERIALS_INSUFFICIENT: 400,
  MATERIAL_NOT_IN_INVENTORY: 400,
  STATION_NOT_AVAILABLE: 400,
  TOOL_NOT_AVAILABLE: 400,
  TARGET_ITEM_REQUIRED: 400,
  TARGET_ITEM_INVALID: 400,
  PARTICIPANT_INVALID: 400,
  STEP_NOT_FOUND: 400,
  ROLE_NOT_ELIGIBLE: 400,
  DOMAIN_UNKNOWN: 400,
  LOCATION_NOT_FOUND: 400,

  UNAUTHORIZED: 401,
  FORBIDDEN: 403,

  ROUTE_NOT_FOUND: 404,
  RECIPE_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  STATION_NOT_FOUND: 404,
  PROFICIENCY_NOT_FOUND: 404,
  INVENTORY_NOT_FOUND: 404,
  ITEM_NOT_FOUND: 404,
  CONTRACT_NOT_FOUND: 404,

  RECIPE_CODE_EXISTS: 409,
  RECIPE_LOCKED: 409,
  RECIPE_VERSION_CONFLICT: 409,
  GAME_SERVICE_STUB_NAME_EXISTS: 409,
  ITEM_TEMPLATE_EXISTS: 409,
  ACTIVE_SESSION_LIMIT_REACHED: 409,
  STATION_IN_USE: 409,
  SESSION_VERSION_CONFLICT: 409,
  SESSION_NOT_ACTIVE: 409,
  SESSION_LOCKED: 409,
  STEP_OUT_OF_ORDER: 409,
  STEP_ALREADY_COMPLETED: 409,
  STEP_NOT_READY: 409,
  STEPS_INCOMPLETE: 409,
  CONTRACT_MISMATCH: 409,
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 409,

  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,

  INSUFFICIENT_FUNDS: 422,
  IDEMPOTENCY_KEY_REUSED: 422,

  RATE_LIMITED: 429,

  INTERNAL_ERROR: 500,
  DEPENDENCY_UNAVAILABLE: 503,
  AFFIX_SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class CraftError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CraftError';
    this.status = ErrorCodes[code];
  }
}
