import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, parseJsonc, parseScenario, ScenarioError } from '../../src/core/index';

const rejects = (raw: unknown, field: string, message: RegExp) =>
  assert.throws(
    () => parseScenario(raw),
    (e: unknown) => e instanceof ScenarioError && e.field === field && message.test(e.message),
    `expected field ${field}`,
  );

test('defaults: simulator target, Haiku 4.5, prompts asking for ~300 words, streaming, closed loop of 1', () => {
  const s = parseScenario({ requests: 5 });
  assert.equal(s.target.kind, 'simulator');
  assert.deepEqual(s.models, [{ model: 'claude-haiku-4-5', share: 1 }]);
  // A realistic answer length by default: a 1-token reply has no TPOT (#9 item 16).
  assert.equal(s.prompts.type, 'list');
  for (const text of s.prompts.type === 'list' ? s.prompts.items : [])
    assert.match(text, /^Write at least 300 words about .+\.$/);
  assert.equal(s.outputTokens, 300);
  assert.equal(s.maxTokens, 300);
  assert.equal(s.stream, true);
  assert.equal(s.retries, 'none');
  assert.deepEqual(s.load, { type: 'concurrency', concurrency: 1 });
});

test('targets, loads, durations and mixes are normalised', () => {
  const s = parseScenario({
    target: { baseUrl: 'https://api.anthropic.com/' },
    mix: [
      { model: 'claude-haiku-4-5', share: 0.7 },
      { model: 'claude-sonnet-5-5', share: 0.3 },
    ],
    load: {
      type: 'ramp',
      stages: [
        { duration: '30s', rps: 10 },
        { duration: 60, rps: 20 },
      ],
    },
    max_tokens: 64,
    timeout: '2m',
    system: { text: 'You are terse.', cacheControl: '1h' },
  });
  assert.deepEqual(s.target, { kind: 'anthropic', baseUrl: 'https://api.anthropic.com' });
  assert.equal(s.maxTokens, 64);
  assert.equal(s.timeoutMs, 120_000);
  assert.deepEqual(s.load, {
    type: 'ramp',
    startRps: 0,
    maxInFlight: 1000,
    stages: [
      { durationMs: 30_000, rps: 10 },
      { durationMs: 60_000, rps: 20 },
    ],
  });
  assert.deepEqual(s.system, { text: 'You are terse.', cacheTtl: '1h' });
  const r = parseScenario({
    target: { baseUrl: 'http://127.0.0.1:9' },
    load: { type: 'rate', rps: 5 },
    duration: '10s',
  });
  assert.deepEqual(r.target, { kind: 'url', baseUrl: 'http://127.0.0.1:9' });
  assert.deepEqual(r.load, { type: 'rate', rps: 5, arrival: 'constant', maxInFlight: 1000 });
  assert.equal(r.durationMs, 10_000);
});

test('bad input names the field and the fix', () => {
  rejects({ requests: 0 }, 'requests', /must be >= 1/);
  rejects({ requests: 1, model: 'claude-sonnet-4-20250514' }, 'model', /older guides.*claude-sonnet-5-5/);
  rejects({ requests: 1, mix: [{ model: 'claude-haiku-4-5', share: 0.5 }] }, 'mix', /sum to 1/);
  rejects({ requests: 1, mix: [{ model: 'nope', share: 1 }] }, 'mix[0].model', /unknown model/);
  rejects({ requests: 1, load: { type: 'rate' } }, 'load.rps', /required/);
  rejects({ requests: 1, load: { type: 'rate', rps: -1 } }, 'load.rps', /must be > 0/);
  rejects({ requests: 1, duration: 'ten seconds' }, 'duration', /must/);
  rejects({ requests: 1, target: 'mars' }, 'target', /"simulator", "anthropic"/);
  rejects(
    { requests: 1, target: { simulator: { tier: 'gold' } } },
    'target.simulator.tier',
    /unknown tier "gold"/,
  );
  rejects({ requests: 1, thresholds: { 'latency.p42': '<1' } }, 'thresholds.latency.p42', /unknown metric/);
  rejects(
    { requests: 1, thresholds: { 'latency.p95': 'fast' } },
    'thresholds.latency.p95',
    /must be a condition such as "<1500"/,
  );
  rejects({ requests: 1, concurency: 3 }, 'concurency', /not a known field/);
  rejects({ model: 'claude-haiku-4-5' }, 'requests', /requests or duration is required/);
});

