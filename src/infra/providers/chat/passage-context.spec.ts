import { ChatMessage, RetrievedPassage } from './chat-provider';
import { citedPassages, withPassages } from './passage-context';

const passages: RetrievedPassage[] = [
  { documentId: 'd1', chunkId: 'c1', text: '  Stoneware fires at 1280 degrees.\n', score: 0.7 },
  { documentId: 'd2', chunkId: 'c2', text: 'Earthenware fires lower.', score: 0.5 },
  { documentId: 'd3', chunkId: 'c3', text: 'Glazes are mixed by weight.', score: 0.3 },
];

describe('withPassages', () => {
  const history: ChatMessage[] = [
    { role: 'system', content: 'You are the studio assistant.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'user', content: 'How hot does stoneware fire?' },
  ];

  it("appends the numbered passages to the caller's system prompt in one first message", () => {
    const [system, ...rest] = withPassages(history, passages);

    expect(system.role).toBe('system');
    expect(system.content).toMatch(/^You are the studio assistant\.\n\nNumbered passages .*\[1\]/);
    expect(system.content).toContain(
      '\n\n[1] Stoneware fires at 1280 degrees.\n\n[2] Earthenware fires lower.\n\n' +
        '[3] Glazes are mixed by weight.',
    );
    expect(rest).toEqual(history.slice(1));
  });

  it('adds a system message for the passages when the caller has none', () => {
    const messages = withPassages(history.slice(1), passages.slice(0, 1));

    expect(messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
    ]);
    expect(messages[0].content).toMatch(/\[1\] Stoneware fires at 1280 degrees\.$/);
  });

  it('merges every system message into the first and says nothing of documents without passages', () => {
    const messages = withPassages([...history, { role: 'system', content: 'Answer briefly.' }], []);

    expect(messages).toEqual([
      { role: 'system', content: 'You are the studio assistant.\n\nAnswer briefly.' },
      ...history.slice(1),
    ]);
  });

  it('sends the history unchanged when there is neither a system prompt nor passages', () => {
    expect(withPassages(history.slice(1), [])).toEqual(history.slice(1));
  });
});

describe('citedPassages', () => {
  it('cites the passages whose markers appear, in the order of their numbers', () => {
    expect(citedPassages('Lower [2]. Stoneware: 1280 degrees [1][2].', passages)).toEqual([
      { documentId: 'd1', chunkId: 'c1', score: 0.7 },
      { documentId: 'd2', chunkId: 'c2', score: 0.5 },
    ]);
  });

  it('reads markers that list several numbers', () => {
    expect(citedPassages('Both [1, 3].', passages).map((citation) => citation.chunkId)).toEqual([
      'c1',
      'c3',
    ]);
  });

  it('cites nothing when the answer has no markers', () => {
    expect(citedPassages('The documents do not say.', passages)).toEqual([]);
  });

  it('ignores numbers beyond the passages and index expressions', () => {
    expect(citedPassages('See [4] and [0]; in code, items[1] is the second.', passages)).toEqual(
      [],
    );
  });
});
