// The planner's results: requirements, cost, tier fit, concurrency, advice and two charts. Built once;
// update() replaces the text parts and redraws the charts (the canvases persist). Every number sits in
// an element with data-metric (a path into PlanResult, or summary.*) and its unrounded data-value.
import { fmtNumber, fmtPct, fmtUsd } from '../../src/core/browser';
import type { CostBreakdown, PlanResult, RateRequirement, TierEvaluation } from '../../src/core/browser';
import { chartCard, h } from '../shared/dom';
import type { Child } from '../shared/dom';
import type { ChartHandle } from '../shared/charts';
import { createCostBreakdownChart, createTierUtilisationChart, utilisationCapPct } from './planCharts';

export interface PlannerResults {
  el: HTMLElement;
  update(result: PlanResult): void;
  /** Marks the shown results as belonging to an older input (the current one has an error). */
  setStale(stale: boolean): void;
  retheme(): void;
}

type Tag = 'td' | 'dd' | 'span' | 'strong';

function num<K extends Tag>(tag: K, key: string, value: number | null, format: (n: number) => string) {
  return h(
    tag,
    { 'data-metric': key, 'data-value': value ?? '', class: 'num' },
    value === null ? '–' : format(value),
  );
}

const usd = (n: number) => fmtUsd(n);
const rate = (n: number) => fmtNumber(n, 1);
const tokens = (n: number) => fmtNumber(n, 0);
const pct = (n: number) => fmtPct(n);

/** Column headers; `numeric` columns are right-aligned like their numbers. */
function thead(head: string[], numeric: (i: number) => boolean): HTMLElement {
  return h(
    'thead',
    null,
    h('tr', null, ...head.map((c, i) => h('th', { scope: 'col', class: numeric(i) ? 'num' : null }, c))),
  );
}

function table(caption: string, head: string[], rows: Child[][], cls = ''): HTMLElement {
  return h(
    'div',
    { class: 'scroll-x' },
    h(
      'table',
      { class: `grid ${cls}` },
      h('caption', { class: 'pl-caption' }, caption),
      thead(head, (i) => i > 0),
      h('tbody', null, ...rows.map((r) => h('tr', null, ...r))),
    ),
  );
}

function kv(label: string, value: Child): HTMLElement {
  return h(
    'div',
    { class: 'kv' },
    h('dt', null, label),
    value instanceof HTMLElement ? value : h('dd', null, value),
  );
}

function rateRow(label: string, key: string, r: RateRequirement, peak: boolean): Child[] {
  const [rpm, itpm, otpm] = peak
    ? (['peakRpm', 'peakItpm', 'peakOtpm'] as const)
    : (['rpm', 'itpm', 'otpm'] as const);
  return [
    h('th', { scope: 'row' }, label),
    num('td', `${key}.${rpm}`, r[rpm], rate),
    num('td', `${key}.${itpm}`, r[itpm], tokens),
    num('td', `${key}.${otpm}`, r[otpm], tokens),
  ];
}

function summary(r: PlanResult): Child[] {
  const tier = r.tiers.find((t) => t.name === r.recommendedTier)?.displayName ?? r.recommendedTier;
  return [
    h(
      'h2',
      null,
      'Recommended tier: ',
      h('strong', { 'data-field': 'recommendedTier', 'data-value': r.recommendedTier }, tier),
    ),
    recommendationReason(r),
    h(
      'dl',
      { class: 'kv-grid' },
      kv('Cost per month (30-day month)', num('dd', 'summary.costPerMonthUsd', r.cost.perMonthUsd, usd)),
      kv('Requests in flight at peak', num('dd', 'summary.concurrency', r.concurrencyRoundedUp, tokens)),
      kv('Peak Messages API RPM', num('dd', 'summary.peakMessagesRpm', r.traffic.peakMessagesRpm, rate)),
    ),
  ];
}

/** A tier's reason ("closest limit: …; $…/month within …", or its problems) as separate points. */
function points(reason: string): string[] {
  return reason
    .split('; ')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1));
}

/**
 * Why this tier, as a short list rather than one run of semicolons: its closest limit and cost, then
 * each smaller standard tier with what does not fit. Built from the tiers' own fields; the core's
 * one-paragraph reason (kept for the CLI and Markdown) shows when the list cannot be built.
 */
