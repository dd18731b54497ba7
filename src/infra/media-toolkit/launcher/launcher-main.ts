import { ChildProcess, spawn } from 'node:child_process';
import type { LauncherEvent, LauncherRequest } from './launcher-protocol';

/**
 * The launcher process: spawns programs for its parent and relays their output and exit. It
 * exists because forking is expensive for a large process (its page tables are copied, and
 * every page it writes afterwards faults once), and this one stays small. Killed children are
 * killed with SIGKILL, like the parent would; when the parent goes away, so do its programs.
 */
const children = new Map<number, ChildProcess>();

function send(event: LauncherEvent): void {
  process.send?.(event);
}

function launch(id: number, binary: string, args: readonly string[]): void {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(id, child);
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (data: string) => send({ op: 'stdout', id, data }));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (data: string) => send({ op: 'stderr', id, data }));
  let startError: string | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    startError = error.code ?? 'error';
  });
  // After 'exit' and after stdio has drained, also when spawning failed.
  child.once('close', (exitCode, exitSignal) => {
    children.delete(id);
    send({ op: 'close', id, exitCode, exitSignal, startError });
  });
}

process.on('message', (request: LauncherRequest) => {
  if (request.op === 'spawn') launch(request.id, request.binary, request.args);
  else children.get(request.id)?.kill('SIGKILL');
});

process.once('disconnect', () => {
  for (const child of children.values()) child.kill('SIGKILL');
  process.exit(0);
});
