/**
 * The bits of text handling the extractive responder needs: which words of a question carry
 * meaning, and where a passage's sentences are. Plain rules, no language model.
 */

// Words that match almost any passage, so sharing one says nothing about relevance.
const STOPWORDS = new Set(
  (
    'a about after all also am an and any are as at be been before but by can could did do does ' +
    'for from had has have how i if in into is it its me my no not of on or our so than that the ' +
    'their them then there these they this those to us was we were what when where which who why ' +
    'will with would you your'
  ).split(' '),
);

/** The distinct content words of `text`, lower-cased, plural "s" dropped ("kilns" → "kiln"). */
export function contentTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    if (STOPWORDS.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
    terms.add(
      word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word,
    );
  }
  return terms;
}

/** How many of `terms` occur in `text`. */
export function sharedTerms(terms: Set<string>, text: string): number {
  let shared = 0;
  for (const term of contentTerms(text)) if (terms.has(term)) shared++;
  return shared;
}

/** The sentences of `text`, each on one line; a line break also ends one (lists, headings). */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n\s*\n|\n(?=\s*[-*•\d])/u)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => sentence !== '');
}
