export type ErrorCode =
  | 'config'
  | 'bad_input'
  | 'not_found'
  | 'forbidden'
  | 'rate_limited'
  | 'transient'
  | 'storage'
  | 'internal';

/** The one error type. `code` drives what the user is told; `details` is for the log. */
export class NewsdeskError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NewsdeskError';
    this.code = code;
    this.details = details;
  }
}

export function isNewsdeskError(err: unknown, code?: ErrorCode): err is NewsdeskError {
  return err instanceof NewsdeskError && (code === undefined || err.code === code);
}

/** A short message that is safe to show a user. Internal errors never leak their text. */
export function userMessage(err: unknown): string {
  if (err instanceof NewsdeskError && err.code !== 'internal') return err.message;
  return 'Something went wrong on our side. It has been logged.';
}
