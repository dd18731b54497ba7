import { ChatRequest, RetrievedPassage } from './chat-provider';
import {
  EXTRACTIVE_MODEL,
  ExtractiveResponder,
  NO_INFORMATION_ANSWER,
} from './extractive-responder';

const firing: RetrievedPassage = {
  documentId: 'doc-firing',
  chunkId: 'doc-firing#0',
  text:
    'Stoneware is fired in the kiln at about 1280 degrees. The firing takes ten hours. ' +
    'Open the door only once the kiln has cooled below 100 degrees.',
  score: 0.62,
};
const glazes: RetrievedPassage = {
  documentId: 'doc-glazes',
  chunkId: 'doc-glazes#3',
  text: 'Glazes are mixed by weight.\n\nA cone 10 glaze matures when stoneware is fired at 1280 degrees.',
  score: 0.41,
};
const parking: RetrievedPassage = {
  documentId: 'doc-parking',
  chunkId: 'doc-parking#0',
  text: 'Visitors park behind the studio. The gate closes at six.',
  score: 0.35,
};

function ask(question: string, passages: RetrievedPassage[]): ChatRequest {
  return {
    messages: [
      { role: 'system', content: 'You are the studio assistant.' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hello! Ask me about the studio.' },
      { role: 'user', content: question },
    ],
    passages,
  };
}

async function collect(request: ChatRequest) {
  const deltas: string[] = [];
  const stream = new ExtractiveResponder().stream(request);
  for (;;) {
    const step = await stream.next();
    if (step.done) return { deltas, result: step.value };
    deltas.push(step.value.content);
  }
}

describe('ExtractiveResponder', () => {
  const responder = new ExtractiveResponder();

  it('quotes the sentences that answer the question and cites their passages in order', async () => {
    const result = await responder.complete(
      ask('At what temperature is stoneware fired in the kiln?', [parking, firing, glazes]),
    );

    expect(result.content).toBe(
      'Here is what the documents say:\n\n' +
        '"Stoneware is fired in the kiln at about 1280 degrees. ' +
        'Open the door only once the kiln has cooled below 100 degrees." [1]\n\n' +
        '"A cone 10 glaze matures when stoneware is fired at 1280 degrees." [2]',
    );
    expect(result.citations).toEqual([
      { documentId: 'doc-firing', chunkId: 'doc-firing#0', score: 0.62 },
      { documentId: 'doc-glazes', chunkId: 'doc-glazes#3', score: 0.41 },
    ]);
    expect(result.model).toBe(EXTRACTIVE_MODEL);
  });

  it('answers the latest user message, not an earlier one', async () => {
    const request = ask('Where do visitors park?', [firing, parking]);
    request.messages.splice(1, 0, { role: 'user', content: 'How hot is the kiln?' });

    const result = await responder.complete(request);

    expect(result.content).toContain('"Visitors park behind the studio." [1]');
    expect(result.citations.map((citation) => citation.documentId)).toEqual(['doc-parking']);
  });

  it('says plainly that it has no information when there are no passages', async () => {
    const result = await responder.complete(ask('How hot is the kiln?', []));

    expect(result).toEqual({
      content: NO_INFORMATION_ANSWER,
      citations: [],
      model: EXTRACTIVE_MODEL,
    });
  });

  it('says it has no information when no passage shares a word with the question', async () => {
    const result = await responder.complete(ask('Who painted the mural?', [firing, parking]));

    expect(result.content).toBe(NO_INFORMATION_ANSWER);
    expect(result.citations).toEqual([]);
  });

  it('ignores passages whose similarity is below the threshold', async () => {
    const result = await responder.complete(
      ask('How hot is the kiln?', [{ ...firing, score: 0.02 }]),
    );

    expect(result.content).toBe(NO_INFORMATION_ANSWER);
  });

  it('says it has no information when the question has no content words', async () => {
    const result = await responder.complete(ask('What is it?', [firing]));

    expect(result.content).toBe(NO_INFORMATION_ANSWER);
  });

  it('leaves out a passage that ranks far below the best one', async () => {
    const weak = { ...parking, text: 'Clay for stoneware is sold in bags.', score: 0.2 };

    const result = await responder.complete(
      ask('At what temperature is stoneware fired in the kiln?', [firing, weak]),
    );

    expect(result.citations.map((citation) => citation.documentId)).toEqual(['doc-firing']);
    expect(result.content).not.toContain('bags');
  });

  it('cites at most three passages and never the same sentence twice', async () => {
    const copies = [1, 2, 3, 4].map((n) => ({
      ...firing,
      chunkId: `doc-firing#${n}`,
      text: `Kiln log ${n}: the kiln reached 1280 degrees.`,
    }));
    const duplicate = { ...firing, chunkId: 'doc-firing#overlap' };

    const result = await responder.complete(
      ask('What temperature did the kiln reach?', [firing, duplicate, ...copies]),
    );

    expect(result.citations).toHaveLength(3);
    expect(result.citations.map((citation) => citation.chunkId)).not.toContain(
      'doc-firing#overlap',
    );
    expect(result.content).toMatch(/\[3\]$/);
  });

  it('shortens a quote without sentence punctuation at a word boundary', async () => {
    const text = `kiln ${'word '.repeat(100)}`;

    const result = await responder.complete(ask('kiln', [{ ...firing, text }]));

    const quote = /"(.*)" \[1\]/.exec(result.content)?.[1] ?? '';
    expect(quote.length).toBeLessThanOrEqual(301);
    expect(quote).toMatch(/^kiln word .* word…$/);
  });

  it('streams word-sized deltas that concatenate to the final content', async () => {
    const { deltas, result } = await collect(ask('How hot is the kiln?', [firing]));

    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.every((delta) => delta.trim().split(/\s+/).length === 1)).toBe(true);
    expect(deltas.join('')).toBe(result.content);
  });

  it('streams the no-information answer too', async () => {
    const { deltas, result } = await collect(ask('How hot is the kiln?', []));

    expect(deltas.join('')).toBe(NO_INFORMATION_ANSWER);
    expect(result.content).toBe(NO_INFORMATION_ANSWER);
  });

  it('gives the same answer to the same request every time', async () => {
    const request = ask('How is stoneware fired?', [glazes, firing, parking]);

    const answers = await Promise.all([1, 2, 3].map(() => responder.complete(request)));

    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('stops with the abort reason once the signal fires', async () => {
    const controller = new AbortController();
    const stream = responder.stream({
      ...ask('How hot is the kiln?', [firing]),
      signal: controller.signal,
    });
    await stream.next();

    controller.abort(new Error('client went away'));

    await expect(stream.next()).rejects.toThrow('client went away');
  });
});
