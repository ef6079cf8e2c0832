// The report's text sections: header, summary tables, thresholds, diagnosis, errors and definitions.
import type { RunResult, Target } from '../../src/core/browser';
import type { PercentileSummary } from '../../src/core/browser';
import {
  fmtCount,
  fmtDateTime,
  fmtDuration,
  fmtMs,
  fmtNumber,
  fmtPct,
  fmtRate,
  fmtUsd,
} from '../shared/format';
import { h, metric } from '../shared/dom';
import { describeLoad } from '../shared/format';

const stopReasons: Record<string, string> = {
  completed: 'every scheduled request finished',
  requests: 'request count reached',
  duration: 'duration reached',
  budget: 'cost budget reached',
  aborted: 'stopped by the user',
  failed: 'the engine failed',
};

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

export function header(run: RunResult): HTMLElement {
  const s = run.scenario;
  const models = s.models
    .map((m) => (s.models.length > 1 ? `${m.model} (${fmtPct(m.share, 0)})` : m.model))
    .join(', ');
  const row = (label: string, value: Node | string, key?: string) =>
    h('div', { class: 'kv' }, h('dt', null, label), h('dd', key ? { 'data-field': key } : null, value));
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
      row(
        'Stop reason',
        `${run.summary.stopReason}: ${stopReasons[run.summary.stopReason] ?? ''}`,
        'stopReason',
      ),
      row('Model(s)', models, 'models'),
      row('Load', describeLoad(s.load), 'load'),
      row(
        'Request',
        `max_tokens ${s.maxTokens}, ${s.stream ? 'streaming' : 'not streaming'}, retries ${s.retries}, timeout ${fmtMs(s.timeoutMs)}`,
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

function table(head: string[], rows: Node[][], cls = ''): HTMLTableElement {
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
      'Throughput',
      metric('dd', 'throughput.rps', sm.throughput.rps, (v) => fmtRate(v)),
    ),
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
    kv('Cost', metric('dd', 'costUsd', sm.costUsd, fmtUsd)),
    kv('Cost per request', metric('dd', 'costPerRequestUsd', r.total ? sm.costUsd / r.total : null, fmtUsd)),
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
      run.diagnosis.map((d) =>
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
  const { rateLimitedBy, errorsByMessage } = run.summary;
  if (rateLimitedBy.length === 0 && errorsByMessage.length === 0) return null;
  return section(
    'errors',
    'Errors',
    rateLimitedBy.length
      ? table(
          ['429 bucket', 'limit', 'requests'],
          rateLimitedBy.map((r) => [
            h('td', null, r.bucket),
            h('td', null, r.limit),
            metric('td', `rateLimitedBy.${r.bucket}.${r.limit}`, r.count, fmtCount),
          ]),
        )
      : null,
    errorsByMessage.length
      ? table(
          ['outcome', 'message', 'requests'],
          errorsByMessage.map((e) => [
            h('td', null, e.outcome),
            h('td', { class: 'message' }, e.message),
            h('td', { class: 'num' }, fmtCount(e.count)),
          ]),
        )
      : null,
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
