// The one secret scrubber and the one key-host policy shared by the CLI and the extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeKeyHost, scrubSecrets } from '../../src/core/index';

test('scrubSecrets removes the exact key value, not only sk-ant- shaped text', () => {
  const text = 'upstream said: bad key gw-TESTSECRET123; also sk-ant-api03-abc_DEF-123 and gw-TESTSECRET123';
  const out = scrubSecrets(text, ['gw-TESTSECRET123']);
  assert.equal(out, 'upstream said: bad key ***; also sk-ant-*** and ***');
  // Inside JSON strings too (a key with characters JSON escapes).
  const odd = 'key"with\\quote12';
  assert.equal(scrubSecrets(JSON.stringify({ m: `x ${odd} y` }), [odd]), '{"m":"x *** y"}');
  // Short or missing values are not secrets: masking them would wreck the text.
  assert.equal(scrubSecrets('a b c', ['a', undefined, '']), 'a b c');
});

test('judgeKeyHost: scheme, host and port must match; plain http to api.anthropic.com is refused', () => {
  assert.equal(judgeKeyHost('https://api.anthropic.com').kind, 'trusted');
  assert.equal(judgeKeyHost('https://api.anthropic.com/').kind, 'trusted');
  assert.equal(judgeKeyHost('http://api.anthropic.com').kind, 'refused');
  assert.equal(judgeKeyHost('http://api.anthropic.com', ['api.anthropic.com']).kind, 'refused');
  assert.equal(judgeKeyHost('https://api.anthropic.com:8443').kind, 'refused');
  assert.equal(judgeKeyHost('not a url').kind, 'refused');
  assert.deepEqual(judgeKeyHost('https://gw.example/v1'), {
    kind: 'unlisted',
    origin: 'https://gw.example',
    host: 'gw.example',
  });
  // Approved origins (what the extension stores): https approval does not approve http or another port.
  const approved = ['https://gw.example'];
  assert.equal(judgeKeyHost('https://gw.example', approved).kind, 'trusted');
  assert.equal(judgeKeyHost('https://gw.example:443/x', approved).kind, 'trusted');
  assert.equal(judgeKeyHost('http://gw.example', approved).kind, 'unlisted');
  assert.equal(judgeKeyHost('https://gw.example:8443', approved).kind, 'unlisted');
  // Bare hosts (CLI --allow-host): host[:port], any scheme.
  assert.equal(judgeKeyHost('http://127.0.0.1:4010', ['127.0.0.1:4010']).kind, 'trusted');
  assert.equal(judgeKeyHost('http://127.0.0.1:4011', ['127.0.0.1:4010']).kind, 'unlisted');
  assert.equal(judgeKeyHost('https://GW.example', [' gw.example ']).kind, 'trusted');
});