test('plan files resolve JSONL prompts relative to the file and report bad lines by number', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  writeFileSync(
    join(dir, 'prompts.jsonl'),
    '{"messages":[{"role":"user","content":"hi"}]}\n\n{"messages":[{"role":"user","content":"yo"}],"max_tokens":9}\n',
  );
  writeFileSync(
    join(dir, 'a.claudeload.json'),
    JSON.stringify({ requests: 2, prompts: { type: 'jsonl', file: 'prompts.jsonl' } }),
  );
  const s = loadScenarioFile(join(dir, 'a.claudeload.json'));
  assert.equal(s.prompts.type, 'messages');
  assert.equal(s.prompts.type === 'messages' && s.prompts.bodies.length, 2);
  writeFileSync(join(dir, 'bad.jsonl'), '{"messages":[{"role":"user","content":"hi"}]}\nnot json\n');
  writeFileSync(
    join(dir, 'b.claudeload.json'),
    JSON.stringify({ requests: 2, prompts: { type: 'jsonl', file: 'bad.jsonl' } }),
  );
  assert.throws(
    () => loadScenarioFile(join(dir, 'b.claudeload.json')),
    /line 2 of .*bad.jsonl is not valid JSON/,
  );
  writeFileSync(join(dir, 'c.claudeload.json'), '{ "requests": ');
  assert.throws(
    () => loadScenarioFile(join(dir, 'c.claudeload.json')),
    /c.claudeload.json:1:15: a value is expected/,
  );
  // Comments and trailing commas are fine: the scaffold documents every field with comments.
  writeFileSync(join(dir, 'd.claudeload.json'), '{\n  // stop after 3\n  "requests": 3, /* c */\n}\n');
  assert.equal(loadScenarioFile(join(dir, 'd.claudeload.json')).requests, 3);
});

test('outputTokens: max_tokens = N and prompts asking for N words; a given prompt is kept', () => {
  const s = parseScenario({ requests: 1, outputTokens: 800 });
  assert.equal(s.maxTokens, 800);
  assert.match(s.prompts.type === 'list' ? s.prompts.items[0]! : '', /^Write at least 800 words about /);
  const own = parseScenario({ requests: 1, outputTokens: 50, prompt: 'Tell me a story.' });
  assert.deepEqual(own.prompts, { type: 'fixed', text: 'Tell me a story.' });
  assert.equal(own.maxTokens, 50);
  // A prompt without outputTokens keeps the old max_tokens default.
  assert.equal(parseScenario({ requests: 1, prompt: 'hi' }).maxTokens, 256);
  assert.equal(parseScenario({ requests: 1, prompt: 'hi', maxTokens: 9, outputTokens: 50 }).maxTokens, 9);
});

test('numbers have finite upper bounds: a run that would never end or start 1e8 workers is rejected', () => {
  // JSON's 1e309 is Infinity, and ajv counts Infinity as an integer: the maximum catches it.
  rejects(parseJsonc('{"requests": 1e309}'), 'requests', /must be <= 10000000/);
  rejects({ duration: '99999999999999999999h' }, 'duration', /at most 24h/);
  rejects({ requests: 1, duration: 86401 }, 'duration', /must be <= 86400/);
  rejects(
    { requests: 5, load: { type: 'concurrency', concurrency: 100_000_000 } },
    'load.concurrency',
    /<= 10000/,
  );
  rejects({ requests: 5, load: { type: 'rate', rps: 1e6 } }, 'load.rps', /<= 10000/);
  rejects({ requests: 5, timeout: '25h' }, 'timeout', /at most 24h/);
  rejects(
    {
      load: {
        type: 'ramp',
        stages: [
          { duration: '23h', rps: 1 },
          { duration: '2h', rps: 1 },
        ],
      },
    },
    'load.stages',
    /at most 24 h/,
  );
  assert.equal(parseScenario({ requests: 10_000_000, duration: '24h' }).durationMs, 86_400_000);
});

