// `claude-load plan`: capacity plan (requirements, cost, tier fit, concurrency, advice) from flags.
import { parseArgs } from 'node:util';
import {
  PlanInputError,
  formatPlanMarkdown,
  formatPlanTable,
  planCapacity,
  validatePlanInput,
} from '../../core/index';
import { loadCatalogOption } from '../catalogOption';
import { CliError, EXIT } from '../cliError';
import type { CommandFn } from '../cliError';

const USAGE = `Usage: claude-load plan --model <id> --rpm <n> --input-tokens <n> --output-tokens <n> [options]

Traffic
  --model <id>              model id, e.g. claude-sonnet-5-5 (required unless --mix is given)
  --mix <id:share,...>      model routing mix, e.g. claude-haiku-4-5:0.7,claude-sonnet-5-5:0.3
                            (shares sum to 1; overrides --model)
  --rpm <n>                 average requests per minute (required)
  --peak-factor <n>         peak RPM / average RPM, >= 1 (default 1)
  --input-tokens <n>        average input tokens per request, cached prefix included (required)
  --output-tokens <n>       average output tokens per request (required)
  --cached-tokens <n>       tokens of a cacheable prefix, part of --input-tokens (default 0)
  --cache-hit-rate <0-1>    fraction of requests that read the prefix from cache (required with --cached-tokens)
  --cache-ttl <5m|1h>       cache write lifetime (default 5m)
  --batch-share <0-1>       fraction of requests sent through Message Batches (default 0)
  --duplicate-share <0-1>   fraction of duplicate requests removed by coalescing (default 0)
  --latency-s <s>           latency per request for concurrency (default: model speed profile estimate)

Tiers and data
  --tier <name>             evaluate one tier: start, build, scale, tier1..tier4 or custom (default: all)
  --custom-rpm <n>          custom tier limits, applied to every bucket (with --tier custom)
  --custom-itpm <n>
  --custom-otpm <n>
  --custom-spend-cap <usd>  custom tier monthly spend cap (default: none)
  --catalog <file.json>     override prices, limits and tiers with a catalog file

Output
  --json                    print one JSON object (costs unrounded, USD; month = 30 days)
  --markdown                print Markdown instead of the table
  -h, --help                show this help

Exit codes: 0 success, 2 bad input (the message names the flag).`;

