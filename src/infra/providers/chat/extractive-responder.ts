import { Injectable } from '@nestjs/common';
import {
  ChatDelta,
  ChatProvider,
  ChatRequest,
  ChatResult,
  citationOf,
  RetrievedPassage,
} from './chat-provider';
import { contentTerms, sentencesOf, sharedTerms } from './passage-text';

/** The whole answer when no passage is relevant to the question: plain, and the same every time. */
export const NO_INFORMATION_ANSWER = "I don't have any information about that in the documents.";

export const EXTRACTIVE_MODEL = 'kiln-extractive';

/** Below this similarity a passage is noise whatever words it shares with the question. */
const MIN_SCORE = 0.1;
/** More quotes make a wall of text rather than an answer. */
const MAX_PASSAGES = 3;
const MAX_SENTENCES_PER_PASSAGE = 2;
/** A passage ranking below this share of the best one's rank would only dilute the answer. */
const MIN_SHARE_OF_BEST = 0.5;
/** Text without sentence punctuation is one long "sentence": quote its start only. */
const MAX_QUOTE_CHARS = 300;

/**
 * The built-in chat provider, which works offline: a built-in extractive responder, not a
 * language model. It answers the latest user message by quoting the sentences of the retrieved
 * passages that share the most words with it, each passage cited as [n], and says plainly when
 * no passage is relevant. It ignores the earlier history and the requested model, and the same
 * request always gets the same answer.
 */
@Injectable()
export class ExtractiveResponder extends ChatProvider {
  readonly name = 'extractive';

  async *stream(request: ChatRequest): AsyncGenerator<ChatDelta, ChatResult, void> {
    const { content, citations } = answer(request);
    // Word-sized deltas (each with the spaces after it), so the concatenation is exactly `content`.
    for (const word of content.split(/(?<=\s)(?=\S)/)) {
      request.signal?.throwIfAborted();
      yield { content: word };
    }
    return { content, citations, model: EXTRACTIVE_MODEL };
  }
}

function answer({ messages, passages }: ChatRequest): Omit<ChatResult, 'model'> {
  const question = messages.findLast((message) => message.role === 'user')?.content ?? '';
  const terms = contentTerms(question);
  const quoted = new Set<string>();
  const paragraphs: string[] = [];
  const citations: ChatResult['citations'] = [];
  for (const passage of relevantPassages(terms, passages)) {
    if (citations.length === MAX_PASSAGES) break;
    // Overlapping chunks repeat sentences; a passage with nothing new is not worth a citation.
    const quotes = bestSentences(terms, passage.text).filter((sentence) => !quoted.has(sentence));
    if (quotes.length === 0) continue;
    quotes.forEach((sentence) => quoted.add(sentence));
    citations.push(citationOf(passage));
    paragraphs.push(`"${quotes.join(' ')}" [${citations.length}]`);
  }
  if (citations.length === 0) return { content: NO_INFORMATION_ANSWER, citations };
  return { content: ['Here is what the documents say:', ...paragraphs].join('\n\n'), citations };
}

/**
 * The passages worth quoting, best first: re-ranked by similarity plus the share of the
 * question's words they contain, since a passage that shares none cannot answer it.
 */
function relevantPassages(terms: Set<string>, passages: RetrievedPassage[]): RetrievedPassage[] {
  if (terms.size === 0) return [];
  const ranked = passages
    .map((passage) => ({ passage, coverage: sharedTerms(terms, passage.text) / terms.size }))
    .filter(({ passage, coverage }) => coverage > 0 && passage.score >= MIN_SCORE)
    .map(({ passage, coverage }) => ({ passage, rank: passage.score + coverage }))
    // Stable: equal ranks keep the caller's order.
    .sort((a, b) => b.rank - a.rank);
  const best = ranked[0]?.rank ?? 0;
  return ranked
    .filter(({ rank }) => rank >= best * MIN_SHARE_OF_BEST)
    .map(({ passage }) => passage);
}

/** The sentences of `text` sharing the most words with the question, in their own order. */
function bestSentences(terms: Set<string>, text: string): string[] {
  const sentences = sentencesOf(text).map((sentence, index) => ({
    sentence,
    index,
    shared: sharedTerms(terms, sentence),
  }));
  return sentences
    .filter(({ shared }) => shared > 0)
    .sort((a, b) => b.shared - a.shared || a.index - b.index)
    .slice(0, MAX_SENTENCES_PER_PASSAGE)
    .sort((a, b) => a.index - b.index)
    .map(({ sentence }) => shortened(sentence));
}

function shortened(sentence: string): string {
  if (sentence.length <= MAX_QUOTE_CHARS) return sentence;
  const cut = sentence.slice(0, MAX_QUOTE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > 0 ? cut.slice(0, space) : cut}…`;
}
