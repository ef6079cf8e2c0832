// The open-loop timer of the benches' bare loops, the same as the engine's: one timer per send,
// rounded up to whole ms and re-checked against the clock (timers can fire early).
import { performance } from 'node:perf_hooks';

/** Resolves at or after `due` (performance.now() ms). */
export async function sleepUntil(due: number): Promise<void> {
  for (;;) {
    const wait = due - performance.now();
    if (wait <= 0) return;
    await new Promise((r) => setTimeout(r, Math.ceil(wait)));
  }
}
