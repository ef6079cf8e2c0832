// claude-load batch: the core (runBatches) and the command (batchCommand) with the official SDK
// against the simulator on 127.0.0.1: turnaround, outcomes, cost at the batch price vs the Messages
// API, the Messages-limit time, splitting, the budget and cancellation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtUsd } from '../../src/core/format/format';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BATCH_FILE_VERSION,
  BatchBudgetError,
  builtinCatalog,
  completionTimes,
  findTier,
  formatDuration,
  limitsFor,
  parseScenario,
  resolveModel,
  runBatches,
  splitIntoBatches,
  workloadFromScenario,
} from '../../src/core/index';
import type { BatchEvent, BatchFile, BatchWorkItem } from '../../src/core/index';
import { batchCommand } from '../../src/cli/commands/batch';
import type { BatchOptions } from '../../src/cli/commands/batch';
import { CliError } from '../../src/cli/cliError';
import type { CliIo } from '../../src/cli/cliError';
import { withSim } from '../simulator/simHelpers';

const HOUR = 3600_000;

function captureIo(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (s: string) => ((out.stdout += s), true) },
    stderr: { write: (s: string) => ((out.stderr += s), true) },
    env,
  } as unknown as CliIo;
  return { io, out };
}

function work(n: number, model = 'claude-haiku-4-5'): BatchWorkItem[] {
  const scenario = parseScenario({ model, maxTokens: 64, requests: n, prompt: 'Say hello.' });
  return workloadFromScenario(scenario, n, builtinCatalog);
}

test('batchCommand runs 10,000 requests on the simulator in well under a minute and reports the saving', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-load-batch-'));
  const { io, out } = captureIo();
  const options: BatchOptions = {
    simulate: true,
    requests: 10_000,
    pollMs: 50,
    json: false,
    out: dir,
    // A simulated hour per real second; median 10 minutes per request.
    timeScale: 3600,
    batchLatencyMs: 10 * 60_000,
  };
  const t0 = performance.now();
  const code = await batchCommand(options, io);
  const took = performance.now() - t0;
  assert.equal(code, 0, out.stderr);
  assert.ok(took < 30_000, `took ${took} ms`);

  const text = out.stdout;
  assert.match(text, /10,000 requests of claude-haiku-4-5 in 1 batch/);
  assert.match(
    text,
    /turnaround \d+(\.\d+)?[hm] \(submit -> ended\) \(simulated; time scale 3600\), wall \d/,
  );
  assert.match(text, /per-request completion: p50 <= /);
  assert.match(text, /outcomes: succeeded 10,000, errored 0, canceled 0, expired 0/);
  assert.match(text, /through the Messages API: saving \$\d+\.\d+ \(50 % off input and output/);
  assert.match(
    text,
    /Messages API on the build tier: .* for 10,000 requests at [\d,]+ RPM \(bound by (RPM|ITPM|OTPM)\)/,
  );
  assert.match(out.stderr, /submitted msgbatch_01/);
  assert.match(out.stderr, /ended .*succeeded 10,000/);

  const file = JSON.parse(readFileSync(join(dir, 'batch.json'), 'utf8')) as BatchFile;
  assert.equal(file.kind, 'claude-load-batch');
  assert.equal(file.version, BATCH_FILE_VERSION);
  const r = file.report;
  assert.equal(r.requests, 10_000);
  assert.equal(r.outcomes.succeeded, 10_000);
  assert.equal(r.timeScale, 3600);
  // Turnaround on the API's timeline: the last of 10,000 lognormal(10 min, 0.5) draws, 30-120 min.
  assert.ok(r.turnaroundMs! > 0.5 * HOUR && r.turnaroundMs! < 2 * HOUR, `turnaround ${r.turnaroundMs}`);
  const c = r.completion!;
  assert.equal(c.count, 10_000);
  assert.ok(c.p50Ms <= c.p95Ms && c.p95Ms <= c.maxMs && c.maxMs <= r.turnaroundMs!);
  // The median request finishes near 10 min; polls every <= 50 ms real (3 min simulated, more on a
  // loaded machine) round it up.
  assert.ok(c.p50Ms >= 5 * 60_000 && c.p50Ms <= 10 * 60_000 + c.resolutionMs, `p50 ${c.p50Ms}`);

  // Cost: no caching, so the batch price is exactly half the Messages price.
  const h = resolveModel(builtinCatalog, 'claude-haiku-4-5').prices;
  const messagesUsd = (r.tokens.input * h.input + r.tokens.output * h.output) / 1e6;
  assert.ok(Math.abs(r.cost.messagesUsd - messagesUsd) < 1e-9);
  assert.ok(Math.abs(r.cost.batchUsd - messagesUsd / 2) < 1e-9);
  assert.ok(Math.abs(r.cost.savingUsd - messagesUsd / 2) < 1e-9);
  assert.match(text, new RegExp(`saving \\$${r.cost.savingUsd.toFixed(r.cost.savingUsd >= 1 ? 2 : 4)}`));

  // Messages-limit time: the binding one of RPM, ITPM, OTPM of Haiku 4.5 on Build, per request.
  const lim = limitsFor(findTier(builtinCatalog, 'build'), 'haiku-4-5')!;
  const perRequest = Math.max(
    1 / lim.rpm,
    r.tokens.input / 10_000 / lim.itpm,
    r.tokens.output / 10_000 / lim.otpm,
  );
  const m = r.messagesApi!;
  assert.equal(m.tier, 'build');
  assert.ok(Math.abs(m.minutes - 10_000 * perRequest) < 1e-9, `${m.minutes} vs ${10_000 * perRequest}`);
  assert.ok(Math.abs(m.sustainableRpm - 1 / perRequest) < 1e-6);

  // The printed numbers are the report's.
  assert.ok(text.includes(`turnaround ${formatDuration(r.turnaroundMs!)} (submit -> ended)`));
  assert.ok(text.includes(`p50 <= ${formatDuration(c.p50Ms)}, p95 <= ${formatDuration(c.p95Ms)}`));
  assert.ok(text.includes(`tokens: input ${r.tokens.input.toLocaleString('en-US')}, output`));
  assert.ok(
    text.includes(`cost ${fmtUsd(r.cost.batchUsd)} at the batch price; ${fmtUsd(r.cost.messagesUsd)}`),
  );
  assert.ok(
    text.includes(
      `build tier: ${formatDuration(m.minutes * 60_000)} for 10,000 requests at ` +
        `${Math.round(m.sustainableRpm).toLocaleString('en-US')} RPM (bound by ${m.binding.toUpperCase()})`,
    ),
  );
});

