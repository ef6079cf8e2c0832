// A minimal typed event emitter (no DOM, no Node EventEmitter typing quirks).
export type Listener<E> = (event: E) => void;

export class TypedEmitter<Events extends { type: string }> {
  private readonly listeners = new Map<string, Set<Listener<never>>>();

  on<K extends Events['type']>(type: K, listener: Listener<Extract<Events, { type: K }>>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(type, listener);
  }

  off<K extends Events['type']>(type: K, listener: Listener<Extract<Events, { type: K }>>): void {
    this.listeners.get(type)?.delete(listener as Listener<never>);
  }

  hasListeners(type: Events['type']): boolean {
    return (this.listeners.get(type)?.size ?? 0) > 0;
  }

  /** Listener errors are reported, never allowed to break the run. */
  protected emit(event: Events): void {
    const set = this.listeners.get(event.type);
    if (!set) return;
    for (const l of set) {
      try {
        (l as Listener<Events>)(event);
      } catch (e) {
        console.error(`claude-load: a ${event.type} listener failed:`, e);
      }
    }
  }
}
