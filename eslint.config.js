// ESLint flat config: typescript-eslint's type-aware recommended rules on every TypeScript file that a
// tsconfig includes, the syntax-level ones elsewhere, and eslint-config-prettier last so that layout is
// Prettier's alone.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // generated/ is openapi-typescript's output; the rest is build output, caches and local data.
    ignores: ['generated/', 'sdk/src/generated/', '**/dist/', 'coverage/', 'sdk/reference/', '.cache/', '.data/', '.scratch/', 'test-artifacts/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // each file is checked with the nearest tsconfig.json: the root one, sdk/, or sdk/type-tests/
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      // a leading underscore names what is left out on purpose (`const { id: _id, ...rest } = row`)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // async marks functions that satisfy a Promise-returning interface (a throw becomes a rejection); floating and misused promises are still caught
      '@typescript-eslint/require-await': 'off',
      // an AbortSignal's reason and an error passed through as `unknown` are rejected as they are; literals are still refused
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // `let x; … () => x …; x = …` ties two things that need each other (runtime.ts: metrics and the read lane)
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // URLSearchParams in a template is the query string; Node declares its global in 'url', which the default allow list (lib's) misses
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allow: [
            { from: 'lib', name: ['Error', 'URL', 'URLSearchParams'] },
            { from: 'package', package: 'url', name: 'URLSearchParams' },
          ],
        },
      ],
      // `declare global { namespace Express { interface User extends Principal {} } }` is how Express's types are extended
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // The example frontend app is type-checked by sdk/type-tests/tsconfig.json, which is not the tsconfig nearest to it.
    files: ['sdk/examples/frontend/main.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './sdk/type-tests/tsconfig.json' } },
    // its DOM listeners are async functions that catch their own errors, as a frontend developer writes them
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }] },
  },
  {
    // Tests read JSON bodies off the wire as `any` (HttpResult's default, as supertest's) and assert their shape with
    // expect, whose asymmetric matchers are `any` too: the no-unsafe-* rules would flag every assertion.
    files: ['tests/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // where that `any` is declared: the test app's HttpResult and the problem assertion that takes one
    files: ['tests/support/test-app.ts', 'tests/support/fixtures.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // JavaScript files and the SDK quickstart (run as plain JS from the README) belong to no tsconfig: syntax-level rules only.
    files: ['**/*.{js,mjs,cjs}', 'sdk/examples/quickstart.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
