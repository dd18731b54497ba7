import { readdir } from 'node:fs/promises';

const SCENARIOS_DIR = new URL('../scenarios/', import.meta.url);

/** Every bench/scenarios/*.mjs, by file name, or only those named in BENCH_SCENARIOS. */
export async function loadScenarios(only) {
  const files = (await readdir(SCENARIOS_DIR)).filter((file) => file.endsWith('.mjs')).sort();
  const scenarios = [];
  for (const file of files) {
    const module = await import(new URL(file, SCENARIOS_DIR).href);
    const scenario = module.default ?? module;
    if (typeof scenario.name !== 'string' || typeof scenario.run !== 'function') {
      throw new Error(`bench/scenarios/${file} must export { name, description, run(context) }`);
    }
    scenarios.push(scenario);
  }
  if (!only) return scenarios;
  const unknown = only.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length > 0) {
    const known = scenarios.map((s) => s.name).join(', ');
    throw new Error(
      `Unknown scenario(s) in BENCH_SCENARIOS: ${unknown.join(', ')}; known: ${known}`,
    );
  }
  return scenarios.filter((scenario) => only.includes(scenario.name));
}
