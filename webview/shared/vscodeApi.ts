// The API VS Code injects into a webview as `acquireVsCodeApi()`. Declared here so no webview imports
// vscode; absent outside VS Code (the standalone report.html).

export interface VsCodeApi<TOut, TState> {
  postMessage(message: TOut): void;
  getState(): TState | undefined;
  setState(state: TState): TState;
}

let cached: VsCodeApi<unknown, unknown> | undefined;

/** The VS Code API, or undefined outside VS Code. Cached: VS Code allows only one acquisition. */
export function getVsCodeApi<TOut, TState>(): VsCodeApi<TOut, TState> | undefined {
  if (!cached) {
    const acquire = (globalThis as { acquireVsCodeApi?: () => VsCodeApi<unknown, unknown> }).acquireVsCodeApi;
    if (typeof acquire !== 'function') return undefined;
    cached = acquire();
  }
  return cached as VsCodeApi<TOut, TState>;
}
