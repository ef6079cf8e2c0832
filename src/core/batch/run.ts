// Runs a workload through the Message Batches API with the official SDK: checks the budget, submits
// (split at the API's limits), polls with backoff emitting progress, cancels on abort and waits for
// `ended`, downloads the results and reports turnaround, outcomes, tokens and cost.
import type { Anthropic } from '@anthropic-ai/sdk';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { builtinCatalog, CatalogError, resolveModel } from '../catalog/index';
import type { Catalog } from '../catalog/index';
import { messagesComparison, usageCostUsd } from './pricing';
import type { UsageTotals } from './pricing';
import type {
  BatchEvent,
  BatchReport,
  BatchStatus,
  BatchWorkItem,
  CompletionTimes,
  RequestCounts,
} from './types';
import { MAX_BATCH_BYTES, MAX_BATCH_REQUESTS, splitIntoBatches } from './workload';

/** Polls that may fail in a row (after the SDK's own retries) before the run gives up. */
const MAX_POLL_FAILURES = 5;

export interface RunBatchesOptions {
  client: Anthropic;
  items: BatchWorkItem[];
  /** Tier whose Messages limits the comparison uses (e.g. the simulator's, or the user's). */
  tier: string;
  /** Longest wait between polls, real ms; polls start at `firstPollMs` and double up to it. */
  pollMs: number;
  firstPollMs?: number;
  name?: string;
  catalog?: Catalog;
  /** Simulated ms per real ms of the target (the simulator's time scale; 1 for the API). */
  timeScale?: number;
  /** Refuse to submit when the worst case at the batch price exceeds this, USD. */
  maxCostUsd?: number;
  /** Aborting cancels every submitted batch and waits until each has ended. */
  signal?: AbortSignal;
  onEvent?: (e: BatchEvent) => void;
  /** Real-time clock, ms (injectable). */
  now?: () => number;
  maxBatchRequests?: number;
  maxBatchBytes?: number;
  /** anthropic-beta values sent with each create (e.g. OUTPUT_300K_BETA), through the SDK's beta client. */
  betas?: string[];
}

/** The budget forbids the run: nothing was submitted. */
export class BatchBudgetError extends Error {
  constructor(
    readonly worstCaseUsd: number,
    readonly maxCostUsd: number,
  ) {
    super(
      `the worst case of this batch is $${worstCaseUsd.toFixed(4)} at the batch price (every request ` +
        `generating max_tokens), above the budget of $${maxCostUsd}: raise --max-cost or send fewer requests`,
    );
    this.name = 'BatchBudgetError';
  }
}

/** The run could not go on (e.g. polls kept failing); `batchIds` says what was submitted. */
export class BatchRunError extends Error {
  constructor(
    message: string,
    readonly batchIds: string[],
  ) {
    super(message);
    this.name = 'BatchRunError';
  }
}

interface Tracked {
  id: string;
  requests: number;
  submittedAt: number;
  batch: MessageBatch;
  /** (API-timeline ms since created, requests finished by then) per poll that saw progress. */
  steps: { atMs: number; finished: number }[];
  lastPollAtMs: number;
  widestStepMs: number;
}

const zeroCounts = (): RequestCounts => ({
  processing: 0,
  succeeded: 0,
  errored: 0,
  canceled: 0,
  expired: 0,
});

export function worstCaseUsd(items: BatchWorkItem[]): number {
  return items.reduce((s, i) => s + i.worstCaseUsd, 0);
}

