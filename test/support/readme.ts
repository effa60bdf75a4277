import { readFileSync } from 'node:fs';

/**
 * The backticked names in the first cell of each row of the README section headed `heading`: a cell
 * may name one (`PORT`) or several (`process_*`, `nodejs_*`).
 */
export function readmeTableNames(heading: string): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "## ${heading}"`);
  const section = readme.slice(start).split(/\n## /)[1];
  return [...section.matchAll(/^\| (`[^|]+) \|/gm)].flatMap((row) =>
    [...row[1].matchAll(/`([^`]+)`/g)].map((name) => name[1]),
  );
}
