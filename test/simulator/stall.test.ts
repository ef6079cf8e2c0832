// Regression test for the stalls of streamed requests at high rates with --simulate: the simulator
// shared the generator's event loop, and while that loop was saturated it could not accept()
// connections; the kernel's listen queue overflowed (nstat: 53,313 ListenOverflows and 35,589 SYN
// retransmits in one 15 s run at 1,000 streamed req/s) and the client's SYNs were retried after
// 1, 3, 7, 15 s: requests stalled for seconds, then timed out. The simulator now runs in a worker
// thread: it accepts and serves while the generator's thread is busy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startSimulatorInWorker } from '../../src/core/simulator/workerHost';
import { startSimulator } from '../../src/core/simulator/index';

/** A separate process opens 20 connections and streams one reply on each; exit 0 when all completed. */
function clientScript(url: string): string {
  return `
    const body = JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 16, stream: true,
      messages: [{ role: 'user', content: 'Respond with exactly: OK' }] });
    const one = () => fetch('${url}/v1/messages', { method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' } })
      .then((r) => r.text()).then((t) => { if (!t.includes('message_stop')) throw new Error('no message_stop'); });
    Promise.all(Array.from({ length: 20 }, one)).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
  `;
}

/** Runs the client while this thread's event loop is blocked (spawnSync) for up to `timeoutMs`. */
function clientWhileBlocked(url: string, timeoutMs: number): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, ['-e', clientScript(url)], { timeout: timeoutMs, encoding: 'utf8' });
}

test('the worker simulator accepts and streams while the generator thread is blocked', async () => {
  const sim = await startSimulatorInWorker({ latency: 'fast', tier: 'scale' });
  try {
    const r = clientWhileBlocked(sim.url, 30_000);
    assert.equal(r.status, 0, `client: ${r.stderr || r.error}`);
  } finally {
    await sim.close();
  }
});

test('in-process, the same client gets nothing while the thread is blocked (why the worker is the default)', async () => {
  const sim = await startSimulator({ latency: 'fast', tier: 'scale' });
  try {
    const r = clientWhileBlocked(sim.url, 1500);
    assert.notEqual(r.status, 0, 'an in-process simulator cannot answer while its event loop is blocked');
  } finally {
    await sim.close();
  }
});
