// POST /v1/messages and /v1/messages/count_tokens after the body is parsed. Order of checks:
// validate -> model -> spend cap -> rate limits (requests, input, output) -> capacity -> (exchange).
import type { ServerResponse } from 'node:http';
import type { ModelEntry } from '../catalog/index';
import type { CachePlan } from './cache';
import { OVERLOADED_MESSAGE, failure } from './errors';
import type { ApiFailure } from './errors';
import { Exchange } from './exchange';
import { admit, pushRateLimitHeaders, pushRequestHeaders, rampFailure } from './rateLimiter';
import type { LimitState, Refusal } from './rateLimiter';
import { cacheMinTokensFor } from './options';
import { sendFailure, sendJson } from './respond';
import type { SimState, UsageCounts } from './state';
import { walkRequestTokens } from '../tokens/count';
import { checkAgainstModel, isFailure, validateMessages } from './validation';
import type { ApiVersion } from './validation';

function rateLimitHeaders(sim: SimState, limits: LimitState): string[] {
  const out: string[] = [];
  pushRateLimitHeaders(out, limits, sim.clock);
  return out;
}

const UNIT: Record<Refusal['kind'], string> = {
  requests: 'requests',
  input: 'input tokens',
  output: 'output tokens',
};

function rateLimitFailure(
  sim: SimState,
  model: ModelEntry,
  limits: LimitState,
  r: Refusal,
  need: number,
): ApiFailure {
  if (r.ramp) return rampFailure(r.ramp, limits.limits.rpm, r.waitMs, sim.clock.timeScale);
  const limit =
    r.kind === 'requests' ? limits.limits.rpm : r.kind === 'input' ? limits.limits.itpm : limits.limits.otpm;
  const where = `(model: ${model.id}, simulated ${sim.cfg.tier.displayName} tier)`;
  const message = r.exceedsCapacity
    ? `This request's ${need} ${UNIT[r.kind]} exceed your organization's rate limit of ${limit} ${UNIT[r.kind]} per minute ${where}. Reduce the prompt length.`
    : `This request would exceed your organization's rate limit of ${limit} ${UNIT[r.kind]} per minute ${where}. ` +
      'You can see the response headers for current usage. Please try again later.';
  const f = failure(429, 'rate_limit_error', message);
  // Whole real seconds, enough for the bucket to admit the request (scaled time divided back out).
  f.retryAfterSec = Math.max(1, Math.ceil(r.waitMs / sim.clock.timeScale / 1000));
  return f;
}

function resolveServedModel(
  sim: SimState,
  res: ServerResponse,
  id: string,
  requestId: string,
): ModelEntry | null {
  const model = sim.model(id);
  if (!model) sendFailure(sim, res, sim.modelFailure(id), requestId);
  return model ?? null;
}

export function handleMessages(
  sim: SimState,
  res: ServerResponse,
  requestId: string,
  version: ApiVersion,
  raw: unknown,
): void {
  const v = validateMessages(raw, version, false);
  if (isFailure(v)) return sendFailure(sim, res, v, requestId);
  const model = resolveServedModel(sim, res, v.model, requestId);
  if (!model) return;
  const limits = sim.limits(model);
  if (!limits) {
    const f = failure(
      403,
      'permission_error',
      `model ${model.id} is not available on the ${sim.cfg.tier.name} tier`,
    );
    return sendFailure(sim, res, f, requestId);
  }
  if (sim.spendCapReached()) {
    const f = failure(
      429,
      'rate_limit_error',
      `You have reached your monthly spend limit of $${sim.cfg.spendCapUsd} (simulated). ` +
        'Requests are refused until the month turns or the limit is raised.',
    );
    f.details = { error_code: 'enforced_spend_limit_reached' };
    return sendFailure(sim, res, f, requestId, rateLimitHeaders(sim, limits));
  }

  const now = sim.clock.simNow();
  const tok = walkRequestTokens(v.body, model.tokenizer);
  const wrong = checkAgainstModel(v, model, tok.total, false);
  if (wrong) return sendFailure(sim, res, wrong, requestId);
  let usage: UsageCounts;
  let plan: CachePlan | null = null;
  if (tok.cacheControl) {
    plan = sim.cache.plan(model.id, v.body, model.tokenizer, now, cacheMinTokensFor(sim.cfg, model));
    usage = { input: plan.uncached, cacheRead: plan.read, write5m: plan.write5m, write1h: plan.write1h };
  } else {
    usage = { input: tok.total, cacheRead: 0, write5m: 0, write1h: 0 };
  }
  // Cache-aware ITPM: cache reads do not count (except models flagged otherwise, e.g. Haiku 3.5).
  const inputCost =
    usage.input + usage.write5m + usage.write1h + (model.cacheReadsCountTowardItpm ? usage.cacheRead : 0);
  const refusal = admit(limits, inputCost, v.maxTokens, sim.cfg.otpmMode, now);
  if (refusal) {
    const need = refusal.kind === 'input' ? inputCost : refusal.kind === 'output' ? v.maxTokens : 1;
    return sendFailure(
      sim,
      res,
      rateLimitFailure(sim, model, limits, refusal, need),
      requestId,
      rateLimitHeaders(sim, limits),
    );
  }

  const ex = new Exchange(sim, res, requestId, model, v, limits, usage, inputCost, plan);
  const admission = sim.gate.acquire(ex);
  if (admission === 'now') ex.start();
  else if (admission === 'queued') ex.waitInQueue();
  else {
    ex.refund();
    sendFailure(
      sim,
      res,
      failure(529, 'overloaded_error', OVERLOADED_MESSAGE),
      requestId,
      rateLimitHeaders(sim, limits),
    );
  }
}

export function handleCountTokens(
  sim: SimState,
  res: ServerResponse,
  requestId: string,
  version: ApiVersion,
  raw: unknown,
): void {
  const v = validateMessages(raw, version, true);
  if (isFailure(v)) return sendFailure(sim, res, v, requestId);
  const model = resolveServedModel(sim, res, v.model, requestId);
  if (!model) return;
  const total = walkRequestTokens(v.body, model.tokenizer).total;
  const wrong = checkAgainstModel(v, model, total, true);
  if (wrong) return sendFailure(sim, res, wrong, requestId);
  const bucket = sim.countTokens;
  bucket.refill(sim.clock.simNow());
  const headers: string[] = [];
  if (bucket.level < 1) {
    const f = failure(
      429,
      'rate_limit_error',
      `This request would exceed your organization's rate limit of ${bucket.limitPerMinute} count_tokens requests per minute.`,
    );
    f.retryAfterSec = Math.max(1, Math.ceil(bucket.msUntil(1) / sim.clock.timeScale / 1000));
    pushRequestHeaders(headers, bucket, sim.clock);
    return sendFailure(sim, res, f, requestId, headers);
  }
  bucket.take(1);
  pushRequestHeaders(headers, bucket, sim.clock);
  sendJson(sim, res, 200, `{"input_tokens":${total}}`, requestId, headers);
  sim.stats.completed();
}