const options = {
  model: { type: 'string' },
  mix: { type: 'string' },
  rpm: { type: 'string' },
  'peak-factor': { type: 'string' },
  'input-tokens': { type: 'string' },
  'output-tokens': { type: 'string' },
  'cached-tokens': { type: 'string' },
  'cache-hit-rate': { type: 'string' },
  'cache-ttl': { type: 'string' },
  'batch-share': { type: 'string' },
  'duplicate-share': { type: 'string' },
  'latency-s': { type: 'string' },
  tier: { type: 'string' },
  'custom-rpm': { type: 'string' },
  'custom-itpm': { type: 'string' },
  'custom-otpm': { type: 'string' },
  'custom-spend-cap': { type: 'string' },
  catalog: { type: 'string' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = Partial<Record<keyof typeof options, string | boolean>>;

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
  tier: '--tier',
  customLimits: '--custom-rpm, --custom-itpm and --custom-otpm',
  'customLimits.rpm': '--custom-rpm',
  'customLimits.itpm': '--custom-itpm',
  'customLimits.otpm': '--custom-otpm',
  customSpendCapUsd: '--custom-spend-cap',
};

/** parseArgs refuses "--rpm -5" as ambiguous; join it to "--rpm=-5" so the validator can say what is wrong. */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : '';
    const isStringOption = name in options && options[name as keyof typeof options].type === 'string';
    if (isStringOption && next !== undefined && /^-(\d|\.\d|Infinity$)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

function parseFlags(args: string[]): Flags {
  try {
    return parseArgs({ args: joinNegativeValues(args), options, strict: true, allowPositionals: false })
      .values as Flags;
  } catch (e) {
    // parseArgs messages already name the option ("Unknown option '--rpmm'", "Option '--rpm <value>' argument missing").
    const message = (e as Error).message.replace(/\.$/, '');
    throw new CliError(`${message}. Run claude-load plan --help for the options.`, EXIT.badInput);
  }
}

/** "id:share,id:share" -> [{ model, share }]; "70%" is accepted as 0.7. Shares stay strings for the validator. */
function parseMix(text: string): { model: string; share: string | number }[] {
  return text.split(',').map((part, i) => {
    const item = part.trim();
    const at = item.lastIndexOf(':');
    if (at <= 0 || at === item.length - 1) {
      throw new CliError(
        `--mix entry ${i + 1} (${JSON.stringify(item)}) must look like model:share, e.g. claude-haiku-4-5:0.7`,
        EXIT.badInput,
      );
    }
    const share = item.slice(at + 1).trim();
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(share);
    return { model: item.slice(0, at).trim(), share: pct ? Number(pct[1]) / 100 : share };
  });
}

function rawInput(f: Flags): Record<string, unknown> {
  const s = (k: keyof typeof options): string | undefined =>
    typeof f[k] === 'string' ? (f[k] as string) : undefined;
  const custom = [s('custom-rpm'), s('custom-itpm'), s('custom-otpm')];
  return {
    model: s('model'),
    mix: f.mix !== undefined ? parseMix(s('mix') ?? '') : undefined,
    rpm: s('rpm'),
    peakFactor: s('peak-factor'),
    inputTokens: s('input-tokens'),
    outputTokens: s('output-tokens'),
    cachedTokens: s('cached-tokens'),
    cacheHitRate: s('cache-hit-rate'),
    cacheTtl: s('cache-ttl'),
    batchShare: s('batch-share'),
    duplicateShare: s('duplicate-share'),
    latencyS: s('latency-s'),
    tier: s('tier'),
    customLimits: custom.some((v) => v !== undefined)
      ? { rpm: custom[0], itpm: custom[1], otpm: custom[2] }
      : undefined,
    customSpendCapUsd: s('custom-spend-cap'),
  };
}

/** Rewrites "rpm must be ..." as "--rpm must be ..."; mix errors get a "--mix:" prefix. */
function flagMessage(e: PlanInputError): string {
  if (e.field.startsWith('mix')) return `--mix: ${e.message}`;
  const flag = FLAG_OF[e.field];
  if (flag && e.message.startsWith(e.field)) return flag + e.message.slice(e.field.length);
  return flag ? `${flag}: ${e.message}` : e.message;
}

export const planCommand: CommandFn = async (args, io) => {
  const flags = parseFlags(args);
  if (flags.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT.ok;
  }
  if (flags.json && flags.markdown)
    throw new CliError('--json and --markdown cannot be combined', EXIT.badInput);
  const customFlag = (['custom-rpm', 'custom-itpm', 'custom-otpm', 'custom-spend-cap'] as const).find(
    (k) => flags[k] !== undefined,
  );
  const tierName = typeof flags.tier === 'string' ? flags.tier.trim().toLowerCase() : '';
  if (customFlag && tierName !== 'custom') {
    throw new CliError(`--${customFlag} applies only with --tier custom`, EXIT.badInput);
  }
  const catalog = loadCatalogOption(typeof flags.catalog === 'string' ? flags.catalog : undefined);
  let result;
  try {
    result = planCapacity(validatePlanInput(rawInput(flags), catalog), { catalog });
  } catch (e) {
    if (e instanceof PlanInputError) throw new CliError(flagMessage(e), EXIT.badInput);
    throw e;
  }
  if (flags.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else if (flags.markdown) io.stdout.write(formatPlanMarkdown(result));
  else io.stdout.write(formatPlanTable(result));
  return EXIT.ok;
};