test('runBatches: cost equals what the simulator charged; outcomes follow its faults', async () => {
  let now = 0;
  await withSim({ faultRate: 0.2, batchLatencyMs: 60_000, clock: () => now }, async (sim, client) => {
    const events: BatchEvent[] = [];
    const run = runBatches({
      client,
      items: work(300),
      tier: 'build',
      pollMs: 5,
      firstPollMs: 5,
      onEvent: (e) => {
        events.push(e);
        now += 30_000; // each event moves simulated time on by 30 s
      },
    });
    const r = await run;
    assert.equal(r.outcomes.succeeded + r.outcomes.errored, 300);
    assert.ok(r.outcomes.errored > 30 && r.outcomes.errored < 90, JSON.stringify(r.outcomes));
    assert.deepEqual(Object.keys(r.errors), ['overloaded_error']);
    assert.equal(Math.round(r.cost.batchUsd * 1e6) / 1e6, sim.stats().spendUsd);
    const progress = events.filter((e) => e.type === 'progress');
    assert.ok(progress.length >= 2);
    assert.equal(
      progress[progress.length - 1]!.type === 'progress' && progress[progress.length - 1]!.status,
      'ended',
    );
  });
});

test('a workload above the per-batch limits is split, and every part is polled and read', async () => {
  const items = work(50);
  assert.deepEqual(
    splitIntoBatches(items, 20).map((b) => b.length),
    [20, 20, 10],
  );
  const size =
    Buffer.byteLength(JSON.stringify({ custom_id: items[0]!.customId, params: items[0]!.params })) + 1;
  // Byte limit: room for 64 KiB headroom plus 7 requests.
  assert.deepEqual(
    splitIntoBatches(items, 100, 64 * 1024 + 7 * size + 3).map((b) => b.length),
    [7, 7, 7, 7, 7, 7, 7, 1],
  );
  let now = 0;
  await withSim({ batchLatencyMs: 1000, clock: () => now }, async (_sim, client) => {
    const r = await runBatches({
      client,
      items,
      tier: 'build',
      pollMs: 5,
      maxBatchRequests: 20,
      onEvent: () => (now += 10_000),
    });
    assert.equal(r.batches.length, 3);
    assert.deepEqual(
      r.batches.map((b) => b.requests),
      [20, 20, 10],
    );
    assert.equal(r.outcomes.succeeded, 50);
  });
});

