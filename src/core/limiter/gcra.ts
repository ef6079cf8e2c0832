// The rate-limit arithmetic shared by the in-process store and the Redis Lua script (gcra.lua.ts
// mirrors it line by line). GCRA form of a continuously refilled token bucket, one per dimension
// (requests, input tokens, output tokens):
//   rate r = limit x timeScale / 60,000 per ms; capacity = burstSeconds x limit / 60;
//   tau = capacity / r = burstSeconds x 1,000 / timeScale ms (the same for every dimension);
//   TAT = the time at which the dimension's bucket is full again (level = capacity - (TAT - now) x r).
// A request of costs c_d is sent at  s = max(now, pauseUntil, max_d(TAT_d + min(c_d, cap_d) / r_d - tau))
// and every dimension is debited at s:  TAT_d = max(TAT_d, s) + c_d / r_d.
// Debiting at s (not at now) is what keeps a request that waits on one dimension from collecting
// refill on the others: for any window [a, b] the costs sent in it stay <= capacity + r x (b - a).
// The wait is returned with the reservation, so an acquire is one round trip even under contention.

export const DIM_COUNT = 3;

export interface GcraParams {
  /** Per-minute limits [rpm, itpm, otpm]; 0 = not limited. */
  limits: readonly [number, number, number];
  burstSeconds: number;
  timeScale: number;
}

export interface GcraState {
  tat: [number, number, number];
  pauseUntil: number;
}

export function newState(): GcraState {
  return { tat: [0, 0, 0], pauseUntil: 0 };
}

export function tauMs(p: GcraParams): number {
  return (p.burstSeconds * 1000) / p.timeScale;
}

export function ratePerMs(limit: number, p: GcraParams): number {
  return (limit * p.timeScale) / 60_000;
}

/** Reserves `costs` and returns the send time (>= now). */
export function reserve(st: GcraState, p: GcraParams, costs: readonly number[], now: number): number {
  const tau = tauMs(p);
  let send = now > st.pauseUntil ? now : st.pauseUntil;
  for (let d = 0; d < DIM_COUNT; d++) {
    const limit = p.limits[d]!;
    const c = costs[d]!;
    if (limit <= 0 || c <= 0) continue;
    const r = ratePerMs(limit, p);
    const cap = (limit * p.burstSeconds) / 60;
    // A request larger than the bucket waits for a full bucket and goes into debt.
    const t = st.tat[d]! + (c < cap ? c : cap) / r - tau;
    if (t > send) send = t;
  }
  for (let d = 0; d < DIM_COUNT; d++) {
    const limit = p.limits[d]!;
    const c = costs[d]!;
    if (limit <= 0 || c <= 0) continue;
    const base = st.tat[d]! > send ? st.tat[d]! : send;
    st.tat[d] = base + c / ratePerMs(limit, p);
  }
  return send;
}

/** Adds (debt) or gives back (credit) tokens: `deltas` = actual - reserved per dimension. */
export function adjust(st: GcraState, p: GcraParams, deltas: readonly number[], now: number): void {
  for (let d = 0; d < DIM_COUNT; d++) {
    const limit = p.limits[d]!;
    const delta = deltas[d]!;
    if (limit <= 0 || delta === 0) continue;
    const base = st.tat[d]! > now ? st.tat[d]! : now;
    const next = base + delta / ratePerMs(limit, p);
    // Never fuller than full.
    st.tat[d] = next > now ? next : now;
  }
}

/** Lowers levels to the server's view: `deficits` = tokens below full per dimension (never raises). */
export function syncDeficits(st: GcraState, p: GcraParams, deficits: readonly number[], now: number): void {
  for (let d = 0; d < DIM_COUNT; d++) {
    const limit = p.limits[d]!;
    const deficit = deficits[d]!;
    if (limit <= 0 || !(deficit > 0)) continue;
    const t = now + deficit / ratePerMs(limit, p);
    if (t > st.tat[d]!) st.tat[d] = t;
  }
}

export function pauseFor(st: GcraState, ms: number, now: number): void {
  if (now + ms > st.pauseUntil) st.pauseUntil = now + ms;
}

/** Current level of a dimension (tokens available now), for stats and tests. */
export function levelOf(st: GcraState, p: GcraParams, d: number, now: number): number {
  const limit = p.limits[d]!;
  const cap = (limit * p.burstSeconds) / 60;
  const behind = st.tat[d]! - now;
  return behind > 0 ? cap - behind * ratePerMs(limit, p) : cap;
}
