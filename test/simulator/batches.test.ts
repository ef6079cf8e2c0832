// The Message Batches API of the simulator, driven by the official SDK: lifecycle, cancel, expiry,
// delete, paging, every validation error, the batch price and the batch limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { builtinCatalog, OUTPUT_300K_BETA } from '../../src/core/index';
import type { Catalog } from '../../src/core/index';
import { MODEL, raw, sleep, userMessage, withSim } from './simHelpers';

const { BadRequestError, EnforcedSpendLimitReachedError, NotFoundError, RateLimitError } = Anthropic;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function requests(n: number, prefix = 'r', maxTokens = 64) {
  return Array.from({ length: n }, (_, i) => ({
    custom_id: `${prefix}-${i}`,
    params: userMessage(`question ${i}`, maxTokens),
  }));
}

async function allResults(client: Anthropic, id: string): Promise<MessageBatchIndividualResponse[]> {
  const out: MessageBatchIndividualResponse[] = [];
  for await (const line of await client.messages.batches.results(id)) out.push(line);
  return out;
}

async function settle<T>(p: Promise<T>): Promise<T | Error> {
  return p.catch((e: Error) => e);
}

test('lifecycle: create -> in_progress -> ended -> results, on an injected clock', async () => {
  let now = 0;
  await withSim({ batchLatencyMs: MINUTE, clock: () => now }, async (sim, client) => {
    const created = await client.messages.batches.create({ requests: requests(50) });
    assert.match(created.id, /^msgbatch_01[0-9A-Za-z]{22}$/);
    assert.equal(created.type, 'message_batch');
    assert.equal(created.processing_status, 'in_progress');
    assert.deepEqual(created.request_counts, {
      processing: 50,
      succeeded: 0,
      errored: 0,
      canceled: 0,
      expired: 0,
    });
    assert.equal(created.ended_at, null);
    assert.equal(created.results_url, null);
    assert.equal(created.cancel_initiated_at, null);
    assert.equal(created.archived_at, null);
    assert.equal(Date.parse(created.expires_at) - Date.parse(created.created_at), 24 * HOUR);
    await assert.rejects(client.messages.batches.results(created.id), /No batch `results_url`/);
    assert.ok(
      (await settle(
        raw(sim, `/v1/messages/batches/${created.id}/results`, undefined).then((r) => r.status),
      )) === 400,
    );

    // Median 1 minute: at 1 minute about half are done.
    now = MINUTE;
    const mid = await client.messages.batches.retrieve(created.id);
    assert.equal(mid.processing_status, 'in_progress');
    const c = mid.request_counts;
    assert.ok(c.succeeded > 10 && c.processing > 10, JSON.stringify(c));
    assert.equal(c.succeeded + c.processing, 50);

    now = 2 * HOUR;
    const ended = await client.messages.batches.retrieve(created.id);
    assert.equal(ended.processing_status, 'ended');
    assert.deepEqual(ended.request_counts, {
      processing: 0,
      succeeded: 50,
      errored: 0,
      canceled: 0,
      expired: 0,
    });
    assert.equal(ended.results_url, `${sim.url}/v1/messages/batches/${created.id}/results`);
    // ended_at is when the last request finished: after the median, long before the 2 h now.
    const took = Date.parse(ended.ended_at!) - Date.parse(ended.created_at);
    assert.ok(took > MINUTE && took < HOUR, `took ${took} ms`);

    const results = await allResults(client, created.id);
    assert.equal(results.length, 50);
    assert.deepEqual(new Set(results.map((r) => r.custom_id)), new Set(requests(50).map((r) => r.custom_id)));
    for (const r of results) {
      assert.equal(r.result.type, 'succeeded');
      if (r.result.type !== 'succeeded') continue;
      assert.equal(r.result.message.model, MODEL);
      assert.equal(r.result.message.usage.service_tier, 'batch');
      assert.ok(r.result.message.usage.output_tokens >= 1);
    }
    // Results are stable: reading them twice gives the same lines.
    assert.deepEqual(await allResults(client, created.id), results);
  });
});

