// typescript-eslint's type-checked rules; a floating promise is an error (a lost rejection is a lost write).
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // test/client is typed against files its test generates; that test type-checks it (its tsconfig.json).
  { ignores: ['dist/', 'node_modules/', 'var/', 'coverage/', '**/*.js', '**/*.mjs', 'test/client/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    // jest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.
    rules: { '@typescript-eslint/unbound-method': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
);
