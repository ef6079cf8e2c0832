// Slow clients are timed out and connections are capped (issue #9.2). Real sockets, wide bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { SimulatorConfigError, startSimulator } from '../../src/core/index';
import { sdk, userMessage } from './simHelpers';

/** Resolves with what the server wrote and the ms until it closed the socket. */
function untilClosed(socket: Socket, t0: number): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ text, ms: performance.now() - t0 }));
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

test('a client that never finishes its headers or its body is cut off; the server keeps serving', async () => {
  const sim = await startSimulator({ latency: 'zero', headersTimeoutMs: 300, requestTimeoutMs: 600 });
  try {
    const t0 = performance.now();
    const slowHeaders = await open(sim.port);
    slowHeaders.write('POST /v1/messages HTTP/1.1\r\nHost: x\r\n');
    const slowBody = await open(sim.port);
    slowBody.write(
      'POST /v1/messages HTTP/1.1\r\nHost: x\r\nauthorization: Bearer k\r\nanthropic-version: 2026-10-21\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"mo',
    );
    const [a, b] = await Promise.all([untilClosed(slowHeaders, t0), untilClosed(slowBody, t0)]);
    assert.match(a.text, /^HTTP\/1\.1 408/);
    assert.match(b.text, /^HTTP\/1\.1 408/);
    assert.ok(a.ms < 10_000 && b.ms < 10_000, `closed after ${a.ms.toFixed(0)} / ${b.ms.toFixed(0)} ms`);
    const m = await sdk(sim).messages.create(userMessage('Respond with exactly: OK'));
    assert.equal(m.stop_reason, 'end_turn');
  } finally {
    await sim.close();
  }
});

test('connections above maxConnections are refused', async () => {
  const sim = await startSimulator({ latency: 'zero', maxConnections: 2 });
  const sockets: Socket[] = [];
  try {
    sockets.push(await open(sim.port), await open(sim.port));
    const t0 = performance.now();
    const third = await open(sim.port);
    sockets.push(third);
    const closed = await untilClosed(third, t0);
    assert.equal(closed.text, '', 'dropped without an answer');
  } finally {
    for (const s of sockets) s.destroy();
    await sim.close();
  }
});

test('timeout options are validated', async () => {
  await assert.rejects(
    startSimulator({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }),
    SimulatorConfigError,
  );
  await assert.rejects(startSimulator({ maxConnections: 0 }), /maxConnections must be a positive integer/);
});
