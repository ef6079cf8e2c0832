// Paced streams: message_start before TTFT, first text delta at TTFT, output at the model's speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raw, withSim } from './simHelpers';
import type { SimulatorHandle } from '../../src/core/index';

/** Times (ms after sending) of message_start, the first text delta and the end of the stream. */
async function timeStream(sim: SimulatorHandle, body: unknown) {
  const t0 = performance.now();
  const res = await raw(sim, '/v1/messages', body);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let start = -1;
  let first = -1;
  let writes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    writes++;
    text += decoder.decode(value, { stream: true });
    const now = performance.now() - t0;
    if (start < 0 && text.includes('event: message_start')) start = now;
    if (first < 0 && text.includes('event: content_block_delta')) first = now;
  }
  const tokens = Number(/"output_tokens":(\d+)}}\n\nevent: message_stop/.exec(text)?.[1]);
  return { start, first, end: performance.now() - t0, tokens, writes };
}

test('realistic latency at time scale 10: TTFT ~80 ms for Sonnet, then ~70 tokens/s (scaled)', async () => {
  await withSim({ latency: 'realistic', timeScale: 10, replyTokens: { mean: 60, sd: 0 } }, async (sim) => {
    const body = {
      model: 'claude-sonnet-5-5',
      max_tokens: 1000,
      stream: true,
      messages: [{ role: 'user', content: 'hello' }],
    };
    const t = await timeStream(sim, body);
    assert.equal(t.tokens, 60);
    assert.ok(t.start <= t.first, 'message_start arrives no later than the first token');
    assert.ok(t.first > 40 && t.first < 3000, `TTFT ${t.first.toFixed(1)} ms`);
    // 59 more tokens at 700 tokens/s (scaled) is ~84 ms, +-jitter. Only totals from the send time are
    // bounded below: on a busy box a late first read would shrink (end - first).
    assert.ok(t.end > 90 && t.end < 3000, `stream took ${t.end.toFixed(1)} ms`);
    // On a loaded box the client coalesces reads; more than one read still shows the stream is paced.
    assert.ok(t.writes >= 2, `paced in ${t.writes} reads`);

    // A 100k-token prompt adds 15 ms per 1k tokens of prefill: +150 ms at this scale.
    const big = await timeStream(sim, {
      ...body,
      messages: [{ role: 'user', content: 'x'.repeat(330_000) }],
    });
    // (800 + 1,485) ms / 10 = ~230 ms, +-jitter: far above the short prompt's ~80 ms.
    assert.ok(big.first > 130, `long prompt TTFT ${big.first.toFixed(1)} vs ${t.first.toFixed(1)}`);
  });
});

test('zero latency writes the whole stream at once', async () => {
  await withSim({ latency: 'zero' }, async (sim) => {
    const t = await timeStream(sim, {
      model: 'claude-opus-5-5',
      max_tokens: 300,
      stream: true,
      messages: [{ role: 'user', content: 'hello' }],
    });
    assert.ok(t.end < 100, `${t.end} ms`);
    assert.ok(t.tokens > 0);
  });
});
