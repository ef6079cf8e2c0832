// startSimulator(): a node:http server that answers like the Messages API (no framework: the hot
// path has to sustain >10k requests/s on one core).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveOptions } from './options';
import type { SimulatorOptions } from './options';
import { handleRequest } from './routes';
import { SimState } from './state';
import type { SimulatorStats } from './stats';

export interface SimulatorHandle {
  /** Base URL for the SDK's baseURL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  host: string;
  port: number;
  /** Stops accepting, ends open streams and connections; resolves once the server is closed. */
  close(): Promise<void>;
  stats(): SimulatorStats;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const cfg = resolveOptions(options);
  const sim = new SimState(cfg);
  // Slow clients are timed out (headers, then the whole request; a response stream is not limited:
  // streams can last minutes), and connections are capped so a flood cannot exhaust descriptors.
  const server = createServer(
    {
      noDelay: true,
      requestTimeout: cfg.requestTimeoutMs,
      headersTimeout: cfg.headersTimeoutMs,
      keepAliveTimeout: cfg.keepAliveTimeoutMs,
      // How often node checks the two timeouts above (its default, 30 s, would blunt short ones).
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(cfg.headersTimeoutMs / 4))),
    },
    (req, res) => handleRequest(sim, req, res),
  );
  server.keepAliveTimeout = cfg.keepAliveTimeoutMs;
  server.maxConnections = cfg.maxConnections;
  server.maxRequestsPerSocket = 0;

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ host: cfg.host, port: cfg.port, backlog: 4096 }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(cfg.host)}:${port}`;
  cfg.log(`simulator listening on ${url} (tier ${cfg.tier.name}, latency ${cfg.latency}, seed ${cfg.seed})`);

  let closing: Promise<void> | null = null;
  return {
    url,
    host: cfg.host,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        sim.closing = true;
        for (const s of sim.active) s.stop();
        sim.active.clear();
        sim.gate.drain();
        server.close(() => {
          cfg.log('simulator closed');
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
    stats: () => sim.stats.snapshot(sim.gate.inService, sim.gate.queued, sim.gate.peakInService),
  };
}
