// Seeded PRNG for the simulator. Each concern (ids, reply text, latency, faults) gets its own stream
// derived from the one seed, so changing the latency preset does not change reply texts or ids.

import { normal, seededRandom, type Random } from '../util/random';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The core's seeded PRNG (mulberry32) with the helpers the simulator needs. */
export class Rng {
  /** Uniform in [0, 1). */
  readonly next: Random;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Normal variate (Box-Muller, one of the pair). */
  normal(mean: number, sd: number): number {
    return normal(this.next, mean, sd);
  }

  /** A multiplicative jitter around 1 (lognormal, median 1); sigma 0.2 gives roughly +-20 %. */
  jitter(sigma: number): number {
    return sigma > 0 ? Math.exp(this.normal(0, sigma)) : 1;
  }

  /** `n` base62 characters. */
  base62(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += BASE62[(this.next() * 62) | 0];
    return s;
  }
}

/** Mixes the user seed with a stream number (splitmix32-style finaliser) so the streams do not overlap. */
export function deriveSeed(seed: number, stream: number): number {
  let z = (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(stream + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The independent random streams one simulator uses. */
export interface SimRandom {
  ids: Rng;
  text: Rng;
  latency: Rng;
  faults: Rng;
}

export function createSimRandom(seed: number): SimRandom {
  return {
    ids: new Rng(deriveSeed(seed, 1)),
    text: new Rng(deriveSeed(seed, 2)),
    latency: new Rng(deriveSeed(seed, 3)),
    faults: new Rng(deriveSeed(seed, 4)),
  };
}
