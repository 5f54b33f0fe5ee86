/**
 * The process boundaries of eslint.config.js, checked with the project's own rule options on
 * imports written here: a crossing must fail lint, a package that merely has `server` in its
 * name must not be mistaken for the server layer.
 */
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const RULE = '@typescript-eslint/no-restricted-imports';

async function refusedImports(file: string, source: string): Promise<number[]> {
  const config: unknown = await new ESLint().calculateConfigForFile(file);
  const rules = (config as { rules?: Record<string, Linter.RuleEntry> }).rules ?? {};
  const entry = rules[RULE];
  if (!entry) throw new Error(`eslint.config.js sets no ${RULE} for ${file}`);
  const messages = new Linter({ configType: 'flat' }).verify(
    source,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { '@typescript-eslint': tseslint.plugin },
        rules: { [RULE]: entry },
      },
    ],
    file,
  );
  return messages.filter((message) => message.ruleId === RULE).map((message) => message.line);
}

describe('shared/ stays pure', () => {
  it("refuses tRPC's server runtime, observable included, and every other layer", async () => {
    const source = [
      "import { observable } from '@trpc/server/observable';",
      "import { initTRPC } from '@trpc/server';",
      "import { buildServer } from '../server/app';",
      "import { openLocalDatabase } from '../../db/local/open';",
      "import { readFileSync } from 'node:fs';",
      "import { WardError } from '../main/errors';",
    ].join('\n');
    expect(await refusedImports('shared/schemas/probe.ts', source)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("lets tRPC's types and shared's own modules through", async () => {
    const source = [
      "import type { AnyRouter } from '@trpc/server';",
      "import { ENDPOINTS } from './endpoints';",
      "import { IdSchema } from './schemas/common';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(await refusedImports('shared/probe.ts', source)).toEqual([]);
  });
});

describe('the server layer is a folder, not a word in a package name', () => {
  it('lets main use tRPC server packages but never the central server', async () => {
    const source = [
      "import { observable } from '@trpc/server/observable';",
      "import { buildServer } from '../../server/app';",
    ].join('\n');
    expect(await refusedImports('main/api/probe.ts', source)).toEqual([2]);
  });
});
