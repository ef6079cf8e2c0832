// Distributed load generation, the coordination step: N agents (processes, machines) register in
// Redis, wait for each other, and agree on one wall-clock start instant taken from Redis TIME (agent
// clocks may disagree: each converts the instant to its own clock with the offset it measured against
// Redis). Every step that decides something is one Lua script, so two agents never take the same slot.
// Keys share a hash tag so the run works on Redis Cluster. At the end each agent puts its run into
// Redis; the one whose result completes the set is told it is the last (it merges).
import { Redis } from 'ioredis';
import { sleep } from '../limiter/sleep';

export interface JoinOptions {
  /** redis:// or rediss:// URL of the coordinator. */
  redisUrl: string;
  runId: string;
  /** How many agents take part (1..maxAgents). */
  agents: number;
  /** Agents of one run must run the same schedule: a digest of it (see `scheduleFingerprint`). */
  fingerprint: string;
  /** How long to wait for the others to register (default 60 s). */
  waitMs?: number;
  /** Delay between the last registration and the start, so every agent sees it in time (default 2 s). */
  leadMs?: number;
  /** Who this agent is (host, pid), kept in Redis for the messages of the others. */
  label?: string;
  /** Stops waiting (Ctrl-C): the agent leaves and its slot is freed. */
  signal?: AbortSignal;
  /** Local wall clock, ms since the epoch (tests inject one). */
  now?: () => number;
  /** ioredis command timeout, ms (default 2,000). */
  commandTimeoutMs?: number;
  /**
   * An agent is alive while its heartbeat key lives: it is set for this long and refreshed every
   * third of it until the agent finishes or closes (default 30 s). A slot whose agent died (killed,
   * crashed, its machine gone) is freed before the start; a started run whose agents all finished or
   * died frees its run id. Before heartbeats, such a run blocked its id for the keys' 24 hours.
   */
  aliveMs?: number;
}

export interface JoinedRun {
  runId: string;
  /** 0..agents-1: the slot this agent took. */
  agentId: number;
  agents: number;
  /** Wall-clock ms on Redis TIME at which every agent starts sending. */
  startAt: number;
  /** The same instant on this agent's clock (`now()`): startAt minus the measured clock offset. */
  startAtLocal: number;
  /** Redis TIME minus this agent's clock, ms (half a round trip of uncertainty). */
  clockOffsetMs: number;
  /** Slots (or a whole run) of agents that had died, freed when this agent joined. */
  reclaimed: number;
  /** Whether this agent sends request `index` of the shared schedule: request i goes to agent i mod N. */
  owns(index: number): boolean;
  /** The connection, for the shared limiter and budget of the run. */
  readonly redis: Redis;
  /**
   * Puts this agent's run (serialised run.json) into Redis and counts it as finished (`left`: it was
   * interrupted, the run is partial). `last` is true for exactly one agent: the one that completes the set.
   */
  finish(runJson: string, how: 'done' | 'left'): Promise<{ finished: number; last: boolean }>;
  /** Every agent's run.json, by agent id (the last agent reads them to merge). */
  results(): Promise<{ agentId: number; runJson: string; how: string }[]>;
  /** Records where the merged run went; a later join of the same run id then starts a new run. */
  markMerged(where: string): Promise<void>;
  close(): Promise<void>;
}

export const maxAgents = 256;

/** Why joining failed: `unreachable` (exit 3 in the CLI), `refused` (the run does not take this agent), `timeout`, `aborted`. */
export class JoinError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'refused' | 'timeout' | 'aborted',
  ) {
    super(message);
    this.name = 'JoinError';
  }
}

export const distributedKey = (runId: string, part: string): string => `claude-load:dist:{${runId}}:${part}`;

const ttlSeconds = 24 * 3600;

