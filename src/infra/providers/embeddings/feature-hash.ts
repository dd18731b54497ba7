// 32-bit hashing for the local embedder. FNV-1a is stable across runs, machines and Node
// versions (unlike anything seeded at random) and needs no allocation: it reads char codes.

// Bound once: the hot loops then skip a lookup of the global Math on every call, which is
// cheap in Node but costs about a hundred times more inside jest's sandboxed global.
const { imul } = Math;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of `text`, started from `seed` so that each kind of feature hashes apart. */
export function hashString(text: string, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash = imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  }
  return hash >>> 0;
}

/** FNV-1a of `word` wrapped in boundary marks `<word>`, from `start` for `length` chars. */
export function hashMarkedSlice(word: string, start: number, length: number, seed: number): number {
  const last = word.length + 1;
  let hash = seed;
  for (let i = start; i < start + length; i++) {
    // Words hold letters and digits only, so the marks cannot be confused with their content.
    const code = i === 0 ? 0x3c : i === last ? 0x3e : word.charCodeAt(i - 1);
    hash = imul(hash ^ code, FNV_PRIME);
  }
  return hash >>> 0;
}

/** An order-sensitive hash of two hashes: the pair (a, b) differs from (b, a). */
export function hashPair(first: number, second: number, seed: number): number {
  return imul(imul(seed ^ first, FNV_PRIME) ^ second, FNV_PRIME) >>> 0;
}

/** Murmur3's finaliser: spreads FNV's weak low bits before they choose a bucket and a sign. */
export function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
