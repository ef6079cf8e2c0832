// A small seeded PRNG (mulberry32) so prompt choice, mixes and Poisson arrivals repeat under a seed.
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normal variate (Box-Muller). */
export function normal(random: Random, mean: number, sd: number): number {
  if (sd <= 0) return mean;
  const u = Math.max(random(), Number.EPSILON);
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Exponential variate with the given mean (inter-arrival times of a Poisson process). */
export function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The seeded PRNG with the helpers the simulator needs (integers, normals, jitter, ids). */
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
