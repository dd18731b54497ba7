const NON_SPACING_MARKS = /\p{Mn}/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The words of `text`, compared loosely: compatibility forms folded (NFKC: "ﬁ" → "fi", full-width
 * → ASCII), lower-cased, diacritics dropped ("Café" → "cafe"), split on anything that is neither
 * a letter nor a digit.
 */
export function normaliseWords(text: string): string[] {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(NON_SPACING_MARKS, '')
    // Recompose what NFD split apart without a mark to drop (Hangul syllables, for one).
    .normalize('NFC');
  return folded.match(WORD) ?? [];
}

const VOWEL = /[aeiouy]/;
const DOUBLED_END = /([b-df-hj-kmnp-rtv-z])\1$/;

/**
 * A light English stemmer, so that "batteries", "charging" and "charged" meet "battery" and
 * "charge": plurals by Harman's "S" stemmer, then -ing and -ed (undoubling "runn" → "run"),
 * then a final e ("charge" → "charg", which "charging" also becomes). Heavier stemmers conflate
 * unrelated words; the character n-grams already catch the rest of a word's family.
 */
export function lightStem(word: string): string {
  if (word.length <= 3) return word;
  let stem = withoutPlural(word);
  const verbEnding = stem.endsWith('ing')
    ? 3
    : stem.endsWith('ed') && !stem.endsWith('eed')
      ? 2
      : 0;
  // Only when a syllable is left: "sing", "bed" and "string" stay as they are.
  if (verbEnding > 0 && VOWEL.test(stem.slice(0, -verbEnding)) && stem.length - verbEnding >= 3) {
    stem = stem.slice(0, -verbEnding);
    if (DOUBLED_END.test(stem)) stem = stem.slice(0, -1);
  }
  return stem.length > 3 && stem.endsWith('e') ? stem.slice(0, -1) : stem;
}

/** Harman's rules: -ies → -y, -es → -e (not -aes, -ees, -oes), -s → "" (not -us, -ss). */
function withoutPlural(word: string): string {
  if (!word.endsWith('s')) return word;
  if (word.endsWith('ies') && !word.endsWith('eies') && !word.endsWith('aies')) {
    return `${word.slice(0, -3)}y`;
  }
  if (word.endsWith('es') && !/[aeo]es$/.test(word)) return word.slice(0, -1);
  if (word.endsWith('us') || word.endsWith('ss')) return word;
  return word.slice(0, -1);
}
