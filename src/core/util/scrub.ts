// The one place secrets are removed from text that is written or printed (run.json, report.html, CSV,
// terminal output, logs). Exact key values are removed too: a gateway key such as `gw-…` has no
// recognisable shape, and a server may echo it back in an error message.
const anthropicKeyShape = /sk-ant-[A-Za-z0-9_-]+/g;

/** Shorter values are not treated as secrets: masking "a" everywhere would destroy the text. */
const minSecretLength = 8;

/** `text` without anything shaped like an Anthropic key and without any of `secrets` (exact values). */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(anthropicKeyShape, 'sk-ant-***');
  for (const secret of secrets) {
    if (!secret || secret.length < minSecretLength) continue;
    out = out.split(secret).join('***');
    // The same value as it appears inside a JSON string (run.json, the HTML's embedded data).
    const inJson = JSON.stringify(secret).slice(1, -1);
    if (inJson !== secret) out = out.split(inJson).join('***');
  }
  return out;
}
