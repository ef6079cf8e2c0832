// Latency model: TTFT grows with the uncached prompt, output streams at the model's tokens/s, both
// with seeded lognormal jitter. `fast` runs the same profile 20x faster, `zero` adds no delay at all.
// Every delay is divided by the time scale.
import type { SpeedProfile } from '../catalog/index';
import type { Rng } from '../util/random';

export type LatencyPreset = 'realistic' | 'fast' | 'zero';

export const LATENCY_PRESETS: readonly LatencyPreset[] = ['realistic', 'fast', 'zero'];

const PRESET_FACTOR: Record<LatencyPreset, number> = { realistic: 1, fast: 1 / 20, zero: 0 };

/** Jitter of TTFT (sigma of the lognormal factor: about +-20 %). */
const TTFT_SIGMA = 0.2;
/** Jitter of the per-stream output speed. */
const SPEED_SIGMA = 0.15;
/** Cache reads are prefilled ~10x cheaper than fresh input. */
const CACHED_PREFILL_SHARE = 0.1;
/** message_start is sent after this share of TTFT (time to first byte < TTFT, as with the API). */
const HEAD_SHARE = 0.2;

export interface Timing {
  /** Real ms from admission to the message_start event (streaming) . */
  headMs: number;
  /** Real ms from admission to the first text delta. */
  ttftMs: number;
  /** Real ms per output token. */
  msPerToken: number;
}

export const ZERO_TIMING: Timing = { headMs: 0, ttftMs: 0, msPerToken: 0 };

export function planTiming(
  preset: LatencyPreset,
  speed: SpeedProfile,
  freshInputTokens: number,
  cachedInputTokens: number,
  rng: Rng,
  timeScale: number,
): Timing {
  const factor = PRESET_FACTOR[preset];
  if (factor === 0) return ZERO_TIMING;
  const k = factor / timeScale;
  const prefill = freshInputTokens + cachedInputTokens * CACHED_PREFILL_SHARE;
  const ttft = (speed.ttftMs + (speed.ttftMsPer1kInput * prefill) / 1000) * rng.jitter(TTFT_SIGMA) * k;
  const msPerToken = (1000 / speed.outputTokensPerSec) * rng.jitter(SPEED_SIGMA) * k;
  return { headMs: ttft * HEAD_SHARE, ttftMs: ttft, msPerToken };
}