// KEYS: meta, agents, results, heartbeat key prefix (+ agent id). ARGV: agents, fingerprint, label,
// leadMs, ttl, aliveMs. Returns {'joined', id, startAt|'', reclaimed} or {'agents', n} / {'plan'} /
// {'started', startAt}; reclaimed = slots or a run of agents that had died, freed by this join.
const joinScript = `
local meta, agents, results, alive = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local n = tonumber(ARGV[1])
local reclaimed = 0
-- A run that is over (merged, or every agent finished or left) frees its id for a new run.
local over = redis.call('HMGET', meta, 'state', 'finished', 'agents')
if over[1] == 'merged' or (over[3] and tonumber(over[2] or '0') >= tonumber(over[3])) then
  redis.call('DEL', meta, agents, results)
elseif over[3] then
  -- Agents whose heartbeat expired died without a word: before the start their slots are freed; a
  -- started run whose agents all finished, left or died is over (the id is free again).
  local started = redis.call('HEXISTS', meta, 'startAt') == 1
  local gone = 0
  for i = 0, tonumber(over[3]) - 1 do
    local id = tostring(i)
    if redis.call('HEXISTS', meta, 'counted:' .. id) == 1 then
      gone = gone + 1
    elseif redis.call('HEXISTS', agents, id) == 1 and redis.call('EXISTS', alive .. id) == 0 then
      gone = gone + 1
      reclaimed = reclaimed + 1
      if not started then redis.call('HDEL', agents, id) end
    end
  end
  if (started and gone >= tonumber(over[3])) or (not started and redis.call('HLEN', agents) == 0) then
    redis.call('DEL', meta, agents, results)
  end
end
local cfg = redis.call('HGET', meta, 'agents')
if cfg then
  if tonumber(cfg) ~= n then return {'agents', cfg} end
  if redis.call('HGET', meta, 'fingerprint') ~= ARGV[2] then return {'plan'} end
  local s = redis.call('HGET', meta, 'startAt')
  if s then return {'started', s} end
else
  redis.call('HSET', meta, 'agents', n, 'fingerprint', ARGV[2], 'finished', 0)
end
for i = 0, n - 1 do
  if redis.call('HSETNX', agents, tostring(i), ARGV[3]) == 1 then
    local startAt = ''
    if redis.call('HLEN', agents) == n then
      local t = redis.call('TIME')
      startAt = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[4]))
      redis.call('HSET', meta, 'startAt', startAt)
    end
    redis.call('EXPIRE', meta, ARGV[5])
    redis.call('EXPIRE', agents, ARGV[5])
    redis.call('SET', alive .. tostring(i), '1', 'PX', ARGV[6])
    return {'joined', tostring(i), startAt, reclaimed}
  end
end
return {'started', redis.call('HGET', meta, 'startAt') or ''}
`;

// Before the start the slot is freed (another agent may take it); after it the agent is marked left
// and counted as finished without a run, so the others still complete the set and merge.
// KEYS: meta, agents. ARGV: id. Returns -1 (freed) or how many agents have finished.
const leaveScript = `
if redis.call('HGET', KEYS[1], 'startAt') then
  if redis.call('HGET', KEYS[1], 'counted:' .. ARGV[1]) then
    return tonumber(redis.call('HGET', KEYS[1], 'finished'))
  end
  redis.call('HSET', KEYS[1], 'status:' .. ARGV[1], 'left', 'counted:' .. ARGV[1], '1')
  return redis.call('HINCRBY', KEYS[1], 'finished', 1)
end
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('HLEN', KEYS[2]) == 0 then redis.call('DEL', KEYS[1]) end
return -1
`;

// KEYS: meta, results. ARGV: id, how, runJson. Returns how many agents have finished.
const finishScript = `
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ${ttlSeconds})
if redis.call('HGET', KEYS[1], 'status:' .. ARGV[1]) == ARGV[2] and redis.call('HGET', KEYS[1], 'counted:' .. ARGV[1]) then
  return tonumber(redis.call('HGET', KEYS[1], 'finished'))
end
redis.call('HSET', KEYS[1], 'status:' .. ARGV[1], ARGV[2], 'counted:' .. ARGV[1], '1')
return redis.call('HINCRBY', KEYS[1], 'finished', 1)
`;

/** Connects with fail-fast settings: a coordinator that is down is an error now, not a hang. */
export async function connectCoordinator(url: string, commandTimeoutMs = 2000): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url))
    throw new JoinError(
      `--coordinator must be a redis:// or rediss:// URL, e.g. redis://host:6379 (got "${url}")`,
      'refused',
    );
  let lastError: Error | undefined;
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    commandTimeout: commandTimeoutMs,
    // Reconnect in the background later in the run, but never block the first connect.
    retryStrategy: (times) => (times > 20 ? null : Math.min(times * 100, 1000)),
  });
  // Errors surface through the commands; this keeps ioredis from printing "Unhandled error event".
  redis.on('error', (e: Error) => (lastError = e));
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    // ioredis rejects with "Connection is closed."; the socket's own error says why (ECONNREFUSED, ...).
    const why = lastError?.message || (e as Error).message || 'connection failed';
    throw new JoinError(
      `--coordinator: cannot reach ${url} (${why}): start Redis there or fix the URL`,
      'unreachable',
    );
  }
  return redis;
}

/** Redis TIME minus the local clock, from the fastest of a few round trips (the least uncertain). */
export async function measureClockOffset(redis: Redis, now: () => number, samples = 5): Promise<number> {
  let best = { rttMs: Infinity, offsetMs: 0 };
  for (let i = 0; i < samples; i++) {
    const before = now();
    const [s, us] = await redis.time();
    const after = now();
    const redisMs = Number(s) * 1000 + Number(us) / 1000;
    if (after - before < best.rttMs)
      best = { rttMs: after - before, offsetMs: redisMs - (before + after) / 2 };
  }
  return best.offsetMs;
}

