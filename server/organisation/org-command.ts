/**
 * `npm run server -- org …`: regions, hospitals, wards and beds from the server console, each
 * through server/organisation/organisation.ts. Answers one JSON line on success; a refusal is a
 * sentence (an import's, one line per problem with its line number) and exit status 1.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import {
  addBed,
  addHospital,
  addRegion,
  addWard,
  editBed,
  editHospital,
  editRegion,
  editWard,
  importWardsAndBeds,
  listOrganisation,
  OrganisationError,
} from './organisation';
import { organisationTable } from './organisation-table';

export const ORG_USAGE = `  npm run server -- org list [--hospital CODE] [--json]
  npm run server -- org region add --code C --name "N"
  npm run server -- org region edit CODE --name "N"
  npm run server -- org hospital add --code C --name "N" --region CODE [--capacity N]
  npm run server -- org hospital edit CODE [--name "N"] [--capacity N] [--region CODE]
  npm run server -- org ward add --hospital CODE --code C --name "N" --floor N
  npm run server -- org ward edit CODE --hospital CODE [--name "N"] [--floor N]
  npm run server -- org bed add --hospital CODE --ward CODE --number N [--floor N]
      [--status available|maintenance|reserved]
  npm run server -- org bed edit NUMBER --hospital CODE [--ward CODE] [--floor N] [--status S]
  npm run server -- org import --hospital CODE --file wards.csv
      (columns ward_code,ward_name,floor,bed_number,bed_status; all lines or none)`;

export interface OrgOptions {
  hospital?: string | undefined;
  code?: string | undefined;
  name?: string | undefined;
  region?: string | undefined;
  capacity?: string | undefined;
  floor?: string | undefined;
  ward?: string | undefined;
  number?: string | undefined;
  status?: string | undefined;
  file?: string | undefined;
  json?: boolean | undefined;
}

export class OrgUsageError extends Error {}

const need = (value: string | undefined, what: string): string => {
  if (value === undefined || value === '') throw new OrgUsageError(`${what} is needed.`);
  return value;
};

/** A number as typed; anything else reaches the schema, which says what is wrong with it. */
const numberOf = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : Number(text);

function readCsv(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new OrgUsageError(`--file: cannot read ${file}.`);
  }
}

/** Runs one `org` command; what it prints on success is returned. */
export async function runOrgCommand(
  pool: pg.Pool,
  words: readonly string[],
  options: OrgOptions,
): Promise<string> {
  const [kind, action, target] = words;
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  const hospital = () => need(options.hospital, '--hospital CODE');
  switch (`${kind ?? ''} ${action ?? ''}`.trim()) {
    case 'list': {
      const listing = await listOrganisation(
        pool,
        options.hospital === undefined ? {} : { hospitalCode: options.hospital },
      );
      return options.json ? line(listing) : organisationTable(listing);
    }
    case 'region add':
      return line(await addRegion(pool, { code: options.code, name: options.name }));
    case 'region edit':
      return line(await editRegion(pool, need(target, 'The region code'), { name: options.name }));
    case 'hospital add':
      return line(
        await addHospital(pool, {
          code: options.code,
          name: options.name,
          regionCode: need(options.region, '--region CODE'),
          bedCapacity: numberOf(options.capacity) ?? 0,
        }),
      );
    case 'hospital edit':
      return line(
        await editHospital(pool, need(target, 'The hospital code'), {
          name: options.name,
          bedCapacity: numberOf(options.capacity),
          regionCode: options.region,
        }),
      );
    case 'ward add':
      return line(
        await addWard(pool, hospital(), {
          code: options.code,
          name: options.name,
          floor: numberOf(need(options.floor, '--floor N')),
        }),
      );
    case 'ward edit':
      return line(
        await editWard(pool, hospital(), need(target, 'The ward code'), {
          name: options.name,
          floor: numberOf(options.floor),
        }),
      );
    case 'bed add':
      return line(
        await addBed(pool, hospital(), {
          wardCode: need(options.ward, '--ward CODE'),
          number: options.number,
          floor: numberOf(options.floor),
          status: options.status,
        }),
      );
    case 'bed edit':
      return line(
        await editBed(pool, hospital(), need(target, 'The bed number'), {
          wardCode: options.ward,
          floor: numberOf(options.floor),
          status: options.status,
        }),
      );
    case 'import': {
      const csv = readCsv(need(options.file, '--file wards.csv'));
      return line(await importWardsAndBeds(pool, hospital(), csv));
    }
    default:
      throw new OrgUsageError(`usage:\n${ORG_USAGE}`);
  }
}

export { OrganisationError };
