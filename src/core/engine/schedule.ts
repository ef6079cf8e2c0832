// Open-loop arrival schedules: intended send times (ms since start) for rate and ramp loads.
import { exponential, type Random } from '../util/random';
import type { LoadShape } from '../model/run';

/**
 * Returns a generator of intended send times, or undefined for closed-loop loads.
 * Ramp stages change the rate linearly from the previous stage's rate (k6's ramping-arrival-rate).
 */
export function arrivalTimes(load: LoadShape, random: Random): Iterator<number> | undefined {
  if (load.type === 'concurrency') return undefined;
  if (load.type === 'rate') {
    const mean = 1000 / load.rps;
    return (function* () {
      let t = 0;
      for (let i = 0; ; i++) {
        if (load.arrival === 'poisson') {
          yield t;
          t += exponential(random, mean);
        } else {
          yield i * mean;
        }
      }
    })();
  }
  return rampTimes(load.stages, load.startRps);
}

/** Arrival n happens when the integral of the rate reaches n (constant spacing within the rate curve). */
function* rampTimes(stages: { durationMs: number; rps: number }[], startRps: number): Generator<number> {
  let stageStart = 0;
  let fromRps = startRps;
  let done = 0; // arrivals emitted so far
  let area = 0; // integral of rate up to stageStart (requests)
  for (const s of stages) {
    const T = s.durationMs / 1000;
    const a = fromRps;
    const b = s.rps;
    const stageArea = ((a + b) / 2) * T;
    // Arrival k (0-based) is due when the cumulative integral reaches k (first request at t=0 when rate>0).
    while (done < area + stageArea - 1e-9) {
      const need = done - area; // requests into this stage
      let x: number; // seconds into the stage
      if (Math.abs(b - a) < 1e-12) {
        x = a > 0 ? need / a : T;
      } else {
        // a*x + (b-a)/(2T)*x^2 = need
        const k = (b - a) / (2 * T);
        const disc = a * a + 4 * k * need;
        x = (-a + Math.sqrt(Math.max(0, disc))) / (2 * k);
      }
      if (!(x <= T + 1e-9)) break;
      yield (stageStart + x) * 1000;
      done++;
    }
    area += stageArea;
    stageStart += T;
    fromRps = b;
  }
}

/** Total planned duration of a ramp, ms. */
export function rampDurationMs(load: LoadShape): number | undefined {
  return load.type === 'ramp' ? load.stages.reduce((a, s) => a + s.durationMs, 0) : undefined;
}
