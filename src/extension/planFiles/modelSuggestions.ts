// The model ids a plan-file diagnostic suggests (no vscode here, so it is unit-tested); modelFix.ts turns
// them into Quick Fixes.

const modelId = '[a-z0-9][a-z0-9.-]*';
const suggestionLists = [
  new RegExp(`Did you mean (${modelId}(?: or ${modelId})*)\\?`),
  new RegExp(`Use (${modelId}(?: or ${modelId})*)\\.`),
];

/** The model ids a diagnostic message suggests, in its order (none when it suggests nothing). */
export function suggestedModels(message: string): string[] {
  for (const re of suggestionLists) {
    const m = re.exec(message);
    if (m?.[1]) return m[1].split(' or ');
  }
  return [];
}

/** The replacement for the flagged text: a JSON string stays quoted. */
export function replacementText(flagged: string, id: string): string {
  return flagged.trimStart().startsWith('"') ? JSON.stringify(id) : id;
}
