// The plan schema's model-id completion list is the catalog's model list (#14 item 3): a model added to
// the catalog without the schema fails here. To refresh: copy the "expected" array below into
// schemas/plan.schema.json at definitions.modelId.anyOf[0].enum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinCatalog } from '../../src/core/index';

const schema = JSON.parse(
  readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'),
) as {
  definitions: Record<string, { anyOf?: { enum?: string[]; type?: string }[] } & Record<string, unknown>>;
  properties: Record<string, { $ref?: string; items?: { properties: Record<string, { $ref?: string }> } }>;
};

test('the schema lists every catalog model id for completion, and still accepts other ids', () => {
  const modelId = schema.definitions.modelId;
  const expected = builtinCatalog.models.map((m) => m.id);
  assert.deepEqual(modelId?.anyOf?.[0]?.enum, expected);
  assert.equal(modelId?.anyOf?.[1]?.type, 'string', 'a gateway id stays valid');
  assert.equal(schema.properties.model?.$ref, '#/definitions/modelId');
  assert.equal(schema.properties.mix?.items?.properties.model?.$ref, '#/definitions/modelId');
});

test('a malformed duration is explained in words, not as the raw pattern', () => {
  const duration = schema.definitions.duration as { oneOf: { patternErrorMessage?: string }[] };
  assert.match(duration.oneOf[0]?.patternErrorMessage ?? '', /500ms, 30s, 5m or 1h/);
});
