// Renders a PlanResult as a compact terminal table or as Markdown (the VS Code panel's "copy as Markdown").
import { fmtNumber, fmtPct, fmtUsd } from '../format/format';
import type { CostBreakdown, PlanResult } from './types';

type Cell = string;
interface Section {
  title: string;
  header: Cell[];
  /** Right-align this column (numbers). */
  right: boolean[];
  rows: Cell[][];
}

function headline(r: PlanResult): string {
  const models = r.input.mix
    ? r.models.map((m) => `${m.model} ${fmtPct(m.share, { digits: 1 })}`).join(' + ')
    : r.model;
  return `Capacity plan for ${models} (catalog as of ${r.asOf})`;
}

function trafficLine(r: PlanResult): string {
  const { input: i, traffic: t } = r;
  const parts = [
    `${fmtNumber(t.incomingRpm)} RPM average, peak x${fmtNumber(i.peakFactor, 2)}`,
    `${fmtNumber(i.inputTokens)} input + ${fmtNumber(i.outputTokens)} output tokens per request`,
  ];
  if (i.cachedTokens > 0) {
    parts.push(
      `${fmtNumber(i.cachedTokens)}-token cached prefix, ${fmtPct(i.cacheHitRate, { digits: 1 })} hits, ${i.cacheTtl} TTL`,
    );
  }
  if (t.coalescedRpm > 0 || t.batchRpm > 0) {
    parts.push(
      `coalesced ${fmtNumber(t.coalescedRpm)} RPM, batches ${fmtNumber(t.batchRpm)} RPM, Messages API ${fmtNumber(t.messagesRpm)} RPM`,
    );
  }
  return `Traffic: ${parts.join('; ')}`;
}

function requirementsSection(r: PlanResult): Section {
  const q = r.requirements;
  const rows: Cell[][] = [
    ['average', fmtNumber(q.rpm), fmtNumber(q.itpm, 0), fmtNumber(q.otpm, 0)],
    ['peak', fmtNumber(q.peakRpm), fmtNumber(q.peakItpm, 0), fmtNumber(q.peakOtpm, 0)],
  ];
  if (q.buckets.length > 1) {
    for (const b of q.buckets) {
      rows.push([
        `peak, ${b.displayName}`,
        fmtNumber(b.peakRpm),
        fmtNumber(b.peakItpm, 0),
        fmtNumber(b.peakOtpm, 0),
      ]);
    }
  } else if (q.buckets[0]) {
    rows[1]![0] = `peak (${q.buckets[0].displayName} bucket)`;
  }
  return {
    title: 'Messages API requirements (batched and coalesced requests excluded; cache reads not in ITPM)',
    header: ['', 'RPM', 'ITPM', 'OTPM'],
    right: [false, true, true, true],
    rows,
  };
}

function costSection(r: PlanResult): Section {
  const c = r.cost;
  const line = (label: string, k: keyof CostBreakdown): Cell[] => [
    label,
    fmtUsd(c.breakdown[k]),
    fmtUsd(c.breakdownPerDay[k]),
    fmtUsd(c.breakdownPerMonth[k]),
  ];
  return {
    title: `Cost in USD (month = ${r.monthDays} days; batch discount on input and output only)`,
    header: ['', 'per request', 'per day', `per month (${r.monthDays} d)`],
    right: [false, true, true, true],
    rows: [
      line('input', 'inputUsd'),
      line('output', 'outputUsd'),
      line('cache write', 'cacheWriteUsd'),
      line('cache read', 'cacheReadUsd'),
      ['total', fmtUsd(c.perRequestUsd), fmtUsd(c.perDayUsd), fmtUsd(c.perMonthUsd)],
    ],
  };
}

function tiersSection(r: PlanResult): Section {
  return {
    title: 'Tiers (utilisation at peak; spend = monthly cost / cap)',
    header: ['tier', 'fits', 'RPM', 'ITPM', 'OTPM', 'spend', 'cap', 'binding'],
    right: [false, false, true, true, true, true, true, false],
    rows: r.tiers.map((t) => [
      t.name === r.recommendedTier ? `${t.name} *` : t.name,
      t.fits ? 'yes' : 'no',
      fmtPct(t.utilization.rpm, { compact: true }),
      fmtPct(t.utilization.itpm, { compact: true }),
      fmtPct(t.utilization.otpm, { compact: true }),
      fmtPct(t.utilization.spend, { compact: true }),
      t.monthlySpendCapUsd === null ? 'none' : fmtUsd(t.monthlySpendCapUsd),
      t.binding,
    ]),
  };
}

