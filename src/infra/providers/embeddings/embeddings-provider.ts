export interface EmbedOptions {
  /** Stops the work (and any request in flight) early with the signal's AbortError. */
  signal?: AbortSignal;
  /** A user's own provider key ("bring your own key"); it overrides the configured one. */
  apiKey?: string;
}

/** Turns texts into vectors of `dimension` numbers, one per text and in the same order. */
export abstract class EmbeddingsProvider {
  /** The name stored with each collection, so vectors from different models are never mixed. */
  abstract readonly model: string;
  abstract readonly dimension: number;
  abstract embed(texts: string[], options?: EmbedOptions): Promise<number[][]>;
}
