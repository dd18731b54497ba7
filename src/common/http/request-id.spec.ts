import type { IncomingMessage } from 'node:http';
import { requestIdFor } from './request-id';

const withHeader = (value?: string | string[]) =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as unknown as IncomingMessage;

describe('requestIdFor', () => {
  it('echoes a well-formed client id', () => {
    expect(requestIdFor(withHeader('abc-123_x.y:z'))).toBe('abc-123_x.y:z');
  });

  it.each([[undefined], [''], ['has space'], ['x'.repeat(129)], [['a', 'b']], ['line\nbreak']])(
    'generates a UUID for %j',
    (value) => {
      expect(requestIdFor(withHeader(value))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    },
  );
});