test('batch usage is priced at 50 % of input and output', async () => {
  let now = 0;
  await withSim({ batchLatencyMs: 1, clock: () => now }, async (sim, client) => {
    const b = await client.messages.batches.create({ requests: requests(20) });
    now = 1000;
    const results = await allResults(client, b.id);
    const p = builtinCatalog.models.find((m) => m.id === MODEL)!.prices;
    let expected = 0;
    for (const r of results) {
      if (r.result.type !== 'succeeded') throw new Error('all succeed');
      const u = r.result.message.usage;
      expected += (u.input_tokens * p.input + u.output_tokens * p.output) / 1e6;
    }
    expected *= builtinCatalog.batchDiscount;
    assert.equal(builtinCatalog.batchDiscount, 0.5);
    assert.ok(expected > 0);
    assert.equal(sim.stats().spendUsd, Math.round(expected * 1e6) / 1e6);
  });
});

test('batch requests do not consume the Messages RPM, ITPM or OTPM', async () => {
  let now = 0;
  // tier1: 50 RPM; a 200-request batch would exhaust it four times over.
  await withSim({ tier: 'tier1', batchLatencyMs: 1, clock: () => now }, async (_sim, client) => {
    const b = await client.messages.batches.create({ requests: requests(200, 'r', 500) });
    now = 1000;
    const done = await client.messages.batches.retrieve(b.id);
    assert.equal(done.request_counts.succeeded, 200);
    const { response } = await client.messages.create(userMessage('x', 5)).withResponse();
    const h = response.headers;
    assert.equal(h.get('anthropic-ratelimit-requests-remaining'), '49');
    assert.equal(
      h.get('anthropic-ratelimit-input-tokens-remaining'),
      h.get('anthropic-ratelimit-input-tokens-limit'),
    );
    assert.equal(
      h.get('anthropic-ratelimit-output-tokens-remaining'),
      h.get('anthropic-ratelimit-output-tokens-limit'),
    );
  });
});

test('cancel: canceling, then ended with the unfinished requests canceled; delete only once ended', async () => {
  let now = 0;
  await withSim({ batchLatencyMs: HOUR, clock: () => now }, async (_sim, client) => {
    const b = await client.messages.batches.create({ requests: requests(40) });
    const early = await settle(client.messages.batches.delete(b.id));
    assert.ok(early instanceof BadRequestError);
    assert.match(early.message, /still in_progress: cancel it/);

    now = 30 * MINUTE;
    const canceling = await client.messages.batches.cancel(b.id);
    assert.equal(canceling.processing_status, 'canceling');
    assert.equal(Date.parse(canceling.cancel_initiated_at!) - Date.parse(canceling.created_at), 30 * MINUTE);
    assert.ok((await settle(client.messages.batches.delete(b.id))) instanceof BadRequestError);

    now += 10_000; // cancellation takes 10 simulated seconds
    const ended = await client.messages.batches.retrieve(b.id);
    assert.equal(ended.processing_status, 'ended');
    const c = ended.request_counts;
    assert.ok(c.canceled > 0 && c.succeeded > 0, JSON.stringify(c));
    assert.equal(c.canceled + c.succeeded, 40);
    assert.equal(c.processing, 0);
    assert.equal(Date.parse(ended.ended_at!) - Date.parse(ended.created_at), 30 * MINUTE + 10_000);
    const results = await allResults(client, b.id);
    assert.equal(results.filter((r) => r.result.type === 'canceled').length, c.canceled);
    assert.ok((await settle(client.messages.batches.cancel(b.id))) instanceof BadRequestError);

    const deleted = await client.messages.batches.delete(b.id);
    assert.deepEqual(deleted, { id: b.id, type: 'message_batch_deleted' });
    assert.ok((await settle(client.messages.batches.retrieve(b.id))) instanceof NotFoundError);
  });
});

