// The report's text sections: header, summary tables, thresholds, diagnosis, errors and definitions.
import {
  analyzeSpike,
  describeLoad,
  describePrompts,
  fmtCount,
  fmtDateTime,
  fmtDuration,
  fmtMs,
  fmtNumber,
  fmtPct,
  fmtRate,
  fmtUsd,
  spikeWindowOf,
} from '../../src/core/browser';
import type { PercentileSummary, RunResult, Target } from '../../src/core/browser';
import { h, metric } from '../shared/dom';
import { visibleDiagnosis } from '../shared/diagnosis';
import { errorRows } from './errorRows';

const stopReasons: Record<string, string> = {
  completed: 'every scheduled request finished',
  requests: 'request count reached',
  duration: 'duration reached',
  budget: 'cost budget reached',
  aborted: 'stopped by the user',
  failed: 'the engine failed',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function describeTarget(target: Target, url: string): string {
  switch (target.kind) {
    case 'simulator':
      return `built-in simulator (tier ${target.tier}, ${target.latency} latency${target.timeScale !== 1 ? `, time x${target.timeScale}` : ''})`;
    case 'anthropic':
      return `Anthropic API (${url})`;
    case 'url':
      return `compatible endpoint (${url})`;
  }
}

/** A label and its value in a kv-grid; `key` names the value (data-field) for tests. */
export function kvRow(label: string, value: Node | string, key?: string): HTMLElement {
  return h('div', { class: 'kv' }, h('dt', null, label), h('dd', key ? { 'data-field': key } : null, value));
}

export function header(run: RunResult): HTMLElement {
  const s = run.scenario;
  const models = s.models
    .map((m) => (s.models.length > 1 ? `${m.model} (${fmtPct(m.share, { digits: 0 })})` : m.model))
    .join(', ');
  const row = kvRow;
  return h(
    'header',
    { class: 'report-header' },
    h('h1', { 'data-field': 'name' }, run.name),
    h(
      'p',
      { class: 'muted' },
      `Claude Load & Scale ${run.tool.version} · prices as of ${run.environment.catalogAsOf}`,
    ),
    h(
      'dl',
      { class: 'kv-grid' },
      row('Target', describeTarget(s.target, run.targetUrl), 'target'),
      row('Started', h('time', { datetime: run.startedAt }, fmtDateTime(run.startedAt)), 'startedAt'),
      row('Duration', metric('span', 'durationS', run.summary.durationS, fmtDuration)),
      // Sending and the wait for in-flight requests after it, apart: rates are over the send window.
      run.summary.sendWindowS !== undefined
        ? row(
            'Send window + drain',
            `${fmtDuration(run.summary.sendWindowS)} + ${fmtDuration(run.summary.drainS ?? 0)}`,
            'sendWindowS',
          )
        : null,
      row(
        'Stop reason',
        // The description alone ("duration: duration reached" said it twice).
        capitalise(stopReasons[run.summary.stopReason] ?? run.summary.stopReason),
        'stopReason',
      ),
      row('Model(s)', models, 'models'),
      row('Load', describeLoad(s.load), 'load'),
      row('Prompt', describePrompts(s.prompts), 'prompts'),
      row(
        'Request',
        `max_tokens ${s.maxTokens}, ${s.stream ? 'streaming' : 'not streaming'}, retries ${s.retries}, timeout ${fmtDuration(s.timeoutMs / 1000)}`,
      ),
      row(
        'Generator',
        `Node ${run.environment.node} on ${run.environment.platform}, ${run.environment.cpus} CPUs`,
      ),
    ),
  );
}

function section(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  return h('section', { id, class: 'card' }, h('h2', null, title), ...children);
}

export function table(head: string[], rows: Node[][], cls = ''): HTMLTableElement {
  return h(
    'table',
    { class: `grid ${cls}` },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((r) => h('tr', null, r)),
    ),
  );
}

const outcomeRows: [keyof RunResult['summary']['requests'], string][] = [
  ['ok', 'ok'],
  ['rateLimited', '429 rate limited'],
  ['overloaded', '529 overloaded'],
  ['serverErrors', '5xx server error'],
  ['clientErrors', '4xx client error'],
  ['timeouts', 'timeout'],
  ['networkErrors', 'network error'],
  ['streamErrors', 'stream error'],
  ['aborted', 'aborted'],
];

