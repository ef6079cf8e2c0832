// Faults on demand: a seeded draw per admitted request picks at most one fault by its rate.
import type { Rng } from '../util/random';

export type FaultKind = '529' | '500' | 'stream-error' | 'disconnect';

export const FAULT_KINDS: readonly FaultKind[] = ['529', '500', 'stream-error', 'disconnect'];

export type FaultRates = Partial<Record<FaultKind, number>>;

export class FaultInjector {
  private readonly kinds: FaultKind[] = [];
  private readonly cumulative: number[] = [];
  readonly enabled: boolean;

  constructor(
    rates: FaultRates,
    private readonly rng: Rng,
  ) {
    let sum = 0;
    for (const kind of FAULT_KINDS) {
      const r = rates[kind] ?? 0;
      if (r <= 0) continue;
      sum += r;
      this.kinds.push(kind);
      this.cumulative.push(sum);
    }
    if (sum > 1) throw new RangeError(`fault rates add up to ${sum}; they must total at most 1`);
    this.enabled = this.kinds.length > 0;
  }

  /** The fault for the next request, or null. Draws only when faults are configured. */
  pick(): FaultKind | null {
    if (!this.enabled) return null;
    const u = this.rng.next();
    for (let i = 0; i < this.cumulative.length; i++) if (u < this.cumulative[i]!) return this.kinds[i]!;
    return null;
  }

  /** A position in [0, n) for a mid-stream fault. */
  position(n: number): number {
    return n <= 1 ? 0 : this.rng.int(n);
  }
}
