import { ChatProviderError } from './chat-provider';
import { parseStreamChunk } from './openai-stream-chunk';

const chunk = (value: object) => JSON.stringify(value);

describe('parseStreamChunk', () => {
  it("reads a delta's content and the model", () => {
    const data = chunk({
      model: 'm-1',
      choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }],
    });

    expect(parseStreamChunk(data)).toEqual({ content: 'Hi', model: 'm-1', finished: false });
  });

  it('reads chunks without content: the role, the finish, the usage', () => {
    const role = chunk({ choices: [{ delta: { role: 'assistant', content: null } }] });
    const finish = chunk({ choices: [{ delta: {}, finish_reason: 'stop' }] });
    const usage = chunk({ choices: [], usage: { total_tokens: 9 } });

    expect(parseStreamChunk(role)).toEqual({ content: '', finished: false });
    expect(parseStreamChunk(finish)).toEqual({ content: '', finished: true });
    expect(parseStreamChunk(usage)).toEqual({ content: '', finished: false });
  });

  it('throws the error a chunk carries, without the key', () => {
    const data = chunk({ error: { message: 'Overloaded\n(key sk-secret)', type: 'server_error' } });

    expect(() => parseStreamChunk(data, 'sk-secret')).toThrow(
      new ChatProviderError('The chat service failed during the answer: Overloaded (key [key])'),
    );
  });

  it.each([
    ['{"choices": [', 'not JSON'],
    ['[1]', 'not a JSON object'],
    ['{"id": "x"}', 'no choices'],
    ['{"choices": [{"delta": {"content": 7}}]}', 'content is not a string'],
  ])('throws on a malformed chunk: %s', (data, problem) => {
    expect(() => parseStreamChunk(data)).toThrow(
      `The chat service sent a malformed stream chunk: ${problem}`,
    );
  });
});
