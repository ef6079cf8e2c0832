// Every error status maps to the SDK's error class, with the API's body shape and headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { MODEL, raw, sdk, userMessage, withSim } from './simHelpers';

const {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  EnforcedSpendLimitReachedError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  RateLimitError,
} = Anthropic;

async function rejection(p: Promise<unknown>): Promise<InstanceType<typeof APIError>> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof APIError, `expected an APIError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the request to fail');
}

test('400 validation errors name the field and map to BadRequestError', async () => {
  await withSim({}, async (_sim, client) => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, /^model: Field required/],
      [{ model: 42, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, /^model: /],
      [{ model: MODEL, messages: [{ role: 'user', content: 'x' }] }, /^max_tokens: Field required/],
      [{ model: MODEL, max_tokens: 0, messages: [{ role: 'user', content: 'x' }] }, /^max_tokens: /],
      [{ model: MODEL, max_tokens: 1.5, messages: [{ role: 'user', content: 'x' }] }, /^max_tokens: /],
      [{ model: MODEL, max_tokens: 10 }, /^messages: Field required/],
      [{ model: MODEL, max_tokens: 10, messages: [] }, /^messages: /],
      [{ model: MODEL, max_tokens: 10, messages: [{ role: 'bot', content: 'x' }] }, /^messages\.0\.role: /],
      [{ model: MODEL, max_tokens: 10, messages: [{ role: 'user' }] }, /^messages\.0\.content: /],
      [{ ...userMessage('x'), temperature: 0.2 }, /^temperature: /],
      [{ ...userMessage('x'), top_p: 0.9 }, /^top_p: /],
      [{ ...userMessage('x'), top_k: 3 }, /^top_k: /],
    ];
    for (const [body, message] of cases) {
      const e = await rejection(client.messages.create(body as never));
      assert.ok(e instanceof BadRequestError, `${JSON.stringify(body)} -> ${e.constructor.name}`);
      assert.equal(e.type, 'invalid_request_error');
      assert.match(e.apiMessage ?? '', message);
      assert.match(e.requestID ?? '', /^req_/);
      assert.equal(e.headers?.get('x-should-retry'), 'false');
      assert.deepEqual(Object.keys(e.error as object), ['type', 'error', 'request_id']);
      assert.equal((e.error as { request_id: string }).request_id, e.requestID);
    }
  });
});

test('malformed JSON, missing version and body over 32 MB', async () => {
  await withSim({}, async (sim, client) => {
    const bad = await raw(sim, '/v1/messages', '{"model": ');
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { type: string; error: { type: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');

    const noVersion = await raw(sim, '/v1/messages', userMessage('x'), { 'anthropic-version': null });
    assert.equal(noVersion.status, 400);

    // Announced size over the limit: 413 without the body being buffered.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${sim.url}/v1/messages`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(33 * 1024 * 1024),
            'x-api-key': 'k',
            'anthropic-version': '2023-06-01',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 32);
      let sent = 0;
      const pump = () => {
        while (sent < 33) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    assert.equal(status, 413);

    // Through the SDK: ContentTooLargeError.
    const e = await rejection(client.messages.create(userMessage('x'.repeat(33 * 1024 * 1024))));
    assert.ok(e instanceof ContentTooLargeError);
    assert.equal(e.type, 'request_too_large');
  });
});

test('401 AuthenticationError: missing key, and a wrong key when --api-key is set', async () => {
  await withSim({ apiKey: 'right' }, async (sim) => {
    const missing = await raw(sim, '/v1/messages', userMessage('x'), { authorization: null });
    assert.equal(missing.status, 401);
    assert.equal(((await missing.json()) as { error: { type: string } }).error.type, 'authentication_error');
    const e = await rejection(sdk(sim, 'wrong').messages.create(userMessage('x')));
    assert.ok(e instanceof AuthenticationError);
    const ok = await sdk(sim, 'right').messages.create(userMessage('x'));
    assert.equal(ok.type, 'message');
    const xKey = await raw(sim, '/v1/messages', userMessage('x'), {
      authorization: null,
      'x-api-key': 'right',
    });
    assert.equal(xKey.status, 200);
  });
});

