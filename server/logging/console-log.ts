/**
 * The server's log as a person at a terminal reads it (`npm start`, `npm run demo:web`): one
 * short line per event instead of pino's JSON. A request is one line when it completes, with
 * its method, path (no query string), status and time; other events show their message and
 * their plain fields. It reads the same redacted JSON the default log writes, so nothing the
 * JSON log hides (tokens, passwords, codes) can appear here. `serve` keeps JSON by default, for
 * machines to read.
 */
import { z } from 'zod';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

const LineSchema = z.looseObject({
  level: z.number(),
  time: z.number(),
  msg: z.string().optional(),
  reqId: z.string().optional(),
  req: z.looseObject({ method: z.string(), url: z.string() }).optional(),
  res: z.looseObject({ statusCode: z.number() }).optional(),
  responseTime: z.number().optional(),
  err: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional(),
});

/** Fields every line has, or that the line's own words already say. */
const OMITTED = new Set([
  'level',
  'time',
  'msg',
  'pid',
  'hostname',
  'reqId',
  'req',
  'res',
  'responseTime',
  'err',
]);

/** Requests started but not completed are remembered up to this many (a dropped client). */
const MAX_OPEN_REQUESTS = 1000;

const clock = (time: number) => new Date(time).toTimeString().slice(0, 8);

const plainFields = (line: Record<string, unknown>) =>
  Object.entries(line)
    .filter(
      ([key, value]) => !OMITTED.has(key) && ['string', 'number', 'boolean'].includes(typeof value),
    )
    .map(([key, value]) => ` ${key}=${String(value)}`)
    .join('');

/**
 * A pino destination that writes readable lines through `write` (stderr in the server). Lines
 * it cannot read are passed on unchanged rather than lost.
 */
export function consoleLogStream(write: (text: string) => void): { write(line: string): void } {
  const open = new Map<string, { method: string; path: string }>();
  return {
    write(text: string) {
      for (const raw of text.split('\n')) {
        if (raw.trim() === '') continue;
        const formatted = formatLogLine(raw, open);
        if (formatted !== null) write(`${formatted}\n`);
      }
    },
  };
}

/** One JSON log line as text, or null when it is only remembered (a request coming in). */
export function formatLogLine(
  raw: string,
  open: Map<string, { method: string; path: string }> = new Map(),
): string | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return raw;
  }
  const parsed = LineSchema.safeParse(json);
  if (!parsed.success) return raw;
  const line = parsed.data;
  const time = clock(line.time);
  const level = LEVELS[line.level] ?? String(line.level);
  if (line.msg === 'incoming request' && line.req && line.reqId) {
    if (open.size >= MAX_OPEN_REQUESTS) {
      const oldest = open.keys().next();
      if (!oldest.done) open.delete(oldest.value);
    }
    open.set(line.reqId, { method: line.req.method, path: line.req.url.split('?')[0] ?? '' });
    return null;
  }
  if (line.msg === 'request completed' && line.res) {
    const request = line.reqId === undefined ? undefined : open.get(line.reqId);
    if (line.reqId !== undefined) open.delete(line.reqId);
    const what = request ? `${request.method} ${request.path}` : 'request';
    const ms = line.responseTime === undefined ? '' : ` ${line.responseTime.toFixed(0)} ms`;
    return `${time} ${what} ${line.res.statusCode}${ms}`;
  }
  const error = line.err ? ` (${line.err.type ?? 'Error'}: ${line.err.message ?? ''})` : '';
  return `${time} ${level} ${line.msg ?? ''}${plainFields(line)}${error}`;
}
