// The planner form: toolkit controls bound to a FormValues object. Every edit updates the object and calls
// onChange; the host's plan/error names a field, which is highlighted with aria-invalid and a message.
import type { PlannerModelOption, PlannerTierOption } from '../../src/shared/protocol/messages';
import { h } from '../shared/dom';
import {
  createButton,
  createDropdown,
  createRadioGroup,
  createTextField,
  setInvalid,
} from '../shared/toolkit';
import type { ChoiceOption, FormControl } from '../shared/toolkit';
import { customFields, ensureMixRows, newMixRow } from './formModel';
import type { CustomField, FormValues, PlainField } from './formModel';

export interface FormOptions {
  models: PlannerModelOption[];
  tiers: PlannerTierOption[];
}

export interface PlannerForm {
  el: HTMLElement;
  /** Highlights the field (or its nearest registered parent) and shows the message next to it. */
  showError(field: string, message: string): void;
  /** Every problem at once, each next to its field, in the words of the field's label. */
  showErrors(problems: { field: string; message: string }[]): void;
  clearErrors(): void;
}

interface Registered {
  control: HTMLElement;
  error: HTMLElement;
  /** The label the user sees, used in place of the internal field path in messages. */
  label?: string;
}

/**
 * A validator message in the label's words: 'rpm must be a number >= 0 (got -1)' becomes
 * 'Requests per minute (average) must be a number ≥ 0 (got -1)'; 'mix[0].share …' becomes 'Share 1 …'.
 */
export function inLabelWords(message: string, field: string, label: string | undefined): string {
  const named = label && message.startsWith(field) ? `${label}${message.slice(field.length)}` : message;
  return named.replace(/ >= /g, ' ≥ ').replace(/ <= /g, ' ≤ ');
}

const labels: Record<PlainField | CustomField, { label: string; placeholder?: string }> = {
  rpm: { label: 'Requests per minute (average)' },
  peakFactor: { label: 'Peak factor (peak ÷ average, ≥ 1)', placeholder: '1' },
  inputTokens: { label: 'Input tokens per request' },
  outputTokens: { label: 'Output tokens per request' },
  cachedTokens: { label: 'Cached prefix tokens (part of the input)', placeholder: '0' },
  cacheHitRate: { label: 'Cache hit rate (0–1)', placeholder: '0' },
  batchShare: { label: 'Batch share (0–1, sent via Message Batches)', placeholder: '0' },
  duplicateShare: { label: 'Duplicate share (0–1, removed by coalescing)', placeholder: '0' },
  latencyS: { label: 'Latency per request, seconds (optional)', placeholder: 'model speed-profile estimate' },
  instances: { label: 'App instances sharing the API key', placeholder: '1' },
  customRpm: { label: 'Custom tier RPM (every bucket)' },
  customItpm: { label: 'Custom tier ITPM (input tokens per minute)' },
  customOtpm: { label: 'Custom tier OTPM (output tokens per minute)' },
  customSpendCapUsd: { label: 'Custom monthly spend cap, USD (optional)', placeholder: 'no cap' },
};

const statusNote: Record<string, string> = { legacy: ' (legacy)', deprecated: ' (deprecated)' };

function modelChoices(models: PlannerModelOption[], current: string[]): ChoiceOption[] {
  // The model id, as plan files, the CLI, the Run wizard, the live panel and the report show it: one name
  // for a model everywhere (display names mixed with ids read as two different models).
  const out = models.map((m) => ({ value: m.id, label: `${m.id}${statusNote[m.status] ?? ''}` }));
  // A model the catalog no longer lists (e.g. from an old plan file) stays visible; the host names the problem.
  for (const id of current) if (id && !models.some((m) => m.id === id)) out.push({ value: id, label: id });
  return out;
}

function tierChoices(tiers: PlannerTierOption[]): ChoiceOption[] {
  return [
    { value: '', label: 'All tiers' },
    ...tiers.map((t) => ({ value: t.name, label: t.displayName })),
    { value: 'custom', label: 'Custom limits…' },
  ];
}

