// Turns a run's numbers into findings: what bound, what failed, and whether the measurement itself is sound.
import { builtinCatalog, bucketName, findModel } from '../catalog/index';
import type { Diagnosis, Outcome, RecordedScenario, RunSummary, TimeWindow } from '../model/run';
import { fmtMs, fmtNumber, fmtPct, fmtUsd } from '../format/format';
import { spearman } from './stats';

export interface DiagnoseInput {
  scenario: RecordedScenario;
  summary: RunSummary;
  timeseries: TimeWindow[];
}

type LimitKind = RunSummary['rateLimitedBy'][number]['limit'];

const limitLabel: Record<LimitKind, string> = {
  requests: 'request limit (RPM)',
  input_tokens: 'input-token limit (ITPM)',
  output_tokens: 'output-token limit (OTPM)',
  spend: 'monthly spend limit',
  unknown: 'rate limit (the response did not say which)',
};

/** Thresholds, named so the tests and the docs can quote them. */
export const diagnosisThresholds = {
  errorShare: 0.1,
  queueingMinWindows: 6,
  queueingMinRho: 0.6,
  queueingMinLatencyRatio: 1.5,
  queueingMinInFlightRatio: 1.5,
  generatorElu: 0.8,
  generatorCpuCores: 0.8,
  generatorSendLagP99Ms: 10,
  /** Send lag matters only against the latency it adds to: p99 lag above this share of p50 latency. */
  generatorSendLagLatencyShare: 0.1,
  /** Shorter runs are all start-up (module loading, JIT, connection set-up): never judged. */
  generatorMinDurationS: 2,
  coordinatedOmissionRatio: 1.5,
  coordinatedOmissionMinGapMs: 20,
  headroomLow: 0.1,
} as const;

export function diagnose(input: DiagnoseInput): Diagnosis[] {
  const out: Diagnosis[] = [];
  const { summary } = input;
  if (summary.requests.total === 0) {
    out.push({
      id: 'no-requests',
      severity: 'error',
      title: 'No requests finished',
      detail: `The run stopped (${summary.stopReason}) after ${fmt(summary.durationS, 1)} s without a finished request.`,
      advice: 'Check the target URL, the API key and the scenario; run with a small `requests` count first.',
    });
    return out;
  }
  out.push(...rateLimits(input));
  out.push(...errors(summary));
  const q = queueing(input.timeseries);
  if (q) out.push(q);
  const g = generator(summary, input.scenario);
  if (g) out.push(g);
  const co = coordinatedOmission(input);
  if (co) out.push(co);
  out.push(...headroom(input));
  const stop = stopped(input);
  if (stop) out.push(stop);
  if (!out.some((d) => d.severity !== 'info')) out.push(healthy(summary));
  return out;
}

function share(count: number, total: number): string {
  return `${count} of ${total} requests (${pct(count / Math.max(1, total))})`;
}

// Short names for the shared formatters (../format), which the sentences below use a lot.
const pct = (fraction: number): string => fmtPct(fraction);
const fmt = fmtNumber;
const ms = fmtMs;

/** Tier advice: name the next standard tier when the target's tier is known (simulator runs). */
function tierAdvice(scenario: RecordedScenario): string {
  const order = builtinCatalog.standardTierOrder;
  const tier = scenario.target.kind === 'simulator' ? scenario.target.tier : undefined;
  const i = tier ? order.indexOf(tier) : -1;
  if (i >= 0 && i < order.length - 1) {
    const next = builtinCatalog.tiers.find((t) => t.name === order[i + 1]);
    return `move to the ${next?.displayName ?? order[i + 1]} tier`;
  }
  if (i === order.length - 1) return 'ask Anthropic for custom limits';
  return 'move to a higher usage tier';
}

function bucketLabel(bucket: string): string {
  // The engine records bucket ids; accept a model id too.
  const id = findModel(builtinCatalog, bucket)?.bucket ?? bucket;
  return bucketName(builtinCatalog, id);
}