test('expiry after 24 simulated hours, with a time scale that makes a day 60 ms', async () => {
  const timeScale = (24 * HOUR) / 60;
  // Median 30 h: some requests finish within the day, the rest expire.
  await withSim({ timeScale, batchLatencyMs: 30 * HOUR }, async (_sim, client) => {
    const b = await client.messages.batches.create({ requests: requests(100) });
    let cur = b;
    const t0 = Date.now();
    while (cur.processing_status !== 'ended' && Date.now() - t0 < 5000) {
      await sleep(20);
      cur = await client.messages.batches.retrieve(b.id);
    }
    assert.equal(cur.processing_status, 'ended');
    const c = cur.request_counts;
    assert.ok(c.expired > 0 && c.succeeded > 0, JSON.stringify(c));
    assert.equal(c.expired + c.succeeded, 100);
    assert.equal(cur.ended_at, cur.expires_at);
    const results = await allResults(client, b.id);
    assert.equal(results.filter((r) => r.result.type === 'expired').length, c.expired);
  });
});

test('per-request outcomes follow the fault settings; unknown models are errored results', async () => {
  let now = 0;
  await withSim({ faultRate: 1, fault: '529', batchLatencyMs: 1, clock: () => now }, async (_sim, client) => {
    const reqs = requests(5);
    reqs.push({ custom_id: 'bad-model', params: { ...userMessage('x'), model: 'claude-nope-1' } });
    const b = await client.messages.batches.create({ requests: reqs });
    now = 1000;
    const results = await allResults(client, b.id);
    const byId = new Map(results.map((r) => [r.custom_id, r.result]));
    for (let i = 0; i < 5; i++) {
      const r = byId.get(`r-${i}`)!;
      assert.equal(r.type, 'errored');
      if (r.type === 'errored') assert.equal(r.error.error.type, 'overloaded_error');
    }
    const bad = byId.get('bad-model')!;
    assert.equal(bad.type, 'errored');
    if (bad.type === 'errored') assert.equal(bad.error.error.type, 'not_found_error');
    assert.equal((await client.messages.batches.retrieve(b.id)).request_counts.errored, 6);
  });
});

test('paged list: newest first, limit, after_id, before_id, has_more, first_id/last_id', async () => {
  await withSim({}, async (_sim, client) => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await client.messages.batches.create({ requests: requests(1) })).id);
    const newestFirst = [...ids].reverse();
    const page = await client.messages.batches.list({ limit: 2 });
    assert.deepEqual(
      page.data.map((b) => b.id),
      newestFirst.slice(0, 2),
    );
    assert.equal(page.has_more, true);
    assert.equal(page.first_id, newestFirst[0]);
    assert.equal(page.last_id, newestFirst[1]);
    const all: string[] = [];
    for await (const b of client.messages.batches.list({ limit: 2 })) all.push(b.id);
    assert.deepEqual(all, newestFirst);
    const after = await client.messages.batches.list({ after_id: newestFirst[2]!, limit: 10 });
    assert.deepEqual(
      after.data.map((b) => b.id),
      newestFirst.slice(3),
    );
    assert.equal(after.has_more, false);
    const before = await client.messages.batches.list({ before_id: newestFirst[3]!, limit: 2 });
    assert.deepEqual(
      before.data.map((b) => b.id),
      newestFirst.slice(1, 3),
    );
    assert.equal(before.has_more, true);
    assert.ok((await settle(client.messages.batches.list({ limit: 0 }))) instanceof BadRequestError);
    assert.ok(
      (await settle(client.messages.batches.list({ after_id: 'msgbatch_nope' }))) instanceof NotFoundError,
    );
  });
});

