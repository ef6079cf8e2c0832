// The simulator's random streams. Each concern (ids, reply text, latency, faults, tool inputs) gets
// its own stream derived from the one seed, so changing the latency preset does not change reply
// texts or ids. The PRNG itself is the core's one copy in util/random.
import { Rng, deriveSeed } from '../util/random';

/** The independent random streams one simulator uses. */
export interface SimRandom {
  ids: Rng;
  text: Rng;
  latency: Rng;
  faults: Rng;
  /** Tool-use decisions and tool inputs (own stream: adding tools does not shift reply texts). */
  tools: Rng;
}

export function createSimRandom(seed: number): SimRandom {
  return {
    ids: new Rng(deriveSeed(seed, 1)),
    text: new Rng(deriveSeed(seed, 2)),
    latency: new Rng(deriveSeed(seed, 3)),
    faults: new Rng(deriveSeed(seed, 4)),
    tools: new Rng(deriveSeed(seed, 5)),
  };
}
