import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../src/core/index';

const rejects = (raw: unknown, field: string, message: RegExp) =>
  assert.throws(
    () => parseScenario(raw),
    (e: unknown) => e instanceof ScenarioError && e.field === field && message.test(e.message),
    `expected field ${field}`,
  );

test('defaults: simulator target, Haiku 4.5, the seed prompt, streaming, closed loop of 1', () => {
  const s = parseScenario({ requests: 5 });
  assert.equal(s.target.kind, 'simulator');
  assert.deepEqual(s.models, [{ model: 'claude-haiku-4-5', share: 1 }]);
  assert.deepEqual(s.prompts, { type: 'fixed', text: 'Respond with exactly: OK' });
  assert.equal(s.stream, true);
  assert.equal(s.maxTokens, 256);
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
  rejects({ requests: 1, thresholds: { 'latency.p95': 'fast' } }, 'thresholds.latency.p95', /must match/);
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
    /c.claudeload.json:1:15: ValueExpected \(not valid JSON\)/,
  );
  // Comments and trailing commas are fine: the scaffold documents every field with comments.
  writeFileSync(join(dir, 'd.claudeload.json'), '{\n  // stop after 3\n  "requests": 3, /* c */\n}\n');
  assert.equal(loadScenarioFile(join(dir, 'd.claudeload.json')).requests, 3);
});