function recommendationReason(r: PlanResult): HTMLElement {
  const standard = r.tiers.filter((t) => t.kind === 'standard');
  const at = standard.findIndex((t) => t.name === r.recommendedTier);
  const chosen = standard[at];
  if (!chosen || r.tiers.length === 1)
    return h('p', { 'data-field': 'recommendedReason' }, r.recommendedReason);
  const smaller = standard.slice(0, at);
  return h(
    'div',
    { 'data-field': 'recommendedReason' },
    h('p', null, `${chosen.displayName} is the smallest standard tier that fits at peak:`),
    h('ul', { class: 'pl-reasons' }, ...points(chosen.reason).map((p) => h('li', null, p))),
    smaller.length
      ? h('p', null, smaller.length === 1 ? 'The smaller tier does not fit:' : 'Smaller tiers do not fit:')
      : null,
    smaller.length
      ? h(
          'ul',
          { class: 'pl-reasons' },
          ...smaller.map((t) => {
            const why = points(t.reason);
            return h(
              'li',
              { 'data-tier': t.name },
              h('strong', null, `${t.displayName}: `),
              why.length === 1 ? why[0]! : h('ul', null, ...why.map((p) => h('li', null, p))),
            );
          }),
        )
      : null,
  );
}

function requirements(r: PlanResult): Child[] {
  const q = r.requirements;
  const t = r.traffic;
  const rows: Child[][] = [
    rateRow('average', 'requirements', q, false),
    rateRow('peak', 'requirements', q, true),
  ];
  for (const b of q.buckets) {
    const key = `requirements.buckets.${b.bucket}`;
    rows.push(
      // A rate-limit bucket (shared by a model family), named as such so it is not read as a model.
      rateRow(`${b.displayName} bucket: average`, key, b, false),
      rateRow(`${b.displayName} bucket: peak`, key, b, true),
    );
  }
  return [
    h('h2', null, 'Requirements'),
    table(
      'Messages API (batched and coalesced requests excluded; cache reads do not count toward ITPM)',
      ['', 'RPM', 'ITPM', 'OTPM'],
      rows,
    ),
    h(
      'dl',
      { class: 'kv-grid' },
      kv('Arriving RPM', num('dd', 'traffic.incomingRpm', t.incomingRpm, rate)),
      kv('Removed by coalescing, RPM', num('dd', 'traffic.coalescedRpm', t.coalescedRpm, rate)),
      kv('Via Message Batches, RPM', num('dd', 'traffic.batchRpm', t.batchRpm, rate)),
      kv('Messages API RPM', num('dd', 'traffic.messagesRpm', t.messagesRpm, rate)),
      kv('Requests per day', num('dd', 'traffic.requestsPerDay', t.requestsPerDay, tokens)),
      kv(
        'Cache reads, tokens/min',
        num('dd', 'requirements.cacheReadTokensPerMinute', q.cacheReadTokensPerMinute, tokens),
      ),
    ),
  ];
}

const costLines: [keyof CostBreakdown, string][] = [
  ['inputUsd', 'input'],
  ['outputUsd', 'output'],
  ['cacheWriteUsd', 'cache write'],
  ['cacheReadUsd', 'cache read'],
];

function cost(r: PlanResult): Child[] {
  const c = r.cost;
  const rows: Child[][] = costLines.map(([k, label]) => [
    h('th', { scope: 'row' }, label),
    num('td', `cost.breakdown.${k}`, c.breakdown[k], usd),
    num('td', `cost.breakdownPerDay.${k}`, c.breakdownPerDay[k], usd),
    num('td', `cost.breakdownPerMonth.${k}`, c.breakdownPerMonth[k], usd),
  ]);
  rows.push([
    h('th', { scope: 'row' }, 'total'),
    num('td', 'cost.perRequestUsd', c.perRequestUsd, usd),
    num('td', 'cost.perDayUsd', c.perDayUsd, usd),
    num('td', 'cost.perMonthUsd', c.perMonthUsd, usd),
  ]);
  const out: Child[] = [
    table(
      `Cost in USD (a month is ${r.monthDays} days)`,
      ['', 'per request', 'per day', `per month (${r.monthDays} days)`],
      rows,
      'pl-cost',
    ),
    h('p', { class: 'muted small' }, c.note),
  ];
  if (c.byModel.length > 1) {
    out.push(
      table(
        'Cost by model',
        ['model', 'share', 'per request', 'per month'],
        c.byModel.map((m) => [
          h('th', { scope: 'row' }, m.model),
          num('td', `cost.byModel.${m.model}.share`, m.share, pct),
          num('td', `cost.byModel.${m.model}.perRequestUsd`, m.perRequestUsd, usd),
          num('td', `cost.byModel.${m.model}.perMonthUsd`, m.perMonthUsd, usd),
        ]),
      ),
    );
  }
  return out;
}

