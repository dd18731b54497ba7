/**
 * A signal that aborts when a wait runs longer than `ms`: a streamed answer may rightly take
 * minutes in all, so the limit is on each wait for the service, not on the whole answer.
 */
export class IdleTimeout {
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;

  constructor(readonly ms: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get fired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Starts the wait, or starts it over after progress. */
  start(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(), this.ms);
  }

  /** While Kiln itself is busy (waiting to retry, or for the consumer), the service is not late. */
  stop(): void {
    clearTimeout(this.timer);
  }
}
