import { FuzzProfile } from './fuzz-profile';
import { FuzzStats } from './fuzz-runner';

export interface RunReport {
  profile: FuzzProfile;
  operations: number;
  stats: FuzzStats;
  durationMs: number;
  /** Operation key → the first lines of its failure. */
  failures: Map<string, string>;
  /** What the suite cannot fuzz fully, said out loud. */
  limits: string[];
}

/** The figures of a run, as `npm run test:fuzz` prints them at the end. */
export function formatSummary(report: RunReport): string {
  const { profile, stats } = report;
  const lines = [
    '',
    `Fuzz summary (${profile.name}): seed ${profile.seed}, ${report.operations} operations, ` +
      `${profile.runsPerOperation} generated requests each, sent as anonymous, owner and ` +
      'other (and admin to staff routes)',
    `  requests sent: ${stats.requests} in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  by status class: ${Object.entries(stats.byClass)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `  5xx: ${stats.serverErrors}; not a complete problem+json: ${stats.problemShapeFailures}; ` +
      `undocumented successes: ${stats.undocumentedSuccesses}; rejected requests that changed rows: ${stats.leakedRows}`,
  ];
  if (profile.name === 'full') {
    lines.push('  statuses per operation:');
    for (const [key, byStatus] of [...stats.byOperation.entries()].sort()) {
      const statuses = Object.entries(byStatus)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ');
      lines.push(`    ${key}: ${statuses}`);
    }
  }
  if (report.limits.length > 0) {
    lines.push('  not fuzzed fully:', ...report.limits.map((limit) => `    - ${limit}`));
  }
  if (report.failures.size > 0) {
    lines.push(`  FAILING OPERATIONS (${report.failures.size}):`);
    for (const [key, failure] of report.failures) lines.push(`    ${key}: ${failure}`);
    lines.push(
      `  Reproduce one: FUZZ_SEED=${profile.seed} FUZZ_OPERATIONS="<METHOD /path>" npm run test:fuzz`,
    );
  }
  return `${lines.join('\n')}\n`;
}
