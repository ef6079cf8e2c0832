// The package entry `claude-load-scale/limiter` (ESM + CJS + types, see scripts/build.mjs): the shared
// limiter and, next to it, the BullMQ worker pool that uses it. No vscode, no DOM.
export * from './limiter/index';
export * from './queue/index';
