// HTTP front door: route, auth, API version, body size and JSON, then the endpoint handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleBatches, isBatchPath } from './batches/http';
import { failure, invalid } from './errors';
import { handleCountTokens, handleMessages } from './messages';
import { getModel, listModels } from './models';
import { sendFailure, sendJson } from './respond';
import type { SimState } from './state';
import { checkVersion } from './validation';
import type { ApiVersion } from './validation';

/** The Messages API's request size limit. */
export const MAX_BODY_BYTES: number = 32 * 1024 * 1024;

const enum Route {
  Messages,
  CountTokens,
  ListModels,
  GetModel,
  Batches,
}

function apiKeyOf(req: IncomingMessage): string {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0) return key;
  const auth = req.headers.authorization;
  if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim();
  return '';
}

/**
 * The per-request catch-all: whatever a handler throws becomes a well-formed 500 (or, when the
 * headers already went out, a dropped connection) and the server keeps serving.
 */
export function guarded(sim: SimState, res: ServerResponse, requestId: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    sim.cfg.log(`simulator: request ${requestId} failed: ${(e as Error)?.message ?? String(e)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    try {
      sendFailure(sim, res, failure(500, 'api_error', 'Internal server error (simulator)'), requestId);
    } catch {
      res.destroy();
    }
  }
}

export function handleRequest(sim: SimState, req: IncomingMessage, res: ServerResponse): void {
  sim.stats.arrived();
  const requestId = sim.nextRequestId();
  guarded(sim, res, requestId, () => routeRequest(sim, req, res, requestId));
}

function routeRequest(sim: SimState, req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const method = req.method ?? 'GET';

  let route: Route;
  if (path === '/v1/messages') route = Route.Messages;
  else if (path === '/v1/messages/count_tokens') route = Route.CountTokens;
  else if (path === '/v1/models') route = Route.ListModels;
  else if (path.startsWith('/v1/models/') && path.length > 11) route = Route.GetModel;
  else if (isBatchPath(path)) route = Route.Batches;
  else
    return sendFailure(sim, res, failure(404, 'not_found_error', `Not found: ${method} ${path}`), requestId);

  const post = route === Route.Messages || route === Route.CountTokens;
  if (route !== Route.Batches && method !== (post ? 'POST' : 'GET')) {
    return sendFailure(
      sim,
      res,
      failure(405, 'invalid_request_error', `Method ${method} not allowed on ${path}`),
      requestId,
    );
  }

  const key = apiKeyOf(req);
  if (key.length === 0) {
    const f = failure(
      401,
      'authentication_error',
      'x-api-key header is required (or Authorization: Bearer <key>)',
    );
    return sendFailure(sim, res, f, requestId);
  }
  if (sim.cfg.apiKey !== null && key !== sim.cfg.apiKey) {
    return sendFailure(sim, res, failure(401, 'authentication_error', 'invalid x-api-key'), requestId);
  }
  const versionHeader = req.headers['anthropic-version'];
  const version = typeof versionHeader === 'string' ? versionHeader : undefined;
  const badVersion = checkVersion(version);
  if (badVersion) return sendFailure(sim, res, badVersion, requestId);

  if (route === Route.Batches) {
    return handleBatches(sim, req, res, requestId, url, version as ApiVersion);
  }
  if (route === Route.ListModels) {
    const answer = listModels(sim.cfg.catalog, q < 0 ? '' : url.slice(q + 1));
    if (answer.status === 200) {
      sendJson(sim, res, 200, answer.body, requestId, null);
      sim.stats.completed();
    } else {
      const type = answer.status === 404 ? 'not_found_error' : 'invalid_request_error';
      sendFailure(sim, res, failure(answer.status, type, answer.message), requestId);
    }
    return;
  }
  if (route === Route.GetModel) {
    let id: string;
    try {
      id = decodeURIComponent(path.slice(11));
    } catch {
      return sendFailure(sim, res, invalid(`model_id: invalid percent-encoding in ${path}`), requestId);
    }
    const body = getModel(sim.cfg.catalog, id);
    if (body === null)
      return sendFailure(sim, res, failure(404, 'not_found_error', `model: ${id}`), requestId);
    sendJson(sim, res, 200, body, requestId, null);
    sim.stats.completed();
    return;
  }

  readBody(sim, req, res, requestId, route, version as ApiVersion);
}

function tooLarge(sim: SimState, res: ServerResponse, requestId: string): void {
  const f = failure(
    413,
    'request_too_large',
    `Request exceeds the maximum allowed number of bytes (${MAX_BODY_BYTES}).`,
  );
  sendFailure(sim, res, f, requestId);
}

function readBody(
  sim: SimState,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  route: Route.Messages | Route.CountTokens,
  version: ApiVersion,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  // Over the limit: keep reading and discard, then answer 413 (answering mid-upload makes clients
  // see a reset instead of the error). A runaway upload is cut off at 4x the limit.
  const length = req.headers['content-length'];
  let over = length !== undefined && Number(length) > MAX_BODY_BYTES;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (over) {
      if (size > 4 * MAX_BODY_BYTES && !res.headersSent) {
        tooLarge(sim, res, requestId);
        req.destroy();
      }
      return;
    }
    if (size > MAX_BODY_BYTES) {
      over = true;
      chunks.length = 0;
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (sim.closing || res.headersSent) return;
    if (over) return tooLarge(sim, res, requestId);
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    let raw: unknown;
    try {
      raw = JSON.parse(buf.toString('utf8'));
    } catch (e) {
      const f = invalid(`There was an error parsing the body of your request: ${(e as Error).message}`);
      return sendFailure(sim, res, f, requestId);
    }
    guarded(sim, res, requestId, () => {
      if (route === Route.Messages) handleMessages(sim, res, requestId, version, raw);
      else handleCountTokens(sim, res, requestId, version, raw);
    });
  });
}
