// Seeded PRNG for the simulator. Each concern (ids, reply text, latency, faults) gets its own stream
// derived from the one seed, so changing the latency preset does not change reply texts or ids.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** mulberry32: tiny, fast and good enough for simulation (not for cryptography). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Normal variate (Box-Muller, one of the pair). */
  normal(mean: number, sd: number): number {
    if (sd <= 0) return mean;
    const u = Math.max(this.next(), Number.EPSILON);
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
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
