// Value parsers for commander options. Each message names the flag the user typed and says what to
// write instead; none mentions an internal field.
import { DurationError, parseDuration } from '../core/util/duration';
import { CliError } from './cliError';

/** Parses a number; "must be > 0" for zero or negatives, not a parser complaint. */
export function numberFlag(
  flag: string,
  opts: { int?: boolean; min?: number; exclusiveMin?: boolean; max?: number } = {},
): (text: string) => number {
  const min = opts.min ?? 0;
  const exclusive = opts.exclusiveMin ?? true;
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n))
      throw new CliError(`${flag} must be ${opts.int ? 'an integer' : 'a number'} (got "${text}")`);
    if (exclusive ? n <= min : n < min)
      throw new CliError(`${flag} must be ${exclusive ? '>' : '>='} ${min} (got "${text}")`);
    if (!Number.isFinite(n)) throw new CliError(`${flag} must be a finite number (got "${text}")`);
    if (opts.max !== undefined && n > opts.max)
      throw new CliError(`${flag} must be <= ${opts.max} (got "${text}")`);
    if (opts.int && !Number.isInteger(n))
      throw new CliError(`${flag} must be a whole number (got "${text}")`);
    return n;
  };
}

/** A fraction 0..1. */
export function fractionFlag(flag: string): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
      throw new CliError(`${flag} must be a number between 0 and 1 (got "${text}")`);
    return n;
  };
}

/** A duration such as 30s or 5m; kept as the text the plan file format takes. */
export function durationFlag(flag: string): (text: string) => string {
  return (text) => {
    try {
      parseDuration(text, flag);
    } catch (e) {
      if (!(e instanceof DurationError)) throw e;
      throw new CliError(`${flag}: use a number with a unit, e.g. 30s, 5m (got "${text}")`);
    }
    return text;
  };
}

/** An http(s) URL; a missing scheme is named as such. */
export function urlFlag(flag: string): (text: string) => string {
  return (text) => {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      const looksHostPort = /^[\w.-]+(:\d+)?(\/.*)?$/.test(text) || /^[\w.-]+:\d+/.test(text);
      throw new CliError(
        looksHostPort
          ? `${flag}: the scheme is missing: write http://${text} (or https://${text})`
          : `${flag} must be an http:// or https:// URL (got "${text}")`,
      );
    }
    return text;
  };
}

/** For repeatable options: collects every value. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Restates a core message about `field` in terms of the flag the user typed:
 * "tier: unknown tier" -> "--tier: unknown tier", "load.rps must be > 0" -> "--rate must be > 0".
 */
export function withFlag(flag: string, field: string, message: string): string {
  if (field && message.startsWith(`${field}: `)) return `${flag}: ${message.slice(field.length + 2)}`;
  if (field && message.startsWith(field)) return flag + message.slice(field.length);
  return `${flag}: ${message}`;
}
