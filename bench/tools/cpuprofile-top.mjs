// Prints where a .cpuprofile (from `node --cpu-prof`, e.g. BENCH_CPU_PROF=1) spends its time:
// - by package (node_modules/<name>, Kiln's own dist/), with Node's internals and native code
//   (a socket write, an HMAC) charged to the package that called them;
// - the functions with the most self time.
// Idle time is left out of the percentages.
//   node bench/tools/cpuprofile-top.mjs bench/results/profiles/<file>.cpuprofile [rows]
import { readFile } from 'node:fs/promises';

const [file, rowsArg = '30'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/tools/cpuprofile-top.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg);
const profile = JSON.parse(await readFile(file, 'utf8'));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);

// Self time per node: the sampled time deltas, attributed to the sampled node.
const selfUs = new Map();
profile.samples.forEach((id, i) => {
  if (nodes.get(id).callFrame.functionName === '(idle)') return;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

/** The package a frame's code belongs to, or null for Node's internals and native code. */
function packageOf({ url }) {
  if (!url || url.startsWith('node:')) return null;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.includes('/dist/')) return 'kiln (dist)';
  return url.replace(/^file:\/\//, '');
}

/** The nearest package up the stack; the VM's own entries ((garbage collector)...) stay apart. */
function chargedTo(node) {
  const name = node.callFrame.functionName;
  if (!node.callFrame.url && name.startsWith('(')) return name;
  for (let frame = node; frame; frame = parents.get(frame.id)) {
    const owner = packageOf(frame.callFrame);
    if (owner) return owner;
  }
  return 'node internals';
}

const byPackage = new Map();
const byFunction = new Map();
for (const [id, us] of selfUs) {
  const node = nodes.get(id);
  const owner = chargedTo(node);
  byPackage.set(owner, (byPackage.get(owner) ?? 0) + us);
  const { functionName, url, lineNumber } = node.callFrame;
  const place = url ? `${url.replace(/^.*node_modules\//, '')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${place}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

const pct = (us) => `${((us / totalUs) * 100).toFixed(1).padStart(5)} %`;
const top = (map, count) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
console.log(`${file}: ${(totalUs / 1e6).toFixed(2)} s busy\n`);
console.log('By package (Node internals and native code charged to their caller):');
for (const [owner, us] of top(byPackage, 25)) console.log(`${pct(us)}  ${owner}`);
console.log('\nSelf time by function:');
for (const [key, us] of top(byFunction, rows)) console.log(`${pct(us)}  ${key}`);
