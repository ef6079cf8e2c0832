// Stop conditions: the run's request count and duration. (The duration also has a timer in the
// engine, so requests held in later gates are turned away when it ends.)
import { admitted, type AdmissionGate, type AdmissionRequest, type GateDecision } from './gate';

export class StopConditionsGate implements AdmissionGate {
  readonly name = 'stop conditions';
  private admittedCount = 0;

  constructor(
    private readonly limits: { requests?: number; durationMs?: number },
    private readonly elapsedMs: () => number,
  ) {}

  admit(_request: AdmissionRequest): GateDecision {
    const { requests, durationMs } = this.limits;
    if (requests !== undefined && this.admittedCount >= requests) return { kind: 'stop', reason: 'requests' };
    if (durationMs !== undefined && this.elapsedMs() >= durationMs)
      return { kind: 'stop', reason: 'duration' };
    this.admittedCount++;
    return admitted;
  }

  release(): void {
    this.admittedCount--;
  }
}
