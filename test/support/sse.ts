import type { Test } from 'supertest';

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Sends the request and reads the whole text/event-stream answer into its events. */
export async function readEvents(
  request: Test,
): Promise<{ status: number; events: SseEvent[]; type: string }> {
  const response = await request.buffer(true).parse((res, callback) => {
    let text = '';
    res.on('data', (chunk: Buffer) => (text += chunk.toString()));
    res.on('end', () => callback(null, text));
  });
  const events = (response.body as string)
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return {
        event: eventLine.slice(7),
        data: JSON.parse(dataLine.slice(6)) as Record<string, unknown>,
      };
    });
  return { status: response.status, events, type: String(response.headers['content-type']) };
}
