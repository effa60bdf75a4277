import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mediaTypesOf } from '@app/http';

/** One static file of the page, read once at boot. */
export interface Asset {
  type: string;
  body: string;
}

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
};

/** The media types the page's files are served as (the document lists them). */
export const ASSET_MEDIA_TYPES = mediaTypesOf(TYPES);

// Beside this file in the sources (tests boot the module from them); the build copies the folder to
// the same path under dist/ (nest-cli.json's assets), and there __dirname is the bundle's, dist/apps/registry.
const folder = [join(__dirname, 'public'), join(__dirname, 'src', 'dashboard', 'public')].find(existsSync);

/** The dashboard's plain HTML, CSS and JavaScript (no build step, nothing from a CDN), by file name. */
export function loadDashboardAssets(): Map<string, Asset> {
  if (!folder) throw new Error('dashboard assets not found (is nest-cli.json copying dashboard/public?)');
  return new Map(
    Object.entries(TYPES).map(([name, type]) => [
      name,
      { type, body: readFileSync(join(folder, name), 'utf8') },
    ]),
  );
}
