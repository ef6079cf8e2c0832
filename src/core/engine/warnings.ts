// Engine warnings, one per kind: a condition that recurs (a busy event loop, late sends) is reported
// once, with its worst value, instead of a line per occurrence.

export class WarningLog {
  private readonly byKind = new Map<string, { message: string; value: number }>();

  constructor(
    /** Called the first time a kind is reported (live UIs show it at once). */
    private readonly onFirst: (message: string) => void = () => {},
  ) {}

  /** Reports `kind`; a later report replaces the kept one only when its `value` is worse (higher). */
  report(kind: string, message: string, value = 0): void {
    const kept = this.byKind.get(kind);
    if (!kept) {
      this.byKind.set(kind, { message, value });
      this.onFirst(message);
    } else if (value > kept.value) this.byKind.set(kind, { message, value });
  }

  get messages(): string[] {
    return [...this.byKind.values()].map((w) => w.message);
  }
}
