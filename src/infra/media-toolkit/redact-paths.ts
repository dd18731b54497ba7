import { basename } from 'node:path';

// An absolute path's directories, up to the last slash; what follows (the file name) is kept.
const ABSOLUTE_DIRECTORIES = /(?<![\w.])(?:file:)?\/(?:[^\s/'",;:[\]]+\/)+/g;

/**
 * Reduces file system paths in tool output to their file names, so error messages can reach
 * API clients without telling them how the server's disks are laid out. Known paths are replaced
 * whole first, because a generic pattern cannot see where a path with spaces ends.
 */
export function redactPaths(text: string, knownPaths: readonly string[] = []): string {
  const longestFirst = [...knownPaths].filter(Boolean).sort((a, b) => b.length - a.length);
  let redacted = text;
  for (const path of longestFirst) {
    redacted = redacted.split(`file:${path}`).join(basename(path));
    redacted = redacted.split(path).join(basename(path));
  }
  return redacted.replace(ABSOLUTE_DIRECTORIES, '');
}
