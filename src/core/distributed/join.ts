// Distributed load generation, the coordination step: N agents (processes, machines) register in
// Redis, wait for each other, and agree on one wall-clock start instant taken from Redis TIME (agent
// clocks may disagree with each other; they only need to agree with Redis to within their skew).
// Keys share a hash tag so the run works on Redis Cluster.
import { Redis } from 'ioredis';

export interface JoinOptions {
  redisUrl: string;
  runId: string;
  /** How many agents take part (1..64). */
  agents: number;
  /** How long to wait for the others to register (default 60 s). */
  waitMs?: number;
  /** Delay between the last registration and the start, so every agent sees it in time (default 2 s). */
  leadMs?: number;
}

export interface JoinedRun {
  /** 0..agents-1, in order of registration. */
  agentId: number;
  agents: number;
  /** Wall-clock ms (Redis TIME) at which every agent starts sending. */
  startAt: number;
  /** Whether this agent sends request `index` of the schedule: request i goes to agent i mod N. */
  owns(index: number): boolean;
  close(): Promise<void>;
}

export class JoinError extends Error {}

const keyOf = (runId: string, part: string): string => `claude-load:dist:{${runId}}:${part}`;

async function redisNowMs(redis: Redis): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

export async function joinRun(options: JoinOptions): Promise<JoinedRun> {
  const { runId, agents } = options;
  if (!Number.isInteger(agents) || agents < 1 || agents > 64)
    throw new JoinError(`--agents must be an integer from 1 to 64 (got ${agents})`);
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new JoinError(`--coordinator: cannot reach ${options.redisUrl}: ${(e as Error).message}`);
  }
  const close = async (): Promise<void> => void (await redis.quit().catch(() => redis.disconnect()));
  try {
    const ttlSeconds = 24 * 3600;
    const joined = await redis.incr(keyOf(runId, 'joined'));
    await redis.expire(keyOf(runId, 'joined'), ttlSeconds);
    if (joined > agents)
      throw new JoinError(
        `run "${runId}" already has its ${agents} agents; this one is extra (use another --run-id for a new run)`,
      );
    const agentId = joined - 1;
    // The last to register fixes the start instant; the others poll for it.
    const startKey = keyOf(runId, 'startAt');
    if (joined === agents) {
      const startAt = (await redisNowMs(redis)) + (options.leadMs ?? 2000);
      await redis.set(startKey, String(startAt), 'EX', ttlSeconds, 'NX');
    }
    const deadline = Date.now() + (options.waitMs ?? 60_000);
    let startAt: number | undefined;
    for (;;) {
      const v = await redis.get(startKey);
      if (v !== null) {
        startAt = Number(v);
        break;
      }
      if (Date.now() > deadline) {
        const seen = Number((await redis.get(keyOf(runId, 'joined'))) ?? 0);
        throw new JoinError(
          `only ${seen} of ${agents} agents joined run "${runId}" in ${Math.round((options.waitMs ?? 60_000) / 1000)} s: start the others with the same plan, --coordinator and --agents`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return { agentId, agents, startAt, owns: (i) => i % agents === agentId, close };
  } catch (e) {
    await close();
    throw e;
  }
}