function tierRow(t: TierEvaluation, recommended: boolean): HTMLElement {
  const key = `tiers.${t.name}`;
  const u = t.utilization;
  return h(
    'tr',
    {
      'data-tier': t.name,
      class: [t.fits ? 'fits' : 'no-fit', recommended ? 'pl-recommended' : ''].join(' '),
    },
    h(
      'th',
      { scope: 'row' },
      t.displayName,
      recommended ? h('span', { class: 'badge info pl-badge' }, 'recommended') : null,
    ),
    h('td', { 'data-field': `${key}.fits`, class: t.fits ? 'pass' : 'fail' }, t.fits ? 'yes' : 'no'),
    num('td', `${key}.utilization.rpm`, u.rpm, pct),
    num('td', `${key}.utilization.itpm`, u.itpm, pct),
    num('td', `${key}.utilization.otpm`, u.otpm, pct),
    num('td', `${key}.utilization.spend`, u.spend, pct),
    num('td', `${key}.monthlySpendCapUsd`, t.monthlySpendCapUsd, usd),
    h('td', { 'data-field': `${key}.binding` }, t.binding),
    h('td', { class: 'pl-reason' }, t.reason),
  );
}

function tiers(r: PlanResult): Child[] {
  const head = ['tier', 'fits', 'RPM', 'ITPM', 'OTPM', 'spend', 'spend cap', 'binding limit', 'why'];
  return [
    h(
      'div',
      { class: 'scroll-x' },
      h(
        'table',
        { class: 'grid pl-tiers' },
        h('caption', { class: 'pl-caption' }, 'Utilisation at peak (spend = monthly cost ÷ cap; – = no cap)'),
        thead(head, (i) => i >= 2 && i <= 6),
        h('tbody', null, ...r.tiers.map((t) => tierRow(t, t.name === r.recommendedTier))),
      ),
    ),
  ];
}

function concurrency(r: PlanResult): Child[] {
  const rps = r.traffic.peakMessagesRpm / 60;
  const source =
    r.latency.source === 'input' ? 'the latency you gave' : "an estimate from the models' speed profiles";
  return [
    h('h2', null, 'Concurrency'),
    h(
      'p',
      null,
      num('strong', 'concurrencyRoundedUp', r.concurrencyRoundedUp, tokens),
      ' requests in flight at peak (Little’s law: ',
      num('span', 'concurrency', r.concurrency, (n) => fmtNumber(n, 2)),
      ` = ${fmtNumber(rps, 2)} req/s × `,
      num('span', 'latency.seconds', r.latency.seconds, (n) => `${fmtNumber(n, 2)} s`),
      ' latency, ',
      h('span', { 'data-field': 'latency.source', 'data-value': r.latency.source }, source),
      ').',
    ),
  ];
}