test('the budget refuses to submit when the worst case at the batch price is above it', async () => {
  await withSim({}, async (_sim, client) => {
    const items = work(100);
    const worst = items.reduce((s, i) => s + i.worstCaseUsd, 0);
    // Worst case: input at half price, 64 max_tokens at half the output price, per request.
    const h = resolveModel(builtinCatalog, 'claude-haiku-4-5').prices;
    assert.ok(Math.abs(items[0]!.worstCaseUsd - (64 * h.output * 0.5) / 1e6) < (200 * h.input) / 1e6);
    await assert.rejects(
      runBatches({ client, items, tier: 'build', pollMs: 5, maxCostUsd: worst / 2 }),
      (e: unknown) => e instanceof BatchBudgetError && /above the budget/.test(e.message),
    );
    assert.equal((await client.messages.batches.list()).data.length, 0, 'nothing was submitted');
  });
  const { io } = captureIo();
  await assert.rejects(
    batchCommand({ simulate: true, requests: 1000, pollMs: 10, json: true, maxCostUsd: 0.0001 }, io),
    (e: unknown) =>
      e instanceof CliError && /^--max-cost: the worst case/.test(e.message) && e.exitCode === 2,
  );
});

test('an abort cancels the batch, waits for ended and reports the partial results (exit 130)', async () => {
  const controller = new AbortController();
  const { io, out } = captureIo();
  const options: BatchOptions = {
    simulate: true,
    requests: 200,
    pollMs: 20,
    json: true,
    timeScale: 600, // cancellation takes 10 simulated s = 17 real ms
    batchLatencyMs: 2 * HOUR,
    signal: controller.signal,
  };
  const running = batchCommand(options, io);
  setTimeout(() => controller.abort(), 150);
  const code = await running;
  assert.equal(code, 130);
  assert.match(out.stderr, /canceling msgbatch_01\w+: waiting until they have ended/);
  const r = JSON.parse(out.stdout) as BatchFile['report'];
  assert.equal(r.canceled, true);
  assert.equal(r.batches[0]!.counts.processing, 0);
  assert.ok(r.outcomes.canceled > 150, JSON.stringify(r.outcomes));
  assert.equal(r.outcomes.canceled + r.outcomes.succeeded, 200);
});

test('completion percentiles come from the poll steps (upper bounds)', () => {
  const c = completionTimes([
    {
      steps: [
        { atMs: 100, finished: 10 },
        { atMs: 200, finished: 90 },
        { atMs: 300, finished: 100 },
      ],
      widestStepMs: 100,
    },
  ]);
  assert.deepEqual(c, { count: 100, p50Ms: 200, p95Ms: 300, maxMs: 300, resolutionMs: 100 });
  assert.equal(completionTimes([{ steps: [], widestStepMs: 0 }]), null);
});

test('batchCommand: a plan file with the simulator target, and no key for the API', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-load-batch-plan-'));
  const plan = join(dir, 'p.claudeload.json');
  writeFileSync(
    plan,
    JSON.stringify({
      name: 'nightly-summaries',
      target: { simulator: { tier: 'scale', timeScale: 3600 } },
      model: 'claude-sonnet-5-5',
      maxTokens: 32,
      requests: 40,
    }),
  );
  const { io, out } = captureIo();
  assert.equal(await batchCommand({ planFile: plan, pollMs: 50, json: true, batchLatencyMs: 60_000 }, io), 0);
  const r = JSON.parse(out.stdout) as BatchFile['report'];
  assert.equal(r.name, 'nightly-summaries');
  assert.equal(r.model, 'claude-sonnet-5-5');
  assert.equal(r.requests, 40);
  assert.equal(r.messagesApi?.tier, 'scale');

  // An --out under a file is refused before any batch is submitted (exit 2, nothing printed).
  const blocked = captureIo();
  await assert.rejects(
    batchCommand(
      { planFile: plan, pollMs: 50, json: true, batchLatencyMs: 60_000, out: join(plan, 'sub') },
      blocked.io,
    ),
    (e: unknown) => e instanceof CliError && e.exitCode === 2 && /^--out: .*not a folder/.test(e.message),
  );
  assert.equal(blocked.out.stdout, '');

  const noKey = captureIo();
  await assert.rejects(
    batchCommand({ requests: 1, pollMs: 10, json: false }, noKey.io),
    (e: unknown) => e instanceof CliError && e.exitCode === 3 && /ANTHROPIC_API_KEY/.test(e.message),
  );
});
