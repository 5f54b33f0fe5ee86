// Types for the tests that import the rule (the rule is JavaScript: eslint.config.js loads it).
import type { ESLint, Rule } from 'eslint';

export function tablesWrittenBySql(text: string): string[];
export const replicaWrites: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
