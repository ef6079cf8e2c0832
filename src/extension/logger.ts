// The output channel: concise, and anything shaped like a key is masked before it is written.
import * as vscode from 'vscode';
import { scrubSecrets } from '../core/index';

export class Logger implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Claude Load & Scale', { log: true });
  private readonly secrets = new Set<string>();

  /** Remembers a secret so it is masked even if it does not look like an Anthropic key. */
  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  mask(text: string): string {
    return scrubSecrets(text, [...this.secrets]);
  }

  info(message: string): void {
    this.channel.info(this.mask(message));
  }

  warn(message: string): void {
    this.channel.warn(this.mask(message));
  }

  error(message: string): void {
    this.channel.error(this.mask(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
