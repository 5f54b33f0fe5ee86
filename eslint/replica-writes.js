// @ts-check
/**
 * wardline/replica-writes: who may change which table of the workstation replica
 * (docs/WORKSTATION.md "Who writes the replica"). A synced row changed outside the write path has
 * no outbox mutation (other workstations never see it) and no audit event; a workstation-only
 * table written by another module than its owner breaks that module's bookkeeping.
 *
 * Options, set per file in eslint.config.js:
 * - `mayWrite`: the tables this file may change, by SQL name; `*` for every table.
 * - `workstationTables`: the SQL names of the tables that never sync (for the message only:
 *   every other name is treated as a synced table).
 *
 * What counts as a change, found with the type checker so a read never matches:
 * - a drizzle write builder started on a table: `.insert(t)`, `.update(t)`, `.delete(t)` with
 *   one argument typed as a drizzle table (the write path's `batch.update(t, id, changes)` takes
 *   more, and is the sanctioned way);
 * - SQL text that changes rows, given to `prepare`, to better-sqlite3's `exec` or to drizzle's
 *   raw `run`/`all`/`get`/`values`; the table is read from the text when it is static;
 * - SQL the rule cannot read (built at run time) given to a writable connection's `exec`,
 *   `prepare`, or to drizzle's raw calls: only files that may write every table may do that.
 */

const BUILDERS = new Set(['insert', 'update', 'delete']);
const RAW_DRIZZLE = new Set(['run', 'all', 'get', 'values']);
const RAW_CLIENT = new Set(['exec', 'prepare']);
const READ_STARTS = new Set(['select', 'pragma', 'explain', 'values']);
const UNKNOWN = '*';
// Stands for a `${…}` of a template: whatever it holds, the rule cannot read it.
const HOLE = '\u0000';

/**
 * The tables one SQL text changes: [] for a read, [name] when the text names it, [UNKNOWN] for
 * any other statement (DDL, a table name built at run time).
 * @param {string} text
 * @returns {string[]}
 */
export function tablesWrittenBySql(text) {
  const source = text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .trim()
    .toLowerCase();
  const first = /^[a-z]+/.exec(source)?.[0] ?? '';
  if (READ_STARTS.has(first)) return [];
  if (first === 'with') return /\b(insert|update|delete|replace)\b/.test(source) ? [UNKNOWN] : [];
  const name = '(["`]?)([a-z_][a-z0-9_]*)\\1(?=[\\s(]|$)';
  const target =
    new RegExp(`^(?:insert|replace)(?:\\s+or\\s+[a-z]+)?\\s+into\\s+${name}`).exec(source) ??
    new RegExp(`^update(?:\\s+or\\s+[a-z]+)?\\s+${name}`).exec(source) ??
    new RegExp(`^delete\\s+from\\s+${name}`).exec(source);
  return [target?.[2] ?? UNKNOWN];
}

