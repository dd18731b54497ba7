import { serviceText } from '../http/service-answers';
import { ChatProviderError } from './chat-provider';

/** What one chunk of an OpenAI chat completion stream says. */
export interface StreamChunk {
  /** The next piece of the answer; '' when the chunk carries none (role, usage). */
  content: string;
  /** The model that answered, when the chunk names it. */
  model?: string;
  /** The chunk has a finish_reason: the answer is complete. */
  finished: boolean;
}

/**
 * Reads the JSON of one `data:` line, e.g.
 * `{"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}`.
 * A chunk carrying an `error` object, as servers send when the answer fails after it started,
 * or one of another shape throws; `apiKey` is kept out of the message.
 */
export function parseStreamChunk(data: string, apiKey?: string): StreamChunk {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw malformed('not JSON');
  }
  if (!isRecord(value)) throw malformed('not a JSON object');
  if (value.error !== undefined && value.error !== null) {
    const detail = serviceText(errorMessage(value.error), apiKey) || 'no reason given';
    throw new ChatProviderError(`The chat service failed during the answer: ${detail}`);
  }
  // Usage chunks (stream_options.include_usage) have an empty list of choices.
  if (!Array.isArray(value.choices)) throw malformed('no choices');
  const choice: unknown = value.choices[0] ?? {};
  if (!isRecord(choice)) throw malformed('a choice is not an object');
  const delta = choice.delta ?? {};
  if (!isRecord(delta)) throw malformed('a delta is not an object');
  const content = delta.content ?? '';
  if (typeof content !== 'string') throw malformed('content is not a string');
  const model = typeof value.model === 'string' && value.model !== '' ? value.model : undefined;
  return { content, model, finished: typeof choice.finish_reason === 'string' };
}

function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = isRecord(error) ? error.message : undefined;
  return typeof message === 'string' ? message : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(problem: string): ChatProviderError {
  return new ChatProviderError(`The chat service sent a malformed stream chunk: ${problem}`);
}
