// The Message Batches endpoints: create, retrieve, list, cancel, delete and results (JSONL). Every
// call takes one request from the tier's batch RPM bucket; batch processing never touches the
// Messages buckets (RPM / ITPM / OTPM).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URLSearchParams } from 'node:url';
import { OUTPUT_300K_BETA } from '../../catalog/index';
import { errorBody, failure, invalid } from '../errors';
import type { ApiFailure } from '../errors';
import { pushRequestHeaders } from '../rateLimiter';
import { sendFailure, sendJson } from '../respond';
import type { SimState } from '../state';
import { isFailure, validateMessages } from '../validation';
import type { ApiVersion } from '../validation';
import { BATCH_MAX_BYTES, BATCH_MAX_REQUESTS, batchStore } from './store';
import type { BatchRequestInput, BatchStore, SimBatch } from './store';

const PREFIX = '/v1/messages/batches';
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const LINES_PER_WRITE = 1000;

/** True for the paths this module answers. */
export function isBatchPath(path: string): boolean {
  return path === PREFIX || path.startsWith(PREFIX + '/');
}

function origin(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Answers a batches request (auth and API version already checked by the router). Returns after
 * the response is sent or its body is being read.
 */
export function handleBatches(
  sim: SimState,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: string,
  version: ApiVersion,
): void {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const store = batchStore(sim);
  const method = req.method ?? 'GET';
  const rest = path.slice(PREFIX.length + 1); // '' | id | id/cancel | id/results
  const [id = '', action = '', ...extra] = path === PREFIX ? [] : rest.split('/');
  const route =
    path === PREFIX
      ? method === 'POST'
        ? 'create'
        : method === 'GET'
          ? 'list'
          : null
      : extra.length > 0 || id === ''
        ? 'none'
        : action === ''
          ? method === 'GET'
            ? 'retrieve'
            : method === 'DELETE'
              ? 'delete'
              : null
          : action === 'cancel'
            ? method === 'POST'
              ? 'cancel'
              : null
            : action === 'results'
              ? method === 'GET'
                ? 'results'
                : null
              : 'none';
  if (route === 'none') {
    return sendFailure(sim, res, failure(404, 'not_found_error', `Not found: ${method} ${path}`), requestId);
  }
  if (route === null) {
    const f = failure(405, 'invalid_request_error', `Method ${method} not allowed on ${path}`);
    return sendFailure(sim, res, f, requestId);
  }

  // The batch endpoints' own RPM (the tier's "Message Batches" limit).
  const now = sim.clock.simNow();
  const bucket = store.rpm;
  bucket.refill(now);
  const headers: string[] = [];
  if (bucket.level < 1) {
    const f = failure(
      429,
      'rate_limit_error',
      `This request would exceed your organization's rate limit of ${bucket.limitPerMinute} Message Batches ` +
        `requests per minute (simulated ${sim.cfg.tier.displayName} tier). Please try again later.`,
    );
    f.retryAfterSec = Math.max(1, Math.ceil(bucket.msUntil(1) / sim.clock.timeScale / 1000));
    pushRequestHeaders(headers, bucket, sim.clock);
    drain(req);
    return sendFailure(sim, res, f, requestId, headers);
  }
  bucket.take(1);
  pushRequestHeaders(headers, bucket, sim.clock);

  if (route === 'create') return readBatchBody(sim, store, req, res, requestId, headers, version);
  if (route === 'list') return list(sim, store, req, res, requestId, headers, query);

  const batch = store.byId.get(id);
  if (!batch) {
    return sendFailure(
      sim,
      res,
      failure(404, 'not_found_error', `message batch ${id} not found`),
      requestId,
      headers,
    );
  }
  const status = batch.status(now);
  switch (route) {
    case 'retrieve':
      return ok(sim, res, requestId, headers, store.view(batch, origin(req)));
    case 'cancel':
      if (status === 'ended') {
        const f = invalid(`message batch ${id} has already ended and cannot be canceled`);
        return sendFailure(sim, res, f, requestId, headers);
      }
      if (batch.cancelAt === null) batch.cancelAt = now;
      return ok(sim, res, requestId, headers, store.view(batch, origin(req)));
    case 'delete':
      if (status !== 'ended') {
        const f = invalid(
          `message batch ${id} is still ${status}: cancel it and wait until it has ended before deleting it`,
        );
        return sendFailure(sim, res, f, requestId, headers);
      }
      store.remove(batch);
      return ok(sim, res, requestId, headers, { id, type: 'message_batch_deleted' });
    default:
      if (status !== 'ended') {
        const f = invalid(
          `message batch ${id} has not ended yet (${status}): results are available once it has`,
        );
        return sendFailure(sim, res, f, requestId, headers);
      }
      batch.chargeOnce(sim);
      void streamResults(sim, batch, res, requestId, headers);
  }
}

function ok(sim: SimState, res: ServerResponse, requestId: string, headers: string[], body: unknown): void {
  sendJson(sim, res, 200, JSON.stringify(body), requestId, headers);
  sim.stats.completed();
}

/** Every anthropic-beta value of the request (comma-separated, possibly repeated). */
function betaHeaders(req: IncomingMessage): string[] {
  const raw = req.headers['anthropic-beta'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.flatMap((h) => h.split(',').map((b) => b.trim()));
}

function drain(req: IncomingMessage): void {
  req.resume();
}

function list(
  sim: SimState,
  store: BatchStore,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  headers: string[],
  query: string,
): void {
  const params = new URLSearchParams(query);
  const limitText = params.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    const f = invalid('limit: Input should be an integer between 1 and 1000');
    return sendFailure(sim, res, f, requestId, headers);
  }
  const all = store.batches; // newest first
  let start = 0;
  let end = all.length;
  const after = params.get('after_id');
  const before = params.get('before_id');
  if (after !== null && before !== null) {
    const f = invalid('give either after_id or before_id, not both');
    return sendFailure(sim, res, f, requestId, headers);
  }
  const cursor = (id: string, name: string): number | ApiFailure => {
    const i = all.findIndex((b) => b.id === id);
    return i < 0 ? failure(404, 'not_found_error', `${name}: unknown message batch ${id}`) : i;
  };
  if (after !== null) {
    const i = cursor(after, 'after_id');
    if (typeof i !== 'number') return sendFailure(sim, res, i, requestId, headers);
    start = i + 1;
  }
  if (before !== null) {
    const i = cursor(before, 'before_id');
    if (typeof i !== 'number') return sendFailure(sim, res, i, requestId, headers);
    end = i;
  }
  // before_id pages backwards: the `limit` batches just before the cursor.
  const page =
    before !== null ? all.slice(Math.max(start, end - limit), end) : all.slice(start, start + limit);
  const hasMore = before !== null ? end - limit > start : start + limit < end;
  const o = origin(req);
  ok(sim, res, requestId, headers, {
    data: page.map((b) => store.view(b, o)),
    has_more: hasMore,
    first_id: page[0]?.id ?? null,
    last_id: page[page.length - 1]?.id ?? null,
  });
}

function readBatchBody(
  sim: SimState,
  store: BatchStore,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  headers: string[],
  version: ApiVersion,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const length = req.headers['content-length'];
  let over = length !== undefined && Number(length) > BATCH_MAX_BYTES;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (over) return;
    if (size > BATCH_MAX_BYTES) {
      over = true;
      chunks.length = 0;
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (sim.closing || res.headersSent) return;
    if (over) {
      const f = failure(
        413,
        'request_too_large',
        `A Message Batch may be at most ${BATCH_MAX_BYTES} bytes (256 MB); split it into smaller batches.`,
      );
      return sendFailure(sim, res, f, requestId, headers);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch (e) {
      const f = invalid(`There was an error parsing the body of your request: ${(e as Error).message}`);
      return sendFailure(sim, res, f, requestId, headers);
    }
    const parsed = validateBatch(raw, version);
    if (!Array.isArray(parsed)) return sendFailure(sim, res, parsed, requestId, headers);
    if (sim.spendCapReached()) {
      const f = failure(
        429,
        'rate_limit_error',
        `You have reached your monthly spend limit of $${sim.cfg.spendCapUsd} (simulated). ` +
          'Batches are refused until the month turns or the limit is raised.',
      );
      f.details = { error_code: 'enforced_spend_limit_reached' };
      return sendFailure(sim, res, f, requestId, headers);
    }
    const now = sim.clock.simNow();
    const queued = store.queued(now);
    if (queued + parsed.length > store.queuedLimit) {
      const f = failure(
        429,
        'rate_limit_error',
        `This batch's ${parsed.length} requests would exceed your organization's limit of ${store.queuedLimit} ` +
          `queued batch requests (${queued} are processing; simulated ${sim.cfg.tier.displayName} tier). ` +
          'Wait for batches to end, then retry.',
      );
      // Until the earliest unfinished batch ends: the soonest the queue shrinks for sure.
      const soonest = Math.min(
        ...store.batches.filter((b) => b.status(now) !== 'ended').map((b) => b.endsAt),
      );
      f.retryAfterSec = Math.max(1, Math.ceil((soonest - now) / sim.clock.timeScale / 1000));
      return sendFailure(sim, res, f, requestId, headers);
    }
    const batch = store.create(parsed, { output300k: betaHeaders(req).includes(OUTPUT_300K_BETA) });
    ok(sim, res, requestId, headers, store.view(batch, origin(req)));
  });
}

/** Checks a create body like the API: the list, each custom_id, each params as a Messages request. */
export function validateBatch(raw: unknown, version: ApiVersion): BatchRequestInput[] | ApiFailure {
  if (!isObj(raw)) return invalid('Request body must be a JSON object');
  for (const k of Object.keys(raw)) {
    if (k !== 'requests') return invalid(`${k}: Extra inputs are not permitted`);
  }
  const requests = raw.requests;
  if (requests === undefined) return invalid('requests: Field required');
  if (!Array.isArray(requests)) return invalid('requests: Input should be a valid list');
  if (requests.length === 0) return invalid('requests: List should have at least 1 item');
  if (requests.length > BATCH_MAX_REQUESTS) {
    return invalid(
      `requests: a batch may hold at most ${BATCH_MAX_REQUESTS} requests (got ${requests.length}); split it into smaller batches`,
    );
  }
  const seen = new Set<string>();
  const out: BatchRequestInput[] = [];
  for (let i = 0; i < requests.length; i++) {
    const r: unknown = requests[i];
    const at = `requests.${i}`;
    if (!isObj(r)) return invalid(`${at}: Input should be a valid dictionary`);
    for (const k of Object.keys(r)) {
      if (k !== 'custom_id' && k !== 'params') return invalid(`${at}.${k}: Extra inputs are not permitted`);
    }
    const cid = r.custom_id;
    if (cid === undefined) return invalid(`${at}.custom_id: Field required`);
    if (typeof cid !== 'string' || !CUSTOM_ID.test(cid)) {
      return invalid(
        `${at}.custom_id: must be 1-64 characters of letters, digits, _ and - (got ${JSON.stringify(cid)})`,
      );
    }
    if (seen.has(cid)) {
      return invalid(
        `${at}.custom_id: duplicate custom_id "${cid}": each custom_id must be unique within the batch`,
      );
    }
    seen.add(cid);
    const params = r.params;
    if (params === undefined) return invalid(`${at}.params: Field required`);
    if (!isObj(params)) return invalid(`${at}.params: Input should be a valid dictionary`);
    if (params.stream === true)
      return invalid(`${at}.params.stream: streaming is not supported in a Message Batch`);
    const v = validateMessages(params, version, false);
    if (isFailure(v)) return invalid(`${at}.params.${v.message}`);
    out.push({ customId: cid, params, request: v });
  }
  return out;
}

/** Streams one JSONL line per request, in chunks, waiting for the socket when it is full. */
async function streamResults(
  sim: SimState,
  batch: SimBatch,
  res: ServerResponse,
  requestId: string,
  headers: string[],
): Promise<void> {
  const h = ['content-type', 'application/x-jsonl', 'request-id', requestId, ...headers];
  sim.stats.status(200);
  res.writeHead(200, h);
  const n = batch.requests.length;
  let chunk = '';
  for (let i = 0; i < n; i++) {
    chunk += resultLine(sim, batch, i, requestId) + '\n';
    if ((i + 1) % LINES_PER_WRITE === 0 || i === n - 1) {
      if (res.destroyed) return;
      const more = res.write(chunk);
      chunk = '';
      if (!more) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
  }
  res.end();
  sim.stats.completed();
}

function resultLine(sim: SimState, batch: SimBatch, i: number, requestId: string): string {
  const customId = batch.requests[i]!.customId;
  const kind = batch.resultOf(i);
  let result: unknown;
  if (kind === 'succeeded') result = { type: 'succeeded', message: batch.reply(i, sim).message };
  else if (kind === 'errored') {
    result = { type: 'errored', error: JSON.parse(errorBody(batch.errors[i]!, requestId)) as unknown };
  } else result = { type: kind };
  return JSON.stringify({ custom_id: customId, result });
}
