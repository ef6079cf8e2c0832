// `claude-load plan`: capacity plan (requirements, cost, tier fit, concurrency, advice) from flags.
import { Command, Option } from 'commander';
import {
  PlanInputError,
  formatPlanMarkdown,
  formatPlanTable,
  planCapacity,
  validatePlanInput,
} from '../../core/index';
import { loadCatalogOption } from '../catalogOption';
import { CliError, EXIT, type CliIo } from '../cliError';
import { cliCommand } from '../command';
import { withFlag } from '../options';

/** The plan's inputs as typed (the core validator checks them and names the field). */
export interface PlanOptions {
  model?: string;
  mix?: string;
  rpm?: string;
  peakFactor?: string;
  inputTokens?: string;
  outputTokens?: string;
  cachedTokens?: string;
  cacheHitRate?: string;
  cacheTtl?: string;
  batchShare?: string;
  duplicateShare?: string;
  latencyS?: string;
  instances?: string;
  tier?: string;
  customRpm?: string;
  customItpm?: string;
  customOtpm?: string;
  customSpendCap?: string;
  catalog?: string;
  format: 'table' | 'json' | 'markdown';
}

/** PlanInput field -> the flag that sets it, so errors name what the user typed. */
const FLAG_OF: Record<string, string> = {
  model: '--model',
  rpm: '--rpm',
  peakFactor: '--peak-factor',
  inputTokens: '--input-tokens',
  outputTokens: '--output-tokens',
  cachedTokens: '--cached-tokens',
  cacheHitRate: '--cache-hit-rate',
  cacheTtl: '--cache-ttl',
  batchShare: '--batch-share',
  duplicateShare: '--duplicate-share',
  latencyS: '--latency-s',
  instances: '--instances',
  tier: '--tier',
  customLimits: '--custom-rpm, --custom-itpm and --custom-otpm',
  'customLimits.rpm': '--custom-rpm',
  'customLimits.itpm': '--custom-itpm',
  'customLimits.otpm': '--custom-otpm',
  customSpendCapUsd: '--custom-spend-cap',
};

/** "id:share,id:share" -> [{ model, share }]; "70%" is accepted as 0.7. Shares stay strings for the validator. */
function parseMix(text: string): { model: string; share: string | number }[] {
  return text.split(',').map((part, i) => {
    const item = part.trim();
    const at = item.lastIndexOf(':');
    if (at <= 0 || at === item.length - 1) {
      throw new CliError(
        `--mix entry ${i + 1} (${JSON.stringify(item)}) must look like model:share, e.g. claude-haiku-4-5:0.7`,
      );
    }
    const share = item.slice(at + 1).trim();
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(share);
    return { model: item.slice(0, at).trim(), share: pct ? Number(pct[1]) / 100 : share };
  });
}

function rawInput(o: PlanOptions): Record<string, unknown> {
  const custom = [o.customRpm, o.customItpm, o.customOtpm];
  return {
    model: o.model,
    mix: o.mix !== undefined ? parseMix(o.mix) : undefined,
    rpm: o.rpm,
    peakFactor: o.peakFactor,
    inputTokens: o.inputTokens,
    outputTokens: o.outputTokens,
    cachedTokens: o.cachedTokens,
    cacheHitRate: o.cacheHitRate,
    cacheTtl: o.cacheTtl,
    batchShare: o.batchShare,
    duplicateShare: o.duplicateShare,
    latencyS: o.latencyS,
    instances: o.instances,
    tier: o.tier,
    customLimits: custom.some((v) => v !== undefined)
      ? { rpm: custom[0], itpm: custom[1], otpm: custom[2] }
      : undefined,
    customSpendCapUsd: o.customSpendCap,
  };
}

/** Rewrites "rpm must be ..." as "--rpm must be ..."; "tier: unknown tier" as "--tier: unknown tier". */
function flagMessage(e: PlanInputError): string {
  if (e.field.startsWith('mix')) return `--mix: ${e.message}`;
  const flag = FLAG_OF[e.field];
  return flag ? withFlag(flag, e.field, e.message) : e.message;
}

export async function planCommand(options: PlanOptions, io: CliIo): Promise<number> {
  const customFlag = (
    [
      ['customRpm', '--custom-rpm'],
      ['customItpm', '--custom-itpm'],
      ['customOtpm', '--custom-otpm'],
      ['customSpendCap', '--custom-spend-cap'],
    ] as const
  ).find(([k]) => options[k] !== undefined)?.[1];
  if (customFlag && options.tier?.trim().toLowerCase() !== 'custom')
    throw new CliError(`${customFlag} applies only with --tier custom`);
  const catalog = loadCatalogOption(options.catalog);
  let result;
  try {
    result = planCapacity(validatePlanInput(rawInput(options), catalog), { catalog });
  } catch (e) {
    if (e instanceof PlanInputError) throw new CliError(flagMessage(e));
    throw e;
  }
  if (options.format === 'json') io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else if (options.format === 'markdown') io.stdout.write(formatPlanMarkdown(result));
  else io.stdout.write(formatPlanTable(result));
  return EXIT.ok;
}