export async function runBatches(o: RunBatchesOptions): Promise<BatchReport> {
  const catalog = o.catalog ?? builtinCatalog;
  const now = o.now ?? (() => performance.now());
  const emit = (e: BatchEvent) => o.onEvent?.(e);
  const scale = o.timeScale ?? 1;
  if (o.items.length === 0) throw new RangeError('a batch run needs at least one request');
  const worst = worstCaseUsd(o.items);
  if (o.maxCostUsd !== undefined && worst > o.maxCostUsd) throw new BatchBudgetError(worst, o.maxCostUsd);

  const chunks = splitIntoBatches(
    o.items,
    o.maxBatchRequests ?? MAX_BATCH_REQUESTS,
    o.maxBatchBytes ?? MAX_BATCH_BYTES,
  );
  emit({ type: 'split', batches: chunks.length, requests: o.items.length });
  const t0 = now();
  const tracked: Tracked[] = [];
  let cancelRequested = false;
  /** A cancel was sent for at least one batch (an abort after every batch ended cancels nothing). */
  let canceledAny = false;

  const cancelAll = async () => {
    if (cancelRequested) return;
    cancelRequested = true;
    const open = tracked.filter((t) => t.batch.processing_status === 'in_progress');
    if (open.length === 0) return;
    canceledAny = true;
    emit({ type: 'canceling', elapsedMs: now() - t0, batchIds: open.map((t) => t.id) });
    for (const t of open) {
      try {
        t.batch = await o.client.messages.batches.cancel(t.id);
      } catch (e) {
        // An already-ended batch cannot be canceled: the next poll shows it ended.
        emit({ type: 'warning', message: `cancel ${t.id}: ${(e as Error).message}` });
      }
    }
  };

  for (let i = 0; i < chunks.length; i++) {
    if (o.signal?.aborted) break;
    const chunk = chunks[i]!;
    const requests = chunk.map((it) => ({
      custom_id: it.customId,
      params: it.params as unknown as Anthropic.Messages.MessageCreateParamsNonStreaming,
    }));
    let batch: MessageBatch;
    try {
      batch = o.betas?.length
        ? ((await o.client.beta.messages.batches.create({
            requests: requests as Anthropic.Beta.Messages.BatchCreateParams['requests'],
            betas: o.betas,
          })) as unknown as MessageBatch)
        : await o.client.messages.batches.create({ requests });
    } catch (e) {
      if (tracked.length === 0) throw e;
      // Keep what was submitted: cancel it and report; the error says what failed.
      emit({
        type: 'warning',
        message: `batch ${i + 1} of ${chunks.length} was not accepted: ${(e as Error).message}`,
      });
      await cancelAll();
      break;
    }
    tracked.push({
      id: batch.id,
      requests: chunk.length,
      // The batch's clock starts when the API has it (created_at), not while the upload runs.
      submittedAt: now(),
      batch,
      steps: [],
      lastPollAtMs: 0,
      widestStepMs: 0,
    });
    emit({
      type: 'submitted',
      batchId: batch.id,
      index: i,
      of: chunks.length,
      requests: chunk.length,
      elapsedMs: now() - t0,
    });
  }
  if (tracked.length === 0) throw new BatchRunError('canceled before any batch was submitted', []);
  const ids = tracked.map((t) => t.id);

  // Poll with backoff until every batch has ended; an abort cancels them and keeps polling.
  let interval = Math.min(o.firstPollMs ?? 500, o.pollMs);
  let failures = 0;
  const onAbort = () => void cancelAll();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) await cancelAll();
  try {
    for (;;) {
      const open = tracked.filter((t) => t.batch.processing_status !== 'ended');
      if (open.length === 0) break;
      await sleep(interval, cancelRequested ? undefined : o.signal);
      if (o.signal?.aborted && !cancelRequested) await cancelAll();
      try {
        for (const t of open) observe(t, await o.client.messages.batches.retrieve(t.id), now(), scale);
        failures = 0;
      } catch (e) {
        failures++;
        emit({
          type: 'warning',
          message: `poll failed (${failures}/${MAX_POLL_FAILURES}): ${(e as Error).message}`,
        });
        if (failures >= MAX_POLL_FAILURES) {
          throw new BatchRunError(
            `polling kept failing (${(e as Error).message}); the batches go on: ${ids.join(', ')}`,
            ids,
          );
        }
      }
      interval = Math.min(interval * 2, o.pollMs);
      const counts = sumCounts(tracked.map((t) => t.batch.request_counts));
      const ended = tracked.filter((t) => t.batch.processing_status === 'ended').length;
      emit({
        type: 'progress',
        elapsedMs: now() - t0,
        counts,
        status: leastAdvanced(tracked.map((t) => t.batch.processing_status)),
        batchesEnded: ended,
        batches: tracked.length,
        nextPollMs: ended === tracked.length ? 0 : interval,
      });
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  const wallMs = now() - t0;
  // Nothing finishes after its batch ended: clamp the poll steps to each turnaround.
  for (const t of tracked) {
    const b = t.batch;
    if (!b.ended_at) continue;
    const end = Date.parse(b.ended_at) - Date.parse(b.created_at);
    for (const s of t.steps) s.atMs = Math.min(s.atMs, end);
  }

  // Results: outcomes, tokens and usage per request.
  const discount = catalog.batchDiscount;
  const outcomes = { succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  const errors: Record<string, number> = {};
  const totals: UsageTotals = {
    requests: 0,
    byModel: new Map(),
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
  };
  let batchUsd = 0;
  let messagesUsd = 0;
  for (const t of tracked) {
    let lines = 0;
    for await (const line of await o.client.messages.batches.results(t.id)) {
      lines++;
      const r = line.result;
      outcomes[r.type]++;
      if (r.type === 'errored') {
        const type = r.error?.error?.type ?? 'unknown';
        errors[type] = (errors[type] ?? 0) + 1;
      }
      if (r.type !== 'succeeded') continue;
      const m = r.message;
      const u = m.usage;
      const write1h = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
      const writes = u.cache_creation_input_tokens ?? 0;
      const usage = {
        model: m.model,
        input: u.input_tokens,
        output: u.output_tokens,
        cacheRead: u.cache_read_input_tokens ?? 0,
        write5m: writes - write1h,
        write1h,
      };
      totals.requests++;
      totals.byModel.set(m.model, (totals.byModel.get(m.model) ?? 0) + 1);
      totals.input += usage.input;
      totals.output += usage.output;
      totals.cacheRead += usage.cacheRead;
      totals.cacheWrite += writes;
      let entry;
      try {
        entry = resolveModel(catalog, m.model);
      } catch (e) {
        if (!(e instanceof CatalogError)) throw e;
        emit({ type: 'warning', message: `no price for ${m.model}: its usage is not costed` });
        continue;
      }
      batchUsd += usageCostUsd(usage, entry, discount);
      messagesUsd += usageCostUsd(usage, entry, 0);
    }
    emit({ type: 'results', batchId: t.id, lines, elapsedMs: now() - t0 });
  }

  const created = tracked.map((t) => Date.parse(t.batch.created_at));
  const endedAt = tracked.map((t) => (t.batch.ended_at ? Date.parse(t.batch.ended_at) : NaN));
  const turnaroundMs = endedAt.every(Number.isFinite) ? Math.max(...endedAt) - Math.min(...created) : null;
  const models = [...new Set(o.items.map((i) => String(i.params.model)))];
  return {
    name: o.name ?? 'batch',
    baseUrl: o.client.baseURL,
    model: models.join(', '),
    requests: tracked.reduce((s, t) => s + t.requests, 0),
    wallMs,
    timeScale: scale,
    turnaroundMs,
    completion: completionTimes(tracked),
    canceled: canceledAny,
    outcomes,
    errors,
    tokens: {
      input: totals.input,
      output: totals.output,
      cacheRead: totals.cacheRead,
      cacheWrite: totals.cacheWrite,
    },
    cost: {
      batchUsd,
      messagesUsd,
      savingUsd: messagesUsd - batchUsd,
      batchDiscount: discount,
      catalogAsOf: catalog.asOf,
    },
    messagesApi: messagesComparison(totals, o.items.length, o.tier, catalog),
    batches: tracked.map((t) => ({
      id: t.id,
      requests: t.requests,
      createdAt: t.batch.created_at,
      endedAt: t.batch.ended_at,
      turnaroundMs: t.batch.ended_at ? Date.parse(t.batch.ended_at) - Date.parse(t.batch.created_at) : null,
      counts: t.batch.request_counts,
    })),
  };
}

/** Records a poll: requests that finished since the last one are dated at this poll (an upper bound). */
function observe(t: Tracked, b: MessageBatch, nowMs: number, scale: number): void {
  t.batch = b;
  let at = (nowMs - t.submittedAt) * scale;
  if (b.processing_status === 'ended' && b.ended_at) {
    at = Math.min(at, Date.parse(b.ended_at) - Date.parse(b.created_at));
  }
  t.widestStepMs = Math.max(t.widestStepMs, at - t.lastPollAtMs);
  t.lastPollAtMs = at;
  const finished = b.request_counts.succeeded + b.request_counts.errored;
  const prev = t.steps.length ? t.steps[t.steps.length - 1]!.finished : 0;
  if (finished > prev) t.steps.push({ atMs: at, finished });
}

/** p50 / p95 / max of per-request completion over every batch, from the poll steps. */
export function completionTimes(tracked: Pick<Tracked, 'steps' | 'widestStepMs'>[]): CompletionTimes | null {
  const steps: { atMs: number; n: number }[] = [];
  for (const t of tracked) {
    let prev = 0;
    for (const s of t.steps) {
      steps.push({ atMs: s.atMs, n: s.finished - prev });
      prev = s.finished;
    }
  }
  const count = steps.reduce((a, s) => a + s.n, 0);
  if (count === 0) return null;
  steps.sort((a, b) => a.atMs - b.atMs);
  const quantile = (q: number) => {
    const rank = Math.ceil(q * count);
    let cum = 0;
    for (const s of steps) {
      cum += s.n;
      if (cum >= rank) return s.atMs;
    }
    return steps[steps.length - 1]!.atMs;
  };
  return {
    count,
    p50Ms: quantile(0.5),
    p95Ms: quantile(0.95),
    maxMs: steps[steps.length - 1]!.atMs,
    resolutionMs: Math.max(...tracked.map((t) => t.widestStepMs)),
  };
}

function sumCounts(list: RequestCounts[]): RequestCounts {
  const c = zeroCounts();
  for (const x of list) {
    c.processing += x.processing;
    c.succeeded += x.succeeded;
    c.errored += x.errored;
    c.canceled += x.canceled;
    c.expired += x.expired;
  }
  return c;
}

function leastAdvanced(list: BatchStatus[]): BatchStatus {
  if (list.includes('in_progress')) return 'in_progress';
  if (list.includes('canceling')) return 'canceling';
  return 'ended';
}

/** Waits `ms`, or less when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
