// Bounded-memory percentiles: an HDR histogram (3 significant digits) wrapped for millisecond values.
import * as hdr from 'hdr-histogram-js';
import { JsHistogram, type Histogram } from 'hdr-histogram-js';

/** Percentile summary of one metric. Values are in the metric's unit (ms for times). */
export interface PercentileSummary {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  min: number;
  mean: number;
}

export const emptySummary: PercentileSummary = Object.freeze({
  count: 0,
  p50: 0,
  p90: 0,
  p95: 0,
  p99: 0,
  p999: 0,
  max: 0,
  min: 0,
  mean: 0,
});

/**
 * A histogram of non-negative values kept as integers of `1/scale` units: scale 1000 stores
 * milliseconds as microseconds, so sub-millisecond values keep 3 significant digits.
 */
export class MetricHistogram {
  private readonly h: Histogram;

  constructor(
    readonly scale = 1000,
    from?: Histogram,
  ) {
    this.h = from ?? hdr.build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, autoResize: true });
  }

  record(value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) return;
    // 0 is recordable; tiny values round to 0, which the histogram accepts.
    this.h.recordValue(Math.round(value * this.scale));
  }

  get count(): number {
    return this.h.totalCount;
  }

  percentile(p: number): number {
    return this.h.totalCount === 0
      ? 0
      : Math.min(this.h.getValueAtPercentile(p), this.h.maxValue) / this.scale;
  }

  summary(): PercentileSummary {
    const h = this.h;
    if (h.totalCount === 0) return { ...emptySummary };
    // HDR answers with a bucket's highest equivalent value, which can exceed the exact max: clamp.
    const max = h.maxValue;
    const at = (p: number) => Math.min(h.getValueAtPercentile(p), max) / this.scale;
    return {
      count: h.totalCount,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: max / this.scale,
      min: h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue / this.scale,
      mean: h.mean / this.scale,
    };
  }

  add(other: MetricHistogram): void {
    this.h.add(other.h);
  }

  reset(): void {
    this.h.reset();
  }

  /** Compressed base64 (the HdrHistogram interchange format) for saving in run.json. */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }

  static decode(encoded: string, scale = 1000): MetricHistogram {
    return new MetricHistogram(scale, hdr.decodeFromCompressedBase64(encoded, 32));
  }

  /** Buckets for a latency histogram chart: [upper bound in unit, count] over log-spaced bins. */
  distribution(bins = 40): { le: number; count: number }[] {
    const h = this.h;
    if (h.totalCount === 0) return [];
    const min = Math.max(1, h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 1 : h.minNonZeroValue);
    const max = Math.max(min + 1, h.maxValue);
    const ratio = Math.pow(max / min, 1 / bins);
    const out: { le: number; count: number }[] = [];
    const counts = new Array<number>(bins).fill(0);
    const zeroCount = h.totalCount - countNonZero(h);
    for (const [value, count] of recordedValues(h)) {
      if (value <= 0) continue;
      const idx = Math.min(bins - 1, Math.max(0, Math.floor(Math.log(value / min) / Math.log(ratio))));
      counts[idx] = (counts[idx] ?? 0) + count;
    }
    if (zeroCount > 0) counts[0] = (counts[0] ?? 0) + zeroCount;
    for (let i = 0; i < bins; i++)
      out.push({ le: (min * Math.pow(ratio, i + 1)) / this.scale, count: counts[i] ?? 0 });
    return out;
  }
}

function countNonZero(h: Histogram): number {
  let n = 0;
  for (const [v, c] of recordedValues(h)) if (v > 0) n += c;
  return n;
}

/** Iterates [value, count] over every recorded bucket (exact, not sampled). */
function* recordedValues(h: Histogram): Generator<[number, number]> {
  // build() gives the pure-JS histogram (WebAssembly is never initialised here); its public
  // recordedValuesIterator walks every bucket exactly.
  if (!(h instanceof JsHistogram)) throw new TypeError('expected a JsHistogram');
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    yield [v.valueIteratedTo, v.countAddedInThisIterationStep];
  }
}
