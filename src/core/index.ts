// Public API of the core library. No vscode, no DOM: the CLI and the extension both use only this.
export * from './catalog/index';
export * from './capacity/index';
export * from './report/index';
export * from './engine/index';
export * from './planFile/index';
export * from './metrics/histogram';
export { parseDuration, formatDuration } from './util/duration';
export { parseJsonc, findFieldRange, fieldPath, JsoncError } from './util/jsonc';
export { scrubSecrets } from './util/scrub';
export { judgeKeyHost, httpOrigin, anthropicApiOrigin, type KeyHostVerdict } from './util/keyHosts';
export { closestName, editDistance } from './util/editDistance';
export { toolVersion } from './version';
export * from './format/index';
export * from './live/windows';
export * from './simulator/index';
export * from './batch/index';
export * from './sweep/index';
export * from './compare/index';
