import { rmSync } from 'node:fs';

/** Removes the run's directory made by global-setup.ts (KEEP_TEST_FILES=1 keeps it, to look into). */
export default function globalTeardown(): void {
  const dir = process.env.TMPDIR;
  if (process.env.KEEP_TEST_FILES !== '1' && dir?.includes('chirp-test-run-')) {
    rmSync(dir, { recursive: true, force: true });
  }
}