test('simulator tier "custom" is accepted with its limits, as simulate --tier custom', () => {
  const s = parseScenario({
    requests: 1,
    target: { simulator: { tier: 'custom', limits: { rpm: 500, itpm: 100000, otpm: 20000 } } },
  });
  assert.equal(s.target.kind === 'simulator' && s.target.tier, 'custom');
  rejects(
    { requests: 1, target: { simulator: { tier: 'custom', limits: { rpm: 500 } } } },
    'target.simulator.limits',
    /needs target.simulator.limits with rpm, itpm and otpm/,
  );
});

test('a gateway may serve model ids the catalog does not know; the Anthropic API and the simulator may not', () => {
  const s = parseScenario({
    requests: 1,
    target: { baseUrl: 'http://127.0.0.1:9' },
    model: 'my-custom-model',
  });
  assert.deepEqual(s.models, [{ model: 'my-custom-model', share: 1 }]);
  rejects({ requests: 1, target: 'anthropic', model: 'my-custom-model' }, 'model', /unknown model/);
  rejects({ requests: 1, model: 'my-custom-model' }, 'model', /unknown model/);
  // Retired ids are still refused everywhere: the catalog knows they are not served.
  rejects(
    { requests: 1, target: { baseUrl: 'http://127.0.0.1:9' }, model: 'claude-sonnet-4-20250514' },
    'model',
    /older guides/,
  );
  // A budget needs prices.
  rejects(
    { requests: 1, target: { baseUrl: 'http://127.0.0.1:9' }, model: 'my-custom-model', maxCostUsd: 1 },
    'maxCostUsd',
    /not in the catalog: add it with --catalog/,
  );
});

test('keepPrompts is read from the plan file', () => {
  assert.equal(parseScenario({ requests: 1, keepPrompts: true }).keepPrompts, true);
  assert.equal(parseScenario({ requests: 1 }).keepPrompts, undefined);
});

test('plan-file problems: all at once, in words, with line and column, and a did-you-mean for typos', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  const file = join(dir, 'typos.claudeload.json');
  writeFileSync(
    file,
    [
      '{',
      '  "requests": 5,',
      '  "maxTokenz": 100,',
      '  "duration": 86401,',
      '  "load": { "type": "rate", "rpz": 3 }',
      '}',
    ].join('\n'),
  );
  let err: ScenarioError | undefined;
  try {
    loadScenarioFile(file);
  } catch (e) {
    err = e as ScenarioError;
  }
  assert.ok(err instanceof ScenarioError, 'a ScenarioError');
  const byField = Object.fromEntries(err.problems.map((p) => [p.field, p]));
  assert.match(byField.maxTokenz!.message, /maxTokenz is not a known field: did you mean "maxTokens"\?/);
  assert.deepEqual([byField.maxTokenz!.line, byField.maxTokenz!.column], [3, 16]); // at its value
  assert.match(byField.duration!.message, /duration must be <= 86400/);
  assert.equal(byField.duration!.line, 4);
  assert.match(byField['load.rpz']!.message, /did you mean "rps"\?/);
  assert.match(byField['load.rps']!.message, /is required/);
  assert.match(
    err.message,
    /^4 problems in .*typos\.claudeload\.json:\n {2}.*typos\.claudeload\.json:3:16: maxTokenz/m,
  );
  // Syntax errors: every one, in words (never the parser's "CommaExpected").
  writeFileSync(file, '{\n  "requests": 5\n  "duration": "10s"\n  "stream": true\n}\n');
  assert.throws(
    () => loadScenarioFile(file),
    (e: Error) =>
      /:3:3: a comma \(,\) is expected between items/.test(e.message) &&
      /:4:3: a comma \(,\) is expected/.test(e.message) &&
      !/CommaExpected/.test(e.message),
  );
});
