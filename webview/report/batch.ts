// The results panel's batch section (a plan with "via": "batches"): request counts by result type, the
// state timeline, time to end, cost at the batch price against the Messages API, and the same load sent
// live when the plan asked for it. Every number carries data-metric / data-value for the tests.
import {
  batchCountsText,
  fmtCount,
  fmtDateTime,
  fmtMs,
  fmtNumber,
  fmtPct,
  fmtUsd,
} from '../../src/core/browser';
import type { BatchReport, BatchView, RequestCounts } from '../../src/core/browser';
import { h, metric } from '../shared/dom';
import { kvRow, table } from './sections';

const resultTypes = ['succeeded', 'errored', 'canceled', 'expired'] as const;
const ms = (v: number | null | undefined) => fmtMs(v);
const usd = (v: number | null | undefined) => fmtUsd(v);
/** A label and a metric element (already a dd) in a kv-grid. */
const kv = (label: string, value: Node) => h('div', { class: 'kv' }, h('dt', null, label), value);

/** Why a batch view cannot be shown, naming the field; null when it can. */
export function batchViewProblem(value: unknown): string | null {
  const v = value as Partial<BatchView> | null;
  if (!v || typeof v !== 'object') return 'the batch data is not an object';
  const r = v.report as Partial<BatchReport> | undefined;
  if (!r || typeof r !== 'object') return '"report" is missing';
  for (const k of ['outcomes', 'cost', 'tokens'] as const)
    if (!r[k] || typeof r[k] !== 'object') return `"report.${k}" is missing`;
  if (!Array.isArray(r.batches)) return '"report.batches" is missing';
  if (!Array.isArray(v.timeline)) return '"timeline" is missing';
  return null;
}

function header(v: BatchView): HTMLElement {
  const r = v.report;
  const row = kvRow;
  const n = r.batches.length;
  return h(
    'header',
    { class: 'report-header' },
    h('h1', { 'data-field': 'name' }, r.name),
    h(
      'p',
      { class: 'muted' },
      `Message Batches run · prices as of ${r.cost.catalogAsOf}` +
        (r.timeScale !== 1 ? ` · simulated, time x${fmtNumber(r.timeScale)}` : ''),
    ),
    r.canceled
      ? h(
          'p',
          { class: 'warning', 'data-field': 'canceled', role: 'status' },
          'Canceled: requests not yet processed were canceled; every batch has ended.',
        )
      : null,
    h(
      'dl',
      { class: 'kv-grid' },
      row('Target', r.baseUrl, 'target'),
      row('Model(s)', r.model, 'models'),
      row('Requests', metric('span', 'batch.requests', r.requests, fmtCount)),
      row('Batches', `${n} (${r.batches.map((b) => b.id).join(', ')})`, 'batchIds'),
      v.savedTo ? row('Saved to', v.savedTo, 'savedTo') : null,
    ),
  );
}

function counts(r: BatchReport): HTMLElement {
  const total = r.requests;
  const rows = resultTypes.map((k) => [
    h('th', { scope: 'row' }, k),
    metric('td', `batch.${k}`, r.outcomes[k], fmtCount),
    metric('td', `batch.${k}.share`, total ? r.outcomes[k] / total : null, (x) => fmtPct(x)),
  ]);
  const errors = Object.entries(r.errors);
  return h(
    'section',
    { class: 'card', id: 'batch-counts' },
    h('h2', null, 'Requests by result type'),
    table(['result', 'requests', 'share'], rows),
    errors.length
      ? h(
          'p',
          { class: 'muted', 'data-field': 'batch.errors' },
          'Errored by type: ',
          errors.flatMap(([type, n], i) => [
            i ? ', ' : '',
            `${type} `,
            metric('span', `batch.errors.${type}`, n, fmtCount),
          ]),
        )
      : null,
  );
}