function concurrencyLine(r: PlanResult): string {
  const rps = r.traffic.peakMessagesRpm / 60;
  const source = r.latency.source === 'input' ? 'given' : 'speed-profile estimate';
  return (
    `Concurrency: ${r.concurrencyRoundedUp} requests in flight at peak ` +
    `(${fmtNumber(r.concurrency, 2)} = ${fmtNumber(rps, 2)} req/s x ${fmtNumber(r.latency.seconds, 2)} s latency, ${source})`
  );
}

function pad(cell: string, width: number, right: boolean): string {
  return right ? cell.padStart(width) : cell.padEnd(width);
}

function textTable(s: Section): string[] {
  const all = [s.header, ...s.rows];
  const widths = s.header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const render = (row: Cell[]): string =>
    '  ' +
    row
      .map((cell, c) => pad(cell, widths[c]!, s.right[c] ?? false))
      .join('  ')
      .trimEnd();
  return [s.title, ...all.map(render)];
}

/**
 * The answer: for the tier the user named first (does it fit, and why), then the smallest standard tier
 * as a pointer; without a named tier, the recommendation.
 */
function answerLines(r: PlanResult): string[] {
  const t = r.requestedTier;
  if (!t) return [`Recommended tier: ${r.recommendedTier}. ${r.recommendedReason}`];
  return [
    `Tier ${t.name}: ${t.fits ? 'fits at peak' : 'does not fit'}; ${t.reason}.`,
    t.name === r.recommendedTier
      ? 'It is also the smallest standard tier that fits.'
      : `Standard tiers: ${r.recommendedReason}`,
  ];
}

/**
 * A catalog figure not confirmed by an official source is a caveat about the data, not a problem
 * with the user's plan: it is listed apart, so "Warnings" means something to act on.
 */
function splitWarnings(r: PlanResult): {
  warnings: PlanResult['warnings'];
  dataNotes: PlanResult['warnings'];
} {
  return {
    warnings: r.warnings.filter((w) => w.id !== 'unconfirmed'),
    dataNotes: r.warnings.filter((w) => w.id === 'unconfirmed'),
  };
}

/** Compact aligned table for a terminal. */
export function formatPlanTable(r: PlanResult): string {
  const out: string[] = [headline(r), trafficLine(r), ''];
  for (const s of [requirementsSection(r), costSection(r), tiersSection(r)]) out.push(...textTable(s), '');
  out.push(...answerLines(r), concurrencyLine(r));
  if (r.recommendations.length) {
    out.push('', 'Recommendations:', ...r.recommendations.map((x) => `  - [${x.id}] ${x.message}`));
  }
  const { warnings, dataNotes } = splitWarnings(r);
  if (warnings.length) out.push('', 'Warnings:', ...warnings.map((x) => `  - [${x.id}] ${x.message}`));
  if (dataNotes.length)
    out.push('', 'Notes on the data:', ...dataNotes.map((x) => `  - [${x.id}] ${x.message}`));
  return out.join('\n') + '\n';
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function mdTable(s: Section): string[] {
  const row = (cells: Cell[]): string => `| ${cells.map(mdEscape).join(' | ')} |`;
  const rule = `|${s.right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`;
  return [`### ${s.title}`, '', row(s.header), rule, ...s.rows.map(row)];
}

/** Markdown with headings and tables, for pasting into an issue or a design doc. */
export function formatPlanMarkdown(r: PlanResult): string {
  const out: string[] = [`## ${headline(r)}`, '', trafficLine(r), ''];
  for (const s of [requirementsSection(r), costSection(r), tiersSection(r)]) out.push(...mdTable(s), '');
  const [first, ...rest] = answerLines(r);
  out.push(`**${mdEscape(first ?? '')}**`, ...rest.map(mdEscape), '');
  out.push(concurrencyLine(r), '');
  if (r.recommendations.length) {
    out.push('### Recommendations', '', ...r.recommendations.map((x) => `- **${x.id}**: ${x.message}`), '');
  }
  const { warnings, dataNotes } = splitWarnings(r);
  if (warnings.length) {
    out.push('### Warnings', '', ...warnings.map((x) => `- **${x.id}**: ${x.message}`), '');
  }
  if (dataNotes.length) {
    out.push('### Notes on the data', '', ...dataNotes.map((x) => `- **${x.id}**: ${x.message}`), '');
  }
  return out.join('\n');
}
