import { request } from 'node:http';
import { freePort } from './support/free-port';
import { ServiceProcess } from './support/service-process';
import { testEnv } from './support/test-config';

describe('the service process', () => {
  let service: ServiceProcess | undefined;
  afterEach(() => service?.kill());

  it('in the worker role serves its probes on WORKER_PORT and no API documentation', async () => {
    const workerPort = await freePort();
    service = new ServiceProcess(
      testEnv({ APP_ROLE: 'worker', WORKER_PORT: String(workerPort), HOST: '127.0.0.1' }),
    );
    await service.waitUntilLive(workerPort);
    const ready = await fetch(`http://127.0.0.1:${workerPort}/api/v1/health/ready`);
    expect(ready.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${workerPort}/docs-json`)).status).toBe(404);
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const port = await freePort();
    service = new ServiceProcess(
      testEnv({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
    );
    await service.waitUntilLive(port);

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({ note: 'x'.repeat(64) });
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/health/live',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        service!.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 500);
      }, 200);
    });

    expect(await inFlight).toBe(404);
    expect(await service.exitCode()).toBe(0);
    expect(service.output).toContain('draining HTTP requests');
    await expect(fetch(`http://127.0.0.1:${port}/api/v1/health/live`)).rejects.toThrow();
  });
});
