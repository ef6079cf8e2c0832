// The capacity planner app. The host sends plan/init (models, tiers, last input); every edit posts the raw
// form values as plan/input (debounced); the host answers plan/result or plan/error. The form and the
// last result live in the webview state, so a re-created panel shows them before the host answers.
import { fmtNumber, fmtUsd } from '../../src/core/browser';
import type { PlanResult } from '../../src/core/browser';
import type {
  HostToPlanner,
  PlannerMeasured,
  PlannerModelOption,
  PlannerTierOption,
  PlannerToHost,
} from '../../src/shared/protocol/messages';
import { isHostToPlanner } from '../../src/shared/protocol/guards';
import { h } from '../shared/dom';
import { createButton, setDisabled } from '../shared/toolkit';
import { getVsCodeApi } from '../shared/vscodeApi';
import { buildForm } from './form';
import type { PlannerForm } from './form';
import { formFromInput, rawInputOf, sameJson } from './formModel';
import type { FormValues } from './formModel';
import { buildResults } from './results';

/** What the planner keeps in setState. */
export interface PlannerState {
  form: FormValues;
  /** The raw input of `form`, as last posted. */
  input: Record<string, unknown>;
  models: PlannerModelOption[];
  tiers: PlannerTierOption[];
  catalogAsOf?: string;
  result?: PlanResult;
}

/** Typing pauses shorter than this are one edit: the host recomputes once. */
const DEBOUNCE_MS = 150;

const root: HTMLElement =
  document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));

function start(): void {
  const api = getVsCodeApi<PlannerToHost, PlannerState>();
  if (!api) {
    root.append(h('div', { class: 'error-box', role: 'alert' }, 'The capacity planner runs inside VS Code.'));
    return;
  }
  let state: PlannerState | undefined = api.getState();
  let form: PlannerForm | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const formCol = h('div', { class: 'pl-form-col' }, h('p', { class: 'muted' }, 'Loading the catalog…'));
  const status = h('p', { class: 'pl-status', role: 'status', 'data-field': 'status' });
  const asOf = h('p', { class: 'muted small', 'data-field': 'catalogAsOf' });
  // A saved sweep of the same workload: measured beside predicted.
  const measured = h('p', { class: 'pl-measured', 'data-field': 'measured', hidden: true });
  const post = (m: PlannerToHost) => api.postMessage(m);
  const send = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (state) post({ type: 'plan/input', input: state.input });
  };
  const flush = (): void => {
    if (timer !== undefined) send();
  };
  // The buttons act on the host's last input: send any pending edit first.
  const action = (type: 'plan/save' | 'plan/copyMarkdown' | 'plan/loadTest' | 'plan/batchTest') => () => {
    flush();
    post({ type });
  };
  const buttons = [
    createButton({
      label: 'Save as plan file',
      appearance: 'primary',
      onClick: action('plan/save'),
      testId: 'plan-save',
    }),
    createButton({ label: 'Copy as Markdown', onClick: action('plan/copyMarkdown'), testId: 'plan-copy' }),
    createButton({
      label: 'Load test this plan',
      title: 'Run this traffic at peak rate against the built-in simulator',
      onClick: action('plan/loadTest'),
      testId: 'plan-load-test',
    }),
  ];
  // Links the batch share to running it: one hour of it as a Message Batch on the simulator.
  const batchTest = createButton({
    label: 'Run the batch share as a batch',
    title: 'Submit one hour of the batch share as a Message Batch on the built-in simulator',
    onClick: action('plan/batchTest'),
    testId: 'plan-batch-test',
  });
  const enableButtons = (on: boolean) => [...buttons, batchTest].forEach((b) => setDisabled(b, !on));
  enableButtons(false);
  const results = buildResults(
    h('nav', { class: 'toolbar pl-actions', 'aria-label': 'Plan actions' }, ...buttons),
    batchTest,
  );
  // Stays at the top while the form scrolls (a split editor stacks the form above the results).
  const sticky = h('p', { class: 'pl-sticky', 'data-field': 'stickySummary', hidden: true });
  root.replaceChildren(
    sticky,
    h(
      'main',
      { class: 'pl-layout' },
      formCol,
      h(
        'div',
        { class: 'pl-results-col' },
        h('h1', null, 'Capacity plan'),
        asOf,
        status,
        measured,
        results.el,
      ),
    ),
  );

  const save = (): void => {
    if (state) api.setState(state);
  };
  const onEdit = (): void => {
    if (!state) return;
    state.input = rawInputOf(state.form);
    save();
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(send, DEBOUNCE_MS);
  };
  const renderForm = (): void => {
    if (!state) return;
    form = buildForm(state.form, { models: state.models, tiers: state.tiers }, onEdit);
    asOf.textContent = state.catalogAsOf
      ? `Prices and limits from the catalog as of ${state.catalogAsOf}; a month is 30 days.`
      : '';
    formCol.replaceChildren(form.el);
    root.dataset.ready = 'form';
  };
  const showResult = (result: PlanResult): void => {
    results.update(result);
    results.setStale(false);
    sticky.replaceChildren(...stickySummary(result));
    sticky.hidden = false;
    status.textContent = '';
    enableButtons(true);
    root.dataset.results = String(Number(root.dataset.results ?? 0) + 1);
    root.dataset.state = 'ok';
  };

  const handle = (msg: HostToPlanner): void => {
    switch (msg.type) {
      case 'theme/changed':
        results.retheme();
        return;
      case 'plan/init': {
        const next = formFromInput(msg.input, msg.models[0]?.id);
        const changed =
          !state ||
          !sameJson(rawInputOf(state.form), rawInputOf(next)) ||
          !sameJson(state.models, msg.models) ||
          !sameJson(state.tiers, msg.tiers);
        // The host's input wins (it may come from a plan file); an identical one keeps the form as it is.
        const values = changed ? next : (state?.form ?? next);
        state = { ...state, form: values, input: rawInputOf(values), models: msg.models, tiers: msg.tiers };
        if (msg.catalogAsOf) state.catalogAsOf = msg.catalogAsOf;
        if (changed || !form) renderForm();
        save();
        send();
        return;
      }
      case 'plan/result':
        form?.clearErrors();
        showResult(msg.result);
        if (state) {
          state.result = msg.result;
          save();
        }
        return;
      case 'plan/measured':
        measured.replaceChildren(...(msg.measured ? measuredLine(msg.measured) : []));
        measured.hidden = msg.measured === null;
        root.dataset.measured = msg.measured ? 'yes' : 'no';
        return;
      case 'plan/error':
        {
          const problems = msg.problems?.length ? msg.problems : [{ field: msg.field, message: msg.message }];
          form?.showErrors(problems);
          results.setStale(true);
          enableButtons(false);
          const what =
            problems.length > 1 ? `the ${problems.length} highlighted fields` : 'the highlighted field';
          status.textContent = state?.result
            ? `Fix ${what}: the results below are for the last valid input.`
            : `Fix ${what} to see the plan.`;
        }
        root.dataset.state = 'error';
        return;
    }
  };

  if (state?.form && state.models) {
    renderForm();
    if (state.result) showResult(state.result);
  }
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (isHostToPlanner(e.data)) handle(e.data);
  });
  // VS Code switches themes by changing the body class; the charts re-read the colours.
  new MutationObserver(() => results.retheme()).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
  post({ type: 'planner/ready' });
}

