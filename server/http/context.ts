import type pg from 'pg';
import type { TableShapes } from '../sync/table-shapes';

/** What every route of the /v1 server runs against, built once by buildServer (server/app.ts). */
export interface ServerContext {
  pool: pg.Pool;
  shapes: TableShapes;
  now: () => Date;
}