test('404 NotFoundError: unknown model, retired model naming its replacement, unknown path', async () => {
  await withSim({}, async (sim, client) => {
    const unknown = await rejection(client.messages.create({ ...userMessage('x'), model: 'claude-nope-9' }));
    assert.ok(unknown instanceof NotFoundError);
    assert.equal(unknown.type, 'not_found_error');
    const retired = await rejection(
      client.messages.create({ ...userMessage('x'), model: 'claude-sonnet-4' }),
    );
    assert.ok(retired instanceof NotFoundError);
    assert.match(retired.apiMessage ?? '', /retired.*claude-sonnet-5-5/);
    const old = await rejection(
      client.messages.create({ ...userMessage('x'), model: 'claude-sonnet-4-20250514' }),
    );
    assert.ok(old instanceof NotFoundError);
    assert.match(old.apiMessage ?? '', /claude-sonnet-5-5/);
    const count = await rejection(client.messages.countTokens({ model: 'claude-nope', messages: [] }));
    assert.ok(count instanceof BadRequestError, 'validation comes before the model check');
    assert.equal((await raw(sim, '/v1/nothing', undefined)).status, 404);
    const model = await rejection(client.models.retrieve('claude-nope'));
    assert.ok(model instanceof NotFoundError);
  });
});

test('injected faults: 529 OverloadedError, 500 InternalServerError, x-should-retry true', async () => {
  await withSim({ faultRate: 1, fault: '529' }, async (_sim, client) => {
    const e = await rejection(client.messages.create(userMessage('x')));
    assert.ok(e instanceof OverloadedError);
    assert.equal(e.status, 529);
    assert.equal(e.type, 'overloaded_error');
    assert.equal(e.headers?.get('x-should-retry'), 'true');
    assert.ok(e.headers?.get('anthropic-ratelimit-requests-limit'));
  });
  await withSim({ faultRate: 1, fault: '500' }, async (sim, client) => {
    const e = await rejection(client.messages.create(userMessage('x')));
    assert.ok(e instanceof InternalServerError && !(e instanceof OverloadedError));
    assert.equal(e.type, 'api_error');
    assert.equal(sim.stats().serverErrors, 1);
  });
});

test('mid-stream error event after HTTP 200 -> APIError without status', async () => {
  await withSim({ faultRate: 1, fault: 'stream-error' }, async (sim, client) => {
    const stream = await client.messages.create({ ...userMessage('go', 60), stream: true });
    const seen: string[] = [];
    const e = await rejection(
      (async () => {
        for await (const ev of stream) seen.push(ev.type);
      })(),
    );
    assert.equal(e.status, undefined);
    assert.equal(e.type, 'overloaded_error');
    assert.equal(seen[0], 'message_start');
    assert.ok(!seen.includes('message_stop'));
    assert.equal(sim.stats().streamErrors, 1);
    // A non-streaming request cannot fail mid-stream: it gets a 529.
    assert.ok((await rejection(client.messages.create(userMessage('x')))) instanceof OverloadedError);
  });
});

test('dropped connections -> APIConnectionError (streaming and not)', async () => {
  await withSim({ faultRate: 1, fault: 'disconnect' }, async (sim, client) => {
    const e = await rejection(client.messages.create(userMessage('x')));
    assert.ok(e instanceof APIConnectionError);
    const stream = await client.messages.create({ ...userMessage('go', 60), stream: true }).catch((x) => x);
    if (stream instanceof Error) {
      assert.ok(stream instanceof APIConnectionError);
    } else {
      // Mid-body, the SDK surfaces fetch's own error (undici "terminated"), not an APIError.
      let failed: unknown;
      try {
        for await (const _ of stream) void _;
      } catch (x) {
        failed = x;
      }
      assert.ok(failed instanceof Error, 'the stream must fail');
    }
    assert.equal(sim.stats().disconnects, 2);
  });
});

test('monthly spend cap -> EnforcedSpendLimitReachedError, no retry-after', async () => {
  // Opus 5.5 output is $20/M: 200 tokens cost $0.004, over a $0.001 cap after one request.
  await withSim({ spendCapUsd: 0.001 }, async (_sim, client) => {
    await client.messages.create({ ...userMessage('x', 200), model: 'claude-opus-5-5' });
    const e = await rejection(client.messages.create({ ...userMessage('x'), model: 'claude-opus-5-5' }));
    assert.ok(e instanceof EnforcedSpendLimitReachedError);
    assert.ok(e instanceof RateLimitError);
    assert.equal(e.errorCode, 'enforced_spend_limit_reached');
    assert.equal(e.headers?.get('retry-after'), null);
    assert.equal(e.headers?.get('x-should-retry'), 'false');
  });
});