function rateLimits({ scenario, summary }: DiagnoseInput): Diagnosis[] {
  const total = summary.requests.total;
  const tier = tierAdvice(scenario);
  const out: Diagnosis[] = summary.rateLimitedBy.map((r) => {
    const advice: Record<LimitKind, string> = {
      output_tokens: `Lower max_tokens (now ${scenario.maxTokens}; OTPM is estimated from max_tokens when a request starts), spread load over time, or ${tier}.`,
      input_tokens: `Shorten prompts or cache the shared prefix (cache reads do not count toward ITPM on current models), spread load, or ${tier}.`,
      requests: `Lower the request rate or concurrency, send fewer larger requests, use the Message Batches API for work that can wait, or ${tier}.`,
      spend: `The monthly spend limit was reached: raise it in the Console or ${tier}. Retrying will not help.`,
      unknown: `Honour retry-after, back off with jitter, spread load, or ${tier}. Check the anthropic-ratelimit-* headers to see which limit ran out.`,
    };
    return {
      id: `rate-limit-${r.bucket}-${r.limit}`,
      severity: r.count / total >= diagnosisThresholds.errorShare ? 'error' : 'warning',
      title: `429: the ${bucketLabel(r.bucket)} ${limitLabel[r.limit].replace(/ \(the.*\)$/, '')} bound`,
      detail: `${share(r.count, total)} got 429 on the ${bucketLabel(r.bucket)} bucket's ${limitLabel[r.limit]}.`,
      advice: advice[r.limit],
    };
  });
  const listed = summary.rateLimitedBy.reduce((n, r) => n + r.count, 0);
  const rest = summary.requests.rateLimited - listed;
  if (rest > 0) {
    out.push({
      id: 'rate-limit-unattributed',
      severity: rest / total >= diagnosisThresholds.errorShare ? 'error' : 'warning',
      title: '429: rate limited',
      detail: `${share(rest, total)} got 429 without a bucket or limit attributed.`,
      advice: `Honour retry-after, back off with jitter, spread load, or ${tier}.`,
    });
  }
  return out;
}

const errorRules: {
  key: keyof RunSummary['requests'];
  outcome: Outcome;
  id: string;
  title: string;
  what: string;
  advice: string;
}[] = [
  {
    key: 'overloaded',
    outcome: 'overloaded',
    id: 'overloaded',
    title: '529: the API was overloaded',
    what: 'got 529 overloaded_error: the API was short of capacity (server-wide, not your rate limit)',
    advice:
      'Back off with exponential delay and jitter and retry later; spread load over time rather than bursting. ' +
      'A 529 says nothing about your tier: a higher tier does not prevent it.',
  },
  {
    key: 'serverErrors',
    outcome: 'server_error',
    id: 'server-errors',
    title: '5xx server errors',
    what: 'failed with a 5xx server error',
    advice:
      "Retry with exponential backoff (retries: 'sdk' retries twice); if it persists, check status.anthropic.com.",
  },
  {
    key: 'timeouts',
    outcome: 'timeout',
    id: 'timeouts',
    title: 'Requests timed out',
    what: 'timed out',
    advice:
      'Check timeoutMs against the latency percentiles; use streaming for long outputs (a non-streaming request ' +
      'with a large max_tokens sends nothing until it is done); retry with exponential backoff.',
  },
  {
    key: 'networkErrors',
    outcome: 'network',
    id: 'network-errors',
    title: 'Network errors',
    what: 'failed with a network error (connection reset, DNS, TLS)',
    advice: 'Check connectivity, proxies and DNS; retry with exponential backoff; keep connections alive.',
  },
  {
    key: 'streamErrors',
    outcome: 'stream_error',
    id: 'stream-errors',
    title: 'Streams broke mid-response',
    what: 'failed during the stream (an error event or a cut connection after the 200)',
    advice:
      'Retry the whole request with exponential backoff and discard the partial output; an error event inside ' +
      'the stream (often overloaded_error) is not retried by the SDK.',
  },
  {
    key: 'clientErrors',
    outcome: 'client_error',
    id: 'client-errors',
    title: '4xx client errors',
    what: 'were rejected as invalid (4xx other than 429)',
    advice: 'Fix the request: model id, max_tokens, message shape or API key. Retrying will not help.',
  },
];

function errors(summary: RunSummary): Diagnosis[] {
  const total = summary.requests.total;
  const out: Diagnosis[] = [];
  for (const rule of errorRules) {
    const n = summary.requests[rule.key];
    if (!n) continue;
    const top = summary.errorsByMessage.find((e) => e.outcome === rule.outcome);
    out.push({
      id: rule.id,
      severity:
        n / total >= diagnosisThresholds.errorShare || rule.key === 'clientErrors' ? 'error' : 'warning',
      title: rule.title,
      detail:
        `${share(n, total)} ${rule.what}.` + (top ? ` Most common: "${top.message}" (${top.count}).` : ''),
      advice: rule.advice,
    });
  }
  return out;
}