function advice(r: PlanResult): Child[] {
  const out: Child[] = [h('h2', null, 'Recommendations and warnings')];
  if (r.recommendations.length === 0 && r.warnings.length === 0)
    out.push(h('p', { class: 'muted' }, 'None.'));
  if (r.recommendations.length) {
    out.push(
      h(
        'ul',
        { class: 'diagnosis' },
        ...r.recommendations.map((x) =>
          h(
            'li',
            { class: 'diag info', 'data-recommendation': x.id },
            h('span', { class: 'badge info' }, x.id),
            x.savingUsdPerMonth !== undefined
              ? h(
                  'span',
                  { class: 'pl-saving' },
                  'saves ',
                  num('span', `recommendations.${x.id}.savingUsdPerMonth`, x.savingUsdPerMonth, usd),
                  ' per month',
                )
              : null,
            h('p', null, x.message),
          ),
        ),
      ),
    );
  }
  if (r.warnings.length) {
    out.push(
      h(
        'ul',
        { class: 'diagnosis' },
        ...r.warnings.map((x) =>
          h(
            'li',
            { class: 'diag warning', 'data-warning': x.id },
            h('span', { class: 'badge warning' }, x.id),
            h('p', null, x.message),
          ),
        ),
      ),
    );
  }
  return out;
}

/**
 * `batchAction`: the button that runs the batch share as a Message Batch, shown under the requirements
 * when some traffic goes via Message Batches.
 */
export function buildResults(toolbar: HTMLElement, batchAction?: HTMLElement): PlannerResults {
  const body = (id: string) => h('div', { class: 'pl-body', 'data-section': id });
  const parts = {
    summary: body('summary'),
    requirements: body('requirements'),
    cost: body('cost'),
    tiers: body('tiers'),
    concurrency: body('concurrency'),
    advice: body('advice'),
  };
  const utilCard = chartCard(
    'tier-utilisation',
    'Peak utilisation per tier',
    `Dashed line: 100 % of a limit. Bars above ${utilisationCapPct} % are cut (zigzag) and labelled with their value.`,
  );
  const costCard = chartCard('cost-breakdown', 'Monthly cost breakdown', 'USD per 30-day month.');
  const asOf = h('span', { 'data-field': 'asOf' });
  const el = h(
    'div',
    { class: 'pl-results', hidden: true },
    toolbar,
    h('section', { id: 'plan-summary', class: 'card' }, parts.summary),
    h('section', { id: 'plan-requirements', class: 'card' }, parts.requirements),
    h('section', { id: 'plan-cost', class: 'card' }, h('h2', null, 'Cost'), parts.cost, costCard.card),
    h('section', { id: 'plan-tiers', class: 'card' }, h('h2', null, 'Tiers'), utilCard.card, parts.tiers),
    h('section', { id: 'plan-concurrency', class: 'card' }, parts.concurrency),
    h('section', { id: 'plan-advice', class: 'card' }, parts.advice),
    h(
      'p',
      { class: 'muted small' },
      'Prices and limits from the catalog as of ',
      asOf,
      '. Estimates: check your console.',
    ),
  );
  let util: ChartHandle<TierEvaluation[]> | undefined;
  let costChart: ChartHandle<PlanResult['cost']> | undefined;
  return {
    el,
    update(r) {
      el.hidden = false;
      parts.summary.replaceChildren(...flat(summary(r)));
      parts.requirements.replaceChildren(...flat(requirements(r)));
      if (batchAction && r.traffic.batchRpm > 0) {
        parts.requirements.append(
          h(
            'p',
            { class: 'pl-batch-link', 'data-field': 'batchShareLink' },
            `${fmtNumber(r.traffic.batchRpm * 60, 0)} requests an hour go via Message Batches: `,
            batchAction,
          ),
        );
      }
      parts.cost.replaceChildren(...flat(cost(r)));
      parts.tiers.replaceChildren(...flat(tiers(r)));
      parts.concurrency.replaceChildren(...flat(concurrency(r)));
      parts.advice.replaceChildren(...flat(advice(r)));
      asOf.textContent = r.asOf;
      // Charts need their canvas in the page (Chart.js sizes it to the parent): create them on first use.
      util ??= createTierUtilisationChart(utilCard.canvas);
      costChart ??= createCostBreakdownChart(costCard.canvas);
      util.update(r.tiers, 'none');
      costChart.update(r.cost, 'none');
    },
    setStale(stale) {
      el.classList.toggle('pl-stale', stale);
    },
    retheme() {
      util?.retheme();
      costChart?.retheme();
    },
  };
}

function flat(children: Child[]): (Node | string)[] {
  return children
    .filter((c): c is Node | string => c !== null && c !== undefined && c !== false)
    .map((c) => (typeof c === 'number' ? String(c) : c));
}
