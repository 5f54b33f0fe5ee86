/**
 * Bulk import of a hospital's wards and beds from a CSV file (docs/SERVER.md "Organisation"),
 * read the same way by the server's CLI and by the Admin screen on a workstation: every line is
 * checked with the catalog's own schemas, and the file is either wholly acceptable (a plan of new
 * wards and beds) or refused with every problem named by its line number. Nothing is written here;
 * each side writes the plan in one transaction of its own.
 *
 * The file has a header line and one line per bed:
 *
 *   ward_code,ward_name,floor,bed_number,bed_status
 *   ICU,Intensive care,2,ICU-01,available
 *   ICU,Intensive care,2,ICU-02,maintenance
 *   DAY,Day unit,0,,
 *
 * A line with no bed number declares a ward without beds. A ward that already exists takes the
 * new beds, provided the line names it as it is; bed numbers must be new in the hospital.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { BED_STATUSES } from './catalog/organisation';
import { BedFieldsSchema, WardFieldsSchema } from './schemas/organisation';

export const CSV_COLUMNS = ['ward_code', 'ward_name', 'floor', 'bed_number', 'bed_status'] as const;
/** A hospital's wards and beds fit well within this; a bigger file is almost surely a mistake. */
export const MAX_IMPORT_LINES = 5000;
export const MAX_IMPORT_BYTES = 1_000_000;

/** A bed can be brought in ready for patients, under maintenance or reserved, never occupied. */
export const IMPORT_BED_STATUSES = BED_STATUSES.filter((status) => status !== 'occupied');

export interface ImportProblem {
  /** The line of the file (1 is the header); 0 for the file as a whole. */
  line: number;
  message: string;
}

export interface PlannedWard {
  code: string;
  name: string;
  floor: number;
}

export interface PlannedBed {
  wardCode: string;
  number: string;
  floor: number;
  status: (typeof IMPORT_BED_STATUSES)[number];
}

export interface ImportPlan {
  wards: PlannedWard[];
  beds: PlannedBed[];
}

/** What the hospital already has, for the checks only the destination can make. */
export interface ExistingWardsAndBeds {
  wards: readonly PlannedWard[];
  bedNumbers: readonly string[];
}

export type ImportResult =
  { ok: true; plan: ImportPlan } | { ok: false; problems: ImportProblem[] };

const blankToNull = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? null : value;

const LineSchema = z.object({
  ward_code: WardFieldsSchema.shape.code,
  ward_name: WardFieldsSchema.shape.name,
  floor: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
    WardFieldsSchema.shape.floor,
  ),
  bed_number: z.preprocess(blankToNull, BedFieldsSchema.shape.number.nullable()),
  bed_status: z.preprocess(
    blankToNull,
    z
      .enum(IMPORT_BED_STATUSES, {
        message: `Use ${IMPORT_BED_STATUSES.join(', ')} (or leave it empty for available)`,
      })
      .nullable(),
  ),
});

const LABELS: Record<string, string> = {
  ward_code: 'ward code',
  ward_name: 'ward name',
  floor: 'floor',
  bed_number: 'bed number',
  bed_status: 'bed status',
};

function lineProblems(line: number, error: z.ZodError): ImportProblem[] {
  return error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    return { line, message: `${LABELS[field] ?? field}: ${issue.message}` };
  });
}

interface ParsedLine {
  line: number;
  record: Record<string, string>;
}

function readLines(text: string): { lines: ParsedLine[] } | { problem: ImportProblem } {
  if (text.length > MAX_IMPORT_BYTES)
    return {
      problem: { line: 0, message: 'The file is larger than 1 MB; split it by ward.' },
    };
  try {
    const parsed = parse<Record<string, string>>(text, {
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      // A line with a missing or extra cell is named below rather than refused by the parser.
      relax_column_count: true,
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
    return { lines: parsed.map(({ record, info }) => ({ line: info.lines, record })) };
  } catch (error) {
    const line =
      typeof error === 'object' && error !== null && 'lines' in error ? Number(error.lines) : 0;
    const message = error instanceof Error ? error.message : String(error);
    return { problem: { line, message: `The file is not readable CSV: ${message}` } };
  }
}

function headerProblem(text: string): ImportProblem | null {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const header = firstLine.split(',').map((name) => name.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length === 0) return null;
  return {
    line: 1,
    message: `The first line must name the columns ${CSV_COLUMNS.join(',')}; missing: ${missing.join(', ')}.`,
  };
}

/** Reads and checks the whole file against what the hospital has; never partly accepted. */
export function planWardBedImport(text: string, existing: ExistingWardsAndBeds): ImportResult {
  const header = headerProblem(text);
  if (header) return { ok: false, problems: [header] };
  const read = readLines(text);
  if ('problem' in read) return { ok: false, problems: [read.problem] };
  if (read.lines.length === 0)
    return { ok: false, problems: [{ line: 0, message: 'The file has no ward or bed lines.' }] };
  if (read.lines.length > MAX_IMPORT_LINES)
    return {
      ok: false,
      problems: [{ line: 0, message: `The file has more than ${String(MAX_IMPORT_LINES)} lines.` }],
    };

  const problems: ImportProblem[] = [];
  const existingWards = new Map(existing.wards.map((ward) => [ward.code, ward]));
  const takenBeds = new Set(existing.bedNumbers);
  const newWards = new Map<string, PlannedWard & { line: number }>();
  const bedLines = new Map<string, number>();
  const beds: PlannedBed[] = [];

  for (const { line, record } of read.lines) {
    const parsed = LineSchema.safeParse(record);
    if (!parsed.success) {
      problems.push(...lineProblems(line, parsed.error));
      continue;
    }
    const { ward_code: code, ward_name: name, floor, bed_number, bed_status } = parsed.data;
    const known = existingWards.get(code) ?? newWards.get(code);
    if (known && (known.name !== name || known.floor !== floor)) {
      const where =
        'line' in known && typeof known.line === 'number'
          ? `line ${String(known.line)}`
          : 'this hospital';
      problems.push({
        line,
        message: `Ward ${code} is "${known.name}" on floor ${String(known.floor)} in ${where}; this line says "${name}" on floor ${String(floor)}.`,
      });
      continue;
    }
    if (!known) newWards.set(code, { code, name, floor, line });
    if (bed_number === null) {
      if (bed_status !== null)
        problems.push({ line, message: 'A bed status needs a bed number on the same line.' });
      continue;
    }
    if (takenBeds.has(bed_number)) {
      problems.push({ line, message: `Bed ${bed_number} already exists in this hospital.` });
      continue;
    }
    const earlier = bedLines.get(bed_number);
    if (earlier !== undefined) {
      problems.push({
        line,
        message: `Bed ${bed_number} is already on line ${String(earlier)}; a bed number is unique in the hospital.`,
      });
      continue;
    }
    bedLines.set(bed_number, line);
    beds.push({ wardCode: code, number: bed_number, floor, status: bed_status ?? 'available' });
  }
  if (problems.length > 0) return { ok: false, problems };
  const wards = [...newWards.values()].map(({ code, name, floor }) => ({ code, name, floor }));
  return { ok: true, plan: { wards, beds } };
}

/** The problems as lines of text, one per problem, for a console or a screen. */
export function describeImportProblems(problems: readonly ImportProblem[]): string {
  return problems
    .map(({ line, message }) => (line > 0 ? `line ${String(line)}: ${message}` : message))
    .join('\n');
}
