// Two projects: fast unit specs beside the code, and integration tests against real stores
// started by test/global-setup.ts. Integration tests run in band because they share those stores.
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
};
const moduleNameMapper = {
  '^@app/(config|discovery|http)(/.*)?$': '<rootDir>/libs/$1/src$2',
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
      moduleNameMapper,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
  ],
};
