// When the ports view scans next. The collector suggests a floor from what scans cost (twenty times
// the recent scan time, two hundred times its CPU, never under the configured minimum); on top of that:
//   - nothing changed for a while: back off geometrically, up to `maxFactor` times the configured
//     minimum (never below the collector's floor, which already spaces out expensive scans);
//   - something changed, or the user did something (a terminal command started, a task began, a
//     terminal closed): scan again soon, a short burst, because a server binds a moment after it starts;
//   - the window is in the background: slower still.
// Pure: the extension's LiveRefresher owns the timer and asks `nextDelay` after every scan.

export interface RefreshPolicyOptions {
  /** Configured minimum between scans, milliseconds. */
  minMs: number;
  /** Longest back-off, as a multiple of `minMs`. */
  maxFactor?: number;
  /** Each unchanged scan multiplies the delay by this. */
  growth?: number;
  /** Multiplier while the VS Code window is not focused. */
  unfocusedFactor?: number;
  /** Delays of a burst after a user event, milliseconds. */
  burstMs?: readonly number[];
}

export class RefreshPolicy {
  private unchanged = 0;
  private burst: number[] = [];
  readonly minMs: number;
  private readonly maxFactor: number;
  private readonly growth: number;
  private readonly unfocusedFactor: number;
  private readonly burstMs: readonly number[];

  constructor(options: RefreshPolicyOptions) {
    this.minMs = Math.max(250, options.minMs);
    this.maxFactor = options.maxFactor ?? 7.5;
    this.growth = options.growth ?? 1.5;
    this.unfocusedFactor = options.unfocusedFactor ?? 3;
    this.burstMs = options.burstMs ?? [400, 1000, 2000];
  }

  /** After every scan: did what the view shows change? */
  observe(changed: boolean): void {
    this.unchanged = changed ? 0 : this.unchanged + 1;
  }

  /** A user event that may start or stop a server: scan soon, a few times. */
  poke(): void {
    this.unchanged = 0;
    this.burst = [...this.burstMs];
  }

  /** Consecutive scans without a change. */
  get quietScans(): number {
    return this.unchanged;
  }

  /**
   * Milliseconds until the next scan. `floorMs` is the collector's suggestion (it already includes
   * `minMs` and the cost of a scan); a burst never goes below what a scan costs.
   */
  nextDelay(floorMs: number, focused: boolean): number {
    const floor = Math.max(this.minMs, floorMs);
    const step = this.burst.shift();
    if (step !== undefined) return Math.max(step, floorMs > this.minMs ? floorMs : 0);
    // Back off up to `maxFactor` times the configured minimum; a costlier floor is kept as it is.
    const backoff = this.growth ** Math.min(this.unchanged, 32);
    const delay = Math.max(floor, Math.min(floor * backoff, this.minMs * this.maxFactor));
    return Math.round(focused ? delay : delay * this.unfocusedFactor);
  }
}