type Parsed = Omit<PlanOptions, 'format'> & { json?: boolean; markdown?: boolean };

const text = (flags: string, description: string) => new Option(flags, description);

export const planCli = cliCommand<Parsed>({
  name: 'plan',
  define: () =>
    new Command('plan')
      .summary('capacity plan: tier, cost, concurrency')
      .description(
        'Capacity plan for a workload: rate-limit requirements, cost per request/day/month, which tier fits, ' +
          'concurrency, and advice. Month = 30 days; prices from the catalog (date shown).',
      )
      .usage('--model <id> --rpm <n> --input-tokens <n> --output-tokens <n> [options]')
      .addOption(
        text('--model <id>', 'model id, e.g. claude-sonnet-5-5 (required unless --mix)').helpGroup(
          'Traffic:',
        ),
      )
      .addOption(
        text(
          '--mix <id:share,...>',
          'model routing mix, e.g. claude-haiku-4-5:0.7,claude-sonnet-5-5:0.3 (shares sum to 1)',
        )
          .conflicts('model')
          .helpGroup('Traffic:'),
      )
      .addOption(text('--rpm <n>', 'average requests per minute (required)').helpGroup('Traffic:'))
      .addOption(text('--peak-factor <n>', 'peak RPM / average RPM, >= 1 (default 1)').helpGroup('Traffic:'))
      .addOption(
        text(
          '--input-tokens <n>',
          'average input tokens per request, cached prefix included (required)',
        ).helpGroup('Traffic:'),
      )
      .addOption(
        text('--output-tokens <n>', 'average output tokens per request (required)').helpGroup('Traffic:'),
      )
      .addOption(
        text(
          '--cached-tokens <n>',
          'tokens of a cacheable prefix, part of --input-tokens (default 0)',
        ).helpGroup('Traffic:'),
      )
      .addOption(
        text(
          '--cache-hit-rate <0-1>',
          'share of requests that read the prefix from cache (required with --cached-tokens)',
        ).helpGroup('Traffic:'),
      )
      .addOption(text('--cache-ttl <5m|1h>', 'cache write lifetime (default 5m)').helpGroup('Traffic:'))
      .addOption(
        text('--batch-share <0-1>', 'share of requests sent through Message Batches (default 0)').helpGroup(
          'Traffic:',
        ),
      )
      .addOption(
        text(
          '--duplicate-share <0-1>',
          'share of duplicate requests removed by coalescing (default 0)',
        ).helpGroup('Traffic:'),
      )
      .addOption(
        text(
          '--latency-s <s>',
          'latency per request for concurrency (default: the model speed profile)',
        ).helpGroup('Traffic:'),
      )
      .addOption(
        text(
          '--instances <n>',
          "app instances sharing the key (default 1); above 1 the plan recommends a shared limiter with each one's share",
        ).helpGroup('Traffic:'),
      )
      .addOption(
        text(
          '--tier <name>',
          'evaluate one tier: start, build, scale, tier1..tier4 or custom (default: all)',
        ).helpGroup('Tiers and data:'),
      )
      .addOption(
        text('--custom-rpm <n>', 'custom tier RPM, every bucket (with --tier custom)').helpGroup(
          'Tiers and data:',
        ),
      )
      .addOption(
        text('--custom-itpm <n>', 'custom tier input tokens per minute').helpGroup('Tiers and data:'),
      )
      .addOption(
        text('--custom-otpm <n>', 'custom tier output tokens per minute').helpGroup('Tiers and data:'),
      )
      .addOption(
        text('--custom-spend-cap <usd>', 'custom tier monthly spend cap (default: none)').helpGroup(
          'Tiers and data:',
        ),
      )
      .addOption(
        text('--catalog <file.json>', 'override prices, limits and tiers with a catalog file').helpGroup(
          'Tiers and data:',
        ),
      )
      .addOption(
        new Option('--json', 'print one JSON object (costs unrounded, USD; month = 30 days)').helpGroup(
          'Output:',
        ),
      )
      .addOption(
        new Option('--markdown', 'print Markdown instead of the table')
          .conflicts('json')
          .helpGroup('Output:'),
      ),
  examples: [
    'claude-load plan --model claude-sonnet-5-5 --rpm 100 --input-tokens 500 --output-tokens 200',
    'claude-load plan --model claude-haiku-4-5 --rpm 600 --peak-factor 3 --input-tokens 9000 --output-tokens 300 --cached-tokens 8000 --cache-hit-rate 0.9',
    'claude-load plan --mix claude-haiku-4-5:0.7,claude-sonnet-5-5:0.3 --rpm 100 --input-tokens 500 --output-tokens 200 --json',
    'claude-load plan --model claude-sonnet-5-5 --rpm 500 --input-tokens 500 --output-tokens 200 --tier custom --custom-rpm 500 --custom-itpm 400000 --custom-otpm 100000',
  ],
  run: ({ json, markdown, ...rest }, _args, io) =>
    planCommand({ ...rest, format: json ? 'json' : markdown ? 'markdown' : 'table' }, io),
});
