// What the sweep charts draw, from the steps so far: rated steps in offered-rate order, SLO reference
// lines, and the knee / max-sustainable / binding markers. Pure (no DOM, no Chart.js).
import type { SweepStep } from '../../src/core/browser';

export type RatedStep = SweepStep & { offeredRps: number };
export interface Point {
  x: number;
  y: number;
}

/** Steps with an offered rate (not the closed-loop baseline), by offered rate: auto mode probes out of order. */
export function ratedSteps(steps: readonly SweepStep[]): RatedStep[] {
  return steps
    .filter((s): s is RatedStep => s.offeredRps !== null)
    .sort((a, b) => a.offeredRps - b.offeredRps || a.index - b.index);
}

/** Upper bounds of latency-type SLOs on one metric, e.g. `latency.p95<8000` -> { stat: 'p95', ms: 8000 }. */
export function sloBounds(
  slo: readonly string[],
  metric: 'latency' | 'ttft',
): { expr: string; ms: number }[] {
  const out: { expr: string; ms: number }[] = [];
  for (const expr of slo) {
    const m = /^\s*([a-zA-Z]+)\.(p50|p90|p95|p99|p999|max|mean)\s*<=?\s*(\d+(?:\.\d+)?)\s*$/.exec(expr);
    if (m && m[1] === metric) out.push({ expr: expr.trim(), ms: Number(m[3]) });
  }
  return out;
}

/** A horizontal line across the rated range (empty without steps). */
export function hLine(steps: readonly RatedStep[], y: number): Point[] {
  if (steps.length === 0) return [];
  return [
    { x: steps[0]!.offeredRps, y },
    { x: steps[steps.length - 1]!.offeredRps, y },
  ];
}

/** A vertical line at x from 0 to top (empty when x is unknown). */
export function vLine(x: number | null | undefined, top: number): Point[] {
  if (x === null || x === undefined || !(top > 0)) return [];
  return [
    { x, y: 0 },
    { x, y: top },
  ];
}

/** Top of a chart's y range for its markers: the highest value drawn, at least `floor`. */
export function topOf(values: readonly number[], floor = 0): number {
  return Math.max(floor, ...values.filter((v) => Number.isFinite(v)));
}
