// The planner form as plain data: what the user typed (strings, as typed), converted from and to the raw
// input the host validates. No DOM here, so the conversions stay easy to reason about.

export type TrafficMode = 'single' | 'mix';

export interface MixRow {
  model: string;
  share: string;
}

export interface FormValues {
  mode: TrafficMode;
  model: string;
  /** Kept while the single-model mode is shown, so switching back restores the rows. */
  mix: MixRow[];
  rpm: string;
  peakFactor: string;
  inputTokens: string;
  outputTokens: string;
  cachedTokens: string;
  cacheHitRate: string;
  cacheTtl: string;
  batchShare: string;
  duplicateShare: string;
  latencyS: string;
  /** App instances sharing the org's limits; '' = 1. */
  instances: string;
  /** '' = every catalog tier. */
  tier: string;
  customRpm: string;
  customItpm: string;
  customOtpm: string;
  customSpendCapUsd: string;
}

/** Text fields that map one-to-one onto PlanInput keys. */
export const plainFields = [
  'rpm',
  'peakFactor',
  'inputTokens',
  'outputTokens',
  'cachedTokens',
  'cacheHitRate',
  'batchShare',
  'duplicateShare',
  'latencyS',
  'instances',
] as const;
export type PlainField = (typeof plainFields)[number];

/** Custom-tier fields: form key -> PlanInput field path (what plan/error names). */
export const customFields = {
  customRpm: 'customLimits.rpm',
  customItpm: 'customLimits.itpm',
  customOtpm: 'customLimits.otpm',
  customSpendCapUsd: 'customSpendCapUsd',
} as const;
export type CustomField = keyof typeof customFields;

export function emptyForm(model = ''): FormValues {
  return {
    mode: 'single',
    model,
    mix: [],
    rpm: '',
    peakFactor: '',
    inputTokens: '',
    outputTokens: '',
    cachedTokens: '',
    cacheHitRate: '',
    cacheTtl: '5m',
    batchShare: '',
    duplicateShare: '',
    latencyS: '',
    instances: '',
    tier: '',
    customRpm: '',
    customItpm: '',
    customOtpm: '',
    customSpendCapUsd: '',
  };
}

/** A value from a raw input (number, string, null) as form text. */
function text(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return typeof v === 'string' ? v : '';
}

function asObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Form values from a raw planner input (the host's last input, or a plan file's `plan` section). */
export function formFromInput(raw: Record<string, unknown>, fallbackModel = ''): FormValues {
  const f = emptyForm(text(raw.model) || fallbackModel);
  const mix = Array.isArray(raw.mix) ? raw.mix.map(asObject) : [];
  f.mix = mix.map((m) => ({ model: text(m.model), share: text(m.share) }));
  f.mode = f.mix.length > 0 ? 'mix' : 'single';
  if (f.mode === 'mix' && !f.model) f.model = f.mix[0]?.model ?? '';
  for (const k of plainFields) f[k] = text(raw[k]);
  f.cacheTtl = text(raw.cacheTtl) || '5m';
  f.tier = text(raw.tier);
  const custom = asObject(raw.customLimits);
  f.customRpm = text(custom.rpm);
  f.customItpm = text(custom.itpm);
  f.customOtpm = text(custom.otpm);
  f.customSpendCapUsd = text(raw.customSpendCapUsd);
  return f;
}

/**
 * The raw input posted as plan/input: strings as typed, empty fields left out (the validator treats a
 * missing field and an empty one alike), only the active traffic mode, custom limits only for 'custom'.
 */
export function rawInputOf(f: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: string) => {
    if (v.trim() !== '') out[k] = v.trim();
  };
  if (f.mode === 'mix') out.mix = f.mix.map((m) => ({ model: m.model, share: m.share.trim() }));
  else put('model', f.model);
  for (const k of plainFields) put(k, f[k]);
  put('cacheTtl', f.cacheTtl);
  put('tier', f.tier);
  if (f.tier === 'custom') {
    const limits: Record<string, string> = {};
    if (f.customRpm.trim()) limits.rpm = f.customRpm.trim();
    if (f.customItpm.trim()) limits.itpm = f.customItpm.trim();
    if (f.customOtpm.trim()) limits.otpm = f.customOtpm.trim();
    out.customLimits = limits;
    put('customSpendCapUsd', f.customSpendCapUsd);
  }
  return out;
}

/** A new mix row: the first model not in the mix yet, with the share left to reach 1. */
export function newMixRow(f: FormValues, modelIds: string[]): MixRow {
  const used = new Set(f.mix.map((m) => m.model));
  const model = modelIds.find((id) => !used.has(id)) ?? modelIds[0] ?? '';
  const sum = f.mix.reduce((s, m) => s + (Number(m.share) || 0), 0);
  const rest = Math.max(0, Math.round((1 - sum) * 1000) / 1000);
  return { model, share: String(rest) };
}

/** Switching to a mix starts from the single model with share 1. */
export function ensureMixRows(f: FormValues): void {
  if (f.mix.length === 0) f.mix = [{ model: f.model, share: '1' }];
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