function errorSlot(field: string): HTMLElement {
  const id = `err-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  return h('div', { id, class: 'pl-error', 'data-error-for': field, 'aria-live': 'polite', hidden: true });
}

/** Parent paths of a field: 'mix[1].share' -> 'mix[1]' -> 'mix'. */
function parents(field: string): string[] {
  const out: string[] = [];
  let f = field;
  for (;;) {
    const m = /^(.*)(\.[^.[\]]+|\[\d+\])$/.exec(f);
    if (!m || !m[1]) return out;
    f = m[1];
    out.push(f);
  }
}

export function buildForm(values: FormValues, opts: FormOptions, onChange: () => void): PlannerForm {
  const registry = new Map<string, Registered>();
  const register = (field: string, c: FormControl | HTMLElement, label?: string): HTMLElement => {
    const control = c instanceof HTMLElement ? c : c.control;
    const root = c instanceof HTMLElement ? c : c.root;
    const error = errorSlot(field);
    root.append(error);
    registry.set(field, { control, error, label });
    return root;
  };
  const text = (key: PlainField | CustomField, field: string = key) =>
    register(
      field,
      createTextField({
        ...labels[key],
        field,
        value: values[key],
        onInput: (v) => {
          values[key] = v;
          onChange();
        },
      }),
      labels[key].label,
    );

  // Traffic: one model, or a mix of models with shares.
  const single = h(
    'div',
    { class: 'pl-single', hidden: values.mode !== 'single' },
    register(
      'model',
      createDropdown({
        label: 'Model',
        field: 'model',
        value: values.model,
        options: modelChoices(opts.models, [values.model]),
        onChange: (v) => {
          values.model = v;
          onChange();
        },
      }),
      'Model',
    ),
  );
  const rows = h('div', { class: 'pl-mix-rows' });
  const mixSet = h(
    'fieldset',
    { class: 'pl-mix', 'data-field': 'mix', hidden: values.mode !== 'mix', 'aria-label': 'Model mix' },
    h('legend', null, 'Model mix (shares are fractions that sum to 1)'),
    rows,
  );
  const renderRows = (): void => {
    for (const k of [...registry.keys()]) if (k.startsWith('mix[')) registry.delete(k);
    const choices = modelChoices(
      opts.models,
      values.mix.map((m) => m.model),
    );
    rows.replaceChildren(
      ...values.mix.map((row, i) =>
        h(
          'div',
          { class: 'pl-mix-row', 'data-row': i },
          register(
            `mix[${i}].model`,
            createDropdown({
              label: `Model ${i + 1}`,
              field: `mix[${i}].model`,
              value: row.model,
              options: choices,
              onChange: (v) => {
                row.model = v;
                onChange();
              },
            }),
            `Model ${i + 1}`,
          ),
          register(
            `mix[${i}].share`,
            createTextField({
              label: `Share ${i + 1}`,
              field: `mix[${i}].share`,
              value: row.share,
              onInput: (v) => {
                row.share = v;
                onChange();
              },
            }),
            `Share ${i + 1}`,
          ),
          createButton({
            label: 'Remove',
            ariaLabel: `Remove model ${i + 1} from the mix`,
            testId: `mix-remove-${i}`,
            onClick: () => {
              values.mix.splice(i, 1);
              renderRows();
              onChange();
              // Focus stays in the mix: the row that took this place, else the last row, else Add model.
              const remaining = rows.querySelectorAll<HTMLElement>('[data-testid^="mix-remove-"]');
              (remaining[Math.min(i, remaining.length - 1)] ?? addButton).focus();
            },
          }),
        ),
      ),
    );
  };
  renderRows();
  const addButton = createButton({
    label: 'Add model',
    ariaLabel: 'Add a model to the mix',
    testId: 'mix-add',
    onClick: () => {
      values.mix.push(
        newMixRow(
          values,
          opts.models.map((m) => m.id),
        ),
      );
      renderRows();
      onChange();
      // Keyboard users continue in the new row: its model choice.
      rows
        .querySelector<HTMLElement>(`[data-row="${values.mix.length - 1}"] [data-field$=".model"]`)
        ?.focus();
    },
  });
  mixSet.append(addButton);
  register('mix', mixSet);

  const mode = createRadioGroup({
    label: 'Traffic',
    field: 'mode',
    value: values.mode,
    options: [
      { value: 'single', label: 'Single model' },
      { value: 'mix', label: 'Model mix' },
    ],
    onChange: (v) => {
      values.mode = v === 'mix' ? 'mix' : 'single';
      if (values.mode === 'mix') {
        ensureMixRows(values);
        renderRows();
      }
      single.hidden = values.mode !== 'single';
      mixSet.hidden = values.mode !== 'mix';
      onChange();
    },
  });

  const customSet = h(
    'fieldset',
    {
      class: 'pl-custom',
      'data-field': 'customLimits',
      hidden: values.tier !== 'custom',
      'aria-label': 'Custom tier limits',
    },
    h('legend', null, 'Custom tier limits'),
    ...(Object.keys(customFields) as CustomField[]).map((k) => text(k, customFields[k])),
  );
  register('customLimits', customSet);

  const section = (title: string, ...children: HTMLElement[]) =>
    h('div', { class: 'pl-section' }, h('h3', null, title), ...children);

  const el = h(
    'form',
    { class: 'pl-form card', 'aria-label': 'Traffic profile', novalidate: true },
    h('h2', null, 'Traffic profile'),
    section('Model', mode.root, single, mixSet),
    section('Rate', text('rpm'), text('peakFactor')),
    section('Tokens', text('inputTokens'), text('outputTokens')),
    section(
      'Prompt caching',
      text('cachedTokens'),
      text('cacheHitRate'),
      register(
        'cacheTtl',
        createDropdown({
          label: 'Cache TTL',
          field: 'cacheTtl',
          value: values.cacheTtl,
          options: [
            { value: '5m', label: '5 minutes (write 1.25× input)' },
            { value: '1h', label: '1 hour (write 2× input)' },
          ],
          onChange: (v) => {
            values.cacheTtl = v;
            onChange();
          },
        }),
      ),
    ),
    section('Batches and duplicates', text('batchShare'), text('duplicateShare')),
    section('Latency', text('latencyS')),
    section('Scale-out', text('instances')),
    section(
      'Tier',
      register(
        'tier',
        createDropdown({
          label: 'Tier to evaluate',
          field: 'tier',
          value: values.tier,
          options: tierChoices(opts.tiers),
          onChange: (v) => {
            values.tier = v;
            customSet.hidden = v !== 'custom';
            onChange();
          },
        }),
      ),
      customSet,
    ),
  );
  // A form-level slot for errors that name no field of the form ('input').
  el.append(register('input', h('div', { class: 'pl-form-error' })));
  el.addEventListener('submit', (e) => e.preventDefault());

  const clearErrors = (): void => {
    for (const r of registry.values()) {
      setInvalid(r.control, false);
      r.error.textContent = '';
      r.error.hidden = true;
    }
  };
  return {
    el,
    clearErrors,
    showError(field, message) {
      this.showErrors([{ field, message }]);
    },
    showErrors(problems) {
      clearErrors();
      for (const { field, message } of problems) {
        const key = [field, ...parents(field)].find((f) => registry.has(f)) ?? 'input';
        const r = registry.get(key);
        if (!r) continue;
        const text = inLabelWords(message, field, key === field ? r.label : undefined);
        // Two problems in one slot (a parent of both): both are shown.
        r.error.textContent = r.error.hidden ? text : `${r.error.textContent ?? ''} ${text}`;
        r.error.hidden = false;
        setInvalid(r.control, true, r.error.id);
      }
    },
  };
}
