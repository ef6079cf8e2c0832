// Server capacity: at most `capacity` requests in service; the next `queueLimit` wait in FIFO order
// (so latency grows under load) and anything beyond gets 529 overloaded_error.

export interface Servable {
  /** Called when the request gets a service slot. */
  start(): void;
}

export type Admission = 'now' | 'queued' | 'full';

export class CapacityGate {
  inService = 0;
  peakInService = 0;
  private queue: (Servable | null)[] = [];
  private head = 0;
  private waiting = 0;

  constructor(
    readonly capacity: number,
    readonly queueLimit: number,
  ) {}

  get queued(): number {
    return this.waiting;
  }

  acquire(job: Servable): Admission {
    if (this.inService < this.capacity && this.waiting === 0) {
      this.inService++;
      if (this.inService > this.peakInService) this.peakInService = this.inService;
      return 'now';
    }
    if (this.waiting >= this.queueLimit) return 'full';
    this.queue.push(job);
    this.waiting++;
    return 'queued';
  }

  /** Removes a queued job whose client went away. */
  cancel(job: Servable): void {
    for (let i = this.head; i < this.queue.length; i++) {
      if (this.queue[i] === job) {
        this.queue[i] = null;
        this.waiting--;
        return;
      }
    }
  }

  /** Frees a slot and starts the next queued job, if any. */
  release(): void {
    this.inService--;
    while (this.inService < this.capacity && this.waiting > 0) {
      const job = this.queue[this.head];
      this.queue[this.head++] = null;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      if (!job) continue;
      this.waiting--;
      this.inService++;
      if (this.inService > this.peakInService) this.peakInService = this.inService;
      job.start();
    }
  }

  /** Empties the queue (on close) and returns the jobs that were waiting. */
  drain(): Servable[] {
    const jobs = this.queue.slice(this.head).filter((j): j is Servable => j !== null);
    this.queue = [];
    this.head = 0;
    this.waiting = 0;
    return jobs;
  }
}