function timing(v: BatchView): HTMLElement {
  const r = v.report;
  const c = r.completion;
  const scaled = r.timeScale !== 1 ? ' (simulated time)' : '';
  const stateRows = v.timeline.map((p) => [
    h('td', { class: 'num' }, fmtMs(p.elapsedMs)),
    h('td', { 'data-state': p.status }, p.status),
    h('td', null, batchCountsText(p.counts as RequestCounts)),
  ]);
  return h(
    'section',
    { class: 'card', id: 'batch-timing' },
    h('h2', null, 'Time to end'),
    h(
      'dl',
      { class: 'kv-grid' },
      kv(`Turnaround, submit to ended${scaled}`, metric('dd', 'batch.turnaroundMs', r.turnaroundMs, ms)),
      kv('Wall time of the run', metric('dd', 'batch.wallMs', r.wallMs, ms)),
      c
        ? kv('Per-request completion p50 (at most)', metric('dd', 'batch.completion.p50', c.p50Ms, ms))
        : null,
      c
        ? kv('Per-request completion p95 (at most)', metric('dd', 'batch.completion.p95', c.p95Ms, ms))
        : null,
    ),
    c
      ? h(
          'p',
          { class: 'muted' },
          `Completion times are seen by polling: upper bounds, resolution ${fmtMs(c.resolutionMs)}.`,
        )
      : null,
    h('h3', null, 'State timeline'),
    table(
      ['created', 'ended', 'turnaround', 'requests'],
      r.batches.map((b) => [
        h('td', null, fmtDateTime(b.createdAt)),
        h('td', null, b.endedAt ? fmtDateTime(b.endedAt) : 'not ended'),
        metric('td', `batch.turnaround.${b.id}`, b.turnaroundMs, ms),
        h('td', null, batchCountsText(b.counts)),
      ]),
    ),
    stateRows.length
      ? table(['since the first submit (real time)', 'status', 'requests'], stateRows, 'batch-timeline')
      : null,
  );
}

function cost(v: BatchView): HTMLElement {
  const r = v.report;
  const k = r.cost;
  const m = r.messagesApi;
  return h(
    'section',
    { class: 'card', id: 'batch-cost' },
    h('h2', null, 'Cost against the Messages API'),
    h(
      'dl',
      { class: 'kv-grid' },
      kv(
        `At the batch price (${fmtPct(k.batchDiscount, { digits: 0 })} off input and output)`,
        metric('dd', 'batch.cost.batchUsd', k.batchUsd, usd),
      ),
      kv(
        'The same usage through the Messages API',
        metric('dd', 'batch.cost.messagesUsd', k.messagesUsd, usd),
      ),
      kv('Saving', metric('dd', 'batch.cost.savingUsd', k.savingUsd, usd)),
      kv(
        'Tokens: input / output / cache read / cache write',
        h(
          'dd',
          null,
          [r.tokens.input, r.tokens.output, r.tokens.cacheRead, r.tokens.cacheWrite]
            .map((n) => fmtCount(n))
            .join(' / '),
        ),
      ),
    ),
    m
      ? h(
          'p',
          { 'data-field': 'batch.messagesApi' },
          m.unavailable
            ? `Messages API: ${m.unavailable}.`
            : [
                `Through the Messages API on the ${m.tier} tier these requests need `,
                metric('span', 'batch.messagesApi.minutes', m.minutes * 60_000, ms),
                ` at ${fmtCount(m.sustainableRpm)} RPM (bound by ${m.binding.toUpperCase()}); batches do not use those limits.`,
              ],
        )
      : null,
  );
}

function live(v: BatchView): HTMLElement | null {
  const l = v.live;
  if (!l) return null;
  const r = v.report;
  const row = (label: string, batch: Node, sent: Node) => [h('th', { scope: 'row' }, label), batch, sent];
  return h(
    'section',
    { class: 'card', id: 'batch-live' },
    h('h2', null, 'Compared with the same load sent live'),
    h('p', { class: 'muted' }, `The load test "${l.name}" sent the same requests through the Messages API.`),
    table(
      ['', 'Message Batches', 'Messages API (live)'],
      [
        row(
          'requests succeeded',
          metric('td', 'batch.succeeded.live', r.outcomes.succeeded, fmtCount),
          metric('td', 'live.ok', l.ok, fmtCount),
        ),
        row(
          'rate limited (429)',
          h('td', { class: 'num' }, '0'),
          metric('td', 'live.rateLimited', l.rateLimited, fmtCount),
        ),
        row(
          'wall time',
          metric('td', 'batch.wallMs.live', r.wallMs, ms),
          metric('td', 'live.durationMs', l.durationS * 1000, ms),
        ),
        row(
          'latency p50 / p95',
          h('td', null, 'per batch (above)'),
          h(
            'td',
            null,
            metric('span', 'live.latencyP50Ms', l.latencyP50Ms, ms),
            ' / ',
            metric('span', 'live.latencyP95Ms', l.latencyP95Ms, ms),
          ),
        ),
        row(
          'cost',
          metric('td', 'batch.cost.batchUsd.live', r.cost.batchUsd, usd),
          metric('td', 'live.costUsd', l.costUsd, usd),
        ),
      ],
    ),
  );
}

/** Every part of the batch section, in order. */
export function batchSections(v: BatchView): HTMLElement[] {
  return [header(v), counts(v.report), timing(v), cost(v), live(v)].filter(
    (x): x is HTMLElement => x !== null,
  );
}
