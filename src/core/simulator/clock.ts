// Simulated time: real elapsed time multiplied by the time scale. Buckets, cache TTLs and the spend
// month run on simulated time; timers wait real time (simulated delay / time scale).

export interface SimClock {
  readonly timeScale: number;
  /** Real ms from the injectable clock. */
  realNow(): number;
  /** Simulated ms since the simulator started. */
  simNow(): number;
  /** Wall-clock epoch ms now (for RFC 3339 reset headers). */
  wallNow(): number;
}

export function createClock(clock: () => number, timeScale: number): SimClock {
  const t0 = clock();
  const wall0 = Date.now();
  return {
    timeScale,
    realNow: clock,
    simNow: () => (clock() - t0) * timeScale,
    wallNow: () => wall0 + (clock() - t0),
  };
}