const pctCols: [keyof PercentileSummary, string][] = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
  ['mean', 'mean'],
];

export function summary(run: RunResult): HTMLElement {
  const sm = run.summary;
  const r = sm.requests;
  const requests = table(
    ['outcome', 'requests', 'share'],
    [
      [h('th', { scope: 'row' }, 'total'), metric('td', 'requests.total', r.total, fmtCount), h('td')],
      ...outcomeRows
        .filter(([k]) => k === 'ok' || r[k] > 0)
        .map(([k, label]) => [
          h('th', { scope: 'row' }, label),
          metric('td', `requests.${k}`, r[k], fmtCount),
          metric('td', `requests.${k}.share`, r.total ? r[k] / r.total : null, (v) => fmtPct(v)),
        ]),
      [
        h('th', { scope: 'row' }, 'attempts (with retries)'),
        metric('td', 'requests.attempts', r.attempts, fmtCount),
        h('td'),
      ],
    ],
  );
  const perMs = (v: number | null | undefined) => fmtMs(v);
  const tps = (v: number | null | undefined) =>
    v === null || v === undefined ? '–' : `${fmtNumber(v, 1)} tok/s`;
  type PercentileRow = [string, string, PercentileSummary | null, (v: number | null | undefined) => string];
  const pRows: PercentileRow[] = [
    [
      'latency',
      sm.latencyUncorrectedMs ? 'end-to-end latency (corrected)' : 'end-to-end latency',
      sm.latencyMs,
      perMs,
    ],
    ['latencyUncorrected', 'latency, uncorrected', sm.latencyUncorrectedMs, perMs],
    ['sendLag', 'send lag', sm.sendLagMs, perMs],
    ['ttft', 'TTFT', sm.ttftMs, perMs],
    // Agentic and thinking runs: the first content (thinking, tool input) comes before the first text.
    ...(sm.tokens.thinking || sm.toolUseReplies
      ? [['firstContent', 'time to first content', sm.firstContentMs ?? null, perMs] satisfies PercentileRow]
      : []),
    ['tpot', 'TPOT', sm.tpotMs, perMs],
    ['outputTokensPerSec', 'output tokens/s per request', sm.outputTokensPerSecPerRequest, tps],
  ];
  const percentiles = table(
    ['metric', ...pctCols.map(([, l]) => l), 'count'],
    pRows
      .filter(
        (row): row is [string, string, PercentileSummary, (v: number | null | undefined) => string] =>
          row[2] !== null,
      )
      .map(([key, label, st, f]) => [
        h('th', { scope: 'row' }, label),
        ...pctCols.map(([c]) => metric('td', `${key}.${c}`, st[c], f)),
        metric('td', `${key}.count`, st.count, fmtCount),
      ]),
    'percentiles',
  );
  const t = sm.tokens;
  const kv = (label: string, el: HTMLElement) => h('div', { class: 'kv' }, h('dt', null, label), el);
  const totals = h(
    'dl',
    { class: 'kv-grid' },
    kv(
      'Throughput (successful)',
      metric('dd', 'throughput.rps', sm.throughput.rps, (v) => fmtRate(v)),
    ),
    sm.throughput.sentRps !== undefined
      ? kv(
          'Sent (achieved / offered)',
          metric(
            'dd',
            'throughput.sentRps',
            sm.throughput.sentRps,
            (v) =>
              `${fmtRate(v)} / ${sm.throughput.offeredRps === null || sm.throughput.offeredRps === undefined ? 'closed loop' : fmtRate(sm.throughput.offeredRps)}`,
          ),
        )
      : null,
    kv(
      'Output tokens/s',
      metric('dd', 'throughput.outputTokensPerSec', sm.throughput.outputTokensPerSec, (v) => fmtNumber(v, 1)),
    ),
    kv(
      'Goodput',
      metric('dd', 'throughput.goodputRps', sm.throughput.goodputRps, (v) =>
        v === null || v === undefined ? 'no SLO set' : fmtRate(v),
      ),
    ),
    kv(
      'Cost',
      metric('dd', 'costUsd', sm.costUsd, (v) => (sm.unpricedModels?.length ? 'unknown' : fmtUsd(v))),
    ),
    kv(
      'Cost per request',
      metric('dd', 'costPerRequestUsd', r.total ? sm.costUsd / r.total : null, (v) =>
        sm.unpricedModels?.length ? 'unknown' : fmtUsd(v),
      ),
    ),
    kv('Input tokens', metric('dd', 'tokens.input', t.input, fmtCount)),
    kv('Output tokens', metric('dd', 'tokens.output', t.output, fmtCount)),
    kv('Cache read tokens', metric('dd', 'tokens.cacheRead', t.cacheRead, fmtCount)),
    kv('Cache write tokens', metric('dd', 'tokens.cacheWrite', t.cacheWrite, fmtCount)),
    ...(t.thinking
      ? [kv('of which thinking (estimated)', metric('dd', 'tokens.thinking', t.thinking, fmtCount))]
      : []),
    ...(sm.toolUseReplies
      ? [kv('Tool-use replies', metric('dd', 'toolUseReplies', sm.toolUseReplies, fmtCount))]
      : []),
    kv(
      'Generator event loop',
      metric('dd', 'health.eventLoopUtilization', sm.health.eventLoopUtilization, (v) => fmtPct(v)),
    ),
    kv(
      'Generator CPU (cores)',
      metric('dd', 'health.cpuCores', sm.health.cpuCores, (v) => fmtNumber(v, 2)),
    ),
  );
  return section(
    'summary',
    'Summary',
    h(
      'div',
      { class: 'two-col' },
      h('div', null, h('h3', null, 'Requests'), requests),
      h('div', null, h('h3', null, 'Totals'), totals),
    ),
    h('h3', null, 'Percentiles'),
    h('div', { class: 'scroll-x' }, percentiles),
    sm.health.warnings.length
      ? h(
          'ul',
          { class: 'warnings' },
          sm.health.warnings.map((w) => h('li', null, w)),
        )
      : null,
  );
}

