import { type Browser, chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's chromium (bin/setup.sh installs it); CHROMIUM_PATH points elsewhere. No browser download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where tests leave what a person looks at afterwards (screenshots); git-ignored under var/. */
export const TEST_OUTPUT_DIR = join('var', 'test-output');

/** A headless chromium driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}

/** The path to save a test's output file `name` at (its folder made). */
export function testOutput(name: string): string {
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  return join(TEST_OUTPUT_DIR, name);
}
