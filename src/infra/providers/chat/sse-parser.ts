/** One server-sent event: its type ("message" unless the server named one) and its data. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * The event stream format of the HTML standard (text/event-stream), fed as text in whatever
 * pieces the network delivers: lines end in CRLF, LF or CR; lines starting with ":" are
 * comments (keep-alives); an event's data lines are joined with "\n"; a blank line ends the
 * event. `id` and `retry` are ignored, as nothing here reconnects.
 */
export class SseParser {
  private pending = '';
  private event = '';
  private data: string[] = [];

  /** The events completed by `text`, the next piece of the stream. */
  push(text: string): SseEvent[] {
    this.pending += text;
    // A CR at the end may be the first half of a CRLF: keep it until the next piece tells.
    const heldCr = this.pending.endsWith('\r');
    const lines = (heldCr ? this.pending.slice(0, -1) : this.pending).split(/\r\n|\r|\n/);
    this.pending = (lines.pop() ?? '') + (heldCr ? '\r' : '');
    return this.take(lines);
  }

  /**
   * The events left when the stream has ended. Unlike a browser, which drops an event that the
   * end cut short of its blank line, this delivers it: some servers end on "data: [DONE]\n".
   */
  end(): SseEvent[] {
    const lines = this.pending.replace(/\r$/, '').split(/\r\n|\r|\n/);
    this.pending = '';
    return this.take([...lines, '']);
  }

  private take(lines: string[]): SseEvent[] {
    const events: SseEvent[] = [];
    for (const line of lines) {
      if (line === '') {
        if (this.data.length > 0)
          events.push({ event: this.event || 'message', data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
    }
    return events;
  }
}

/** The events of a byte stream in the event stream format. */
export async function* readSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  // Streaming decode: a multi-byte character may be split between two chunks.
  const decoder = new TextDecoder();
  const parser = new SseParser();
  for await (const chunk of chunks) yield* parser.push(decoder.decode(chunk, { stream: true }));
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