test('every validation error of create is a 400 naming the field', async () => {
  await withSim({}, async (sim, client) => {
    const cases: [unknown, RegExp][] = [
      [{}, /^requests: Field required/],
      [{ requests: 'x' }, /^requests: Input should be a valid list/],
      [{ requests: [] }, /^requests: List should have at least 1 item/],
      [{ requests: requests(1), extra: 1 }, /^extra: Extra inputs are not permitted/],
      [{ requests: ['x'] }, /^requests\.0: Input should be a valid dictionary/],
      [{ requests: [{ params: userMessage('x') }] }, /^requests\.0\.custom_id: Field required/],
      [
        { requests: [{ custom_id: 'a b', params: userMessage('x') }] },
        /^requests\.0\.custom_id: must be 1-64/,
      ],
      [{ requests: [{ custom_id: 'x'.repeat(65), params: userMessage('x') }] }, /custom_id: must be 1-64/],
      [
        { requests: [...requests(2), { custom_id: 'r-1', params: userMessage('x') }] },
        /^requests\.2\.custom_id: duplicate custom_id "r-1"/,
      ],
      [{ requests: [{ custom_id: 'a' }] }, /^requests\.0\.params: Field required/],
      [
        { requests: [{ custom_id: 'a', params: 'x' }] },
        /^requests\.0\.params: Input should be a valid dictionary/,
      ],
      [
        {
          requests: [
            { custom_id: 'a', params: { model: MODEL, messages: [{ role: 'user', content: 'x' }] } },
          ],
        },
        /^requests\.0\.params\.max_tokens: Field required/,
      ],
      [
        { requests: [{ custom_id: 'a', params: { ...userMessage('x'), messages: [] } }] },
        /^requests\.0\.params\.messages: at least one message is required/,
      ],
      [
        { requests: [{ custom_id: 'a', params: { ...userMessage('x'), stream: true } }] },
        /^requests\.0\.params\.stream: streaming is not supported/,
      ],
      [
        { requests: [{ custom_id: 'a', params: { ...userMessage('x'), temperature: 0.5 } }] },
        /^requests\.0\.params\.temperature: not supported with anthropic-version 2026-10-21/,
      ],
    ];
    for (const [body, message] of cases) {
      const e = await settle(
        client.messages.batches.create(body as Parameters<typeof client.messages.batches.create>[0]),
      );
      assert.ok(e instanceof BadRequestError, `${JSON.stringify(body).slice(0, 80)}: ${String(e)}`);
      assert.equal(e.type, 'invalid_request_error');
      assert.match(e.apiMessage ?? '', message);
    }
    // 100,001 requests: one over the limit.
    const tooMany = Array.from({ length: 100_001 }, (_, i) => ({
      custom_id: `r${i}`,
      params: userMessage('x', 1),
    }));
    const e = await settle(client.messages.batches.create({ requests: tooMany }));
    assert.ok(e instanceof BadRequestError);
    assert.match(e.apiMessage ?? '', /at most 100000 requests \(got 100001\)/);
    // A malformed body and a bad path.
    assert.equal((await raw(sim, '/v1/messages/batches', '{')).status, 400);
    assert.equal((await raw(sim, '/v1/messages/batches/x/y/z', undefined)).status, 404);
  });
});

