/**
 * An upstream model service (embeddings, chat) failed, refused or broke its protocol. The
 * message names what went wrong without keys or server paths, so it is safe to show callers.
 */
export class ProviderError extends Error {}
