import { fileURLToPath } from 'node:url';
import { forkChild, stopChild } from './processes.mjs';

const SERVERS_DIR = fileURLToPath(new URL('../servers/', import.meta.url));
const START_TIMEOUT_MS = 10_000;

/**
 * Starts a server from bench/servers/ in its own process, so it never shares an event loop with
 * the load generator, and resolves with its base URL once it listens. `env` is added to the
 * bench's own environment (e.g. the database URL and JWT secret Kiln was given). With
 * `cpuProfileDir`, Node profiles it and writes `<file>.cpuprofile` there when it exits.
 */
export async function startBareServer(file, env = {}, { cpuProfileDir = null } = {}) {
  const profiling = cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir, '--cpu-prof-name', `${file}.cpuprofile`]
    : [];
  const child = forkChild(`${SERVERS_DIR}${file}`, [], {
    execArgv: [...process.execArgv, ...profiling],
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const port = await waitForListening(child, file);
    return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** The server sends { listening: port } over IPC once it is bound. */
function waitForListening(child, file) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => settle(new Error(`${file} did not listen within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    const onMessage = (message) => {
      if (typeof message?.listening === 'number') settle(null, message.listening);
    };
    const onExit = (code) => settle(new Error(`${file} exited with code ${code} before listening`));
    function settle(error, port) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
