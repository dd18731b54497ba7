import { readSse, SseEvent, SseParser } from './sse-parser';

/** Feeds `pieces` one by one, then ends the stream; every event in order. */
function parse(...pieces: string[]): SseEvent[] {
  const parser = new SseParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

const message = (data: string): SseEvent => ({ event: 'message', data });

describe('SseParser', () => {
  it('reads data events separated by blank lines', () => {
    expect(parse('data: {"a":1}\n\ndata: [DONE]\n\n')).toEqual([
      message('{"a":1}'),
      message('[DONE]'),
    ]);
  });

  it('completes an event only at its blank line', () => {
    const parser = new SseParser();

    expect(parser.push('data: one\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([message('one')]);
  });

  it('joins lines that pieces of the stream split anywhere', () => {
    const stream = 'data: {"content":"Hello"}\n\ndata: {"content":" world"}\n\n';
    const everyCharacter = [...stream];

    expect(parse(...everyCharacter)).toEqual([
      message('{"content":"Hello"}'),
      message('{"content":" world"}'),
    ]);
  });

  it('accepts CRLF and CR line ends, also with a CRLF split between two pieces', () => {
    expect(parse('data: a\r\n\r\ndata: b\r\rdata: c\r', '\n\r', '\n')).toEqual([
      message('a'),
      message('b'),
      message('c'),
    ]);
  });

  it('skips comments, such as keep-alives', () => {
    expect(parse(': ping\n\n:\ndata: x\n: between\n\n')).toEqual([message('x')]);
  });

  it('joins multi-line data with line feeds', () => {
    expect(parse('data: first\ndata:second\ndata\ndata:  indented\n\n')).toEqual([
      message('first\nsecond\n\n indented'),
    ]);
  });

  it('keeps the event type and ignores id, retry and unknown fields', () => {
    expect(parse('event: error\nid: 7\nretry: 1000\nfoo: bar\ndata: {}\n\ndata: next\n\n')).toEqual(
      [{ event: 'error', data: '{}' }, message('next')],
    );
  });

  it('dispatches nothing for an event without data', () => {
    expect(parse('event: ping\n\nid: 3\n\n')).toEqual([]);
  });

  it('delivers a last event that the end of the stream cut short of its blank line', () => {
    expect(parse('data: a\n\ndata: [DONE]')).toEqual([message('a'), message('[DONE]')]);
    expect(parse('data: [DONE]\r')).toEqual([message('[DONE]')]);
  });
});

describe('readSse', () => {
  async function* bytes(...pieces: Uint8Array[]) {
    yield* pieces;
  }

  it('decodes a character whose bytes two chunks split', async () => {
    const encoded = new TextEncoder().encode('data: café ☕\n\n');
    const events: SseEvent[] = [];

    for await (const event of readSse(
      bytes(encoded.subarray(0, 10), encoded.subarray(10, 14), encoded.subarray(14)),
    )) {
      events.push(event);
    }

    expect(events).toEqual([message('café ☕')]);
  });
});