/** Did latency grow with load? Spearman rank correlation of per-window p50 latency against in-flight. */
function queueing(windows: TimeWindow[]): Diagnosis | undefined {
  const t = diagnosisThresholds;
  const ws = windows.filter((w) => w.completed > 0 && w.latencyMs.p50 > 0);
  if (ws.length < t.queueingMinWindows) return undefined;
  const rho = spearman(
    ws.map((w) => w.inFlight),
    ws.map((w) => w.latencyMs.p50),
  );
  if (rho === null || rho < t.queueingMinRho) return undefined;
  // Compare the lowest and the highest third of windows by in-flight.
  const sorted = [...ws].sort((a, b) => a.inFlight - b.inFlight);
  const third = Math.max(1, Math.floor(sorted.length / 3));
  const low = sorted.slice(0, third);
  const high = sorted.slice(-third);
  const lowLat = median(low.map((w) => w.latencyMs.p50));
  const highLat = median(high.map((w) => w.latencyMs.p50));
  const lowIf = Math.max(...low.map((w) => w.inFlight));
  const highIf = Math.min(...high.map((w) => w.inFlight));
  if (
    highLat < lowLat * t.queueingMinLatencyRatio ||
    highIf < Math.max(1, lowIf) * t.queueingMinInFlightRatio
  ) {
    return undefined;
  }
  return {
    id: 'queueing',
    severity: 'warning',
    title: 'Latency grew with in-flight requests',
    detail:
      `Median p50 latency was ${ms(lowLat)} in windows with ≤ ${lowIf} requests in flight and ${ms(highLat)} ` +
      `with ≥ ${highIf} in flight (${fmt(highLat / lowLat, 1)}x; Spearman ρ = ${fmt(rho, 2)} over ${ws.length} windows). ` +
      'Requests are queueing somewhere: at the target, or in the generator if it was saturated.',
    advice:
      'Find the knee: run at a few lower concurrency or rate levels and keep production load below the point ' +
      'where latency starts rising. In open-loop runs, slow responses also raise in-flight, so compare with a ' +
      'constant-concurrency run before concluding.',
  };
}

function generator(summary: RunSummary, scenario: RecordedScenario): Diagnosis | undefined {
  const t = diagnosisThresholds;
  if ((summary.sendWindowS ?? summary.durationS) < t.generatorMinDurationS) return undefined;
  const { eventLoopUtilization: elu, cpuCores, warnings } = summary.health;
  const lag = summary.sendLagMs.p99;
  const lagLimit = Math.max(t.generatorSendLagP99Ms, t.generatorSendLagLatencyShare * summary.latencyMs.p50);
  const reasons: string[] = [];
  if (elu > t.generatorElu) reasons.push(`event-loop utilisation ${pct(elu)} (> ${pct(t.generatorElu)})`);
  // An in-process simulator's work is in the same CPU figure: it says nothing about the generator.
  if (cpuCores > t.generatorCpuCores && scenario.target.kind !== 'simulator')
    reasons.push(`CPU ${fmt(cpuCores, 2)} cores (> ${t.generatorCpuCores})`);
  if (lag > lagLimit)
    reasons.push(
      `send lag p99 ${ms(lag)} (> ${lagLimit > t.generatorSendLagP99Ms ? `${pct(t.generatorSendLagLatencyShare)} of the median latency, ${ms(lagLimit)}` : ms(lagLimit)})`,
    );
  if (reasons.length === 0) return undefined;
  return {
    id: 'generator-saturated',
    severity: 'warning',
    title: 'The load generator was busy',
    detail: sentences(
      `The load generator, not the target, may be the bottleneck: ${reasons.join('; ')}`,
      'A busy client delays sends and reads, which inflates latency and TTFT',
      ...(warnings.length ? ['Engine warnings:', ...warnings] : []),
    ),
    advice:
      'Lower the rate, or split the load over several processes or machines, and compare; treat these ' +
      'latency figures as an upper bound.',
  };
}

/** Joins phrases into sentences: each ends with a full stop and starts with a capital ("a." + "b" -> "A. B."). */
export function sentences(...parts: string[]): string {
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const s = p[0]!.toUpperCase() + p.slice(1);
      return /[.!?:]$/.test(s) ? s : `${s}.`;
    })
    .join(' ');
}

