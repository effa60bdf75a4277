import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { mediaTypesOf } from './returns.decorator';
// The path helper alone: the package's index would load the whole bundle into this process.
import swaggerUiPath from 'swagger-ui-dist/absolute-path.js';

const TYPES = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
} as const;

/** The media types Swagger UI's files are served as (the document lists them). */
export const DOCS_MEDIA_TYPES = mediaTypesOf(TYPES);

/** `GET /docs/:asset`: one of the Swagger UI files the page loads, from the local swagger-ui-dist package. */

export const docsAsset = z.object({ asset: z.enum(Object.keys(TYPES) as [keyof typeof TYPES]) });

/** A Swagger UI file with its content type. */
export interface Asset {
  type: string;
  content: Buffer;
}

const assets = new Map<string, Asset>();

/** Reads a Swagger UI file once; the package's files do not change while the app runs. */
export function swaggerUiAsset(name: keyof typeof TYPES): Asset {
  let asset = assets.get(name);
  if (!asset) {
    asset = { type: TYPES[name], content: readFileSync(join(swaggerUiPath(), name)) };
    assets.set(name, asset);
  }
  return asset;
}

/** The `GET /docs` page: Swagger UI on this app's `/openapi.json`, every file served by the app itself. */
export const swaggerUiPage = (title: string) => `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>${title}</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
    </script>
  </body>
</html>
`;
