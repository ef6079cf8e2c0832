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
