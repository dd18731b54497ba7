/** What the parent asks of the launcher process. */
export type LauncherRequest =
  { op: 'spawn'; id: number; binary: string; args: readonly string[] } | { op: 'kill'; id: number };

/** What the launcher reports about the process `id`; `close` is always its last message. */
export type LauncherEvent =
  | { op: 'stdout' | 'stderr'; id: number; data: string }
  | {
      op: 'close';
      id: number;
      exitCode: number | null;
      exitSignal: NodeJS.Signals | null;
      /** Why the program could not be started (e.g. ENOENT). */
      startError?: string;
    };
