import { ChatCitation, ChatMessage, citationOf, RetrievedPassage } from './chat-provider';

const CONTEXT_INSTRUCTIONS =
  'Numbered passages from the documents of this conversation follow. Use them when they help ' +
  'to answer, cite each passage you use by its number in square brackets, like [1], and say so ' +
  'when they do not contain the answer.';

/**
 * The messages to send a language model: the caller's system messages and the numbered
 * passages merged into one system message at the start (some OpenAI-compatible servers accept
 * only one, and only first), then the rest of the history in order. Without passages the model
 * is told nothing about documents: the conversation may have no collection at all.
 */
export function withPassages(messages: ChatMessage[], passages: RetrievedPassage[]): ChatMessage[] {
  const system = messages
    .filter((message) => message.role === 'system')
    .map(({ content }) => content);
  if (passages.length > 0) {
    const numbered = passages.map((passage, index) => `[${index + 1}] ${passage.text.trim()}`);
    system.push([CONTEXT_INSTRUCTIONS, ...numbered].join('\n\n'));
  }
  const history = messages.filter((message) => message.role !== 'system');
  return system.length > 0
    ? [{ role: 'system', content: system.join('\n\n') }, ...history]
    : history;
}

/**
 * The passages that `content` cites as [n] (or [n, m]), in the order of their numbers. An
 * answer that cites none gets no citations: citing what the model did not point to would claim
 * support it never gave. Numbers beyond the passages, and index-like text such as `a[1]`, do not
 * count.
 */
export function citedPassages(content: string, passages: RetrievedPassage[]): ChatCitation[] {
  const cited = new Set<number>();
  for (const [, list] of content.matchAll(/(?<!\w)\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
    for (const number of list.split(',').map(Number)) {
      if (number >= 1 && number <= passages.length) cited.add(number);
    }
  }
  return [...cited].sort((a, b) => a - b).map((number) => citationOf(passages[number - 1]));
}
