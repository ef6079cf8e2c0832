// "Claude: Start/Stop Local Simulator": one standalone simulator on a fixed port, for tools outside
// VS Code (curl, your app with ANTHROPIC_BASE_URL) to rehearse against.
import * as vscode from 'vscode';
import { startSimulator, type SimulatorHandle } from '../core/index';
import type { Logger } from './logger';
import type { Settings } from './settings';
import type { Catalog } from '../core/index';

export class SimulatorManager implements vscode.Disposable {
  private handle: SimulatorHandle | undefined;
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: { settings: () => Settings; catalog: () => Catalog; log: Logger }) {}

  get url(): string | undefined {
    return this.handle?.url;
  }

  async start(): Promise<string> {
    if (this.handle) return this.handle.url;
    const s = this.deps.settings().simulator;
    const log = this.deps.log;
    try {
      this.handle = await startSimulator({
        port: s.port,
        tier: s.tier,
        latency: s.latency,
        timeScale: s.timeScale,
        catalog: this.deps.catalog(),
        log: (line) => log.info(`simulator: ${line}`),
      });
    } catch (e) {
      // The configured port may be taken: fall back to a free one rather than failing.
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      log.warn(`Port ${s.port} is in use; starting the simulator on a free port.`);
      this.handle = await startSimulator({
        port: 0,
        tier: s.tier,
        latency: s.latency,
        timeScale: s.timeScale,
        catalog: this.deps.catalog(),
      });
    }
    log.info(`Simulator listening on ${this.handle.url} (tier ${s.tier}, latency ${s.latency}).`);
    this.changed.fire(this.handle.url);
    return this.handle.url;
  }

  async stop(): Promise<boolean> {
    const h = this.handle;
    if (!h) return false;
    this.handle = undefined;
    await h.close();
    this.deps.log.info('Simulator stopped.');
    this.changed.fire(undefined);
    return true;
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
