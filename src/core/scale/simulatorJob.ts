// The simulator process's job, apart from types.ts: it names the simulator's options, which the
// webviews (through src/core/browser.ts and types.ts) must not pull into their import graph.
import type { SimulatorOptions } from '../simulator/options';

/** Job of the simulator process (argv JSON). */
export interface SimulatorProcessJob {
  simulator: SimulatorOptions;
  /** Processes to stop (SIGTERM) when this one stops: the redis-server of the rehearsal. */
  guardPids: number[];
}
