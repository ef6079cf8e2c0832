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
  clearErrors(): void;
}

interface Registered {
  control: HTMLElement;
  error: HTMLElement;
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
  customRpm: { label: 'Custom tier RPM (every bucket)' },
  customItpm: { label: 'Custom tier ITPM (input tokens per minute)' },
  customOtpm: { label: 'Custom tier OTPM (output tokens per minute)' },
  customSpendCapUsd: { label: 'Custom monthly spend cap, USD (optional)', placeholder: 'no cap' },
};

const statusNote: Record<string, string> = { legacy: ' (legacy)', deprecated: ' (deprecated)' };

function modelChoices(models: PlannerModelOption[], current: string[]): ChoiceOption[] {
  const out = models.map((m) => ({ value: m.id, label: `${m.displayName}${statusNote[m.status] ?? ''}` }));
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
  const register = (field: string, c: FormControl | HTMLElement): HTMLElement => {
    const control = c instanceof HTMLElement ? c : c.control;
    const root = c instanceof HTMLElement ? c : c.root;
    const error = errorSlot(field);
    root.append(error);
    registry.set(field, { control, error });
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
          ),
          createButton({
            label: 'Remove',
            ariaLabel: `Remove model ${i + 1} from the mix`,
            testId: `mix-remove-${i}`,
            onClick: () => {
              values.mix.splice(i, 1);
              renderRows();
              onChange();
            },
          }),
        ),
      ),
    );
  };
  renderRows();
  mixSet.append(
    createButton({
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
      },
    }),
  );
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
      clearErrors();
      const key = [field, ...parents(field)].find((f) => registry.has(f)) ?? 'input';
      const r = registry.get(key);
      if (!r) return;
      r.error.textContent = message;
      r.error.hidden = false;
      setInvalid(r.control, true, r.error.id);
    },
  };
}
