// A saved run is meant to be shared; prompts are the user's data. Unless the scenario keeps them,
// run.json and report.html record each prompt as a digest: enough to recognise it, not the text.
import { createHash } from 'node:crypto';
import type { PromptDigest, PromptDigests, RecordedScenario, Scenario } from '../model/run';

export const promptPreviewChars = 120;
/** Digests kept per source; `count` still says how many prompts there were. */
export const maxPromptDigests = 1000;

export function digestPrompt(text: string): PromptDigest {
  return {
    sha256: createHash('sha256').update(text).digest('hex'),
    length: text.length,
    preview: text.length > promptPreviewChars ? `${text.slice(0, promptPreviewChars)}…` : text,
  };
}

/** The scenario as run.json keeps it: prompt and system texts digested unless `keepPrompts`. */
export function recordedScenario(scenario: Scenario): RecordedScenario {
  if (scenario.keepPrompts) return scenario;
  const { prompts, system } = scenario;
  const texts =
    prompts.type === 'fixed'
      ? [prompts.text]
      : prompts.type === 'list'
        ? prompts.items
        : prompts.type === 'messages'
          ? prompts.bodies.map((b) => JSON.stringify(b))
          : undefined; // synthetic prompts are generated filler: nothing of the user's to hide
  const recorded: PromptDigests | undefined = texts && {
    type: 'digest',
    of: prompts.type,
    count: texts.length,
    items: texts.slice(0, maxPromptDigests).map(digestPrompt),
    ...(prompts.type === 'messages' ? { source: prompts.source } : {}),
  };
  return {
    ...scenario,
    prompts: recorded ?? prompts,
    ...(system
      ? {
          system: {
            digest: digestPrompt(system.text),
            ...(system.cacheTtl ? { cacheTtl: system.cacheTtl } : {}),
          },
        }
      : {}),
  };
}