start();

/** One line: the recommended tier and monthly cost; with one tier chosen, whether that tier fits. */
function stickySummary(r: PlanResult): (string | HTMLElement)[] {
  const cost = `${fmtUsd(r.cost.perMonthUsd)} / month`;
  const only = r.tiers.length === 1 ? r.tiers[0] : undefined;
  if (only) {
    return [
      h('strong', { 'data-field': 'chosenTierFits', 'data-value': String(only.fits) }, only.displayName),
      only.fits ? ' fits this traffic' : ' does not fit this traffic',
      ` · ${cost}`,
    ];
  }
  const tier = r.tiers.find((t) => t.name === r.recommendedTier)?.displayName ?? r.recommendedTier;
  return ['Recommended: ', h('strong', null, tier), ` · ${cost}`];
}

/** "Measured: 1,180 RPM (sweep "x", Build) · predicted 1,200 RPM · gap -1.7 %", each number tagged. */
function measuredLine(m: PlannerMeasured): (string | HTMLElement)[] {
  const rpm = (key: string, v: number) =>
    h(
      'strong',
      { 'data-metric': `measured.${key}`, 'data-value': v, class: 'num' },
      `${fmtNumber(v, 0)} RPM`,
    );
  const sign = m.gapPct >= 0 ? '+' : '−';
  return [
    'Measured: ',
    rpm('measuredRpm', m.measuredRpm),
    ` max sustainable (sweep “${m.sweepName}”, ${m.tier}, bound by ${m.binding}) · predicted `,
    rpm('predictedRpm', m.predictedRpm),
    ' · gap ',
    h(
      'strong',
      { 'data-metric': 'measured.gapPct', 'data-value': m.gapPct, class: 'num' },
      `${sign}${Math.abs(m.gapPct).toFixed(1)} %`,
    ),
  ];
}