export function thresholds(run: RunResult): HTMLElement {
  const th = run.summary.thresholds;
  if (th.length === 0)
    return section('thresholds', 'Thresholds', h('p', { class: 'muted' }, 'No thresholds were set.'));
  const failed = th.filter((t) => !t.pass).length;
  return section(
    'thresholds',
    'Thresholds',
    h(
      'p',
      { 'data-field': 'thresholds.result', class: failed ? 'fail' : 'pass' },
      failed ? `${failed} of ${th.length} failed` : `all ${th.length} passed`,
    ),
    table(
      ['threshold', 'value', 'result'],
      th.map((t, i) => [
        h('td', null, h('code', null, t.expr)),
        metric(
          'td',
          `threshold.${i}.value`,
          t.value,
          /latency|ttft|tpot|sendlag/i.test(t.metric) ? fmtMs : (v) => fmtNumber(v, 2),
        ),
        h(
          'td',
          { class: t.pass ? 'pass' : 'fail', 'data-threshold': t.expr, 'data-pass': String(t.pass) },
          t.pass ? 'pass' : `fail${t.message ? `: ${t.message}` : ''}`,
        ),
      ]),
    ),
  );
}

export function diagnosis(run: RunResult): HTMLElement {
  return section(
    'diagnosis',
    'Diagnosis',
    h(
      'ul',
      { class: 'diagnosis' },
      visibleDiagnosis(run.diagnosis, run.summary.stopReason).map((d) =>
        h(
          'li',
          { class: `diag ${d.severity}`, 'data-diagnosis': d.id },
          h('span', { class: `badge ${d.severity}` }, d.severity),
          h('strong', null, d.title),
          h('p', null, d.detail),
          h('p', { class: 'advice' }, d.advice),
        ),
      ),
    ),
  );
}

export function errors(run: RunResult): HTMLElement | null {
  const rows = errorRows(run.summary);
  if (rows.length === 0) return null;
  // One table, so the columns line up (429s by limit first, then every other error by message).
  return section(
    'errors',
    'Errors',
    table(
      ['outcome', 'detail', 'requests'],
      rows.map((e) => [
        h('td', null, e.outcome),
        h('td', { class: 'message' }, e.detail),
        metric('td', e.field, e.count, fmtCount),
      ]),
    ),
  );
}

