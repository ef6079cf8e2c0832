// What is wrong with a plan file beyond its JSON schema, as plain data with text offsets (no vscode:
// unit-tested directly; diagnostics.ts turns these into editor diagnostics).
import { dirname } from 'node:path';
import {
  findFieldRange,
  findModel,
  JsoncError,
  parseJsonc,
  parseScenario,
  ScenarioError,
  type Catalog,
  type Scenario,
} from '../../core/index';

export interface PlanProblem {
  severity: 'error' | 'warning' | 'info';
  message: string;
  field: string;
  offset: number;
  length: number;
}

export function planFileProblems(
  text: string,
  file: string,
  catalog: Catalog,
  budgetPerRunUsd: number,
): PlanProblem[] {
  let raw: unknown;
  try {
    raw = parseJsonc(text, file);
  } catch (e) {
    // VS Code's JSON support already reports syntax errors; one of ours would duplicate them.
    if (e instanceof JsoncError) return [];
    throw e;
  }
  const at = (field: string) => findFieldRange(text, field);
  const out: PlanProblem[] = [];
  try {
    const scenario = parseScenario(raw, { catalog, baseDir: dirname(file), source: file });
    const usesMix = typeof raw === 'object' && raw !== null && 'mix' in raw;
    scenario.models.forEach((m, i) => {
      const entry = findModel(catalog, m.model);
      if (entry?.status !== 'deprecated') return;
      const field = usesMix ? `mix[${i}].model` : 'model';
      out.push({
        severity: 'warning',
        field,
        message: `${m.model} is deprecated: end of life ${entry.endOfLife}. Move to ${entry.replacement ?? 'a current model'}.`,
        ...at(field),
      });
    });
    if (scenario.via === 'batches') {
      for (const n of batchPlanNotes(raw as Record<string, unknown>, scenario))
        out.push({ ...n, ...at(n.field) });
    }
    if (scenario.target.kind !== 'simulator' && scenario.maxCostUsd === undefined) {
      out.push({
        severity: 'info',
        field: 'target',
        message:
          budgetPerRunUsd > 0
            ? `This plan sends real requests with no "maxCostUsd": the claudeLoad.budgetPerRunUsd setting ($${budgetPerRunUsd}) will cap it.`
            : 'This plan sends real requests with no "maxCostUsd" and no budget setting: nothing caps its cost.',
        ...at('target'),
      });
    }
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    // Every problem at once, each at its own field.
    for (const p of e.problems)
      out.push({ severity: 'error', field: p.field, message: p.message, ...at(p.field) });
  }
  return out;
}

/** Fields of a "via": "batches" plan that a batch run does not use (only its live comparison may). */
function batchPlanNotes(
  raw: Record<string, unknown>,
  scenario: Scenario,
): Omit<PlanProblem, 'offset' | 'length'>[] {
  const live = scenario.batch?.compareLive === true;
  const notes: Omit<PlanProblem, 'offset' | 'length'>[] = [];
  if (raw.stream === true) {
    notes.push({
      severity: 'info',
      field: 'stream',
      message: live
        ? 'A batch never streams; "stream" applies only to the live comparison (batch.compareLive).'
        : 'A batch never streams: "stream" is not used ("via": "batches"), and TTFT is not measured.',
    });
  }
  for (const field of ['load', 'thresholds'] as const) {
    if (raw[field] === undefined || live) continue;
    notes.push({
      severity: 'warning',
      field,
      message:
        field === 'load'
          ? '"load" is not used by a batch run: the API processes a batch at its own pace. It applies only to the live comparison ("batch": {"compareLive": true}).'
          : '"thresholds" are not checked in a batch run (they judge a load test). They apply only to the live comparison ("batch": {"compareLive": true}).',
    });
  }
  return notes;
}
