// Per-document debounce with cancellation: each edit restarts the document's timer and cancels the
// run already under way for it, so only the latest text is analyzed and stale results are dropped.

export interface RunToken {
  /** True once a newer run was scheduled for the same key, or the key was cancelled. */
  readonly cancelled: boolean;
}

class Token implements RunToken {
  cancelled = false;
}

export type Timer = ReturnType<typeof setTimeout>;

export interface Clock {
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

const realClock: Clock = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t) };

export class DebouncedRunner<K> {
  private readonly timers = new Map<K, Timer>();
  private readonly tokens = new Map<K, Token>();

  constructor(
    private readonly run: (key: K, token: RunToken) => Promise<void>,
    private readonly onError: (key: K, error: unknown) => void,
    private readonly clock: Clock = realClock,
  ) {}

  /** Runs `key` after `delayMs`, replacing any pending or running run of it. */
  schedule(key: K, delayMs: number): void {
    this.cancel(key);
    const token = new Token();
    this.tokens.set(key, token);
    const fire = (): void => {
      this.timers.delete(key);
      this.run(key, token)
        .catch((error: unknown) => this.onError(key, error))
        .finally(() => {
          if (this.tokens.get(key) === token) this.tokens.delete(key);
        });
    };
    if (delayMs <= 0) fire();
    else this.timers.set(key, this.clock.setTimeout(fire, delayMs));
  }

  /** Drops the pending run of `key` and marks a running one as cancelled. */
  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.timers.delete(key);
    const token = this.tokens.get(key);
    if (token) token.cancelled = true;
    this.tokens.delete(key);
  }

  cancelAll(): void {
    for (const key of [...this.timers.keys(), ...this.tokens.keys()]) this.cancel(key);
  }

  get pending(): number {
    return this.timers.size;
  }
}
