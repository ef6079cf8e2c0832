// The API key lives only in SecretStorage; ANTHROPIC_API_KEY from the environment is a named fallback.
// Before the key goes to a host other than api.anthropic.com, the user is asked once per host.
import * as vscode from 'vscode';
import { judgeKeyHost } from '../core/index';
import type { Logger } from './logger';

const secretName = 'claudeLoad.anthropicApiKey';
const approvedHostsKey = 'claudeLoad.approvedKeyHosts';

export type KeySource = 'secret-storage' | 'environment';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly globalState: vscode.Memento,
    private readonly log: Logger,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === secretName) this.changed.fire();
    });
  }

  async get(): Promise<{ key: string; source: KeySource } | undefined> {
    const stored = await this.secrets.get(secretName);
    if (stored) {
      this.log.addSecret(stored);
      return { key: stored, source: 'secret-storage' };
    }
    const env = process.env.ANTHROPIC_API_KEY?.trim();
    if (env) {
      this.log.addSecret(env);
      return { key: env, source: 'environment' };
    }
    return undefined;
  }

  async set(key: string): Promise<void> {
    this.log.addSecret(key);
    await this.secrets.store(secretName, key.trim());
    this.log.info('API key stored in SecretStorage.');
  }

  async clear(): Promise<void> {
    await this.secrets.delete(secretName);
    this.log.info('API key removed from SecretStorage.');
  }

  /**
   * True when the key may be sent to `baseUrl`: api.anthropic.com over https, or an origin (scheme,
   * host and port) the user approved; plain http to api.anthropic.com is refused.
   */
  async confirmHost(baseUrl: string): Promise<boolean> {
    const approved = this.globalState.get<string[]>(approvedHostsKey, []);
    // Older versions stored bare hosts; only full origins count now, so https approval is not http's.
    const verdict = judgeKeyHost(
      baseUrl,
      approved.filter((a) => a.includes('://')),
    );
    if (verdict.kind === 'trusted') return true;
    if (verdict.kind === 'refused') {
      void vscode.window.showErrorMessage(`The API key is not sent: ${verdict.reason}.`);
      return false;
    }
    const send = 'Send key to this host';
    const answer = await vscode.window.showWarningMessage(
      `Send your Anthropic API key to ${verdict.origin}?`,
      {
        modal: true,
        detail: 'This host is not api.anthropic.com. Only continue if you trust it with your key.',
      },
      send,
    );
    if (answer !== send) return false;
    await this.globalState.update(approvedHostsKey, [...approved, verdict.origin]);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
