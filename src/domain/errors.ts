/**
 * One enum of stable machine codes, one error class. Every error a caller can see
 * is a CraftError with a code from here; the HTTP error handler renders it as
 * `{code, message, details?}` with the status below.
 */
export const ErrorCodes = {
  // 400
  VALIDATION_FAILED: 400,
  RECIPE_INVALID: 400,
  RECIPE_SEED_INVALID: 400,
  RECIPE_DEPRECATED: 400,
  GAME_SERVICE_MISMATCH: 400,
  // 401 / 403
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  // 404
  NOT_FOUND: 404,
  RECIPE_NOT_FOUND: 404,
  GAME_SERVICE_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  STATION_NOT_FOUND: 404,
  PROFICIENCY_NOT_FOUND: 404,
  // 409
  RECIPE_CODE_EXISTS: 409,
  RECIPE_LIMIT_REACHED: 409,
  RECIPE_LOCKED: 409,
  RECIPE_VERSION_CONFLICT: 409,
  GAME_SERVICE_EXISTS: 409,
  CONFLICT: 409,
  // 422
  INSUFFICIENT_FUNDS: 422,
  // 413 / 415 / 429
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  // 5xx
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  DEPENDENCY_UNAVAILABLE: 503,
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

export function craftError(code: ErrorCode, message: string, details?: Record<string, unknown>) {
  return new CraftError(code, message, details);
}
