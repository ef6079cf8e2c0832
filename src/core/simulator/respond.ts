// Writing responses: flat header arrays (cheapest for node:http), request-id everywhere, errors in
// the API's body shape with x-should-retry and, for 429, retry-after.
import type { ServerResponse } from 'node:http';
import { errorBody, shouldRetry } from './errors';
import type { ApiFailure } from './errors';
import type { SimState } from './state';

const JSON_TYPE = 'application/json';
const STATUS_TEXT: Record<number, string> = { 529: 'Overloaded' };

export function sendJson(
  sim: SimState,
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string,
  extra: string[] | null,
): void {
  const headers = [
    'content-type',
    JSON_TYPE,
    'content-length',
    String(Buffer.byteLength(body)),
    'request-id',
    requestId,
  ];
  if (extra) for (let i = 0; i < extra.length; i++) headers.push(extra[i]!);
  sim.stats.status(status);
  res.writeHead(status, headers);
  res.end(body);
}

export function sendFailure(
  sim: SimState,
  res: ServerResponse,
  f: ApiFailure,
  requestId: string,
  extra: string[] | null = null,
): void {
  const body = errorBody(f, requestId);
  const headers = [
    'content-type',
    JSON_TYPE,
    'content-length',
    String(Buffer.byteLength(body)),
    'request-id',
    requestId,
    'x-should-retry',
    shouldRetry(f) ? 'true' : 'false',
  ];
  if (f.retryAfterSec !== undefined) headers.push('retry-after', String(f.retryAfterSec));
  if (f.status === 413) headers.push('connection', 'close');
  if (extra) for (let i = 0; i < extra.length; i++) headers.push(extra[i]!);
  sim.stats.status(f.status);
  const text = STATUS_TEXT[f.status];
  if (text) res.writeHead(f.status, text, headers);
  else res.writeHead(f.status, headers);
  res.end(body);
}
