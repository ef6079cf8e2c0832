// Checks for the Find Max Throughput quick inputs. Pure (no vscode), so they are unit-tested: each
// returns undefined when the text is fine, else a message that names the field and how to fix it.
import { parseSlo } from '../../core/sweep/slo';
import { parseDuration } from '../../core/util/duration';

/** The SLO on top of the defaults (errors.rate<0.01, rateLimited.rate<0.01); empty keeps the defaults. */
export function checkSlo(text: string): string | undefined {
  try {
    parseSlo(text.trim() ? [text] : [], 'SLO');
    return undefined;
  } catch (e) {
    return (e as Error).message.startsWith('SLO') ? (e as Error).message : `SLO: ${(e as Error).message}`;
  }
}

/** Milliseconds of a step length or warm-up ("30s", "2m"; warm-up may be 0), or a message naming the field. */
export function parseSweepDuration(
  text: string,
  field: 'Step length' | 'Warm-up',
): { ms: number } | { error: string } {
  if (field === 'Warm-up' && /^\s*0\s*(ms|s|m|h)?\s*$/.test(text)) return { ms: 0 };
  let ms: number;
  try {
    ms = parseDuration(text, field);
  } catch {
    return { error: `${field}: use a number with a unit, e.g. 30s or 2m (got "${text}")` };
  }
  if (ms > 3_600_000) return { error: `${field}: at most 1h (got "${text}")` };
  if (field === 'Step length' && ms < 1000) return { error: `${field}: at least 1s, so each step has data` };
  return { ms };
}

export function checkSweepDuration(text: string, field: 'Step length' | 'Warm-up'): string | undefined {
  const r = parseSweepDuration(text, field);
  return 'error' in r ? r.error : undefined;
}

/** Fixed rates: positive numbers, comma-separated, in req/s. */
export function parseRates(text: string): number[] | { error: string } {
  const parts = text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const rates = parts.map(Number);
  if (parts.length === 0 || rates.some((r) => !(r > 0) || !Number.isFinite(r)))
    return {
      error: `Rates: positive numbers of requests per second separated by commas, e.g. 1,2,5 (got "${text}")`,
    };
  return rates;
}

export function checkRates(text: string): string | undefined {
  const r = parseRates(text);
  return Array.isArray(r) ? undefined : r.error;
}
