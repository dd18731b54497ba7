import { countTokens } from './tokenizer';

describe('countTokens', () => {
  // Counts as OpenAI's tiktoken gives them for o200k_base.
  it.each([
    ['', 0],
    ['hello world', 2],
    ['Hello, world!', 4],
    ['tiktoken is great!', 6],
    ['The quick brown fox jumps over the lazy dog.', 10],
  ])('counts %j as %i tokens', (text, tokens) => {
    expect(countTokens(text)).toBe(tokens);
  });

  it('counts text that looks like a special token as ordinary text', () => {
    expect(countTokens('a <|endoftext|> b')).toBe(9);
  });

  it('counts more tokens than words in text outside its common vocabulary', () => {
    const text = 'Pneumonoultramicroscopicsilicovolcanoconiosis 東京タワー 🔥🔥';
    expect(countTokens(text)).toBeGreaterThan(text.split(' ').length * 2);
  });

  it('counts a long text in one go, and fast', () => {
    const sentence = 'Kiln stores chunks of documents with their embeddings.';
    expect(countTokens(sentence)).toBe(10);
    const startedAt = performance.now();
    // " Kiln", with the space before it, is one token like "Kiln"; the last space is one more.
    expect(countTokens(`${sentence} `.repeat(2000))).toBe(20_001);
    expect(performance.now() - startedAt).toBeLessThan(1000);
  });
});
