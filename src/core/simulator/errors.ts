// Error responses in the API's shape: {"type":"error","error":{"type","message"[,"details"]},"request_id"}.

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/** An error the simulator answers with (returned, not thrown: it is an ordinary outcome). */
export interface ApiFailure {
  status: number;
  type: ApiErrorType;
  message: string;
  details?: { error_code: string };
  /** Whole seconds for the retry-after header (429 only). */
  retryAfterSec?: number;
}

export function failure(status: number, type: ApiErrorType, message: string): ApiFailure {
  return { status, type, message };
}

export const invalid = (message: string): ApiFailure => failure(400, 'invalid_request_error', message);

/** The JSON text of an error body. */
export function errorBody(f: Pick<ApiFailure, 'type' | 'message' | 'details'>, requestId: string): string {
  const error: Record<string, unknown> = { type: f.type, message: f.message };
  if (f.details) error.details = f.details;
  return JSON.stringify({ type: 'error', error, request_id: requestId });
}

/**
 * The x-should-retry value the SDK obeys: retry rate limits and server trouble, never validation
 * errors, and never a spend cap (waiting does not help until the month turns).
 */
export function shouldRetry(f: ApiFailure): boolean {
  if (f.details?.error_code === 'enforced_spend_limit_reached') return false;
  return f.status === 429 || f.status >= 500;
}

export const OVERLOADED_MESSAGE = 'Overloaded';
export const API_ERROR_MESSAGE = 'Internal server error (simulated)';
