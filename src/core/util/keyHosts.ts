// Where an API key may be sent. Shared by the CLI (--base-url / --allow-host / CLAUDE_LOAD_ALLOWED_HOSTS)
// and the extension (hosts the user approved): a plan file is shared and committed, so the host it
// names must not receive a key nobody agreed to send there.
export const anthropicApiOrigin = 'https://api.anthropic.com';

export type KeyHostVerdict =
  | { kind: 'trusted'; origin: string }
  /** Never send (not a valid http(s) URL, or plain http to api.anthropic.com). */
  | { kind: 'refused'; reason: string }
  /** Not allowed yet: ask the user (extension) or refuse with how to allow it (CLI). */
  | { kind: 'unlisted'; origin: string; host: string };

/** scheme://host[:port] of an http(s) URL (default ports dropped, as URL.origin does), else undefined. */
export function httpOrigin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a key may go to `baseUrl`. `allowed` holds origins ("https://gw.example:8443": scheme, host
 * and port must all match) or bare hosts ("gw.example", "gw.example:8443": any scheme).
 */
export function judgeKeyHost(baseUrl: string, allowed: readonly string[] = []): KeyHostVerdict {
  const origin = httpOrigin(baseUrl);
  if (!origin) return { kind: 'refused', reason: `${baseUrl} is not an http(s) URL` };
  const u = new URL(origin);
  if (origin === anthropicApiOrigin) return { kind: 'trusted', origin };
  if (u.hostname === 'api.anthropic.com')
    return { kind: 'refused', reason: `${origin} is not encrypted: use ${anthropicApiOrigin}` };
  for (const entry of allowed) {
    const e = entry.trim().toLowerCase();
    if (!e) continue;
    if (e.includes('://') ? httpOrigin(e) === origin : e === u.host || e === u.hostname)
      return { kind: 'trusted', origin };
  }
  return { kind: 'unlisted', origin, host: u.host };
}
