/** The model providers a user may bring a key of their own for. */
export enum ProviderKind {
  Chat = 'chat',
  Embeddings = 'embeddings',
}
