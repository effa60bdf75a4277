// Two projects: fast unit specs beside the code, and integration tests against real stores
// started by test/global-setup.ts. Integration tests run in band because they share those stores.
// Nest 12's packages (and cookie, which light-my-request loads for app.inject) are ES modules.
// Node loads them from CommonJS by itself (require(esm)), but jest's module loader can only on
// Node 24.9+, so they are compiled to CommonJS like our TypeScript (once: jest caches the result).
const esmPackages = ['@nestjs', 'cookie'];
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    },
  ],
  '^.+\\.js$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(${esmPackages.join('|')})/)`];
const moduleNameMapper = {
  '^@app/(config|discovery|dynamodb|errors|http|metrics)(/.*)?$': '<rootDir>/libs/$1/src$2',
};
module.exports = {
  // Integration hooks start real servers; on a busy 2-core machine that can take more than 5 s.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
