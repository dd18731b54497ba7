import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { statusTitle } from '../../common/problem/problem-details';
import { ProblemException } from '../../common/problem/problem.exception';
import { ChatProviderError } from '../../infra/providers/chat/chat-provider';
import { MessagesService, StreamStart } from './messages.service';

/**
 * Streams a reply as server-sent events: `delta` events as the provider writes, then `done`
 * with the stored messages. A client that goes away aborts the upstream request; a provider
 * that fails mid-way gets an `error` event; in both cases nothing is stored and the
 * Idempotency-Key is freed for a retry. A repeated key gets the stored turn, told the same way.
 */
@Injectable()
export class ReplyStream {
  private readonly logger = new Logger(ReplyStream.name);

  constructor(private readonly messages: MessagesService) {}

  async stream(start: StreamStart, reply: FastifyReply): Promise<void> {
    const raw = reply.raw;
    const abort = new AbortController();
    raw.on('close', () => abort.abort(new Error('the client went away')));
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => {
      if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };

    if ('replay' in start) {
      if (start.replay.reply) send('delta', { content: start.replay.reply.content });
      send('done', start.replay);
      raw.end();
      return;
    }
    const { turn, claim } = start;
    let completed = false;
    const started = Date.now();
    try {
      const deltas = this.messages.streamReply(turn, abort.signal);
      let next = await deltas.next();
      while (!next.done) {
        send('delta', { content: next.value.content });
        next = await deltas.next();
      }
      if (abort.signal.aborted) return;
      const posted = await this.messages.finish(turn, next.value, Date.now() - started);
      await claim.complete(201, posted);
      completed = true;
      send('done', posted);
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error instanceof ProblemException) {
        // A refusal found when storing the turn (over quota), told as the problem it is.
        const status = error.getStatus();
        send('error', {
          title: statusTitle(status),
          status,
          detail: error.message,
          ...error.extensions,
        });
        return;
      }
      this.logger.warn(`A streamed reply failed: ${(error as Error).message}`);
      const detail =
        error instanceof ChatProviderError ? error.message : 'The reply could not be completed.';
      send('error', { title: 'Bad Gateway', status: 502, detail });
    } finally {
      if (!completed) {
        await claim
          .abandon()
          .catch((error: Error) =>
            this.logger.warn(`An Idempotency-Key could not be freed: ${error.message}`),
          );
      }
      raw.end();
    }
  }
}
