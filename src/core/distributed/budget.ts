// One spend budget shared by every agent of a distributed run, as an engine admission gate. It works
// like the engine's own budget (engine/admission/budget.ts) with the ledger in Redis: each request
// reserves its input plus the expected output at catalog prices before it goes out; when the next
// reservation does not fit, the agent holds while any agent has requests in flight (their real cost
// replaces their reservation when they finish) and stops only when it cannot fit with none in flight.
// Amounts are integer nano-dollars so the ledger never drifts.
// Guarantee: the agents' total cost <= the budget + what the requests in flight when sending stopped
// spent beyond their reservation (+ one probe request before any output was observed). An agent killed
// hard (kill -9) leaves its reservations behind: the others then stop early, never late.
import type { Redis } from 'ioredis';
import type { AdmissionContext, AdmissionGate, AdmissionRequest, GateDecision } from '../engine/index';
import { sleep } from '../limiter/sleep';
import type { RequestSample } from '../model/run';

const nano = (usd: number): number => Math.max(0, Math.round(usd * 1e9));

// KEYS[1]: the ledger hash. ARGV: op, max, need, probeNeed|actual.
// admit -> {'admit', spent} | {'hold', spent} | {'stop', spent}; settle/release -> {'ok', spent}.
const ledgerScript = `
local k = KEYS[1]
local op = ARGV[1]
redis.call('EXPIRE', k, 86400)
local spent = tonumber(redis.call('HGET', k, 'spent') or '0')
if op == 'admit' then
  local max, need = tonumber(ARGV[2]), tonumber(ARGV[3])
  local reserved = tonumber(redis.call('HGET', k, 'reserved') or '0')
  local inflight = tonumber(redis.call('HGET', k, 'inflight') or '0')
  local probe = ARGV[4] ~= '' and inflight == 0 and spent + tonumber(ARGV[4]) <= max
  if spent + reserved + need <= max or probe then
    redis.call('HINCRBY', k, 'reserved', need)
    redis.call('HINCRBY', k, 'inflight', 1)
    return {'admit', tostring(spent)}
  end
  if inflight > 0 then return {'hold', tostring(spent)} end
  return {'stop', tostring(spent)}
end
redis.call('HINCRBY', k, 'reserved', -tonumber(ARGV[3]))
redis.call('HINCRBY', k, 'inflight', -1)
if op == 'settle' then spent = redis.call('HINCRBY', k, 'spent', tonumber(ARGV[4])) end
return {'ok', tostring(spent)}
`;

export interface SharedBudgetOptions {
  redis: Redis;
  /** The ledger's key (hash-tagged with the run id). */
  key: string;
  maxCostUsd: number;
  /** How often a held request asks again (ms, default 100): other agents' settles free budget. */
  pollMs?: number;
}

export function sharedBudgetGate(options: SharedBudgetOptions): AdmissionGate {
  const { redis, key, maxCostUsd } = options;
  const reservations = new Map<number, number>();
  const closing = new AbortController();
  const max = nano(maxCostUsd);
  const call = async (op: string, need: number, extra: number | '') =>
    (await redis.eval(ledgerScript, 1, key, op, String(max), String(need), String(extra))) as [
      string,
      string,
    ];
  const giveBack = (request: AdmissionRequest, actualUsd?: number) => {
    const need = reservations.get(request.index);
    if (need === undefined) return;
    reservations.delete(request.index);
    // Best effort: a lost settle only makes the others stop earlier (the reservation stays counted).
    void call(
      actualUsd === undefined ? 'release' : 'settle',
      need,
      actualUsd === undefined ? '' : nano(actualUsd),
    ).catch(() => {});
  };
  return {
    name: 'shared budget',
    async admit(request: AdmissionRequest, ctx?: AdmissionContext): Promise<GateDecision> {
      const expected = ctx?.expectedOutputTokens(request) ?? request.maxOutputTokens;
      const need = nano(request.inputCostUsd + expected * request.outputTokenCostUsd);
      // Before any output is seen (expected = max_tokens) a request that does not fit may go alone.
      const probe =
        expected >= request.maxOutputTokens ? nano(request.inputCostUsd + request.outputTokenCostUsd) : '';
      let reply: [string, string];
      try {
        reply = await call('admit', need, probe);
      } catch (e) {
        return { kind: 'stop', reason: 'failed', detail: `shared budget: Redis: ${(e as Error).message}` };
      }
      const [kind, spentNano] = reply;
      if (kind === 'admit') {
        reservations.set(request.index, need);
        return { kind: 'admit' };
      }
      if (kind === 'hold') {
        const signals = ctx ? [closing.signal, ctx.signal] : [closing.signal];
        return {
          kind: 'hold',
          until: sleep(options.pollMs ?? 100, AbortSignal.any(signals)).catch(() => {}),
        };
      }
      const left = Math.max(0, maxCostUsd - Number(spentNano) / 1e9);
      return {
        kind: 'stop',
        reason: 'budget',
        detail:
          `the next request reserves $${(need / 1e9).toPrecision(2)} and $${left.toPrecision(2)} of the ` +
          `$${maxCostUsd} budget shared by every agent is left`,
      };
    },
    onSettled(request: AdmissionRequest, sample: RequestSample): void {
      giveBack(request, sample.costUsd);
    },
    release(request: AdmissionRequest): void {
      giveBack(request);
    },
    close(): void {
      closing.abort();
    },
  };
}

/** What the agents spent together so far, USD (for messages and tests). */
export async function sharedSpentUsd(redis: Redis, key: string): Promise<number> {
  return Number((await redis.hget(key, 'spent')) ?? 0) / 1e9;
}