/** @type {import('eslint').Rule.RuleModule} */
export const replicaWrites = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Only the write path, main/sync and each table’s owner change the replica.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          mayWrite: { type: 'array', items: { type: 'string' } },
          workstationTables: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      syncedTable:
        '`{{table}}` is synced: change it through writeClinical (main/services/write-path.ts), which writes the row, its outbox mutation and its audit event in one transaction.',
      workstationTable:
        '`{{table}}` belongs to another module: call the function its owner exports (docs/WORKSTATION.md "Who writes the replica").',
      unknownTable:
        'This statement may change any table of the replica: such writes belong in main/services/write-path.ts or main/sync/.',
    },
  },

  create(context) {
    const options = context.options[0] ?? {};
    const mayWrite = new Set(options.mayWrite ?? []);
    if (mayWrite.has(UNKNOWN)) return {};
    const workstationTables = new Set(options.workstationTables ?? []);
    const services = context.sourceCode.parserServices;
    const program = services?.program;
    if (!program || !services.esTreeNodeToTSNodeMap)
      throw new Error(
        'wardline/replica-writes needs type information (parserOptions.projectService).',
      );
    const checker = program.getTypeChecker();
    const toTs = services.esTreeNodeToTSNodeMap;

    /**
     * @param {import('estree').Node} node
     * @param {string[]} tables
     */
    function check(node, tables) {
      for (const table of tables) {
        if (mayWrite.has(table)) continue;
        const messageId =
          table === UNKNOWN
            ? 'unknownTable'
            : workstationTables.has(table)
              ? 'workstationTable'
              : 'syncedTable';
        context.report({ node, messageId, data: { table } });
      }
    }

    /**
     * The SQL names of the drizzle tables an expression may be, or null when it is no table.
     * @param {import('estree').Node} node
     * @returns {string[] | null}
     */
    function drizzleTables(node) {
      const at = toTs.get(node);
      const type = checker.getTypeAtLocation(at);
      const base = checker.getBaseConstraintOfType(type) ?? type;
      const parts = base.isUnion() ? base.types : [base];
      /** @type {string[]} */
      const names = [];
      for (const part of parts) {
        const meta = part.getProperty('_');
        if (!meta) return null;
        const metaType = checker.getTypeOfSymbolAtLocation(meta, at);
        const brand = metaType.getProperty('brand');
        const brandType = brand && checker.getTypeOfSymbolAtLocation(brand, at);
        if (!brandType?.isStringLiteral() || brandType.value !== 'Table') return null;
        const name = metaType.getProperty('name');
        const nameType = name && checker.getTypeOfSymbolAtLocation(name, at);
        names.push(nameType?.isStringLiteral() ? nameType.value : UNKNOWN);
      }
      return names;
    }

    /**
     * Where the called method is declared: better-sqlite3's connection, drizzle's database, or
     * anything else (a statement, a Map, a reader type of ours).
     * @param {import('estree').Node} property
     * @returns {'client' | 'drizzle' | 'other'}
     */
    function receiverKind(property) {
      const symbol = checker.getSymbolAtLocation(toTs.get(property));
      const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
      // The replica's driver ships its own types (better-sqlite3-multiple-ciphers, installed
      // under the better-sqlite3 name); plain better-sqlite3 takes them from @types.
      if (/\/(@types\/)?better-sqlite3(-multiple-ciphers)?\//.test(file)) return 'client';
      if (/\/drizzle-orm\/sqlite-core\/db\.d\.c?ts$/.test(file)) return 'drizzle';
      return 'other';
    }

    /**
     * The text of a SQL argument when it is written in the source (string, template, drizzle's
     * sql`…`, or a const holding one); null when it is built at run time.
     * @param {import('estree').Node} node
     * @param {number} depth
     * @returns {string | null}
     */
    function staticSql(node, depth = 0) {
      if (node.type === 'Literal') return typeof node.value === 'string' ? node.value : null;
      if (node.type === 'TemplateLiteral')
        return node.quasis.map((quasi) => quasi.value.cooked ?? '').join(HOLE);
      if (node.type === 'TaggedTemplateExpression') return staticSql(node.quasi, depth);
      if (node.type === 'Identifier' && depth < 3) {
        const init = constInitializer(node);
        return init ? staticSql(init, depth + 1) : null;
      }
      return null;
    }

    /** @param {import('estree').Identifier} identifier */
    function constInitializer(identifier) {
      /** @type {import('eslint').Scope.Scope | null} */
      let scope = context.sourceCode.getScope(identifier);
      while (scope) {
        const variable = scope.set.get(identifier.name);
        if (variable) {
          const def = variable.defs[0];
          if (def?.type !== 'Variable' || def.parent.kind !== 'const') return null;
          return def.node.init ?? null;
        }
        scope = scope.upper;
      }
      return null;
    }

    return {
      /** @param {import('estree').CallExpression} call */
      CallExpression(call) {
        const callee = call.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        const method = callee.property.name;
        const [first] = call.arguments;
        if (!first || first.type === 'SpreadElement') return;
        if (BUILDERS.has(method)) {
          if (call.arguments.length !== 1) return;
          const tables = drizzleTables(first);
          if (tables) check(callee.property, tables);
          return;
        }
        if (!RAW_DRIZZLE.has(method) && !RAW_CLIENT.has(method)) return;
        const kind = receiverKind(callee.property);
        const raw =
          (kind === 'drizzle' && RAW_DRIZZLE.has(method)) ||
          (kind === 'client' && RAW_CLIENT.has(method));
        // Any other `prepare` (a service's reader, a helper) is judged by its text when written
        // out: a RETURNING write still executes through a statement's `get`.
        if (!raw && method !== 'prepare') return;
        const text = staticSql(first);
        if (text === null) {
          if (raw) check(first, [UNKNOWN]);
          return;
        }
        check(first, tablesWrittenBySql(text));
      },
    };
  },
};

export default { rules: { 'replica-writes': replicaWrites } };
