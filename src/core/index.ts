// Public API of the core library. No vscode, no DOM: the CLI and the extension both use only this.
export * from './catalog/index';
