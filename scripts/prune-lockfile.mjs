// The package registry these machines reach does not serve every platform build of some native
// packages (@swc/core, unrs-resolver, msgpackr-extract). npm then writes a lock file without them
// but still lists them as optional dependencies, and `npm ci` refuses that lock file. This drops
// the optional dependencies that have no entry in the lock. Run it after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const locked = new Set(
  Object.keys(lock.packages).map((key) => key.replace(/^.*node_modules\//, '')),
);
const dropped = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (locked.has(name)) continue;
    delete entry.optionalDependencies[name];
    dropped.push(`${key || '(root)'} -> ${name}`);
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`Dropped ${dropped.length} optional dependencies the registry does not serve.`);
