// Keeps the ports view current while it is visible, and costs nothing while it is not: one timer,
// re-armed after each scan finishes (so two scans never overlap), with the delay from RefreshPolicy
// (the collector's cost-based floor, back-off while nothing changes, a short burst after a terminal or
// task event, slower while the window is in the background). Hidden for a minute: the collector's
// worker threads end too.
import { window, type Disposable } from 'vscode';
import { RefreshPolicy } from '../../ports/view/refreshPolicy';
import { log } from '../log';
import type { PortsModel } from './portsModel';

/** Worker threads of the collector end this long after the view was hidden. */
const RELEASE_AFTER_HIDDEN_MS = 60_000;

export class LiveRefresher implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private releaseTimer: NodeJS.Timeout | undefined;
  private visible = false;
  private running = false;
  private disposed = false;
  private policy: RefreshPolicy;

  constructor(
    private readonly model: PortsModel,
    private autoRefresh: boolean,
    minIntervalMs: number,
  ) {
    this.policy = new RefreshPolicy({ minMs: minIntervalMs });
  }

  configure(autoRefresh: boolean, minIntervalMs: number): void {
    this.autoRefresh = autoRefresh;
    if (minIntervalMs !== this.policy.minMs) this.policy = new RefreshPolicy({ minMs: minIntervalMs });
    this.reschedule();
  }

  /** The view was shown or hidden. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible) {
      if (this.releaseTimer !== undefined) clearTimeout(this.releaseTimer);
      this.releaseTimer = undefined;
      void this.tick();
    } else {
      this.clearTimer();
      this.releaseSoon();
    }
  }

  /** A scan ran while the view is hidden (a CodeLens asked): end the worker threads a while later. */
  releaseSoon(): void {
    if (this.visible || this.disposed) return;
    if (this.releaseTimer !== undefined) clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = undefined;
      if (!this.visible) this.model.collector.dispose().catch(() => undefined);
    }, RELEASE_AFTER_HIDDEN_MS);
  }

  /** Something that may start or stop a server happened: scan soon. */
  poke(): void {
    if (!this.visible || !this.autoRefresh) return;
    this.policy.poke();
    if (!this.running) this.reschedule();
  }

  /** Scans now (the Refresh button), then carries on with the schedule. */
  async refreshNow(): Promise<void> {
    this.clearTimer();
    await this.tick();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private reschedule(): void {
    this.clearTimer();
    if (this.disposed || !this.visible || !this.autoRefresh || this.running) return;
    const floor = this.model.collector.nextPollDelayMs(this.policy.minMs);
    this.timer = setTimeout(() => void this.tick(), this.policy.nextDelay(floor, window.state.focused));
  }

  private async tick(): Promise<void> {
    this.clearTimer();
    if (this.disposed) return;
    if (this.running) {
      await this.model.refresh();
      return;
    }
    this.running = true;
    try {
      this.policy.observe(await this.model.refresh());
    } catch (error) {
      log.error('Refreshing the ports view failed.', error);
    } finally {
      this.running = false;
    }
    this.reschedule();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    if (this.releaseTimer !== undefined) clearTimeout(this.releaseTimer);
  }
}