test('a body over 256 MB is refused with 413 request_too_large', async () => {
  await withSim({}, async (sim) => {
    const limit = 256 * 1024 * 1024;
    const chunk = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${sim.url}/v1/messages/batches`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'anthropic-version': '2026-10-21',
            authorization: 'Bearer k',
            'content-length': String(limit + chunk.length),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < limit + chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    assert.equal(status.status, 413);
    assert.match(status.body, /request_too_large/);
  });
});

test('the batch endpoints have their own RPM, and queued requests are capped per tier', async () => {
  const catalog: Catalog = {
    ...builtinCatalog,
    tiers: builtinCatalog.tiers.map((t) =>
      t.name === 'build' ? { ...t, batch: { rpm: 120, queuedRequests: 10 } } : t,
    ),
  };
  const now = 0;
  // burstSeconds 5: the batch bucket holds 120 x 5 / 60 = 10 calls.
  await withSim(
    { catalog, burstSeconds: 5, batchLatencyMs: HOUR, clock: () => now },
    async (_sim, client) => {
      const b = await client.messages.batches.create({ requests: requests(6) });
      const e = await settle(client.messages.batches.create({ requests: requests(5) }));
      assert.ok(e instanceof RateLimitError);
      assert.match(e.apiMessage ?? '', /limit of 10 queued batch requests \(6 are processing/);
      // 2 calls so far; 8 more fit in the bucket, the 11th call is refused.
      for (let i = 0; i < 8; i++) await client.messages.batches.retrieve(b.id);
      const limited = await settle(client.messages.batches.retrieve(b.id));
      assert.ok(limited instanceof RateLimitError);
      assert.match(limited.apiMessage ?? '', /120 Message Batches requests per minute/);
      // 1 call at 120/min = 0.5 s -> 1 whole second.
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.equal(limited.headers.get('anthropic-ratelimit-requests-limit'), '120');
    },
  );
});

test('a reached spend cap refuses new batches; ended batches count toward it at the batch price', async () => {
  let now = 0;
  await withSim({ spendCapUsd: 0.0001, batchLatencyMs: 1, clock: () => now }, async (sim, client) => {
    const b = await client.messages.batches.create({ requests: requests(100, 'r', 500) });
    now = 1000;
    await client.messages.batches.retrieve(b.id); // seen ended: charged
    assert.ok(sim.stats().spendUsd >= 0.0001, String(sim.stats().spendUsd));
    const e = await settle(client.messages.batches.create({ requests: requests(1) }));
    assert.ok(e instanceof EnforcedSpendLimitReachedError, String(e));
    assert.equal(e.headers.get('x-should-retry'), 'false');
  });
});

test('requests the Messages API would refuse are errored results (400); the 300K-output beta lifts max_tokens', async () => {
  let now = 0;
  await withSim({ batchLatencyMs: 1, clock: () => now }, async (_sim, client) => {
    const sonnet = (id: string, maxTokens: number, model = 'claude-sonnet-5-5') => ({
      custom_id: id,
      params: { ...userMessage('write a long report', maxTokens), model },
    });
    const reqs = [
      sonnet('big', 300_000),
      sonnet('too-big', 300_001),
      sonnet('haiku-big', 100_000, 'claude-haiku-4-5'),
      sonnet('fits', 128_000),
    ];
    // Without the beta header: above 128K is refused per request, the rest succeed.
    const plain = await client.messages.batches.create({ requests: reqs });
    // With it (the SDK's beta client sends anthropic-beta): Sonnet 5.5 takes up to 300K.
    const beta = await client.beta.messages.batches.create({ requests: reqs, betas: [OUTPUT_300K_BETA] });
    now = 1000;
    const outcome = async (id: string) =>
      new Map((await allResults(client, id)).map((r) => [r.custom_id, r.result]));
    const p = await outcome(plain.id);
    const b = await outcome(beta.id);
    const message = (r: MessageBatchIndividualResponse['result'] | undefined) =>
      r?.type === 'errored' ? `${r.error.error.type}: ${r.error.error.message}` : r?.type;
    assert.match(message(p.get('big')) ?? '', /^invalid_request_error: max_tokens: 300000 > 128000/);
    assert.equal(message(p.get('fits')), 'succeeded');
    assert.equal(message(b.get('big')), 'succeeded');
    assert.match(message(b.get('too-big')) ?? '', /max_tokens: 300001 > 300000, which is the maximum/);
    // Haiku 4.5 has no 300K beta: 64K is its limit with or without the header.
    assert.match(message(b.get('haiku-big')) ?? '', /max_tokens: 100000 > 64000/);
    assert.equal((await client.messages.batches.retrieve(beta.id)).request_counts.errored, 2);
  });
});
