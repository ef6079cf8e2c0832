// `claude-load batch` on the command line: its options, parsed and checked, and Ctrl-C / SIGTERM as the
// AbortSignal batchCommand (batch.ts) expects.
import { Command, Option } from 'commander';
import { parseDuration } from '../../core/index';
import { loadCatalogOption } from '../catalogOption';
import { EXIT, type CliIo } from '../cliError';
import { cliCommand } from '../command';
import { durationFlag, numberFlag } from '../options';
import { batchCommand } from './batch';

interface Parsed {
  requests?: number;
  simulate?: string | true;
  poll?: string;
  json?: boolean;
  out?: string;
  maxCost?: number;
  batchLatency?: string;
  timeScale?: number;
  tier?: string;
  model?: string;
  maxTokens?: number;
  catalog?: string;
}

/** Runs `fn` with a signal aborted by the first SIGINT/SIGTERM; a second one quits at once. */
async function withInterrupts<T>(io: CliIo, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const listener = () => {
    if (controller.signal.aborted) return io.exitNow(EXIT.interrupted);
    io.stderr.write('\nstopping: canceling the batches, then saving (Ctrl-C again quits at once)\n');
    controller.abort();
  };
  io.signals.on('SIGINT', listener);
  io.signals.on('SIGTERM', listener);
  try {
    return await fn(controller.signal);
  } finally {
    io.signals.off('SIGINT', listener);
    io.signals.off('SIGTERM', listener);
  }
}

export const batchCli = cliCommand<Parsed>({
  name: 'batch',
  define: () =>
    new Command('batch')
      .summary('send a plan through the Message Batches API: turnaround, outcomes, cost vs Messages')
      .description(
        "Sends the plan's workload through the Message Batches API (or the simulator's), polls with backoff, " +
          'and reports turnaround, per-request completion, outcomes, tokens, the cost at the batch price vs the ' +
          'Messages API, and how long the tier’s Messages limits would need. Ctrl-C cancels the batches, waits ' +
          'until they have ended, then prints and saves the partial results (exit 130).',
      )
      .argument('[plan]', 'a plan file (.claudeload.json)')
      .addOption(
        new Option('--requests <n>', "requests to send (default: the plan's requests, else 100)").argParser(
          numberFlag('--requests', { int: true }),
        ),
      )
      .addOption(new Option('--simulate [tier]', 'the built-in simulator, no key (default tier build)'))
      .addOption(
        new Option(
          '--poll <d>',
          'longest wait between polls; polls start at 0.5s and double (default 10s)',
        ).argParser(durationFlag('--poll')),
      )
      .addOption(new Option('--json', 'print the report as JSON'))
      .addOption(new Option('--out <dir>', 'write DIR/batch.json (versioned, atomic)'))
      .addOption(
        new Option(
          '--max-cost <usd>',
          'refuse to submit when the worst case at the batch price is above USD',
        ).argParser(numberFlag('--max-cost')),
      )
      .addOption(
        new Option(
          '--batch-latency <d>',
          'simulator: median time for one request of a batch (default 10m)',
        ).argParser(durationFlag('--batch-latency')),
      )
      .addOption(
        new Option('--time-scale <x>', 'simulator: simulated time runs X times faster').argParser(
          numberFlag('--time-scale'),
        ),
      )
      .addOption(
        new Option(
          '--tier <name>',
          "tier whose Messages limits the comparison uses (default: the simulator's, else build)",
        ),
      )
      .addOption(new Option('--model <id>', 'model id (overrides the plan)'))
      .addOption(
        new Option('--max-tokens <n>', 'max_tokens per request').argParser(
          numberFlag('--max-tokens', { int: true }),
        ),
      )
      .addOption(new Option('--catalog <file>', 'catalog override JSON (prices, limits)')),
  examples: [
    'claude-load batch --simulate --requests 10000 --time-scale 3600 --poll 100ms',
    'claude-load batch checkout.claudeload.json --simulate --requests 200 --time-scale 600 --poll 200ms --json',
  ],
  run: (p, [planFile], io) =>
    withInterrupts(io, (signal) =>
      batchCommand(
        {
          planFile,
          requests: p.requests,
          simulate: p.simulate,
          pollMs: parseDuration(p.poll ?? '10s', '--poll'),
          json: p.json ?? false,
          out: p.out,
          maxCostUsd: p.maxCost,
          batchLatencyMs:
            p.batchLatency !== undefined ? parseDuration(p.batchLatency, '--batch-latency') : undefined,
          timeScale: p.timeScale,
          tier: p.tier,
          model: p.model,
          maxTokens: p.maxTokens,
          catalog: p.catalog !== undefined ? loadCatalogOption(p.catalog) : undefined,
          signal,
        },
        io,
      ),
    ),
});
