// The sweep's pure parts: Wilson intervals, SLO parsing, the knee, steady rise, max sustainable rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestSample } from '../../src/core/index';
import {
  bindingOf,
  kneeOf,
  maxSustainable,
  parseSlo,
  risingSteadily,
  wilsonInterval,
  type SweepStep,
} from '../../src/core/sweep/index';

test('Wilson interval: textbook values, and 3 of 75 fails a 1 % bound while 2 of 75 does not', () => {
  const w = wilsonInterval(10, 100);
  assert.ok(Math.abs(w.low - 0.0552) < 5e-4 && Math.abs(w.high - 0.1744) < 5e-4, JSON.stringify(w));
  assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
  assert.ok(wilsonInterval(3, 75).low > 0.01);
  assert.ok(wilsonInterval(2, 75).low < 0.01);
});

test('SLO: defaults always present, --slo adds bounds, a later bound on the same metric replaces', () => {
  const b = parseSlo(['latency.p95<8000, ttft.p99<=2000', 'errors.rate<0.05']);
  assert.deepEqual(
    b.map((x) => x.expr),
    ['errors.rate<0.05', 'rateLimited.rate<0.01', 'latency.p95<8000', 'ttft.p99<=2000'],
  );
  const lat = b[2]!;
  assert.ok(Math.abs(lat.allowed - 0.05) < 1e-12 && lat.over === 'ok');
  const s = { outcome: 'ok', intendedAt: 0, sentAt: 10, endAt: 8000 } as RequestSample;
  assert.equal(lat.violates(s), true); // 8000 is not < 8000
  assert.throws(() => parseSlo(['bogus.p95<1']), /--slo: unknown metric/);
  assert.throws(() => parseSlo(['errors.rate<2']), /between 0 and 1/);
  assert.throws(() => parseSlo(['throughput.rps>5']), /cannot be judged request by request/);
});

test('knee: where output stops growing with offered rate', () => {
  const pts = [1, 2, 3, 4, 5, 6].map((x) => ({ x, y: Math.min(x, 3) * 100 }));
  assert.equal(kneeOf(pts), 3);
  assert.equal(kneeOf(pts.slice(0, 2)), null);
});

test('steady rise needs a strong trend ending 1.5x higher; noise and flat lines are not', () => {
  assert.equal(risingSteadily([1, 2, 3, 4, 5, 6, 7, 8], 0), true);
  assert.equal(risingSteadily([5, 5, 5, 5, 5, 5], 0), false);
  assert.equal(risingSteadily([5, 9, 4, 8, 5, 9, 4, 6], 0), false);
  assert.equal(risingSteadily([1, 2, 3], 0), false);
});

test('max sustainable rate: highest pass below the lowest fail, with the interval', () => {
  const step = (offeredRps: number | null, pass: boolean) => ({ offeredRps, pass }) as SweepStep;
  assert.deepEqual(
    maxSustainable([step(null, true), step(1, true), step(4, false), step(2, true), step(3, false)]),
    {
      rps: 2,
      interval: { lowRps: 2, highRps: 3 },
    },
  );
  // A pass above a failing rate (noise) does not count.
  assert.equal(maxSustainable([step(1, true), step(2, false), step(3, true)]).rps, 1);
  assert.deepEqual(maxSustainable([step(1, false)]), { rps: null, interval: { lowRps: 0, highRps: 1 } });
});

test('what binds: read from the lowest failing step', () => {
  const v = (expr: string, verdict: 'pass' | 'fail') => ({
    expr,
    value: 0,
    interval: null,
    allowed: 0,
    verdict,
    marginal: false,
  });
  const step = (
    offeredRps: number,
    pass: boolean,
    slo: ReturnType<typeof v>[],
    extra: Partial<SweepStep> = {},
  ) =>
    ({
      offeredRps,
      pass,
      slo,
      rateLimitedRate: 0,
      otherErrorsRate: 0,
      rateLimitedBy: [],
      overSaturated: { inFlight: false, ttft: false },
      ...extra,
    }) as unknown as SweepStep;
  const ok = [
    v('errors.rate<0.01', 'pass'),
    v('rateLimited.rate<0.01', 'pass'),
    v('latency.p95<800', 'pass'),
  ];
  const latencyFails = [
    v('errors.rate<0.01', 'pass'),
    v('rateLimited.rate<0.01', 'pass'),
    v('latency.p95<800', 'fail'),
  ];
  assert.deepEqual(bindingOf([step(1, true, ok), step(2, false, latencyFails)]), {
    kind: 'latency',
    expr: 'latency.p95<800',
  });
  const rl = [
    v('errors.rate<0.01', 'fail'),
    v('rateLimited.rate<0.01', 'fail'),
    v('latency.p95<800', 'pass'),
  ];
  assert.deepEqual(
    bindingOf([
      step(3, false, latencyFails),
      step(2, false, rl, {
        rateLimitedRate: 0.2,
        rateLimitedBy: [{ bucket: 'b', limit: 'input_tokens', count: 9, share: 0.2 }],
      }),
    ]),
    { kind: 'rate-limit', bucket: 'b', limit: 'input_tokens' },
  );
  const errs = [v('errors.rate<0.01', 'fail'), v('rateLimited.rate<0.01', 'pass')];
  assert.deepEqual(bindingOf([step(2, false, errs, { otherErrorsRate: 0.1 })]), {
    kind: 'errors',
    expr: 'errors.rate<0.01',
  });
  assert.deepEqual(bindingOf([step(2, true, ok)]), { kind: 'none' });
});
