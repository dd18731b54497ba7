import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/** The built service (`npm run build`) run as a real process, as `npm start` runs it. */
export class ServiceProcess {
  readonly child: ChildProcess;
  output = '';

  constructor(env: Record<string, string>) {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
    this.child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  async waitUntilLive(port: number): Promise<void> {
    await eventually(
      async () => {
        if (this.child.exitCode !== null) throw new Error(`service exited: ${this.output}`);
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/health/live`);
        expect(response.status).toBe(200);
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  exitCode(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return Promise.resolve(this.child.exitCode);
    }
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
