// The report's words and numbers that were wrong (#9 item 18): tiny costs, long timeouts, the Errors table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtDuration, fmtUsd } from '../../src/core/format/format';
import { errorRows } from '../../webview/report/errorRows';

test('costs below a cent keep their significant digits ($0.000075, not $0.0000)', () => {
  assert.equal(fmtUsd(0.000075), '$0.000075');
  assert.equal(fmtUsd(0.0000001234), '$0.0000001234');
  assert.equal(fmtUsd(0.0123), '$0.0123');
  assert.equal(fmtUsd(12.5), '$12.50');
  assert.equal(fmtUsd(0), '$0.00');
});

test('durations in whole minutes and hours read "10 min", "2 h" (a timeout of 600,000 ms is 10 min)', () => {
  assert.equal(fmtDuration(600_000 / 1000), '10 min');
  assert.equal(fmtDuration(7200), '2 h');
  assert.equal(fmtDuration(185), '3 min 05 s');
  assert.equal(fmtDuration(3720), '1 h 02 min');
  assert.equal(fmtDuration(45.2), '45.2 s');
});

test('the Errors section is one table: 429s by limit, then other errors by message, none counted twice', () => {
  const rows = errorRows({
    rateLimitedBy: [{ bucket: 'sonnet-5-5', limit: 'requests', count: 7 }],
    errorsByMessage: [
      { outcome: 'rate_limited', message: 'Number of requests has exceeded your rate limit', count: 7 },
      { outcome: 'overloaded', message: 'Overloaded', count: 2 },
    ],
  });
  assert.deepEqual(
    rows.map((r) => [r.outcome, r.detail, r.count]),
    [
      ['rate_limited', 'bucket sonnet-5-5, requests limit', 7],
      ['overloaded', 'Overloaded', 2],
    ],
  );
});
