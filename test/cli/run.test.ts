// `claude-load run` and `demo` in-process (main(argv, io)): the in-process simulator and a scripted
// server; exit codes, the --json summary, the key policy, secrets scrubbed, --out checked before sending,
// Ctrl-C / SIGTERM through an injected signal source.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedServer } from '../fixtures/scriptedServer';
import { cli, ensureReportBuilt, testIo } from './harness';

const secret = 'sk-ant-api03-CLITESTKEYTHATMUSTNOTAPPEAR_abcdefghijklmnop';
const gatewayKey = 'gw-TESTSECRET123';
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const count = (text: string, needle: string) => text.split(needle).length - 1;

// Independent tests (each its own simulator or scripted server, temp folder and io) that mostly wait
// on simulated latency: all at once.
describe('claude-load run and demo', { concurrency: true }, () => {
  before(ensureReportBuilt);

  test('--simulate --json: the documented summary fields, the run health, every request ok', async () => {
    const r = await cli([
      'run',
      '--simulate',
      '--sim-latency',
      'fast',
      '--concurrency',
      '3',
      '--requests',
      '12',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    for (const k of [
      'total',
      'ok',
      'rateLimited',
      'overloaded',
      'serverErrors',
      'clientErrors',
      'timeouts',
      'networkErrors',
      'streamErrors',
      'aborted',
    ]) {
      assert.equal(typeof s.requests[k], 'number', `requests.${k}`);
    }
    assert.equal(s.requests.total, 12);
    assert.equal(s.requests.ok, 12);
    for (const k of ['latencyMs', 'sendLagMs', 'ttftMs', 'tpotMs']) {
      for (const p of ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'])
        assert.equal(typeof s[k][p], 'number', `${k}.${p}`);
    }
    assert.equal(s.latencyUncorrectedMs, null, 'closed loop');
    assert.deepEqual(Object.keys(s.tokens).sort(), ['cacheRead', 'cacheWrite', 'input', 'output']);
    assert.equal(typeof s.costUsd, 'number');
    assert.equal(typeof s.throughput.rps, 'number');
    assert.ok(s.durationS > 0);
    assert.deepEqual(s.thresholds, []);
    assert.equal(s.interrupted, false);
    // #13: the generator's health, as run.json has it.
    assert.equal(typeof s.health.cpuCores, 'number');
    assert.ok(s.health.eventLoopUtilization >= 0 && s.health.eventLoopUtilization <= 1);
    assert.ok('timerLatenessMs' in s.health);
  });

  test('open loop reports corrected and uncorrected latency; a failed threshold exits 1', async () => {
    const r = await cli([
    'run', '--simulate', '--sim-latency', 'fast', '--rate', '20', '--requests', '20', '--json',
    '--threshold', 'latency.p99<100000', '--threshold', 'ttft.p50<0.001',
  ]); // prettier-ignore
    assert.equal(r.code, 1, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(typeof s.latencyUncorrectedMs.p99, 'number');
    assert.deepEqual(
      s.thresholds.map((t: { expr: string; pass: boolean }) => [t.expr, t.pass]),
      [
        ['latency.p99<100000', true],
        ['ttft.p50<0.001', false],
      ],
    );
  });

  test('bad input exits 2, names the flag the user typed, and sends nothing', async () => {
    const dir = tmp('cli-run-');
    writeFileSync(
      join(dir, 'bad.claudeload.json'),
      '{ "requests": 5, "load": { "type": "rate", "rps": -2 } }',
    );
    const cases: [string[], RegExp][] = [
      [['--concurrency', 'many'], /--concurrency must be an integer \(got "many"\)/],
      [['--rate', '-1'], /run: --rate must be > 0 \(got "-1"\)/],
      [['--rate', '0'], /--rate must be > 0 \(got "0"\)/],
      [['--requests', '-5'], /--requests must be > 0/],
      [['--requests', '1.5'], /--requests must be a whole number/],
      [['--max-cost', '-0.5'], /--max-cost must be > 0/],
      [['--requests', '1e400'], /--requests must be a finite number/],
      [['--time-scale', 'Infinity'], /--time-scale must be a finite number/],
      // Used to build a prompt of 1e11 tokens and die of memory exhaustion.
      [['--input-tokens', '99999999999'], /--input-tokens must be <= 1000000/],
      [['--duration', '2'], /--duration: use a number with a unit, e.g. 30s, 5m \(got "2"\)/],
      [['--timeout', 'soon'], /--timeout: use a number with a unit/],
      [['--stream', '--no-stream'], /use either --stream or --no-stream, not both/],
      [['--no-stream', '--stream'], /use either --stream or --no-stream, not both/],
      [['--concurrency', '2', '--rate', '3'], /'--concurrency <n>' cannot be used with option '--rate <r>'/],
      [['--ratee', '3'], /unknown option '--ratee'\n\(Did you mean --rate\?\)/],
      [['--sim-latency', 'slow'], /--sim-latency .* Allowed choices are realistic, fast, zero/],
      [['--model', 'claude-sonnet-4-20250514'], /--model: .*older guides.*claude-sonnet-5-5/],
      [['--threshold', 'latency.p42<5'], /--threshold: .*unknown metric "latency.p42"/],
      [['--threshold='], /run: --threshold: "" must look like/],
      [['--rate', '5', '--max-in-flight', '0'], /--max-in-flight must be > 0/],
      [['--arrival', 'poisson'], /--arrival needs --rate/],
      [['--rate'], /option '--rate <r>' argument missing/],
      [
        ['--output-tokens', '100', '--max-tokens', '5'],
        /'--output-tokens <n>' cannot be used with option '--max-tokens/,
      ],
      [['--out', join(dir, 'bad.claudeload.json')], /--out: .*exists and is not a folder/],
      [['--out', join(dir, 'bad.claudeload.json', 'sub')], /--out: cannot create/],
      // Node's recursive mkdir never settles here; the check must answer, not hang.
      ...(existsSync('/proc/self')
        ? [[['--out', '/proc/claude-load-test'], /--out: cannot create/] as [string[], RegExp]]
        : []),
    ];
    for (const [args, message] of cases) {
      const r = await cli(['run', '--simulate', '--sim-latency', 'zero', '--requests', '1', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /target\.simulator|load\.rps|argument is ambiguous|\^/, args.join(' '));
      assert.doesNotMatch(r.stderr, /(--[a-z-]+): \1:/, `${args.join(' ')}: the flag is named once`);
      assert.doesNotMatch(r.stderr, /sending to/, `${args.join(' ')}: nothing is sent`);
    }
    // A base URL without a scheme says so (not an error about plan-file target shapes).
    let r = await cli(['run', '--base-url', '127.0.0.1:4010']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--base-url: the scheme is missing: write http:\/\/127\.0\.0\.1:4010/);
    r = await cli(['run', '--simulate', 'gold']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--simulate: unknown tier "gold"/);
    // A problem in the plan file names the file and its field.
    r = await cli(['run', join(dir, 'bad.claudeload.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.claudeload\.json: load\.rps must be > 0/);
    // Flags override the file, and then the flag is named.
    r = await cli(['run', join(dir, 'bad.claudeload.json'), '--simulate', '--time-scale', '-3']);
    assert.match(r.stderr, /--time-scale must be > 0/);
  });

  test('--help documents every accepted flag (e.g. --seed), with examples and exit codes', async () => {
    const r = await cli(['run', '--help']);
    assert.equal(r.code, 0);
    for (const flag of [
      '--simulate',
      '--sim-latency',
      '--time-scale',
      '--base-url',
      '--allow-host',
      '--model',
      '--max-tokens',
      '--output-tokens',
      '--stream',
      '--no-stream',
      '--prompt',
      '--prompt-file',
      '--input-tokens',
      '--keep-prompts',
      '--seed',
      '--concurrency',
      '--rate',
      '--arrival',
      '--max-in-flight',
      '--requests',
      '--duration',
      '--max-cost',
      '--retries',
      '--timeout',
      '--threshold',
      '--out',
      '--json',
      '--name',
      '--catalog',
    ])
      // prettier-ignore
      assert.match(r.stdout, new RegExp(`^\\s+${flag}\\b.*\\S`, 'm'), `help documents ${flag}`);
    assert.match(r.stdout, /Examples:\n {2}\$ claude-load run --simulate/);
    assert.match(r.stdout, /130 interrupted/);
    for (const cmd of ['plan', 'simulate', 'demo', 'report']) {
      const h = await cli([cmd, '--help']);
      assert.equal(h.code, 0, cmd);
      assert.match(h.stdout, /Examples:\n {2}\$ claude-load /, cmd);
    }
    const top = await cli([]);
    assert.equal(top.code, 2);
    assert.match(top.stderr, /Commands:/);
    assert.equal((await cli(['--version'])).code, 0);
    const helpRun = await cli(['help', 'run']);
    assert.equal(helpRun.code, 0);
    assert.match(helpRun.stdout, /Usage: claude-load run/);
    const unknown = await cli(['rnu']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Did you mean run\?/);
  });

  test('no key for the real API, or an unreachable target: exit 3, readable message', async () => {
    let r = await cli(['run', '--requests', '1']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /ANTHROPIC_API_KEY/);
    r = await cli(['run', '--base-url', 'http://127.0.0.1:9', '--requests', '1'], {
      ANTHROPIC_API_KEY: secret,
    });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /cannot reach http:\/\/127.0.0.1:9: [^\n]*[^.]\. Check the base URL/);
    assert.doesNotMatch(r.stderr, /\.\. Check/);
    assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret));
  });

  test('key policy: a plan file naming another host gets no key unless the user allows it', async () => {
    const server = await startScriptedServer(() => ({}));
    try {
      const dir = tmp('cli-key-');
      const plan = join(dir, 'shared.claudeload.json');
      writeFileSync(
        plan,
        JSON.stringify({ target: { baseUrl: server.url }, requests: 2, model: 'claude-haiku-4-5' }),
      );
      const host = new URL(server.url).host;
      let r = await cli(['run', plan], { ANTHROPIC_API_KEY: gatewayKey });
      assert.equal(r.code, 3, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`not sent there.*--allow-host ${host}.*CLAUDE_LOAD_ALLOWED_HOSTS=${host}.*--base-url`),
      );
      assert.equal(server.requests.length, 0, 'nothing was sent');
      r = await cli(['run', plan, '--allow-host', host], { ANTHROPIC_API_KEY: gatewayKey });
      assert.equal(r.code, 0, r.stderr);
      r = await cli(['run', plan], {
        ANTHROPIC_API_KEY: gatewayKey,
        CLAUDE_LOAD_ALLOWED_HOSTS: `other.example,${host}`,
      });
      assert.equal(r.code, 0, r.stderr);
      r = await cli(['run', plan, '--base-url', server.url], { ANTHROPIC_API_KEY: gatewayKey });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(server.requests.length, 6);
      assert.ok(
        JSON.stringify(server.requests[0]!.headers).includes(gatewayKey),
        'the key went where allowed',
      );
      // Plain http to api.anthropic.com is refused outright.
      writeFileSync(plan, JSON.stringify({ target: { baseUrl: 'http://api.anthropic.com' }, requests: 1 }));
      r = await cli(['run', plan, '--allow-host', 'api.anthropic.com'], { ANTHROPIC_API_KEY: gatewayKey });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /not encrypted: use https:\/\/api\.anthropic\.com/);
    } finally {
      await server.close();
    }
  });

  test('the exact key value is scrubbed from run.json, report.html, CSV, stdout and stderr', async () => {
    // The server echoes the gateway key (no sk-ant- shape) and an Anthropic-shaped key in its errors.
    const server = await startScriptedServer((i) =>
      i % 2 ? { status: 500, errorMessage: `bad upstream key ${gatewayKey} / ${secret}` } : {},
    );
    try {
      const out = join(tmp('cli-scrub-'), 'out');
      for (const json of [false, true]) {
        const r = await cli(
          ['run', '--base-url', server.url, '--requests', '6', '--out', out, ...(json ? ['--json'] : [])],
          { ANTHROPIC_API_KEY: gatewayKey },
        );
        assert.equal(r.code, 0, r.stderr);
        for (const [name, text] of [
          ['stdout', r.stdout],
          ['stderr', r.stderr],
          ...['run.json', 'timeseries.csv', 'report.html'].map((f) => [
            f,
            readFileSync(join(out, f), 'utf8'),
          ]),
        ] as const) {
          assert.equal(count(text, gatewayKey), 0, `${name} contains the gateway key`);
          assert.equal(count(text, 'CLITESTKEY'), 0, `${name} contains the sk-ant key`);
        }
        assert.match(readFileSync(join(out, 'run.json'), 'utf8'), /bad upstream key \*\*\*/);
      }
      assert.deepEqual(
        readdirSync(out).filter((f) => f.endsWith('.tmp')),
        [],
        'no temp files left',
      );
    } finally {
      await server.close();
    }
  });

  test('every request failed: exit 4; results still saved', async () => {
    const server = await startScriptedServer(() => ({ status: 401, errorMessage: 'invalid x-api-key' }));
    try {
      const out = join(tmp('cli-fail-'), 'out');
      const r = await cli(['run', '--base-url', server.url, '--requests', '3', '--out', out], {
        ANTHROPIC_API_KEY: secret,
      });
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stdout, /4xx 3/);
      assert.equal(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).summary.requests.clientErrors, 3);
    } finally {
      await server.close();
    }
  });

  test('--out becomes unusable during the run: the summary is printed anyway, exit 3', async () => {
    const dir = tmp('cli-save-');
    const out = join(dir, 'out');
    // The first request replaces the (already checked) folder by a file, so saving at the end fails.
    const server = await startScriptedServer((i) => {
      if (i === 0) {
        rmSync(out, { recursive: true, force: true });
        writeFileSync(out, 'not a folder');
      }
      return {};
    });
    try {
      const r = await cli(['run', '--base-url', server.url, '--requests', '2', '--out', out, '--json'], {
        ANTHROPIC_API_KEY: secret,
      });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /could not save the results into/);
      assert.equal(JSON.parse(r.stdout).requests.ok, 2, 'the summary is on stdout');
    } finally {
      await server.close();
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} halfway: stops sending, saves, prints, exits 130`, async () => {
      const out = join(tmp('cli-sig-'), 'out');
      const io = testIo();
      const started = new Promise<void>((resolve) => {
        const write = io.stderr.write;
        io.stderr.write = (s: string) => {
          if (s.includes('sending to')) resolve();
          return write(s);
        };
      });
      const done = cli(
        [
          'run',
          '--simulate',
          '--sim-latency',
          'fast',
          '--rate',
          '20',
          '--duration',
          '60s',
          '--out',
          out,
          '--json',
        ],
        {},
        io,
      );
      await started;
      await new Promise((r) => setTimeout(r, 600));
      io.signals.emit(signal);
      const r = await done;
      assert.equal(r.code, 130, r.stderr);
      assert.deepEqual(r.exits, [], 'one signal does not quit at once');
      assert.match(r.stderr, new RegExp(`${signal}: stopping`));
      const s = JSON.parse(r.stdout);
      assert.equal(s.interrupted, true);
      assert.ok(s.requests.ok > 0 && s.durationS < 30, `stopped early with results (${s.durationS}s)`);
      assert.ok(existsSync(join(out, 'run.json')) && existsSync(join(out, 'report.html')));
      assert.equal(io.signals.listenerCount(signal), 0, 'listeners removed');
    });
  }

  test('a second Ctrl-C quits at once', async () => {
    const io = testIo();
    const started = new Promise<void>((resolve) => {
      const write = io.stderr.write;
      io.stderr.write = (s: string) => {
        if (s.includes('sending to')) resolve();
        return write(s);
      };
    });
    const done = cli(
      ['run', '--simulate', '--sim-latency', 'fast', '--rate', '5', '--duration', '60s'],
      {},
      io,
    );
    await started;
    io.signals.emit('SIGINT');
    io.signals.emit('SIGINT');
    assert.deepEqual(io.exits, [130]);
    assert.equal((await done).code, 130);
  });

  test('--keep-prompts and --output-tokens reach the scenario that is saved', async () => {
    const out = join(tmp('cli-flags-'), 'out');
    const r = await cli([
    'run', '--simulate', '--sim-latency', 'zero', '--requests', '2', '--keep-prompts', '--output-tokens', '400', '--out', out,
  ]); // prettier-ignore
    assert.equal(r.code, 0, r.stderr);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(run.scenario.keepPrompts, true);
    assert.equal(run.scenario.outputTokens, 400);
    assert.equal(run.scenario.maxTokens, 400);
    // The CLI passes the report hooks: results carry the metric definitions and a diagnosis.
    assert.ok(Object.keys(run.definitions).length > 0);
    assert.ok(run.diagnosis.length > 0);
  });

  test('demo: plans, load-tests the simulator and writes the report', async () => {
    const dir = tmp('cli-demo-');
    // 1 s of sending (the first arrival is at 0), then the realistic replies drain for seconds.
    const r = await cli(['demo', '--duration', '1s', '--out', dir]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.match(r.stdout, /Capacity plan/);
    assert.match(r.stdout, /requests \d+: ok \d+/);
    assert.match(r.stdout, /report.html/);
    assert.ok(existsSync(join(dir, 'report.html')));
    // The first thing a new user runs prints no warning: no planner warning (data caveats are notes)
    // and no warning diagnosis.
    assert.ok(!/^Warnings:|\[warning\]/m.test(r.stdout), r.stdout);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    assert.ok(run.summary.requests.ok > 0);
    assert.ok(
      (run.diagnosis as { severity: string }[]).every((d) => d.severity === 'info'),
      JSON.stringify(run.diagnosis),
    );
    const bad = await cli(['demo', '--duration', '-1s']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--duration: use a number with a unit/);
    const file = join(dir, 'run.json');
    const badOut = await cli(['demo', '--out', file]);
    assert.equal(badOut.code, 2);
    assert.match(badOut.stderr, /--out: .*not a folder/);
    assert.equal(badOut.stdout, '', 'checked before the plan is printed');
  });
});
