import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';

const STOP_GRACE_MS = 5000;
const running = new Set();

/** Starts a child and remembers it, so that stopAll() can always reach it. */
export function startChild(command, args, options) {
  const child = spawn(command, args, options);
  track(child);
  return child;
}

/** Starts a Node script with an IPC channel, for servers that report their port. */
export function forkChild(script, args, options) {
  const child = fork(script, args, options);
  track(child);
  return child;
}

function track(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM first so the child can close its pools; SIGKILL if it is still there after the grace. */
export async function stopChild(child, graceMs = STOP_GRACE_MS) {
  if (!isRunning(child)) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...running].map((child) => stopChild(child)));
}

/** Last resort when the parent exits without having run its cleanup: never leave servers behind. */
export function killAllNow() {
  for (const child of running) if (isRunning(child)) child.kill('SIGKILL');
}
