import { chunkText, DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE, TextChunk } from './chunker';

/** The promises every chunking makes, whatever the text. */
function expectWellFormed(text: string, chunks: TextChunk[], chunkSize: number): void {
  for (const [i, chunk] of chunks.entries()) {
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(chunk.text.length).toBeGreaterThan(0);
    expect(chunk.text.length).toBeLessThanOrEqual(chunkSize);
    expect(chunk.text).toBe(chunk.text.trim());
    if (i > 0) {
      expect(chunk.start).toBeGreaterThan(chunks[i - 1].start);
      expect(chunk.end).toBeGreaterThan(chunks[i - 1].end);
    }
  }
  // Every non-space character lands in some chunk.
  const covered = new Uint8Array(text.length);
  for (const { start, end } of chunks) covered.fill(1, start, end);
  const missed = [...text.matchAll(/\S/g)].filter(({ index }) => !covered[index]);
  expect(missed).toEqual([]);
}

/** A small deterministic generator (mulberry32), so the "random" texts are the same every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next: () => number, words: number): string {
  const vocabulary = ['kiln', 'clay', 'glaze', 'fire', 'pot', 'wheel', 'studio', 'ash', 'cone'];
  const picked = Array.from(
    { length: words },
    () => vocabulary[Math.floor(next() * vocabulary.length)],
  );
  const text = picked.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

describe('chunkText', () => {
  it('defaults to chunks of 1000 characters overlapping by 200', () => {
    expect(DEFAULT_CHUNK_SIZE).toBe(1000);
    expect(DEFAULT_CHUNK_OVERLAP).toBe(200);
  });

  it('answers no chunks for empty or blank text', () => {
    expect(chunkText('', { chunkSize: 100, chunkOverlap: 10 })).toEqual([]);
    expect(chunkText(' \n\t\u00a0 ', { chunkSize: 100, chunkOverlap: 10 })).toEqual([]);
  });

  it('answers a short text as one chunk without its surrounding whitespace', () => {
    const text = '\n  Kilns fire clay. Glazes melt into glass.  \n';
    expect(chunkText(text, { chunkSize: 100, chunkOverlap: 10 })).toEqual([
      { text: 'Kilns fire clay. Glazes melt into glass.', start: 3, end: 43 },
    ]);
  });

  it('packs whole sentences and never splits one that fits in a chunk', () => {
    const text =
      'The kiln was loaded at dawn. It fired for nine hours. ' +
      'The potter checked the cones twice. Ash fell on the shelves. ' +
      'At midnight the glaze had matured. Cooling took two days.';
    const chunks = chunkText(text, { chunkSize: 70, chunkOverlap: 0 });
    expect(chunks.map(({ text }) => text)).toEqual([
      'The kiln was loaded at dawn. It fired for nine hours.',
      'The potter checked the cones twice. Ash fell on the shelves.',
      'At midnight the glaze had matured. Cooling took two days.',
    ]);
    expectWellFormed(text, chunks, 70);
  });

  it('starts the next chunk with the last whole sentences of the one before', () => {
    const text =
      'One two three four. Five six seven eight. Nine ten eleven twelve. ' +
      'Thirteen fourteen fifteen. Sixteen seventeen eighteen.';
    const chunks = chunkText(text, { chunkSize: 70, chunkOverlap: 30 });
    expect(chunks.map(({ text }) => text)).toEqual([
      'One two three four. Five six seven eight. Nine ten eleven twelve.',
      'Nine ten eleven twelve. Thirteen fourteen fifteen.',
      'Thirteen fourteen fifteen. Sixteen seventeen eighteen.',
    ]);
    expectWellFormed(text, chunks, 70);
  });

  it('overlaps by words when the last sentence is longer than the overlap', () => {
    const text =
      'A short opener. This second sentence is much longer than the overlap allows. Then an end.';
    const chunks = chunkText(text, { chunkSize: 80, chunkOverlap: 20 });
    expect(chunks).toHaveLength(2);
    const [first, second] = chunks;
    const overlap = first.end - second.start;
    expect(overlap).toBeGreaterThan(0);
    expect(overlap).toBeLessThanOrEqual(20);
    expect(second.text).toBe('the overlap allows. Then an end.');
    expectWellFormed(text, chunks, 80);
  });

  it('splits a sentence without punctuation between words', () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    const chunks = chunkText(text, { chunkSize: 100, chunkOverlap: 20 });
    expect(chunks.length).toBeGreaterThan(20);
    for (const chunk of chunks) {
      expect(/^word\d+$/.test(chunk.text.split(' ')[0])).toBe(true);
      expect(text[chunk.start - 1] ?? ' ').toBe(' ');
      expect(text[chunk.end] ?? ' ').toBe(' ');
    }
    for (let i = 1; i < chunks.length; i++) {
      const overlap = chunks[i - 1].end - chunks[i].start;
      expect(overlap).toBeGreaterThan(0);
      expect(overlap).toBeLessThanOrEqual(20);
    }
    expectWellFormed(text, chunks, 100);
  });

  it('cuts a word longer than a chunk into pieces, without overlap between them', () => {
    const text = `Before. ${'x'.repeat(250)} after.`;
    const chunks = chunkText(text, { chunkSize: 100, chunkOverlap: 10 });
    expect(chunks.map(({ text }) => text.length)).toEqual([7, 100, 100, 50 + ' after.'.length]);
    expect(chunks.slice(1).map(({ start }) => start)).toEqual([8, 108, 208]);
    expectWellFormed(text, chunks, 100);
  });

  it('never cuts between the two halves of a surrogate pair', () => {
    const text = '😀'.repeat(10);
    const chunks = chunkText(text, { chunkSize: 5, chunkOverlap: 0 });
    expect(chunks.map(({ text }) => text)).toEqual(Array(5).fill('😀😀'));
  });

  it('keeps offsets right in text full of non-ASCII letters and line breaks', () => {
    const text =
      'Ünïcödé sentences: ça marche. 東京は大きい都市です。\n\nΑυτό είναι ελληνικά! ' +
      'Это русский текст? Emoji 👩‍👩‍👧 family.\r\nLast line without a stop';
    const chunks = chunkText(text, { chunkSize: 40, chunkOverlap: 15 });
    expect(chunks.length).toBeGreaterThan(3);
    expectWellFormed(text, chunks, 40);
  });

  it('treats line breaks as sentence ends', () => {
    const text = 'a heading without a stop\nfirst line of the body\nsecond line of the body';
    const chunks = chunkText(text, { chunkSize: 50, chunkOverlap: 0 });
    expect(chunks.map(({ text }) => text)).toEqual([
      'a heading without a stop\nfirst line of the body',
      'second line of the body',
    ]);
  });

  it('drops the overlap when keeping it would leave no room for the next sentence', () => {
    const text = `Short one. ${'Long sentence words '.repeat(4).trim()}.`;
    const chunks = chunkText(text, { chunkSize: 80, chunkOverlap: 15 });
    expect(chunks.map(({ text }) => text)).toEqual([
      'Short one.',
      `${'Long sentence words '.repeat(4).trim()}.`,
    ]);
  });

  it('finds the sentences around one longer than the segmenter takes at once', () => {
    const long = `${Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ')}.`;
    const text = `Opening line here. ${long} Closing sentence stays whole.`;
    const chunks = chunkText(text, { chunkSize: 500, chunkOverlap: 50 });
    expect(long.length).toBeGreaterThan(8192);
    expect(chunks[0].text.startsWith('Opening line here. w0 w1')).toBe(true);
    expect(chunks[chunks.length - 1].text.endsWith('w1999. Closing sentence stays whole.')).toBe(
      true,
    );
    expectWellFormed(text, chunks, 500);
  });

  it('keeps its promises on many generated texts, and answers the same each time', () => {
    const next = random(42);
    for (let round = 0; round < 40; round++) {
      // Up to about 12,000 characters: more than one window of the sentence segmenter.
      const sentences = Array.from({ length: 1 + Math.floor(next() * 120) }, () =>
        sentence(next, 1 + Math.floor(next() * 40)),
      );
      const text = sentences.join(next() < 0.3 ? '\n' : ' ');
      const chunkSize = 20 + Math.floor(next() * 400);
      const chunkOverlap = Math.floor(next() * chunkSize * 0.5);
      const chunks = chunkText(text, { chunkSize, chunkOverlap });
      expectWellFormed(text, chunks, chunkSize);
      for (let i = 1; i < chunks.length; i++) {
        expect(chunks[i - 1].end - chunks[i].start).toBeLessThanOrEqual(chunkOverlap);
      }
      // A sentence that fits in a chunk lies whole inside one.
      let from = 0;
      for (const s of sentences) {
        const at = text.indexOf(s, from);
        from = at + s.length;
        if (s.length > chunkSize) continue;
        expect(chunks.some(({ start, end }) => start <= at && from <= end)).toBe(true);
      }
      expect(chunkText(text, { chunkSize, chunkOverlap })).toEqual(chunks);
    }
  });

  it('rejects an overlap as large as the chunk, and sizes that are not whole numbers', () => {
    expect(() => chunkText('x', { chunkSize: 100, chunkOverlap: 100 })).toThrow(RangeError);
    expect(() => chunkText('x', { chunkSize: 100, chunkOverlap: -1 })).toThrow(RangeError);
    expect(() => chunkText('x', { chunkSize: 10.5, chunkOverlap: 0 })).toThrow(RangeError);
    expect(() => chunkText('x', { chunkSize: 1, chunkOverlap: 0 })).toThrow(RangeError);
  });

  it('chunks a long document quickly', () => {
    const next = random(7);
    // A megabyte, in lines and as a single line: V8's segmenter is slow on long strings.
    const lines = Array.from({ length: 20_000 }, () => sentence(next, 8)).join('\n');
    for (const text of [lines, lines.replaceAll('\n', ' ')]) {
      const startedAt = performance.now();
      const chunks = chunkText(text, { chunkSize: DEFAULT_CHUNK_SIZE, chunkOverlap: 200 });
      expect(performance.now() - startedAt).toBeLessThan(2000);
      expect(chunks.length).toBeGreaterThan(text.length / DEFAULT_CHUNK_SIZE);
      for (const chunk of chunks) expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    }
  });
});
