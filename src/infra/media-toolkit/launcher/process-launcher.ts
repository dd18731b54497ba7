import { ChildProcess, fork } from 'node:child_process';
import { extname, join } from 'node:path';
import type { LauncherEvent, LauncherRequest } from './launcher-protocol';

export interface ProcessExit {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** Set when the program never ran (its code, e.g. ENOENT) or the launcher went away under it. */
  startError?: string;
}

export interface LaunchHandlers {
  onStdout(data: string): void;
  onStderr(data: string): void;
  /** Called once, last, after all the output. */
  onClose(exit: ProcessExit): void;
}

export interface LaunchedProcess {
  /** SIGKILL; its onClose still follows. */
  kill(): void;
}

/**
 * A small heap, and no V8 helper threads: fewer pages for each fork to copy and fault back in,
 * and no other threads whose TLBs those faults must flush. Measured on the 2-core VM: 3.6 to
 * 4.2 ms of the launcher's CPU per program, against 4.9 to 5.0 without the flags.
 */
const LAUNCHER_EXEC_ARGV = [
  '--max-semi-space-size=1',
  '--max-old-space-size=64',
  '--single-threaded',
];
/** With nothing to run for this long the launcher goes away; the next program starts a new one. */
const IDLE_MS = 30_000;

/**
 * Starts programs through a long-lived launcher process instead of forking this (large) one for
 * each: on a process with hundreds of MB of heap, fork copies the page tables and every page
 * written afterwards faults once, and the event loop stands still meanwhile (about 11 ms per
 * ffmpeg in Kiln's worker under load). Output and exit come back over IPC in order. The
 * launcher never keeps this process alive by itself.
 */
export class ProcessLauncher {
  private helper?: ChildProcess;
  private readonly running = new Map<number, LaunchHandlers>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;

  /** The launcher's process id, while one runs. */
  get pid(): number | undefined {
    return this.helper?.pid;
  }

  launch(binary: string, args: readonly string[], handlers: LaunchHandlers): LaunchedProcess {
    const helper = this.helper ?? this.start();
    const id = this.nextId++;
    this.running.set(id, handlers);
    clearTimeout(this.idleTimer);
    this.request(helper, { op: 'spawn', id, binary, args });
    return {
      kill: () => {
        if (this.running.has(id)) this.request(helper, { op: 'kill', id });
      },
    };
  }

  private start(): ChildProcess {
    // From the TypeScript sources (tests), the launcher runs from its source too.
    const script = join(__dirname, `launcher-main${extname(__filename)}`);
    const typescript = script.endsWith('.ts')
      ? ['--require', 'ts-node/register/transpile-only']
      : [];
    const helper = fork(script, [], {
      execArgv: [...LAUNCHER_EXEC_ARGV, ...typescript],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    helper.unref();
    helper.channel?.unref();
    helper.on('message', (event: LauncherEvent) => this.receive(event));
    helper.once('exit', () => this.lost(helper, 'launcher exited'));
    helper.on('error', (error: NodeJS.ErrnoException) => this.lost(helper, error.code ?? 'error'));
    this.helper = helper;
    return helper;
  }

  private request(helper: ChildProcess, request: LauncherRequest): void {
    helper.send(request, (error) => {
      if (error) this.lost(helper, 'launcher unreachable');
    });
  }

  private receive(event: LauncherEvent): void {
    const handlers = this.running.get(event.id);
    if (!handlers) return;
    switch (event.op) {
      case 'stdout':
        handlers.onStdout(event.data);
        break;
      case 'stderr':
        handlers.onStderr(event.data);
        break;
      case 'close': {
        const { exitCode, exitSignal, startError } = event;
        this.close(event.id, { exitCode, exitSignal, startError });
        break;
      }
    }
  }

  private close(id: number, exit: ProcessExit): void {
    const handlers = this.running.get(id);
    if (!handlers) return;
    this.running.delete(id);
    handlers.onClose(exit);
    if (this.running.size === 0) {
      this.idleTimer = setTimeout(() => this.retire(), IDLE_MS).unref();
    }
  }

  /** Lets an idle launcher exit; forgotten first, so that a new program starts a new one. */
  private retire(): void {
    const helper = this.helper;
    this.helper = undefined;
    if (helper?.connected) helper.disconnect();
  }

  /** The launcher died or cannot be reached: what it was running is reported as not started. */
  private lost(helper: ChildProcess, reason: string): void {
    if (this.helper !== helper) return;
    this.helper = undefined;
    if (helper.connected) helper.disconnect();
    for (const id of [...this.running.keys()]) {
      this.close(id, { exitCode: null, exitSignal: null, startError: reason });
    }
  }
}

/** One launcher per process: every ffmpeg and ffprobe run shares it. */
export const processLauncher = new ProcessLauncher();
