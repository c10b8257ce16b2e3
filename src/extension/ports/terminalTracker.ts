// Which processes are this window's terminals and tasks, so the ports view can say "started from
// terminal bash (pid 4100) of this window". Each shell or task PID is remembered with its start token
// (the PID-reuse guard); the collector remembers their descendants across scans, so a server that
// outlives its terminal stays attributed. New terminals also get an environment marker
// (EnvironmentVariableCollection) that the Linux collector reads back from /proc/<pid>/environ: it
// survives reparenting and double forks.
import { randomUUID } from 'node:crypto';
import { EventEmitter, tasks, window, type Disposable, type Event, type ExtensionContext, type TaskExecution, type Terminal } from 'vscode';
import type { TerminalProcessRef } from '../../ports/attribution';
import { readProcessStartToken } from '../../ports/processStop';
import { log } from '../log';

/** Environment variable Bindwatch adds to this workspace's terminals. */
export const ENV_MARKER_NAME = 'BINDWATCH_WORKSPACE';
const MARKER_STATE_KEY = 'bindwatch.ports.workspaceMarker';

export class TerminalTracker implements Disposable {
  private readonly terminals = new Map<Terminal, TerminalProcessRef>();
  private readonly taskProcesses = new Map<TaskExecution, TerminalProcessRef>();
  private readonly changed = new EventEmitter<void>();
  private readonly userActivity = new EventEmitter<void>();
  private readonly subscriptions: Disposable[] = [];
  /** Fires when the set of terminal and task processes changes. */
  readonly onDidChange: Event<void> = this.changed.event;
  /** Fires when something that often starts or stops a server happens (a command runs or ends). */
  readonly onDidSeeActivity: Event<void> = this.userActivity.event;
  /** This workspace's marker value (stable across reloads, so restored terminals still match). */
  readonly markerValue: string;

  constructor(private readonly context: ExtensionContext) {
    let marker = context.workspaceState.get<string>(MARKER_STATE_KEY);
    if (marker === undefined) {
      marker = randomUUID();
      void context.workspaceState.update(MARKER_STATE_KEY, marker);
    }
    this.markerValue = marker;
    const activity = (): void => this.userActivity.fire();
    this.subscriptions.push(
      this.changed,
      this.userActivity,
      window.onDidOpenTerminal((t) => {
        this.track(t);
        activity();
      }),
      window.onDidCloseTerminal((t) => {
        if (this.terminals.delete(t)) this.changed.fire();
        activity();
      }),
      window.onDidStartTerminalShellExecution(activity),
      window.onDidEndTerminalShellExecution(activity),
      tasks.onDidStartTaskProcess((e) => {
        void this.remember(e.processId, e.execution.task.name, 'task').then((ref) => {
          if (ref === undefined) return;
          this.taskProcesses.set(e.execution, ref);
          this.changed.fire();
        });
        activity();
      }),
      tasks.onDidEndTaskProcess((e) => {
        if (this.taskProcesses.delete(e.execution)) this.changed.fire();
        activity();
      }),
    );
    for (const terminal of window.terminals) this.track(terminal);
  }

  /** Adds or removes the marker in the environment of terminals created from now on. */
  setMarkTerminals(enabled: boolean): void {
    const collection = this.context.environmentVariableCollection;
    if (enabled) {
      collection.description = 'Lets Bindwatch recognise servers started from this workspace\'s terminals in its Ports view.';
      collection.replace(ENV_MARKER_NAME, this.markerValue);
    } else {
      collection.clear();
    }
  }

  /** Terminal shells and task processes of this window, with start tokens. */
  get processes(): TerminalProcessRef[] {
    return [...this.terminals.values(), ...this.taskProcesses.values()];
  }

  private track(terminal: Terminal): void {
    terminal.processId.then(
      async (pid) => {
        if (pid === undefined) return;
        const ref = await this.remember(pid, terminal.name, 'terminal');
        // The terminal may have closed while its start time was read.
        if (ref === undefined || !window.terminals.includes(terminal)) return;
        this.terminals.set(terminal, ref);
        this.changed.fire();
      },
      (error: unknown) => log.warn(`Could not read the process id of terminal "${terminal.name}": ${String(error)}`),
    );
  }

  private async remember(pid: number, name: string, kind: 'terminal' | 'task'): Promise<TerminalProcessRef | undefined> {
    let startToken: string | undefined;
    try {
      startToken = await readProcessStartToken(pid);
    } catch {
      startToken = undefined;
    }
    const ref: TerminalProcessRef = { pid, name, kind };
    if (startToken !== undefined) ref.startToken = startToken;
    return ref;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions.length = 0;
  }
}
