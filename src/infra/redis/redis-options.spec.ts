import { redisOptionsFromUrl } from './redis-options';

describe('redisOptionsFromUrl', () => {
  it('reads host, port and database', () => {
    expect(redisOptionsFromUrl('redis://10.0.0.5:6380/2')).toMatchObject({
      host: '10.0.0.5',
      port: 6380,
      db: 2,
      tls: undefined,
    });
  });

  it('defaults the port and database, decodes credentials, and turns on TLS for rediss', () => {
    expect(redisOptionsFromUrl('rediss://user:p%40ss@cache.example')).toEqual({
      host: 'cache.example',
      port: 6379,
      db: 0,
      username: 'user',
      password: 'p@ss',
      tls: {},
    });
  });
});
