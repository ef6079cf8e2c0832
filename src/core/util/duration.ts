// "500ms" / "30s" / "5m" / "1h" / a number of seconds -> milliseconds.
const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value * 1000;
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value);
    if (m && Number(m[1]) > 0) return Number(m[1]) * (units[m[2] as string] as number);
  }
  throw new DurationError(
    `${field} must be a duration such as "30s", "5m" or "500ms" (got ${JSON.stringify(value)})`,
    field,
  );
}

export class DurationError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'DurationError';
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)}m`;
  return `${+(ms / 3_600_000).toFixed(2)}h`;
}
