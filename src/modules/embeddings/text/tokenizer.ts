import { countTokens as countO200k } from 'gpt-tokenizer/cjs/encoding/o200k_base';

/**
 * The encoding token counts are given in: o200k_base, the one of OpenAI's GPT-4o and later chat
 * models. The counts are exact for those models and close for other modern BPE tokenizers.
 * gpt-tokenizer ships its ranks inside the package (no download at run time), is plain
 * JavaScript with a CommonJS build, and loads in about a tenth of a second.
 */
export const TOKEN_ENCODING = 'o200k_base';

// Text from users is counted as text: "<|endoftext|>" typed in a message is a few ordinary
// tokens, not a special token (and not an error, which is the library's default).
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** The number of tokens `text` encodes to in TOKEN_ENCODING. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : countO200k(text, AS_PLAIN_TEXT);
}
