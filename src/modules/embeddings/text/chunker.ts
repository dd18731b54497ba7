/** Characters per chunk and characters shared by consecutive chunks, when a collection names none. */
export const DEFAULT_CHUNK_SIZE = 1000;
export const DEFAULT_CHUNK_OVERLAP = 200;

export interface ChunkOptions {
  /** The most characters (UTF-16 code units, as String#length counts) in one chunk. */
  chunkSize: number;
  /** About how many characters a chunk repeats from the end of the one before; < chunkSize. */
  chunkOverlap: number;
}

/** A chunk of a text: `text` is exactly `source.slice(start, end)`. */
export interface TextChunk {
  text: string;
  start: number;
  end: number;
}

/** A word, or a piece of a word longer than a chunk, with the sentence it belongs to. */
interface Piece {
  start: number;
  end: number;
  sentence: number;
  startsSentence: boolean;
  startsWord: boolean;
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
/** Characters handed to the sentence segmenter at once (see sentenceSpans). */
const SEGMENTER_WINDOW = 4096;

/**
 * Splits `text` into chunks for embedding. Sentences (Unicode's sentence boundaries, which also
 * break at line ends) are packed whole into chunks of at most `chunkSize` characters; only a
 * sentence longer than that is split, between words, and a word longer than that is cut into
 * pieces. Each chunk after the first starts about `chunkOverlap` characters before the end of the
 * one before, at the start of a sentence where that overlaps by at least half of `chunkOverlap`,
 * otherwise at the start of a word; pieces of a cut word do not overlap. Chunks never begin or
 * end with whitespace and a text without any non-space character has no chunks.
 */
export function chunkText(text: string, options: ChunkOptions): TextChunk[] {
  validate(options);
  const { pieces, sentenceLengths } = splitIntoPieces(text, options.chunkSize);
  const fitsWhole = (sentence: number) => sentenceLengths[sentence] <= options.chunkSize;
  // A chunk may end after piece k if a sentence starts next, or its sentence must be split anyway.
  const canEndAfter = (k: number) =>
    k === pieces.length - 1 || pieces[k + 1].startsSentence || !fitsWhole(pieces[k].sentence);
  const lastPieceOfChunkFrom = (first: number) => {
    let last = first; // the first piece always fits: no piece is longer than chunkSize
    for (let k = first; k < pieces.length; k++) {
      if (pieces[k].end - pieces[first].start > options.chunkSize) break;
      if (canEndAfter(k)) last = k;
    }
    return last;
  };

  const chunks: TextChunk[] = [];
  let first = 0;
  while (first < pieces.length) {
    const last = lastPieceOfChunkFrom(first);
    const start = pieces[first].start;
    const end = pieces[last].end;
    chunks.push({ text: text.slice(start, end), start, end });
    if (last === pieces.length - 1) break;
    let next = overlapStart(pieces, first, last, options.chunkOverlap);
    // The overlap gives way when keeping it would leave no room for anything new.
    while (next <= last && lastPieceOfChunkFrom(next) <= last) next++;
    first = next;
  }
  return chunks;
}

function validate({ chunkSize, chunkOverlap }: ChunkOptions): void {
  // Two code units at least, so that a character outside the BMP (an emoji) always fits.
  if (!Number.isInteger(chunkSize) || chunkSize < 2) {
    throw new RangeError(`chunkSize must be an integer of at least 2, got ${chunkSize}`);
  }
  if (!Number.isInteger(chunkOverlap) || chunkOverlap < 0 || chunkOverlap >= chunkSize) {
    throw new RangeError(
      `chunkOverlap must be an integer from 0 to chunkSize - 1 (${chunkSize - 1}), got ${chunkOverlap}`,
    );
  }
}

function splitIntoPieces(text: string, chunkSize: number) {
  const pieces: Piece[] = [];
  const sentenceLengths: number[] = [];
  const wordPattern = /\S+/g;
  for (const [sentenceStart, sentenceEnd] of sentenceSpans(text)) {
    const sentence = sentenceLengths.length;
    sentenceLengths.push(sentenceEnd - sentenceStart);
    wordPattern.lastIndex = sentenceStart;
    for (
      let word = wordPattern.exec(text);
      word && word.index < sentenceEnd;
      word = wordPattern.exec(text)
    ) {
      const wordStart = word.index;
      const wordEnd = Math.min(wordStart + word[0].length, sentenceEnd);
      for (let start = wordStart; start < wordEnd;) {
        let end = Math.min(wordEnd, start + chunkSize);
        // Never between the halves of a surrogate pair; chunkSize >= 2 keeps the piece non-empty.
        if (end < wordEnd && isHighSurrogate(text.charCodeAt(end - 1))) end--;
        pieces.push({
          start,
          end,
          sentence,
          startsSentence: start === sentenceStart,
          startsWord: start === wordStart,
        });
        start = end;
      }
      wordPattern.lastIndex = wordEnd;
    }
  }
  return { pieces, sentenceLengths };
}

/**
 * The sentences of `text` as [start, end) without surrounding whitespace. V8's segmenter takes
 * time proportional to the length of the whole string for each sentence it steps over, so a
 * long text goes through it a window at a time: all but the window's last sentence are taken
 * (that one may be cut short by the window's end) and the next window starts where it starts.
 */
function* sentenceSpans(text: string): Generator<[number, number]> {
  let offset = 0;
  let windowSize = SEGMENTER_WINDOW;
  while (offset < text.length) {
    const windowEnd = Math.min(text.length, offset + windowSize);
    const segments = [...sentenceSegmenter.segment(text.slice(offset, windowEnd))];
    const complete = windowEnd === text.length ? segments.length : segments.length - 1;
    if (complete === 0) {
      windowSize *= 2; // a sentence longer than the window: look further
      continue;
    }
    for (const { segment, index } of segments.slice(0, complete)) {
      const leading = segment.length - segment.trimStart().length;
      const trimmed = segment.trim().length;
      if (trimmed > 0) yield [offset + index + leading, offset + index + leading + trimmed];
    }
    offset = complete === segments.length ? windowEnd : offset + segments[complete].index;
    windowSize = SEGMENTER_WINDOW;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The piece the chunk after pieces[first..last] starts at: the earliest sentence start whose
 * overlap is within chunkOverlap and at least half of it, else the earliest word start within
 * chunkOverlap, else (no overlap) the piece after `last`.
 */
function overlapStart(pieces: Piece[], first: number, last: number, chunkOverlap: number): number {
  const end = pieces[last].end;
  let earliestWord = -1;
  for (let k = first + 1; k <= last; k++) {
    const overlap = end - pieces[k].start;
    if (overlap > chunkOverlap) continue;
    if (pieces[k].startsSentence && overlap * 2 >= chunkOverlap) return k;
    if (earliestWord < 0 && pieces[k].startsWord) earliestWord = k;
  }
  return earliestWord >= 0 ? earliestWord : last + 1;
}