function coordinatedOmission({ scenario, summary }: DiagnoseInput): Diagnosis | undefined {
  const t = diagnosisThresholds;
  const unc = summary.latencyUncorrectedMs;
  if (!unc || unc.count === 0) return undefined;
  const cor = summary.latencyMs.p99;
  if (cor < unc.p99 * t.coordinatedOmissionRatio || cor - unc.p99 < t.coordinatedOmissionMinGapMs)
    return undefined;
  const cap = 'maxInFlight' in scenario.load ? scenario.load.maxInFlight : undefined;
  return {
    id: 'coordinated-omission',
    severity: 'warning',
    title: 'Requests could not be sent on time',
    detail:
      `The target stalled: requests waited up to ${ms(summary.sendLagMs.max)} (p99 ${ms(summary.sendLagMs.p99)}) ` +
      `before they could be sent. Corrected p99 latency (from the intended send time) is ${ms(cor)} against ` +
      `${ms(unc.p99)} measured from the actual send; the corrected figure is what a user arriving on schedule saw.`,
    advice:
      (cap !== undefined ? `The in-flight cap (${cap}) was reached because responses were slow. ` : '') +
      'Lower the rate to what the target sustains, or raise maxInFlight to measure beyond it. If the generator ' +
      'was saturated too, the wait may be local.',
  };
}

const headroomKinds: { key: keyof TimeWindow['headroom']; limit: LimitKind; label: string }[] = [
  { key: 'requests', limit: 'requests', label: 'requests (RPM)' },
  { key: 'inputTokens', limit: 'input_tokens', label: 'input tokens (ITPM)' },
  { key: 'outputTokens', limit: 'output_tokens', label: 'output tokens (OTPM)' },
];

function headroom({ summary, timeseries }: DiagnoseInput): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const k of headroomKinds) {
    // A limit that already produced 429s is reported above as binding.
    if (summary.rateLimitedBy.some((r) => r.limit === k.limit)) continue;
    let min: { v: number; t: number } | undefined;
    for (const w of timeseries) {
      const v = w.headroom[k.key];
      if (v !== null && (!min || v < min.v)) min = { v, t: w.t };
    }
    if (!min || min.v >= diagnosisThresholds.headroomLow) continue;
    out.push({
      id: `headroom-${k.key}`,
      severity: 'warning',
      title: `Close to binding: ${k.label}`,
      detail: `The lowest remaining ${k.label} headroom was ${pct(min.v)} (at ${fmt(min.t, 0)} s): close to binding.`,
      advice:
        'A little more load will start 429s here. Keep a margin, spread load over the minute, or move up a tier.',
    });
  }
  return out;
}

/** One sentence on how the budget reserved cost before each send. */
export function reservationSentence(b: NonNullable<RunSummary['budget']>): string {
  const output =
    b.basis === 'observed-p99'
      ? `the p99 of the output seen so far (${b.outputReservationTokens} tokens)`
      : `max_tokens${b.outputReservationTokens !== null ? ` (${b.outputReservationTokens} tokens)` : ''}, as no output had been seen yet`;
  return (
    `Each request reserved its input plus ${output} before it was sent, and sending stopped when the next reservation no longer fit with nothing in flight` +
    (b.probes > 0 ? `; ${b.probes} request(s) went out alone because max_tokens did not fit.` : '.')
  );
}

function stopped({ scenario, summary }: DiagnoseInput): Diagnosis | undefined {
  const n = summary.requests.total;
  switch (summary.stopReason) {
    case 'budget':
      return {
        id: 'budget-stop',
        severity: 'warning',
        title: 'Stopped at the cost budget',
        detail:
          `The run stopped after ${n} requests when its cost reached ${fmtUsd(summary.costUsd)}` +
          (scenario.maxCostUsd !== undefined ? ` (maxCostUsd ${fmtUsd(scenario.maxCostUsd)}).` : '.') +
          (summary.budget ? ' ' + reservationSentence(summary.budget) : ''),
        advice:
          'Raise maxCostUsd, or shorten the run (requests, duration) or lower max_tokens, to finish the plan.',
      };
    case 'aborted':
      return {
        id: 'aborted',
        severity: 'info',
        title: 'Stopped by the user',
        detail: `The run was stopped after ${n} requests and ${fmt(summary.durationS, 1)} s.`,
        advice: 'Percentiles cover only what ran; re-run to completion for full figures.',
      };
    case 'failed':
      return {
        id: 'failed',
        severity: 'error',
        title: 'The run failed',
        detail: sentences(`The engine stopped with an error after ${n} requests`, ...summary.health.warnings),
        advice: 'See the errors above and the engine warnings; fix the cause and re-run.',
      };
    default:
      return undefined;
  }
}

function healthy(summary: RunSummary): Diagnosis {
  const r = summary.requests;
  return {
    id: 'healthy',
    severity: 'info',
    title: 'No problems found',
    detail:
      `${share(r.ok, r.total)} succeeded; p50 latency ${ms(summary.latencyMs.p50)}, p99 ${ms(summary.latencyMs.p99)}; ` +
      `generator event-loop utilisation ${pct(summary.health.eventLoopUtilization)}.`,
    advice: 'Raise the load step by step to find where latency or 429s start.',
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
