import { execFileSync } from 'node:child_process';
import { ProcessExit, ProcessLauncher } from './process-launcher';

interface Outcome extends ProcessExit {
  stdout: string;
  stderr: string;
}

function launch(
  launcher: ProcessLauncher,
  binary: string,
  args: string[],
): { outcome: Promise<Outcome>; kill(): void } {
  let stdout = '';
  let stderr = '';
  let kill = () => undefined as void;
  const outcome = new Promise<Outcome>((resolve) => {
    kill = launcher.launch(binary, args, {
      onStdout: (data) => (stdout += data),
      onStderr: (data) => (stderr += data),
      onClose: (exit) => resolve({ ...exit, stdout, stderr }),
    }).kill;
  });
  return { outcome, kill: () => kill() };
}

/** Pids of this process's launcher processes. */
function launcherPids(): number[] {
  const ps = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  });
  return ps
    .split('\n')
    .filter((line) => line.includes('launcher-main'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

describe('ProcessLauncher', () => {
  const launcher = new ProcessLauncher();

  it("relays a program's output and its exit code", async () => {
    const { outcome } = launch(launcher, '/bin/sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(await outcome).toEqual({
      exitCode: 3,
      exitSignal: null,
      startError: undefined,
      stdout: 'out\n',
      stderr: 'err\n',
    });
  });

  it('passes arguments as they are, without a shell', async () => {
    const tricky = ['a b', '$HOME', '"quoted"', "it's", 'émoji 🎬'];
    const { outcome } = launch(launcher, '/usr/bin/printf', ['%s\\n', ...tricky]);
    expect((await outcome).stdout).toBe(tricky.map((arg) => `${arg}\n`).join(''));
  });

  it('runs programs side by side, each with its own output', async () => {
    const runs = [1, 2, 3, 4].map((n) =>
      launch(launcher, '/bin/sh', ['-c', `sleep 0.2; echo ${n}`]),
    );
    const outcomes = await Promise.all(runs.map((run) => run.outcome));
    expect(outcomes.map((outcome) => outcome.stdout)).toEqual(['1\n', '2\n', '3\n', '4\n']);
  });

  it('says why a program could not be started', async () => {
    const { outcome } = launch(launcher, '/nonexistent/ffmpeg', []);
    expect(await outcome).toMatchObject({ startError: 'ENOENT', stdout: '', stderr: '' });
  });

  it('kills a program with SIGKILL', async () => {
    const run = launch(launcher, '/bin/sleep', ['30']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.kill();
    expect(await run.outcome).toMatchObject({ exitCode: null, exitSignal: 'SIGKILL' });
  });

  it('reports what ran under a launcher that died, and starts a new one for the next program', async () => {
    const run = launch(launcher, '/bin/sleep', ['30']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pid = launcher.pid!;
    expect(launcherPids()).toContain(pid);
    process.kill(pid, 'SIGKILL');
    expect(await run.outcome).toMatchObject({ startError: 'launcher exited' });

    const { outcome } = launch(launcher, '/bin/echo', ['again']);
    expect(await outcome).toMatchObject({ exitCode: 0, stdout: 'again\n' });
    expect(launcher.pid).not.toBe(pid);
    expect(launcherPids()).not.toContain(pid);
  });
});
