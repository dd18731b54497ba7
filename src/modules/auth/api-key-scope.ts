/** `read` allows safe methods (GET, HEAD); `write` allows the rest. A key has one or both. */
export enum ApiKeyScope {
  Read = 'read',
  Write = 'write',
}