export async function joinRun(options: JoinOptions): Promise<JoinedRun> {
  const { runId, agents } = options;
  if (!Number.isInteger(agents) || agents < 1 || agents > maxAgents)
    throw new JoinError(`--agents must be a whole number from 1 to ${maxAgents} (got ${agents})`, 'refused');
  const now = options.now ?? Date.now;
  const redis = await connectCoordinator(options.redisUrl, options.commandTimeoutMs);
  const meta = distributedKey(runId, 'meta');
  const agentsKey = distributedKey(runId, 'agents');
  const resultsKey = distributedKey(runId, 'results');
  const close = async (): Promise<void> => void (await redis.quit().catch(() => redis.disconnect()));
  const unreachable = (e: unknown) =>
    e instanceof JoinError
      ? e
      : new JoinError(`--coordinator ${options.redisUrl}: ${(e as Error).message}`, 'unreachable');
  const aliveMs = options.aliveMs ?? 30_000;
  const alivePrefix = distributedKey(runId, 'alive:');
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const stopHeartbeat = () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  };
  let agentId: number | undefined;
  try {
    const waitMs = options.waitMs ?? 60_000;
    const reply = (await redis.eval(
      joinScript,
      4,
      meta,
      agentsKey,
      resultsKey,
      alivePrefix,
      String(agents),
      options.fingerprint,
      options.label ?? `pid ${process.pid}`,
      String(options.leadMs ?? 2000),
      String(ttlSeconds),
      String(aliveMs),
    )) as string[];
    const [kind, a, b, freed] = reply;
    if (kind === 'agents')
      throw new JoinError(
        `run "${runId}" was started with --agents ${a}, this agent has --agents ${agents}: give every agent the same --agents (or another --run-id)`,
        'refused',
      );
    if (kind === 'plan')
      throw new JoinError(
        `run "${runId}" has another plan: every agent must run the same plan file and flags (or give another --run-id)`,
        'refused',
      );
    if (kind === 'started')
      throw new JoinError(
        `run "${runId}" already has its ${agents} agent${agents === 1 ? '' : 's'} and started${b ? ` at ${new Date(Number(b)).toISOString()}` : ''}: this one is extra (give another --run-id for a new run)`,
        'refused',
      );
    agentId = Number(a);
    const aliveKey = alivePrefix + String(agentId);
    heartbeat = setInterval(
      () => void redis.set(aliveKey, '1', 'PX', aliveMs).catch(() => undefined),
      Math.max(10, aliveMs / 3),
    );
    heartbeat.unref?.();
    // Poll for the start instant (the last agent to register sets it inside the join script).
    let startText = b || null;
    const deadline = now() + waitMs;
    while (!startText) {
      if (options.signal?.aborted)
        throw new JoinError('interrupted while waiting for the other agents', 'aborted');
      if (now() > deadline) {
        const seen = await redis.hlen(agentsKey);
        throw new JoinError(
          `only ${seen} of ${agents} agents joined run "${runId}" within ${Math.round(waitMs / 1000)} s: start the others with the same plan, --coordinator, --agents and --run-id`,
          'timeout',
        );
      }
      await sleep(50, options.signal).catch(() => {});
      startText = await redis.hget(meta, 'startAt');
    }
    const startAt = Number(startText);
    const clockOffsetMs = await measureClockOffset(redis, now);
    const id = agentId;
    await redis.hset(meta, `status:${id}`, 'running');
    return {
      runId,
      agentId: id,
      agents,
      startAt,
      startAtLocal: startAt - clockOffsetMs,
      clockOffsetMs,
      reclaimed: Number(freed ?? 0),
      owns: (i) => i % agents === id,
      redis,
      async finish(runJson, how) {
        stopHeartbeat();
        const finished = Number(
          await redis.eval(finishScript, 2, meta, resultsKey, String(id), how, runJson),
        );
        return { finished, last: finished === agents };
      },
      async results() {
        const all = await redis.hgetall(resultsKey);
        const statuses = await redis.hgetall(meta);
        return Object.entries(all)
          .map(([k, v]) => ({ agentId: Number(k), runJson: v, how: statuses[`status:${k}`] ?? 'done' }))
          .sort((x, y) => x.agentId - y.agentId);
      },
      async markMerged(where) {
        await redis.hset(meta, 'state', 'merged', 'mergedInto', where);
        await redis.expire(resultsKey, 3600);
      },
      async close() {
        stopHeartbeat();
        await close();
      },
    };
  } catch (e) {
    stopHeartbeat();
    if (agentId !== undefined)
      await redis.eval(leaveScript, 2, meta, agentsKey, String(agentId)).catch(() => {});
    await close();
    throw unreachable(e);
  }
}

/**
 * Tells the run this agent left without a run to hand over (it failed after the start). `last`: its
 * leaving completes the set, so it should merge the others' runs.
 */
export async function leaveRun(
  run: Pick<JoinedRun, 'redis' | 'runId' | 'agentId' | 'agents'>,
): Promise<{ finished: number; last: boolean }> {
  const finished = Number(
    await run.redis.eval(
      leaveScript,
      2,
      distributedKey(run.runId, 'meta'),
      distributedKey(run.runId, 'agents'),
      String(run.agentId),
    ),
  );
  return { finished, last: finished === run.agents };
}