export function definitions(defs: Record<string, string>): HTMLElement {
  return section(
    'definitions',
    'Definitions',
    h(
      'dl',
      { class: 'definitions' },
      Object.entries(defs).flatMap(([k, v]) => {
        // Each text starts with "Name: ..."; the name becomes the term.
        const i = v.indexOf(': ');
        const [term, text] = i > 0 && i < 60 ? [v.slice(0, i), v.slice(i + 2)] : [k, v];
        return [h('dt', { 'data-definition': k }, term), h('dd', null, text)];
      }),
    ),
  );
}

/** Runs that mix models: counts, latency, tokens and cost per model (absent for one model). */
export function byModel(run: RunResult): HTMLElement | null {
  const models = run.summary.byModel;
  if (!models?.length) return null;
  const unpriced = new Set(run.summary.unpricedModels ?? []);
  const rows = models.map((m) => {
    const key = `byModel.${m.model}`;
    const lat = (v: number) => (m.latencyMs.count > 0 ? fmtMs(v) : '–');
    return [
      h('th', { scope: 'row' }, m.model),
      metric('td', `${key}.requests`, m.requests, fmtCount),
      metric('td', `${key}.ok`, m.outcomes.ok, fmtCount),
      metric('td', `${key}.rateLimited`, m.outcomes.rate_limited, fmtCount),
      metric('td', `${key}.overloaded`, m.outcomes.overloaded, fmtCount),
      metric('td', `${key}.latency.p50`, m.latencyMs.p50, (v) => lat(v ?? 0)),
      metric('td', `${key}.latency.p95`, m.latencyMs.p95, (v) => lat(v ?? 0)),
      metric('td', `${key}.latency.p99`, m.latencyMs.p99, (v) => lat(v ?? 0)),
      metric('td', `${key}.ttft.p95`, m.ttftMs.p95, (v) => (m.ttftMs.count > 0 ? fmtMs(v) : '–')),
      metric('td', `${key}.inputTokens`, m.inputTokens, fmtCount),
      metric('td', `${key}.outputTokens`, m.outputTokens, fmtCount),
      metric('td', `${key}.costUsd`, m.costUsd, (v) => (unpriced.has(m.model) ? 'unknown' : fmtUsd(v))),
    ];
  });
  return section(
    'by-model',
    'Per model',
    h(
      'div',
      { class: 'scroll-x' },
      table(
        [
          'model',
          'requests',
          'ok',
          '429',
          '529',
          'p50',
          'p95',
          'p99',
          'TTFT p95',
          'input tokens',
          'output tokens',
          'cost',
        ],
        rows,
      ),
    ),
  );
}

/** What a traffic spike cost (runs whose stages hold a peak, e.g. `run --stage`): as the CLI prints it. */
export function spike(run: RunResult): HTMLElement | null {
  const w = spikeWindowOf(run.scenario.load);
  if (!w) return null;
  const a = analyzeSpike(run.timeseries, w);
  const row = (label: string, key: 'before' | 'during' | 'after') => {
    const p = a[key];
    return [
      h('th', { scope: 'row' }, label),
      metric('td', `spike.${key}.requests`, p.requests, fmtCount),
      metric('td', `spike.${key}.rateLimited`, p.rateLimited, fmtCount),
      metric('td', `spike.${key}.rateLimitedRate`, p.rateLimitedRate, (v) => fmtPct(v)),
      metric('td', `spike.${key}.overloaded`, p.overloaded, fmtCount),
      metric('td', `spike.${key}.latencyP95Ms`, p.latencyP95Ms, (v) => fmtMs(v)),
    ];
  };
  return section(
    'spike',
    'Traffic spike',
    h(
      'p',
      null,
      `Peak ${fmtNumber(w.peakRps, 2)} req/s over a baseline of ${fmtNumber(w.baselineRps, 2)} req/s, ` +
        `from ${fmtNumber(w.startS, 1)} s to ${fmtNumber(w.endS, 1)} s (where the scheduled rate is above half-way to the peak). `,
      metric('span', 'spike.recoverS', a.recoverS, (v) =>
        v === null || v === undefined
          ? 'Latency did not return to its baseline before the run ended.'
          : `Latency was back to baseline ${fmtNumber(v, 0)} s after the spike.`,
      ),
    ),
    h(
      'div',
      { class: 'scroll-x' },
      table(
        ['', 'requests', '429', '429 share', '529', 'latency p95'],
        [row('before', 'before'), row('during', 'during'), row('after', 'after')],
      ),
    ),
  );
}
