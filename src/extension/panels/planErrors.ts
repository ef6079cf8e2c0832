// Every bad field of the planner form at once. The core validator stops at the first problem, so this
// asks it again with each bad value replaced (left out, then 0, then 1) until the input passes or a
// problem cannot be stepped over; the user then sees all of them together, each next to its field.
import type { Catalog } from '../../core/catalog/index';
import { answerPlanInput } from '../../core/planFile/fromCapacityPlan';
import type { PlanAnswer } from '../../core/planFile/fromCapacityPlan';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Most problems collected (the form has about 15 fields). */
const maxProblems = 20;
const standIns: unknown[] = [undefined, '0', '1'];

/** Sets (or, for undefined, removes) the value at a path like 'rpm', 'customLimits.rpm' or 'mix[1].share'. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): boolean {
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let obj: Record<string, unknown> | unknown[] = target;
  for (const k of keys.slice(0, -1)) {
    const next = (obj as Record<string, unknown>)[k];
    if (typeof next !== 'object' || next === null) return false;
    obj = next as Record<string, unknown>;
  }
  const last = keys.at(-1);
  if (last === undefined) return false;
  if (value === undefined && !Array.isArray(obj)) delete (obj as Record<string, unknown>)[last];
  else (obj as Record<string, unknown>)[last] = value;
  return true;
}

/** The plan for the input, or every problem found in it (the first is the one the validator names). */
export function collectPlanProblems(
  input: Record<string, unknown>,
  catalog: Catalog,
): { answer: PlanAnswer; problems: FieldProblem[] } {
  const answer = answerPlanInput(input, catalog);
  if (answer.ok) return { answer, problems: [] };
  const problems: FieldProblem[] = [{ field: answer.field, message: answer.message }];
  const probe = structuredClone(input);
  let current: PlanAnswer = answer;
  while (!current.ok && problems.length < maxProblems) {
    const field = current.field;
    if (field === 'input') break;
    let next: PlanAnswer | undefined;
    for (const v of standIns) {
      if (!setPath(probe, field, v)) break;
      const a = answerPlanInput(probe, catalog);
      if (a.ok || a.field !== field) {
        next = a;
        break;
      }
    }
    if (!next || next.ok) break;
    if (!problems.some((p) => p.field === next.field))
      problems.push({ field: next.field, message: next.message });
    else break;
    current = next;
  }
  return { answer, problems };
}
