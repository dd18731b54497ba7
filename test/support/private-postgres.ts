import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries Debian installed (initdb is not on the PATH). */
function serverBinaries(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

/**
 * A PostgreSQL cluster of the suite's own on a spare port, to stop and start at will. PostgreSQL
 * refuses to run as root, so under root (CI, these machines) it runs as the `postgres` user.
 */
export class PrivatePostgres {
  private process?: ChildProcess;
  private dir?: string;
  private readonly bin = serverBinaries();
  private user?: { uid: number; gid: number };

  constructor(readonly port: number) {}

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates the cluster (trust authentication, no fsync: test data only) and starts it. */
  async init(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'kiln-private-pg-'));
    if (process.getuid?.() === 0) {
      this.user = await postgresUser();
      await chown(this.dir, this.user.uid, this.user.gid);
    }
    await run(join(this.bin, 'initdb'), ['-D', this.dataDir, '-A', 'trust', '-U', 'postgres'], {
      ...this.user,
    });
    await this.start();
  }

  async start(): Promise<void> {
    if (this.running) return;
    const args = [
      ...['-D', this.dataDir, '-p', String(this.port), '-k', this.dir!],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    ];
    const child = spawn(join(this.bin, 'postgres'), args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...this.user,
    });
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`postgres exited (${code}): ${output}`)));
    });
  }

  /** `fast` closes every session the way an operator's restart does; `kill` is a crash. */
  async stop(mode: 'fast' | 'kill' = 'fast'): Promise<void> {
    if (!this.running) return;
    const exited = once(this.process!, 'exit');
    this.process!.kill(mode === 'fast' ? 'SIGINT' : 'SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop('kill');
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private get running(): boolean {
    return !!this.process && this.process.exitCode === null && this.process.signalCode === null;
  }

  private get dataDir(): string {
    return join(this.dir!, 'data');
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid), gid: Number(gid) };
}
