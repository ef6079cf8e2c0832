// compare marks a real change significant and identical configs not; merge of parallel runs equals a
// single run over the union of their requests (exact histograms, summed totals). Real runs: the SDK
// against the in-process simulator on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testIo } from '../cli/harness';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCommand, mergeCommand } from '../../src/cli/commands/compare';
import { CliError } from '../../src/cli/cliError';
import {
  MetricHistogram,
  parseScenario,
  reportHooks,
  serializeRun,
  startLoadTest,
  type RequestSample,
  type RunResult,
} from '../../src/core/index';
import { compare, mergeRuns, percentileSpectrum } from '../../src/core/compare/index';

function scenario(maxTokens: number, name = 'cmp') {
  return parseScenario({
    name,
    target: { simulator: { tier: 'scale', latency: 'realistic', timeScale: 5 } },
    model: 'claude-haiku-4-5',
    prompts: { type: 'synthetic', inputTokens: 100 },
    maxTokens,
    stream: true,
    load: { type: 'rate', rps: 15 },
    duration: '3s',
  });
}

async function run(maxTokens: number, name?: string): Promise<{ run: RunResult; samples: RequestSample[] }> {
  const samples: RequestSample[] = [];
  const r = startLoadTest(scenario(maxTokens, name), { ...reportHooks, tickMs: 250 });
  r.on('sample', (e) => samples.push(e.sample));
  return { run: await r.done, samples };
}

function io() {
  const t = testIo();
  return { io: t, out: () => t.out.stdout, err: () => t.out.stderr };
}

test('compare: a real change is significant, identical configs are not; formats and --fail-on-regression', async () => {
  // The first run in a process pays for JIT and module loading (a real difference): warm up first.
  await run(40);
  // Side by side, so all three see the same machine load (other tests share the 2 cores): the only
  // difference left is the config. b asks for ~10x the output: latency and cost per request clearly up.
  const [a, a2, b] = await Promise.all([run(40), run(40), run(400)]);
  const same = compare([
    { kind: 'run', source: 'a.json', run: a.run },
    { kind: 'run', source: 'a2.json', run: a2.run },
  ]);
  const flagged = same.metrics.filter((m) => m.significant[0]).map((m) => m.metric);
  assert.deepEqual(
    flagged,
    [],
    JSON.stringify(same.metrics.map((m) => [m.metric, m.values, m.deltaInterval])),
  );
  assert.deepEqual(same.config, []);

  const diff = compare(
    [
      { kind: 'run', source: 'a.json', run: a.run },
      { kind: 'run', source: 'b.json', run: b.run },
    ],
    { failOnRegressionPct: 10 },
  );
  const m = (name: string) => diff.metrics.find((x) => x.metric === name)!;
  assert.equal(m('latency.p95').significant[0], true);
  assert.ok(m('latency.p95').changePct[0]! > 50);
  assert.equal(m('latency.p95').regression[0], true);
  assert.equal(m('cost.perRequestUsd').significant[0], true);
  assert.deepEqual(diff.config, [{ field: 'max_tokens', values: ['40', '400'] }]);
  assert.ok(diff.regressions.some((r) => r.metric === 'latency.p95'));

  // The command: Markdown to stdout and exit 1 on the regression; HTML with the spectra; JSON.
  const dir = mkdtempSync(join(tmpdir(), 'cmp-'));
  try {
    writeFileSync(join(dir, 'a.json'), serializeRun(a.run));
    writeFileSync(join(dir, 'b.json'), serializeRun(b.run));
    const files = [join(dir, 'a.json'), join(dir, 'b.json')];
    const t = io();
    assert.equal(await compareCommand({ files, format: 'markdown', failOnRegressionPct: 10 }, t.io), 1);
    assert.match(t.out(), /\| latency\.p95 \(ms\) \|.*\*\*regression\*\*/);
    assert.match(t.out(), /\| max_tokens \| 40 \| 400 \|/);
    assert.match(t.err(), /regression: latency\.p95/);
    const t2 = io();
    assert.equal(
      await compareCommand({ files: [files[0]!, files[0]!], format: 'text', failOnRegressionPct: 10 }, t2.io),
      0,
    );
    assert.match(t2.out(), /config: identical/);
    const html = join(dir, 'c.html');
    assert.equal(await compareCommand({ files, format: 'html', out: html, reportCss: 'body{}' }, io().io), 0);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /Latency percentile spectrum/);
    assert.match(page, /Completed requests per second over time/);
    const t3 = io();
    await compareCommand({ files, format: 'json' }, t3.io);
    assert.equal((JSON.parse(t3.out()) as { metrics: unknown[] }).metrics.length, diff.metrics.length);
    await assert.rejects(compareCommand({ files: [files[0]!], format: 'text' }, io().io), CliError);
    await assert.rejects(
      compareCommand({ files: [files[0]!, join(dir, 'missing.json')], format: 'text' }, io().io),
      (e: unknown) => e instanceof CliError && /missing\.json/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The spectrum reads the encoded histogram: its last point is near the max.
  const spec = percentileSpectrum(b.run.histograms.latency);
  assert.ok(spec.length > 10 && spec[0]!.x === 1);
  assert.ok(spec.at(-1)!.y <= b.run.summary.latencyMs.max);
});

test('merge: two parallel runs equal one run over the union of their requests', async () => {
  const [x, y] = await Promise.all([run(40, 'gen-1'), run(60, 'gen-2')]);
  const merged = mergeRuns([x.run, y.run], reportHooks);
  const union = [...x.samples, ...y.samples];
  const unionLatency = new MetricHistogram();
  const unionTtft = new MetricHistogram();
  for (const s of union)
    if (s.outcome === 'ok') {
      unionLatency.record(s.endAt - s.intendedAt);
      if (s.firstTextAt !== undefined) unionTtft.record(s.firstTextAt - s.sentAt);
    }
  // What a single run over the union saves in run.json (HDR precision: 3 significant digits).
  const latency = MetricHistogram.decode(unionLatency.encode());
  const ttft = MetricHistogram.decode(unionTtft.encode());
  assert.deepEqual(merged.summary.latencyMs, latency.summary());
  assert.deepEqual(merged.summary.ttftMs, ttft.summary());
  assert.equal(merged.summary.requests.total, union.length);
  assert.equal(
    merged.summary.tokens.output,
    union.reduce((a, s) => a + s.outputTokens, 0),
  );
  assert.ok(Math.abs(merged.summary.costUsd - (x.run.summary.costUsd + y.run.summary.costUsd)) < 1e-12);
  // Windows aligned on the wall clock: the merged windows hold every request once.
  assert.equal(
    merged.timeseries.reduce((a, w) => a + w.completed, 0),
    x.run.timeseries.reduce((a, w) => a + w.completed, 0) +
      y.run.timeseries.reduce((a, w) => a + w.completed, 0),
  );
  // Lossless round trip through run.json.
  assert.deepEqual(MetricHistogram.decode(merged.histograms.latency).summary(), latency.summary());

  const dir = mkdtempSync(join(tmpdir(), 'merge-'));
  try {
    writeFileSync(join(dir, 'x.json'), serializeRun(x.run));
    writeFileSync(join(dir, 'y.json'), serializeRun(y.run));
    const t = io();
    const code = await mergeCommand(
      { files: [join(dir, 'x.json'), join(dir, 'y.json')], out: join(dir, 'out') },
      t.io,
    );
    assert.equal(code, 0);
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')) as RunResult;
    assert.equal(saved.summary.requests.total, union.length);
    assert.match(t.out(), /merged x2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
