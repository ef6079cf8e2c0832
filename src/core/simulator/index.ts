// Public API of the Anthropic-compatible simulator.
export { startSimulator } from './server';
export type { SimulatorHandle } from './server';
export { SimulatorConfigError } from './options';
export type { SimulatorOptions } from './options';
export type { SimulatorRates, SimulatorStats } from './stats';
export type { LatencyPreset } from './latency';
export { LATENCY_PRESETS } from './latency';
export type { FaultKind, FaultRates } from './faults';
export { FAULT_KINDS } from './faults';
export type { OtpmMode } from './rateLimiter';
export { TOKEN_FRAMING, estimateRequestTokens, estimateTokens } from '../tokens/count';
export { API_VERSIONS } from './validation';
export { MAX_BODY_BYTES } from './routes';
export { RAMP } from './rateLimiter';
export type { RampRefusal } from './rateLimiter';
