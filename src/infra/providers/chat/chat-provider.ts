import { ProviderError } from '../provider-error';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A chunk of the conversation's collection, found by the caller for the latest question. */
export interface RetrievedPassage {
  documentId: string;
  chunkId: string;
  text: string;
  /** Similarity to the question; higher is closer. */
  score: number;
}

export interface ChatRequest {
  /** The provider's configured model when absent. */
  model?: string;
  /** The history to answer, oldest first, already trimmed by the caller. */
  messages: ChatMessage[];
  /** Best first; may be empty. */
  passages: RetrievedPassage[];
  /** Aborting it stops the answer and any upstream request. */
  signal?: AbortSignal;
  /** Bring your own key: overrides the configured one. */
  apiKey?: string;
}

export interface ChatCitation {
  documentId: string;
  chunkId: string;
  score: number;
}

export interface ChatDelta {
  content: string;
}

export interface ChatResult {
  content: string;
  citations: ChatCitation[];
  /** The model that answered. */
  model: string;
}

/** The provider failed, refused or answered outside its protocol; the message is safe to show. */
export class ChatProviderError extends ProviderError {
  override readonly name = 'ChatProviderError';
}

/** Answers a conversation's latest message, optionally from passages of its collection. */
export abstract class ChatProvider {
  abstract readonly name: string;

  /**
   * Yields content deltas in order; returns the final result (full content equals the
   * concatenated deltas). The consumer finishes the iteration, leaves it early (break, return())
   * or aborts `signal`: either way the provider releases what it holds.
   */
  abstract stream(request: ChatRequest): AsyncGenerator<ChatDelta, ChatResult, void>;

  /** Convenience: consume the stream and return the result. */
  async complete(request: ChatRequest): Promise<ChatResult> {
    const answer = this.stream(request);
    for (;;) {
      const step = await answer.next();
      if (step.done) return step.value;
    }
  }
}

/** A citation of `passage`, as stored with the answer. */
export function citationOf({ documentId, chunkId, score }: RetrievedPassage): ChatCitation {
  return { documentId, chunkId, score };
}
