// The synced tables are declared in the catalog (shared/catalog/); this name stays for the code
// that only needs the list.
export { SYNCED_TABLES, findSyncedTable, type SyncedTable, type SyncedTableName } from './catalog';
